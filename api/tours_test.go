package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// tourAnswer is the part of a tour's answer the tests read.
type tourAnswer struct {
	ID         geo.ID
	Name       string
	Version    int
	Route      string
	RouteNote  string  `json:"route_note"`
	AssumedKmh float64 `json:"assumed_kmh"`
	Start      project.TourStart
	ReturnAt   string `json:"return_at"`
	Stops      []struct {
		Position int
		Arrive   string
		Depart   string
		Project  struct {
			ID              geo.ID
			District        string
			TotalInvestment *string `json:"total_investment"`
		}
		Score *float64
	}
	Legs []struct {
		From, To int
		Metres   float64
		Seconds  float64
	}
	Ranking []project.DistrictRank
}

func decodeTour(t *testing.T, res *http.Response, want int) tourAnswer {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d (%s)", res.StatusCode, want, errorCode(t, res))
	}
	var a tourAnswer
	decodeJSON(t, res, &a)
	return a
}

// TestTourLifecycle plans a tour of two projects from the city
// government (no road network in the fixture: straight lines, and said
// so), edits it with If-Match, scores it as two judges, ranks the
// districts with the last one flagged, and deletes it, every write
// audited.
func TestTourLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, leader := f.users[geo.RoleAdmin], f.users[geo.RoleLeader]
	res := admin.do(t, "POST", "/api/tours", map[string]any{"name": "2026年第四季度重点项目观摩", "day": "2026-12-08",
		"project_ids": []int{1, 3}, "dwell_minutes": 30})
	tour := decodeTour(t, res, 201)
	if res.Header.Get("ETag") != `"v1"` || res.Header.Get("Location") != "/api/tours/"+tour.ID.String() {
		t.Fatalf("ETag %q, Location %q", res.Header.Get("ETag"), res.Header.Get("Location"))
	}
	if tour.Start.Name != "漯河市人民政府" || tour.Route != "straight" || tour.RouteNote != "无路网，按直线距离估算" || tour.AssumedKmh != 40 {
		t.Fatalf("start %+v, route %q %q at %v km/h", tour.Start, tour.Route, tour.RouteNote, tour.AssumedKmh)
	}
	if len(tour.Stops) != 2 || len(tour.Legs) != 3 || tour.Legs[2].To != 0 {
		t.Fatalf("%d stops, legs %+v", len(tour.Stops), tour.Legs)
	}
	first := tour.Stops[0]
	if first.Arrive <= "08:30" || first.Depart == "" || tour.ReturnAt <= tour.Stops[1].Depart {
		t.Errorf("times: %+v, back at %s", tour.Stops, tour.ReturnAt)
	}
	for _, l := range tour.Legs {
		// 40 km/h: metres / seconds = 11.1.
		if l.Metres <= 0 || l.Seconds <= 0 || l.Metres/l.Seconds < 11 || l.Metres/l.Seconds > 11.2 {
			t.Errorf("leg %+v", l)
		}
	}
	if first.Project.TotalInvestment == nil {
		t.Error("the briefing card has no investment for the admin")
	}
	path := "/api/tours/" + tour.ID.String()
	if got := decodeTour(t, leader.do(t, "GET", path, nil), 200); got.Version != 1 || len(got.Stops) != 2 {
		t.Fatalf("GET: %+v", got)
	}

	edit := map[string]any{"name": "观摩（修改）", "day": "2026-12-09", "project_ids": []int{3, 1, 2}, "order": "given",
		"start": map[string]any{"name": "市政务服务中心", "lon": 114.0, "lat": 33.6}}
	if res := admin.do(t, "PUT", path, edit); res.StatusCode != 428 || errorCode(t, res) != "if_match_required" {
		t.Fatalf("PUT without If-Match: %d", res.StatusCode)
	}
	if res := admin.do(t, "PUT", path, edit, "If-Match", `"v9"`); res.StatusCode != 412 || errorCode(t, res) != "stale" {
		t.Fatalf("stale PUT: %d", res.StatusCode)
	}
	res = admin.do(t, "PUT", path, edit, "If-Match", `"v1"`)
	tour = decodeTour(t, res, 200)
	if tour.Version != 2 || res.Header.Get("ETag") != `"v2"` || len(tour.Stops) != 3 || tour.Stops[0].Project.ID != 3 || tour.Start.Name != "市政务服务中心" {
		t.Fatalf("edited: %+v", tour)
	}

	sheet := func(c *client, scores ...any) {
		t.Helper()
		var list []map[string]any
		for i := 0; i+1 < len(scores); i += 2 {
			list = append(list, map[string]any{"project_id": scores[i], "score": scores[i+1]})
		}
		if res := c.do(t, "PUT", path+"/scores", map[string]any{"scores": list}); res.StatusCode != 200 {
			t.Fatalf("scores: %d %s", res.StatusCode, errorCode(t, res))
		}
	}
	// 源汇区: projects 1 and 2; 舞阳县: project 3.
	sheet(admin, 1, 90, 2, 80, 3, 70)
	sheet(leader, 1, 94.5, 3, 75)
	var rank struct {
		Ranking []project.DistrictRank
		Model   string
	}
	res = leader.do(t, "GET", path+"/ranking", nil)
	decodeJSON(t, res, &rank)
	if len(rank.Ranking) != 2 || rank.Model == "" {
		t.Fatalf("ranking %+v", rank)
	}
	top, low := rank.Ranking[0], rank.Ranking[1]
	// 源汇区: (92.25 + 80) / 2 = 86.13 (rounded); 舞阳县: 72.5.
	if top.District != "源汇区" || top.Score == nil || *top.Score != 86.13 || top.Rank != 1 || top.Last ||
		low.District != "舞阳县" || low.Score == nil || *low.Score != 72.5 || low.Rank != 2 || !low.Last {
		t.Errorf("ranking %+v %+v", top, low)
	}
	// A judge takes a score back with null.
	if res := leader.do(t, "PUT", path+"/scores", map[string]any{"scores": []map[string]any{{"project_id": 3, "score": nil}}}); res.StatusCode != 200 {
		t.Fatalf("take back: %d", res.StatusCode)
	}
	tour = decodeTour(t, admin.do(t, "GET", path, nil), 200)
	if s := tour.Stops[0].Score; tour.Stops[0].Project.ID != 3 || s == nil || *s != 70 {
		t.Errorf("project 3's score after the leader took theirs back: %v", s)
	}

	if res := admin.do(t, "DELETE", path, nil, "If-Match", `"v1"`); res.StatusCode != 412 {
		t.Fatalf("stale DELETE: %d", res.StatusCode)
	}
	if res := admin.do(t, "DELETE", path, nil, "If-Match", `"v2"`); res.StatusCode != 204 {
		t.Fatalf("DELETE: %d", res.StatusCode)
	}
	if res := admin.do(t, "GET", path, nil); res.StatusCode != 404 {
		t.Fatalf("GET after DELETE: %d", res.StatusCode)
	}
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE table_name IN ('tours', 'tour_stops', 'tour_scores')
		AND actor IN ('admin1', 'leader1')`).Scan(&n); err != nil || n < 10 {
		t.Fatalf("%d audited tour writes, %v", n, err)
	}
}

// TestTourKeyProjects picks the key projects of every district: the
// largest project under construction of each.
func TestTourKeyProjects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	var keys []struct{ ID geo.ID }
	decodeJSON(t, admin.do(t, "GET", "/api/tours/key-projects?per_district=1", nil), &keys)
	if len(keys) != 2 || keys[0].ID != 1 || keys[1].ID != 3 {
		t.Fatalf("key projects %+v, want 1 (源汇区) and 3 (舞阳县)", keys)
	}
	tour := decodeTour(t, admin.do(t, "POST", "/api/tours", map[string]any{"name": "重点项目观摩", "day": "2026-12-08", "per_district": 2}), 201)
	// 源汇区's second project is under preparation (前期): not picked.
	if len(tour.Stops) != 2 {
		t.Fatalf("%d stops, want 2", len(tour.Stops))
	}
	if res := admin.do(t, "GET", "/api/tours/key-projects?per_district=9", nil); res.StatusCode != 400 || errorCode(t, res) != "bad_per_district" {
		t.Fatalf("per_district=9: %d", res.StatusCode)
	}
}

// TestTourValidation sends one bad input for each rule: 400 with its
// code and a Chinese message, never a 5xx.
func TestTourValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	good := func(change map[string]any) map[string]any {
		m := map[string]any{"name": "观摩", "day": "2026-12-08", "project_ids": []int{1}}
		for k, v := range change {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	with := func(k string, v any) map[string]any { return good(map[string]any{k: v}) }
	for _, c := range []struct {
		name string
		body any
		code string
	}{
		{"no name", with("name", " "), "required"},
		{"long name", with("name", strings.Repeat("观", 101)), "too_long"},
		{"no day", good(map[string]any{"day": nil}), "bad_date"},
		{"bad day", with("day", "2026-02-30"), "bad_date"},
		{"bad start time", with("start_time", "25:00"), "bad_time"},
		{"dwell too long", with("dwell_minutes", 241), "bad_dwell"},
		{"negative dwell", with("dwell_minutes", -1), "bad_dwell"},
		{"start without name", with("start", map[string]any{"name": "", "lon": 114.0, "lat": 33.6}), "required"},
		{"start not lon/lat", with("start", map[string]any{"name": "某地", "lon": 400, "lat": 33.6}), "bad_start"},
		{"start outside the city", with("start", map[string]any{"name": "郑州", "lon": 113.62, "lat": 34.75}), "start_outside"},
		{"bad order", with("order", "random"), "bad_order"},
		{"no stops", with("project_ids", []int{}), "no_stops"},
		{"too many stops", with("project_ids", make([]int, 31)), "too_many_stops"},
		{"duplicate stop", with("project_ids", []int{1, 1}), "duplicate_stop"},
		{"unknown project", with("project_ids", []int{1, 999}), "unknown_project"},
		{"both picks", with("per_district", 1), "pick_conflict"},
		{"per_district too large", good(map[string]any{"project_ids": nil, "per_district": 6}), "bad_per_district"},
		{"unknown field", with("colour", "red"), "bad_json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := admin.do(t, "POST", "/api/tours", c.body)
			if res.StatusCode != 400 {
				t.Fatalf("status %d, want 400", res.StatusCode)
			}
			if code := errorCode(t, res); code != c.code {
				t.Fatalf("code %q, want %q", code, c.code)
			}
		})
	}

	tour := decodeTour(t, admin.do(t, "POST", "/api/tours", good(nil)), 201)
	path := "/api/tours/" + tour.ID.String()
	if res := admin.do(t, "PUT", path, good(nil), "If-Match", "v1"); res.StatusCode != 400 || errorCode(t, res) != "bad_if_match" {
		t.Fatalf("bad If-Match: %d", res.StatusCode)
	}
	score := func(v any) []map[string]any { return []map[string]any{{"project_id": 1, "score": v}} }
	for _, c := range []struct {
		name string
		body any
		code string
	}{
		{"empty sheet", map[string]any{"scores": []any{}}, "no_scores"},
		{"above 100", map[string]any{"scores": score(100.5)}, "bad_score"},
		{"below 0", map[string]any{"scores": score(-1)}, "bad_score"},
		{"two decimals", map[string]any{"scores": score(88.25)}, "bad_score"},
		{"not a stop", map[string]any{"scores": []map[string]any{{"project_id": 3, "score": 80}}}, "not_a_stop"},
		{"twice", map[string]any{"scores": append(score(80), score(81)...)}, "duplicate_score"},
		{"text score", map[string]any{"scores": score("80")}, "bad_json"},
	} {
		t.Run("scores "+c.name, func(t *testing.T) {
			res := admin.do(t, "PUT", path+"/scores", c.body)
			if res.StatusCode != 400 {
				t.Fatalf("status %d, want 400", res.StatusCode)
			}
			if code := errorCode(t, res); code != c.code {
				t.Fatalf("code %q, want %q", code, c.code)
			}
		})
	}
	if res := admin.do(t, "GET", "/api/tours/abc", nil); res.StatusCode != 400 {
		t.Fatalf("bad id: %d", res.StatusCode)
	}
}
