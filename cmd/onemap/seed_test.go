package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/xuri/excelize/v2"
)

// seedProjects runs onemap seed --projects n --seed seed on the database
// at url and returns the largest project id before it.
func seedProjects(t *testing.T, url string, n, seed string) int64 {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var last int64
	if err := conn.QueryRow(t.Context(), "SELECT coalesce(max(id), 0) FROM projects").Scan(&last); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := run(t.Context(), []string{"seed", "--database-url", url, "--projects", n, "--seed", seed}, &out, &errs); err != nil {
		t.Fatalf("onemap seed --projects: %v\n%s", err, errs.String())
	}
	t.Log(out.String())
	return last
}

// TestSeedProjects seeds 400 synthetic projects over the demo data and
// checks them: the count, every site valid and inside its district, the
// reports only in the months of each project's life and twelve for a
// project under construction since before them, warning levels of every
// colour, and the same projects from the same seed. Then the bench's
// import workbook of 1,000 rows, made from the ledger's export, imports.
func TestSeedProjects(t *testing.T) {
	ctx := t.Context()
	url := demoURL(t)
	last := seedProjects(t, url, "400", "7")
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	count := func(what, sql string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, sql, append([]any{last}, args...)...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return n
	}
	if n := count("projects", "SELECT count(*) FROM projects WHERE id > $1"); n != 400 {
		t.Fatalf("%d projects seeded, want 400", n)
	}
	if n := count("sites", `SELECT count(*) FROM projects p JOIN districts d ON d.id = p.district_id
		WHERE p.id > $1 AND NOT (p.site IS NOT NULL AND ST_IsValid(p.site) AND ST_Within(p.site, d.geom)
			AND ST_Intersects(p.site, p.point))`); n != 0 {
		t.Errorf("%d sites not valid and inside their districts with their points", n)
	}
	if n := count("districts", "SELECT count(DISTINCT district_id) FROM projects WHERE id > $1"); n < 6 {
		t.Errorf("the projects are in %d districts only", n)
	}
	if n := count("stages", "SELECT count(DISTINCT stage) FROM projects WHERE id > $1"); n != 5 {
		t.Errorf("%d stages among the projects, want all 5", n)
	}
	// A report's month lies from the earlier of the planned and the
	// actual start to this month, and not after the actual finish.
	if n := count("report months", `SELECT count(*) FROM project_progress pp JOIN projects p ON p.id = pp.project_id
		WHERE p.id > $1 AND (pp.month < date_trunc('month', least(p.planned_start, coalesce(p.actual_start, p.planned_start)))
			OR pp.month > date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')
			OR pp.month > p.actual_finish OR p.stage IN ('reserve', 'withdrawn'))`); n != 0 {
		t.Errorf("%d reports outside their projects' lives", n)
	}
	if n := count("twelve months", `SELECT count(*) FROM projects p
		WHERE p.id > $1 AND p.stage = 'building' AND p.actual_start < date_trunc('month', now()) - interval '11 months'
		  AND (SELECT count(*) FROM project_progress pp WHERE pp.project_id = p.id
		        AND pp.month > date_trunc('month', now()) - interval '12 months' AND pp.invested > 0) <> 12`); n != 0 {
		t.Errorf("%d projects under construction all year without twelve reports", n)
	}
	if n := count("reports", "SELECT count(*) FROM project_progress WHERE project_id > $1"); n < 400*12*6/10 {
		t.Errorf("%d reports of 400 projects", n)
	}
	if n := count("blockers", "SELECT count(*) FROM project_blockers WHERE project_id > $1"); n == 0 {
		t.Error("no blockers")
	}

	// The same seed makes the same projects.
	again := demoURL(t)
	if l := seedProjects(t, again, "400", "7"); l != last {
		t.Fatalf("the demo ends at project %d and %d", last, l)
	}
	const digest = `SELECT md5(string_agg(concat_ws('|', p.code, p.name, p.stage, p.district_id, p.leader, p.total_investment,
			p.annual_plan, p.actual_start, ST_AsText(p.site),
			(SELECT string_agg(pp.month || ':' || pp.invested, ',' ORDER BY pp.month) FROM project_progress pp WHERE pp.project_id = p.id)),
		'/' ORDER BY p.id)) FROM projects p WHERE p.id > $1`
	var d1, d2 string
	if err := conn.QueryRow(ctx, digest, last).Scan(&d1); err != nil {
		t.Fatal(err)
	}
	conn2, err := pgx.Connect(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close(ctx)
	if err := conn2.QueryRow(ctx, digest, last).Scan(&d2); err != nil {
		t.Fatal(err)
	}
	if d1 != d2 {
		t.Error("the same seed made other projects")
	}

	// serve assesses the warning levels when it starts.
	cfg := testConfig(t)
	cfg.DatabaseURL = url
	base := serve(t, cfg)
	if n := count("levels", "SELECT count(DISTINCT level) FROM project_warnings WHERE project_id > $1"); n != 3 {
		t.Errorf("%d warning levels among the projects, want green, yellow and red", n)
	}

	s := signIn(t, base, "admin", "luohe-admin-2026")
	code, _, export, err := s.do(http.MethodGet, "/api/projects.xlsx", nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("export: %d %v", code, err)
	}
	rows := count("rows", "SELECT count(*) FROM projects WHERE $1 >= 0")
	ok := count("importable", `SELECT count(*) FROM projects WHERE $1 >= 0
		AND coalesce(greatest(actual_start, actual_finish), '2000-01-01') <= (now() AT TIME ZONE 'Asia/Shanghai')::date`)
	book, err := demo.LedgerImport(export, 1000, geo.NewRegistry(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	imports := func(book []byte) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+"/api/projects/import", bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		req.Header.Set("X-CSRF-Token", s.csrf)
		res, err := s.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}
	// The places of new rows are checked all at once: a new project
	// placed outside the city near the end is reported at its row, and
	// nothing is written.
	bad := moved(t, book, 900, 120.5)
	code, body := imports(bad)
	var refused struct {
		Error struct {
			Details struct {
				Rows []struct {
					Row   int
					Field string
				}
			}
		}
	}
	if err := json.Unmarshal(body, &refused); err != nil || code != http.StatusBadRequest || len(refused.Error.Details.Rows) != 1 ||
		refused.Error.Details.Rows[0].Row != 900 || refused.Error.Details.Rows[0].Field != "site" {
		t.Fatalf("import with a place outside the city in row 900: %d %s", code, body)
	}
	code, body = imports(book)
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, body)
	}
	var got struct{ Created, Updated, Unchanged int }
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	changes := min(500, ok)
	if got.Created != 1000-changes || got.Updated+got.Unchanged != changes || got.Updated < changes*3/4 {
		t.Errorf("import of %d changes and %d new projects: %s", changes, 1000-changes, body)
	}
	if n := count("after", "SELECT count(*) FROM projects WHERE $1 >= 0"); n != rows+1000-changes {
		t.Errorf("%d projects after the import, want %d", n, rows+1000-changes)
	}

	// The dashboard lists the lagging projects furthest behind, at most
	// 100, and counts them all.
	code, _, body, err = s.do(http.MethodGet, "/api/dashboard", nil)
	var d struct {
		Lagging []struct {
			Ratio float64 `json:"ratio"`
		} `json:"lagging"`
		Count int `json:"lagging_count"`
	}
	if err != nil || code != http.StatusOK || json.Unmarshal(body, &d) != nil {
		t.Fatalf("dashboard: %d %v", code, err)
	}
	if d.Count <= 100 || len(d.Lagging) != 100 || !slices.IsSortedFunc(d.Lagging, func(a, b struct {
		Ratio float64 `json:"ratio"`
	}) int {
		return cmp.Compare(a.Ratio, b.Ratio)
	}) {
		t.Errorf("dashboard: %d lagging listed of %d", len(d.Lagging), d.Count)
	}
}

// moved returns workbook book with the longitude of row line set to lon.
func moved(t *testing.T, book []byte, line int, lon float64) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "经度")
	if col < 0 {
		t.Fatalf("no 经度 in %v", rows[0])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, line)
	if err := x.SetCellValue(sheet, cell, lon); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := x.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
