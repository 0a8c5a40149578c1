package tiles

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// The projector puts a tile's corners on 0 and Extent, and agrees with the
// exact Mercator function near the tile (series) and far from it (exact).
func TestProjector(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for z := Zoom(0); z <= MaxZoom; z++ {
		a := Address{Z: z, X: uint32(float64(uint64(1)<<z) * 0.8136), Y: uint32(float64(uint64(1)<<z) * 0.4008)}
		pr := newProjector(a)
		b := a.Tile().Bound()
		for _, c := range []struct{ geo, want orb.Point }{
			{orb.Point{b.Min[0], b.Max[1]}, orb.Point{0, 0}},
			{orb.Point{b.Max[0], b.Min[1]}, orb.Point{Extent, Extent}},
		} {
			if got := pr.point(c.geo); math.Abs(got[0]-c.want[0]) > 1e-4 || math.Abs(got[1]-c.want[1]) > 1e-4 {
				t.Errorf("z%d: corner %v → %v, want %v", z, c.geo, got, c.want)
			}
		}
		h := b.Max[1] - b.Min[1]
		worst := 0.0
		for range 2000 {
			lat := b.Min[1] + h*(rng.Float64()*6-2.5) // series and exact both
			lon := b.Min[0] + (b.Max[0]-b.Min[0])*rng.Float64()
			exact := worldY(lat*math.Pi/180, pr.world) - pr.y0
			worst = max(worst, math.Abs(pr.point(orb.Point{lon, lat})[1]-exact))
		}
		if worst > 1e-3 {
			t.Errorf("z%d: y off by up to %g tile units", z, worst)
		}
	}
}
