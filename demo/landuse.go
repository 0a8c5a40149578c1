package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// The land-use plan: a partition of the whole city into zones. A jittered
// grid of cells about 1.85 km across (the field and street pattern) is
// refined, quadtree fashion, down to about 230 m in town centres and 460 m
// around towns, parks, rivers and villages; every cell is cut by the
// county outlines, the parks (whose blocks and roads are zones of their
// own), the rivers' water and banks, the corridors of the roads and
// railways and the urban development boundaries. The pieces that no road,
// railway, river, county border or development boundary separates form a
// face of the plan (in towns, also cut into blocks of about 920 m by the
// local streets), and the classes follow the faces: a town's face mostly
// takes one class, drawn from where it lies, and the fields of a face of
// countryside are mostly irrigated or mostly dry. The pieces tile the city
// without overlaps.

// Grid of the plan.
const (
	gridLon0, gridLat0 = 113.44, 33.39
	gridDX, gridDY     = 0.020, 0.016
	gridNX, gridNY     = 43, 38
	gridSub            = 8 // lattice points per base cell side
)

// zonePiece is a zone of the plan while the generator builds it.
type zonePiece struct {
	ring    orb.Ring
	code    string
	system  string
	county  geo.ID
	urban   int    // index of the urban area holding it; -1: countryside
	water   bool   // a river's water
	bank    bool   // a river's protected banks
	road    string // the class of the road's or railway's corridor it lies in
	park    bool   // a park's block or road
	village bool
	plain   bool // most of a grid cell, convex, usable as a project site
	used    bool // a project's site
	centre  orb.Point
	lf      leaf // the cell it was cut from
	// district is the district the zone counts for (function zones
	// first); set for plain zones only.
	district geo.ID
}

// lattice holds the jittered grid's corners.
type lattice struct {
	corner [][]orb.Point // [i][j], i ≤ gridNX, j ≤ gridNY
}

func newLattice() *lattice {
	r := rng(streamGrid)
	l := &lattice{corner: make([][]orb.Point, gridNX+1)}
	for i := range l.corner {
		l.corner[i] = make([]orb.Point, gridNY+1)
		for j := range l.corner[i] {
			jx := between(r, -0.18, 0.18) * gridDX
			jy := between(r, -0.18, 0.18) * gridDY
			l.corner[i][j] = orb.Point{gridLon0 + float64(i)*gridDX + jx, gridLat0 + float64(j)*gridDY + jy}
		}
	}
	return l
}

// at returns the position of fine lattice point (I, J): bilinear within
// its base cell, so that a point on a base cell's edge depends only on
// that edge's corners.
func (l *lattice) at(I, J int) orb.Point {
	i, j := min(I/gridSub, gridNX-1), min(J/gridSub, gridNY-1)
	u := float64(I-i*gridSub) / gridSub
	v := float64(J-j*gridSub) / gridSub
	a, b, c, d := l.corner[i][j], l.corner[i+1][j], l.corner[i+1][j+1], l.corner[i][j+1]
	switch {
	case v == 0:
		return lerp(a, b, u)
	case v == 1:
		return lerp(d, c, u)
	case u == 0:
		return lerp(a, d, v)
	case u == 1:
		return lerp(b, c, v)
	}
	p := lerp(lerp(a, b, u), lerp(d, c, u), v)
	return p
}

// leaf is a cell of the refined grid in fine lattice units.
type leaf struct{ I, J, size int }

func (b *builder) buildLanduse() error {
	l := newLattice()
	villages := b.placeVillages()
	var leaves []leaf
	for j := range gridNY {
		for i := range gridNX {
			b.refine(l, leaf{i * gridSub, j * gridSub, gridSub}, villages, &leaves)
		}
	}
	corners := map[[2]int]bool{}
	for _, lf := range leaves {
		corners[[2]int{lf.I, lf.J}] = true
		corners[[2]int{lf.I + lf.size, lf.J}] = true
		corners[[2]int{lf.I + lf.size, lf.J + lf.size}] = true
		corners[[2]int{lf.I, lf.J + lf.size}] = true
	}
	b.villages = villages
	if err := b.townStreets(l); err != nil {
		return err
	}
	for _, lf := range leaves {
		ring := leafRing(l, lf, corners)
		if err := b.cutLeaf(ring, lf, villages); err != nil {
			return fmt.Errorf("cell %v: %w", lf, err)
		}
	}
	b.parkZones()
	for _, z := range b.zones {
		z.centre = interiorPoint(z.ring)
		if z.plain {
			z.district = b.districtAt(z.centre)
		}
	}
	b.classifyZones()
	return nil
}

// townStreets lays the towns' local streets along the lattice lines
// between their blocks, as corridors of 城镇村道路用地 inside the urban
// development boundaries.
func (b *builder) townStreets(l *lattice) error {
	var lines []orb.LineString
	for I := 0; I <= gridNX*gridSub; I += townBlock {
		var line orb.LineString
		for j := 0; j <= gridNY; j++ {
			line = append(line, l.at(I, j*gridSub))
		}
		lines = append(lines, line)
	}
	for J := 0; J <= gridNY*gridSub; J += townBlock {
		var line orb.LineString
		for i := 0; i <= gridNX; i++ {
			line = append(line, l.at(i*gridSub, J))
		}
		lines = append(lines, line)
	}
	for _, u := range b.urban {
		for _, line := range lines {
			if !line.Bound().Intersects(u.bound) {
				continue
			}
			for _, part := range clipLine(line, orb.MultiPolygon{{u.ring}}) {
				f := newFrame(part[0])
				var length float64
				for i := 0; i+1 < len(part); i++ {
					length += f.dist(part[i], part[i+1])
				}
				if length < 400 {
					continue
				}
				// The streets end short of the boundary, which the
				// clipping then never meets at a street's end.
				part = subLine(part, alongLine(part, 60/length), alongLine(part, 1-60/length))
				ring := band(part, townStreet)
				if !simpleRing(ring) {
					return fmt.Errorf("a street of %s crosses itself", u.name)
				}
				b.corridors = append(b.corridors, corridor{name: u.name + "街道", code: "1207", ring: ring, bound: ring.Bound(), local: true})
			}
		}
	}
	return nil
}

// townStreet is half the width of a town's local street, in metres.
const townStreet = 12.0

// leafRing returns the ring of a leaf with every lattice point on its
// sides that is a corner of a neighbouring leaf, so that the zones' edges
// meet vertex to vertex.
func leafRing(l *lattice, lf leaf, corners map[[2]int]bool) orb.Ring {
	var r orb.Ring
	side := func(I0, J0, dI, dJ int) {
		for k := range lf.size {
			I, J := I0+k*dI, J0+k*dJ
			if k == 0 || corners[[2]int{I, J}] {
				r = append(r, l.at(I, J))
			}
		}
	}
	s := lf.size
	side(lf.I, lf.J, 1, 0)
	side(lf.I+s, lf.J, 0, 1)
	side(lf.I+s, lf.J+s, -1, 0)
	side(lf.I, lf.J+s, 0, -1)
	return append(r, r[0])
}

// refine splits a cell down to the size its surroundings call for and
// appends the leaves that touch the city.
func (b *builder) refine(l *lattice, lf leaf, villages []orb.Point, out *[]leaf) {
	ring := orb.Ring{l.at(lf.I, lf.J), l.at(lf.I+lf.size, lf.J), l.at(lf.I+lf.size, lf.J+lf.size), l.at(lf.I, lf.J+lf.size)}
	ring = append(ring, ring[0])
	bound := ring.Bound()
	if !bound.Intersects(b.cityBound) {
		return
	}
	touches := false
	for _, c := range b.counties {
		for _, cb := range c.bounds {
			if cb.Intersects(bound) {
				touches = true
			}
		}
	}
	if !touches {
		return
	}
	if lf.size > b.wantSize(bound, villages) {
		h := lf.size / 2
		for _, q := range []leaf{{lf.I, lf.J, h}, {lf.I + h, lf.J, h}, {lf.I, lf.J + h, h}, {lf.I + h, lf.J + h, h}} {
			b.refine(l, q, villages, out)
		}
		return
	}
	*out = append(*out, lf)
}

// wantSize returns the cell size (in lattice units) wanted over bound:
// about 230 m in town centres and by stations, 460 m in towns, by parks
// and at villages, 925 m along rivers, 1.85 km in the countryside.
func (b *builder) wantSize(bound orb.Bound, villages []orb.Point) int {
	c := bound.Center()
	f := newFrame(c)
	diag := f.dist(bound.Min, bound.Max) / 2
	for i, u := range b.urban {
		core := 1300.0
		if i == 0 {
			core = 2200
		}
		for _, p := range u.cores {
			if f.dist(c, p) < core+diag {
				return 1
			}
		}
	}
	for _, name := range []string{"漯河站", "漯河西站", "临颍站", "漯河东站", "漯河港"} {
		if f.dist(c, b.point(name)) < 400+diag {
			return 1
		}
	}
	grown := bound.Pad(0.003)
	for _, u := range b.urban {
		if u.bound.Intersects(grown) && ringsMeet(boundRing(grown), u.ring) {
			return 2
		}
	}
	for _, p := range b.parks {
		if p.bound.Intersects(grown) {
			return 2
		}
	}
	for _, v := range villages {
		if bound.Contains(v) {
			return 2
		}
	}
	for _, rv := range b.rivers {
		if rv.riparianB.Intersects(bound) && ringsMeet(boundRing(bound), rv.riparian) {
			return 4
		}
	}
	return 8
}

func boundRing(b orb.Bound) orb.Ring {
	return orb.Ring{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min}
}

// placeVillages scatters villages over the countryside, at least 2 km
// apart and clear of towns, parks and rivers.
func (b *builder) placeVillages() []orb.Point {
	r := rng(streamVillages)
	var vs []orb.Point
	bound := b.cityBound
	for range 6000 {
		p := orb.Point{between(r, bound.Min[0], bound.Max[0]), between(r, bound.Min[1], bound.Max[1])}
		if !b.inCity(p) || b.urbanAt(p) >= 0 {
			continue
		}
		f := newFrame(p)
		ok := true
		for _, v := range vs {
			if f.dist(p, v) < 2000 {
				ok = false
				break
			}
		}
		for _, pk := range b.parks {
			if !ok || f.dist(p, pk.centre) < 2500 {
				ok = false
				break
			}
		}
		for _, u := range b.urban {
			if !ok || u.bound.Pad(0.01).Contains(p) && distToLine(orb.LineString(u.ring), p) < 600 {
				ok = false
				break
			}
		}
		for _, rv := range b.rivers {
			if !ok || rv.riparianB.Pad(0.012).Contains(p) && distToLine(rv.line, p) < 1000 {
				ok = false
				break
			}
		}
		if ok {
			vs = append(vs, p)
		}
	}
	return vs
}

// piece is part of a cell during the cutting.
type piece struct {
	ring   orb.Ring
	county geo.ID
	water  bool
	bank   bool
	road   string
}

// crosses reports whether an edge of r comes near bound.
func crosses(r orb.Ring, bound orb.Bound) bool {
	for i := 0; i+1 < len(r); i++ {
		if segBound(r[i], r[i+1]).Intersects(bound) {
			return true
		}
	}
	return false
}

// cutLeaf cuts one cell into zone pieces and keeps them.
func (b *builder) cutLeaf(ring orb.Ring, lf leaf, villages []orb.Point) error {
	var pieces []piece
	bound := ring.Bound()
	for ci, c := range b.counties {
		for k, poly := range c.geom {
			if !c.bounds[k].Intersects(bound) {
				continue
			}
			if !crosses(poly[0], bound) {
				switch {
				case inside(poly[0], ring[0]):
					pieces = append(pieces, piece{ring: ring, county: geo.ID(ci + 1)})
				case inside(ring, poly[0][0]):
					pieces = append(pieces, piece{ring: poly[0], county: geo.ID(ci + 1)})
				}
				continue
			}
			ps, err := clipBound(ring, poly[0], c.bounds[k], opIntersect)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			for _, p := range ps {
				pieces = append(pieces, piece{ring: p[0], county: geo.ID(ci + 1)})
			}
		}
	}
	// Parks are zoned by their blocks and roads.
	for _, pk := range b.parks {
		if !pk.bound.Intersects(bound) {
			continue
		}
		var next []piece
		for _, p := range pieces {
			ps, err := clipBound(p.ring, pk.ring, pk.bound, opDifference)
			if err != nil {
				return fmt.Errorf("%s: %w", pk.name, err)
			}
			for _, q := range ps {
				if len(q) > 1 {
					return fmt.Errorf("park %s lies inside one cell", pk.name)
				}
				next = append(next, piece{ring: q[0], county: p.county})
			}
		}
		pieces = next
	}
	// Water first, then the banks, river by river, then the corridors of
	// the roads and railways, which cross the banks but bridge the water.
	split := func(pieces []piece, clp orb.Ring, cb orb.Bound, skip func(piece) bool, mark func(*piece)) ([]piece, error) {
		if !cb.Intersects(bound) {
			return pieces, nil
		}
		var next []piece
		for _, p := range pieces {
			if skip(p) {
				next = append(next, p)
				continue
			}
			in, err := clipBound(p.ring, clp, cb, opIntersect)
			if err != nil {
				return nil, err
			}
			outs, err := clipBound(p.ring, clp, cb, opDifference)
			if err != nil {
				return nil, err
			}
			for _, q := range in {
				np := p
				np.ring = q[0]
				mark(&np)
				next = append(next, np)
			}
			for _, q := range outs {
				if len(q) > 1 {
					return nil, fmt.Errorf("a corridor lies inside one cell")
				}
				np := p
				np.ring = q[0]
				next = append(next, np)
			}
		}
		return next, nil
	}
	var err error
	river := func(p piece) bool { return p.water || p.bank }
	road := func(p piece) bool { return p.water || p.road != "" }
	street := func(p piece) bool { return p.water || p.bank || p.road != "" }
	for _, rv := range b.rivers {
		if pieces, err = split(pieces, rv.water, rv.waterB, river, func(p *piece) { p.water = true }); err != nil {
			return fmt.Errorf("%s: %w", rv.name, err)
		}
	}
	for _, rv := range b.rivers {
		if pieces, err = split(pieces, rv.riparian, rv.riparianB, river, func(p *piece) { p.bank = true }); err != nil {
			return fmt.Errorf("banks of the %s: %w", rv.name, err)
		}
	}
	for _, c := range b.corridors {
		skip := road
		if c.local {
			skip = street // a town's streets stop at the banks
		}
		if pieces, err = split(pieces, c.ring, c.bound, skip, func(p *piece) { p.road, p.bank = c.code, false }); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	// Urban development boundaries.
	for _, p := range pieces {
		rest := []orb.Ring{p.ring}
		for ui, u := range b.urban {
			if !u.bound.Intersects(p.ring.Bound()) {
				continue
			}
			var next []orb.Ring
			for _, q := range rest {
				in, err := clipBound(q, u.ring, u.bound, opIntersect)
				if err != nil {
					return fmt.Errorf("%s: %w", u.name, err)
				}
				for _, x := range in {
					b.addPiece(&zonePiece{ring: x[0], county: p.county, urban: ui, water: p.water, bank: p.bank, road: p.road}, lf, ring, villages)
				}
				outs, err := clipBound(q, u.ring, u.bound, opDifference)
				if err != nil {
					return fmt.Errorf("%s: %w", u.name, err)
				}
				for _, x := range outs {
					if len(x) > 1 {
						return fmt.Errorf("%s lies inside one cell", u.name)
					}
					next = append(next, x[0])
				}
			}
			rest = next
		}
		for _, q := range rest {
			b.addPiece(&zonePiece{ring: q, county: p.county, urban: -1, water: p.water, bank: p.bank, road: p.road}, lf, ring, villages)
		}
	}
	return nil
}

// minPiece is the smallest zone kept, in m²: slivers are dropped.
const minPiece = 20.0

// addPiece keeps a piece; whole is the ring of the cell it was cut from.
func (b *builder) addPiece(z *zonePiece, lf leaf, whole orb.Ring, villages []orb.Point) {
	if areaM2(z.ring) < minPiece {
		return
	}
	z.lf = lf
	z.plain = z.open() && areaM2(z.ring) >= 0.8*areaM2(whole) && convex(z.ring)
	if z.urban < 0 && !z.water && !z.bank && z.road == "" && lf.size <= 2 {
		zb := z.ring.Bound()
		for _, v := range villages {
			if zb.Contains(v) && inside(z.ring, v) {
				z.village = true
				break
			}
		}
	}
	z.system = land.SystemGTKJ2023
	b.zones = append(b.zones, z)
}

// convex reports whether a counter-clockwise ring turns left, or goes
// straight on, at every vertex.
func convex(r orb.Ring) bool {
	n := len(r) - 1
	for i := range n {
		a, c, d := r[i], r[(i+1)%n], r[(i+2)%n]
		if (c[0]-a[0])*(d[1]-c[1])-(c[1]-a[1])*(d[0]-c[0]) < 0 {
			return false
		}
	}
	return true
}

// townBlock is the size of a town's block between local streets, in fine
// lattice units (about 920 m).
const townBlock = 4

// open reports whether a zone belongs to a face of the plan: it is not a
// park's, nor water, banks or a corridor.
func (z *zonePiece) open() bool { return !z.park && !z.water && !z.bank && z.road == "" }

// faces returns for every zone the index of the first zone of its face
// (-1 for the zones that are no face's), and the area-weighted centre of
// every face by that index. Two zones are of one face when they share a
// vertex and lie in the same county, on the same side of the development
// boundaries and, in towns, in the same block; roads, railways and rivers
// are corridors of their own, so the zones on their two sides share none.
func (b *builder) faces() ([]int, map[int]orb.Point) {
	parent := make([]int, len(b.zones))
	for i := range parent {
		parent[i] = -1
		if b.zones[i].open() {
			parent[i] = i
		}
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type key struct {
		x, y          int64
		county        geo.ID
		urban, bi, bj int
	}
	seen := map[key]int{}
	for i, z := range b.zones {
		if parent[i] < 0 {
			continue
		}
		bi, bj := -1, -1
		if z.urban >= 0 {
			bi, bj = z.lf.I/townBlock, z.lf.J/townBlock
		}
		for _, p := range z.ring[:len(z.ring)-1] {
			k := key{int64(math.Round(p[0] * 1e8)), int64(math.Round(p[1] * 1e8)), z.county, z.urban, bi, bj}
			j, ok := seen[k]
			if !ok {
				seen[k] = i
				continue
			}
			if a, c := find(i), find(j); a != c {
				parent[max(a, c)] = min(a, c)
			}
		}
	}
	type sum struct{ x, y, w float64 }
	sums := map[int]*sum{}
	for i, z := range b.zones {
		if parent[i] < 0 {
			continue
		}
		parent[i] = find(i)
		s := sums[parent[i]]
		if s == nil {
			s = &sum{}
			sums[parent[i]] = s
		}
		a := areaM2(z.ring)
		s.x += a * z.centre[0]
		s.y += a * z.centre[1]
		s.w += a
	}
	centres := make(map[int]orb.Point, len(sums))
	for k, s := range sums {
		centres[k] = orb.Point{s.x / s.w, s.y / s.w}
	}
	return parent, centres
}

// faceClass is what a face of the plan sets for its zones.
type faceClass struct {
	code      string  // a town's face: its main class
	irrigated float64 // countryside: the share of 水浇地 among the fields
}

// classifyZones gives every zone that is not a park's its 用地用海 class:
// corridors the class of their road or railway, water 1701, and the others
// a class drawn from their face and from where they lie.
func (b *builder) classifyZones() {
	face, centres := b.faces()
	r := rng(streamLanduse)
	fr := rng(streamFaces)
	classes := map[int]faceClass{}
	for i, z := range b.zones {
		switch {
		case z.park:
			continue
		case z.water:
			z.code = "1701"
			continue
		case z.road != "":
			z.code = z.road
			continue
		}
		fc := faceClass{irrigated: 0.5}
		if f := face[i]; f >= 0 {
			var ok bool
			if fc, ok = classes[f]; !ok {
				// The fields between two roads are mostly irrigated or
				// mostly dry.
				fc = faceClass{irrigated: pick(fr, []float64{0.1, 0.85, 0.9})}
				if z.urban >= 0 {
					codes, w := b.townCodes(z.urban, centres[f])
					k := weighted(fr, w)
					for w[k] < 5 { // rare classes come in single cells
						k = weighted(fr, w)
					}
					fc.code = codes[k]
				}
				classes[f] = fc
			}
		}
		z.code = b.classify(r, z, fc)
	}
}

// townCodes returns the classes of a town's land at c and their weights:
// the centres are commercial, residential and public services, the land
// by the parks industry and storage, the rest mostly housing.
func (b *builder) townCodes(urban int, c orb.Point) ([]string, []float64) {
	f := newFrame(c)
	u := b.urban[urban]
	d := math.Inf(1)
	for _, core := range u.cores {
		d = min(d, f.dist(c, core))
	}
	scale := 1.0
	if urban > 0 {
		scale = 0.45 // county towns are smaller
	}
	nearPark := math.Inf(1)
	for _, p := range b.parks {
		nearPark = min(nearPark, f.dist(c, p.centre)-max(p.w, p.h)/2)
	}
	switch {
	case d < 1100*scale:
		return []string{"0901", "0902", "070102", "0801", "0803", "1401", "1403", "080601", "080403"},
			[]float64{28, 14, 26, 8, 5, 8, 3, 4, 4}
	case nearPark < 1200:
		return []string{"100102", "100101", "110101", "070102", "1402", "0901", "1303", "16"},
			[]float64{34, 16, 14, 16, 8, 6, 2, 4}
	case d < 3800*scale:
		return []string{"070102", "070101", "0702", "0901", "080403", "080404", "080601", "1401", "0805", "1303", "1301", "0807"},
			[]float64{56, 5, 4, 9, 7, 3, 2, 8, 2, 1.5, 1, 1.5}
	}
	return []string{"070102", "100102", "110101", "1402", "16", "0901", "080403", "1401", "1303", "1302", "1309"},
		[]float64{44, 8, 6, 7, 10, 7, 5, 7, 2, 2, 1}
}

// classify returns the 用地用海 code of a zone of a face with class fc.
func (b *builder) classify(r *rand.Rand, z *zonePiece, fc faceClass) string {
	c := z.centre
	f := newFrame(c)
	if z.urban >= 0 {
		if z.bank {
			return pick(r, []string{"1401", "1401", "1401", "1402"})
		}
		if f.dist(c, b.point("漯河港")) < 500 {
			return "1204"
		}
		for _, s := range []string{"漯河站", "漯河西站", "临颍站", "漯河东站"} {
			if f.dist(c, b.point(s)) < 300 {
				return "1208"
			}
		}
		if fc.code != "" && r.Float64() < 0.88 {
			return fc.code
		}
		codes, w := b.townCodes(z.urban, c)
		return codes[weighted(r, w)]
	}
	if z.bank {
		return pick(r, []string{"0301", "0301", "0301", "0303", "0304"})
	}
	if z.village {
		if r.IntN(12) == 0 {
			return "0704"
		}
		return "070301"
	}
	if z.county == Wuyang && f.dist(c, orb.Point{113.555, 33.505}) < 2500 && r.IntN(3) == 0 {
		return "1002" // 舞阳's rock-salt mines
	}
	if z.lf.size > 4 {
		// Whole grid cells are open fields.
		if r.IntN(40) == 0 {
			return "0201"
		}
		if r.Float64() < fc.irrigated {
			return "0102"
		}
		return "0103"
	}
	codes := []string{"0103", "0102", "0201", "0304", "0101", "0603", "0602", "1704", "0601", "1506", "1311"}
	w := []float64{80 * (1 - fc.irrigated), 80 * fc.irrigated, 4, 3, 1.5, 4, 2.5, 3, 1.5, 0.4, 0.4}
	if z.lf.size > 2 {
		w = w[:4] // small facilities only in small cells
		codes = codes[:4]
	}
	return codes[weighted(r, w)]
}

// parkZones adds the zones of the parks: one per block, with its class,
// and the roads between the blocks.
func (b *builder) parkZones() {
	for _, p := range b.parks {
		county := b.countyAt(p.centre)
		for _, bl := range p.blocks {
			b.zones = append(b.zones, &zonePiece{ring: bl.ring, code: bl.landuse.Code, system: bl.landuse.System,
				county: county, urban: b.urbanAt(p.centre), park: true})
		}
		nx, ny := len(p.xs)/2, len(p.ys)/2
		// Roads running along x: full width, between block rows, with a
		// vertex at every block edge.
		for row := 0; row+1 < ny; row++ {
			y0, y1 := p.ys[2*row+1], p.ys[2*row+2]
			var path [][2]float64
			for _, x := range p.xs {
				path = append(path, [2]float64{x, y0})
			}
			for k := len(p.xs) - 1; k >= 0; k-- {
				path = append(path, [2]float64{p.xs[k], y1})
			}
			b.zones = append(b.zones, &zonePiece{ring: p.localPath(path), code: "1207", system: land.SystemGTKJ2023,
				county: county, urban: b.urbanAt(p.centre), park: true})
		}
		// Roads running along y: within each block row.
		for row := range ny {
			y0, y1 := p.ys[2*row], p.ys[2*row+1]
			for col := 0; col+1 < nx; col++ {
				x0, x1 := p.xs[2*col+1], p.xs[2*col+2]
				b.zones = append(b.zones, &zonePiece{ring: p.localRing(x0, y0, x1, y1), code: "1207", system: land.SystemGTKJ2023,
					county: county, urban: b.urbanAt(p.centre), park: true})
			}
		}
	}
}

// landuseZones turns the pieces into the dataset's zones.
func (b *builder) landuseZones() {
	for _, z := range b.zones {
		plan := CityPlan
		switch z.county {
		case Wuyang:
			plan = "舞阳县国土空间总体规划（2021—2035年）"
		case Linying:
			plan = "临颍县国土空间总体规划（2021—2035年）"
		}
		b.ds.Landuse = append(b.ds.Landuse, land.Zone{
			ID:      geo.ID(len(b.ds.Landuse) + 1),
			Landuse: land.Code{System: z.system, Code: z.code},
			Plan:    plan,
			Geom:    multi(z.ring),
		})
	}
}
