package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/xuri/excelize/v2"
)

// etag reads the ETag of the project at path, as the admin.
func (f *fixture) etag(t testing.TB, path string) string {
	t.Helper()
	res := f.users[geo.RoleAdmin].do(t, http.MethodGet, path, nil)
	if res.StatusCode != 200 || res.Header.Get("ETag") == "" {
		t.Fatalf("GET %s: %d, ETag %q", path, res.StatusCode, res.Header.Get("ETag"))
	}
	return res.Header.Get("ETag")
}

// count counts rows of the fixture's database.
func (f *fixture) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// projects checks that the database holds n projects.
func (f *fixture) projects(t *testing.T, n int) {
	t.Helper()
	if got := f.count(t, "SELECT count(*) FROM projects"); got != n {
		t.Fatalf("%d projects, want %d", got, n)
	}
}

// square is a site of about 1 km² south-west of (lon, lat).
func square(lon, lat float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
		{lon, lat}, {lon + 0.01, lat}, {lon + 0.01, lat + 0.01}, {lon, lat + 0.01}, {lon, lat}}}}
}

// newProject is a good new project in 源汇区 (district 1), with its site.
func newProject(props map[string]any) map[string]any {
	p := map[string]any{
		"code": "2026-411102-14-01-000123", "name": "漯河冷链物流园", "stage": "preparing", "category": "industry",
		"district_id": 1, "leader": "张副市长", "responsible_unit": "市发展改革委", "owner": "漯河冷链公司",
		"owner_contact": "0395-1234567", "industry": "冷链物流", "total_investment": "52000.50", "annual_plan": "12000",
		"planned_start": "2026-03-01", "planned_finish": "2027-12-31",
	}
	for k, v := range props {
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	return map[string]any{"type": "Feature", "geometry": square(113.99, 33.57), "properties": p}
}

// errorDetails reads an error answer's code and details.
func errorDetails(t *testing.T, res *http.Response) (string, map[string]json.RawMessage) {
	t.Helper()
	var body struct {
		Error struct {
			Code, Message string
			Details       map[string]json.RawMessage
		} `json:"error"`
	}
	decodeJSON(t, res, &body)
	if body.Error.Message == "" {
		t.Fatalf("error without a message (status %d)", res.StatusCode)
	}
	return body.Error.Code, body.Error.Details
}

func TestCreateProject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	res := admin.do(t, "POST", "/api/projects", newProject(nil))
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %s", res.StatusCode, errorCode(t, res))
	}
	var v map[string]any
	decodeJSON(t, res, &v)
	loc := res.Header.Get("Location")
	if v["code"] != "2026-411102-14-01-000123" || v["stage"] != "preparing" || v["total_investment"] != "52000.50" ||
		v["site"] == nil || v["site_area_mu"] == nil || res.Header.Get("ETag") != `"v1"` || loc == "" {
		t.Fatalf("created %v (ETag %q, Location %q)", v, res.Header.Get("ETag"), loc)
	}
	if area := v["site_area_mu"].(float64); area < 1500 || area > 1600 {
		t.Fatalf("site of %v 亩, want about 1,550 (0.01° × 0.01° at 33.57°N)", area)
	}
	lon, lat := v["lon"].(float64), v["lat"].(float64)
	if lon < 113.99 || lon > 114 || lat < 33.57 || lat > 33.58 {
		t.Fatalf("point %v %v is not on the site", lon, lat)
	}
	var got map[string]any
	decodeJSON(t, f.get(t, loc), &got)
	if got["name"] != "漯河冷链物流园" {
		t.Fatalf("GET %s: %v", loc, got)
	}
	var stages []struct {
		From  *string
		To    string
		Actor string
	}
	decodeJSON(t, f.get(t, loc+"/stages"), &stages)
	if len(stages) != 1 || stages[0].From != nil || stages[0].To != "preparing" || stages[0].Actor != "admin1" {
		t.Fatalf("history %+v", stages)
	}
	t.Run("the code is searchable", func(t *testing.T) {
		for _, q := range []string{"2026-411102-14-01-000123", "2026-411102", "冷链"} {
			var list []map[string]any
			decodeJSON(t, f.get(t, "/api/projects?q="+q), &list)
			if len(list) != 1 || list[0]["name"] != "漯河冷链物流园" {
				t.Fatalf("q=%s: %v", q, list)
			}
		}
		var list []map[string]any
		decodeJSON(t, f.get(t, "/api/projects?q=%25"), &list)
		if len(list) != 0 {
			t.Fatalf("q=%%: %d projects, want none (LIKE escaped)", len(list))
		}
	})
	t.Run("a district user creates in their district only", func(t *testing.T) {
		d := f.users[geo.RoleDistrict]
		body := newProject(map[string]any{"code": nil, "name": "舞阳县项目", "district_id": 2})
		body["geometry"] = square(113.55, 33.45)
		if res := d.do(t, "POST", "/api/projects", body); res.StatusCode != 403 {
			t.Fatalf("another district: %d", res.StatusCode)
		}
		if res := d.do(t, "POST", "/api/projects", newProject(map[string]any{"code": nil, "name": "源汇区项目"})); res.StatusCode != 201 {
			t.Fatalf("own district: %d %s", res.StatusCode, errorCode(t, res))
		}
	})
}

// TestProjectValidation sends a project with one thing wrong each: a 400
// (409 for a code in use) that says which, in Chinese, and no project.
func TestProjectValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	if res := admin.do(t, "POST", "/api/projects", newProject(nil)); res.StatusCode != 201 {
		t.Fatalf("the first: %d %s", res.StatusCode, errorCode(t, res))
	}
	other := func(props map[string]any) map[string]any {
		if _, ok := props["code"]; !ok {
			props["code"] = nil
		}
		return newProject(props)
	}
	withGeometry := func(g any, props map[string]any) map[string]any {
		b := other(props)
		b["geometry"] = g
		return b
	}
	bowtie := map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
		{113.99, 33.57}, {114.0, 33.58}, {114.0, 33.57}, {113.99, 33.58}, {113.99, 33.57}}}}
	open := map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{113.99, 33.57}, {114.0, 33.58}, {114.0, 33.57}, {113.99, 33.575}}}}
	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"a code in use", newProject(map[string]any{"name": "另一个项目"}), 409, "duplicate_code"},
		{"a code of the wrong form", other(map[string]any{"code": "2026-4111-14-01-000123"}), 400, "bad_code"},
		{"a code of year 1999", other(map[string]any{"code": "1999-411102-14-01-000123"}), 400, "bad_code"},
		{"no name", other(map[string]any{"name": nil}), 400, "required"},
		{"a blank name", other(map[string]any{"name": "  "}), 400, "required"},
		{"no owner", other(map[string]any{"owner": nil}), 400, "required"},
		{"no leader", other(map[string]any{"leader": ""}), 400, "required"},
		{"no district", other(map[string]any{"district_id": nil}), 400, "required"},
		{"a district that does not exist", other(map[string]any{"district_id": 99}), 400, "bad_district"},
		{"no total investment", other(map[string]any{"total_investment": nil}), 400, "required"},
		{"a negative amount", other(map[string]any{"total_investment": "-5"}), 400, "bad_amount"},
		{"three decimals", other(map[string]any{"annual_plan": "1.005"}), 400, "bad_amount"},
		{"an annual plan over the total", other(map[string]any{"annual_plan": "60000"}), 400, "bad_amount"},
		{"an amount beyond the column", other(map[string]any{"total_investment": "1000000000000"}), 400, "amount_too_large"},
		{"an impossible date", other(map[string]any{"planned_start": "2026-02-30"}), 400, "bad_date"},
		{"a finish before the start", other(map[string]any{"planned_finish": "2025-12-31"}), 400, "bad_date"},
		{"an actual start in the future", other(map[string]any{"stage": "building", "actual_start": "2099-01-01"}), 400, "bad_date"},
		{"under construction without an actual start", other(map[string]any{"stage": "building"}), 400, "required"},
		{"an unknown stage", other(map[string]any{"stage": "done"}), 400, "bad_stage"},
		{"an unknown category", other(map[string]any{"category": "misc"}), 400, "bad_category"},
		{"a new project withdrawn", other(map[string]any{"stage": "withdrawn", "withdrawn_reason": "资金未落实"}), 400, "bad_transition"},
		{"a read-only field", other(map[string]any{"version": 3}), 400, "read_only"},
		{"an unknown field", other(map[string]any{"colour": "red"}), 400, "read_only"},
		{"a field of another type", other(map[string]any{"name": true}), 400, "bad_json"},
		{"a self-intersecting site", withGeometry(bowtie, map[string]any{}), 400, "bad_site"},
		{"a ring not closed", withGeometry(open, map[string]any{}), 400, "bad_geometry"},
		{"a line", withGeometry(map[string]any{"type": "LineString", "coordinates": [][2]float64{{113.99, 33.57}, {114, 33.58}}}, map[string]any{}), 400, "bad_geometry"},
		{"projected coordinates", withGeometry(map[string]any{"type": "Point", "coordinates": [2]float64{500123, 3714000}}, map[string]any{}), 400, "bad_geometry"},
		{"no geometry", withGeometry(nil, map[string]any{}), 400, "bad_geometry"},
		{"a site outside Luohe", withGeometry(square(120.1, 30.2), map[string]any{}), 400, "outside_city"},
		{"a site in the wrong district", other(map[string]any{"district_id": 2}), 400, "wrong_district"},
		{"not a Feature", map[string]any{"type": "FeatureCollection", "properties": map[string]any{}}, 400, "bad_feature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := admin.do(t, "POST", "/api/projects", c.body)
			if res.StatusCode != c.status {
				t.Fatalf("%d, want %d", res.StatusCode, c.status)
			}
			code, details := errorDetails(t, res)
			if code != c.code {
				t.Fatalf("code %s, want %s", code, c.code)
			}
			if c.code == "bad_site" {
				var repaired struct {
					Type        string
					Coordinates [][][][2]float64
				}
				if err := json.Unmarshal(details["repaired"], &repaired); err != nil || repaired.Type != "MultiPolygon" || len(repaired.Coordinates) != 2 {
					t.Fatalf("repaired shape %s (%v), want the bow tie's two triangles", details["repaired"], err)
				}
			}
		})
	}
	f.projects(t, 4)
}

// TestProjectBadText puts a NUL character or bytes that are not UTF-8 in
// every text field of a new project: a 400 bad_text each.
func TestProjectBadText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	fields := []string{"code", "name", "stage", "category", "leader", "responsible_unit", "owner", "owner_contact",
		"industry", "total_investment", "annual_plan", "planned_start", "planned_finish", "actual_start", "actual_finish",
		"withdrawn_reason", "intended_system", "intended_code", "district"}
	for _, bad := range []struct{ name, json string }{{"NUL", `\u0000`}, {"not UTF-8", "\xff\xfe"}, {"cut UTF-8", "\xe6\xbc"}} {
		for _, field := range fields {
			t.Run(bad.name+" in "+field, func(t *testing.T) {
				name := `"name":"项目",`
				if field == "name" {
					name = ""
				}
				body := `{"type":"Feature","geometry":{"type":"Point","coordinates":[114.0,33.58]},"properties":{` + name + `"` + field + `":"x` + bad.json + `"}}`
				res := admin.send(t, "POST", "/api/projects", "application/json", []byte(body))
				if res.StatusCode != 400 || errorCode(t, res) != "bad_text" {
					t.Fatalf("%d, want 400 bad_text", res.StatusCode)
				}
				res = admin.send(t, "PATCH", "/api/projects/1", "application/json", []byte(`{"properties":{"`+field+`":"x`+bad.json+`"}}`),
					"If-Match", `"v1"`)
				if res.StatusCode != 400 || errorCode(t, res) != "bad_text" {
					t.Fatalf("PATCH: %d, want 400 bad_text", res.StatusCode)
				}
			})
		}
	}
	f.projects(t, 3)
}

func TestPatchNeedsIfMatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	if res := admin.do(t, "PATCH", "/api/projects/1", rename("新名称")); res.StatusCode != 428 || errorCode(t, res) != "if_match_required" {
		t.Fatalf("without If-Match: %d", res.StatusCode)
	}
	for _, h := range []string{"*", "W/\"v1\"", "v1", `"v1", "v2"`, `"1"`} {
		if res := admin.do(t, "PATCH", "/api/projects/1", rename("新名称"), "If-Match", h); res.StatusCode != 400 {
			t.Fatalf("If-Match %s: %d", h, res.StatusCode)
		}
	}
	first := f.etag(t, "/api/projects/1")
	res := admin.do(t, "PATCH", "/api/projects/1", map[string]any{"properties": map[string]any{"name": "新名称", "annual_plan": "1000"}}, "If-Match", first)
	if res.StatusCode != 200 || res.Header.Get("ETag") == first || res.Header.Get("ETag") == "" {
		t.Fatalf("PATCH: %d, ETag %q after %q", res.StatusCode, res.Header.Get("ETag"), first)
	}
	res = admin.do(t, "PATCH", "/api/projects/1", rename("旧名称"), "If-Match", first)
	if res.StatusCode != 412 {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	code, details := errorDetails(t, res)
	var changed []string
	var current map[string]any
	if err := json.Unmarshal(details["changed"], &changed); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(details["current"], &current); err != nil {
		t.Fatal(err)
	}
	if code != "stale" || strings.Join(changed, ",") != "annual_plan,name" || current["name"] != "新名称" || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("412: %s changed %v current %v ETag %q", code, changed, current["name"], res.Header.Get("ETag"))
	}
	t.Run("a viewer learns nothing sensitive from a 412", func(t *testing.T) {
		// A viewer may not PATCH at all: the policy says 403 first.
		if res := f.users[geo.RoleViewer].do(t, "PATCH", "/api/projects/1", rename("x"), "If-Match", first); res.StatusCode != 403 {
			t.Fatalf("viewer: %d", res.StatusCode)
		}
	})
}

// race sends n requests made by req at once as c and answers each one's
// status and Location.
func race(t *testing.T, c *client, n int, req func(i int) *http.Request) ([]int, []string) {
	t.Helper()
	codes, locs := make([]int, n), make([]string, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		r := req(i)
		wg.Go(func() {
			<-start
			res, err := c.http.Do(r)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			codes[i], locs[i] = res.StatusCode, res.Header.Get("Location")
		})
	}
	close(start)
	wg.Wait()
	return codes, locs
}

// oneWon tells whether exactly one of the answers of changes made on one
// version is 200 and the others 412.
func oneWon(codes []int) bool {
	won := 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case 412:
		default:
			return false
		}
	}
	return won == 1
}

// TestConcurrentPatches sends eight changes made on the same version at
// once: exactly one wins, the others are told the project changed.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	tag := f.etag(t, "/api/projects/2")
	codes, _ := race(t, admin, 8, func(i int) *http.Request {
		return admin.request(t, "PATCH", "/api/projects/2", rename("并发修改"+itoa(i)), "If-Match", tag)
	})
	if !oneWon(codes) || f.count(t, "SELECT version FROM projects WHERE id = 2") != 2 {
		t.Fatalf("answers %v: want one 200 and the others 412", codes)
	}
}

// TestIdempotentCreate retries a create, one after the other and eight
// at once with one key: one project, the same answer each time.
func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	body := newProject(nil)
	first := admin.do(t, "POST", "/api/projects", body, "Idempotency-Key", "key-1")
	again := admin.do(t, "POST", "/api/projects", body, "Idempotency-Key", "key-1")
	if first.StatusCode != 201 || again.StatusCode != 201 || first.Header.Get("Location") != again.Header.Get("Location") ||
		again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %d, %q %q", first.StatusCode, again.StatusCode, first.Header.Get("Location"), again.Header.Get("Location"))
	}
	other := newProject(map[string]any{"code": nil, "name": "另一个"})
	if res := admin.do(t, "POST", "/api/projects", other, "Idempotency-Key", "key-1"); res.StatusCode != 409 || errorCode(t, res) != "idempotency_key_reused" {
		t.Fatalf("key reused: %d", res.StatusCode)
	}
	if res := admin.do(t, "POST", "/api/projects", other, "Idempotency-Key", "bad key"); res.StatusCode != 400 {
		t.Fatalf("a key with a blank: %d", res.StatusCode)
	}
	concurrent := newProject(map[string]any{"code": nil, "name": "并发创建"})
	codes, locs := race(t, admin, 8, func(int) *http.Request {
		return admin.request(t, "POST", "/api/projects", concurrent, "Idempotency-Key", "key-2")
	})
	for i := range codes {
		if codes[i] != 201 || locs[i] != locs[0] {
			t.Fatalf("answers %v at %v", codes, locs)
		}
	}
	if c := f.count(t, "SELECT count(*) FROM projects WHERE name = '并发创建'"); c != 1 {
		t.Fatalf("%d projects made, want 1", c)
	}
	if c := f.count(t, "SELECT count(*) FROM projects WHERE name = '漯河冷链物流园'"); c != 1 {
		t.Fatalf("%d projects made by the retried create, want 1", c)
	}
}

func TestStageLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	res := admin.do(t, "POST", "/api/projects", newProject(map[string]any{"stage": "reserve"}))
	if res.StatusCode != 201 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	patch := func(props map[string]any) *http.Response {
		return admin.do(t, "PATCH", path, map[string]any{"properties": props}, "If-Match", f.etag(t, path))
	}
	for _, c := range []struct {
		name   string
		props  map[string]any
		status int
		code   string
	}{
		{"储备 → 在建 skips 前期", map[string]any{"stage": "building", "actual_start": "2026-01-05"}, 400, "bad_transition"},
		{"储备 → 前期", map[string]any{"stage": "前期"}, 200, ""},
		{"前期 → 储备 goes back", map[string]any{"stage": "reserve"}, 400, "bad_transition"},
		{"前期 → 在建 without an actual start", map[string]any{"stage": "building"}, 400, "required"},
		{"前期 → 在建", map[string]any{"stage": "building", "actual_start": "2026-01-05"}, 200, ""},
		{"退库 without a reason", map[string]any{"stage": "withdrawn"}, 400, "required"},
		{"退库", map[string]any{"stage": "withdrawn", "withdrawn_reason": "资金未落实"}, 200, ""},
		{"退库 → 储备", map[string]any{"stage": "reserve", "withdrawn_reason": nil}, 400, "bad_transition"},
	} {
		res := patch(c.props)
		if res.StatusCode != c.status {
			t.Fatalf("%s: %d, want %d", c.name, res.StatusCode, c.status)
		}
		if c.code != "" {
			if code, _ := errorDetails(t, res); code != c.code {
				t.Fatalf("%s: %s, want %s", c.name, code, c.code)
			}
		}
	}
	var stages []struct {
		From   *string
		To     string
		Reason *string
		Actor  string
	}
	decodeJSON(t, f.get(t, path+"/stages"), &stages)
	var got []string
	for _, s := range stages {
		got = append(got, s.To+"/"+s.Actor)
	}
	if strings.Join(got, " ") != "reserve/admin1 preparing/admin1 building/admin1 withdrawn/admin1" || stages[3].Reason == nil || *stages[3].Reason != "资金未落实" {
		t.Fatalf("history %v", got)
	}
}

// xlsxOf reads a workbook answer.
func xlsxOf(t *testing.T, res *http.Response) *excelize.File {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
		t.Fatalf("export: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// workbook is a workbook's bytes.
func workbook(t *testing.T, x *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// column finds the column of a header in the first row.
func column(t *testing.T, x *excelize.File, header string) string {
	t.Helper()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("no column %s in %v", header, rows[0])
	return ""
}

func TestLedgerExcel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	const evil = `=HYPERLINK("http://evil.example","点击")`
	if res := admin.do(t, "PATCH", "/api/projects/2", map[string]any{"properties": map[string]any{"owner": evil, "industry": "-1+2"}},
		"If-Match", f.etag(t, "/api/projects/2")); res.StatusCode != 200 {
		t.Fatalf("PATCH: %d %s", res.StatusCode, errorCode(t, res))
	}
	x := xlsxOf(t, f.get(t, "/api/projects.xlsx?district=411102"))
	sheet := x.GetSheetList()[0]
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "编号" || !strings.Contains(strings.Join(rows[0], ","), "总投资（万元）") {
		t.Fatalf("rows %v", rows)
	}
	panes, err := x.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("panes %+v %v", panes, err)
	}
	total := column(t, x, "总投资（万元）")
	style, err := x.GetCellStyle(sheet, total+"2")
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(style)
	if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.00" {
		t.Fatalf("total's style %+v %v", st, err)
	}
	if v, _ := x.GetCellValue(sheet, total+"2", excelize.Options{RawCellValue: true}); v != "120000.5" {
		t.Fatalf("total %q, want the number 120000.5", v)
	}
	owner, industry := column(t, x, "业主单位"), column(t, x, "所属产业")
	for _, cell := range []string{owner + "3", industry + "3"} {
		formula, _ := x.GetCellFormula(sheet, cell)
		v, _ := x.GetCellValue(sheet, cell)
		if formula != "" || !strings.HasPrefix(v, "'") {
			t.Fatalf("cell %s: formula %q, value %q: not neutralised", cell, formula, v)
		}
	}
	t.Run("the filters apply", func(t *testing.T) {
		x := xlsxOf(t, f.get(t, "/api/projects.xlsx?stage=building"))
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 3 {
			t.Fatalf("%d rows, want the header and 2 projects under construction", len(rows))
		}
	})
	t.Run("a viewer's export leaves out what a viewer may not see", func(t *testing.T) {
		x := xlsxOf(t, f.users[geo.RoleViewer].do(t, "GET", "/api/projects.xlsx", nil))
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if h := strings.Join(rows[0], ","); strings.Contains(h, "总投资") || strings.Contains(h, "分包领导") || strings.Contains(h, "业主联系方式") {
			t.Fatalf("viewer's headers %s", h)
		}
	})

	send := func(t *testing.T, x *excelize.File) *http.Response {
		return admin.send(t, "POST", "/api/projects/import", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook(t, x))
	}
	plan, name := column(t, x, "年度计划（万元）"), column(t, x, "项目名称")
	t.Run("a bad row changes nothing and is reported by row and column", func(t *testing.T) {
		before := f.count(t, "SELECT sum(version) FROM projects")
		must(t, x.SetCellValue(sheet, plan+"2", 2000))
		must(t, x.SetCellValue(sheet, total+"3", "abc"))
		must(t, x.SetCellValue(sheet, name+"4", "新建项目"))
		res := send(t, x)
		if res.StatusCode != 400 {
			t.Fatalf("import: %d", res.StatusCode)
		}
		code, details := errorDetails(t, res)
		var errs []struct {
			Row     int
			Column  string
			Message string
		}
		if err := json.Unmarshal(details["rows"], &errs); err != nil {
			t.Fatal(err)
		}
		if code != "bad_rows" || len(errs) < 2 || errs[0].Row != 3 || !strings.HasPrefix(errs[0].Column, total+" 列") || errs[1].Row != 4 {
			t.Fatalf("errors %s %+v", code, errs)
		}
		if after := f.count(t, "SELECT sum(version) FROM projects"); after != before {
			t.Fatal("a failed import changed projects")
		}
	})
	t.Run("the export edited imports back", func(t *testing.T) {
		must(t, x.SetCellValue(sheet, total+"3", 50000))
		must(t, x.RemoveRow(sheet, 4))
		res := send(t, x)
		var out struct{ Created, Updated, Unchanged int }
		decodeJSON(t, res, &out)
		if res.StatusCode != 200 || out.Updated != 1 || out.Unchanged != 1 || out.Created != 0 {
			t.Fatalf("import: %d %+v", res.StatusCode, out)
		}
		var p1, p2 map[string]any
		decodeJSON(t, f.get(t, "/api/projects/1"), &p1)
		decodeJSON(t, f.get(t, "/api/projects/2"), &p2)
		if p1["annual_plan"] != "2000.00" || p2["owner"] != evil || p2["industry"] != "-1+2" {
			t.Fatalf("after import: plan %v, owner %v, industry %v", p1["annual_plan"], p2["owner"], p2["industry"])
		}
		if res := send(t, x); res.StatusCode != 400 {
			t.Fatalf("the same workbook again, its versions now old: %d", res.StatusCode)
		}
	})
	t.Run("not a workbook", func(t *testing.T) {
		res := admin.send(t, "POST", "/api/projects/import", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK not a zip"))
		if res.StatusCode != 400 || errorCode(t, res) != "bad_xlsx" {
			t.Fatalf("%d", res.StatusCode)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
