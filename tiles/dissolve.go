package tiles

import (
	"slices"

	"github.com/paulmach/orb"
)

// DissolveRectangles returns the union of a multipolygon of axis-aligned
// rectangles that do not overlap and meet with equal coordinates (the
// cells or row runs of a grid): one polygon per group of rectangles joined
// edge to edge, outlined with a vertex at each corner only, with holes
// where a group encloses uncovered ground. Groups that touch only at a
// corner stay apart and rings touch there at most, so every polygon is
// valid. Anything but such rectangles comes back unchanged.
//
// The outline is walked on the grid of the rectangles' own coordinates:
// each row's covered intervals give the boundary edges (bottom and top
// where the neighbouring row does not cover, a side at each end), directed
// with the covered ground on their left, and linked into rings corner to
// corner (see pick for corners where cells touch diagonally).
func DissolveRectangles(mp orb.MultiPolygon) orb.MultiPolygon {
	xs, ys, rects, ok := gridOf(mp)
	if !ok || len(rects) < 2 {
		return mp
	}
	rows, ok := rowIntervals(rects, len(ys)-1)
	if !ok {
		return mp
	}
	comp := components(rows)
	edges := boundary(rows)
	polys, ok := trace(edges, len(xs), len(ys), comp)
	if !ok {
		return mp
	}
	out := make(orb.MultiPolygon, len(polys))
	for i, p := range polys {
		out[i] = make(orb.Polygon, len(p))
		for j, r := range p {
			ring := make(orb.Ring, len(r)+1)
			for k, v := range r {
				ring[k] = orb.Point{xs[v[0]], ys[v[1]]}
			}
			ring[len(r)] = ring[0]
			out[i][j] = ring
		}
	}
	return out
}

// cellRect is a rectangle in grid indices: columns [x0, x1), rows [y0, y1).
type cellRect struct{ x0, x1, y0, y1 int }

// gridOf finds the rectangles of mp and the sorted distinct x and y of
// their sides; ok is false if a polygon is not an axis-aligned rectangle.
func gridOf(mp orb.MultiPolygon) (xs, ys []float64, rects []cellRect, ok bool) {
	bounds := make([]orb.Bound, len(mp))
	for i, p := range mp {
		if len(p) != 1 || len(p[0]) != 5 || p[0][0] != p[0][4] {
			return nil, nil, nil, false
		}
		b := p[0].Bound()
		for _, q := range p[0] {
			if (q[0] != b.Min[0] && q[0] != b.Max[0]) || (q[1] != b.Min[1] && q[1] != b.Max[1]) {
				return nil, nil, nil, false
			}
		}
		if b.Min[0] == b.Max[0] || b.Min[1] == b.Max[1] {
			return nil, nil, nil, false
		}
		bounds[i] = b
		xs = append(xs, b.Min[0], b.Max[0])
		ys = append(ys, b.Min[1], b.Max[1])
	}
	slices.Sort(xs)
	slices.Sort(ys)
	xs, ys = slices.Compact(xs), slices.Compact(ys)
	index := func(vs []float64, v float64) int {
		i, _ := slices.BinarySearch(vs, v)
		return i
	}
	rects = make([]cellRect, len(bounds))
	for i, b := range bounds {
		rects[i] = cellRect{index(xs, b.Min[0]), index(xs, b.Max[0]), index(ys, b.Min[1]), index(ys, b.Max[1])}
	}
	return xs, ys, rects, true
}

// span is a covered interval [x0, x1) of a row, and its group.
type span struct{ x0, x1, id int }

// rowIntervals returns, per row, its covered intervals in order, abutting
// ones joined, each numbered for components; ok is false if two overlap.
func rowIntervals(rects []cellRect, nrows int) (rows [][]span, ok bool) {
	rows = make([][]span, nrows)
	for _, r := range rects {
		for y := r.y0; y < r.y1; y++ {
			rows[y] = append(rows[y], span{x0: r.x0, x1: r.x1})
		}
	}
	id := 0
	for y, row := range rows {
		slices.SortFunc(row, func(a, b span) int { return a.x0 - b.x0 })
		joined := row[:0]
		for _, s := range row {
			if n := len(joined); n > 0 && joined[n-1].x1 >= s.x0 {
				if joined[n-1].x1 > s.x0 {
					return nil, false
				}
				joined[n-1].x1 = s.x1
				continue
			}
			s.id = id
			id++
			joined = append(joined, s)
		}
		rows[y] = joined
	}
	return rows, true
}

// components joins the intervals that overlap the row above into groups:
// comp[id] is the group of interval id.
func components(rows [][]span) []int {
	n := 0
	for _, row := range rows {
		n += len(row)
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for y := 1; y < len(rows); y++ {
		a, b := rows[y-1], rows[y]
		for i, j := 0, 0; i < len(a) && j < len(b); {
			if a[i].x0 < b[j].x1 && b[j].x0 < a[i].x1 {
				ra, rb := find(a[i].id), find(b[j].id)
				parent[max(ra, rb)] = min(ra, rb)
			}
			if a[i].x1 < b[j].x1 {
				i++
			} else {
				j++
			}
		}
	}
	for i := range parent {
		parent[i] = find(i)
	}
	return parent
}

// Directions of boundary edges, counter-clockwise: a left turn adds one.
const (
	east = iota
	north
	west
	south
)

// edge is a boundary edge from (x0, y0) to (x1, y1) in grid indices, with
// the covered ground of interval id on its left.
type edge struct {
	x0, y0, x1, y1 int
	dir, id        int
}

// boundary returns the edges around the covered ground, row by row.
func boundary(rows [][]span) []edge {
	n := 0
	for _, row := range rows {
		n += len(row)
	}
	// Two sides per interval, and about as many tops and bottoms.
	edges := make([]edge, 0, 4*n)
	for y, row := range rows {
		var below, above []span
		if y > 0 {
			below = rows[y-1]
		}
		if y+1 < len(rows) {
			above = rows[y+1]
		}
		for _, s := range row {
			for _, g := range uncovered(s, below) {
				edges = append(edges, edge{g[0], y, g[1], y, east, s.id})
			}
			for _, g := range uncovered(s, above) {
				edges = append(edges, edge{g[1], y + 1, g[0], y + 1, west, s.id})
			}
			edges = append(edges, edge{s.x0, y + 1, s.x0, y, south, s.id}, edge{s.x1, y, s.x1, y + 1, north, s.id})
		}
	}
	return edges
}

// uncovered returns the parts of s that no interval of row covers.
func uncovered(s span, row []span) [][2]int {
	var out [][2]int
	x := s.x0
	for _, r := range row {
		if r.x1 <= x {
			continue
		}
		if r.x0 >= s.x1 {
			break
		}
		if r.x0 > x {
			out = append(out, [2]int{x, r.x0})
		}
		x = max(x, r.x1)
	}
	if x < s.x1 {
		out = append(out, [2]int{x, s.x1})
	}
	return out
}

// pick chooses the edge that follows cur among those leaving its end: the
// one edge, or where two cells touch only at that corner (two edges leave
// it) the one around the same cell if the two cells belong to different
// groups, which keeps the groups apart, and the other if they belong to
// one group, which parts its outline from the hole the corner closes.
// Either way every ring is simple. -1: none.
func pick(cur edge, first, second int, edges []edge, comp []int) int {
	if second < 0 {
		return first
	}
	turn := 3 // right: across the corner
	if comp[edges[first].id] != comp[cur.id] || comp[edges[second].id] != comp[cur.id] {
		turn = 1 // left: around the same cell
	}
	for _, n := range [2]int{first, second} {
		if edges[n].dir == (cur.dir+turn)%4 {
			return n
		}
	}
	return -1
}

// trace links the edges into rings (see pick) and groups them into
// polygons: per component its one counter-clockwise ring, then its
// clockwise holes. Rings are lists of corners in grid indices. ok is false
// if a ring crosses components or a component has other than one outer
// ring, which rectangles that do not overlap never give.
func trace(edges []edge, nx, ny int, comp []int) ([][][][2]int, bool) {
	// The edges leaving each corner: one, or two where cells touch
	// diagonally (the second in pinch); -1: none.
	key := func(x, y int) int { return x*ny + y }
	from, pinch := make([]int32, nx*ny), make([]int32, nx*ny)
	for i := range from {
		from[i], pinch[i] = -1, -1
	}
	for i, e := range edges {
		k := key(e.x0, e.y0)
		if from[k] < 0 {
			from[k] = int32(i)
		} else {
			pinch[k] = int32(i)
		}
	}
	used := make([]bool, len(edges))
	type ring struct {
		corners [][2]int
		comp    int
		outer   bool
	}
	var rings []ring
	for start := range edges {
		if used[start] {
			continue
		}
		r := ring{comp: comp[edges[start].id]}
		area := 0
		e := start
		for {
			used[e] = true
			cur := edges[e]
			if comp[cur.id] != r.comp {
				return nil, false
			}
			area += cur.x0*cur.y1 - cur.x1*cur.y0
			k := key(cur.x1, cur.y1)
			next := pick(cur, int(from[k]), int(pinch[k]), edges, comp)
			if next < 0 || (used[next] && next != start) {
				return nil, false
			}
			if edges[next].dir != cur.dir {
				r.corners = append(r.corners, [2]int{cur.x1, cur.y1})
			}
			if next == start {
				break
			}
			e = next
		}
		r.outer = area > 0
		rings = append(rings, r)
	}
	var polys [][][][2]int
	at := map[int]int{} // component → its polygon
	for _, r := range rings {
		if !r.outer {
			continue
		}
		if _, dup := at[r.comp]; dup {
			return nil, false
		}
		at[r.comp] = len(polys)
		polys = append(polys, [][][2]int{r.corners})
	}
	for _, r := range rings {
		if r.outer {
			continue
		}
		i, ok := at[r.comp]
		if !ok {
			return nil, false
		}
		polys[i] = append(polys[i], r.corners)
	}
	return polys, true
}
