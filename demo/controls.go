package demo

import (
	"fmt"
	"math"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// The 三区三线 control lines and the legacy construction-control zones.
// Urban development boundaries are the towns' outlines; the ecological red
// line is the rivers' corridors outside the towns; permanent basic farmland
// is most of the plan's cropland away from the towns. The three never
// overlap. The legacy zones of the 2006–2020 land-use plan are rings
// around the towns (010 allowed, 020 conditional, 030 restricted) and the
// rivers' water (040 prohibited); they do not overlap either: the water
// is laid first, and each town's rings outside it and outside the towns
// before.

// countyName returns the name of county id (1–5).
func (b *builder) countyName(id geo.ID) string { return b.counties[id-1].name }

// clipToCounties returns, per county, the parts of ring inside it.
func (b *builder) clipToCounties(ring orb.Ring) ([][]orb.Polygon, error) {
	out := make([][]orb.Polygon, len(b.counties))
	rb := ring.Bound()
	for ci, c := range b.counties {
		for k, poly := range c.geom {
			if !c.bounds[k].Intersects(rb) {
				continue
			}
			ps, err := clipBound(ring, poly[0], c.bounds[k], opIntersect)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.name, err)
			}
			out[ci] = append(out[ci], ps...)
		}
	}
	return out, nil
}

// minus removes ring from every polygon of ps.
func minus(ps []orb.Polygon, ring orb.Ring) ([]orb.Polygon, error) {
	out, err := clipAll(ps, ring, opDifference)
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		if len(p) > 1 {
			return nil, fmt.Errorf("a hole at %v", p[1][0])
		}
	}
	return out, nil
}

// keepLarge drops slivers.
func keepLarge(ps []orb.Polygon) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for _, p := range ps {
		if areaM2(p[0]) >= 200 {
			mp = append(mp, p)
		}
	}
	return mp
}

func (b *builder) buildControls() error {
	add := func(kind, name string, district geo.ID, mp orb.MultiPolygon) {
		if len(mp) == 0 {
			return
		}
		b.ds.ControlLines = append(b.ds.ControlLines, land.ControlLine{
			ID: geo.ID(len(b.ds.ControlLines) + 1), Kind: kind, Name: name, DistrictID: district, Geom: mp,
		})
	}
	// 城镇开发边界.
	for _, u := range b.urban {
		parts, err := b.clipToCounties(u.ring)
		if err != nil {
			return err
		}
		for ci, ps := range parts {
			name := u.name + "城镇开发边界"
			if u.district == 0 {
				name = fmt.Sprintf("%s城镇开发边界（%s）", u.name, b.countyName(geo.ID(ci+1)))
			}
			add("urban_boundary", name, geo.ID(ci+1), keepLarge(ps))
		}
	}
	// 生态保护红线: each river's corridor outside the towns and outside the
	// corridors before it.
	for ri, rv := range b.rivers {
		parts, err := b.clipToCounties(rv.riparian)
		if err != nil {
			return err
		}
		for ci, ps := range parts {
			for _, prev := range b.rivers[:ri] {
				if ps, err = minus(ps, prev.riparian); err != nil {
					return fmt.Errorf("%s: %w", rv.name, err)
				}
			}
			for _, u := range b.urban {
				if ps, err = minus(ps, u.ring); err != nil {
					return fmt.Errorf("%s: %w", rv.name, err)
				}
			}
			add("eco_redline", fmt.Sprintf("%s生态保护红线（%s）", rv.name, b.countyName(geo.ID(ci+1))), geo.ID(ci+1), keepLarge(ps))
		}
	}
	// 永久基本农田: cropland of the plan away from the towns.
	r := rng(streamLanduse + 100)
	serial := make([]int, len(b.counties)+1)
	for _, z := range b.zones {
		if z.urban >= 0 || z.park || z.water || z.bank || !isFarmland(z.code) {
			continue
		}
		near := false
		for _, u := range b.urban {
			if u.bound.Pad(0.01).Contains(z.centre) && distToLine(orb.LineString(u.ring), z.centre) < 700 {
				near = true
				break
			}
		}
		if near || r.IntN(10) == 0 {
			continue
		}
		serial[z.county]++
		name := fmt.Sprintf("永久基本农田保护图斑 %s-%04d", strings.TrimRight(b.countyName(z.county), "区县"), serial[z.county])
		add("basic_farmland", name, z.county, multi(z.ring))
	}
	return b.buildLegacyZones()
}

// sector returns the ring between radii inner and outer (as fractions of
// an urban area's radius) from sample k0 to k1.
func sector(u urbanArea, inner, outer float64, k0, k1 int) orb.Ring {
	n := len(u.radius)
	f := newFrame(u.centre)
	pt := func(k int, s float64) orb.Point {
		t := 2 * math.Pi * float64(k) / float64(n)
		d := u.radius[k%n] * s
		return f.pt(d*math.Cos(t), d*math.Sin(t))
	}
	var r orb.Ring
	for k := k0; k <= k1; k++ {
		r = append(r, pt(k, outer))
	}
	for k := k1; k >= k0; k-- {
		r = append(r, pt(k, inner))
	}
	return ccw(append(r, r[0]))
}

func (b *builder) buildLegacyZones() error {
	add := func(code string, ps []orb.Polygon) {
		for _, p := range ps {
			if areaM2(p[0]) < 200 {
				continue
			}
			b.ds.ControlZones = append(b.ds.ControlZones, land.ControlZone{
				ID: geo.ID(len(b.ds.ControlZones) + 1), Code: code, Plan: LegacyPlan, Geom: orb.MultiPolygon{p},
			})
		}
	}
	// taken holds the rings of the zones laid so far: each zone is laid
	// outside them, so that no two zones overlap.
	var taken []orb.Ring
	clipAdd := func(code string, ring orb.Ring) error {
		parts, err := b.clipToCounties(ring)
		if err != nil {
			return err
		}
		for _, ps := range parts {
			for _, prev := range taken {
				if ps, err = minus(ps, prev); err != nil {
					return fmt.Errorf("%s: %w", code, err)
				}
			}
			add(code, ps)
		}
		return nil
	}
	// 040: the rivers' water and a drinking-water source area on the 澧河,
	// first, for nothing may be built there.
	src := starRing(orb.Point{113.735, 33.466}, 48, func(float64) float64 { return 800 })
	for _, rv := range b.rivers {
		if ringsMeet(src, rv.water) {
			return fmt.Errorf("the water source area overlaps the %s", rv.name)
		}
	}
	var water []orb.Ring
	for _, rv := range b.rivers {
		water = append(water, rv.water)
	}
	for _, ring := range append(water, src) {
		if err := clipAdd("040", ring); err != nil {
			return err
		}
		taken = append(taken, ring)
	}
	for _, u := range b.urban {
		n := len(u.radius)
		// 010: the old town, smaller than today's boundary.
		if err := clipAdd("010", ringOfRadii(u.centre, u.radius, 0.78)); err != nil {
			return err
		}
		// 020 and 030: rings around it, cut into eight sectors each.
		for k := 0; k < n; k += n / 8 {
			if err := clipAdd("020", sector(u, 0.78, 1.0, k, k+n/8)); err != nil {
				return err
			}
			if err := clipAdd("030", sector(u, 1.0, 1.45, k, k+n/8)); err != nil {
				return err
			}
		}
		taken = append(taken, ringOfRadii(u.centre, u.radius, 1.45))
	}
	return nil
}
