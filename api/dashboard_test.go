package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/xuri/excelize/v2"
)

// reports gives the fixture's projects annual plans, dates and monthly
// reports of 2024 and 2025.
func (f *fixture) reports(t *testing.T) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), `
		UPDATE projects SET annual_plan = 1000, actual_start = '2025-03-10' WHERE name = '漯河食品产业园扩建项目';
		UPDATE projects SET annual_plan = 200.25 WHERE name = '沙河生态廊道项目';
		UPDATE projects SET annual_plan = 500, actual_start = '2024-05-01', actual_finish = '2025-06-20' WHERE name = '舞阳盐化工循环经济项目';
		INSERT INTO project_progress (project_id, month, planned, invested)
		SELECT id, m, 100, 80.5 FROM projects, generate_series('2025-01-01'::date, '2025-06-01', '1 month') m
		 WHERE name = '漯河食品产业园扩建项目';
		INSERT INTO project_progress (project_id, month, planned, invested)
		SELECT id, '2025-02-01', 50, 60 FROM projects WHERE name = '沙河生态廊道项目';
		INSERT INTO project_progress (project_id, month, planned, invested)
		SELECT id, m, 200, i FROM projects, (VALUES ('2024-12-01'::date, 150), ('2025-06-01', 200), ('2025-09-01', 10)) v(m, i)
		 WHERE name = '舞阳盐化工循环经济项目'`)
	if err != nil {
		t.Fatal(err)
	}
}

// sums asks the database, as its owner, for the count, total investment,
// annual plan and the investment of 2025's months up to before `to` of
// the projects of the districts codes (all: NULL).
func (f *fixture) sums(t *testing.T, to string, codes []string) (n int, total, plan, invested string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	err = conn.QueryRow(t.Context(), `
		SELECT count(*), sum(total_investment)::text, sum(annual_plan)::text,
		       (SELECT coalesce(sum(invested), 0) FROM project_progress pp JOIN projects q ON q.id = pp.project_id
		          JOIN districts e ON e.id = q.district_id
		         WHERE month >= '2025-01-01' AND month < $1::date AND ($2::text[] IS NULL OR e.code = ANY ($2)))::text
		  FROM projects p JOIN districts d ON d.id = p.district_id
		 WHERE $2::text[] IS NULL OR d.code = ANY ($2)`, to, codes).Scan(&n, &total, &plan, &invested)
	if err != nil {
		t.Fatal(err)
	}
	return n, total, plan, invested
}

type sumOf struct {
	Count    int    `json:"count"`
	Total    string `json:"total_investment"`
	Plan     string `json:"annual_plan"`
	Invested string `json:"invested"`
}

type group struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Rate  float64 `json:"rate"`
	sumOf
}

type dashboard struct {
	Year      int     `json:"year"`
	Amounts   bool    `json:"amounts"`
	Total     sumOf   `json:"total"`
	Districts []group `json:"districts"`
	Stages    []group `json:"stages"`
	Leaders   []group `json:"leaders"`
	Starts    sumOf   `json:"starts"`
	Finishes  sumOf   `json:"finishes"`
	Months    []struct {
		Month       string `json:"month"`
		Planned     string `json:"planned"`
		Invested    string `json:"invested"`
		CumInvested string `json:"cum_invested"`
	} `json:"months"`
	Lagging []struct {
		Name  string  `json:"name"`
		Ratio float64 `json:"ratio"`
	} `json:"lagging"`
	Live bool `json:"live"`
}

func (f *fixture) dashboard(t *testing.T, role geo.Role, query string) dashboard {
	t.Helper()
	res := f.users[role].do(t, http.MethodGet, "/api/dashboard"+query, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET /api/dashboard%s as %s: %d %s", query, role, res.StatusCode, b)
	}
	var d dashboard
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDashboardSums(t *testing.T) {
	f := newFixture(t)
	f.reports(t)
	d := f.dashboard(t, geo.RoleLeader, "?year=2025")
	n, total, plan, invested := f.sums(t, "2026-01-01", nil)
	if want := (sumOf{n, total, plan, invested}); d.Total != want || d.Year != 2025 || !d.Amounts {
		t.Errorf("total %+v (year %d, amounts %v), want %+v", d.Total, d.Year, d.Amounts, want)
	}
	for _, g := range d.Districts {
		n, total, plan, invested := f.sums(t, "2026-01-01", []string{g.Key})
		if want := (sumOf{n, total, plan, invested}); g.sumOf != want {
			t.Errorf("district %s: %+v, want %+v", g.Key, g.sumOf, want)
		}
	}
	if len(d.Districts) != 2 || len(d.Months) != 12 || d.Months[5].Invested != "280.50" || d.Months[11].CumInvested != invested {
		t.Errorf("districts %d, months %+v", len(d.Districts), d.Months)
	}
	if d.Starts.Count != 1 || d.Finishes.Count != 1 {
		t.Errorf("starts %+v, finishes %+v", d.Starts, d.Finishes)
	}
	// The food park: 483 of 600 planned; the salt works 360 of 600 over
	// its life (2024 and 2025) is further behind.
	if len(d.Lagging) != 2 || d.Lagging[0].Name != "舞阳盐化工循环经济项目" || d.Lagging[1].Ratio != 80.5 {
		t.Errorf("lagging %+v", d.Lagging)
	}

	// A district user sees their district only.
	dd := f.dashboard(t, geo.RoleDistrict, "?year=2025")
	n, total, plan, invested = f.sums(t, "2026-01-01", []string{"411102"})
	if want := (sumOf{n, total, plan, invested}); dd.Total != want || len(dd.Districts) != 1 || dd.Districts[0].Key != "411102" {
		t.Errorf("district user: total %+v, districts %+v; want %+v in 411102 only", dd.Total, dd.Districts, want)
	}
	// A viewer sees the counts, not the money nor the leaders.
	vd := f.dashboard(t, geo.RoleViewer, "?year=2025")
	if vd.Amounts || vd.Total.Count != 3 || vd.Total.Total != "0.00" || vd.Leaders != nil || len(vd.Lagging) != 0 {
		t.Errorf("viewer: %+v", vd)
	}
}

func TestDashboardBadYear(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"?year=abc", "?year=20250", "?year=1999", "?year=2025-01", "?year=+202", "?year=%E4%BA%8C"} {
		res := f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/dashboard"+q, nil)
		code, _ := errorDetails(t, res)
		if res.StatusCode != http.StatusBadRequest || code != "bad_year" {
			t.Errorf("%s: %d %s, want 400 bad_year", q, res.StatusCode, code)
		}
	}
	for _, m := range []string{"2025-13", "2025-1", "25-01", "2999-01", "2025-06.csv"} {
		res := f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/bulletins/"+m+".xlsx", nil)
		if m == "2025-06.csv" {
			res = f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/bulletins/"+m, nil)
		}
		res.Body.Close()
		if res.StatusCode/100 != 4 {
			t.Errorf("bulletin %s: %d, want 4xx", m, res.StatusCode)
		}
	}
}

func TestBulletinWorkbook(t *testing.T) {
	f := newFixture(t)
	f.reports(t)
	res := f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/bulletins/2025-06.xlsx", nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("bulletin: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{"汇总", "县区排名", "滞后项目", "新开工项目", "竣工投产项目", "协调问题"}
	if got := x.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i, name := range x.GetSheetList() {
		if name != want[i] {
			t.Errorf("sheet %d is %s, want %s", i, name, want[i])
		}
		rows, err := x.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := x.GetCellFormula(name, cell); fm != "" {
					t.Errorf("%s!%s is a formula: %s", name, cell, fm)
				}
			}
		}
	}
	_, total, _, invested := f.sums(t, "2025-07-01", nil)
	cell := func(sheet, at string) string {
		v, err := x.GetCellValue(sheet, at)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	same := func(got, want string) bool {
		g, err1 := strconv.ParseFloat(got, 64)
		w, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && g == w
	}
	if cell("汇总", "A1") != "项目" || cell("汇总", "B2") != "2025-06" || !same(cell("汇总", "B4"), total) {
		t.Errorf("totals: month %s, total %s (want %s)", cell("汇总", "B2"), cell("汇总", "B4"), total)
	}
	if got := cell("汇总", "B6"); !same(got, invested) {
		t.Errorf("invested to June %s, want %s", got, invested)
	}
	// 源汇区 (543 of 1200.25, 45.24%) ranks before 舞阳县 (200 of 500, 40%).
	if cell("县区排名", "B2") != "源汇区" || !same(cell("县区排名", "G2"), "45.24") || cell("县区排名", "B3") != "舞阳县" || cell("县区排名", "G1") != "完成率(%)" {
		t.Errorf("ranking %s, %s", cell("县区排名", "B2"), cell("县区排名", "B3"))
	}
	if cell("新开工项目", "A2") != "" || cell("竣工投产项目", "A2") != "舞阳盐化工循环经济项目" {
		t.Errorf("starts %q, finishes %q", cell("新开工项目", "A2"), cell("竣工投产项目", "A2"))
	}
	if cell("滞后项目", "A2") == "" {
		t.Error("no lagging project")
	}
}

// blockers raises the fixture's blockers around June 2025: open and
// overdue since May, resolved in May (gone by June's end), resolved in
// July (open at June's end, not overdue), raised in July (not yet).
func (f *fixture) blockers(t *testing.T) {
	t.Helper()
	exec(t, f, `INSERT INTO project_blockers (project_id, kind, note, responsible_unit, raised_on, due_on, status, resolution, resolved_on)
		SELECT p.id, b.kind, b.note, '市自然资源和规划局', b.raised::date, b.due::date, b.status, b.resolution, b.resolved::date
		  FROM projects p, (VALUES
		    ('漯河食品产业园扩建项目', 'land', '征地未完成', '2025-04-01', '2025-05-15', 'open', NULL, NULL),
		    ('漯河食品产业园扩建项目', 'funds', '资金缺口', '2025-04-01', '2025-05-01', 'resolved', '已到位', '2025-05-20'),
		    ('舞阳盐化工循环经济项目', 'planning', '规划条件未出具', '2025-06-10', '2025-07-10', 'resolved', '已出具', '2025-07-05'),
		    ('沙河生态廊道项目', 'environment', '环评待批', '2025-07-02', '2025-08-01', 'open', NULL, NULL)
		  ) b(name, kind, note, raised, due, status, resolution, resolved)
		 WHERE p.name = b.name`)
}

type bulletin struct {
	Month     string  `json:"month"`
	AsOf      string  `json:"as_of"`
	Total     sumOf   `json:"total"`
	Rate      float64 `json:"rate"`
	Districts []group `json:"districts"`
	Lagging   []struct {
		Name  string   `json:"name"`
		Ratio *float64 `json:"ratio"`
		Level string   `json:"warning_level"`
	} `json:"lagging"`
	Starts   []struct{ Name string } `json:"starts"`
	Finishes []struct{ Name string } `json:"finishes"`
	Blockers []struct {
		Note     string `json:"note"`
		Project  string `json:"project"`
		District string `json:"district"`
		Overdue  bool   `json:"overdue"`
	} `json:"blockers"`
}

// TestBulletinPageAndWorkbook: the bulletin's JSON (the web page's) and
// its workbook give the same numbers, and list the blockers open at the
// month's end, the overdue ones first.
func TestBulletinPageAndWorkbook(t *testing.T) {
	f := newFixture(t)
	f.reports(t)
	f.blockers(t)
	res := f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/bulletins/2025-06.json", nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("bulletin json: %d %s", res.StatusCode, b)
	}
	var b bulletin
	if err := json.NewDecoder(res.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	n, total, plan, invested := f.sums(t, "2025-07-01", nil)
	if want := (sumOf{n, total, plan, invested}); b.Month != "2025-06" || b.AsOf != "2025-06-30" || b.Total != want {
		t.Errorf("month %s as of %s, total %+v; want 2025-06 as of 2025-06-30, %+v", b.Month, b.AsOf, b.Total, want)
	}
	if len(b.Districts) != 2 || b.Districts[0].Label != "源汇区" || b.Districts[0].Rate != 45.24 || b.Districts[1].Label != "舞阳县" {
		t.Errorf("ranking %+v", b.Districts)
	}
	if len(b.Finishes) != 1 || b.Finishes[0].Name != "舞阳盐化工循环经济项目" || len(b.Starts) != 0 {
		t.Errorf("starts %+v, finishes %+v", b.Starts, b.Finishes)
	}
	if len(b.Blockers) != 2 || b.Blockers[0].Note != "征地未完成" || !b.Blockers[0].Overdue || b.Blockers[0].District != "源汇区" ||
		b.Blockers[1].Note != "规划条件未出具" || b.Blockers[1].Overdue || b.Blockers[1].Project != "舞阳盐化工循环经济项目" {
		t.Errorf("blockers %+v, want 征地未完成 (overdue) and 规划条件未出具", b.Blockers)
	}

	res = f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/bulletins/2025-06.xlsx", nil)
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("汇总")
	if err != nil {
		t.Fatal(err)
	}
	sheet := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			sheet[r[0]] = r[1]
		}
	}
	same := func(got string, want float64) bool {
		g, err := strconv.ParseFloat(got, 64)
		return err == nil && g == want
	}
	num := func(d string) float64 {
		v, err := strconv.ParseFloat(d, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for k, want := range map[string]float64{
		"项目个数": float64(b.Total.Count), "总投资(万元)": num(b.Total.Total), "年内累计完成投资(万元)": num(b.Total.Invested),
		"年度计划完成率(%)": b.Rate, "滞后项目(个)": float64(len(b.Lagging)), "未解决协调问题(个)": 2, "其中超期(个)": 1,
	} {
		if !same(sheet[k], want) {
			t.Errorf("workbook %s = %q, the page's %v", k, sheet[k], want)
		}
	}
	if got, err := x.GetCellValue("协调问题", "A2"); err != nil || got != "漯河食品产业园扩建项目" {
		t.Errorf("blockers sheet A2 %q (%v)", got, err)
	}
}

// TestDashboardLaggingLateStart: a project being prepared that was to
// start months ago and reported nothing is lagging on the dashboard (as
// the map colours it), without a ratio.
func TestDashboardLaggingLateStart(t *testing.T) {
	f := newFixture(t)
	f.reports(t)
	exec(t, f, "UPDATE projects SET planned_start = '2025-02-01' WHERE name = '沙河生态廊道项目'")
	exec(t, f, "DELETE FROM project_progress WHERE project_id = (SELECT id FROM projects WHERE name = '沙河生态廊道项目')")
	d := f.dashboard(t, geo.RoleLeader, "?year=2025")
	var late []string
	for _, l := range d.Lagging {
		if l.Name == "沙河生态廊道项目" {
			late = append(late, l.Name)
		}
	}
	if len(late) != 1 || len(d.Lagging) != 3 {
		t.Errorf("lagging %+v, want the late 沙河生态廊道项目 among three", d.Lagging)
	}
}

// TestDashboardClickThrough: each dashboard number's filter, as the
// dashboard opens it, gives the ledger and the projects' tiles exactly
// that many projects: districts, stages, leaders, this year's new starts
// and completions, and the lagging projects (this month's warnings).
func TestDashboardClickThrough(t *testing.T) {
	f := newFixture(t)
	f.reports(t)
	year := time.Now().In(geo.CityZone()).Year()
	// Move the fixture's dates and reports into this year.
	shift := fmt.Sprintf("%d years", year-2025)
	exec(t, f, `UPDATE projects SET actual_start = actual_start + $1::interval, actual_finish = actual_finish + $1::interval`, shift)
	exec(t, f, `UPDATE project_progress SET month = month + $1::interval`, shift)
	// One leader stored with two titles: one number, as the leader
	// filter takes the name.
	exec(t, f, `UPDATE projects SET leader = CASE WHEN name = '舞阳盐化工循环经济项目' THEN '张丽华 常务副市长' ELSE '张丽华 副市长' END
		WHERE name IN ('舞阳盐化工循环经济项目', '漯河食品产业园扩建项目')`)
	if err := f.api.Catalogue.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The levels the map colours by, as onemap serve keeps them.
	res := f.users[geo.RoleAdmin].do(t, http.MethodPut, "/api/settings/warnings", map[string]int{"red_points": 30, "red_months": 3})
	res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
		t.Fatalf("thresholds: %d", res.StatusCode)
	}
	d := f.dashboard(t, geo.RoleLeader, "")
	if !d.Live || len(d.Lagging) == 0 || d.Starts.Count == 0 || d.Finishes.Count == 0 {
		t.Fatalf("dashboard: live %v, lagging %d, starts %d, finishes %d", d.Live, len(d.Lagging), d.Starts.Count, d.Finishes.Count)
	}
	if len(d.Leaders) != 2 || d.Leaders[0].Key != "张丽华" || d.Leaders[0].Count != 2 {
		t.Errorf("leaders %+v, want 张丽华 with 2 projects first", d.Leaders)
	}
	counted := "reserve,preparing,building,operating"
	y := strconv.Itoa(year)
	cases := []struct {
		name, query string
		want        int
	}{
		{"total", "stage=" + counted, d.Total.Count},
		{"lagging", "stage=" + counted + "&warning_level=yellow,red", len(d.Lagging)},
		{"new starts", "stage=" + counted + "&started=" + y, d.Starts.Count},
		{"completions", "stage=" + counted + "&finished=" + y, d.Finishes.Count},
	}
	for _, g := range d.Districts {
		cases = append(cases, struct {
			name, query string
			want        int
		}{"district " + g.Label, "stage=" + counted + "&district=" + g.Key, g.Count})
	}
	for _, g := range d.Stages {
		cases = append(cases, struct {
			name, query string
			want        int
		}{"stage " + g.Label, "stage=" + g.Key, g.Count})
	}
	for _, g := range d.Leaders {
		cases = append(cases, struct {
			name, query string
			want        int
		}{"leader " + g.Label, "stage=" + counted + "&leader=" + url.QueryEscape(g.Key), g.Count})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.users[geo.RoleLeader].do(t, http.MethodGet, "/api/projects?"+c.query, nil)
			defer res.Body.Close()
			var list []struct{ ID int }
			if err := json.NewDecoder(res.Body).Decode(&list); err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("ledger ?%s: %d %v", c.query, res.StatusCode, err)
			}
			if len(list) != c.want {
				t.Errorf("ledger ?%s: %d projects, the dashboard says %d", c.query, len(list), c.want)
			}
			res = f.users[geo.RoleLeader].do(t, http.MethodGet, "/tiles/projects/7/104/51.mvt?"+c.query, nil)
			if res.StatusCode != http.StatusOK {
				res.Body.Close()
				t.Fatalf("tile ?%s: %d", c.query, res.StatusCode)
			}
			ids := map[any]bool{}
			for _, l := range decodeTile(t, res) {
				for _, ft := range l.Features {
					ids[ft.ID] = true
				}
			}
			res.Body.Close()
			if len(ids) != c.want {
				t.Errorf("tile ?%s: %d projects, the dashboard says %d", c.query, len(ids), c.want)
			}
		})
	}
}
