package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/xuri/excelize/v2"
)

// firmBody is a valid new firm; more (name, value, …) sets or adds
// fields.
func firmBody(more ...any) map[string]any {
	b := map[string]any{"name": "测试食品集团", "tags": []string{"china500"}, "industries": []string{"肉制品加工"},
		"hq_city": "郑州", "lon": 113.6254, "lat": 34.7466, "responsible": "王招商",
		"contact_name": "李经理", "contact_phone": "0371-12345678"}
	for i := 0; i+1 < len(more); i += 2 {
		b[more[i].(string)] = more[i+1]
	}
	return b
}

// createFirm makes a firm as the investment team and answers its view.
func createFirm(t *testing.T, f *fixture, more ...any) map[string]any {
	t.Helper()
	res := f.users[geo.RoleInvestment].do(t, "POST", "/api/firms", firmBody(more...))
	var v map[string]any
	decodeJSON(t, res, &v)
	if res.StatusCode != 201 {
		t.Fatalf("create firm: %d %v", res.StatusCode, v)
	}
	return v
}

// rawRequest sends body as it is, JSON-typed, as client c.
func rawRequest(t *testing.T, c *client, method, path string, body []byte, hdr ...string) *http.Response {
	t.Helper()
	req := c.request(t, method, path, nil, hdr...)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// wantError checks an answer is status with code and a Chinese message.
func wantError(t *testing.T, res *http.Response, status int, code string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message, MessageEN string } `json:"error"`
	}
	decodeJSON(t, res, &body)
	if res.StatusCode != status || body.Error.Code != code {
		t.Fatalf("got %d %q (%s), want %d %q", res.StatusCode, body.Error.Code, body.Error.Message, status, code)
	}
	if !strings.ContainsFunc(body.Error.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("message %q is not Chinese", body.Error.Message)
	}
}

func TestFirmValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	t.Run("unknown tag", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("tags", []string{"fortune501"})), 400, "bad_tag")
	})
	t.Run("unknown stage", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("stage", "opened")), 400, "bad_stage")
	})
	t.Run("tags and stages by Chinese name", func(t *testing.T) {
		v := createFirm(t, f, "name", "中文标签企业", "tags", []string{"世界500强", "央企"}, "stage", "洽谈")
		if v["stage"] != "negotiating" || len(v["tags"].([]any)) != 2 {
			t.Fatalf("%v", v)
		}
	})
	t.Run("missing name", func(t *testing.T) {
		b := firmBody()
		delete(b, "name")
		wantError(t, inv.do(t, "POST", "/api/firms", b), 400, "required")
	})
	t.Run("bad phone", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("contact_phone", "call me")), 400, "bad_phone")
	})
	t.Run("unknown park", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("park_ids", []int{999})), 400, "unknown_park")
	})
	t.Run("a name taken", func(t *testing.T) {
		createFirm(t, f, "name", "重名企业")
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("name", "重名企业")), 409, "duplicate_name")
	})
	t.Run("headquarters off the globe", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("lat", 91)), 400, "bad_location")
	})
	t.Run("no industry", func(t *testing.T) {
		wantError(t, inv.do(t, "POST", "/api/firms", firmBody("industries", []string{})), 400, "bad_industries")
	})
	t.Run("filter by an unknown tag", func(t *testing.T) {
		wantError(t, inv.do(t, "GET", "/api/firms?tag=fortune501", nil), 400, "bad_filter")
	})
	firm := createFirm(t, f, "name", "待改企业")
	id := "/api/firms/" + jsonID(firm)
	// Every text field, in a new firm and in a change, with a NUL
	// character and with bytes that are not UTF-8.
	for _, field := range []string{"name", "hq_city", "responsible", "contact_name", "contact_phone", "stage", "stage_note", "tags", "industries"} {
		for bad, raw := range map[string]string{"NUL": `"a\u0000b"`, "invalid UTF-8": "\"a\xff\xfeb\""} {
			value := raw
			if field == "tags" || field == "industries" {
				value = "[" + raw + "]"
			}
			t.Run(field+" with "+bad, func(t *testing.T) {
				m := firmBody()
				delete(m, field)
				b, err := json.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				body := bytes.Replace(b, []byte("{"), []byte(`{"`+field+`":`+value+`,`), 1)
				wantError(t, rawRequest(t, inv, "POST", "/api/firms", body), 400, "bad_text")
				patch := []byte(`{"` + field + `":` + value + `}`)
				wantError(t, rawRequest(t, inv, "PATCH", id, patch, "If-Match", `"v1"`), 400, "bad_text")
			})
		}
	}
}

// jsonID is the id of a decoded view.
func jsonID(v map[string]any) string { return fmt.Sprint(int(v["id"].(float64))) }

func TestFirmStageHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	firm := createFirm(t, f)
	path := "/api/firms/" + jsonID(firm)
	move := func(version, stage, note string) *http.Response {
		body := map[string]any{"stage": stage}
		if note != "" {
			body["stage_note"] = note
		}
		return inv.do(t, "PATCH", path, body, "If-Match", version)
	}
	if res := move(`"v1"`, "signed", ""); true {
		wantError(t, res, 400, "bad_transition")
	}
	if res := move(`"v1"`, "negotiating", "首次上门洽谈"); res.StatusCode != 200 || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("to negotiating: %d %s", res.StatusCode, res.Header.Get("ETag"))
	}
	if res := move(`"v2"`, "contact", ""); true {
		wantError(t, res, 400, "note_required")
	}
	if res := move(`"v2"`, "signed", "签订投资协议"); res.StatusCode != 200 {
		t.Fatalf("to signed: %d", res.StatusCode)
	}
	if res := move(`"v3"`, "negotiating", "协议条款重谈"); res.StatusCode != 200 {
		t.Fatalf("back to negotiating: %d", res.StatusCode)
	}
	if res := move(`"v3"`, "signed", ""); true {
		wantError(t, res, 412, "stale")
	}
	var hist []struct{ From, To, Note, Actor string }
	decodeJSON(t, f.users[geo.RoleViewer].do(t, "GET", path+"/stages", nil), &hist)
	want := []string{"→contact", "contact→negotiating 首次上门洽谈", "negotiating→signed 签订投资协议", "signed→negotiating 协议条款重谈"}
	if len(hist) != len(want) {
		t.Fatalf("history %v", hist)
	}
	for i, h := range hist {
		if got := strings.TrimSpace(h.From + "→" + h.To + " " + h.Note); got != want[i] || h.Actor != "investment1" {
			t.Errorf("step %d: %q by %s, want %q", i, got, h.Actor, want[i])
		}
	}
	// Every write is in the audit log, by its actor.
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var firms, stages int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FILTER (WHERE table_name = 'firms'), count(*) FILTER (WHERE table_name = 'firm_stages')
		FROM audit_log WHERE actor = 'investment1' AND row_id IS NOT NULL`).Scan(&firms, &stages); err != nil {
		t.Fatal(err)
	}
	if firms != 4 || stages != 4 {
		t.Errorf("audit log: %d firm writes, %d stage steps; want 4 and 4", firms, stages)
	}
	// A landed firm moves no more.
	exec(t, f, "UPDATE firms SET stage = 'landed' WHERE id = $1", int(firm["id"].(float64)))
	var cur map[string]any
	res := inv.do(t, "GET", path, nil)
	decodeJSON(t, res, &cur)
	wantError(t, move(res.Header.Get("ETag"), "signed", "反悔"), 400, "bad_transition")
}

func TestFirmConcurrentEdits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	firm := createFirm(t, f)
	path := "/api/firms/" + jsonID(firm)
	admin, inv := f.users[geo.RoleAdmin], f.users[geo.RoleInvestment]
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, c := range []*client{admin, inv} {
		wg.Go(func() {
			req := c.request(t, "PATCH", path, map[string]any{"responsible": []string{"甲", "乙"}[i]}, "If-Match", `"v1"`)
			res, err := c.http.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		})
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 412 || codes[0] == 412 && codes[1] == 200) {
		t.Fatalf("two edits of v1 answered %v, want one 200 and one 412", codes)
	}
	if res := inv.do(t, "PATCH", path, map[string]any{"name": "x"}); res.StatusCode != 428 {
		t.Fatalf("without If-Match: %d", res.StatusCode)
	}
}

func TestFirmContactsHiddenFromViewers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	firm := createFirm(t, f)
	path := "/api/firms/" + jsonID(firm)
	for role, sees := range map[geo.Role]bool{geo.RoleViewer: false, geo.RoleDistrict: false, geo.RoleInvestment: true, geo.RoleLeader: true} {
		c := f.users[role]
		var one map[string]any
		decodeJSON(t, c.do(t, "GET", path, nil), &one)
		var list []map[string]any
		decodeJSON(t, c.do(t, "GET", "/api/firms", nil), &list)
		if len(list) != 1 {
			t.Fatalf("%s: list %v", role, list)
		}
		for _, v := range []map[string]any{one, list[0]} {
			_, name := v["contact_name"]
			_, phone := v["contact_phone"]
			if name != sees || phone != sees || v["name"] != "测试食品集团" {
				t.Errorf("%s sees the contacts: %v, want %v (%v)", role, name || phone, sees, v)
			}
		}
		res := c.do(t, "GET", "/api/firms.xlsx", nil)
		x, err := excelize.OpenReader(res.Body)
		if err != nil {
			t.Fatalf("%s: xlsx %d: %v", role, res.StatusCode, err)
		}
		rows, err := x.GetRows("目标企业")
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: rows %v %v", role, rows, err)
		}
		all := strings.Join(append(rows[0], rows[1]...), "|")
		if strings.Contains(all, "联系人") != sees || strings.Contains(all, "0371-12345678") != sees || !strings.Contains(all, "中国500强") {
			t.Errorf("%s: workbook %s", role, all)
		}
	}
}

func TestFirmMatchRanking(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	// The park (漯河, 114.0°E 33.58°N) leads in 食品加工 and 冷链物流;
	// its chain strengthens 肉制品加工, lacks 食品包装, extends to 预制菜.
	chains := map[string]any{"chains": []map[string]any{{"name": "食品产业链", "links": []map[string]string{
		{"industry": "肉制品加工", "mark": "强链"}, {"industry": "食品包装", "mark": "fill"}, {"industry": "预制菜", "mark": "延链"}}}}}
	if res := inv.do(t, "PUT", "/api/parks/1/chains", chains); res.StatusCode != 200 {
		t.Fatalf("chains: %d", res.StatusCode)
	}
	wantError(t, inv.do(t, "PUT", "/api/parks/1/chains", map[string]any{"chains": []map[string]any{{"name": "x",
		"links": []map[string]string{{"industry": "a", "mark": "加链"}}}}}), 400, "bad_mark")
	firm := func(name string, lon, lat float64, stage string, inds ...string) {
		createFirm(t, f, "name", name, "lon", lon, "lat", lat, "stage", stage, "industries", inds)
	}
	firm("郑州包装", 113.6254, 34.7466, "contact", "食品包装")             // fill: 3
	firm("上海包装", 121.4737, 31.2304, "contact", "食品包装")             // fill: 3, farther
	firm("北京肉食", 116.4074, 39.9042, "negotiating", "肉制品加工", "预制菜") // strengthen 2 + extend 1
	firm("许昌冷链", 113.8526, 34.0357, "contact", "冷链物流")             // leading: 2
	firm("成都预制", 104.0665, 30.5723, "contact", "预制菜", "钢铁")        // extend: 1
	firm("天津钢铁", 117.2009, 39.0842, "contact", "钢铁")               // nothing
	firm("漯河包装", 114.0165, 33.5815, "landed", "食品包装")              // landed: left out
	exec(t, f, `INSERT INTO parcels (id, code, district_id, supply_status, landuse_system, landuse_code, geom)
		VALUES (3, 'WY-2026-01', 2, 'ready', 'gtkj2023', '100101', ST_Multi(ST_MakeEnvelope(113.5, 33.45, 113.503, 33.453, 4490)))`)
	wantError(t, inv.do(t, "GET", "/api/parcels/3/firms", nil), 400, "no_park")
	wantError(t, inv.do(t, "GET", "/api/parks/999/firms", nil), 404, "not_found")
	for _, path := range []string{"/api/parks/1/firms", "/api/parcels/1/firms"} {
		var m struct {
			Site struct {
				Kind   string
				ParkID int `json:"park_id"`
			}
			Firms []struct {
				Name       string
				Score      int
				DistanceKM float64 `json:"distance_km"`
				Reasons    []struct{ Industry, Why string }
			}
		}
		decodeJSON(t, f.users[geo.RoleViewer].do(t, "GET", path, nil), &m)
		var got []string
		for _, r := range m.Firms {
			got = append(got, r.Name)
		}
		want := "郑州包装 北京肉食 上海包装 许昌冷链 成都预制"
		if strings.Join(got, " ") != want || m.Site.ParkID != 1 {
			t.Fatalf("%s: ranked %v, want %s", path, got, want)
		}
		// 北京肉食 (强链 2 + 延链 1) ties with 上海包装 (补链 3) and is
		// nearer.
		if m.Firms[1].Score != 3 || m.Firms[2].Score != 3 || m.Firms[3].Score != 2 || m.Firms[4].Score != 1 ||
			m.Firms[1].DistanceKM >= m.Firms[2].DistanceKM {
			t.Errorf("%s: scores %+v", path, m.Firms)
		}
		// 郑州 to the park: about 140 km on the ellipsoid.
		if d := m.Firms[0].DistanceKM; d < 125 || d > 145 {
			t.Errorf("%s: 郑州 is %.1f km away", path, d)
		}
		if r := m.Firms[1].Reasons; len(r) != 2 || r[0].Why != "strengthen" || r[1].Why != "extend" {
			t.Errorf("%s: reasons %+v", path, r)
		}
	}
}

func TestFirmsNationalMap(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	createFirm(t, f, "park_ids", []int{1}, "parcel_ids", []int{1, 2})
	createFirm(t, f, "name", "央企一号", "tags", []string{"central_soe"}, "stage", "signed")
	var fc struct {
		Features []struct {
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	decodeJSON(t, f.users[geo.RoleViewer].do(t, "GET", "/api/firms/map?tag=china500", nil), &fc)
	var kinds []string
	for _, ft := range fc.Features {
		kinds = append(kinds, ft.Geometry.Type+":"+ft.Properties["kind"].(string))
		if _, ok := ft.Properties["contact_name"]; ok {
			t.Error("the map shows contacts")
		}
	}
	if strings.Join(kinds, " ") != "Point:hq LineString:proposal LineString:proposal LineString:proposal" {
		t.Fatalf("features %v", kinds)
	}
	decodeJSON(t, f.users[geo.RoleViewer].do(t, "GET", "/api/firms/map?stage=签约", nil), &fc)
	if len(fc.Features) != 1 || fc.Features[0].Properties["name"] != "央企一号" {
		t.Fatalf("by stage: %v", fc.Features)
	}
}
