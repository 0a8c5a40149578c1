package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// GCJ-02 ("Mars coordinates") is the obfuscated datum of Chinese commercial
// maps. onemap never stores it: data arriving in GCJ-02 is converted with
// GCJ02ToWGS84, which inverts the published forward transform by iteration
// to well under a centimetre. WGS84 and CGCS2000 agree to centimetres.

const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

func gcjOutOfChina(p orb.Point) bool {
	return p[0] < 72.004 || p[0] > 137.8347 || p[1] < 0.8293 || p[1] > 55.8271
}

func gcjTransformLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjTransformLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}

// WGS84ToGCJ02 applies the GCJ-02 forward transform.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if gcjOutOfChina(p) {
		return p
	}
	dLat := gcjTransformLat(p[0]-105.0, p[1]-35.0)
	dLon := gcjTransformLon(p[0]-105.0, p[1]-35.0)
	radLat := p[1] / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// GCJ02ToWGS84 inverts WGS84ToGCJ02 by fixed-point iteration.
func GCJ02ToWGS84(g orb.Point) orb.Point {
	w := g
	for range 30 {
		f := WGS84ToGCJ02(w)
		dx, dy := f[0]-g[0], f[1]-g[1]
		w = orb.Point{w[0] - dx, w[1] - dy}
		if math.Abs(dx) < 1e-10 && math.Abs(dy) < 1e-10 {
			break
		}
	}
	return w
}
