package frontend

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// The layer ids that the web app (src/map/layers.js, src/views/map/MapView.vue)
// and the browser tests (e2e/map.mjs, e2e/roles.mjs) look up in the style.
var usedLayers = []string{
	"projects-circle", "projects-site-fill", "districts-fill", "districts-line", "districts-label",
	"firms-circle", "transport-points", "parcels-fill", "enclaves-fill", "parks-fill", "controls-farmland-fill",
	"controls-eco-fill", "controls-urban-line", "controls-zones-fill", "landuse-fill", "transport-expressway",
	"transport-highway", "transport-rail", "transport-road", "transport-river", "transport-area",
}

func TestStyleTemplate(t *testing.T) {
	tmpl := Style()
	if bytes.Count(tmpl, []byte("{origin}")) != 4 {
		t.Errorf("style has %d {origin} placeholders, want 4 (glyphs and three tile URLs)", bytes.Count(tmpl, []byte("{origin}")))
	}
	var style struct {
		Version int    `json:"version"`
		Glyphs  string `json:"glyphs"`
		Sprite  any    `json:"sprite"`
		Sources map[string]struct {
			Type    string   `json:"type"`
			Tiles   []string `json:"tiles"`
			MinZoom int      `json:"minzoom"`
			MaxZoom int      `json:"maxzoom"`
		} `json:"sources"`
		Layers []struct {
			ID       string            `json:"id"`
			Source   string            `json:"source"`
			Metadata map[string]string `json:"metadata"`
		} `json:"layers"`
	}
	if err := json.Unmarshal(bytes.ReplaceAll(tmpl, []byte("{origin}"), []byte("http://localhost:8080")), &style); err != nil {
		t.Fatalf("style.json: %v", err)
	}
	if style.Version != 8 || style.Glyphs != "http://localhost:8080/fonts/{fontstack}/{range}.pbf" || style.Sprite != nil {
		t.Errorf("version %d glyphs %q sprite %v", style.Version, style.Glyphs, style.Sprite)
	}
	want := map[string]struct {
		url     string
		maxZoom int
	}{
		"onemap":   {"http://localhost:8080/tiles/landuse,controls,districts,parks,enclaves,parcels,transport,firms/{z}/{x}/{y}.mvt", 14},
		"projects": {"http://localhost:8080/tiles/projects/{z}/{x}/{y}.mvt", 14},
		"basemap":  {"http://localhost:8080/tiles/provinces,prefectures/{z}/{x}/{y}.mvt", 10},
	}
	for name, w := range want {
		s, ok := style.Sources[name]
		if !ok || s.Type != "vector" || len(s.Tiles) != 1 || s.Tiles[0] != w.url || s.MinZoom != 0 || s.MaxZoom != w.maxZoom {
			t.Errorf("source %s: %+v, want vector %s z0–%d", name, s, w.url, w.maxZoom)
		}
	}
	ids := map[string]bool{}
	for _, l := range style.Layers {
		if ids[l.ID] {
			t.Errorf("layer id %s twice", l.ID)
		}
		ids[l.ID] = true
		// The base map is always drawn, outside the layer switcher.
		if base := l.Source == "basemap"; l.ID != "background" && base == (l.Metadata["onemap:group"] != "") {
			t.Errorf("layer %s: onemap:group %q; every layer but the base map's has one, for the layer switcher", l.ID, l.Metadata["onemap:group"])
		}
	}
	for _, id := range usedLayers {
		if !ids[id] {
			t.Errorf("layer %s, used by the web app, missing from style.json", id)
		}
	}
	// A copy: callers may replace in place.
	Style()[0] = 'x'
	if Style()[0] != '{' {
		t.Error("Style returns the embedded bytes themselves")
	}
}

func TestDist(t *testing.T) {
	d, err := Dist()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(d, ".gitkeep"); err != nil {
		t.Errorf("dist/.gitkeep: %v", err)
	}
	b, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Skip("web app not built (npm run build): ", err)
	}
	if !bytes.Contains(b, []byte("/assets/")) || bytes.Contains(b, []byte("http://")) || bytes.Contains(b, []byte("https://")) {
		t.Errorf("index.html should load only local /assets/: %s", b)
	}
	var worker bool
	fs.WalkDir(d, "assets", func(p string, e fs.DirEntry, err error) error {
		if err == nil && strings.Contains(p, "maplibre-gl-worker") {
			worker = true
		}
		return nil
	})
	if !worker {
		t.Error("the MapLibre worker is not among the built assets")
	}
}
