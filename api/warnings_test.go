package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// Tiles holding the test's project, one per look: the fixture's tile
// cache does not follow the database's notifications (cmd/onemap's
// server does), so a tile looked at again would be the cached one.
const (
	tileZ9 = "/9/418/205.mvt"
	tileZ8 = "/8/209/102.mvt"
)

// tileProperty is the property key of the named project in the projects
// tile at address.
func tileProperty(t *testing.T, f *fixture, address, name, key string) any {
	t.Helper()
	res := f.get(t, "/tiles/projects"+address, "Accept-Encoding", "gzip")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("tile: %d", res.StatusCode)
	}
	for _, l := range decodeTile(t, res) {
		for _, ft := range l.Features {
			if ft.Properties["name"] == name {
				return ft.Properties[key]
			}
		}
	}
	t.Fatalf("%s is not in the tile", name)
	return nil
}

// startedThisMonth makes project 1 one under construction since the
// start of this month, as planned, without reports.
func startedThisMonth(t *testing.T, f *fixture) {
	t.Helper()
	now := time.Now().In(geo.CityZone())
	exec(t, f, "DELETE FROM project_progress WHERE project_id = 1")
	exec(t, f, "UPDATE projects SET stage = 'building', planned_start = $1, actual_start = $1 WHERE id = 1",
		time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
}

// TestReportTurnsRedToGreen: a project far behind its plan to date is red
// in its answer, in the tile and in the lagging list; the month's report
// that catches up turns it green in all three.
func TestReportTurnsRedToGreen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	month := time.Now().In(geo.CityZone()).Format("2006-01")
	startedThisMonth(t, f)
	const name = "漯河食品产业园扩建项目"

	level := func(address string) (string, string, any) {
		var p struct {
			Level  string   `json:"warning_level"`
			Reason string   `json:"warning_reason"`
			Ratio  *float64 `json:"schedule_ratio"`
		}
		decodeJSON(t, district.do(t, "GET", "/api/projects/1", nil), &p)
		return p.Level, p.Reason, tileProperty(t, f, address, name, "warning_level")
	}
	lagging := func() map[string]string {
		var ws []struct {
			ID     geo.ID `json:"id"`
			Level  string `json:"warning_level"`
			Reason string `json:"warning_reason"`
		}
		decodeJSON(t, district.do(t, "GET", "/api/projects/lagging", nil), &ws)
		out := map[string]string{}
		for _, w := range ws {
			out[fmt.Sprint(w.ID)] = w.Level + " " + w.Reason
		}
		return out
	}

	if res := district.do(t, "PUT", "/api/projects/1/progress/"+month, map[string]string{"planned": "1000", "invested": "600"}); res.StatusCode != 204 {
		t.Fatalf("report: %d %+v", res.StatusCode, errorOf(t, res))
	}
	if l, why, tile := level(tileZ10); l != "red" || !strings.Contains(why, "60.0%") || tile != "red" {
		t.Fatalf("40 points behind: %s (%s), tile %v; want red", l, why, tile)
	}
	if w := lagging()["1"]; !strings.HasPrefix(w, "red 投资进度滞后") {
		t.Fatalf("lagging list: %q", w)
	}

	if res := district.do(t, "PUT", "/api/projects/1/progress/"+month, map[string]string{"planned": "1000", "invested": "1000"}); res.StatusCode != 204 {
		t.Fatalf("report: %d %+v", res.StatusCode, errorOf(t, res))
	}
	if l, why, tile := level(tileZ9); l != "green" || why != "" || tile != "green" {
		t.Fatalf("at plan: %s (%s), tile %v; want green", l, why, tile)
	}
	if w, ok := lagging()["1"]; ok {
		t.Fatalf("a green project in the lagging list: %q", w)
	}

	// The warnings read the investment reports: a viewer, who sees no
	// money, sees none of them.
	viewer := f.users[geo.RoleViewer]
	var p map[string]any
	decodeJSON(t, viewer.do(t, "GET", "/api/projects/1", nil), &p)
	var ws []any
	decodeJSON(t, viewer.do(t, "GET", "/api/projects/lagging", nil), &ws)
	if _, ok := p["warning_level"]; ok || p["warning_reason"] != nil || len(ws) != 0 {
		t.Fatalf("a viewer sees the warnings: %v, lagging %v", p["warning_level"], ws)
	}
}

// TestWarningThresholds: an admin reads and sets the thresholds; a bad
// value is refused in Chinese naming the field, a non-admin is refused,
// and new thresholds reassess the projects.
func TestWarningThresholds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	var th map[string]int
	decodeJSON(t, admin.do(t, "GET", "/api/settings/warnings", nil), &th)
	if th["red_points"] != 30 || th["red_months"] != 3 {
		t.Fatalf("defaults: %v", th)
	}
	for _, tc := range []struct {
		name        string
		body        any
		code, field string
		says        string
	}{
		{"zero points", map[string]any{"red_points": 0, "red_months": 3}, "bad_red_points", "red_points", "1 到 100"},
		{"101 points", map[string]any{"red_points": 101, "red_months": 3}, "bad_red_points", "red_points", "1 到 100"},
		{"one month", map[string]any{"red_points": 30, "red_months": 1}, "bad_red_months", "red_months", "2 到 24"},
		{"25 months", map[string]any{"red_points": 30, "red_months": 25}, "bad_red_months", "red_months", "2 到 24"},
		{"a fraction", map[string]any{"red_points": 30.5, "red_months": 3}, "", "", ""},
		{"text", map[string]any{"red_points": "三十", "red_months": 3}, "", "", ""},
		{"an unknown field", map[string]any{"red_points": 30, "red_months": 3, "yellow": 1}, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.do(t, "PUT", "/api/settings/warnings", tc.body)
			e := errorOf(t, res)
			if res.StatusCode != 400 || tc.code != "" && (e.Code != tc.code || e.Field != tc.field) || !strings.Contains(e.Message, tc.says) {
				t.Fatalf("%d %+v, want 400 %s of %s", res.StatusCode, e, tc.code, tc.field)
			}
			if !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Fatalf("message not in Chinese: %q", e.Message)
			}
		})
	}
	if res := f.users[geo.RoleDistrict].do(t, "PUT", "/api/settings/warnings", map[string]int{"red_points": 10, "red_months": 2}); res.StatusCode != 403 {
		t.Fatalf("a district user set the thresholds: %d", res.StatusCode)
	}

	// 20 points behind: yellow at 30, red at 10.
	startedThisMonth(t, f)
	if res := admin.do(t, "PUT", "/api/projects/1/progress/"+time.Now().In(geo.CityZone()).Format("2006-01"), map[string]string{"planned": "1000", "invested": "800"}); res.StatusCode != 204 {
		t.Fatalf("report: %d", res.StatusCode)
	}
	if l := tileProperty(t, f, tileZ10, "漯河食品产业园扩建项目", "warning_level"); l != "yellow" {
		t.Fatalf("20 behind at 30: %v", l)
	}
	if res := admin.do(t, "PUT", "/api/settings/warnings", map[string]int{"red_points": 10, "red_months": 2}); res.StatusCode != 200 {
		t.Fatalf("set: %d %+v", res.StatusCode, errorOf(t, res))
	}
	if l := tileProperty(t, f, tileZ9, "漯河食品产业园扩建项目", "warning_level"); l != "red" {
		t.Fatalf("20 behind at 10: %v", l)
	}
}

// TestBlockers: blockers of a project are added, listed with the overdue
// ones flagged, resolved and removed; bad input is refused naming the
// field, and the tile counts the overdue ones.
func TestBlockers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	exec(t, f, "DELETE FROM project_blockers WHERE project_id = 1")
	today := time.Now().In(geo.CityZone())
	past := today.AddDate(0, 0, -3).Format(time.DateOnly)
	body := map[string]string{"kind": "land", "note": "征地拆迁未完成", "responsible_unit": "源汇区自然资源局",
		"raised_on": today.AddDate(0, 0, -10).Format(time.DateOnly), "due_on": past}
	var b struct {
		ID      geo.ID `json:"id"`
		Status  string `json:"status"`
		Overdue bool   `json:"overdue"`
	}
	res := district.do(t, "POST", "/api/projects/1/blockers", body)
	decodeJSON(t, res, &b)
	if res.StatusCode != 201 || b.Status != "open" || !b.Overdue {
		t.Fatalf("add: %d %+v", res.StatusCode, b)
	}
	overdue := func(address string) any {
		return tileProperty(t, f, address, "漯河食品产业园扩建项目", "overdue_blockers")
	}
	if n := overdue(tileZ10); fmt.Sprint(n) != "1" {
		t.Fatalf("overdue in the tile: %v", n)
	}
	type row struct {
		ID      geo.ID `json:"id"`
		Reason  string `json:"warning_reason"`
		Overdue int    `json:"overdue_blockers"`
	}
	var lagging []row
	decodeJSON(t, district.do(t, "GET", "/api/projects/lagging", nil), &lagging)
	if i := slices.IndexFunc(lagging, func(w row) bool { return w.ID == 1 }); i < 0 || lagging[i].Overdue != 1 ||
		!strings.Contains(lagging[i].Reason, "1 个协调问题超期未解决") {
		t.Fatalf("the lagging list does not flag the overdue blocker: %+v", lagging)
	}
	for _, tc := range []struct {
		name, key, value, field string
	}{
		{"bad kind", "kind", "weather", "kind"},
		{"no unit", "responsible_unit", "", "responsible_unit"},
		{"bad date", "due_on", "2026-02-30", "due_on"},
		{"resolved without resolution", "status", "resolved", "resolution"},
	} {
		bad := map[string]string{}
		for k, v := range body {
			bad[k] = v
		}
		bad[tc.key] = tc.value
		res := district.do(t, "PUT", fmt.Sprintf("/api/projects/1/blockers/%d", b.ID), bad)
		if e := errorOf(t, res); res.StatusCode != 400 || e.Field != tc.field {
			t.Fatalf("%s: %d %+v", tc.name, res.StatusCode, e)
		}
	}
	body["status"], body["resolution"] = "resolved", "已完成征收"
	res = district.do(t, "PUT", fmt.Sprintf("/api/projects/1/blockers/%d", b.ID), body)
	decodeJSON(t, res, &b)
	if res.StatusCode != 200 || b.Status != "resolved" || b.Overdue {
		t.Fatalf("resolve: %d %+v", res.StatusCode, b)
	}
	if n := overdue(tileZ9); n != nil && fmt.Sprint(n) != "0" {
		t.Fatalf("a resolved blocker overdue in the tile: %v", n)
	}
	if res := f.users[geo.RoleLeader].do(t, "DELETE", fmt.Sprintf("/api/projects/1/blockers/%d", b.ID), nil); res.StatusCode != 403 {
		t.Fatalf("a leader deleted a blocker: %d", res.StatusCode)
	}
	if res := district.do(t, "DELETE", fmt.Sprintf("/api/projects/1/blockers/%d", b.ID), nil); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	var bs []any
	decodeJSON(t, district.do(t, "GET", "/api/projects/1/blockers", nil), &bs)
	if len(bs) != 0 {
		t.Fatalf("left: %v", bs)
	}
	if res := district.do(t, "DELETE", fmt.Sprintf("/api/projects/1/blockers/%d", b.ID), nil); res.StatusCode != 404 {
		t.Fatalf("delete again: %d", res.StatusCode)
	}
}
