package tiles

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/planar"
)

// decodeOne decodes a tile of one layer written by layerWriter.
func decodeOne(t *testing.T, w *layerWriter) *mvt.Layer {
	t.Helper()
	layers, err := mvt.Unmarshal(w.appendTo(nil, "test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != 1 || layers[0].Name != "test" || layers[0].Version != 2 || layers[0].Extent != Extent {
		t.Fatalf("decoded %+v", layers)
	}
	return layers[0]
}

func TestWriterWinding(t *testing.T) {
	// Exterior and hole both wound the wrong way for MVT (the exterior
	// with a negative area in tile coordinates, the hole positive).
	square := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	outer, hole := square(100, 100, 1000, 1000), square(300, 300, 600, 600)
	if planar.Area(outer) < 0 || planar.Area(hole) < 0 {
		t.Fatal("test rings should start with the same (positive) winding")
	}
	outer.Reverse()
	w := newLayerWriter()
	w.add(nil, orb.Polygon{outer, hole}, nil)
	l := decodeOne(t, w)
	if len(l.Features) != 1 {
		t.Fatalf("%d features", len(l.Features))
	}
	p, ok := l.Features[0].Geometry.(orb.Polygon)
	if !ok || len(p) != 2 {
		t.Fatalf("decoded %#v, want one polygon with a hole", l.Features[0].Geometry)
	}
	if planar.Area(p[0]) <= 0 || planar.Area(p[1]) >= 0 {
		t.Errorf("exterior area %v, hole area %v", planar.Area(p[0]), planar.Area(p[1]))
	}
	if got := planar.Area(p); got != 900*900-300*300 {
		t.Errorf("area %v", got)
	}
}

func TestWriterValuesAndOrder(t *testing.T) {
	props := func() map[string]any {
		return map[string]any{"name": "源汇区", "count": int64(42), "delta": int64(-7), "share": 0.25,
			"open": true, "closed": false, "list": []string{"not", "encodable"}}
	}
	encode := func() []byte {
		w := newLayerWriter()
		id := uint64(9)
		w.add(&id, orb.Point{10, 20}, propsOf(props()))
		w.add(nil, orb.LineString{{0, 0}, {0.2, 0.2}, {50, 50}}, propsOf(props()))
		return w.appendTo(nil, "test")
	}
	first := encode()
	for range 20 {
		if !bytes.Equal(encode(), first) {
			t.Fatal("the same features gave different bytes")
		}
	}
	layers, err := mvt.Unmarshal(first)
	if err != nil {
		t.Fatal(err)
	}
	fs := layers[0].Features
	if len(fs) != 2 || fs[0].ID != float64(9) || fs[1].ID != nil {
		t.Fatalf("features %v", fs)
	}
	want := map[string]any{"name": "源汇区", "count": float64(42), "delta": float64(-7), "share": 0.25, "open": true, "closed": false}
	for _, f := range fs {
		if len(f.Properties) != len(want) {
			t.Errorf("properties %v", f.Properties)
		}
		for k, v := range want {
			if f.Properties[k] != v {
				t.Errorf("%s = %#v, want %#v", k, f.Properties[k], v)
			}
		}
	}
	if ls, ok := fs[1].Geometry.(orb.LineString); !ok || len(ls) != 2 {
		t.Errorf("line %v: the vertex that rounds onto the first should be gone", fs[1].Geometry)
	}
}

func TestWriterDropsWhatRoundsAway(t *testing.T) {
	w := newLayerWriter()
	w.add(nil, orb.Polygon{{{5, 5}, {5.2, 5.1}, {5.1, 5.3}, {5, 5}}}, []Property{{"a", "b"}})
	w.add(nil, orb.LineString{{1, 1}, {1.3, 1.2}}, nil)
	w.add(nil, orb.MultiPoint{}, nil)
	if l := decodeOne(t, w); len(l.Features) != 0 {
		t.Errorf("kept %d features", len(l.Features))
	}
}

// propsOf turns a map into properties in the order of their keys.
func propsOf(m map[string]any) []Property {
	out := make([]Property, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Property{k, m[k]})
	}
	return out
}
