package demo

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// The geography of the demo: districts, rivers, urban areas and transport.
// Positions follow Luohe's real layout (the counties' outlines are real,
// the rest is drawn to be recognisable, not surveyed).

func (b *builder) buildCounties() error {
	cs, err := loadCounties()
	if err != nil {
		return err
	}
	want := []string{"411102", "411103", "411104", "411121", "411122"}
	if len(cs) != len(want) {
		return fmt.Errorf("%d counties in the data file, want %d", len(cs), len(want))
	}
	b.cityBound = cs[0].geom.Bound()
	for i, c := range cs {
		if c.adcode != want[i] {
			return fmt.Errorf("county %d is %s, want %s", i, c.adcode, want[i])
		}
		b.city = append(b.city, c.geom...)
		b.cityBound = b.cityBound.Union(c.geom.Bound())
		b.ds.Districts = append(b.ds.Districts, geo.District{
			ID: geo.ID(i + 1), Code: c.adcode, Name: c.name, Kind: geo.DistrictCounty, Seat: c.seat, Geom: c.geom,
		})
	}
	b.counties = cs
	return nil
}

// countyAt returns the district ID (1–5) of the county containing p, or 0.
func (b *builder) countyAt(p orb.Point) geo.ID {
	for i, c := range b.counties {
		for k, poly := range c.geom {
			if c.bounds[k].Contains(p) && insideMulti(orb.MultiPolygon{poly}, p) {
				return geo.ID(i + 1)
			}
		}
	}
	return 0
}

// districtAt returns the district a point counts for: the function zone
// containing it, else its county; 0 outside the city.
func (b *builder) districtAt(p orb.Point) geo.ID {
	for _, d := range b.ds.Districts {
		if d.Kind == geo.DistrictZone && d.Geom.Bound().Contains(p) && insideMulti(d.Geom, p) {
			return d.ID
		}
	}
	return b.countyAt(p)
}

// inCity reports whether p lies in the city.
func (b *builder) inCity(p orb.Point) bool {
	return b.cityBound.Contains(p) && insideMulti(b.city, p)
}

// ringInCity reports whether every vertex of r lies in the city.
func (b *builder) ringInCity(r orb.Ring) bool {
	for _, p := range r {
		if !b.inCity(p) {
			return false
		}
	}
	return true
}

// river is a river's course with its water and riparian corridors.
type river struct {
	name      string
	line      orb.LineString // the course, the middle of the water, extended past the city
	water     orb.Ring       // the river's water (17 陆地水域)
	riparian  orb.Ring       // water plus the protected banks
	waterB    orb.Bound
	riparianB orb.Bound
}

// sharedBorder returns the longest run of vertices that the outer rings
// of counties a and b share, in a's order.
func (b *builder) sharedBorder(a, c int) orb.LineString {
	ra, rc := b.counties[a].geom[0][0], b.counties[c].geom[0][0]
	var best, cur orb.LineString
	for _, p := range ra {
		if slices.Contains(rc, p) {
			cur = append(cur, p)
			continue
		}
		if len(cur) > len(best) {
			best = cur
		}
		cur = nil
	}
	if len(cur) > len(best) {
		best = cur
	}
	return slices.Clone(best)
}

// smooth returns line smoothed by Chaikin's corner cutting, ends kept.
func smooth(line orb.LineString, rounds int) orb.LineString {
	for range rounds {
		out := orb.LineString{line[0]}
		for i := 0; i+1 < len(line); i++ {
			a, c := line[i], line[i+1]
			out = append(out, lerp(a, c, 0.25), lerp(a, c, 0.75))
		}
		line = append(out, line[len(line)-1])
	}
	return line
}

// simplify drops vertices closer than tol metres to the line through
// their neighbours (Douglas–Peucker).
func simplify(line orb.LineString, tol float64) orb.LineString {
	if len(line) < 3 {
		return line
	}
	keep := make([]bool, len(line))
	keep[0], keep[len(line)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		if j <= i+1 {
			return
		}
		seg := orb.LineString{line[i], line[j]}
		best, bd := -1, tol
		for k := i + 1; k < j; k++ {
			if d := distToLine(seg, line[k]); d > bd {
				best, bd = k, d
			}
		}
		if best >= 0 {
			keep[best] = true
			rec(i, best)
			rec(best, j)
		}
	}
	rec(0, len(line)-1)
	var out orb.LineString
	for i, p := range line {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

func (b *builder) buildRivers() error {
	// The 沙河 runs on the border of 源汇区 and 郾城区 west of the centre,
	// and the 沙颍河 (沙河 after the 澧河 joins) on the border of 郾城区 and
	// 召陵区; both courses are taken from the county outlines, smoothed.
	sha := b.sharedBorder(0, 1) // 源汇|郾城, east to west
	if len(sha) < 20 {
		return errors.New("no shared border between 源汇区 and 郾城区")
	}
	shaying := b.sharedBorder(1, 2) // 郾城|召陵
	if len(shaying) < 20 {
		return errors.New("no shared border between 郾城区 and 召陵区")
	}
	confluence := sha[0]
	slices.Reverse(sha) // west to east
	if shaying[0] != confluence && shaying[len(shaying)-1] != confluence {
		// Order 沙颍河 from the confluence downstream.
		if newFrame(confluence).dist(confluence, shaying[len(shaying)-1]) < newFrame(confluence).dist(confluence, shaying[0]) {
			slices.Reverse(shaying)
		}
	} else if shaying[len(shaying)-1] == confluence {
		slices.Reverse(shaying)
	}
	west := orb.LineString{{113.40, 33.628}, {113.50, 33.622}, {113.58, 33.604}, {113.65, 33.600}, {113.72, 33.607}, {113.79, 33.616}}
	shaLine := append(west, sha...)
	east := orb.LineString{{114.160, 33.645}, {114.210, 33.640}, {114.260, 33.636}, {114.35, 33.630}}
	syLine := append(append(orb.LineString{confluence}, shaying...), east...)
	li := orb.LineString{
		{113.40, 33.482}, {113.48, 33.476}, {113.55, 33.470}, {113.62, 33.468}, {113.70, 33.475},
		{113.78, 33.488}, {113.85, 33.500}, {113.90, 33.515}, {113.95, 33.533}, {113.985, 33.551},
		{114.012, 33.567}, confluence,
	}
	ying := orb.LineString{{113.66, 33.952}, {113.74, 33.940}, {113.82, 33.928}, {113.90, 33.917}, {113.98, 33.905}, {114.06, 33.893}, {114.14, 33.880}, {114.22, 33.868}}
	specs := []struct {
		name        string
		line        orb.LineString
		water, bank float64
	}{
		{"沙颍河", syLine, 150, 400},
		{"沙河", shaLine, 120, 350},
		{"澧河", li, 90, 300},
		{"颍河", ying, 70, 250},
	}
	for _, s := range specs {
		// The course is smoothed enough that the banks never cross; the
		// water and the banks are corridors along it, so that the river
		// drawn runs in the middle of its water.
		axis := extend(smooth(simplify(s.line, 4*s.water), 4), s.water)
		r := river{name: s.name, line: axis, water: band(axis, s.water), riparian: band(axis, s.bank)}
		r.waterB, r.riparianB = r.water.Bound(), r.riparian.Bound()
		b.rivers = append(b.rivers, r)
		if !simpleRing(r.water) || !simpleRing(r.riparian) {
			return fmt.Errorf("the corridor of the %s crosses itself", s.name)
		}
	}
	return nil
}

// extend returns line lengthened by d metres at both ends, along its end
// segments, so that corridors meeting at a confluence overlap there.
func extend(line orb.LineString, d float64) orb.LineString {
	f := newFrame(line[0])
	out := func(a, c orb.Point) orb.Point {
		ax, ay := f.xy(a)
		cx, cy := f.xy(c)
		l := math.Hypot(cx-ax, cy-ay)
		return f.pt(cx+(cx-ax)/l*d, cy+(cy-ay)/l*d)
	}
	n := len(line)
	res := append(orb.LineString{out(line[1], line[0])}, line...)
	return append(res, out(line[n-2], line[n-1]))
}

// simpleRing reports whether no two non-adjacent edges of r meet.
func simpleRing(r orb.Ring) bool {
	n := len(r) - 1
	for i := range n {
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue
			}
			a1, a2, b1, b2 := r[i], r[i+1], r[j], r[j+1]
			if !(orb.Bound{Min: a1, Max: a1}).Extend(a2).Intersects(orb.Bound{Min: b1, Max: b1}.Extend(b2)) {
				continue
			}
			if _, _, _, ok, err := segInter(a1, a2, b1, b2); ok || err != nil {
				return false
			}
		}
	}
	return true
}

// urbanArea is a town's urban development boundary (城镇开发边界).
type urbanArea struct {
	bound    orb.Bound
	name     string
	district geo.ID // 0: several
	centre   orb.Point
	radius   []float64 // metres at angles 2πi/len
	ring     orb.Ring
	cores    []orb.Point // the old centres, where land use is densest
}

// hullRadius returns, for n angles around c, the distance to the convex
// hull of pts in metres, plus margin, with a gentle random wobble.
func hullRadius(c orb.Point, pts []orb.Point, n int, margin float64, wobble func() float64) []float64 {
	f := newFrame(c)
	rad := make([]float64, n)
	for i := range n {
		t := 2 * math.Pi * float64(i) / float64(n)
		dx, dy := math.Cos(t), math.Sin(t)
		// The support of the point set in direction t bounds the hull's
		// radius there; taking the maximum projection over a cone keeps
		// the outline round.
		var best float64
		for _, p := range pts {
			x, y := f.xy(p)
			d := math.Hypot(x, y)
			if d == 0 {
				continue
			}
			cos := (x*dx + y*dy) / d
			if cos <= 0.5 {
				continue
			}
			best = max(best, d*cos)
		}
		rad[i] = best + margin + wobble()
	}
	// Smooth the radii so that the outline has no notches.
	out := make([]float64, n)
	for i := range n {
		out[i] = (rad[(i+n-1)%n] + 2*rad[i] + rad[(i+1)%n]) / 4
	}
	return out
}

func ringOfRadii(c orb.Point, rad []float64, scale float64) orb.Ring {
	n := len(rad)
	return starRing(c, n, func(t float64) float64 {
		i := int(math.Round(t / (2 * math.Pi) * float64(n)))
		return rad[i%n] * scale
	})
}

func (b *builder) buildUrban() error {
	r := rng(streamUrban)
	seat := func(id int) orb.Point { return b.counties[id-1].seat }
	parkCorners := func(names ...string) []orb.Point {
		var pts []orb.Point
		for _, p := range b.parks {
			if slices.Contains(names, p.short) {
				pts = append(pts, p.ring[:4]...)
			}
		}
		return pts
	}
	wob := func(a float64) func() float64 { return func() float64 { return between(r, -a, a) } }
	// around returns points d metres around c, so that a town has body
	// around its seat.
	around := func(c orb.Point, d float64) []orb.Point {
		f := newFrame(c)
		var pts []orb.Point
		for k := range 8 {
			t := float64(k) * math.Pi / 4
			pts = append(pts, f.pt(d*math.Cos(t), d*math.Sin(t)))
		}
		return pts
	}
	specs := []struct {
		name     string
		district geo.ID
		centre   orb.Point
		cores    []orb.Point
		anchors  []orb.Point
		margin   float64
	}{
		{
			name: "漯河市中心城区", centre: orb.Point{114.030, 33.580},
			cores: []orb.Point{seat(Yuanhui), seat(Yancheng), seat(Shaoling)},
			anchors: append([]orb.Point{seat(Yuanhui), seat(Yancheng), seat(Shaoling), {113.957, 33.574}, {114.090, 33.628}},
				parkCorners("JKSP", "JKLL", "GXQ", "XCKJ", "YHCJ", "ZLCJ", "LGWL", "YCCJ")...),
			margin: 700,
		},
		{
			name: "临颍县城", district: Linying, centre: orb.Point{113.952, 33.816}, cores: []orb.Point{seat(Linying)},
			anchors: append(around(seat(Linying), 1800), parkCorners("LYXX")...), margin: 700,
		},
		{
			name: "舞阳县城", district: Wuyang, centre: orb.Point{113.622, 33.443}, cores: []orb.Point{seat(Wuyang)},
			anchors: append(around(seat(Wuyang), 1600), parkCorners("WYYH")...), margin: 700,
		},
	}
	for _, s := range specs {
		rad := hullRadius(s.centre, s.anchors, 96, s.margin, wob(s.margin/4))
		ring := ringOfRadii(s.centre, rad, 1)
		b.urban = append(b.urban, urbanArea{name: s.name, district: s.district, centre: s.centre, radius: rad, ring: ring,
			cores: s.cores, bound: ring.Bound()})
	}
	for _, u := range b.urban {
		if !simpleRing(u.ring) {
			return fmt.Errorf("the boundary of %s crosses itself", u.name)
		}
	}
	return nil
}

// urbanAt returns the index of the urban area containing p, or -1.
func (b *builder) urbanAt(p orb.Point) int {
	for i, u := range b.urban {
		if u.bound.Contains(p) && inside(u.ring, p) {
			return i
		}
	}
	return -1
}

func (b *builder) buildFunctionZones() error {
	parksOf := func(short ...string) []orb.Point {
		var pts []orb.Point
		for _, p := range b.parks {
			if slices.Contains(short, p.short) {
				pts = append(pts, p.ring[:4]...)
			}
		}
		return pts
	}
	specs := []struct {
		id     geo.ID
		code   string
		name   string
		centre orb.Point
		seat   orb.Point
		pts    []orb.Point
		margin float64
	}{
		{ETDZ, "LHETDZ", "漯河经济技术开发区", orb.Point{114.078, 33.551}, orb.Point{114.066, 33.561},
			parksOf("JKSP", "JKLL"), 450},
		{URDZ, "LHURDZ", "城乡一体化示范区", orb.Point{114.152, 33.632}, orb.Point{114.139, 33.636},
			append(parksOf("LGWL"), orb.Point{114.165, 33.646}), 450},
		{Xicheng, "LHXCQ", "西城区", orb.Point{113.945, 33.568}, orb.Point{113.950, 33.5795},
			append(parksOf("XCKJ"), orb.Point{113.957, 33.574}, orb.Point{113.962, 33.586}), 600},
	}
	for _, s := range specs {
		rad := hullRadius(s.centre, s.pts, 72, s.margin, func() float64 { return 0 })
		ring := ringOfRadii(s.centre, rad, 1)
		if !b.ringInCity(ring) {
			return fmt.Errorf("%s reaches outside the city", s.name)
		}
		if !inside(ring, s.seat) {
			return fmt.Errorf("the seat of %s lies outside it", s.name)
		}
		b.ds.Districts = append(b.ds.Districts, geo.District{
			ID: s.id, Code: s.code, Name: s.name, Kind: geo.DistrictZone, Seat: s.seat, Geom: multi(ring),
		})
	}
	return nil
}
