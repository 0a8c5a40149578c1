package project

import (
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

func stop(district string, score *float64) TourStopView {
	return TourStopView{Project: View{District: district}, Score: score}
}

func num(v float64) *float64 { return &v }

// TestRank ranks districts by the mean of their scored projects: ties
// share a rank, unscored districts come last unranked, and the lowest is
// flagged only when at least two districts are scored and they differ.
func TestRank(t *testing.T) {
	for _, c := range []struct {
		name  string
		stops []TourStopView
		want  []DistrictRank
	}{
		{"last flagged", []TourStopView{stop("甲", num(90)), stop("乙", num(70)), stop("甲", num(80)), stop("丙", num(85))},
			[]DistrictRank{{"甲", 2, 2, num(85), 1, false}, {"丙", 1, 1, num(85), 1, false}, {"乙", 1, 1, num(70), 3, true}}},
		{"tied last both flagged", []TourStopView{stop("甲", num(90)), stop("乙", num(70)), stop("丙", num(70))},
			[]DistrictRank{{"甲", 1, 1, num(90), 1, false}, {"乙", 1, 1, num(70), 2, true}, {"丙", 1, 1, num(70), 2, true}}},
		{"one district scored: nobody last", []TourStopView{stop("甲", num(60)), stop("乙", nil)},
			[]DistrictRank{{"甲", 1, 1, num(60), 1, false}, {"乙", 1, 0, nil, 0, false}}},
		{"all equal: nobody last", []TourStopView{stop("甲", num(80)), stop("乙", num(80))},
			[]DistrictRank{{"甲", 1, 1, num(80), 1, false}, {"乙", 1, 1, num(80), 1, false}}},
		{"unscored project left out of the mean", []TourStopView{stop("甲", num(90)), stop("甲", nil), stop("乙", num(60))},
			[]DistrictRank{{"甲", 2, 1, num(90), 1, false}, {"乙", 1, 1, num(60), 2, true}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Rank(c.stops)
			if len(got) != len(c.want) {
				t.Fatalf("got %d districts, want %d", len(got), len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				same := g.District == w.District && g.Projects == w.Projects && g.Scored == w.Scored && g.Rank == w.Rank && g.Last == w.Last &&
					(g.Score == nil) == (w.Score == nil) && (g.Score == nil || *g.Score == *w.Score)
				if !same {
					t.Errorf("%d: got %+v (score %v), want %+v (score %v)", i, g, g.Score, w, w.Score)
				}
			}
		})
	}
}

// TestSchedule times a tour: leave at the start time, drive each leg,
// stay the dwell time, come back.
func TestSchedule(t *testing.T) {
	v := TourView{Stops: make([]TourStopView, 2)}
	day := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	schedule(&v, TourPlan{Day: day, StartTime: "08:30", DwellMinutes: 20}, []Leg{
		{Metres: 10000, Seconds: 900}, {Metres: 5000, Seconds: 1230}, {Metres: 12000, Seconds: 1800}})
	want := [][2]string{{"08:45", "09:05"}, {"09:26", "09:46"}}
	for i, w := range want {
		if v.Stops[i].Arrive != w[0] || v.Stops[i].Depart != w[1] {
			t.Errorf("stop %d: %s–%s, want %s–%s", i+1, v.Stops[i].Arrive, v.Stops[i].Depart, w[0], w[1])
		}
	}
	if v.ReturnAt != "10:16" || v.TotalMetres != 27000 || v.TotalSeconds != 3930 || len(v.Legs) != 3 || v.Legs[2].To != 0 {
		t.Errorf("back at %s, %v m, %v s, legs %+v", v.ReturnAt, v.TotalMetres, v.TotalSeconds, v.Legs)
	}
}

// TestTourInputCheck: the defaults, and the pick of the key projects
// needing no project ids.
func TestTourInputCheck(t *testing.T) {
	p, err := TourInput{Name: " 观摩 ", Day: "2026-12-08", ProjectIDs: []geo.ID{3, 1}}.Check()
	if err != nil || p.Name != "观摩" || p.StartTime != DefaultStartTime || p.DwellMinutes != DefaultDwell || len(p.ProjectIDs) != 2 {
		t.Fatalf("%+v, %v", p, err)
	}
	if _, err := (TourInput{Name: "观摩", Day: "2026-12-08", PerDistrict: 2}).Check(); err != nil {
		t.Fatalf("per_district: %v", err)
	}
}
