package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// apiError is the error of an answer.
type apiError struct {
	Code, Message, Field string
	MessageEN            string `json:"message_en"`
}

func errorOf(t *testing.T, res *http.Response) apiError {
	t.Helper()
	var body struct{ Error apiError }
	decodeJSON(t, res, &body)
	return body.Error
}

// TestReportMonths is issue 14's "future months are accepted": a district
// user filed a report for 2030-05 on a project planned for 2028, and the
// map added it into 本年完成投资. Reports are for this month (in Luohe) or
// earlier months of the project's life, and the year's figure counts this
// year's reports only.
func TestReportMonths(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	now := time.Now().In(geo.CityZone())
	thisMonth := now.Format("2006-01")
	nextMonth := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	put := func(month, invested string) *http.Response {
		return district.do(t, "PUT", "/api/projects/1/progress/"+month, map[string]string{"planned": "1", "invested": invested})
	}
	for _, m := range []string{"2030-05", nextMonth} {
		res := put(m, "2100")
		e := errorOf(t, res)
		if res.StatusCode != 400 || e.Code != "month_in_future" || e.Field != "month" || !strings.Contains(e.Message, "未来月份 "+m) {
			t.Fatalf("report for %s: %d %+v", m, res.StatusCode, e)
		}
	}

	exec(t, f, "UPDATE projects SET planned_start = '2028-04-01' WHERE id = 1")
	var p struct {
		ReportFirst *string `json:"report_first"`
		ReportLast  string  `json:"report_last"`
	}
	decodeJSON(t, district.do(t, "GET", "/api/projects/1", nil), &p)
	if p.ReportFirst == nil || *p.ReportFirst != "2028-04" || p.ReportLast != thisMonth {
		t.Fatalf("the project offers %v..%s, want 2028-04..%s", p.ReportFirst, p.ReportLast, thisMonth)
	}
	res := put(thisMonth, "100")
	if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "month_before_start" || !strings.Contains(e.Message, "2028-04") {
		t.Fatalf("report before the start: %d %+v", res.StatusCode, e)
	}

	exec(t, f, "UPDATE projects SET planned_start = $1 WHERE id = 1", time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	if res := put(thisMonth, "100"); res.StatusCode != 204 {
		t.Fatalf("report of this month: %d %+v", res.StatusCode, errorOf(t, res))
	}
	// Reports of other years, as the server took them before: they stay
	// out of 本年完成投资.
	exec(t, f, `INSERT INTO project_progress (project_id, month, planned, invested) VALUES
		(1, make_date($1, 1, 1), 0, 2000), (1, make_date($1 - 2, 12, 1), 0, 50)`, now.Year()+1)
	res = f.get(t, "/tiles/projects"+tileZ10, "Accept-Encoding", "gzip")
	if res.StatusCode != 200 {
		t.Fatalf("tile: %d", res.StatusCode)
	}
	var invested any
	for _, l := range decodeTile(t, res) {
		for _, ft := range l.Features {
			if ft.Properties["name"] == "漯河食品产业园扩建项目" {
				invested = ft.Properties["invested"]
			}
		}
	}
	if invested != 100.0 {
		t.Fatalf("本年完成投资 is %v, want 100 (this year's report only)", invested)
	}
}

// TestFormMessages is issue 14's "form edge cases": a very large amount
// was answered only 提交的月度进度数据无效, and a long progress note was cut
// without a word. Every amount of the project and report forms names its
// field and the limit, the note its limit, and GET /api/meta gives the web
// form the same limits.
func TestFormMessages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	month := time.Now().In(geo.CityZone()).Format("2006-01")
	report := func(planned, invested, note string) map[string]string {
		return map[string]string{"planned": planned, "invested": invested, "progress_note": note}
	}
	for _, tc := range []struct {
		name, method, path string
		body               any
		code, field        string
		says               []string
	}{
		{"invested past the database's numbers", "PUT", "/api/projects/1/progress/" + month, report("1", "1000000000000", ""),
			"amount_too_large", "invested", []string{"本月完成投资", "不能超过 100,000,000 万元"}},
		{"invested just over the limit", "PUT", "/api/projects/1/progress/" + month, report("1", "100000000.01", ""),
			"amount_too_large", "invested", []string{"本月完成投资", "100,000,000"}},
		{"planned of 25 digits", "PUT", "/api/projects/1/progress/" + month, report(strings.Repeat("9", 25), "1", ""),
			"amount_too_large", "planned", []string{"本月计划投资", "100,000,000"}},
		{"planned not a number", "PUT", "/api/projects/1/progress/" + month, report("一百", "1", ""),
			"bad_amount", "planned", []string{"本月计划投资", "非负金额"}},
		{"a note of 2,001 characters", "PUT", "/api/projects/1/progress/" + month, report("1", "1", strings.Repeat("进", 2001)),
			"too_long", "progress_note", []string{"形象进度", "2000", "2001"}},
		{"annual plan past the limit", "PATCH", "/api/projects/1", map[string]any{"type": "Feature", "properties": map[string]any{"annual_plan": "1000000000000"}},
			"amount_too_large", "annual_plan", []string{"年度计划", "100,000,000 万元"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.method == "PATCH" {
				hdr = []string{"If-Match", f.etag(t, tc.path)}
			}
			res := district.do(t, tc.method, tc.path, tc.body, hdr...)
			e := errorOf(t, res)
			if res.StatusCode != 400 || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("%d %+v, want 400 %s of %s", res.StatusCode, e, tc.code, tc.field)
			}
			for _, s := range tc.says {
				if !strings.Contains(e.Message, s) {
					t.Fatalf("%q does not say %q", e.Message, s)
				}
			}
		})
	}
	if res := district.do(t, "PUT", "/api/projects/1/progress/"+month, report("100000000", "100000000.00", strings.Repeat("进", 2000))); res.StatusCode != 204 {
		t.Fatalf("amounts and a note at their limits: %d %+v", res.StatusCode, errorOf(t, res))
	}
	var meta struct {
		TimeZone string `json:"time_zone"`
		Limits   struct {
			Amount string
			Note   int
		}
	}
	decodeJSON(t, f.get(t, "/api/meta"), &meta)
	if meta.TimeZone != "Asia/Shanghai" || meta.Limits.Amount != "100000000.00" || meta.Limits.Note != 2000 {
		t.Fatalf("meta: %+v", meta)
	}
}

// TestReportConflict is issue 18's weak signal: a report written on a
// phone with the ETag of the report it was written on is kept once
// however often it is sent, and one changed on the server meanwhile is
// refused (412 report_changed), never overwritten; without If-Match a
// report is kept as before.
func TestReportConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	path := "/api/projects/1/progress/" + time.Now().In(geo.CityZone()).Format("2006-01")
	res := district.do(t, "GET", path, nil)
	var r struct{ Planned, Invested string }
	decodeJSON(t, res, &r)
	read := res.Header.Get("ETag")
	if res.StatusCode != 200 || read != `"r0"` || r.Planned != "" {
		t.Fatalf("a month not reported: %d %s %+v", res.StatusCode, read, r)
	}
	phone := map[string]string{"planned": "10", "invested": "8", "progress_note": "主体封顶"}
	var tag string
	for i := range 2 { // sent again, its answer lost: no conflict
		res = district.do(t, "PUT", path, phone, "If-Match", read)
		tag = res.Header.Get("ETag")
		if res.StatusCode != 204 || tag == "" || tag == read {
			t.Fatalf("send %d: %d %s", i, res.StatusCode, tag)
		}
	}
	res = district.do(t, "GET", path, nil)
	decodeJSON(t, res, &r)
	if res.Header.Get("ETag") != tag || r.Planned != "10.00" || r.Invested != "8.00" {
		t.Fatalf("read back: %s %+v, want %s", res.Header.Get("ETag"), r, tag)
	}
	if res := district.do(t, "PUT", path, map[string]string{"planned": "10", "invested": "9"}, "If-Match", tag); res.StatusCode != 204 {
		t.Fatalf("a change on the server: %d", res.StatusCode)
	}
	res = district.do(t, "PUT", path, map[string]string{"planned": "10", "invested": "1"}, "If-Match", tag)
	if e := errorOf(t, res); res.StatusCode != 412 || e.Code != "report_changed" {
		t.Fatalf("a report written on a changed one: %d %+v", res.StatusCode, e)
	}
	if res := district.do(t, "PUT", path, map[string]string{"planned": "10", "invested": "2"}, "If-Match", `"r0"`); res.StatusCode != 412 {
		t.Fatalf("a first report over one there: %d", res.StatusCode)
	}
	decodeJSON(t, district.do(t, "GET", path, nil), &r)
	if r.Invested != "9.00" {
		t.Fatalf("the server's report was overwritten: %+v", r)
	}
	if res := district.do(t, "PUT", path, map[string]string{"planned": "10", "invested": "3"}); res.StatusCode != 204 {
		t.Fatalf("without If-Match: %d", res.StatusCode)
	}
}
