package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

// TestImports uploads files to POST /api/imports: refused ones answer 400
// with their reason; a GeoJSON file of control zones lists its fields,
// takes its mapping and runs to a report that GET /api/imports/:id shows.
func TestImports(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.users[geo.RoleLand]
	errCode := func(t *testing.T, res *http.Response, status int, code string) {
		t.Helper()
		if res.StatusCode != status {
			t.Fatalf("status %d, want %d", res.StatusCode, status)
		}
		if got := errorCode(t, res); got != code {
			t.Fatalf("code %s, want %s", got, code)
		}
	}
	var evil bytes.Buffer
	zw := zip.NewWriter(&evil)
	w, _ := zw.Create("../plan.shp")
	_, _ = w.Write([]byte("x"))
	_ = zw.Close()
	t.Run("refused", func(t *testing.T) {
		errCode(t, c.send(t, "POST", "/api/imports", "application/octet-stream", []byte("{}")), 400, "no_file_name")
		errCode(t, c.send(t, "POST", "/api/imports?name=plan.exe", "application/octet-stream", []byte("MZ")), 400, "unsupported_file")
		errCode(t, c.send(t, "POST", "/api/imports?name=plan.zip", "application/zip", evil.Bytes()), 400, "zip_path_escape")
		errCode(t, c.send(t, "POST", "/api/imports?name=plan.zip", "application/zip", []byte("PK not a zip")), 400, "bad_zip")
		errCode(t, c.send(t, "POST", "/api/imports?name=plan.geojson", "application/geo+json", []byte("<OGRVRTDataSource/>")), 400, "bad_dataset")
		errCode(t, c.send(t, "POST", "/api/imports?name=plan.geojson&srs=EPSG:3857", "application/geo+json", []byte("{}")), 400, "bad_srs")
	})
	doc := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"GZQ":"010","GH":"总规"},"geometry":{"type":"Polygon","coordinates":[[[114.0,33.6],[114.01,33.6],[114.01,33.61],[114.0,33.6]]]}},
		{"type":"Feature","properties":{"GZQ":"040","GH":"总规"},"geometry":{"type":"Polygon","coordinates":[[[114.02,33.6],[114.03,33.6],[114.03,33.61],[114.02,33.6]]]}}]}`
	res := c.send(t, "POST", "/api/imports?name=zones.geojson", "application/geo+json", []byte(doc))
	if res.StatusCode != 201 {
		t.Fatalf("upload %d: %s", res.StatusCode, errorCode(t, res))
	}
	var imp land.Import
	decodeJSON(t, res, &imp)
	if imp.Status != land.ImportUploaded || imp.Info.Count != 2 || len(imp.Info.Fields) != 2 {
		t.Fatalf("import %+v", imp)
	}
	path := "/api/imports/" + imp.ID.String()
	errCode(t, c.do(t, "POST", path+"/start", map[string]any{"layer": "control_zones", "map": map[string]string{"code": "DM"}}), 400, "unknown_field")
	errCode(t, c.do(t, "POST", path+"/start", map[string]any{"layer": "roads", "map": map[string]string{}}), 400, "bad_layer")
	if res := c.do(t, "POST", path+"/start", map[string]any{"layer": "control_zones", "map": map[string]string{"code": "GZQ", "plan": "GH"}}); res.StatusCode != 202 {
		t.Fatalf("start %d: %s", res.StatusCode, errorCode(t, res))
	}
	errCode(t, c.do(t, "POST", path+"/start", map[string]any{"layer": "control_zones", "map": map[string]string{"code": "GZQ"}}), 409, "import_started")
	deadline := time.Now().Add(time.Minute)
	for imp.Status != land.ImportDone && imp.Status != land.ImportFailed && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		res := c.do(t, "GET", path, nil)
		if err := json.NewDecoder(res.Body).Decode(&imp); err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
	}
	if imp.Status != land.ImportDone || imp.Report == nil || imp.Report.Imported != 2 || imp.CreatedBy == "" {
		t.Fatalf("import %+v, report %+v, error %+v", imp, imp.Report, imp.Error)
	}
	if res := f.users[geo.RoleViewer].do(t, "GET", path, nil); res.StatusCode != 403 {
		t.Errorf("a viewer reads an import: %d", res.StatusCode)
	}
}
