package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// workdaysOf asks GET /api/calendar/workdays as the viewer.
func workdaysOf(t *testing.T, f *fixture, from, to string) (*http.Response, int) {
	t.Helper()
	res := f.users[geo.RoleViewer].do(t, http.MethodGet, "/api/calendar/workdays?from="+from+"&to="+to, nil)
	if res.StatusCode != http.StatusOK {
		return res, -1
	}
	var out struct{ Workdays int }
	decodeJSON(t, res, &out)
	return res, out.Workdays
}

// monthEnd is the last day of month m (1–12) of year y, YYYY-MM-DD.
func monthEnd(y, m int) string {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// TestWorkdaysFollowTheNotices checks the working days of every month
// and of the whole of 2024 and 2025 against the State Council's notices.
// The counts are derived by hand from the notices' text, not from the
// calendar's data: per month, the weekdays (Monday to Friday) of the
// month, minus the holidays of the notice that fall on a weekday, plus
// the make-up working days (上班) it names.
//
// 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）:
//
//	一、元旦：1月1日放假，与周末连休。
//	二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
//	三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
//	四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
//	五、端午节：6月10日放假，与周末连休。
//	六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
//	七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
//
// 2024 begins on a Monday and has 29 days in February. Its months have
// 23 21 21 22 23 20 23 22 21 23 21 22 weekdays; so
//
//	Jan 23 − 1 (1st, Mon)                              = 22
//	Feb 21 − 5 (12th–16th) + 2 (4th Sun, 18th Sun)     = 18
//	Mar 21                                             = 21
//	Apr 22 − 2 (4th Thu, 5th Fri) + 2 (7th, 28th Sun)  = 22
//	May 23 − 3 (1st–3rd) + 1 (11th Sat)                = 21
//	Jun 20 − 1 (10th, Mon)                             = 19
//	Jul 23, Aug 22                                     = 23, 22
//	Sep 21 − 2 (16th Mon, 17th Tue) + 2 (14th, 29th)   = 21
//	Oct 23 − 5 (1st–4th, 7th) + 1 (12th Sat)           = 19
//	Nov 21, Dec 22                                     = 21, 22
//
// and the year 251.
//
// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）:
//
//	一、元旦：1月1日（周三）放假1天，不调休。
//	二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
//	三、清明节：4月4日（周五）至6日（周日）放假，共3天。
//	四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
//	五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
//	六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
//
// 2025 begins on a Wednesday. Its months have
// 23 20 21 22 22 21 23 21 22 23 20 23 weekdays; so
//
//	Jan 23 − 5 (1st, 28th–31st) + 1 (26th Sun)         = 19
//	Feb 20 − 2 (3rd Mon, 4th Tue) + 1 (8th Sat)        = 19
//	Mar 21                                             = 21
//	Apr 22 − 1 (4th Fri) + 1 (27th Sun)                = 22
//	May 22 − 3 (1st, 2nd, 5th)                         = 19
//	Jun 21 − 1 (2nd Mon)                               = 20
//	Jul 23, Aug 21                                     = 23, 21
//	Sep 22 + 1 (28th Sun)                              = 23
//	Oct 23 − 6 (1st–3rd, 6th–8th) + 1 (11th Sat)       = 18
//	Nov 20, Dec 23                                     = 20, 23
//
// and the year 248.
func TestWorkdaysFollowTheNotices(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct {
		year   int
		months [12]int
		total  int
	}{
		{2024, [12]int{22, 18, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22}, 251},
		{2025, [12]int{19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23}, 248},
	} {
		sum := 0
		for m, want := range c.months {
			sum += want
			from := fmt.Sprintf("%d-%02d-01", c.year, m+1)
			if res, n := workdaysOf(t, f, from, monthEnd(c.year, m+1)); n != want {
				t.Errorf("%d-%02d: %d working days (%d), want %d", c.year, m+1, n, res.StatusCode, want)
			}
		}
		if sum != c.total {
			t.Fatalf("%d: the months sum to %d, the year has %d", c.year, sum, c.total)
		}
		if res, n := workdaysOf(t, f, fmt.Sprintf("%d-01-01", c.year), fmt.Sprintf("%d-12-31", c.year)); n != c.total {
			t.Errorf("%d: %d working days (%d), want %d", c.year, n, res.StatusCode, c.total)
		}
	}
	for _, c := range []struct {
		name, from, to string
		want           int
	}{
		{"the issue's example", "2025-01-01", "2025-01-31", 19},
		{"both years", "2024-01-01", "2025-12-31", 251 + 248},
		{"one day, a holiday", "2025-01-28", "2025-01-28", 0},
		{"one day, a make-up Sunday", "2025-01-26", "2025-01-26", 1},
		{"one day, a plain Saturday", "2025-03-01", "2025-03-01", 0},
		{"the Spring Festival of 2024 with its make-up Sundays", "2024-02-04", "2024-02-18", 7},
		{"New Year 2026 (1st–3rd off, the 4th worked)", "2025-12-29", "2026-01-04", 4},
	} {
		if res, n := workdaysOf(t, f, c.from, c.to); n != c.want {
			t.Errorf("%s (%s..%s): %d (%d), want %d", c.name, c.from, c.to, n, res.StatusCode, c.want)
		}
	}
}

// TestWorkdaysRefuseBadRanges: a bad date, from after to and a year the
// calendar lacks are each a 400 that says in Chinese what is wrong.
func TestWorkdaysRefuseBadRanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct {
		name, from, to, code, zh string
	}{
		{"no dates", "", "", "bad_date", "日期 from 无效"},
		{"a bad day", "2025-02-30", "2025-03-01", "bad_date", "日期 from 无效"},
		{"a bad format", "2025-01-01", "2025/01/31", "bad_date", "日期 to 无效"},
		{"from after to", "2025-02-01", "2025-01-31", "from_after_to", "开始日期 2025-02-01 晚于结束日期 2025-01-31"},
		{"before the shipped years", "2023-12-01", "2024-01-31", "calendar_year_missing", "节假日日历中没有 2023 年"},
		{"after the shipped years", "2026-12-01", "2027-01-31", "calendar_year_missing", "节假日日历中没有 2027 年"},
		{"out of range", "1999-01-01", "2024-01-31", "bad_date", "日期 from 无效"},
	} {
		res, _ := workdaysOf(t, f, c.from, c.to)
		if e := errorOf(t, res); res.StatusCode != http.StatusBadRequest || e.Code != c.code || !strings.Contains(e.Message, c.zh) {
			t.Errorf("%s: %d %+v; want 400 %s %q", c.name, res.StatusCode, e, c.code, c.zh)
		}
	}
}

// calendarYear is GET /api/calendar/{year}'s answer.
type calendarYear struct {
	Year                        int
	Notice                      string
	Holidays, Makeups, Workdays int
	Days                        []struct{ Date, Kind, Name string }
}

// TestCalendarYears lists the shipped years with their holidays and
// make-up days, and lets an admin, and nobody else, add a year and edit
// its days, in the audit log.
func TestCalendarYears(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var y calendarYear
	decodeJSON(t, f.users[geo.RoleViewer].do(t, http.MethodGet, "/api/calendar/2025", nil), &y)
	// 2025: 1 + 8 + 3 + 5 + 3 + 8 days off, 5 make-up days.
	if y.Year != 2025 || !strings.Contains(y.Notice, "国办发明电〔2024〕12号") || y.Holidays != 28 || y.Makeups != 5 || y.Workdays != 248 ||
		len(y.Days) != 33 || y.Days[0].Date != "2025-01-01" || y.Days[0].Kind != "holiday" || y.Days[0].Name != "元旦" {
		t.Fatalf("2025: %+v", y)
	}
	var all struct {
		Years []calendarYear
		Limit int
	}
	decodeJSON(t, f.users[geo.RoleViewer].do(t, http.MethodGet, "/api/calendar", nil), &all)
	if len(all.Years) != 3 || all.Years[0].Year != 2024 || all.Years[2].Year != 2026 || all.Years[2].Workdays != 248 || all.Limit != 38 {
		t.Fatalf("years: %+v", all)
	}
	if res := f.get(t, "/api/calendar/2027"); res.StatusCode != http.StatusNotFound || errorOf(t, res).Code != "calendar_year_missing" {
		t.Fatalf("2027: %d", res.StatusCode)
	}
	if res := f.get(t, "/api/calendar/20x5"); res.StatusCode != http.StatusBadRequest || errorOf(t, res).Code != "bad_year" {
		t.Fatalf("20x5: %d", res.StatusCode)
	}

	district := f.users[geo.RoleDistrict]
	if res := district.do(t, http.MethodPut, "/api/calendar/2027/notice", map[string]string{"notice": "通知"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a district user adds a year: %d", res.StatusCode)
	}
	admin := f.users[geo.RoleAdmin]
	if res := admin.do(t, http.MethodPut, "/api/calendar/2027/days/2027-01-01", map[string]string{"kind": "holiday", "name": "元旦"}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a day of a missing year: %d", res.StatusCode)
	}
	if res := admin.do(t, http.MethodPut, "/api/calendar/2027/notice", map[string]string{"notice": ""}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("no notice: %d", res.StatusCode)
	}
	if res := admin.do(t, http.MethodPut, "/api/calendar/2027/notice", map[string]string{"notice": "国务院办公厅关于2027年部分节假日安排的通知"}); res.StatusCode != http.StatusOK {
		t.Fatalf("add 2027: %d", res.StatusCode)
	}
	// 2027 begins on a Friday: January has 21 weekdays.
	if _, n := workdaysOf(t, f, "2027-01-01", "2027-01-31"); n != 21 {
		t.Fatalf("January 2027, plain: %d", n)
	}
	for _, c := range []struct {
		date, kind, name string
		status           int
		code             string
	}{
		{"2027-01-01", "holiday", "元旦", http.StatusOK, ""},
		{"2027-01-09", "makeup", "元旦", http.StatusOK, ""},        // a Saturday
		{"2027-01-11", "makeup", "元旦", 400, "makeup_on_weekday"}, // a Monday
		{"2027-01-12", "rest", "元旦", 400, "bad_day_kind"},
		{"2027-01-12", "holiday", "", 400, "bad_day_name"},
		{"2026-01-12", "holiday", "元旦", 400, "date_not_in_year"},
		{"2027-02-30", "holiday", "春节", 400, "bad_date"},
	} {
		res := admin.do(t, http.MethodPut, "/api/calendar/2027/days/"+c.date, map[string]string{"kind": c.kind, "name": c.name})
		if res.StatusCode != c.status || (c.code != "" && errorOf(t, res).Code != c.code) {
			t.Errorf("%s %s: %d, want %d %s", c.date, c.kind, res.StatusCode, c.status, c.code)
		}
	}
	if _, n := workdaysOf(t, f, "2027-01-01", "2027-01-31"); n != 21 {
		t.Fatalf("January 2027, a day off and a day worked: %d", n)
	}
	if res := district.do(t, http.MethodDelete, "/api/calendar/2027/days/2027-01-09", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a district user deletes a day: %d", res.StatusCode)
	}
	if res := admin.do(t, http.MethodDelete, "/api/calendar/2027/days/2027-01-09", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res := admin.do(t, http.MethodDelete, "/api/calendar/2027/days/2027-01-09", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("delete again: %d", res.StatusCode)
	}
	if _, n := workdaysOf(t, f, "2027-01-01", "2027-01-31"); n != 20 {
		t.Fatalf("January 2027, a day off: %d", n)
	}
	var audit struct {
		Entries []struct{ Table, Action, Actor string }
	}
	decodeJSON(t, f.get(t, "/api/audit?table=calendar_days"), &audit)
	if len(audit.Entries) != 3 || audit.Entries[0].Action != "delete" || audit.Entries[0].Actor != "admin1" {
		t.Fatalf("audit: %+v", audit.Entries)
	}
}

// approval is GET /api/projects/{id}/approval's answer.
type approval struct {
	Steps []struct {
		Step, Name, Started string
		Finished            *string
		Workdays            *int
	}
	Limit             int
	Started, Finished *string
	Used, Left        *int
	Overrun           bool
	Note              string
}

// TestApprovalClock records the steps of two projects' joint approval
// and reads the working days used and left of 38.
func TestApprovalClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district, viewer := f.users[geo.RoleDistrict], f.users[geo.RoleViewer]
	put := func(c *client, id int, step string, body map[string]any) *http.Response {
		return c.do(t, http.MethodPut, fmt.Sprintf("/api/projects/%d/approval/%s", id, step), body)
	}
	var a approval
	decodeJSON(t, viewer.do(t, http.MethodGet, "/api/projects/1/approval", nil), &a)
	if len(a.Steps) != 0 || a.Used != nil || a.Limit != 38 {
		t.Fatalf("no steps: %+v", a)
	}
	// Project 1: land on Monday 22 September 2025, the permit on Friday
	// 31 October. September from the 22nd: 22nd–26th, 29th, 30th and the
	// make-up Sunday the 28th = 8; October 18 (see above): 26 used, 12 left.
	for _, s := range []struct {
		step, started, finished string
	}{{"land", "2025-09-22", "2025-09-22"}, {"filing", "2025-09-23", "2025-09-30"}, {"construction_permit", "2025-10-09", "2025-10-31"}} {
		if res := put(district, 1, s.step, map[string]any{"started": s.started, "finished": s.finished}); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %+v", s.step, res.StatusCode, errorOf(t, res))
		}
	}
	decodeJSON(t, viewer.do(t, http.MethodGet, "/api/projects/1/approval", nil), &a)
	if a.Used == nil || *a.Used != 26 || *a.Left != 12 || a.Overrun || *a.Started != "2025-09-22" || *a.Finished != "2025-10-31" ||
		len(a.Steps) != 3 || a.Steps[1].Name != "项目备案（核准）" || *a.Steps[1].Workdays != 7 {
		t.Fatalf("project 1: %+v", a)
	}
	// Project 2: land on Monday 3 March 2025, permit still open on
	// 30 April: March from the 3rd 21, April 22 (see above) = 43 used.
	if res := put(district, 2, "land", map[string]any{"started": "2025-03-03"}); res.StatusCode != http.StatusOK {
		t.Fatalf("land: %d", res.StatusCode)
	}
	if res := put(district, 2, "construction_permit", map[string]any{"started": "2025-04-01", "finished": "2025-04-30"}); res.StatusCode != http.StatusOK {
		t.Fatalf("permit: %d", res.StatusCode)
	}
	decodeJSON(t, viewer.do(t, http.MethodGet, "/api/projects/2/approval", nil), &a)
	if a.Used == nil || *a.Used != 43 || *a.Left != 0 || !a.Overrun || a.Steps[0].Finished != nil {
		t.Fatalf("project 2: %+v", a)
	}
	tomorrow := time.Now().In(geo.CityZone()).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, c := range []struct {
		name  string
		step  string
		body  map[string]any
		code  string
		field string
	}{
		{"an unknown step", "lunch", map[string]any{"started": "2025-03-03"}, "bad_step", "step"},
		{"no start", "filing", map[string]any{}, "bad_date", "started"},
		{"a bad finish", "filing", map[string]any{"started": "2025-03-03", "finished": "2025-13-01"}, "bad_date", "finished"},
		{"finished before started", "filing", map[string]any{"started": "2025-03-03", "finished": "2025-03-02"}, "finished_before_started", "finished"},
		{"started tomorrow", "filing", map[string]any{"started": tomorrow}, "date_in_future", "started"},
		{"a long note", "filing", map[string]any{"started": "2025-03-03", "note": strings.Repeat("长", 501)}, "bad_note", "note"},
	} {
		res := put(district, 2, c.step, c.body)
		if e := errorOf(t, res); res.StatusCode != http.StatusBadRequest || e.Code != c.code || e.Field != c.field || e.Message == "" {
			t.Errorf("%s: %d %+v", c.name, res.StatusCode, e)
		}
	}
	if res := put(viewer, 2, "filing", map[string]any{"started": "2025-03-03"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a viewer records a step: %d", res.StatusCode)
	}
	// Project 3 is in another district, which the district user does not
	// see.
	if res := put(district, 3, "land", map[string]any{"started": "2025-03-03"}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another district's project: %d", res.StatusCode)
	}
	if res := district.do(t, http.MethodDelete, "/api/projects/2/approval/construction_permit", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res := district.do(t, http.MethodDelete, "/api/projects/2/approval/construction_permit", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("delete again: %d", res.StatusCode)
	}
	if res := viewer.do(t, http.MethodGet, "/api/projects/999/approval", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("no such project: %d", res.StatusCode)
	}
}
