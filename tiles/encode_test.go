package tiles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestEncodeGolden encodes features around 漯河西站 into a z13 tile and
// compares the decoded tile (in tile coordinates) with a golden GeoJSON.
// (At zoom 14, the deepest, nothing is simplified.)
// On a mismatch the actual result is written next to the golden file.
func TestEncodeGolden(t *testing.T) {
	a := Address{Z: 13, X: 6687, Y: 3313}
	b := a.Tile().Bound()
	mid := b.Center()
	id := uint64(7)
	features := []Feature{
		{ID: &id, Geometry: mid, Properties: propsOf(map[string]any{"name": "漯河西站", "kind": "high_speed_station"})},
		// A site that crosses the tile's east edge: clipped at the buffer.
		{Geometry: orb.Polygon{{
			{mid[0], mid[1]}, {b.Max[0] + 0.01, mid[1]}, {b.Max[0] + 0.01, mid[1] + 0.002}, {mid[0], mid[1] + 0.002}, {mid[0], mid[1]},
		}}, Properties: propsOf(map[string]any{"total_investment": 125000.5})},
		// A line with a redundant vertex: simplified away.
		{Geometry: orb.LineString{{b.Min[0], mid[1]}, {mid[0], mid[1]}, {b.Max[0], mid[1]}}, Properties: propsOf(map[string]any{"kind": "railway"})},
		// A point far outside: dropped.
		{Geometry: orb.Point{116.4, 39.9}, Properties: propsOf(map[string]any{"name": "北京"})},
	}
	l := encodeLayer("test", a, features)
	raw, gz, err := marshalGzip([][]byte{l})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, raw) {
		t.Fatalf("gzip round trip failed: %v", err)
	}
	decoded, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	fc := geojson.NewFeatureCollection()
	fc.Features = decoded[0].Features
	got, err := json.MarshalIndent(fc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "encode_z13.geojson")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		actual := filepath.Join("testdata", "encode_z13.actual.geojson")
		_ = os.WriteFile(actual, got, 0o644)
		t.Fatalf("tile differs from %s; the actual tile is in %s", golden, actual)
	}
}

// BenchmarkEncodeLayer encodes a z13 tile of 4,000 twelve-sided land-use
// zones, about what the 1,000,000-polygon benchmark dataset puts there,
// with their tags. (Each round first copies the lon/lat rings back, since
// encoding projects them in place.)
func BenchmarkEncodeLayer(b *testing.B) {
	a := Address{Z: 13, X: 6687, Y: 3313}
	bd := a.Tile().Bound()
	rng := rand.New(rand.NewPCG(3, 4))
	var lonlat []orb.Ring
	var fs []Feature
	for i := range 4000 {
		cx := bd.Min[0] + (bd.Max[0]-bd.Min[0])*rng.Float64()
		cy := bd.Min[1] + (bd.Max[1]-bd.Min[1])*rng.Float64()
		r := 0.0003 + 0.0002*rng.Float64()
		ring := make(orb.Ring, 0, 13)
		for k := range 12 {
			t := 2 * math.Pi * float64(k) / 12
			ring = append(ring, orb.Point{cx + r*math.Cos(t), cy + r*math.Sin(t)*0.83})
		}
		ring = append(ring, ring[0])
		lonlat = append(lonlat, ring)
		id := uint64(i)
		code := fmt.Sprintf("%04d", 100+rng.IntN(40))
		fs = append(fs, Feature{ID: &id, Geometry: orb.Polygon{slices.Clone(ring)}, Properties: propsOf(map[string]any{
			"system": "gtkj2023", "code": code, "name": "类" + code, "level1": code[:2], "plan": "2021-2035"})})
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range fs {
			copy(f.Geometry.(orb.Polygon)[0], lonlat[i])
		}
		if len(encodeLayer("landuse", a, fs)) == 0 {
			b.Fatal("empty layer")
		}
	}
}
