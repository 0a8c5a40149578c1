package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// The in-place simplifier keeps the same vertices as orb's Douglas–Peucker.
func TestSimplifierMatchesDouglasPeucker(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := &simplifier{tol2: 1}
	for n := range 300 {
		var ls orb.LineString
		x, y := 0.0, 0.0
		for range 2 + n%40 {
			x, y = x+rng.Float64()*4, y+rng.NormFloat64()*1.5
			ls = append(ls, orb.Point{x, y})
		}
		want := simplify.DouglasPeucker(1).LineString(slices.Clone(ls))
		if got := s.line(slices.Clone(ls)); !slices.Equal(got, want) {
			t.Fatalf("line %v: got %v, want %v", ls, got, want)
		}
	}
}

func TestSimplifierDropsCollapsedParts(t *testing.T) {
	s := &simplifier{tol2: 1}
	square := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	sliver := orb.Ring{{2, 2}, {2.3, 2.1}, {2.1, 2.4}, {2, 2}}
	if g := s.geometry(orb.Polygon{slices.Clone(sliver)}); g != nil {
		t.Errorf("a collapsed exterior gave %v", g)
	}
	p, ok := s.geometry(orb.Polygon{slices.Clone(square), slices.Clone(sliver)}).(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != 5 {
		t.Errorf("square with a collapsed hole gave %v", p)
	}
	mp, ok := s.geometry(orb.MultiPolygon{{slices.Clone(sliver)}, {slices.Clone(square)}}).(orb.MultiPolygon)
	if !ok || len(mp) != 1 {
		t.Errorf("multipolygon gave %v", mp)
	}
	if g := s.geometry(orb.Point{1, 2}); g != (orb.Point{1, 2}) {
		t.Errorf("a point gave %v", g)
	}
}
