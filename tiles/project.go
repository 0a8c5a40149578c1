package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// projector maps lon/lat to the coordinates of one tile (Extent units,
// y down) in Web Mercator. x is linear in the longitude. From zoom 8, y
// within a tile height of the tile's middle latitude (the tile and its
// buffer) comes from the Taylor series of the Mercator function to the
// fourth power, which stays within a thousandth of a tile unit there and
// costs a few multiplications instead of a sine and a logarithm; elsewhere
// (lower zooms, and where features reach beyond the tile before clipping)
// y is computed exactly.
type projector struct {
	world  float64 // the world's width in tile units: 2^z · Extent
	x0, y0 float64 // the tile's top-left corner in world units
	lat0   float64 // the series' centre, radians
	span   float64 // how far from lat0 the series is used, radians (< 0: never)
	c      [5]float64
}

// seriesZoom is the lowest zoom whose tiles are small enough for the series.
const seriesZoom = 8

func newProjector(a Address) projector {
	world := float64(uint64(1)<<a.Z) * Extent
	b := a.Tile().Bound()
	lat0 := (b.Min[1] + b.Max[1]) / 2 * math.Pi / 180
	sec, tan := 1/math.Cos(lat0), math.Tan(lat0)
	// y(φ) = world · (1/2 − F(φ)/2π) with F the inverse Gudermannian:
	// F' = sec, F'' = sec·tan, F''' = sec·(2tan² + 1), F'''' = sec·tan·(6tan² + 5).
	k := -world / (2 * math.Pi)
	p := projector{world: world, x0: float64(a.X) * Extent, y0: float64(a.Y) * Extent,
		lat0: lat0, span: -1}
	if a.Z >= seriesZoom {
		p.span = (b.Max[1] - b.Min[1]) * math.Pi / 180
	}
	p.c = [5]float64{
		worldY(lat0, world),
		k * sec,
		k * sec * tan / 2,
		k * sec * (2*tan*tan + 1) / 6,
		k * sec * tan * (6*tan*tan + 5) / 24,
	}
	return p
}

// worldY is the exact Mercator y of latitude lat (radians), in units of a
// world world wide, kept off the poles.
func worldY(lat, world float64) float64 {
	s := math.Sin(lat)
	s = max(-0.9999, min(0.9999, s))
	return world * (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi))
}

// point projects one lon/lat point.
func (p *projector) point(q orb.Point) orb.Point {
	x := (q[0]/360+0.5)*p.world - p.x0
	lat := q[1] * math.Pi / 180
	d := lat - p.lat0
	var y float64
	if math.Abs(d) <= p.span {
		y = p.c[0] + d*(p.c[1]+d*(p.c[2]+d*(p.c[3]+d*p.c[4])))
	} else {
		y = worldY(lat, p.world)
	}
	return orb.Point{x, y - p.y0}
}

// geometry projects g in place (a point is returned anew) and returns it
// with its bound in tile coordinates.
func (p *projector) geometry(g orb.Geometry) (orb.Geometry, orb.Bound) {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	points := func(ps []orb.Point) {
		for i, q := range ps {
			q = p.point(q)
			ps[i] = q
			b.Min[0], b.Min[1] = min(b.Min[0], q[0]), min(b.Min[1], q[1])
			b.Max[0], b.Max[1] = max(b.Max[0], q[0]), max(b.Max[1], q[1])
		}
	}
	switch g := g.(type) {
	case orb.Point:
		q := p.point(g)
		return q, q.Bound()
	case orb.MultiPoint:
		points(g)
	case orb.LineString:
		points(g)
	case orb.MultiLineString:
		for _, l := range g {
			points(l)
		}
	case orb.Polygon:
		for _, r := range g {
			points(r)
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				points(r)
			}
		}
	default:
		return nil, orb.Bound{}
	}
	return g, b
}
