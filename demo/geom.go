package demo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Plane geometry for the generator: a local metric frame, ring helpers and
// polygon clipping (Greiner–Hormann) of simple rings. Coordinates are
// longitude/latitude degrees throughout; distances in metres go through a
// frame.

// frame maps metres east/north of an origin to degrees, accurate to well
// under a percent across Luohe.
type frame struct {
	origin orb.Point
	kx, ky float64 // metres per degree of longitude and latitude
}

func newFrame(origin orb.Point) frame {
	lat := origin[1] * math.Pi / 180
	return frame{
		origin: origin,
		kx:     111412.84*math.Cos(lat) - 93.5*math.Cos(3*lat),
		ky:     111132.92 - 559.82*math.Cos(2*lat) + 1.175*math.Cos(4*lat),
	}
}

// pt returns the point x metres east and y metres north of the origin.
func (f frame) pt(x, y float64) orb.Point {
	return orb.Point{f.origin[0] + x/f.kx, f.origin[1] + y/f.ky}
}

// xy returns p in metres east and north of the origin.
func (f frame) xy(p orb.Point) (x, y float64) {
	return (p[0] - f.origin[0]) * f.kx, (p[1] - f.origin[1]) * f.ky
}

// dist returns the distance in metres between a and b.
func (f frame) dist(a, b orb.Point) float64 {
	return math.Hypot((a[0]-b[0])*f.kx, (a[1]-b[1])*f.ky)
}

// rect returns the rectangle w × h metres centred at c, turned by deg
// degrees anticlockwise, as a closed counter-clockwise ring.
func rect(c orb.Point, w, h, deg float64) orb.Ring {
	f := newFrame(c)
	return quad(f, 0, 0, w, h, deg)
}

// quad returns the rectangle w × h metres centred at (cx, cy) of frame f,
// turned by deg degrees anticlockwise about the frame's origin.
func quad(f frame, cx, cy, w, h, deg float64) orb.Ring {
	s, c := math.Sincos(deg * math.Pi / 180)
	corner := func(dx, dy float64) orb.Point {
		x, y := cx+dx, cy+dy
		return f.pt(x*c-y*s, x*s+y*c)
	}
	return orb.Ring{corner(-w/2, -h/2), corner(w/2, -h/2), corner(w/2, h/2), corner(-w/2, h/2), corner(-w/2, -h/2)}
}

// signedArea returns the planar signed area of a closed ring in square
// degrees: positive when counter-clockwise.
func signedArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

// ccw returns r counter-clockwise (as a new ring when it must turn).
func ccw(r orb.Ring) orb.Ring {
	if signedArea(r) < 0 {
		r = slices.Clone(r)
		r.Reverse()
	}
	return r
}

// cw returns r clockwise, for holes.
func cw(r orb.Ring) orb.Ring {
	if signedArea(r) > 0 {
		r = slices.Clone(r)
		r.Reverse()
	}
	return r
}

// areaM2 returns the approximate area of a ring in m².
func areaM2(r orb.Ring) float64 {
	f := newFrame(r.Bound().Center())
	return math.Abs(signedArea(r)) * f.kx * f.ky
}

// centroid returns the centroid of a ring.
func centroid(r orb.Ring) orb.Point {
	c, _ := planar.CentroidArea(orb.Polygon{r})
	return c
}

// inside reports whether p lies inside the closed ring r.
func inside(r orb.Ring, p orb.Point) bool {
	in := false
	n := len(r) - 1
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// insideMulti reports whether p lies inside mp (holes excluded).
func insideMulti(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 || !inside(poly[0], p) {
			continue
		}
		hole := false
		for _, h := range poly[1:] {
			if inside(h, p) {
				hole = true
				break
			}
		}
		if !hole {
			return true
		}
	}
	return false
}

// interiorPoint returns a point inside the ring: its centroid when that is
// inside, else the middle of the widest horizontal chord through it.
func interiorPoint(r orb.Ring) orb.Point {
	c := centroid(r)
	if inside(r, c) {
		return c
	}
	var xs []float64
	n := len(r) - 1
	for i := range n {
		a, b := r[i], r[i+1]
		if (a[1] > c[1]) != (b[1] > c[1]) {
			xs = append(xs, a[0]+(c[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]))
		}
	}
	slices.Sort(xs)
	best, bx := -1.0, c[0]
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > best {
			best, bx = w, (xs[i]+xs[i+1])/2
		}
	}
	return orb.Point{bx, c[1]}
}

// starRing returns a closed counter-clockwise ring around c with n
// vertices, the i-th at angle 2πi/n and distance radius(θ) metres. A ring
// built this way is always simple.
func starRing(c orb.Point, n int, radius func(theta float64) float64) orb.Ring {
	f := newFrame(c)
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		t := 2 * math.Pi * float64(i) / float64(n)
		d := radius(t)
		r = append(r, f.pt(d*math.Cos(t), d*math.Sin(t)))
	}
	return append(r, r[0])
}

// band returns the closed ring of a corridor half metres to each side of
// the line: left bank forward, right bank back. Bends must be gentle
// compared with the width.
func band(line orb.LineString, half float64) orb.Ring {
	f := newFrame(line[0])
	n := len(line)
	left := make([]orb.Point, n)
	right := make([]orb.Point, n)
	for i := range n {
		// Normal: the mean of the normals of the segments at the vertex.
		var nx, ny float64
		for _, k := range []int{i - 1, i} {
			if k < 0 || k+1 >= n {
				continue
			}
			x0, y0 := f.xy(line[k])
			x1, y1 := f.xy(line[k+1])
			l := math.Hypot(x1-x0, y1-y0)
			nx += -(y1 - y0) / l
			ny += (x1 - x0) / l
		}
		l := math.Hypot(nx, ny)
		nx, ny = nx/l, ny/l
		// Stretch at bends so that the banks stay half away from the line.
		scale := 1.0
		if i > 0 && i+1 < n {
			x0, y0 := f.xy(line[i])
			x1, y1 := f.xy(line[i+1])
			sl := math.Hypot(x1-x0, y1-y0)
			cos := (-(y1-y0)/sl)*nx + ((x1-x0)/sl)*ny
			scale = 1 / math.Max(cos, 0.5)
		}
		x, y := f.xy(line[i])
		left[i] = f.pt(x+nx*half*scale, y+ny*half*scale)
		right[i] = f.pt(x-nx*half*scale, y-ny*half*scale)
	}
	left, right = untangle(left), untangle(right)
	r := make(orb.Ring, 0, len(left)+len(right)+1)
	r = append(r, right...)
	for i := len(left) - 1; i >= 0; i-- {
		r = append(r, left[i])
	}
	return ccw(append(r, r[0]))
}

// untangle removes the loops an offset line makes on the inside of bends
// tighter than the offset: where two segments cross, the part between
// them is cut out.
func untangle(pts []orb.Point) []orb.Point {
	for {
		cut := false
	search:
		for i := 0; i+1 < len(pts); i++ {
			for j := i + 2; j+1 < len(pts); j++ {
				p, _, _, ok, _ := segInter(pts[i], pts[i+1], pts[j], pts[j+1])
				if ok {
					pts = append(append(slices.Clone(pts[:i+1]), p), pts[j+1:]...)
					cut = true
					break search
				}
			}
		}
		if !cut {
			return pts
		}
	}
}

// The Greiner–Hormann clipping of two simple rings. Every intersection
// point is computed from the two segments in a canonical order, so that
// clipping two neighbouring cells against the same ring gives them the
// very same vertices on their shared edge.

type ghVertex struct {
	p          orb.Point
	next, prev *ghVertex
	neighbour  *ghVertex
	alpha      float64
	inter      bool
	entry      bool
	visited    bool
}

// nextOriginal is the next vertex of the ring as it was, past the
// intersections inserted since.
func (v *ghVertex) nextOriginal() *ghVertex {
	n := v.next
	for n.inter {
		n = n.next
	}
	return n
}

type ghOp int

const (
	opIntersect ghOp = iota
	opDifference
)

// errDegenerate marks rings that touch at a vertex or overlap along an
// edge: the clipping does not handle them.
type errDegenerate struct{ at orb.Point }

func (e errDegenerate) Error() string { return fmt.Sprintf("degenerate clipping at %v", e.at) }

func ghList(r orb.Ring) *ghVertex {
	var first, last *ghVertex
	for _, p := range r[:len(r)-1] {
		v := &ghVertex{p: p}
		if first == nil {
			first = v
		} else {
			last.next, v.prev = v, last
		}
		last = v
	}
	last.next, first.prev = first, last
	return first
}

// segInter intersects segments a1a2 and b1b2; ok is false when they do not
// cross strictly inside both. Touching or collinear overlap is reported
// as degenerate.
func segInter(a1, a2, b1, b2 orb.Point) (p orb.Point, ta, tb float64, ok bool, err error) {
	// Canonical order: the segment with the smaller first point is s, and
	// each segment runs from its smaller point.
	s1, s2, u1, u2 := a1, a2, b1, b2
	swapA := less(s2, s1)
	if swapA {
		s1, s2 = s2, s1
	}
	swapB := less(u2, u1)
	if swapB {
		u1, u2 = u2, u1
	}
	swapped := less(u1, s1) || u1 == s1 && less(u2, s2)
	if swapped {
		s1, s2, u1, u2 = u1, u2, s1, s2
	}
	dx, dy := s2[0]-s1[0], s2[1]-s1[1]
	ex, ey := u2[0]-u1[0], u2[1]-u1[1]
	den := dx*ey - dy*ex
	fx, fy := u1[0]-s1[0], u1[1]-s1[1]
	if den == 0 {
		if fx*dy-fy*dx == 0 && overlap1D(s1, s2, u1, u2) {
			return p, 0, 0, false, errDegenerate{s1}
		}
		return p, 0, 0, false, nil
	}
	t := (fx*ey - fy*ex) / den
	u := (fx*dy - fy*dx) / den
	if t < 0 || t > 1 || u < 0 || u > 1 {
		return p, 0, 0, false, nil
	}
	if t == 0 || t == 1 || u == 0 || u == 1 {
		return p, 0, 0, false, errDegenerate{orb.Point{s1[0] + t*dx, s1[1] + t*dy}}
	}
	p = orb.Point{s1[0] + t*dx, s1[1] + t*dy}
	if swapped {
		t, u = u, t
	}
	if swapA {
		t = 1 - t
	}
	if swapB {
		u = 1 - u
	}
	return p, t, u, true, nil
}

func segBound(a, b orb.Point) orb.Bound {
	return orb.Bound{Min: orb.Point{min(a[0], b[0]), min(a[1], b[1])}, Max: orb.Point{max(a[0], b[0]), max(a[1], b[1])}}
}

func less(a, b orb.Point) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func overlap1D(s1, s2, u1, u2 orb.Point) bool {
	// Both segments run from their smaller point: they overlap when
	// neither ends before the other starts.
	return !less(s2, u1) && !less(u2, s1)
}

func insertSorted(after *ghVertex, v *ghVertex) {
	cur := after
	for cur.next.inter && cur.next.alpha < v.alpha {
		cur = cur.next
	}
	v.next, v.prev = cur.next, cur
	cur.next.prev = v
	cur.next = v
}

// clip returns the polygons of subj ∩ clip (opIntersect) or subj − clip
// (opDifference). Both rings must be simple; the result rings are
// counter-clockwise. A difference can return a polygon with a hole when
// clip lies inside subj.
func clip(subj, clp orb.Ring, op ghOp) ([]orb.Polygon, error) {
	return clipBound(subj, clp, clp.Bound(), op)
}

// clipBound is clip with the bound of clp given, for large rings used
// many times.
func clipBound(subj, clp orb.Ring, cb orb.Bound, op ghOp) ([]orb.Polygon, error) {
	if len(subj) < 4 || len(clp) < 4 {
		return nil, nil
	}
	sb := subj.Bound()
	near := sb.Intersects(cb)
	if near {
		// No edge of clp near subj: the rings cannot cross.
		near = false
		for i := 0; i+1 < len(clp); i++ {
			if segBound(clp[i], clp[i+1]).Intersects(sb) {
				near = true
				break
			}
		}
	}
	if !near {
		sIn := sb.Intersects(cb) && inside(clp, subj[0])
		switch {
		case sIn == (op == opIntersect):
			return []orb.Polygon{{ccw(subj)}}, nil
		default:
			return nil, nil
		}
	}
	s, c := ghList(subj), ghList(clp)
	// Original vertices of both lists, to walk the original edges.
	var sv, cv []*ghVertex
	for v := s; ; v = v.next {
		sv = append(sv, v)
		if v.next == s {
			break
		}
	}
	for v := c; ; v = v.next {
		cv = append(cv, v)
		if v.next == c {
			break
		}
	}
	found := 0
	for _, a := range sv {
		a2 := a.nextOriginal()
		ab := segBound(a.p, a2.p)
		if !ab.Intersects(cb) {
			continue
		}
		for _, b := range cv {
			b2 := b.nextOriginal()
			bb := segBound(b.p, b2.p)
			if !ab.Intersects(bb) {
				continue
			}
			p, ta, tb, ok, err := segInter(a.p, a2.p, b.p, b2.p)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			vs := &ghVertex{p: p, alpha: ta, inter: true}
			vc := &ghVertex{p: p, alpha: tb, inter: true}
			vs.neighbour, vc.neighbour = vc, vs
			insertSorted(a, vs)
			insertSorted(b, vc)
			found++
		}
	}
	if found == 0 {
		sIn := inside(clp, subj[0])
		cIn := inside(subj, clp[0])
		switch {
		case op == opIntersect && sIn:
			return []orb.Polygon{{ccw(subj)}}, nil
		case op == opIntersect && cIn:
			return []orb.Polygon{{ccw(clp)}}, nil
		case op == opIntersect:
			return nil, nil
		case sIn:
			return nil, nil
		case cIn:
			return []orb.Polygon{{ccw(subj), cw(clp)}}, nil
		default:
			return []orb.Polygon{{ccw(subj)}}, nil
		}
	}
	// Entry flags: along subj, alternate from whether its first vertex is
	// inside clp (inverted for a difference); along clp likewise.
	in := inside(clp, s.p)
	if op == opDifference {
		in = !in
	}
	for v := s; ; v = v.next {
		if v.inter {
			v.entry = !in
			in = !in
		}
		if v.next == s {
			break
		}
	}
	in = inside(subj, c.p)
	for v := c; ; v = v.next {
		if v.inter {
			v.entry = !in
			in = !in
		}
		if v.next == c {
			break
		}
	}
	var out []orb.Polygon
	for start := s; ; start = start.next {
		if start.inter && !start.visited {
			var r orb.Ring
			cur := start
			r = append(r, cur.p)
			for {
				cur.visited, cur.neighbour.visited = true, true
				if cur.entry {
					for {
						cur = cur.next
						r = append(r, cur.p)
						if cur.inter {
							break
						}
					}
				} else {
					for {
						cur = cur.prev
						r = append(r, cur.p)
						if cur.inter {
							break
						}
					}
				}
				cur = cur.neighbour
				if cur.visited {
					break
				}
			}
			if r = dedupe(r); len(r) >= 4 && signedArea(r) != 0 {
				out = append(out, orb.Polygon{ccw(r)})
			}
		}
		if start.next == s {
			break
		}
	}
	return out, nil
}

// dedupe closes a traced ring and drops vertices that repeat the one
// before (within 1e-10°, a hundredth of a millimetre): two intersections
// computed from different edges can land on the same place.
func dedupe(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r)+1)
	same := func(a, b orb.Point) bool { return math.Abs(a[0]-b[0]) < 1e-10 && math.Abs(a[1]-b[1]) < 1e-10 }
	for _, p := range r {
		if len(out) > 0 && same(out[len(out)-1], p) {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && same(out[0], out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil
	}
	return append(out, out[0])
}

// clipAll clips every polygon of ps (outer rings only) by clp.
func clipAll(ps []orb.Polygon, clp orb.Ring, op ghOp) ([]orb.Polygon, error) {
	var out []orb.Polygon
	for _, p := range ps {
		if len(p) > 1 {
			return nil, fmt.Errorf("clipping a polygon with holes at %v", p[0][0])
		}
		r, err := clip(p[0], clp, op)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

// clipLine returns the parts of line inside the multipolygon mp.
func clipLine(line orb.LineString, mp orb.MultiPolygon) orb.MultiLineString {
	var out orb.MultiLineString
	var cur orb.LineString
	flush := func() {
		if len(cur) >= 2 {
			out = append(out, cur)
		}
		cur = nil
	}
	for i := 0; i+1 < len(line); i++ {
		a, b := line[i], line[i+1]
		ts := []float64{0, 1}
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					if _, t, _, ok, _ := segInter(a, b, r[k], r[k+1]); ok {
						ts = append(ts, t)
					}
				}
			}
		}
		slices.Sort(ts)
		for k := 0; k+1 < len(ts); k++ {
			t0, t1 := ts[k], ts[k+1]
			if t1-t0 < 1e-12 {
				continue
			}
			p0 := lerp(a, b, t0)
			p1 := lerp(a, b, t1)
			if insideMulti(mp, lerp(a, b, (t0+t1)/2)) {
				if len(cur) == 0 {
					cur = append(cur, p0)
				}
				cur = append(cur, p1)
			} else {
				flush()
			}
		}
	}
	flush()
	return out
}

func lerp(a, b orb.Point, t float64) orb.Point {
	return orb.Point{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t}
}

// nearestOnLine returns the point of line nearest to p.
func nearestOnLine(line orb.LineString, p orb.Point) orb.Point {
	f := newFrame(p)
	best, bd := line[0], math.Inf(1)
	for i := 0; i+1 < len(line); i++ {
		ax, ay := f.xy(line[i])
		bx, by := f.xy(line[i+1])
		dx, dy := bx-ax, by-ay
		t := -(ax*dx + ay*dy) / (dx*dx + dy*dy)
		t = math.Max(0, math.Min(1, t))
		x, y := ax+t*dx, ay+t*dy
		if d := math.Hypot(x, y); d < bd {
			bd, best = d, f.pt(x, y)
		}
	}
	return best
}

// distToLine returns the distance in metres from p to line.
func distToLine(line orb.LineString, p orb.Point) float64 {
	return newFrame(p).dist(p, nearestOnLine(line, p))
}
