package api_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// luoheCentre is the city seat, in Yancheng district.
var luoheCentre = orb.Point{114.02, 33.58}

// tileAt is the path of layers' tile at zoom z over p.
func tileAt(layers string, p orb.Point, z maptile.Zoom) string {
	t := maptile.At(p, z)
	return fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layers, z, t.X, t.Y)
}

// features lists the features of the tile's layer named name, each as
// "geometry type name".
func features(layers mvt.Layers, name string) []string {
	var out []string
	for _, l := range layers {
		if l.Name != name {
			continue
		}
		for _, f := range l.Features {
			out = append(out, f.Geometry.GeoJSONType()+" "+fmt.Sprint(f.Properties["name"]))
		}
	}
	return out
}

// TestBaseLayerTiles: the base map gives a viewer (who may see nothing
// sensitive) China's provinces at national zoom, the prefecture-level
// cities around Luohe, and inside Luohe its roads, railways, rivers and
// districts.
func TestBaseLayerTiles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	viewer := f.users[geo.RoleViewer]
	// The city's own roads, railways and rivers (the demo data's come
	// from demo.transportLines).
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `INSERT INTO transport (kind, name, ref, geom) VALUES
		('road', '淮河路', NULL, ST_GeomFromText('LINESTRING(113.985 33.585, 114.05 33.584, 114.10 33.586)', 4490)),
		('railway', '京广铁路', NULL, ST_GeomFromText('LINESTRING(114.012 33.62, 114.025 33.57, 114.028 33.50)', 4490)),
		('river', '沙河', NULL, ST_GeomFromText('LINESTRING(113.95 33.59, 114.02 33.583, 114.10 33.60)', 4490))`); err != nil {
		t.Fatal(err)
	}
	get := func(t *testing.T, path string) mvt.Layers {
		t.Helper()
		res := viewer.do(t, "GET", path, nil, "Accept-Encoding", "gzip")
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return decodeTile(t, res)
	}
	t.Run("provinces at z4", func(t *testing.T) {
		got := features(get(t, tileAt("provinces", luoheCentre, 4)), "provinces")
		for _, want := range []string{"MultiPolygon 河南省", "Point 河南省", "MultiPolygon 湖北省", "MultiPolygon 安徽省"} {
			if !slices.Contains(got, want) && !slices.Contains(got, strings.Replace(want, "MultiPolygon", "Polygon", 1)) {
				t.Fatalf("z4 over Luohe: no %q in %q", want, got)
			}
		}
	})
	t.Run("prefectures at z7", func(t *testing.T) {
		got := features(get(t, tileAt("prefectures", luoheCentre, 7)), "prefectures")
		for _, want := range []string{"Point 漯河市", "Point 许昌市", "Point 周口市", "Point 驻马店市", "Point 平顶山市"} {
			if !slices.Contains(got, want) {
				t.Fatalf("z7 over Luohe: no %q in %q", want, got)
			}
		}
	})
	t.Run("roads, railways, rivers and districts at z12", func(t *testing.T) {
		layers := get(t, tileAt("districts,transport", luoheCentre, 12))
		kinds := map[string]bool{}
		for _, l := range layers {
			for _, ft := range l.Features {
				if typ := ft.Geometry.GeoJSONType(); l.Name == "transport" && (typ == "LineString" || typ == "MultiLineString") {
					kinds[fmt.Sprint(ft.Properties["kind"])] = true
				}
			}
		}
		for _, k := range []string{"road", "railway", "river"} {
			if !kinds[k] {
				t.Fatalf("z12 over Luohe: no %s line among %v (%v)", k, slices.Sorted(maps.Keys(kinds)), features(layers, "transport"))
			}
		}
		if got := features(layers, "districts"); !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "Polygon") }) {
			t.Fatalf("z12 over Luohe: no district outline in %q", got)
		}
	})
}

// TestShareShowsBaseMapAndPark: a share link of a parcel, without its
// park, shows the base layers whole, and the park around the parcel as its
// outline and name only; the layers that are neither stay out of reach.
func TestShareShowsBaseMapAndPark(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	var created struct {
		URL string `json:"url"`
	}
	decodeJSON(t, inv.do(t, "POST", "/api/shares", map[string]any{
		"title": "地块考察", "parcel_ids": []int{1}, "fields": []string{"code", "park"}, "expires_in_days": 7,
	}), &created)
	path := strings.TrimPrefix(created.URL, f.ts.URL)
	firm := f.newClient(t)
	var info struct {
		Features []struct {
			Park string
			Lon  float64
			Lat  float64
		}
	}
	decodeJSON(t, firm.do(t, "GET", path+"/info", nil), &info)
	if len(info.Features) != 1 || info.Features[0].Park == "" {
		t.Fatalf("info %+v: want parcel 1 in a park", info)
	}
	parcel := orb.Point{info.Features[0].Lon, info.Features[0].Lat}
	res := firm.do(t, "GET", path+tileAt("provinces,districts,parks,parcels,transport", parcel, 13), nil)
	if res.StatusCode != 200 {
		t.Fatalf("share tile: %d", res.StatusCode)
	}
	layers := decodeTile(t, res)
	byLayer := map[string][]map[string]any{}
	for _, l := range layers {
		for _, ft := range l.Features {
			byLayer[l.Name] = append(byLayer[l.Name], ft.Properties)
		}
	}
	if ps := byLayer["parks"]; len(ps) != 1 || fmt.Sprint(ps[0]) != fmt.Sprintf("map[name:%s]", info.Features[0].Park) {
		t.Fatalf("parks in the share's tile: %v, want only the name %s", ps, info.Features[0].Park)
	}
	if len(byLayer["parcels"]) != 1 || len(byLayer["provinces"]) == 0 || len(byLayer["districts"]) == 0 {
		t.Fatalf("share tile layers: %v", slices.Sorted(maps.Keys(byLayer)))
	}
	for _, d := range byLayer["districts"] {
		if d["name"] == nil || d["code"] == nil {
			t.Fatalf("a district of the base map without its fields: %v", d)
		}
	}
	for _, l := range []string{"projects", "firms", "landuse", "enclaves"} {
		if res := firm.do(t, "GET", path+"/tiles/"+l+tileZ10, nil); res.StatusCode != 404 {
			t.Fatalf("share reaches %s: %d", l, res.StatusCode)
		}
	}
}
