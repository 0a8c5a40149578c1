package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

// gridSource answers every land-use query with one class's grid: two runs
// of cells side by side in the tile's middle.
type gridSource struct{}

func (gridSource) Features(_ context.Context, q Query) ([]Feature, error) {
	b := q.Address.Tile().Bound()
	w, h := (b.Max[0]-b.Min[0])/8, (b.Max[1]-b.Min[1])/8
	cx, cy := (b.Min[0]+b.Max[0])/2, (b.Min[1]+b.Max[1])/2
	run := func(x0, x1 float64) orb.Polygon {
		return orb.Polygon{orb.Ring{{x0, cy}, {x1, cy}, {x1, cy + h}, {x0, cy + h}, {x0, cy}}}
	}
	return []Feature{{Geometry: orb.MultiPolygon{run(cx-w, cx), run(cx, cx+w)},
		Properties: []Property{{Key: "code", Value: "1001"}}}}, nil
}

// TestGridDissolvedBelowItsZoom checks that the service, not the source,
// turns a generalised grid's runs into their outline below the layer's
// GridBelow, and leaves features alone from there on.
func TestGridDissolvedBelowItsZoom(t *testing.T) {
	cat := testCatalogue(t)
	svc := NewService(gridSource{}, nil)
	admin := geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleAdmin}}
	l, _ := cat.Layer("landuse")
	for _, tc := range []struct {
		z     string
		parts int
	}{{"10", 1}, {"12", 1}, {"13", 2}} {
		req, err := cat.ParseRequest(admin, "landuse", tc.z, "500", "300", nil)
		if err != nil {
			t.Fatal(err)
		}
		tile, err := svc.Tile(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		layers := DecodeTile(t, tile)
		if len(layers) != 1 || len(layers[0].Features) != 1 {
			t.Fatalf("z%s: %v", tc.z, layers)
		}
		var parts int
		switch g := layers[0].Features[0].Geometry.(type) {
		case orb.Polygon:
			parts = 1
		case orb.MultiPolygon:
			parts = len(g)
		}
		if parts != tc.parts {
			t.Errorf("z%s (grid below z%d): %d polygons, want %d", tc.z, l.GridBelow, parts, tc.parts)
		}
	}
}

// panicSource panics on the projects layer, as a source with a bug would,
// and answers the other layers with nothing after a while, or with the
// cancellation when the tile is given up before.
type panicSource struct{}

func (panicSource) Features(ctx context.Context, q Query) ([]Feature, error) {
	if q.Layer == "projects" {
		var fields []string
		_ = fields[q.Address.Z] // index out of range
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(100 * time.Millisecond):
		return nil, nil
	}
}

// TestSourcePanicIsAnError checks that a panic while a layer is built (in
// its own goroutine, out of reach of any handler's recover) comes back as
// an internal error carrying the panic and its stack for the log (not the
// cancellation of the other layer), and leaves the process and the
// service working.
func TestSourcePanicIsAnError(t *testing.T) {
	cat := testCatalogue(t)
	svc := NewService(panicSource{}, NewCache(1<<20))
	admin := geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleAdmin}}
	req, err := cat.ParseRequest(admin, "districts,projects", "10", "836", "410", nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, err := svc.Tile(t.Context(), req)
		if err == nil || geo.KindOf(err) != geo.KindInternal {
			t.Fatalf("got %v, want an internal error", err)
		}
		for _, want := range []string{"layer projects", "index out of range", "panicSource.Features", "service_test.go"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error without %q: %v", want, err)
			}
		}
	}
	req, err = cat.ParseRequest(admin, "districts", "10", "836", "410", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tile(t.Context(), req); err != nil {
		t.Fatalf("after the panic: %v", err)
	}
}

// DecodeTile unzips and decodes tile tl, for the tests of this package
// and of tiles_test.
func DecodeTile(t testing.TB, tl *Tile) mvt.Layers {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tl.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// versionSource answers every query with gridSource's grid, its class
// code the version of the data when the query began; a query waits for
// gate to close, after saying on began that it has begun.
type versionSource struct {
	version atomic.Int64
	began   chan struct{}
	gate    chan struct{}
}

func (s *versionSource) Features(ctx context.Context, q Query) ([]Feature, error) {
	v := s.version.Load()
	s.began <- struct{}{}
	<-s.gate
	fs, err := gridSource{}.Features(ctx, q)
	for i := range fs {
		fs[i].Properties = []Property{{Key: "code", Value: strconv.FormatInt(v, 10)}}
	}
	return fs, err
}

// TestNoTileFromBeforeAnInvalidation checks that a tile asked for after
// an invalidation is not the one a request from before it was still
// building (the data it read is older than the change).
func TestNoTileFromBeforeAnInvalidation(t *testing.T) {
	cat := testCatalogue(t)
	src := &versionSource{began: make(chan struct{}, 2), gate: make(chan struct{})}
	cache := NewCache(1 << 20)
	svc := NewService(src, cache)
	admin := geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleAdmin}}
	req, err := cat.ParseRequest(admin, "landuse", "13", "6770", "3283", nil)
	if err != nil {
		t.Fatal(err)
	}
	code := func(tl *Tile) string {
		layers := DecodeTile(t, tl)
		if len(layers) != 1 || len(layers[0].Features) == 0 {
			t.Fatalf("tile: %v", layers)
		}
		return layers[0].Features[0].Properties.MustString("code", "")
	}
	// ask asks for the tile, which comes on the channel answered.
	ask := func() chan *Tile {
		c := make(chan *Tile, 1)
		go func() {
			tl, err := svc.Tile(t.Context(), req)
			if err != nil {
				t.Error(err)
			}
			c <- tl
		}()
		return c
	}
	old := ask()
	<-src.began
	// The data changes and the change is announced while that tile is
	// being built; then the tile is asked for again.
	src.version.Store(1)
	cache.Invalidate(nil, nil)
	fresh := ask()
	select {
	case <-src.began:
	case <-time.After(2 * time.Second): // it joined the build from before
	}
	close(src.gate)
	if c := code(<-old); c != "0" {
		t.Fatalf("the tile asked for first: version %s", c)
	}
	if c := code(<-fresh); c != "1" {
		t.Fatalf("the tile asked for after the invalidation is version %s, want 1", c)
	}
	tl, err := svc.Tile(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if c := code(tl); c != "1" {
		t.Fatalf("the cached tile is version %s, want 1", c)
	}
}
