package tiles

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// cells returns unit squares at the given (x, y), as a grid query returns
// its runs.
func cells(xy ...[2]float64) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for _, c := range xy {
		mp = append(mp, orb.Polygon{orb.Bound{Min: orb.Point{c[0], c[1]}, Max: orb.Point{c[0] + 1, c[1] + 1}}.ToRing()})
	}
	return mp
}

// shape describes a dissolved multipolygon: per polygon, the corners of
// each ring, and whether the exterior turns counter-clockwise and the
// holes clockwise.
func shape(mp orb.MultiPolygon) (corners [][]int, oriented bool) {
	oriented = true
	for _, p := range mp {
		var cs []int
		for i, r := range p {
			cs = append(cs, len(r)-1)
			if (planar.Area(r) > 0) != (i == 0) {
				oriented = false
			}
		}
		corners = append(corners, cs)
	}
	return corners, oriented
}

func TestDissolveRectangles(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    orb.MultiPolygon
		rings [][]int // corners per ring, per polygon
	}{
		{"a row of cells is one rectangle", cells([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{2, 0}), [][]int{{4}}},
		{"an L", cells([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{0, 1}), [][]int{{6}}},
		{"a ring of cells has a hole", cells([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{2, 0}, [2]float64{0, 1}, [2]float64{2, 1},
			[2]float64{0, 2}, [2]float64{1, 2}, [2]float64{2, 2}), [][]int{{4, 4}}},
		{"cells touching at a corner stay apart", cells([2]float64{0, 0}, [2]float64{1, 1}), [][]int{{4}, {4}}},
		{"a ring open at a corner: the hole touches the outline", cells([2]float64{1, 0}, [2]float64{2, 0}, [2]float64{0, 1}, [2]float64{2, 1},
			[2]float64{0, 2}, [2]float64{1, 2}, [2]float64{2, 2}), [][]int{{6, 4}}},
		{"runs of different lengths", orb.MultiPolygon{
			{orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{5, 1}}.ToRing()},
			{orb.Bound{Min: orb.Point{5, 0}, Max: orb.Point{7, 1}}.ToRing()},
			{orb.Bound{Min: orb.Point{2, 1}, Max: orb.Point{4, 2}}.ToRing()},
		}, [][]int{{8}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := DissolveRectangles(c.in)
			got, oriented := shape(out)
			if !equalRings(got, c.rings) || !oriented {
				t.Fatalf("rings %v (oriented %v), want %v: %v", got, oriented, c.rings, out)
			}
			if a, b := planar.Area(out), planar.Area(c.in); a != b {
				t.Fatalf("area %v, want %v", a, b)
			}
		})
	}
	t.Run("anything but rectangles is left alone", func(t *testing.T) {
		tri := orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}, cells([2]float64{3, 3})[0]}
		overlap := orb.MultiPolygon{
			{orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{2, 1}}.ToRing()},
			{orb.Bound{Min: orb.Point{1, 0}, Max: orb.Point{3, 1}}.ToRing()},
		}
		for _, in := range []orb.MultiPolygon{tri, overlap} {
			if out := DissolveRectangles(in); !orb.Equal(out, in) {
				t.Fatalf("%v became %v", in, out)
			}
		}
	})
}

func equalRings(a, b [][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestDissolveRandomGrids dissolves random grids of row runs: the area is
// kept, rings are oriented, there is one polygon per group of cells joined
// edge to edge, and no corner lies inside a straight side.
func TestDissolveRandomGrids(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for range 300 {
		n := 2 + rng.IntN(14)
		on := make([][]bool, n)
		var mp orb.MultiPolygon
		for y := range n {
			on[y] = make([]bool, n)
			for x := range n {
				on[y][x] = rng.IntN(100) < 55
			}
			// Row runs, cut every 4 cells as the stored runs are.
			for x := 0; x < n; {
				if !on[y][x] {
					x++
					continue
				}
				x0 := x
				for x < n && on[y][x] && (x == x0 || x%4 != 0) {
					x++
				}
				mp = append(mp, orb.Polygon{orb.Bound{Min: orb.Point{float64(x0) * 0.25, float64(y) * 0.25},
					Max: orb.Point{float64(x) * 0.25, float64(y+1) * 0.25}}.ToRing()})
			}
		}
		if len(mp) < 2 {
			continue
		}
		out := DissolveRectangles(mp)
		if orb.Equal(out, mp) {
			t.Fatalf("grid %v not dissolved", on)
		}
		if a, b := planar.Area(out), planar.Area(mp); a != b {
			t.Fatalf("area %v, want %v: grid %v", a, b, on)
		}
		if _, oriented := shape(out); !oriented {
			t.Fatalf("rings not oriented: grid %v", on)
		}
		if len(out) != groups(on) {
			t.Fatalf("%d polygons, want %d: grid %v", len(out), groups(on), on)
		}
		for _, p := range out {
			for _, r := range p {
				for i := 1; i < len(r)-1; i++ {
					a, b, c := r[i-1], r[i], r[i+1]
					if (a[0] == b[0] && b[0] == c[0]) || (a[1] == b[1] && b[1] == c[1]) {
						t.Fatalf("a corner inside a side at %v: grid %v", b, on)
					}
				}
			}
		}
	}
}

// groups counts the groups of cells joined edge to edge.
func groups(on [][]bool) int {
	seen := make([][]bool, len(on))
	for y := range seen {
		seen[y] = make([]bool, len(on[y]))
	}
	var fill func(x, y int)
	fill = func(x, y int) {
		if y < 0 || y >= len(on) || x < 0 || x >= len(on[y]) || !on[y][x] || seen[y][x] {
			return
		}
		seen[y][x] = true
		fill(x+1, y)
		fill(x-1, y)
		fill(x, y+1)
		fill(x, y-1)
	}
	n := 0
	for y := range on {
		for x := range on[y] {
			if on[y][x] && !seen[y][x] {
				n++
				fill(x, y)
			}
		}
	}
	return n
}

// BenchmarkDissolve dissolves the runs of one class over a tile's grid of
// 128 × 128 cells, about 40% of them in blobs, cut every 32 cells.
func BenchmarkDissolve(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 128
	on := make([][]bool, n)
	for y := range on {
		on[y] = make([]bool, n)
		for x := range on[y] {
			on[y][x] = (x/9+y/7)%3 == 0 || rng.IntN(100) < 15
		}
	}
	var mp orb.MultiPolygon
	for y := range n {
		for x := 0; x < n; {
			if !on[y][x] {
				x++
				continue
			}
			x0 := x
			for x++; x < n && on[y][x] && x%32 != 0; x++ {
			}
			mp = append(mp, orb.Polygon{orb.Bound{Min: orb.Point{float64(x0) / 512, float64(y) / 512},
				Max: orb.Point{float64(x) / 512, float64(y+1) / 512}}.ToRing()})
		}
	}
	b.ReportMetric(float64(len(mp)), "runs")
	for b.Loop() {
		DissolveRectangles(mp)
	}
}
