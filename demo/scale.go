package demo

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"

	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// Synthetic data in any number, for load tests and benchmarks: land-use
// zones as jittered twelve-sided polygons on a grid over Luohe's extent,
// each in its own grid cell (so they never overlap), and parcels, one per
// hundred zones. The streams are deterministic for a given n and seed and
// hold nothing in memory.

// ScalePlan is the plan the synthetic zones belong to.
const ScalePlan = "规模测试（合成数据）"

// ScaleExtent is the box the synthetic data covers: Luohe's extent.
func ScaleExtent() orb.Bound {
	return orb.Bound{Min: orb.Point{113.45, 33.40}, Max: orb.Point{114.27, 33.98}}
}

// scaleGrid is the grid of n cells over the extent, square on the ground.
type scaleGrid struct {
	cols, rows int
	dLon, dLat float64
	spacing    float64 // metres
}

func newScaleGrid(n int) scaleGrid {
	ext := ScaleExtent()
	f := newFrame(ext.Center())
	w := (ext.Max[0] - ext.Min[0]) * f.kx
	h := (ext.Max[1] - ext.Min[1]) * f.ky
	s := math.Sqrt(w * h / float64(max(n, 1)))
	g := scaleGrid{cols: max(1, int(math.Ceil(w/s))), rows: max(1, int(math.Ceil(h/s)))}
	for g.cols*g.rows < n {
		g.rows++
	}
	g.dLon = (ext.Max[0] - ext.Min[0]) / float64(g.cols)
	g.dLat = (ext.Max[1] - ext.Min[1]) / float64(g.rows)
	g.spacing = min(g.dLon*f.kx, g.dLat*f.ky)
	return g
}

// centre returns the centre of cell i.
func (g scaleGrid) centre(i int) orb.Point {
	ext := ScaleExtent()
	col, row := i%g.cols, i/g.cols
	return orb.Point{ext.Min[0] + (float64(col)+0.5)*g.dLon, ext.Min[1] + (float64(row)+0.5)*g.dLat}
}

// scaleCodes are the classes of synthetic zones, with weights like a
// city's: mostly cropland, then housing, industry and the rest.
func scaleCodes() ([]string, []float64) {
	return []string{"0103", "0102", "0201", "0301", "070301", "070102", "0901", "080403", "100102", "110101", "1207", "1401", "1701", "1704", "1303"},
		[]float64{36, 22, 3, 4, 8, 8, 2, 1, 5, 2, 2, 2, 2, 2, 1}
}

// ScaleLanduse streams n synthetic land-use zones of 用地用海 classes:
// twelve-sided polygons about 50–80 m across (for n = 1 000 000 about 950
// per zoom-14 tile), one in each cell of a grid over ScaleExtent. The
// error is always nil; the stream has the shape the bulk loader takes.
func ScaleLanduse(n int, seed uint64) iter.Seq2[land.Zone, error] {
	return func(yield func(land.Zone, error) bool) {
		g := newScaleGrid(n)
		r := rand.New(rand.NewPCG(seed, 0x5ca1e))
		codes, w := scaleCodes()
		radius := min(40, 0.42*g.spacing)
		for i := range n {
			c := g.centre(i)
			f := newFrame(c)
			jx := between(r, -0.04, 0.04) * g.spacing
			jy := between(r, -0.04, 0.04) * g.spacing
			ring := make(orb.Ring, 0, 13)
			for k := range 12 {
				t := 2 * math.Pi * (float64(k) + between(r, -0.2, 0.2)) / 12
				d := radius * between(r, 0.72, 1.0)
				ring = append(ring, f.pt(jx+d*math.Cos(t), jy+d*math.Sin(t)))
			}
			ring = append(ring, ring[0])
			z := land.Zone{
				Landuse: land.Code{System: land.SystemGTKJ2023, Code: codes[weighted(r, w)]},
				Plan:    ScalePlan,
				Geom:    orb.MultiPolygon{{ring}},
			}
			if !yield(z, nil) {
				return
			}
		}
	}
}

// ScaleParcels streams the synthetic parcels that go with
// ScaleLanduse(n, seed): one square parcel in every hundredth cell of the
// same grid, n/100 in all, coded "S<seed>-<serial>". The error is always
// nil.
func ScaleParcels(n int, seed uint64) iter.Seq2[invest.Parcel, error] {
	return func(yield func(invest.Parcel, error) bool) {
		g := newScaleGrid(n)
		r := rand.New(rand.NewPCG(seed, 0x9a7ce1))
		side := 0.6 * g.spacing
		codes := []string{"100101", "100102", "110101", "0901", "070102"}
		w := []float64{40, 30, 15, 8, 7}
		for k := range n / 100 {
			c := g.centre(100*k + 50)
			p := invest.Parcel{
				Code:    fmt.Sprintf("S%d-%07d", seed, k+1),
				Name:    fmt.Sprintf("合成地块%07d", k+1),
				Landuse: land.Code{System: land.SystemGTKJ2023, Code: codes[weighted(r, w)]},
				Geom:    multi(rect(c, side, side, 0)),
			}
			fillParcel(r, &p, r.Float64())
			if !yield(p, nil) {
				return
			}
		}
	}
}
