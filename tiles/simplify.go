package tiles

import "github.com/paulmach/orb"

// simplifier is Douglas–Peucker in place: vertices closer than a tolerance
// to the segment that would replace them go. It reuses its scratch space
// from geometry to geometry, so that a tile's thousands of rings cost no
// allocation.
type simplifier struct {
	tol2  float64 // the tolerance, squared
	keep  []bool
	stack [][2]int
}

// geometry simplifies g in place and returns what is left: nil when a
// line or polygon collapses; rings keep at least four points (closed),
// and a polygon whose exterior collapses goes with its holes.
func (s *simplifier) geometry(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.LineString:
		if l := s.line(g); len(l) >= 2 {
			return orb.LineString(l)
		}
		return nil
	case orb.MultiLineString:
		out := g[:0]
		for _, l := range g {
			if l = s.line(l); len(l) >= 2 {
				out = append(out, l)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case orb.Polygon:
		if p := s.polygon(g); p != nil {
			return p
		}
		return nil
	case orb.MultiPolygon:
		out := g[:0]
		for _, p := range g {
			if p = s.polygon(p); p != nil {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return g
}

func (s *simplifier) polygon(p orb.Polygon) orb.Polygon {
	out := p[:0]
	for i, r := range p {
		r = orb.Ring(s.line(r))
		if len(r) < 4 {
			if i == 0 {
				return nil
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// line simplifies ps in place, keeping both ends.
func (s *simplifier) line(ps []orb.Point) []orb.Point {
	n := len(ps)
	if n <= 2 {
		return ps
	}
	s.keep = append(s.keep[:0], make([]bool, n)...)
	s.keep[0], s.keep[n-1] = true, true
	s.stack = append(s.stack[:0], [2]int{0, n - 1})
	for len(s.stack) > 0 {
		seg := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		a, b := ps[seg[0]], ps[seg[1]]
		far, farD := -1, s.tol2
		for i := seg[0] + 1; i < seg[1]; i++ {
			if d := distToSegment2(ps[i], a, b); d > farD {
				far, farD = i, d
			}
		}
		if far >= 0 {
			s.keep[far] = true
			s.stack = append(s.stack, [2]int{seg[0], far}, [2]int{far, seg[1]})
		}
	}
	out := ps[:0]
	for i, p := range ps {
		if s.keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// distToSegment2 is the squared distance from p to the segment ab.
func distToSegment2(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	px, py := p[0]-a[0], p[1]-a[1]
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t := (px*dx + py*dy) / l2
		switch {
		case t >= 1:
			px, py = p[0]-b[0], p[1]-b[1]
		case t > 0:
			px, py = px-t*dx, py-t*dy
		}
	}
	return px*px + py*py
}
