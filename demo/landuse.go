package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// The land-use plan: a partition of the whole city into zones. A jittered
// grid of cells about 1.85 km across is refined, quadtree fashion, down to
// about 230 m in town centres and 460 m around towns, parks, rivers and
// villages; every cell is cut by the county outlines, the parks (whose
// blocks and roads are zones of their own), the rivers' water and banks
// and the urban development boundaries, and every piece gets a class from
// where it lies. The pieces tile the city without overlaps.

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
	urban   int  // index of the urban area holding it; -1: countryside
	water   bool // a river's water
	bank    bool // a river's protected banks
	park    bool // a park's block or road
	village bool
	plain   bool // an uncut grid cell, usable as a project site
	used    bool // a project's site
	centre  orb.Point
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
	r := rng(streamLanduse)
	b.villages = villages
	for _, lf := range leaves {
		ring := leafRing(l, lf, corners)
		if err := b.cutLeaf(r, ring, lf, villages); err != nil {
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
	return nil
}

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

// cutLeaf cuts one cell into zone pieces and classifies them.
func (b *builder) cutLeaf(r *rand.Rand, ring orb.Ring, lf leaf, villages []orb.Point) error {
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
	// Water first, then the banks, river by river.
	split := func(pieces []piece, clp orb.Ring, cb orb.Bound, mark func(*piece)) ([]piece, error) {
		if !cb.Intersects(bound) {
			return pieces, nil
		}
		var next []piece
		for _, p := range pieces {
			if p.water || p.bank {
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
				np := piece{ring: q[0], county: p.county}
				mark(&np)
				next = append(next, np)
			}
			for _, q := range outs {
				if len(q) > 1 {
					return nil, fmt.Errorf("a corridor lies inside one cell")
				}
				next = append(next, piece{ring: q[0], county: p.county})
			}
		}
		return next, nil
	}
	var err error
	for _, rv := range b.rivers {
		if pieces, err = split(pieces, rv.water, rv.waterB, func(p *piece) { p.water = true }); err != nil {
			return fmt.Errorf("%s: %w", rv.name, err)
		}
	}
	for _, rv := range b.rivers {
		if pieces, err = split(pieces, rv.riparian, rv.riparianB, func(p *piece) { p.bank = true }); err != nil {
			return fmt.Errorf("banks of the %s: %w", rv.name, err)
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
					b.addPiece(r, &zonePiece{ring: x[0], county: p.county, urban: ui, water: p.water, bank: p.bank}, lf, ring, villages)
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
			b.addPiece(r, &zonePiece{ring: q, county: p.county, urban: -1, water: p.water, bank: p.bank}, lf, ring, villages)
		}
	}
	return nil
}

// minPiece is the smallest zone kept, in m²: slivers are dropped.
const minPiece = 20.0

// addPiece classifies a piece and keeps it; whole is the ring of the
// cell it was cut from.
func (b *builder) addPiece(r *rand.Rand, z *zonePiece, lf leaf, whole orb.Ring, villages []orb.Point) {
	if areaM2(z.ring) < minPiece {
		return
	}
	z.plain = slices.Equal(z.ring, whole) && !z.water && !z.bank
	c := interiorPoint(z.ring)
	if z.urban < 0 && !z.water && !z.bank && lf.size <= 2 {
		zb := z.ring.Bound()
		for _, v := range villages {
			if zb.Contains(v) && inside(z.ring, v) {
				z.village = true
				break
			}
		}
	}
	z.system = land.SystemGTKJ2023
	z.code = b.classify(r, z, c, lf)
	b.zones = append(b.zones, z)
}

// spot returns a random stream fixed by a place on the lattice, so that
// neighbouring pieces can share a class: the stream depends only on
// (I, J) and salt, not on the order pieces are built in.
func spot(I, J int, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(salt, uint64(I)<<32|uint64(J)))
}

// classify returns the 用地用海 code of a piece whose interior point is c.
// Town land comes in blocks of about 460 m that mostly share a class;
// farmland types follow districts of about 3.7 km.
func (b *builder) classify(r *rand.Rand, z *zonePiece, c orb.Point, lf leaf) string {
	if z.water {
		return "1701"
	}
	f := newFrame(c)
	if z.urban >= 0 {
		u := b.urban[z.urban]
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
		d := math.Inf(1)
		for _, core := range u.cores {
			d = min(d, f.dist(c, core))
		}
		scale := 1.0
		if z.urban > 0 {
			scale = 0.45 // county towns are smaller
		}
		nearPark := math.Inf(1)
		for _, p := range b.parks {
			nearPark = min(nearPark, f.dist(c, p.centre)-max(p.w, p.h)/2)
		}
		var codes []string
		var w []float64
		switch {
		case d < 1100*scale:
			codes = []string{"0901", "0902", "070102", "0801", "0803", "1401", "1403", "080601", "080403"}
			w = []float64{28, 14, 26, 8, 5, 8, 3, 4, 4}
		case nearPark < 1200:
			codes = []string{"100102", "100101", "110101", "070102", "1402", "0901", "1303", "16"}
			w = []float64{34, 16, 14, 16, 8, 6, 2, 4}
		case d < 3800*scale:
			codes = []string{"070102", "070101", "0702", "0901", "080403", "080404", "080601", "1401", "0805", "1303", "1301", "0807"}
			w = []float64{56, 5, 4, 9, 7, 3, 2, 8, 2, 1.5, 1, 1.5}
		default:
			codes = []string{"070102", "100102", "110101", "1402", "16", "0901", "080403", "1401", "1303", "1302", "1309"}
			w = []float64{44, 8, 6, 7, 10, 7, 5, 7, 2, 2, 1}
		}
		// Blocks of about 920 m (460 m in centres) mostly share a class.
		k := 4
		if lf.size == 1 {
			k = 2
		}
		bi := weighted(spot(lf.I/k, lf.J/k, 1), w)
		if w[bi] >= 5 && r.Float64() < 0.65 {
			return codes[bi] // rare classes come in single cells
		}
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
	irrigated := 0.25 + 0.5*spot(lf.I/16, lf.J/16, 2).Float64() // share of 水浇地 in the district
	if lf.size > 4 {
		// Whole grid cells are open fields.
		if r.IntN(40) == 0 {
			return "0201"
		}
		if r.Float64() < irrigated {
			return "0102"
		}
		return "0103"
	}
	codes := []string{"0103", "0102", "0201", "0304", "0101", "0603", "0602", "1704", "0601", "1506", "1311"}
	w := []float64{80 * (1 - irrigated), 80 * irrigated, 4, 3, 1.5, 4, 2.5, 3, 1.5, 0.4, 0.4}
	if lf.size > 2 {
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
