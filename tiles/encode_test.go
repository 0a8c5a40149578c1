package tiles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
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
		{ID: &id, Geometry: mid, Properties: map[string]any{"name": "漯河西站", "kind": "high_speed_station"}},
		// A site that crosses the tile's east edge: clipped at the buffer.
		{Geometry: orb.Polygon{{
			{mid[0], mid[1]}, {b.Max[0] + 0.01, mid[1]}, {b.Max[0] + 0.01, mid[1] + 0.002}, {mid[0], mid[1] + 0.002}, {mid[0], mid[1]},
		}}, Properties: map[string]any{"total_investment": 125000.5}},
		// A line with a redundant vertex: simplified away.
		{Geometry: orb.LineString{{b.Min[0], mid[1]}, {mid[0], mid[1]}, {b.Max[0], mid[1]}}, Properties: map[string]any{"kind": "railway"}},
		// A point far outside: dropped.
		{Geometry: orb.Point{116.4, 39.9}, Properties: map[string]any{"name": "北京"}},
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
