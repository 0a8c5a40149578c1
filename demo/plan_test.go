package demo

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// polyIndex finds the polygons under a point.
type polyIndex struct {
	polys   []orb.Polygon
	bounds  []orb.Bound
	owner   []int // the index of the feature a polygon belongs to
	buckets map[[2]int][]int
}

const indexCell = 0.01 // degrees

func newPolyIndex() *polyIndex { return &polyIndex{buckets: map[[2]int][]int{}} }

func (ix *polyIndex) add(owner int, mp orb.MultiPolygon) {
	for _, p := range mp {
		k := len(ix.polys)
		b := p.Bound()
		ix.polys, ix.bounds, ix.owner = append(ix.polys, p), append(ix.bounds, b), append(ix.owner, owner)
		for i := int(math.Floor(b.Min[0] / indexCell)); i <= int(math.Floor(b.Max[0]/indexCell)); i++ {
			for j := int(math.Floor(b.Min[1] / indexCell)); j <= int(math.Floor(b.Max[1]/indexCell)); j++ {
				ix.buckets[[2]int{i, j}] = append(ix.buckets[[2]int{i, j}], k)
			}
		}
	}
}

// at returns the owners of the polygons holding p.
func (ix *polyIndex) at(p orb.Point) []int {
	var out []int
	for _, k := range ix.buckets[[2]int{int(math.Floor(p[0] / indexCell)), int(math.Floor(p[1] / indexCell))}] {
		if ix.bounds[k].Contains(p) && insideMulti(orb.MultiPolygon{ix.polys[k]}, p) {
			out = append(out, ix.owner[k])
		}
	}
	return out
}

// zoneIndex indexes the land-use zones of the test dataset.
func zoneIndex() (*polyIndex, []land.Zone) {
	zs := testDataset().Landuse
	ix := newPolyIndex()
	for i, z := range zs {
		ix.add(i, z.Geom)
	}
	return ix, zs
}

// along returns points every step metres along the lines of a transport
// feature.
func along(g orb.Geometry, step float64) []orb.Point {
	var lines []orb.LineString
	switch g := g.(type) {
	case orb.LineString:
		lines = []orb.LineString{g}
	case orb.MultiLineString:
		lines = g
	}
	var pts []orb.Point
	for _, l := range lines {
		for i := 0; i+1 < len(l); i++ {
			d := newFrame(l[i]).dist(l[i], l[i+1])
			for s := 0.0; s < d; s += step {
				pts = append(pts, lerp(l[i], l[i+1], s/d))
			}
		}
	}
	return pts
}

// TestPlanFollowsRoads: the roads and railways run in corridors of
// transport land (12), bridging the rivers' water (1701).
func TestPlanFollowsRoads(t *testing.T) {
	ix, zs := zoneIndex()
	for _, tr := range testDataset().Transport {
		if _, ok := tr.Geom.(orb.Point); ok || tr.Kind == "river" {
			continue
		}
		bad, n := 0, 0
		var first string
		for _, p := range along(tr.Geom, 50) {
			under := ix.at(p)
			if len(under) == 0 {
				continue // on the city's edge
			}
			n++
			for _, k := range under {
				if c := zs[k].Landuse.Code; !strings.HasPrefix(c, "12") && c != "1701" {
					bad++
					if first == "" {
						first = fmt.Sprintf("%v in zone %d (%s)", p, zs[k].ID, c)
					}
				}
			}
		}
		if n == 0 || bad > 0 {
			t.Errorf("%s: %d of %d points off its corridor, first %s", tr.Name, bad, n, first)
		}
	}
}

// TestPlanWaterAlongRivers: the rivers' courses run in water.
func TestPlanWaterAlongRivers(t *testing.T) {
	ix, zs := zoneIndex()
	for _, tr := range testDataset().Transport {
		if tr.Kind != "river" {
			continue
		}
		bad, n := 0, 0
		for _, p := range along(tr.Geom, 100) {
			for _, k := range ix.at(p) {
				n++
				if zs[k].Landuse.Code != "1701" {
					bad++
				}
			}
		}
		if n == 0 || float64(bad) > 0.02*float64(n) {
			t.Errorf("%s: %d of %d points of its course outside water", tr.Name, bad, n)
		}
	}
}

// controlIndex indexes the control lines of one kind.
func controlIndex(kind string) (*polyIndex, int) {
	ix := newPolyIndex()
	n := 0
	for i, c := range testDataset().ControlLines {
		if c.Kind == kind {
			ix.add(i, c.Geom)
			n++
		}
	}
	return ix, n
}

// areaShare returns the share by area of the zones whose interior point
// passes in and whose code passes want.
func areaShare(zs []land.Zone, in func(orb.Point) bool, want func(code string) bool) (float64, float64) {
	var all, ok float64
	for _, z := range zs {
		for _, p := range z.Geom {
			if !in(interiorPoint(p[0])) {
				continue
			}
			a := areaM2(p[0])
			all += a
			if want(z.Landuse.Code) {
				ok += a
			}
		}
	}
	if all == 0 {
		return 0, 0
	}
	return ok / all, all
}

func prefixed(prefixes ...string) func(string) bool {
	return func(code string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(code, p) {
				return true
			}
		}
		return false
	}
}

// TestPlanTownsAndFields: farmland lies outside the urban development
// boundaries, the town centres are housing, commerce, services, green and
// streets, and the industrial parks industry and storage.
func TestPlanTownsAndFields(t *testing.T) {
	ds := testDataset()
	urban, n := controlIndex("urban_boundary")
	if n == 0 {
		t.Fatal("no urban development boundaries")
	}
	for _, z := range ds.Landuse {
		if !strings.HasPrefix(z.Landuse.Code, "01") {
			continue
		}
		for _, p := range z.Geom {
			if at := urban.at(interiorPoint(p[0])); len(at) > 0 {
				t.Errorf("farmland zone %d (%s) inside %s", z.ID, z.Landuse.Code, ds.ControlLines[at[0]].Name)
			}
		}
	}
	for _, s := range countySeats[:3] {
		f := newFrame(s.at)
		share, area := areaShare(ds.Landuse, func(p orb.Point) bool { return f.dist(p, s.at) < 900 },
			prefixed("07", "08", "09", "12", "14"))
		if area < 1e6 || share < 0.8 {
			t.Errorf("centre of %s: %.0f%% of %.1f km² housing, commerce, services, streets and green", s.name, 100*share, area/1e6)
		}
	}
	for _, p := range ds.Parks {
		share, area := areaShare(ds.Landuse, func(q orb.Point) bool { return insideMulti(p.Geom, q) }, prefixed("10", "11", "12"))
		if share < 0.7 {
			t.Errorf("park %s: %.0f%% of %.1f km² industry, storage and roads", p.Name, 100*share, area/1e6)
		}
	}
}

// planOf maps a parcel's code in the 三调 system to the plan's classes.
var planOf = map[string]string{"0601": "1001", "0604": "1101"}

// TestParcelsFollowPlan: every parcel has the class of the plan's zone
// under it, so no housing parcel lies in a food park's industrial land.
func TestParcelsFollowPlan(t *testing.T) {
	ix, zs := zoneIndex()
	for _, pc := range testDataset().Parcels {
		p := interiorPoint(pc.Geom[0][0])
		under := ix.at(p)
		if len(under) != 1 {
			t.Errorf("parcel %s: %d zones under it", pc.Code, len(under))
			continue
		}
		z := zs[under[0]]
		want := pc.Landuse.Code
		if pc.Landuse.System == land.SystemGBT21010 {
			want = planOf[want]
		}
		if !strings.HasPrefix(z.Landuse.Code, want) {
			t.Errorf("parcel %s is %s %s, the plan's zone %d %s", pc.Code, pc.Landuse.System, pc.Landuse.Code, z.ID, z.Landuse.Code)
		}
	}
}

// TestControlLinesConsistent: 永久基本农田 is farmland of the plan outside
// the urban development boundaries, 生态保护红线 runs along the rivers
// outside the towns, and no two control lines overlap.
func TestControlLinesConsistent(t *testing.T) {
	ds := testDataset()
	urban, _ := controlIndex("urban_boundary")
	zix, zs := zoneIndex()
	var rivers []orb.LineString
	for _, tr := range ds.Transport {
		if tr.Kind == "river" {
			switch g := tr.Geom.(type) {
			case orb.LineString:
				rivers = append(rivers, g)
			case orb.MultiLineString:
				rivers = append(rivers, g...)
			}
		}
	}
	for _, c := range ds.ControlLines {
		for _, p := range c.Geom {
			q := interiorPoint(p[0])
			switch c.Kind {
			case "basic_farmland":
				if len(urban.at(q)) > 0 {
					t.Errorf("%s lies inside an urban development boundary", c.Name)
				}
				for _, k := range zix.at(q) {
					if !strings.HasPrefix(zs[k].Landuse.Code, "01") {
						t.Errorf("%s lies on zone %d (%s)", c.Name, zs[k].ID, zs[k].Landuse.Code)
					}
				}
			case "eco_redline":
				if len(urban.at(q)) > 0 {
					t.Errorf("%s lies inside an urban development boundary", c.Name)
				}
				near := math.Inf(1)
				for _, l := range rivers {
					near = min(near, distToLine(l, q))
				}
				if near > 600 {
					t.Errorf("%s: %.0f m from a river", c.Name, near)
				}
			}
		}
	}
	all := newPolyIndex()
	for i, c := range ds.ControlLines {
		all.add(i, c.Geom)
	}
	if k := overlapAt(all); k != nil {
		t.Errorf("control lines %s and %s overlap at %v", ds.ControlLines[k.a].Name, ds.ControlLines[k.b].Name, k.at)
	}
}

// TestControlZonesDoNotOverlap: the legacy construction-control zones
// partition the land they cover.
func TestControlZonesDoNotOverlap(t *testing.T) {
	ds := testDataset()
	ix := newPolyIndex()
	for i, c := range ds.ControlZones {
		ix.add(i, c.Geom)
	}
	if k := overlapAt(ix); k != nil {
		a, b := ds.ControlZones[k.a], ds.ControlZones[k.b]
		t.Errorf("control zones %d (%s) and %d (%s) overlap at %v", a.ID, a.Code, b.ID, b.Code, k.at)
	}
}

type overlap struct {
	a, b int
	at   orb.Point
}

// overlapAt samples the city every 200 m and returns a place where two
// features of the index overlap, or nil.
func overlapAt(ix *polyIndex) *overlap {
	box := orb.Bound{Min: orb.Point{113.44, 33.40}, Max: orb.Point{114.30, 33.99}}
	f := newFrame(box.Center())
	dx, dy := f.pt(200, 0)[0]-f.pt(0, 0)[0], f.pt(0, 200)[1]-f.pt(0, 0)[1]
	for x := box.Min[0]; x < box.Max[0]; x += dx {
		for y := box.Min[1]; y < box.Max[1]; y += dy {
			p := orb.Point{x, y}
			if at := ix.at(p); len(at) > 1 {
				return &overlap{at[0], at[1], p}
			}
		}
	}
	return nil
}
