package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

type assessmentAnswer struct {
	Year       int
	Weights    map[string]int
	WeightsSet bool `json:"weights_set"`
	Items      []struct {
		ID      string `json:"id"`
		Formula string
	}
	Districts []struct {
		DistrictID geo.ID `json:"district_id"`
		District   string
		Total      float64
		Rank       int
		Last       bool
		Scores     []struct {
			Item     string
			Computed *float64
			Override *float64
			Reason   string
			Score    *float64
		}
	}
}

// score is district d's score of item (nil: none), and its total.
func (a assessmentAnswer) score(d geo.ID, item string) (*float64, float64) {
	for _, ds := range a.Districts {
		if ds.DistrictID != d {
			continue
		}
		for _, s := range ds.Scores {
			if s.Item == item {
				return s.Score, ds.Total
			}
		}
	}
	return nil, -1
}

// order is the districts' ids in the order of their rank, the last
// flagged with "!".
func (a assessmentAnswer) order() string {
	var out []string
	for _, d := range a.Districts {
		s := fmt.Sprint(d.DistrictID)
		if d.Last {
			s += "!"
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

func eq(p *float64, v float64) bool { return p != nil && *p == v }

// TestAssessment: the sub-scores computed from the ledger (construction
// from schedule ratios, completion from projects put into production,
// approvals from working days within 38, planning from additions to the
// reserve pool), weighted by the default weights and then by an admin's
// weights, which change the ranking and the district flagged last; an
// override counts instead of the computed score, with its reason.
func TestAssessment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, leader := f.users[geo.RoleAdmin], f.users[geo.RoleLeader]
	now := time.Now().In(geo.CityZone())
	year := now.Year()
	month := time.Date(year, now.Month(), 1, 0, 0, 0, 0, time.UTC)
	// 源汇区 (1): project 1 at half its plan, project 2 put into production
	// as planned this year and added to the reserve pool this year;
	// 舞阳县 (2): project 3 at its plan.
	exec(t, f, `INSERT INTO project_progress (project_id, month, planned, invested) VALUES (1, $1, 1000, 500), (3, $1, 1000, 1000)`, month)
	exec(t, f, `UPDATE projects SET stage = 'operating', planned_start = $1, planned_finish = $2, actual_start = $1, actual_finish = $2 WHERE id = 2`,
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, now.Month(), 1, 0, 0, 0, 0, time.UTC))
	exec(t, f, `INSERT INTO project_stages (project_id, from_stage, to_stage, actor) VALUES (2, NULL, 'reserve', 'test')`)
	// Project 1's joint approval started today: within the limit.
	exec(t, f, `INSERT INTO project_approval_steps (project_id, step, started) VALUES (1, 'land', $1)`,
		time.Date(year, now.Month(), now.Day(), 0, 0, 0, 0, time.UTC))

	var a assessmentAnswer
	res := leader.do(t, "GET", fmt.Sprintf("/api/assessment?year=%d", year), nil)
	decodeJSON(t, res, &a)
	if res.StatusCode != 200 || a.WeightsSet || a.Weights["construction"] != 20 || len(a.Items) != 5 || a.Items[0].Formula == "" {
		t.Fatalf("%d %+v", res.StatusCode, a)
	}
	for _, c := range []struct {
		d     geo.ID
		item  string
		score *float64
	}{
		{1, "construction", scoreOf(50)}, {2, "construction", scoreOf(100)},
		{1, "completion", scoreOf(100)}, {2, "completion", nil},
		{1, "planning", scoreOf(100)}, {2, "planning", scoreOf(0)},
		{1, "approvals", scoreOf(100)}, {2, "approvals", nil},
		{1, "attraction", nil},
	} {
		got, _ := a.score(c.d, c.item)
		if (got == nil) != (c.score == nil) || got != nil && *got != *c.score {
			t.Errorf("district %d %s: %v, want %v", c.d, c.item, deref(got), deref(c.score))
		}
	}
	// 1: (50 + 100 + 100 + 100) × 20% = 70; 2: 100 × 20% = 20.
	if _, total := a.score(1, "construction"); total != 70 || a.order() != "1,2!" {
		t.Fatalf("default weights: total %v, order %s", total, a.order())
	}

	weights := map[string]int{"planning": 0, "attraction": 0, "approvals": 0, "construction": 100, "completion": 0}
	res = admin.do(t, "PUT", fmt.Sprintf("/api/assessment/%d/weights", year), weights)
	decodeJSON(t, res, &a)
	if res.StatusCode != 200 || !a.WeightsSet || a.order() != "2,1!" {
		t.Fatalf("construction only: %d, order %s", res.StatusCode, a.order())
	}
	if res := leader.do(t, "PUT", fmt.Sprintf("/api/assessment/%d/weights", year), weights); res.StatusCode != 403 {
		t.Fatalf("a leader sets weights: %d", res.StatusCode)
	}

	res = admin.do(t, "PUT", fmt.Sprintf("/api/assessment/%d/overrides/1/construction", year), map[string]any{"score": 100, "reason": "重大项目集中开工，市政府专题会议认定"})
	decodeJSON(t, res, &a)
	if s, total := a.score(1, "construction"); res.StatusCode != 200 || !eq(s, 100) || total != 100 || a.order() != "1,2" {
		t.Fatalf("override: %d %v total %v order %s", res.StatusCode, deref(s), total, a.order())
	}
	res = admin.do(t, "DELETE", fmt.Sprintf("/api/assessment/%d/overrides/1/construction", year), nil)
	decodeJSON(t, res, &a)
	if s, _ := a.score(1, "construction"); res.StatusCode != 200 || !eq(s, 50) || a.order() != "2,1!" {
		t.Fatalf("override removed: %d %v order %s", res.StatusCode, deref(s), a.order())
	}
	if res := f.users[geo.RoleDistrict].do(t, "GET", "/api/assessment", nil); res.StatusCode != 403 {
		t.Fatalf("a district user reads the ranking: %d", res.StatusCode)
	}
}

func scoreOf(v float64) *float64 { return &v }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestAssessmentInput: each rule of the weights and the overrides refused
// with its code, in Chinese.
func TestAssessmentInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	w := func(p, a, ap, c, co int) map[string]int {
		return map[string]int{"planning": p, "attraction": a, "approvals": ap, "construction": c, "completion": co}
	}
	for _, tc := range []struct {
		name, method, path, code string
		status                   int
		body                     any
	}{
		{"year not a number", "GET", "/api/assessment?year=abc", "bad_year", 400, nil},
		{"year out of range", "GET", "/api/assessment?year=1999", "bad_year", 400, nil},
		{"weights not summing to 100", "PUT", "/api/assessment/2026/weights", "weights_sum", 400, w(20, 20, 20, 20, 10)},
		{"weight negative", "PUT", "/api/assessment/2026/weights", "bad_weight", 400, w(-10, 30, 20, 30, 30)},
		{"weight over 100", "PUT", "/api/assessment/2026/weights", "bad_weight", 400, w(120, -20, 0, 0, 0)},
		{"weight not whole", "PUT", "/api/assessment/2026/weights", "bad_json", 400, map[string]float64{"planning": 20.5}},
		{"weights of a bad year", "PUT", "/api/assessment/20x6/weights", "bad_year", 400, w(20, 20, 20, 20, 20)},
		{"score missing", "PUT", "/api/assessment/2026/overrides/1/planning", "required", 400, map[string]any{"reason": "核定"}},
		{"score over 100", "PUT", "/api/assessment/2026/overrides/1/planning", "bad_score", 400, map[string]any{"score": 100.5, "reason": "核定"}},
		{"score negative", "PUT", "/api/assessment/2026/overrides/1/planning", "bad_score", 400, map[string]any{"score": -1, "reason": "核定"}},
		{"reason missing", "PUT", "/api/assessment/2026/overrides/1/planning", "required", 400, map[string]any{"score": 80, "reason": " "}},
		{"reason too long", "PUT", "/api/assessment/2026/overrides/1/planning", "too_long", 400, map[string]any{"score": 80, "reason": strings.Repeat("理", 501)}},
		{"reason with NUL", "PUT", "/api/assessment/2026/overrides/1/planning", "bad_text", 400, map[string]any{"score": 80, "reason": "a\u0000"}},
		{"unknown item", "PUT", "/api/assessment/2026/overrides/1/tax", "bad_item", 400, map[string]any{"score": 80, "reason": "核定"}},
		{"bad district", "PUT", "/api/assessment/2026/overrides/x/planning", "bad_district", 400, map[string]any{"score": 80, "reason": "核定"}},
		{"unknown district", "PUT", "/api/assessment/2026/overrides/99/planning", "not_found", 404, map[string]any{"score": 80, "reason": "核定"}},
		{"no such override", "DELETE", "/api/assessment/2026/overrides/1/planning", "not_found", 404, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.do(t, tc.method, tc.path, tc.body)
			if e := errorOf(t, res); res.StatusCode != tc.status || e.Code != tc.code || e.Message == "" {
				t.Fatalf("%d %+v, want %d %s", res.StatusCode, e, tc.status, tc.code)
			}
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		res := sendRaw(t, admin, "PUT", "/api/assessment/2026/overrides/1/planning", "application/json", []byte("{\"score\":80,\"reason\":\"\xfe\"}"))
		if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "bad_text" {
			t.Fatalf("%d %+v", res.StatusCode, e)
		}
	})
}
