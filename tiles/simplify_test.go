package tiles

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// The in-place simplifier keeps the same vertices as orb's Douglas–Peucker.
func TestSimplifierMatchesDouglasPeucker(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := newSimplifier(1, 0)
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
	square := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	sliver := orb.Ring{{2, 2}, {2.3, 2.1}, {2.1, 2.4}, {2, 2}}
	gs := []orb.Geometry{
		orb.Polygon{slices.Clone(sliver), slices.Clone(square)}, // a collapsed exterior, and a hole after it
		orb.Polygon{slices.Clone(square), slices.Clone(sliver)},
		orb.MultiPolygon{{slices.Clone(sliver)}, {slices.Clone(square)}},
		orb.Point{1, 2},
	}
	s := learnt(gs...)
	if g := s.geometry(gs[0]); g != nil {
		t.Errorf("a collapsed exterior gave %v", g)
	}
	p, ok := s.geometry(gs[1]).(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != 5 {
		t.Errorf("square with a collapsed hole gave %v", p)
	}
	mp, ok := s.geometry(gs[2]).(orb.MultiPolygon)
	if !ok || len(mp) != 1 || len(mp[0][0]) != 5 {
		t.Errorf("multipolygon gave %v", mp)
	}
	if g := s.geometry(gs[3]); g != (orb.Point{1, 2}) {
		t.Errorf("a point gave %v", g)
	}
	if s.next != len(s.junction) {
		t.Errorf("simplified %d learnt vertices of %d", s.next, len(s.junction))
	}
}

// learnt returns a simplifier with the tile tolerance that has learnt gs,
// to simplify them in that order.
func learnt(gs ...orb.Geometry) *simplifier {
	s := newSimplifier(Tolerance, 0)
	for _, g := range gs {
		s.learn(g)
	}
	s.settle()
	return s
}

// sharedBorder returns two zones in tile units: a long one, x from 0 to
// about 1000 and y from 0 to 2000, and a short one east of it, y from 600
// to 1400, sharing the middle of the long one's jagged east side (vertices
// 1 to 3.5 units off a straight line, all closer than the tolerance).
func sharedBorder() (long, short orb.Ring) {
	rng := rand.New(rand.NewPCG(7, 8))
	var side []orb.Point
	for y := 0.0; y <= 2000; y += 25 {
		off := 1 + 2.5*rng.Float64()
		if int(y/25)%2 == 0 {
			off = -off
		}
		side = append(side, orb.Point{1000 + off, y})
	}
	long = append(orb.Ring{{0, 0}}, side...)
	long = append(long, orb.Point{0, 2000}, orb.Point{0, 0})
	mid := side[24:57] // y from 600 to 1400
	short = orb.Ring{mid[0], {1800, 600}, {1800, 1400}}
	for i := len(mid) - 1; i >= 0; i-- {
		short = append(short, mid[i])
	}
	return long, short
}

// keptBetween returns the vertices of r with y strictly between y0 and y1
// and x near 1000: what is left of the shared border.
func keptBetween(r orb.Ring, y0, y1 float64) []orb.Point {
	var out []orb.Point
	for _, p := range r {
		if p[1] > y0 && p[1] < y1 && math.Abs(p[0]-1000) < 10 {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b orb.Point) int { return cmp.Compare(a[1], b[1]) })
	return slices.Compact(out)
}

// Zones that share a border lose the same vertices of it, so no sliver
// opens between them; simplifying each ring on its own would not.
func TestSimplifierKeepsSharedBorders(t *testing.T) {
	long, short := sharedBorder()
	if short[0] != short[len(short)-1] || len(keptBetween(short, 600, 1400)) != 31 {
		t.Fatalf("bad fixture %v", short)
	}
	simplified := func(learn bool) (l, s []orb.Point) {
		a, b := orb.Polygon{slices.Clone(long)}, orb.Polygon{slices.Clone(short)}
		// Without learning the borders: each zone on its own.
		sa, sb := learnt(a), learnt(b)
		if learn {
			sa = learnt(a, b)
			sb = sa
		}
		pa, _ := sa.geometry(a).(orb.Polygon)
		pb, _ := sb.geometry(b).(orb.Polygon)
		if len(pa) != 1 || len(pb) != 1 {
			t.Fatalf("a zone vanished: %v %v", pa, pb)
		}
		return keptBetween(pa[0], 600, 1400), keptBetween(pb[0], 600, 1400)
	}
	l, s := simplified(true)
	if !slices.Equal(l, s) {
		t.Errorf("the shared border differs:\nlong  %v\nshort %v", l, s)
	}
	if len(l) >= 31 {
		t.Errorf("the shared border kept all its %d vertices", len(l))
	}
	if l, s := simplified(false); slices.Equal(l, s) {
		t.Errorf("without learning the borders, the fixture gives equal borders too (%v): it tests nothing", l)
	}
}

// An island that fills a hole is simplified as the hole is.
func TestSimplifierKeepsIslandsInTheirHoles(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var hole orb.Ring
	for k := range 40 {
		a := 2 * math.Pi * float64(k) / 40
		r := 300 + 3*rng.Float64()
		hole = append(hole, orb.Point{1000 + r*math.Cos(a), 1000 + r*math.Sin(a)})
	}
	hole = append(hole, hole[0])
	island := slices.Clone(hole)
	slices.Reverse(island)
	outer := orb.Ring{{0, 0}, {2000, 0}, {2000, 2000}, {0, 2000}, {0, 0}}
	withHole, alone := orb.Polygon{outer, hole}, orb.Polygon{island}
	sp := learnt(withHole, alone)
	h := sp.geometry(withHole).(orb.Polygon)[1]
	i := sp.geometry(alone).(orb.Polygon)[0]
	less := func(a, b orb.Point) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }
	hs, is := slices.SortedFunc(slices.Values(h), less), slices.SortedFunc(slices.Values(i), less)
	if !slices.Equal(hs, is) || len(h) >= len(hole) {
		t.Errorf("hole %v\nisland %v", h, i)
	}
}

// A border whose two middle vertices are equally far from the line that
// would replace them keeps the same one of them on both sides: each side
// simplifies the border in the same direction.
func TestSimplifierBreaksTiesAlike(t *testing.T) {
	below := orb.Polygon{{{0, 0}, {10, 5}, {20, 5}, {30, 0}, {30, -100}, {0, -100}, {0, 0}}}
	above := orb.Polygon{{{30, 0}, {20, 5}, {10, 5}, {0, 0}, {0, 100}, {30, 100}, {30, 0}}}
	sp := learnt(below, above)
	b := sp.geometry(below).(orb.Polygon)[0]
	a := sp.geometry(above).(orb.Polygon)[0]
	middle := func(r orb.Ring) []orb.Point {
		return slices.DeleteFunc(slices.Clone(r[:len(r)-1]), func(p orb.Point) bool { return p[1] != 5 })
	}
	if mb, ma := middle(b), middle(a); len(mb) != 1 || !slices.Equal(mb, ma) {
		t.Errorf("the border keeps %v below and %v above", mb, ma)
	}
}
