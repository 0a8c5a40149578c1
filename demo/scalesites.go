package demo

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"

	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ScaleSites streams n synthetic parcels for the site search's benchmark
// (onemap seed --parcels): squares of 10 to 300 亩, a third of them in the
// parks given (at a random point of one, and of that park), the rest
// anywhere over ScaleExtent, with the fields of the demo's parcels; coded
// "X<seed>-<serial>". They may overlap. The stream is deterministic for a
// given n, seed and parks, holds nothing in memory, and its error is
// always nil.
func ScaleSites(n int, seed uint64, parks []invest.Park) iter.Seq2[invest.Parcel, error] {
	return func(yield func(invest.Parcel, error) bool) {
		r := rand.New(rand.NewPCG(seed, 0x517e5))
		ext := ScaleExtent()
		codes := []string{"100101", "100102", "110101", "0901", "070102"}
		w := []float64{40, 30, 15, 8, 7}
		for k := range n {
			p := invest.Parcel{
				Code:    fmt.Sprintf("X%d-%07d", seed, k+1),
				Name:    fmt.Sprintf("选址测试地块%07d", k+1),
				Landuse: land.Code{System: land.SystemGTKJ2023, Code: codes[weighted(r, w)]},
			}
			c := orb.Point{between(r, ext.Min[0], ext.Max[0]), between(r, ext.Min[1], ext.Max[1])}
			if len(parks) > 0 && k%3 == 0 {
				park := parks[r.IntN(len(parks))]
				c, p.ParkID = pointIn(r, park.Geom), park.ID
				p.DistrictID = park.DistrictID
			}
			side := math.Sqrt(between(r, 10, 300) * 10000 / 15)
			p.Geom = multi(rect(c, side, side, 0))
			fillParcel(r, &p, r.Float64())
			if !yield(p, nil) {
				return
			}
		}
	}
}

// pointIn returns a random point inside mp (its bound's centre if a
// hundred tries miss).
func pointIn(r *rand.Rand, mp orb.MultiPolygon) orb.Point {
	b := mp.Bound()
	for range 100 {
		pt := orb.Point{between(r, b.Min[0], b.Max[0]), between(r, b.Min[1], b.Max[1])}
		if planar.MultiPolygonContains(mp, pt) {
			return pt
		}
	}
	return b.Center()
}
