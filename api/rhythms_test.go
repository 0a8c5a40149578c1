package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// reserveProjects adds reserve projects 4 (land in hand and filed), 5
// (land in hand only) and 6 (nothing done) to the fixture, 3, 2 and 1
// million 万元 each.
func reserveProjects(t *testing.T, f *fixture) {
	t.Helper()
	exec(t, f, `INSERT INTO projects (id, name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point) VALUES
		(4, '漯河智能装备产业园', 'reserve', 'industry', 1, '张副市长', '市发展改革委', '某装备公司', 3000000, ST_SetSRID(ST_MakePoint(114.01, 33.58), 4490)),
		(5, '沙澧河文旅综合体', 'reserve', 'planning', 1, '李副市长', '市文广旅局', '市文旅集团', 2000000, ST_SetSRID(ST_MakePoint(114.02, 33.59), 4490)),
		(6, '临颍休闲食品城', 'reserve', 'attraction', 1, '李副市长', '市商务局', '某食品公司', 1000000, ST_SetSRID(ST_MakePoint(114.03, 33.6), 4490));
		INSERT INTO project_approval_steps (project_id, step, started, finished) VALUES
		(4, 'land', '2026-01-05', '2026-02-10'), (4, 'filing', '2026-02-11', '2026-02-20'),
		(5, 'land', '2026-01-05', '2026-03-01'), (5, 'filing', '2026-03-02', NULL)`)
}

type poolEntry struct {
	ID       geo.ID   `json:"id"`
	Ready    bool     `json:"ready"`
	Missing  []string `json:"missing"`
	Decision *struct {
		Decision string `json:"decision"`
		Actor    string `json:"actor"`
	} `json:"decision"`
}

type poolMove struct {
	ID     geo.ID  `json:"id"`
	Reason *string `json:"reason"`
	Actor  string  `json:"actor"`
}

type review struct {
	Quarter    string      `json:"quarter"`
	Open       bool        `json:"open"`
	Target     string      `json:"target"`
	Total      string      `json:"total"`
	Progress   float64     `json:"progress"`
	Count      int         `json:"count"`
	Candidates []poolEntry `json:"candidates"`
	Waiting    []poolEntry `json:"waiting"`
	Promoted   []poolMove  `json:"promoted"`
	Withdrawn  []poolMove  `json:"withdrawn"`
	Decisions  []struct {
		ProjectID geo.ID `json:"project_id"`
		Decision  string `json:"decision"`
	} `json:"decisions"`
}

// thisQuarter is the quarter of today in the city, YYYY-Qn.
func thisQuarter() string {
	now := time.Now().In(geo.CityZone())
	return fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
}

// TestPoolReview: the quarter's candidates are the reserve projects with
// their land in hand and their filing done; a promotion moves a project to
// 前期 through the lifecycle (its stage history, who and when), a
// withdrawal needs a reason; the pool's total falls with each, against its
// 1000亿 target; a project is decided once a quarter; the decisions are
// audited.
func TestPoolReview(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reserveProjects(t, f)
	admin := f.users[geo.RoleAdmin]
	q := thisQuarter()
	path := "/api/pool/reviews/" + q
	get := func() review {
		var r review
		res := f.users[geo.RoleLeader].do(t, "GET", path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("review: %d", res.StatusCode)
		}
		decodeJSON(t, res, &r)
		return r
	}
	r := get()
	if r.Quarter != q || !r.Open || r.Count != 3 || r.Total != "6000000.00" || r.Target != "10000000.00" || r.Progress != 0.6 {
		t.Fatalf("review %+v", r)
	}
	if len(r.Candidates) != 1 || r.Candidates[0].ID != 4 || len(r.Waiting) != 2 {
		t.Fatalf("candidates %+v, waiting %+v", r.Candidates, r.Waiting)
	}
	if r.Waiting[0].ID != 5 || strings.Join(r.Waiting[0].Missing, ",") != "项目备案（核准）" {
		t.Fatalf("waiting %+v", r.Waiting[0])
	}

	decide := func(body any) *http.Response { return admin.do(t, "POST", path+"/decisions", body) }
	if res := decide(map[string]any{"project_id": 5, "decision": "promote"}); res.StatusCode != 400 || errorCode(t, res) != "not_ready" {
		t.Fatalf("promoting a project not ready: %d", res.StatusCode)
	}
	if res := decide(map[string]any{"project_id": 4, "decision": "promote"}); res.StatusCode != 201 {
		t.Fatalf("promote: %d %s", res.StatusCode, errorCode(t, res))
	}
	var p struct {
		Stage string `json:"stage"`
	}
	decodeJSON(t, admin.do(t, "GET", "/api/projects/4", nil), &p)
	if p.Stage != "preparing" {
		t.Fatalf("stage after promotion: %s", p.Stage)
	}
	var stages []struct {
		From  *string `json:"from"`
		To    string  `json:"to"`
		Actor string  `json:"actor"`
	}
	decodeJSON(t, admin.do(t, "GET", "/api/projects/4/stages", nil), &stages)
	if len(stages) != 1 || *stages[0].From != "reserve" || stages[0].To != "preparing" || stages[0].Actor != "admin1" {
		t.Fatalf("stage history %+v", stages)
	}
	if res := decide(map[string]any{"project_id": 4, "decision": "keep"}); res.StatusCode != 400 || errorCode(t, res) != "not_in_pool" {
		t.Fatalf("deciding on a promoted project: %d", res.StatusCode)
	}
	if res := decide(map[string]any{"project_id": 5, "decision": "keep"}); res.StatusCode != 201 {
		t.Fatalf("keep: %d", res.StatusCode)
	}
	if res := decide(map[string]any{"project_id": 5, "decision": "withdraw", "reason": "规划调整"}); res.StatusCode != 409 || errorCode(t, res) != "already_decided" {
		t.Fatalf("a second decision: %d", res.StatusCode)
	}
	if res := decide(map[string]any{"project_id": 6, "decision": "withdraw"}); res.StatusCode != 400 || errorCode(t, res) != "required" {
		t.Fatalf("withdrawal without a reason: %d", res.StatusCode)
	}
	if res := decide(map[string]any{"project_id": 6, "decision": "withdraw", "reason": "企业投资意向取消"}); res.StatusCode != 201 {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	r = get()
	if r.Count != 1 || r.Total != "2000000.00" || r.Progress != 0.2 || len(r.Decisions) != 3 {
		t.Fatalf("review after the decisions %+v", r)
	}
	if len(r.Promoted) != 1 || r.Promoted[0].ID != 4 || len(r.Withdrawn) != 1 || *r.Withdrawn[0].Reason != "企业投资意向取消" {
		t.Fatalf("moves: promoted %+v, withdrawn %+v", r.Promoted, r.Withdrawn)
	}
	if r.Waiting[0].Decision == nil || r.Waiting[0].Decision.Decision != "keep" || r.Waiting[0].Decision.Actor != "admin1" {
		t.Fatalf("the kept project's decision %+v", r.Waiting[0])
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'pool_decisions'"); n != 3 {
		t.Fatalf("%d audited decisions, want 3", n)
	}
}

// TestPoolReviewBadInput: each rule of a review refuses its bad input
// with its code, and writes nothing.
func TestPoolReviewBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reserveProjects(t, f)
	admin := f.users[geo.RoleAdmin]
	q := thisQuarter()
	for _, tc := range []struct {
		name, quarter, body string
		status              int
		code                string
	}{
		{"quarter 5", "2025-Q5", `{"project_id": 4, "decision": "keep"}`, 400, "bad_quarter"},
		{"no quarter", "2025", `{"project_id": 4, "decision": "keep"}`, 400, "bad_quarter"},
		{"a closed quarter", "2020-Q1", `{"project_id": 4, "decision": "keep"}`, 400, "review_closed"},
		{"an unknown decision", q, `{"project_id": 4, "decision": "approve"}`, 400, "bad_decision"},
		{"no project", q, `{"decision": "keep"}`, 400, "required"},
		{"a project not in the pool", q, `{"project_id": 1, "decision": "keep"}`, 400, "not_in_pool"},
		{"no such project", q, `{"project_id": 999, "decision": "keep"}`, 404, "not_found"},
		{"no reason to withdraw", q, `{"project_id": 6, "decision": "withdraw", "reason": "  "}`, 400, "required"},
		{"a reason too long", q, `{"project_id": 6, "decision": "withdraw", "reason": "` + strings.Repeat("长", 201) + `"}`, 400, "too_long"},
		{"NUL in the reason", q, `{"project_id": 6, "decision": "withdraw", "reason": "a\u0000b"}`, 400, "bad_text"},
		{"bad UTF-8 in the reason", q, "{\"project_id\": 6, \"decision\": \"withdraw\", \"reason\": \"\xff\xfe\"}", 400, "bad_text"},
		{"an unknown field", q, `{"project_id": 6, "decision": "keep", "by": "x"}`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.send(t, "POST", "/api/pool/reviews/"+tc.quarter+"/decisions", "application/json", []byte(tc.body))
			code := errorCode(t, res)
			if res.StatusCode != tc.status || tc.code != "" && code != tc.code {
				t.Fatalf("%d %s, want %d %s", res.StatusCode, code, tc.status, tc.code)
			}
		})
	}
	if res := admin.do(t, "GET", "/api/pool/reviews/2025-Q0", nil); res.StatusCode != 400 || errorCode(t, res) != "bad_quarter" {
		t.Fatalf("GET a bad quarter: %d", res.StatusCode)
	}
	if n := f.count(t, "SELECT count(*) FROM pool_decisions"); n != 0 {
		t.Fatalf("%d decisions written by bad input", n)
	}
}

type waveYear struct {
	Year    int  `json:"year"`
	Default bool `json:"default"`
	Waves   []struct {
		Wave     int    `json:"wave"`
		Starts   string `json:"starts"`
		Ends     string `json:"ends"`
		Projects []struct {
			ID       geo.ID `json:"id"`
			Assigned *int   `json:"assigned"`
		} `json:"projects"`
	} `json:"waves"`
	Others []struct {
		ID geo.ID `json:"id"`
	} `json:"others"`
}

// TestWaves: a year's new starts fall into the wave whose window holds
// their actual start, or the wave they were assigned to; an admin sets
// the windows, which otherwise are the year's defaults.
func TestWaves(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	exec(t, f, "UPDATE projects SET actual_start = '2025-03-10' WHERE id = 1")
	exec(t, f, "UPDATE projects SET actual_start = '2025-08-15' WHERE id = 3")
	get := func() waveYear {
		var w waveYear
		res := f.users[geo.RoleLeader].do(t, "GET", "/api/waves?year=2025", nil)
		if res.StatusCode != 200 {
			t.Fatalf("waves: %d", res.StatusCode)
		}
		decodeJSON(t, res, &w)
		return w
	}
	in := func(w waveYear) string {
		var s []string
		for _, wv := range w.Waves {
			for _, p := range wv.Projects {
				s = append(s, fmt.Sprintf("%d:%d", wv.Wave, p.ID))
			}
		}
		for _, p := range w.Others {
			s = append(s, fmt.Sprintf("-:%d", p.ID))
		}
		return strings.Join(s, " ")
	}
	w := get()
	if !w.Default || len(w.Waves) != 3 || w.Waves[0].Starts != "2025-02-05" || w.Waves[1].Starts != "2025-06-01" || w.Waves[2].Ends != "2025-11-30" {
		t.Fatalf("the default waves of 2025: %+v", w)
	}
	if got := in(w); got != "1:1 -:3" {
		t.Fatalf("new starts %q, want 1:1 -:3", got)
	}
	if res := admin.do(t, "PUT", "/api/projects/3/wave", map[string]int{"year": 2025, "wave": 3}); res.StatusCode != 204 {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	if got := in(get()); got != "1:1 3:3" {
		t.Fatalf("after the assignment %q, want 1:1 3:3", got)
	}
	if res := admin.do(t, "DELETE", "/api/projects/3/wave", nil); res.StatusCode != 204 {
		t.Fatalf("unassign: %d", res.StatusCode)
	}
	if res := admin.do(t, "DELETE", "/api/projects/3/wave", nil); res.StatusCode != 404 || errorCode(t, res) != "not_assigned" {
		t.Fatalf("unassign again: %d", res.StatusCode)
	}
	windows := func(w1, w2, w3 [2]string) map[string]any {
		var ws []map[string]string
		for _, w := range [][2]string{w1, w2, w3} {
			ws = append(ws, map[string]string{"starts": w[0], "ends": w[1]})
		}
		return map[string]any{"waves": ws}
	}
	res := admin.do(t, "PUT", "/api/waves/2025", windows([2]string{"2025-02-10", "2025-02-28"}, [2]string{"2025-06-10", "2025-08-31"}, [2]string{"2025-10-08", "2025-11-30"}))
	if res.StatusCode != 200 {
		t.Fatalf("put waves: %d %s", res.StatusCode, errorCode(t, res))
	}
	if w := get(); w.Default || in(w) != "2:3 -:1" {
		t.Fatalf("after new windows: default %v, %q, want 2:3 -:1", w.Default, in(w))
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name IN ('waves', 'project_waves')"); n != 5 {
		t.Fatalf("%d audited wave writes, want 5", n)
	}

	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"a bad year", "GET", "/api/waves?year=20x5", nil, 400, "bad_year"},
		{"a year without dates", "GET", "/api/waves?year=2050", nil, 404, "wave_dates_missing"},
		{"two waves", "PUT", "/api/waves/2026", map[string]any{"waves": []map[string]string{{"starts": "2026-03-01", "ends": "2026-03-31"}, {"starts": "2026-06-01", "ends": "2026-06-30"}}}, 400, "bad_waves"},
		{"a bad date", "PUT", "/api/waves/2026", windows([2]string{"2026-02-30", "2026-03-31"}, [2]string{"2026-06-01", "2026-06-30"}, [2]string{"2026-10-08", "2026-11-30"}), 400, "bad_date"},
		{"a date of another year", "PUT", "/api/waves/2026", windows([2]string{"2025-03-01", "2026-03-31"}, [2]string{"2026-06-01", "2026-06-30"}, [2]string{"2026-10-08", "2026-11-30"}), 400, "date_not_in_year"},
		{"an end before the start", "PUT", "/api/waves/2026", windows([2]string{"2026-03-31", "2026-03-01"}, [2]string{"2026-06-01", "2026-06-30"}, [2]string{"2026-10-08", "2026-11-30"}), 400, "ends_before_starts"},
		{"overlapping waves", "PUT", "/api/waves/2026", windows([2]string{"2026-03-01", "2026-06-15"}, [2]string{"2026-06-01", "2026-06-30"}, [2]string{"2026-10-08", "2026-11-30"}), 400, "waves_overlap"},
		{"NUL in a date", "PUT", "/api/waves/2026", windows([2]string{"2026-03-01\x00", "2026-03-31"}, [2]string{"2026-06-01", "2026-06-30"}, [2]string{"2026-10-08", "2026-11-30"}), 400, "bad_text"},
		{"wave 4", "PUT", "/api/projects/1/wave", map[string]int{"year": 2025, "wave": 4}, 400, "bad_wave"},
		{"year 1999", "PUT", "/api/projects/1/wave", map[string]int{"year": 1999, "wave": 1}, 400, "bad_year"},
		{"no such project", "PUT", "/api/projects/999/wave", map[string]int{"year": 2025, "wave": 1}, 404, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.do(t, tc.method, tc.path, tc.body)
			if code := errorCode(t, res); res.StatusCode != tc.status || code != tc.code {
				t.Fatalf("%d %s, want %d %s", res.StatusCode, code, tc.status, tc.code)
			}
		})
	}
	if n := f.count(t, "SELECT count(*) FROM waves WHERE year = 2026"); n != 0 {
		t.Fatalf("%d windows written by bad input", n)
	}
}

type heatingSeason struct {
	Season   string `json:"season"`
	Starts   string `json:"starts"`
	Ends     string `json:"ends"`
	Default  bool   `json:"default"`
	Projects []struct {
		ID       geo.ID  `json:"id"`
		Status   string  `json:"status"`
		PermitNo *string `json:"permit_no"`
		MayWork  bool    `json:"may_work"`
	} `json:"projects"`
}

// TestHeating: a season lists the sites under construction, stopped
// unless they hold a permit (number and scope) or are exempt; an admin
// sets the season's dates.
func TestHeating(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	get := func(path string) heatingSeason {
		var h heatingSeason
		res := f.users[geo.RoleLeader].do(t, "GET", path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		decodeJSON(t, res, &h)
		return h
	}
	h := get("/api/heating/2025-2026")
	if h.Season != "2025-2026" || h.Starts != "2025-11-15" || h.Ends != "2026-03-15" || !h.Default || len(h.Projects) != 2 {
		t.Fatalf("season %+v", h)
	}
	for _, p := range h.Projects {
		if p.Status != "" || p.MayWork {
			t.Fatalf("a site with nothing recorded: %+v", p)
		}
	}
	res := admin.do(t, "PUT", "/api/projects/1/heating/2025-2026", map[string]string{"status": "permitted", "permit_no": "漯环特许〔2025〕12号", "scope": "室内装修、设备安装"})
	if res.StatusCode != 200 {
		t.Fatalf("permit: %d %s", res.StatusCode, errorCode(t, res))
	}
	if res := admin.do(t, "PUT", "/api/projects/2/heating/2025-2026", map[string]string{"status": "exempt"}); res.StatusCode != 200 {
		t.Fatalf("exempt: %d", res.StatusCode)
	}
	h = get("/api/heating/2025-2026")
	got := map[geo.ID]string{}
	for _, p := range h.Projects {
		got[p.ID] = fmt.Sprintf("%s %v", p.Status, p.MayWork)
	}
	if len(got) != 3 || got[1] != "permitted true" || got[2] != "exempt true" || got[3] != " false" {
		t.Fatalf("statuses %v", got)
	}
	if res := admin.do(t, "PUT", "/api/heating/2025-2026", map[string]string{"starts": "2025-11-01", "ends": "2026-03-31"}); res.StatusCode != 200 {
		t.Fatalf("season dates: %d %s", res.StatusCode, errorCode(t, res))
	}
	if h := get("/api/heating/2025-2026"); h.Default || h.Starts != "2025-11-01" || h.Ends != "2026-03-31" {
		t.Fatalf("season after its dates were set: %+v", h)
	}
	now := time.Now().In(geo.CityZone())
	y := now.Year()
	if now.Month() < time.July {
		y--
	}
	if h := get("/api/heating"); h.Season != fmt.Sprintf("%d-%d", y, y+1) {
		t.Fatalf("the current season is %s", h.Season)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name IN ('project_heating', 'heating_seasons')"); n != 3 {
		t.Fatalf("%d audited heating writes, want 3", n)
	}

	permit := func(status, no, scope string) map[string]string {
		return map[string]string{"status": status, "permit_no": no, "scope": scope}
	}
	for _, tc := range []struct {
		name, path  string
		body        any
		status      int
		code, field string
	}{
		{"a bad season", "/api/projects/3/heating/2025-2027", permit("stopped", "", ""), 400, "bad_season", "season"},
		{"an unknown status", "/api/projects/3/heating/2025-2026", permit("working", "", ""), 400, "bad_status", "status"},
		{"a permit without its number", "/api/projects/3/heating/2025-2026", permit("permitted", "", "土方作业"), 400, "required", "permit_no"},
		{"a permit without its scope", "/api/projects/3/heating/2025-2026", permit("permitted", "漯环特许〔2025〕13号", " "), 400, "required", "scope"},
		{"a permit number of a stopped site", "/api/projects/3/heating/2025-2026", permit("stopped", "漯环特许〔2025〕13号", ""), 400, "permit_not_allowed", "permit_no"},
		{"a scope too long", "/api/projects/3/heating/2025-2026", permit("permitted", "漯环特许〔2025〕13号", strings.Repeat("范", 501)), 400, "too_long", "scope"},
		{"a permit number too long", "/api/projects/3/heating/2025-2026", permit("permitted", strings.Repeat("号", 51), "土方作业"), 400, "too_long", "permit_no"},
		{"NUL in the scope", "/api/projects/3/heating/2025-2026", permit("permitted", "漯环特许〔2025〕13号", "土方\x00作业"), 400, "bad_text", ""},
		{"no such project", "/api/projects/999/heating/2025-2026", permit("stopped", "", ""), 404, "not_found", ""},
		{"season start in summer", "/api/heating/2026-2027", map[string]string{"starts": "2026-08-01", "ends": "2027-03-15"}, 400, "bad_season_dates", "starts"},
		{"season end in June", "/api/heating/2026-2027", map[string]string{"starts": "2026-11-15", "ends": "2027-06-01"}, 400, "bad_season_dates", "ends"},
		{"season with a bad date", "/api/heating/2026-2027", map[string]string{"starts": "2026-11-31", "ends": "2027-03-15"}, 400, "bad_date", "starts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.do(t, "PUT", tc.path, tc.body)
			var body struct {
				Error struct{ Code, Field, Message string } `json:"error"`
			}
			decodeJSON(t, res, &body)
			if res.StatusCode != tc.status || body.Error.Code != tc.code || body.Error.Field != tc.field || body.Error.Message == "" {
				t.Fatalf("%d %+v, want %d %s on %q", res.StatusCode, body.Error, tc.status, tc.code, tc.field)
			}
		})
	}
	if n := f.count(t, "SELECT count(*) FROM project_heating WHERE project_id = 3"); n != 0 {
		t.Fatalf("bad input wrote a status")
	}
	bad := "{\"status\": \"permitted\", \"permit_no\": \"\xff\", \"scope\": \"x\"}"
	if res := admin.send(t, "PUT", "/api/projects/3/heating/2025-2026", "application/json", []byte(bad)); res.StatusCode != 400 || errorCode(t, res) != "bad_text" {
		t.Fatalf("invalid UTF-8: %d", res.StatusCode)
	}
}
