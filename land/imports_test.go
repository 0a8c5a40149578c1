package land_test

import (
	"errors"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

func code(err error) string {
	var ge *geo.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return ""
}

func TestParseFieldMap(t *testing.T) {
	m, err := land.ParseFieldMap(" code=DLBM, name = DLMC ,")
	if err != nil || len(m) != 2 || m["code"] != "DLBM" || m["name"] != "DLMC" {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"code", "code=", "=DLBM", "code=A,code=B"} {
		if _, err := land.ParseFieldMap(bad); code(err) != "bad_field_map" {
			t.Errorf("%q: %v, want bad_field_map", bad, err)
		}
	}
}

func TestImportOptionsCheck(t *testing.T) {
	fields := []string{"DLBM", "DLMC", "GZQ"}
	cases := []struct {
		name string
		o    land.ImportOptions
		code string
	}{
		{"unknown layer", land.ImportOptions{Layer: "roads"}, "bad_layer"},
		{"srs not offered", land.ImportOptions{Layer: land.LayerLanduse, SRS: "EPSG:3857", Map: land.FieldMap{"code": "DLBM"}}, "bad_srs"},
		{"encoding not offered", land.ImportOptions{Layer: land.LayerLanduse, Encoding: "latin1", Map: land.FieldMap{"code": "DLBM"}}, "bad_encoding"},
		{"field the file lacks", land.ImportOptions{Layer: land.LayerLanduse, Map: land.FieldMap{"code": "YDDM"}}, "unknown_field"},
		{"target the layer lacks", land.ImportOptions{Layer: land.LayerEcoRedline, Map: land.FieldMap{"code": "DLBM"}}, "bad_field_map"},
		{"code not mapped", land.ImportOptions{Layer: land.LayerControlZones, Map: land.FieldMap{}}, "code_not_mapped"},
		{"land use", land.ImportOptions{Layer: land.LayerLanduse, SRS: "epsg:4547", Encoding: "gbk", Map: land.FieldMap{"code": "DLBM", "name": "DLMC"}}, ""},
		{"control line without fields", land.ImportOptions{Layer: land.LayerBasicFarmland}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.o.Check(fields, "uploads/规划2035.zip")
			if code(err) != c.code || (c.code == "" && err != nil) {
				t.Fatalf("err %v, want %q", err, c.code)
			}
		})
	}
	o := land.ImportOptions{Layer: land.LayerLanduse, SRS: "epsg:4547", Encoding: "gbk", Map: land.FieldMap{"code": "DLBM"}}
	if err := o.Check(fields, "uploads/规划2035.zip"); err != nil {
		t.Fatal(err)
	}
	if o.System != land.SystemGTKJ2023 || o.Plan != "规划2035" || o.SRS != "EPSG:4547" || o.Encoding != "GBK" {
		t.Errorf("defaults %+v: want the 2023 system, the file's name as plan, upper-case srs and encoding", o)
	}
}

func TestMapFeature(t *testing.T) {
	square := orb.Polygon{{{114, 33.6}, {114.001, 33.6}, {114.001, 33.601}, {114, 33.601}, {114, 33.6}}}
	open := orb.Polygon{{{114, 33.6}, {114.001, 33.6}, {114.001, 33.601}, {114, 33.601}}}
	sliver := orb.Polygon{{{114, 33.6}, {114.001, 33.6}, {114, 33.6}}}
	lu := land.ImportOptions{Layer: land.LayerLanduse, System: land.SystemGTKJ2023, Plan: "p", Map: land.FieldMap{"code": "DLBM", "name": "DLMC"}}
	zones := land.ImportOptions{Layer: land.LayerControlZones, Plan: "p", Map: land.FieldMap{"code": "GZQ"}}
	farm := land.ImportOptions{Layer: land.LayerBasicFarmland}
	cases := []struct {
		name   string
		o      land.ImportOptions
		f      land.Feature
		reject string
		check  func(land.Row) bool
	}{
		{"zone", lu, land.Feature{Fields: map[string]string{"DLBM": " 0701 ", "DLMC": "城镇住宅用地"}, Geom: square}, "",
			func(r land.Row) bool {
				return r.Code == "0701" && r.Name == "城镇住宅用地" && r.System == land.SystemGTKJ2023 && r.Plan == "p"
			}},
		{"no geometry", lu, land.Feature{Fields: map[string]string{"DLBM": "0701"}}, land.RejectEmpty, nil},
		{"a line", lu, land.Feature{Fields: map[string]string{"DLBM": "0701"}, Geom: orb.LineString{{114, 33.6}, {114.1, 33.6}}}, land.RejectGeometryType, nil},
		{"no code", lu, land.Feature{Fields: map[string]string{"DLMC": "x"}, Geom: square}, land.RejectNoCode, nil},
		{"open ring closed", lu, land.Feature{Fields: map[string]string{"DLBM": "0701"}, Geom: open}, "",
			func(r land.Row) bool { p := r.Geom.(orb.Polygon); return len(p[0]) == 5 && p[0][0] == p[0][4] }},
		{"ring of three points", lu, land.Feature{Fields: map[string]string{"DLBM": "0701"}, Geom: sliver}, land.RejectEmpty, nil},
		{"hole of three points dropped", lu, land.Feature{Fields: map[string]string{"DLBM": "0701"}, Geom: append(square, sliver[0])}, "",
			func(r land.Row) bool { return len(r.Geom.(orb.Polygon)) == 1 }},
		{"control zone code read as a number", zones, land.Feature{Fields: map[string]string{"GZQ": "10"}, Geom: square}, "",
			func(r land.Row) bool { return r.Code == "010" }},
		{"control line named after its layer", farm, land.Feature{Geom: orb.MultiPolygon{square}}, "",
			func(r land.Row) bool { return r.Name == "永久基本农田" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, reject := c.o.MapFeature(7, c.f)
			if reject != c.reject || r.N != 7 {
				t.Fatalf("reject %q (row %d), want %q", reject, r.N, c.reject)
			}
			if c.check != nil && !c.check(r) {
				t.Errorf("row %+v", r)
			}
		})
	}
}
