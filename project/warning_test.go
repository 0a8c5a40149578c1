package project

import (
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

func day(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestAssessBoundaries checks each threshold at and around its boundary:
// green at plan, yellow up to RedPoints behind, red beyond; yellow one
// month after the planned start, red at RedMonths.
func TestAssessBoundaries(t *testing.T) {
	month := day("2026-11-01")
	th := DefaultThresholds
	for _, tc := range []struct {
		name          string
		stage         geo.Stage
		planned, real string
		plan, actual  geo.Dec
		want          Level
		reason        string
	}{
		{"at plan", geo.StageBuilding, "2026-01-10", "2026-01-10", 100000, 100000, Green, ""},
		{"ahead", geo.StageBuilding, "2026-01-10", "2026-01-10", 100000, 120000, Green, ""},
		{"a cent behind", geo.StageBuilding, "2026-01-10", "2026-01-10", 100000, 99999, Yellow, "投资进度滞后"},
		{"30 points behind", geo.StageBuilding, "2026-01-10", "2026-01-10", 100000, 70000, Yellow, "70.0%"},
		{"over 30 points behind", geo.StageBuilding, "2026-01-10", "2026-01-10", 100000, 69999, Red, "投资进度滞后"},
		{"no plan to date", geo.StageBuilding, "2026-01-10", "2026-01-10", 0, 0, Green, ""},
		{"planned this month, not started", geo.StagePreparing, "2026-11-20", "", 0, 0, Green, ""},
		{"one month late", geo.StagePreparing, "2026-10-01", "", 0, 0, Yellow, "已延期 1 个月"},
		{"two months late", geo.StagePreparing, "2026-09-30", "", 0, 0, Yellow, "已延期 2 个月"},
		{"three months late", geo.StagePreparing, "2026-08-31", "", 0, 0, Red, "已延期 3 个月"},
		{"late start and behind: the worse", geo.StagePreparing, "2026-10-01", "", 100000, 0, Red, "；"},
		{"started late, on plan", geo.StageBuilding, "2026-01-10", "2026-06-01", 100000, 100000, Green, ""},
		{"reserve is not assessed", geo.StageReserve, "2025-01-10", "", 100000, 0, Green, ""},
		{"withdrawn is not assessed", geo.StageWithdrawn, "2025-01-10", "", 100000, 0, Green, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := Assess(Schedule{ID: 1, Stage: tc.stage, PlannedStart: day(tc.planned), ActualStart: day(tc.real),
				PlanToDate: tc.plan, ActualToDate: tc.actual}, th, month)
			if w.Level != tc.want {
				t.Fatalf("level %s, want %s (%s)", w.Level, tc.want, w.Reason)
			}
			if (tc.reason == "") != (w.Reason == "") || !strings.Contains(w.Reason, tc.reason) {
				t.Fatalf("reason %q, want one with %q", w.Reason, tc.reason)
			}
		})
	}
}

// TestAssessThresholds checks that the thresholds an admin sets move the
// boundaries.
func TestAssessThresholds(t *testing.T) {
	month := day("2026-11-01")
	s := Schedule{Stage: geo.StageBuilding, ActualStart: day("2026-01-01"), PlanToDate: 100000, ActualToDate: 85000}
	if l := Assess(s, Thresholds{RedPoints: 15, RedMonths: 3}, month).Level; l != Yellow {
		t.Fatalf("15 behind at 15: %s, want yellow", l)
	}
	if l := Assess(s, Thresholds{RedPoints: 14, RedMonths: 3}, month).Level; l != Red {
		t.Fatalf("15 behind at 14: %s, want red", l)
	}
	late := Schedule{Stage: geo.StagePreparing, PlannedStart: day("2026-09-15")}
	if l := Assess(late, Thresholds{RedPoints: 30, RedMonths: 2}, month).Level; l != Red {
		t.Fatalf("2 months late at 2: %s, want red", l)
	}
	if w := Assess(s, DefaultThresholds, month); w.Ratio == nil || *w.Ratio != 85 {
		t.Fatalf("ratio %v, want 85", w.Ratio)
	}
	s.ActualToDate, s.OverdueBlockers = 100000, 2
	if w := Assess(s, DefaultThresholds, month); w.Level != Green || w.Reason != "2 个协调问题超期未解决" {
		t.Fatalf("overdue blockers: %s %q, want green with the blockers named", w.Level, w.Reason)
	}
}

func TestThresholdsCheck(t *testing.T) {
	for _, tc := range []struct {
		t     Thresholds
		field string
	}{
		{Thresholds{RedPoints: 30, RedMonths: 3}, ""},
		{Thresholds{RedPoints: 1, RedMonths: 2}, ""},
		{Thresholds{RedPoints: 100, RedMonths: 24}, ""},
		{Thresholds{RedPoints: 0, RedMonths: 3}, "red_points"},
		{Thresholds{RedPoints: 101, RedMonths: 3}, "red_points"},
		{Thresholds{RedPoints: 30, RedMonths: 1}, "red_months"},
		{Thresholds{RedPoints: 30, RedMonths: 25}, "red_months"},
	} {
		err := tc.t.Check()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%+v refused: %v", tc.t, err)
			}
			continue
		}
		ge, ok := err.(*geo.Error)
		if !ok || ge.Kind != geo.KindInvalid || ge.Field != tc.field {
			t.Errorf("%+v: %v, want invalid %s", tc.t, err, tc.field)
		}
	}
}

func TestBlockerCheck(t *testing.T) {
	today := day("2026-11-29")
	good := BlockerInput{Kind: "land", Note: "征地未完成", ResponsibleUnit: "源汇区政府", DueOn: "2026-12-31"}
	r, err := good.Check(today)
	if err != nil || r.Status != "open" || !r.RaisedOn.Equal(today) {
		t.Fatalf("%+v %v", r, err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*BlockerInput)
		field string
	}{
		{"bad kind", func(b *BlockerInput) { b.Kind = "weather" }, "kind"},
		{"bad status", func(b *BlockerInput) { b.Status = "done" }, "status"},
		{"no note", func(b *BlockerInput) { b.Note = " " }, "note"},
		{"no unit", func(b *BlockerInput) { b.ResponsibleUnit = "" }, "responsible_unit"},
		{"no due date", func(b *BlockerInput) { b.DueOn = "" }, "due_on"},
		{"bad due date", func(b *BlockerInput) { b.DueOn = "2026-02-30" }, "due_on"},
		{"due before raised", func(b *BlockerInput) { b.RaisedOn = "2026-11-01"; b.DueOn = "2026-10-31" }, "due_on"},
		{"resolved without resolution", func(b *BlockerInput) { b.Status = "resolved" }, "resolution"},
	} {
		b := good
		tc.edit(&b)
		_, err := b.Check(today)
		if ge, ok := err.(*geo.Error); !ok || ge.Field != tc.field {
			t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
		}
	}
	due := "2026-11-28"
	if !Overdue("open", &due, today) || Overdue("resolved", &due, today) || Overdue("open", &due, day("2026-11-28")) {
		t.Fatal("overdue: a day after the due date, not resolved, only")
	}
}
