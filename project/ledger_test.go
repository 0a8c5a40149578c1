package project

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

func TestCheckCode(t *testing.T) {
	for _, c := range []struct {
		code string
		ok   bool
	}{
		{"2018-411102-13-03-012345", true},
		{"2026-410000-99-01-000001", true},
		{"2018-411102-13-03-01234", false},
		{"2018-41110-13-03-012345", false},
		{"18-411102-13-03-012345", false},
		{"2018/411102/13/03/012345", false},
		{"1999-411102-13-03-012345", false},
		{"2018-991102-13-03-012345", false},
		{"2018-411102-13-03-000000", false},
		{" 2018-411102-13-03-012345", false},
		{"２０１８-411102-13-03-012345", false},
	} {
		if err := CheckCode(c.code); (err == nil) != c.ok {
			t.Errorf("CheckCode(%q) = %v", c.code, err)
		}
	}
}

func TestCheckTransition(t *testing.T) {
	ok := map[[2]geo.Stage]bool{
		{geo.StageReserve, geo.StagePreparing}:   true,
		{geo.StagePreparing, geo.StageBuilding}:  true,
		{geo.StageBuilding, geo.StageOperating}:  true,
		{geo.StageReserve, geo.StageWithdrawn}:   true,
		{geo.StagePreparing, geo.StageWithdrawn}: true,
		{geo.StageBuilding, geo.StageWithdrawn}:  true,
		{geo.StageOperating, geo.StageWithdrawn}: true,
	}
	for _, from := range geo.Stages() {
		for _, to := range geo.Stages() {
			f, s := geo.Stage(from.ID), geo.Stage(to.ID)
			err := CheckTransition(f, s)
			if want := f == s || ok[[2]geo.Stage{f, s}]; (err == nil) != want {
				t.Errorf("%s → %s: %v", f, s, err)
			}
			if err != nil && geo.KindOf(err) != geo.KindInvalid {
				t.Errorf("%s → %s: %v", f, s, err)
			}
		}
	}
}

func ptr(s string) *string { return &s }

// TestProjectRules applies values to a good project and checks it: each
// case has one thing wrong and names the field and code at fault.
func TestProjectRules(t *testing.T) {
	ds := []geo.District{{ID: 1, Code: "411102", Name: "源汇区"}, {ID: 2, Code: "411121", Name: "舞阳县"}}
	good := Values{"name": ptr("漯河冷链物流园"), "stage": ptr("前期"), "category": ptr("industry"), "district": ptr("源汇区"),
		"leader": ptr("张副市长"), "responsible_unit": ptr("市发展改革委"), "owner": ptr("漯河冷链公司"),
		"total_investment": ptr("52,000.50"), "annual_plan": ptr("12000"), "lon": ptr("114.0"), "lat": ptr("33.58")}
	today := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name         string
		change       Values
		field, code  string // "": good
		enteringOnly bool   // a rule of entering a stage
	}{
		{"good", nil, "", "", false},
		{"no name", Values{"name": nil}, "name", "required", false},
		{"a name of 201 characters", Values{"name": ptr(strings.Repeat("项", 201))}, "name", "too_long", false},
		{"a district by code", Values{"district": ptr("411121")}, "", "", false},
		{"a district that does not exist", Values{"district": ptr("西城区")}, "district", "bad_district", false},
		{"a stage by another name", Values{"stage": ptr("完工")}, "stage", "bad_stage", false},
		{"an amount with a letter", Values{"total_investment": ptr("5e3")}, "total_investment", "bad_amount", false},
		{"zero total", Values{"total_investment": ptr("0")}, "total_investment", "required", false},
		{"plan over total", Values{"annual_plan": ptr("60000")}, "annual_plan", "bad_amount", false},
		{"February 30", Values{"planned_start": ptr("2026-02-30")}, "planned_start", "bad_date", false},
		{"year 2101", Values{"planned_finish": ptr("2101-01-01")}, "planned_finish", "bad_date", false},
		{"finish before start", Values{"planned_start": ptr("2026-05-01"), "planned_finish": ptr("2026-04-30")}, "planned_finish", "bad_date", false},
		{"actual start tomorrow", Values{"actual_start": ptr("2026-11-30")}, "actual_start", "bad_date", false},
		{"actual finish without start", Values{"actual_finish": ptr("2026-01-01")}, "actual_start", "required", false},
		{"a reason but not withdrawn", Values{"withdrawn_reason": ptr("资金")}, "withdrawn_reason", "not_withdrawn", false},
		{"withdrawn without a reason", Values{"stage": ptr("withdrawn")}, "withdrawn_reason", "required", false},
		{"half an intended use", Values{"intended_code": ptr("100101")}, "intended_code", "required", false},
		{"no place", Values{"lon": nil, "lat": nil}, "site", "required", false},
		{"a latitude of 91", Values{"lat": ptr("91")}, "lat", "bad_location", false},
		{"building without an actual start", Values{"stage": ptr("在建")}, "actual_start", "required", true},
		{"operating without an actual finish", Values{"stage": ptr("operating"), "actual_start": ptr("2025-01-01")}, "actual_finish", "required", true},
		{"a read-only field", Values{"site_area_mu": ptr("3")}, "site_area_mu", "read_only", false},
		{"a bad code", Values{"code": ptr("2018-411102")}, "code", "bad_code", false},
		{"text with NUL", Values{"owner": ptr("x\x00")}, "owner", "bad_text", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := Values{}
			for k, x := range good {
				v[k] = x
			}
			for k, x := range c.change {
				v[k] = x
			}
			var pr Project
			errs, _ := pr.apply(v, ds)
			errs = append(errs, pr.check(today)...)
			entering := pr.stageNeeds()
			if !c.enteringOnly {
				errs = append(errs, entering...)
			} else if len(errs) > 0 {
				t.Fatalf("an edit that keeps the stage is refused: %+v", errs)
			} else {
				errs = entering
			}
			if c.code == "" {
				if len(errs) > 0 {
					t.Fatalf("refused: %+v", errs)
				}
				if pr.TotalInvestment != geo.DecOf(52000, 50) || pr.Point != (orb.Point{114, 33.58}) {
					t.Fatalf("read %+v", pr)
				}
				return
			}
			if !slices.ContainsFunc(errs, func(e FieldError) bool { return e.Field == c.field && e.Code == c.code && e.Message != "" }) {
				t.Fatalf("errors %+v, want %s %s", errs, c.field, c.code)
			}
		})
	}
}
