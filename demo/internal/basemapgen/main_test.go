package main

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestCentreCells quantises points near Luohe as echarts' map tool did,
// to ceil(v·1024), and stores them as the package's geojson files do, at
// k/1024: put back at the middle of their cells they are on average where
// they were (before, half a cell north-east of it), none more than half a
// cell off in either direction.
func TestCentreCells(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var truth, ring orb.Ring
	for range 2000 {
		p := orb.Point{113.6 + 0.5*rnd.Float64(), 33.3 + 0.5*rnd.Float64()}
		truth = append(truth, p)
		ring = append(ring, orb.Point{math.Ceil(p[0]*cellScale) / cellScale, math.Ceil(p[1]*cellScale) / cellScale})
	}
	mp := orb.MultiPolygon{{ring}}
	if !onGrid(mp) {
		t.Fatal("an outline on the echarts grid is taken as off it")
	}
	centreCells(mp)
	var sumX, sumY float64
	for i, p := range mp[0][0] {
		dx, dy := (p[0]-truth[i][0])*cellScale, (p[1]-truth[i][1])*cellScale
		if math.Abs(dx) > 0.5 || math.Abs(dy) > 0.5 {
			t.Fatalf("%v put at %v, (%.2f, %.2f) cells off", truth[i], p, dx, dy)
		}
		sumX, sumY = sumX+dx, sumY+dy
	}
	n := float64(len(truth))
	if mx, my := sumX/n, sumY/n; math.Abs(mx) > 0.05 || math.Abs(my) > 0.05 {
		t.Fatalf("on average (%.3f, %.3f) cells off", mx, my)
	}
}

// TestOnGrid: an echarts outline with the odd point where the package's
// dissolve crossed two edges is on the grid; Taiwan's, from another
// source, is not, and keeps its points.
func TestOnGrid(t *testing.T) {
	echarts := orb.MultiPolygon{{{
		{116224.0 / 1024, 34304.0 / 1024}, {116226.0 / 1024, 34304.0 / 1024}, {116225.5 / 1024, 34304.75 / 1024},
		{116226.0 / 1024, 34305.0 / 1024}, {116224.0 / 1024, 34304.0 / 1024},
	}}}
	if !onGrid(echarts) {
		t.Error("an echarts outline is taken as off the grid")
	}
	taiwan := orb.MultiPolygon{{{
		{121.597252490, 25.014385268}, {121.597244773, 25.014352509}, {121.5986, 25.0151}, {121.597252490, 25.014385268},
	}}}
	if onGrid(taiwan) {
		t.Error("Taiwan's outline is taken as on the grid")
	}
}
