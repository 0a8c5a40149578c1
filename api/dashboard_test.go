package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

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
	want := []string{"汇总", "县区排名", "滞后项目", "新开工项目", "竣工投产项目"}
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
