package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// enclaveBody is a valid enclave of 舞阳县 (home) in 源汇区 (host) of the
// fixture, around its first project, with a stepped GDP schedule.
func enclaveBody() map[string]any {
	step := func(item string, year int, home, host string) map[string]any {
		return map[string]any{"item": item, "from_year": year, "home_pct": home, "host_pct": host}
	}
	return map[string]any{"name": "舞阳县—源汇区食品飞地", "home_district_id": 2, "host_district_id": 1,
		"agreement_no": "漯源〔2024〕1号", "agreement_date": "2024-03-01", "term_years": 10, "model": "飞地工业", "quota_district_id": 1,
		"shares": []map[string]any{step("gdp", 2024, "33.33", "66.67"), step("gdp", 2027, "50", "50"),
			step("fixed_investment", 2024, "70", "30"), step("tax", 2024, "60.5", "39.5"), step("land_revenue", 2024, "0", "100")},
		"geometry": rect(113.99, 33.57, 114.01, 33.59)}
}

// errorBody reads an error answer's code and Chinese message.
func errorBody(t *testing.T, res *http.Response) (code, message string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	decodeJSON(t, res, &body)
	return body.Error.Code, body.Error.Message
}

// TestEnclaveValidation sends an enclave broken in one way for each rule
// and checks that it is refused with its code and a Chinese message that
// says what is wrong, and that nothing was written.
func TestEnclaveValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	if res := inv.do(t, "POST", "/api/enclaves", map[string]any{
		"name": "源汇区—舞阳县邻接飞地", "home_district_id": 1, "host_district_id": 2, "agreement_no": "漯舞〔2024〕2号",
		"agreement_date": "2024-05-01", "term_years": 5, "model": "政企联合", "quota_district_id": 2,
		"shares": []map[string]any{{"item": "gdp", "from_year": 2024, "home_pct": "50", "host_pct": "50"},
			{"item": "fixed_investment", "from_year": 2024, "home_pct": "50", "host_pct": "50"},
			{"item": "tax", "from_year": 2024, "home_pct": "50", "host_pct": "50"},
			{"item": "land_revenue", "from_year": 2024, "home_pct": "50", "host_pct": "50"}},
		"geometry": rect(113.6, 33.5, 113.65, 33.55)}); res.StatusCode != 201 {
		t.Fatalf("the other enclave: %d %s", res.StatusCode, errorCode(t, res))
	}
	// A third district, for the quota.
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `INSERT INTO districts (id, code, name, kind, geom)
		VALUES (3, '411103', '郾城区', 'county', ST_Multi(ST_MakeEnvelope(114.05, 33.5, 114.2, 33.65, 4490)))`); err != nil {
		t.Fatal(err)
	}
	shares := func(m map[string]any) []map[string]any { return m["shares"].([]map[string]any) }
	for _, c := range []struct {
		name, code, message string
		change              func(m map[string]any)
	}{
		{"shares not 100", "shares_not_100", "「地区生产总值（增加值）」自 2024 年起的分成比例合计为 99.99%，飞出地与飞入地须合计 100%",
			func(m map[string]any) { shares(m)[0]["host_pct"] = "66.66" }},
		{"a later step not 100", "shares_not_100", "自 2027 年起的分成比例合计为 100.01%",
			func(m map[string]any) { shares(m)[1]["home_pct"] = "50.01" }},
		{"steps in the same year", "steps_not_increasing", "分成阶段起始年度须逐级递增：2024 年不在 2024 年之后",
			func(m map[string]any) { shares(m)[1]["from_year"] = 2024 }},
		{"steps going back", "steps_not_increasing", "2023 年不在 2024 年之后",
			func(m map[string]any) { shares(m)[1]["from_year"] = 2023 }},
		{"a step after the term", "step_outside_term", "分成阶段起始年度 2034 超出协议期限（2024–2033 年）",
			func(m map[string]any) { shares(m)[1]["from_year"] = 2034 }},
		{"a schedule starting late", "schedule_start", "须从协议签订年度（2024 年）起算，现为 2025 年",
			func(m map[string]any) { shares(m)[2]["from_year"] = 2025 }},
		{"an item without schedule", "missing_schedule", "缺少「税收」的分成比例",
			func(m map[string]any) { m["shares"] = append(shares(m)[:3:3], shares(m)[4]) }},
		{"a share with three decimals", "bad_share", "须为 0–100 之间、至多两位小数的百分数",
			func(m map[string]any) { shares(m)[0]["home_pct"] = "33.333" }},
		{"a share over 100", "bad_share", "分成比例 \"120\" 无效", func(m map[string]any) { shares(m)[0]["home_pct"] = "120" }},
		{"home is host", "same_district", "飞出地与飞入地须为不同的县区", func(m map[string]any) { m["home_district_id"] = 1 }},
		{"no such district", "bad_district", "县区编号 9 不存在", func(m map[string]any) { m["host_district_id"] = 9 }},
		{"zone outside the host", "outside_host", "飞地范围须位于飞入地县区内", func(m map[string]any) { m["geometry"] = rect(114.04, 33.6, 114.06, 33.62) }},
		{"zone in the home district", "outside_host", "飞地范围须位于飞入地县区内", func(m map[string]any) { m["geometry"] = rect(113.5, 33.45, 113.52, 33.47) }},
		{"zone overlapping another enclave", "overlaps_enclave", "飞地范围与其他飞地重叠：源汇区—舞阳县邻接飞地",
			func(m map[string]any) {
				m["home_district_id"], m["host_district_id"], m["quota_district_id"] = 1, 2, 2
				m["geometry"] = rect(113.64, 33.54, 113.66, 33.56)
			}},
		{"zone crossing itself", "invalid_geometry", "飞地范围无效：边界自相交",
			func(m map[string]any) {
				m["geometry"] = map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{113.99, 33.57}, {114.01, 33.59}, {114.01, 33.57}, {113.99, 33.59}, {113.99, 33.57}}}}
			}},
		{"no zone", "bad_geometry", "须绘制或上传飞地范围", func(m map[string]any) { delete(m, "geometry") }},
		{"NUL in the name", "bad_text", "含有无效字符", func(m map[string]any) { m["name"] = "飞地\x00" }},
		{"NUL in the agreement", "bad_text", "含有无效字符", func(m map[string]any) { m["agreement_no"] = "漯\x00" }},
		{"no name", "bad_name", "飞地名称须为 1–100 个字", func(m map[string]any) { m["name"] = "" }},
		{"bad date", "bad_agreement_date", "协议日期须为", func(m map[string]any) { m["agreement_date"] = "2024-02-30" }},
		{"bad model", "bad_model", "管理模式须为以下之一", func(m map[string]any) { m["model"] = "托管" }},
		{"no term", "bad_term", "协议期限须为 1–100 年", func(m map[string]any) { m["term_years"] = 0 }},
		{"quota of a third district", "bad_quota_district", "使用建设用地指标的须为飞出地或飞入地",
			func(m map[string]any) { m["home_district_id"], m["host_district_id"], m["quota_district_id"] = 1, 2, 3 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := enclaveBody()
			c.change(m)
			res := inv.do(t, "POST", "/api/enclaves", m)
			code, msg := errorBody(t, res)
			if res.StatusCode != 400 || code != c.code || !strings.Contains(msg, c.message) {
				t.Errorf("%d %s %q, want 400 %s %q", res.StatusCode, code, msg, c.code, c.message)
			}
		})
	}
	t.Run("bytes that are not UTF-8", func(t *testing.T) {
		res := inv.send(t, "POST", "/api/enclaves", "application/json", []byte("{\"name\": \"飞地\xff\"}"))
		if code, _ := errorBody(t, res); res.StatusCode != 400 || code != "bad_text" {
			t.Errorf("%d %s", res.StatusCode, code)
		}
	})
	if n := f.count(t, "SELECT count(*) FROM enclaves"); n != 1 {
		t.Fatalf("%d enclaves after the refused ones", n)
	}
	// Touching the other enclave along a border is no overlap.
	m := enclaveBody()
	m["home_district_id"], m["host_district_id"], m["quota_district_id"] = 1, 2, 2
	m["geometry"] = rect(113.65, 33.5, 113.68, 33.55)
	if res := inv.do(t, "POST", "/api/enclaves", m); res.StatusCode != 201 {
		t.Fatalf("an enclave touching the other: %d %s", res.StatusCode, errorCode(t, res))
	}
}

// enclaveAnswer is the part of an enclave's answer the tests read.
type enclaveAnswer struct {
	ID      geo.ID
	Name    string
	Version int
	Shares  []struct {
		Item     string
		FromYear int    `json:"from_year"`
		HomePct  string `json:"home_pct"`
		HostPct  string `json:"host_pct"`
	}
}

// TestEnclaveConcurrentEdits saves an enclave, then sends two changes made
// on its first version at once: one wins, the other is refused as stale,
// and a change without If-Match is refused; every write is audited.
func TestEnclaveConcurrentEdits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv, admin := f.users[geo.RoleInvestment], f.users[geo.RoleAdmin]
	res := inv.do(t, "POST", "/api/enclaves", enclaveBody())
	if res.StatusCode != 201 || res.Header.Get("ETag") != `"v1"` {
		t.Fatalf("create: %d %s, ETag %q", res.StatusCode, errorCode(t, res), res.Header.Get("ETag"))
	}
	var e enclaveAnswer
	decodeJSON(t, res, &e)
	if len(e.Shares) != 5 || e.Shares[0].HomePct != "33.33" || e.Shares[0].HostPct != "66.67" || e.Shares[1].FromYear != 2027 {
		t.Fatalf("shares %+v", e.Shares)
	}
	path := "/api/enclaves/" + e.ID.String()
	if res := inv.do(t, "PUT", path, enclaveBody()); res.StatusCode != 428 {
		t.Fatalf("a change without If-Match: %d", res.StatusCode)
	}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, c := range []*client{inv, admin} {
		wg.Go(func() {
			m := enclaveBody()
			m["name"] = fmt.Sprintf("飞地 %d", i)
			res := c.do(t, "PUT", path, m, "If-Match", `"v1"`)
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 412 || statuses[0] == 412 && statuses[1] == 200) {
		t.Fatalf("two changes of v1: %v, want one 200 and one 412", statuses)
	}
	res = inv.do(t, "GET", path, nil)
	decodeJSON(t, res, &e)
	if e.Version != 2 || res.Header.Get("ETag") != `"v2"` || !strings.HasPrefix(e.Name, "飞地 ") {
		t.Fatalf("after the changes: %+v, ETag %q", e, res.Header.Get("ETag"))
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'enclaves'"); n != 2 {
		t.Errorf("%d audited writes of enclaves, want 2 (the create and the winning change)", n)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'enclave_shares' AND actor IN ('investment1', 'admin1')"); n < 10 {
		t.Errorf("%d audited writes of shares", n)
	}
}

// TestEnclaveSplitAddsUp puts 300 projects in and around an enclave with
// awkward monthly investment, value added and tax, and checks the split
// and the district table of three years (before the agreement, the first
// step at 33.33 : 66.67, the second at 50 : 50): each project's parts add
// up to its whole, the enclave's total is the projects' sum, and each
// column of the district table, with and without the split, adds up
// exactly to the city's total, which is the database's own sum.
func TestEnclaveSplitAddsUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	res := inv.do(t, "POST", "/api/enclaves", enclaveBody())
	var e enclaveAnswer
	decodeJSON(t, res, &e)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Projects 4 to 303: every other one inside the enclave; 3 months of
	// reports and a year's figures in each of 2023, 2025 and 2027.
	if _, err := conn.Exec(t.Context(), `
		INSERT INTO projects (name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point)
		SELECT '项目' || i, 'building', 'industry', CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END, '张副市长', '市发展改革委', '业主', 1000,
		       CASE WHEN i % 2 = 0 THEN ST_SetSRID(ST_MakePoint(113.991 + (i % 17) * 0.001, 33.571 + (i % 13) * 0.001), 4490)
		            WHEN i % 3 = 0 THEN ST_SetSRID(ST_MakePoint(113.6, 33.45), 4490)
		            ELSE ST_SetSRID(ST_MakePoint(113.95, 33.6), 4490) END
		  FROM generate_series(1, 300) i;
		INSERT INTO project_progress (project_id, month, invested)
		SELECT p.id, make_date(y, m, 1), ((p.id * 7919 + y * 31 + m * 104729) % 100001) / 100.0 + 0.01
		  FROM projects p, unnest(ARRAY[2023, 2025, 2027]) y, generate_series(1, 12, 5) m;
		INSERT INTO project_figures (project_id, year, value_added, tax, actor)
		SELECT p.id, y, ((p.id * 104723 + y) % 99991) / 100.0 + 0.01, ((p.id * 15485863 + y) % 3) / 100.0 + 0.01, 'test'
		  FROM projects p, unnest(ARRAY[2023, 2025, 2027]) y;`); err != nil {
		t.Fatal(err)
	}
	dec := func(s string) geo.Dec {
		d, err := geo.ParseDec(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	type parts struct{ Whole, Home, Host string }
	type stats[T any] struct {
		Investment T
		ValueAdded T `json:"value_added"`
		Tax        T
	}
	for _, year := range []int{2023, 2025, 2027} {
		var sp struct {
			Steps map[string]*struct {
				HomePct string `json:"home_pct"`
			}
			Projects []struct {
				ID         geo.ID
				DistrictID geo.ID `json:"district_id"`
				stats[parts]
			}
			Total stats[parts]
		}
		res := inv.do(t, "GET", fmt.Sprintf("%s/split?year=%d", "/api/enclaves/"+e.ID.String(), year), nil)
		if res.StatusCode != 200 {
			t.Fatalf("split %d: %d %s", year, res.StatusCode, errorCode(t, res))
		}
		decodeJSON(t, res, &sp)
		if len(sp.Projects) < 150 {
			t.Fatalf("%d: %d projects in the enclave", year, len(sp.Projects))
		}
		wantPct := map[int]string{2025: "33.33", 2027: "50.00"}[year]
		if got := sp.Steps["gdp"]; wantPct == "" && got != nil || wantPct != "" && (got == nil || got.HomePct != wantPct) {
			t.Errorf("%d: GDP step %+v, want %q", year, got, wantPct)
		}
		var total [3][3]geo.Dec
		for _, p := range sp.Projects {
			for i, ps := range []parts{p.Investment, p.ValueAdded, p.Tax} {
				w, h, s := dec(ps.Whole), dec(ps.Home), dec(ps.Host)
				if h+s != w || h < 0 || s < 0 {
					t.Fatalf("%d: project %d item %d: %s + %s ≠ %s", year, p.ID, i, ps.Home, ps.Host, ps.Whole)
				}
				// Before the agreement nothing is split: the project's own
				// district keeps it.
				if year == 2023 && (h == w) != (p.DistrictID == 2) && w != 0 {
					t.Fatalf("2023 is before the agreement: project %d of district %d split %+v", p.ID, p.DistrictID, ps)
				}
				total[i][0] += w
				total[i][1] += h
				total[i][2] += s
			}
		}
		for i, ps := range []parts{sp.Total.Investment, sp.Total.ValueAdded, sp.Total.Tax} {
			if [3]geo.Dec{dec(ps.Whole), dec(ps.Home), dec(ps.Host)} != total[i] {
				t.Errorf("%d: item %d total %+v, projects %v", year, i, ps, total[i])
			}
		}
		var tb struct {
			Rows []struct {
				DistrictID    geo.ID `json:"district_id"`
				With, Without stats[string]
			}
			City stats[string]
		}
		res = inv.do(t, "GET", fmt.Sprintf("/api/enclaves/districts?year=%d", year), nil)
		if res.StatusCode != 200 {
			t.Fatalf("table %d: %d", year, res.StatusCode)
		}
		decodeJSON(t, res, &tb)
		var city [3]string
		if err := conn.QueryRow(t.Context(), `SELECT
			(SELECT sum(invested) FROM project_progress WHERE extract(year FROM month) = $1)::text,
			(SELECT sum(value_added) FROM project_figures WHERE year = $1)::text,
			(SELECT sum(tax) FROM project_figures WHERE year = $1)::text`, year).Scan(&city[0], &city[1], &city[2]); err != nil {
			t.Fatal(err)
		}
		if [3]geo.Dec{dec(tb.City.Investment), dec(tb.City.ValueAdded), dec(tb.City.Tax)} != [3]geo.Dec{dec(city[0]), dec(city[1]), dec(city[2])} {
			t.Fatalf("%d: city %+v, the database sums %v", year, tb.City, city)
		}
		var with, without [3]geo.Dec
		for _, r := range tb.Rows {
			for i, v := range []string{r.With.Investment, r.With.ValueAdded, r.With.Tax} {
				with[i] += dec(v)
			}
			for i, v := range []string{r.Without.Investment, r.Without.ValueAdded, r.Without.Tax} {
				without[i] += dec(v)
			}
		}
		cityDec := [3]geo.Dec{dec(city[0]), dec(city[1]), dec(city[2])}
		if with != cityDec || without != cityDec {
			t.Errorf("%d: with the split %v, without %v, city %v", year, with, without, cityDec)
		}
		home := tb.Rows[1] // 舞阳县 gets its share only while the agreement runs
		if (home.With == home.Without) != (year == 2023) {
			t.Errorf("%d: 舞阳县 with %+v, without %+v", year, home.With, home.Without)
		}
	}
	if res := inv.do(t, "GET", "/api/enclaves/districts?year=20x5", nil); res.StatusCode != 400 || errorCode(t, res) != "bad_year" {
		t.Errorf("a bad year: %d", res.StatusCode)
	}
}

// TestProjectFigures enters a project's value added and tax of a year,
// refuses bad amounts and unknown projects, and audits the write.
func TestProjectFigures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	if res := inv.do(t, "PUT", "/api/projects/1/figures/2025", map[string]string{"value_added": "1234.56", "tax": "78.9"}); res.StatusCode != 204 {
		t.Fatalf("%d %s", res.StatusCode, errorCode(t, res))
	}
	for _, c := range []struct {
		path string
		body map[string]string
		want int
		code string
	}{
		{"/api/projects/1/figures/2025", map[string]string{"value_added": "-1", "tax": "0"}, 400, "bad_amount"},
		{"/api/projects/1/figures/2025", map[string]string{"value_added": "1.234", "tax": "0"}, 400, "bad_amount"},
		{"/api/projects/1/figures/1999", map[string]string{"value_added": "1", "tax": "0"}, 400, "bad_year"},
		{"/api/projects/999/figures/2025", map[string]string{"value_added": "1", "tax": "0"}, 404, "not_found"},
	} {
		if res := inv.do(t, "PUT", c.path, c.body); res.StatusCode != c.want || errorCode(t, res) != c.code {
			t.Errorf("%s %v: %d, want %d %s", c.path, c.body, res.StatusCode, c.want, c.code)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM project_figures WHERE value_added = 1234.56 AND tax = 78.90 AND actor = 'investment1'"); n != 1 {
		t.Errorf("%d rows of figures", n)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'project_figures'"); n != 1 {
		t.Errorf("%d audited writes of figures", n)
	}
}
