package tiles

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// simplifier is Douglas–Peucker in place: vertices closer than a tolerance
// to the segment that would replace them go. It reuses its scratch space
// from geometry to geometry, so that a tile's thousands of rings cost no
// allocation.
//
// Polygons that share a border (zones of a plan, counties) keep sharing it:
// simplifying each ring on its own would drop different vertices of the
// border on each side and open slivers between neighbours. So a layer's
// geometries are first shown to learn, and settle finds the junctions: the
// vertices whose neighbours differ from one ring to another (where a
// shared border begins or ends). geometry, given the same geometries in the
// same order, then simplifies each ring piece by piece between its
// junctions, each piece in one direction whatever the ring's, so a border
// loses the same vertices in both zones. A ring with no junction (a zone
// that shares nothing, or an island and the hole it fills) is one piece
// from its least vertex.
type simplifier struct {
	tol2  float64 // the tolerance, squared
	keep  []bool
	stack [][2]int

	seen     []occurrence // every learnt vertex of every ring
	junction []bool       // after settle: whether each is a junction, in learning order
	next     int          // the first of junction that geometry has not used
	piece    []orb.Point
	ring     []orb.Point
	cuts     []int
}

// occurrence is a vertex as learn saw it in a ring: its cell, the cells of
// its two neighbours there (the lesser first), and its place in the
// learning order. Sorting occurrences by cell, rather than looking each up
// in a hash table, keeps learning a small part of a tile's encoding.
type occurrence struct {
	cell, a, b uint32
	at         int32
}

// cell is the tile-unit cell a vertex lies in, its x and y each in 16 bits
// (a tile and its buffer need 13). Vertices are told apart by their cells:
// two less than a unit apart may count as one, and so may their
// neighbours, which can only change where such near twins are cut.
func cell(p orb.Point) uint32 {
	return uint32(uint16(int(math.Floor(p[0]))+1<<15))<<16 | uint32(uint16(int(math.Floor(p[1]))+1<<15))
}

// newSimplifier returns a simplifier for a layer of about n vertices.
func newSimplifier(tolerance float64, n int) *simplifier {
	return &simplifier{tol2: tolerance * tolerance, seen: make([]occurrence, 0, n)}
}

// learn notes the vertices of g's rings.
func (s *simplifier) learn(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Polygon:
		s.learnPolygon(g)
	case orb.MultiPolygon:
		for _, p := range g {
			s.learnPolygon(p)
		}
	}
}

func (s *simplifier) learnPolygon(p orb.Polygon) {
	for _, r := range p {
		n := piecewise(r)
		if n == 0 {
			continue
		}
		prev, here := cell(r[n-1]), cell(r[0])
		for i := range n {
			next := cell(r[i+1])
			s.seen = append(s.seen, occurrence{cell: here, a: min(prev, next), b: max(prev, next), at: int32(len(s.seen))})
			prev, here = here, next
		}
	}
}

// piecewise returns the number of vertices of r that learn notes and
// closedRing cuts at: all but the closing one for a closed ring of at
// least three, none otherwise.
func piecewise(r orb.Ring) int {
	n := len(r) - 1
	if n < 3 || r[0] != r[n] {
		return 0
	}
	return n
}

// settle finds the junctions among the learnt vertices: it sorts them by
// cell (a radix sort, a byte at a time) and marks every vertex of a cell
// seen between different neighbours.
func (s *simplifier) settle() {
	occ, tmp := s.seen, make([]occurrence, len(s.seen))
	for shift := 0; shift < 32; shift += 8 {
		var count [257]int
		for _, o := range occ {
			count[o.cell>>shift&0xff+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, o := range occ {
			d := o.cell >> shift & 0xff
			tmp[count[d]] = o
			count[d]++
		}
		occ, tmp = tmp, occ
	}
	s.junction = make([]bool, len(occ))
	for i := 0; i < len(occ); {
		j, junction := i+1, false
		for ; j < len(occ) && occ[j].cell == occ[i].cell; j++ {
			junction = junction || occ[j].a != occ[i].a || occ[j].b != occ[i].b
		}
		if junction {
			for _, o := range occ[i:j] {
				s.junction[o.at] = true
			}
		}
		i = j
	}
}

// ringVertices counts the vertices of g's rings.
func ringVertices(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			n += len(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	return n
}

// less orders points by x, then y.
func less(p, q orb.Point) bool {
	return p[0] < q[0] || p[0] == q[0] && p[1] < q[1]
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

// polygon simplifies every ring of p, even after its exterior collapses:
// closedRing takes the rings in learning order.
func (s *simplifier) polygon(p orb.Polygon) orb.Polygon {
	out, collapsed := p[:0], false
	for i, r := range p {
		r = s.closedRing(r)
		if len(r) < 4 {
			collapsed = collapsed || i == 0
			continue
		}
		out = append(out, r)
	}
	if collapsed {
		return nil
	}
	return out
}

// closedRing simplifies the closed ring r in place, piece by piece between
// its junctions (see simplifier), and returns it closed again, from its
// first junction. Rings come in the order learn saw them.
func (s *simplifier) closedRing(r orb.Ring) orb.Ring {
	n := piecewise(r)
	if n == 0 {
		return orb.Ring(s.line(r))
	}
	junction := s.junction[s.next : s.next+n]
	s.next += n
	s.cuts = s.cuts[:0]
	least := 0
	for i, v := range r[:n] {
		if junction[i] {
			s.cuts = append(s.cuts, i)
		}
		if less(v, r[least]) {
			least = i
		}
	}
	if len(s.cuts) == 0 {
		s.cuts = append(s.cuts, least)
	}
	s.ring = s.ring[:0]
	for k, from := range s.cuts {
		to := s.cuts[(k+1)%len(s.cuts)]
		if to <= from {
			to += n
		}
		s.piece = s.piece[:0]
		for i := from; i <= to; i++ {
			s.piece = append(s.piece, r[i%n])
		}
		p := s.simplifyPiece()
		s.ring = append(s.ring, p[:len(p)-1]...)
	}
	s.ring = append(s.ring, s.ring[0])
	return append(r[:0], s.ring...)
}

// simplifyPiece simplifies s.piece in the same direction whichever ring
// it comes from: from its lesser end or, for a whole ring (both ends one
// junction), towards its lesser second vertex.
func (s *simplifier) simplifyPiece() []orb.Point {
	p := s.piece
	first, last := p[0], p[len(p)-1]
	rev := less(last, first) || first == last && less(p[len(p)-2], p[1])
	if rev {
		slices.Reverse(p)
	}
	p = s.line(p)
	if rev {
		slices.Reverse(p)
	}
	return p
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
