package api_test

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

// boxSQL is box(w, s, e, n) as a CGCS2000 MultiPolygon for SQL.
func boxSQL(w, s, e, n float64) string {
	var pts []string
	for _, p := range box(w, s, e, n) {
		pts = append(pts, fmt.Sprintf("%.6f %.6f", p[0], p[1]))
	}
	return "ST_GeomFromText('MULTIPOLYGON(((" + strings.Join(pts, ",") + ")))', 4490)"
}

// boxMu is boxArea in 亩.
func boxMu(w, s, e, n float64) float64 { return boxArea(w, s, e, n) * 15 / 10000 }

// The quota tests' sites, in the fixture's 源汇区 (113.9–114.05°E,
// 33.5–33.65°N), a third district east of it, 召陵区 (114.05–114.2°E),
// and a function zone inside 源汇区 (113.99–114.01°E, 33.59–33.61°N):
// sites of known ellipsoidal area, allocated (under construction; in
// 储备 with its land step finished; one straddling into 召陵区, one into
// the zone), reserved (前期, 储备), withdrawn, and of another year.
var (
	siteBuilding   = [4]float64{113.91, 33.51, 113.92, 33.52}
	siteLandDone   = [4]float64{113.93, 33.51, 113.935, 33.515}
	siteStraddling = [4]float64{114.04, 33.60, 114.06, 33.61}
	sitePreparing  = [4]float64{113.91, 33.53, 113.915, 33.535}
	siteReserve    = [4]float64{113.93, 33.53, 113.94, 33.54}
	siteWithdrawn  = [4]float64{113.95, 33.53, 113.96, 33.54}
	siteOtherYear  = [4]float64{113.97, 33.53, 113.98, 33.54}
	siteIntoZone   = [4]float64{113.987, 33.595, 113.995, 33.6}
)

func sqlBox(b [4]float64) string { return boxSQL(b[0], b[1], b[2], b[3]) }
func muOf(b [4]float64) float64  { return boxMu(b[0], b[1], b[2], b[3]) }

func quotaFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	const cols = "name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point"
	exec(t, f, `
		INSERT INTO districts (id, code, name, kind, geom) VALUES
		  (3, '411104', '召陵区', 'county', ST_Multi(ST_MakeEnvelope(114.05, 33.5, 114.2, 33.65, 4490))),
		  (4, '411171', '漯河经济技术开发区', 'zone', ST_Multi(ST_MakeEnvelope(113.99, 33.59, 114.01, 33.61, 4490)));
		UPDATE projects SET site = `+sqlBox(siteBuilding)+`, actual_start = '2099-03-01' WHERE id = 1;
		UPDATE projects SET site = `+sqlBox(sitePreparing)+`, planned_start = '2099-05-01' WHERE id = 2;
		INSERT INTO projects (`+cols+`, site, planned_start, withdrawn_reason, actual_start) VALUES
		  ('储备已供地项目', 'reserve', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.932, 33.512), 4490), `+sqlBox(siteLandDone)+`, NULL, NULL, NULL),
		  ('储备项目', 'reserve', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.935, 33.535), 4490), `+sqlBox(siteReserve)+`, '2099-02-01', NULL, NULL),
		  ('退库项目', 'withdrawn', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.955, 33.535), 4490), `+sqlBox(siteWithdrawn)+`, '2099-02-01', '资金未落实', NULL),
		  ('跨区项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(114.045, 33.605), 4490), `+sqlBox(siteStraddling)+`, NULL, NULL, '2099-06-01'),
		  ('往年项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.975, 33.535), 4490), `+sqlBox(siteOtherYear)+`, NULL, NULL, '2098-01-01'),
		  ('跨开发区项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.988, 33.597), 4490), `+sqlBox(siteIntoZone)+`, NULL, NULL, '2099-07-01');
		INSERT INTO project_approval_steps (project_id, step, started, finished)
		  SELECT id, 'land', '2099-01-10', '2099-04-01' FROM projects WHERE name = '储备已供地项目';`)
	return f
}

// quotaLedger reads GET /api/quotas?year= as c.
func quotaLedger(t *testing.T, c *client, year string) land.QuotaLedger {
	t.Helper()
	res := c.do(t, http.MethodGet, "/api/quotas?year="+year, nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET /api/quotas: %d %s", res.StatusCode, errorCode(t, res))
	}
	var l land.QuotaLedger
	decodeJSON(t, res, &l)
	return l
}

func districtOf(t *testing.T, l land.QuotaLedger, id geo.ID) land.DistrictQuota {
	t.Helper()
	for _, d := range l.Districts {
		if d.DistrictID == id {
			return d
		}
	}
	t.Fatalf("district %d not in the ledger", id)
	return land.DistrictQuota{}
}

// putQuota sets a quota as c with If-Match etag ("" none).
func putQuota(t *testing.T, c *client, path string, body any, etag string) *http.Response {
	t.Helper()
	var hdr []string
	if etag != "" {
		hdr = []string{"If-Match", etag}
	}
	return c.do(t, http.MethodPut, path, body, hdr...)
}

// yuanhuiCounted is what the fixture's 源汇区 counts in 2099, in 亩:
// allocated, the sites under construction, with land and the parts in it
// of the two straddling ones; reserved, those of 前期 and 储备.
func yuanhuiCounted() (allocated, reserved float64) {
	return muOf(siteBuilding) + muOf(siteLandDone) + boxMu(114.04, 33.60, 114.05, 33.61) + boxMu(113.987, 33.595, 113.99, 33.6),
		muOf(sitePreparing) + muOf(siteReserve)
}

func nearMu(got, want float64) bool { return math.Abs(got-want) <= 1e-4*math.Abs(want)+1e-4 }

// TestQuotaLedger: allocated, reserved and remaining of hand-built sites
// of known ellipsoidal area, each counted in the district it lies in and
// in its year; the list behind the numbers allocated first, then 前期
// before 储备; the history of the quota's changes.
func TestQuotaLedger(t *testing.T) {
	t.Parallel()
	f := quotaFixture(t)
	land1 := f.users[geo.RoleLand]

	allocated, reserved := yuanhuiCounted()
	l := quotaLedger(t, land1, "2099")
	d1 := districtOf(t, l, 1)
	if !nearMu(d1.AllocatedMu, allocated) || !nearMu(d1.ReservedMu, reserved) {
		t.Fatalf("源汇区 allocated %.4f reserved %.4f, want %.4f and %.4f", d1.AllocatedMu, d1.ReservedMu, allocated, reserved)
	}
	if d1.QuotaMu != nil || d1.RemainingMu != nil || d1.Over || d1.Version != 0 {
		t.Fatalf("no quota set, got %+v", d1)
	}
	var names []string
	for _, p := range d1.Projects {
		names = append(names, p.Name+":"+p.Status)
	}
	want := []string{"漯河食品产业园扩建项目:allocated", "跨区项目:allocated", "储备已供地项目:allocated", "跨开发区项目:allocated",
		"沙河生态廊道项目:reserved", "储备项目:reserved"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("projects %v, want %v (allocated by area, then 前期, then 储备)", names, want)
	}
	if d3 := districtOf(t, l, 3); !nearMu(d3.AllocatedMu, boxMu(114.05, 33.60, 114.06, 33.61)) || d3.ReservedMu != 0 {
		t.Fatalf("召陵区 %+v, want the straddling site's part", d3)
	}
	if z := districtOf(t, l, 4); !nearMu(z.AllocatedMu, boxMu(113.99, 33.595, 113.995, 33.6)) || len(z.Projects) != 1 {
		t.Fatalf("the zone %+v, want the part of the site in it, and not in 源汇区 too", z)
	}
	if d2 := districtOf(t, l, 2); d2.AllocatedMu != 0 || d2.ReservedMu != 0 || len(d2.Projects) != 0 {
		t.Fatalf("舞阳县 %+v, want nothing", d2)
	}
	if d1 := districtOf(t, quotaLedger(t, land1, "2098"), 1); !nearMu(d1.AllocatedMu, muOf(siteOtherYear)) || d1.ReservedMu != 0 {
		t.Fatalf("2098: %+v, want only the site started in 2098", d1)
	}

	// The bureau sets the quota, then changes it with If-Match.
	res := putQuota(t, land1, "/api/quotas/2099/1", map[string]any{"quota_mu": "12000.50", "reason": "2099 年度计划下达"}, "")
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"v1"` {
		t.Fatalf("set: %d %q", res.StatusCode, res.Header.Get("ETag"))
	}
	res = putQuota(t, land1, "/api/quotas/2099/1", map[string]any{"quota_mu": 13000, "reason": "省厅追加指标"}, `"v1"`)
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("change: %d %q", res.StatusCode, res.Header.Get("ETag"))
	}
	d1 = districtOf(t, quotaLedger(t, land1, "2099"), 1)
	if d1.QuotaMu == nil || *d1.QuotaMu != geo.DecOf(13000, 0) || d1.Version != 2 || d1.UpdatedBy != "land1" {
		t.Fatalf("quota %+v", d1)
	}
	if left := 13000 - allocated - reserved; !nearMu(*d1.RemainingMu, left) || !nearMu(*d1.RemainingShare, left/13000) || d1.Over || d1.Near {
		t.Fatalf("remaining %.4f (%.4f), want %.4f", *d1.RemainingMu, *d1.RemainingShare, left)
	}

	res = land1.do(t, http.MethodGet, "/api/quotas/2099/1", nil)
	var h land.QuotaHistory
	decodeJSON(t, res, &h)
	if res.Header.Get("ETag") != `"v2"` || len(h.Changes) != 2 {
		t.Fatalf("history %q %+v", res.Header.Get("ETag"), h.Changes)
	}
	c0, c1 := h.Changes[0], h.Changes[1]
	if c0.OldMu == nil || *c0.OldMu != geo.DecOf(12000, 50) || c0.NewMu != geo.DecOf(13000, 0) || c0.Reason != "省厅追加指标" ||
		c0.ChangedBy != "land1" || c0.Version != 2 || c1.OldMu != nil || c1.NewMu != geo.DecOf(12000, 50) {
		t.Fatalf("changes %+v", h.Changes)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'quota_changes'"); n != 2 {
		t.Fatalf("%d audit rows of quota_changes, want 2", n)
	}
}

// TestQuotaWarningOnSave: the district user saving a site that takes
// the district over the quota gets the project with a warning (district,
// year, remaining before and after), and the save stands; a site within
// the quota, none.
func TestQuotaWarningOnSave(t *testing.T) {
	t.Parallel()
	f := quotaFixture(t)
	district := f.users[geo.RoleDistrict]
	allocated, reserved := yuanhuiCounted()
	quota := math.Ceil(allocated + reserved + 5)
	if res := putQuota(t, f.users[geo.RoleLand], "/api/quotas/2099/1", map[string]any{"quota_mu": quota, "reason": "年度计划"}, ""); res.StatusCode != 200 {
		t.Fatalf("set quota: %d", res.StatusCode)
	}
	patch := func(b [4]float64) map[string]any {
		t.Helper()
		res := district.do(t, http.MethodPatch, "/api/projects/2", map[string]any{
			"type": "Feature", "geometry": polygon(box(b[0], b[1], b[2], b[3])), "properties": map[string]any{},
		}, "If-Match", f.etag(t, "/api/projects/2"))
		if res.StatusCode != 200 {
			t.Fatalf("PATCH: %d %s", res.StatusCode, errorCode(t, res))
		}
		var v map[string]any
		decodeJSON(t, res, &v)
		return v
	}
	within := [4]float64{113.91, 33.53, 113.914, 33.534}
	if v := patch(within); v["quota_warnings"] != nil {
		t.Fatalf("a site within the quota warned: %v", v["quota_warnings"])
	}
	over := [4]float64{113.91, 33.53, 113.93, 33.55}
	v := patch(over)
	ws, _ := v["quota_warnings"].([]any)
	if len(ws) != 1 {
		t.Fatalf("warnings %v, want one", v["quota_warnings"])
	}
	w := ws[0].(map[string]any)
	after := quota - allocated - muOf(siteReserve) - muOf(over)
	if w["district_id"] != float64(1) || w["year"] != float64(2099) || w["status"] != "reserved" ||
		!nearMu(w["remaining_after_mu"].(float64), after) || !nearMu(w["remaining_before_mu"].(float64), after+muOf(over)) ||
		!strings.Contains(w["message"].(string), "源汇区 2099 年度建设用地指标将超出") {
		t.Fatalf("warning %v, want after %.4f", w, after)
	}
	if d1 := districtOf(t, quotaLedger(t, f.users[geo.RoleLand], "2099"), 1); !d1.Over || !nearMu(*d1.RemainingMu, after) {
		t.Fatalf("the save stands: %+v", d1)
	}
}

// TestQuotaBadInput: bad quotas, years and reasons are 400 with a Chinese
// message and an English code, never a 500; nothing is written.
func TestQuotaBadInput(t *testing.T) {
	t.Parallel()
	f := quotaFixture(t)
	land1 := f.users[geo.RoleLand]
	for _, c := range []struct {
		name, path, body, code string
		status                 int
	}{
		{"negative quota", "/api/quotas/2099/1", `{"quota_mu": -5, "reason": "调减"}`, "negative_quota", 400},
		{"negative quota as text", "/api/quotas/2099/1", `{"quota_mu": "-0.01", "reason": "调减"}`, "negative_quota", 400},
		{"three decimals", "/api/quotas/2099/1", `{"quota_mu": 1.005, "reason": "调整"}`, "bad_quota", 400},
		{"not a number", "/api/quotas/2099/1", `{"quota_mu": "一千", "reason": "调整"}`, "bad_json", 400},
		{"too large", "/api/quotas/2099/1", `{"quota_mu": 1000000.01, "reason": "调整"}`, "quota_too_large", 400},
		{"no quota", "/api/quotas/2099/1", `{"reason": "调整"}`, "bad_quota", 400},
		{"no reason", "/api/quotas/2099/1", `{"quota_mu": 100}`, "reason_required", 400},
		{"blank reason", "/api/quotas/2099/1", `{"quota_mu": 100, "reason": "  "}`, "reason_required", 400},
		{"long reason", "/api/quotas/2099/1", `{"quota_mu": 100, "reason": "` + strings.Repeat("长", 501) + `"}`, "reason_too_long", 400},
		{"NUL in the reason", "/api/quotas/2099/1", `{"quota_mu": 100, "reason": "调整\u0000"}`, "bad_text", 400},
		{"not UTF-8 in the reason", "/api/quotas/2099/1", "{\"quota_mu\": 100, \"reason\": \"调整\xff\xfe\"}", "bad_text", 400},
		{"cut UTF-8 in the reason", "/api/quotas/2099/1", "{\"quota_mu\": 100, \"reason\": \"调整\xe6\xbc\"}", "bad_text", 400},
		{"year before 2000", "/api/quotas/1999/1", `{"quota_mu": 100, "reason": "调整"}`, "bad_year", 400},
		{"year after 2100", "/api/quotas/2101/1", `{"quota_mu": 100, "reason": "调整"}`, "bad_year", 400},
		{"year not a number", "/api/quotas/20x9/1", `{"quota_mu": 100, "reason": "调整"}`, "bad_year", 400},
		{"unknown district", "/api/quotas/2099/99", `{"quota_mu": 100, "reason": "调整"}`, "not_found", 404},
		{"unknown field", "/api/quotas/2099/1", `{"quota_mu": 100, "reason": "调整", "mu": 1}`, "", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := land1.send(t, http.MethodPut, c.path, "application/json", []byte(c.body))
			if res.StatusCode != c.status {
				t.Fatalf("%d, want %d", res.StatusCode, c.status)
			}
			var body struct {
				Error struct{ Code, Message, MessageEN string } `json:"error"`
			}
			decodeJSON(t, res, &body)
			if c.code != "" && body.Error.Code != c.code || !hasHan(body.Error.Message) {
				t.Fatalf("error %+v, want code %s with a Chinese message", body.Error, c.code)
			}
		})
	}
	for _, q := range []string{"1999", "2101", "abcd", "99999"} {
		if res := land1.do(t, http.MethodGet, "/api/quotas?year="+q, nil); res.StatusCode != 400 || errorCode(t, res) != "bad_year" {
			t.Errorf("GET year %s: %d", q, res.StatusCode)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM quotas WHERE year = 2099") + f.count(t, "SELECT count(*) FROM quota_changes"); n != 0 {
		t.Fatalf("%d rows written by refused requests", n)
	}
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestQuotaConcurrentEdits: of two concurrent first settings one wins and
// the other is 409; of two concurrent changes made on the same version
// one wins and the other is 412 with the quota as it is now; a change
// without If-Match to a quota already set is 409.
func TestQuotaConcurrentEdits(t *testing.T) {
	t.Parallel()
	f := quotaFixture(t)
	land1, admin := f.users[geo.RoleLand], f.users[geo.RoleAdmin]
	race := func(etag string) []int {
		t.Helper()
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, c := range []*client{land1, admin} {
			wg.Go(func() {
				req := c.request(t, http.MethodPut, "/api/quotas/2099/2", map[string]any{"quota_mu": 100 + i, "reason": fmt.Sprintf("第 %d 次调整", i)})
				if etag != "" {
					req.Header.Set("If-Match", etag)
				}
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
		return codes
	}
	ok := func(codes []int, loser int) bool {
		return codes[0] == 200 && codes[1] == loser || codes[1] == 200 && codes[0] == loser
	}
	if codes := race(""); !ok(codes, 409) {
		t.Fatalf("first settings: %v, want 200 and 409", codes)
	}
	if codes := race(`"v1"`); !ok(codes, 412) {
		t.Fatalf("changes on v1: %v, want 200 and 412", codes)
	}
	res := putQuota(t, land1, "/api/quotas/2099/2", map[string]any{"quota_mu": 1, "reason": "过期版本"}, `"v1"`)
	var body struct {
		Error struct {
			Code    string
			Details struct{ Current land.QuotaHistory }
		} `json:"error"`
	}
	decodeJSON(t, res, &body)
	if res.StatusCode != 412 || body.Error.Code != "stale_quota" || body.Error.Details.Current.Version != 2 || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("stale change: %d %+v", res.StatusCode, body.Error)
	}
	if res := putQuota(t, land1, "/api/quotas/2099/2", map[string]any{"quota_mu": 1, "reason": "未带版本"}, ""); res.StatusCode != 409 {
		t.Fatalf("no If-Match on a set quota: %d", res.StatusCode)
	}
	if n := f.count(t, "SELECT count(*) FROM quota_changes WHERE district_id = 2"); n != 2 {
		t.Fatalf("%d changes recorded, want the 2 winners'", n)
	}
}

// The enclaves of TestQuotaEnclave, in 源汇区 (their host): one of
// 召陵区 using 召陵区's land quota (its home's), one of 舞阳县 using
// 源汇区's (its host's); a site half in the first, and a site half in
// the second, the rest of each in 源汇区 outside every enclave.
var (
	enclaveHomeQuota = [4]float64{113.95, 33.56, 113.97, 33.58}
	enclaveHostQuota = [4]float64{113.91, 33.56, 113.93, 33.58}
	siteEnclaved     = [4]float64{113.96, 33.565, 113.98, 33.575}
	siteHostEnclaved = [4]float64{113.92, 33.565, 113.94, 33.575}
)

// TestQuotaEnclave: land of a site in an enclave (飞地) counts in the
// quota of the enclave's quota district, here the home district 召陵区
// and not the host 源汇区 it lies in, named as counted via the enclave;
// the rest of the site counts in 源汇区; nothing counts twice: the city's
// allocated and reserved add up to the sites' areas. A site half in an
// enclave using the host's quota warns its district once, of the whole
// site.
func TestQuotaEnclave(t *testing.T) {
	t.Parallel()
	f := quotaFixture(t)
	exec(t, f, `
		INSERT INTO enclaves (id, name, home_district_id, host_district_id, agreement_no, agreement_date, term_years, model, quota_district_id, geom) VALUES
		  (1, '召陵飞地产业园', 3, 1, '召源飞地〔2098〕1号', '2098-01-01', 20, '飞地工业', 3, `+sqlBox(enclaveHomeQuota)+`),
		  (2, '舞阳飞地产业园', 2, 1, '舞源飞地〔2098〕2号', '2098-01-01', 20, '飞地工业', 1, `+sqlBox(enclaveHostQuota)+`);
		INSERT INTO projects (name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point, site, actual_start) VALUES
		  ('飞地项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '业主', 1000, ST_SetSRID(ST_MakePoint(113.965, 33.57), 4490), `+sqlBox(siteEnclaved)+`, '2099-08-01');`)
	land1 := f.users[geo.RoleLand]
	inside, outside := boxMu(113.96, 33.565, 113.97, 33.575), boxMu(113.97, 33.565, 113.98, 33.575)

	l := quotaLedger(t, land1, "2099")
	allocated, reserved := yuanhuiCounted()
	d1, d3 := districtOf(t, l, 1), districtOf(t, l, 3)
	if !nearMu(d1.AllocatedMu, allocated+outside) || !nearMu(d1.ReservedMu, reserved) {
		t.Fatalf("源汇区 allocated %.4f reserved %.4f, want %.4f (the part outside the enclave) and %.4f",
			d1.AllocatedMu, d1.ReservedMu, allocated+outside, reserved)
	}
	if straddling := boxMu(114.05, 33.60, 114.06, 33.61); !nearMu(d3.AllocatedMu, straddling+inside) || d3.ReservedMu != 0 {
		t.Fatalf("召陵区 allocated %.4f reserved %.4f, want %.4f (with the part in its enclave)", d3.AllocatedMu, d3.ReservedMu, straddling+inside)
	}
	part := func(d land.DistrictQuota) land.QuotaSite {
		t.Helper()
		var found []land.QuotaSite
		for _, p := range d.Projects {
			if p.Name == "飞地项目" {
				found = append(found, p)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%s: parts of the site %+v, want one", d.Name, found)
		}
		return found[0]
	}
	if p := part(d1); !nearMu(p.Mu, outside) || p.Enclave != "" || p.EnclaveID != 0 || p.Status != land.QuotaAllocated {
		t.Fatalf("源汇区's part %+v, want %.4f outside the enclave", p, outside)
	}
	if p := part(d3); !nearMu(p.Mu, inside) || p.Enclave != "召陵飞地产业园" || p.EnclaveID != 1 || p.Status != land.QuotaAllocated {
		t.Fatalf("召陵区's part %+v, want %.4f via 召陵飞地产业园", p, inside)
	}

	var total, sites float64
	for _, d := range l.Districts {
		total += d.AllocatedMu + d.ReservedMu
	}
	for _, b := range [][4]float64{siteBuilding, siteLandDone, siteStraddling, sitePreparing, siteReserve, siteIntoZone, siteEnclaved} {
		sites += muOf(b)
	}
	if !nearMu(total, sites) {
		t.Fatalf("the city counts %.4f mu, the sites are %.4f mu", total, sites)
	}

	// One district: the part in its enclave, named.
	res := land1.do(t, http.MethodGet, "/api/quotas/2099/3", nil)
	var h land.QuotaHistory
	decodeJSON(t, res, &h)
	if p := part(h.DistrictQuota); !nearMu(p.Mu, inside) || p.Enclave != "召陵飞地产业园" || !nearMu(h.AllocatedMu, d3.AllocatedMu) {
		t.Fatalf("GET /api/quotas/2099/3: %+v", h.DistrictQuota)
	}

	// A site half in the enclave using its host's quota: one warning of
	// 源汇区, of the whole site.
	if res := putQuota(t, land1, "/api/quotas/2099/1", map[string]any{"quota_mu": 1, "reason": "年度计划"}, ""); res.StatusCode != 200 {
		t.Fatalf("set quota: %d", res.StatusCode)
	}
	district := f.users[geo.RoleDistrict]
	res = district.do(t, http.MethodPatch, "/api/projects/2", map[string]any{
		"type": "Feature", "geometry": polygon(box(siteHostEnclaved[0], siteHostEnclaved[1], siteHostEnclaved[2], siteHostEnclaved[3])), "properties": map[string]any{},
	}, "If-Match", f.etag(t, "/api/projects/2"))
	if res.StatusCode != 200 {
		t.Fatalf("PATCH: %d %s", res.StatusCode, errorCode(t, res))
	}
	var v struct {
		QuotaWarnings []land.QuotaWarning `json:"quota_warnings"`
	}
	decodeJSON(t, res, &v)
	if ws := v.QuotaWarnings; len(ws) != 1 || ws[0].DistrictID != 1 || !nearMu(ws[0].SiteMu, muOf(siteHostEnclaved)) {
		t.Fatalf("warnings %+v, want one of 源汇区 of %.4f mu", ws, muOf(siteHostEnclaved))
	}
	var parts []string
	for _, p := range districtOf(t, quotaLedger(t, land1, "2099"), 1).Projects {
		if p.ProjectID == 2 {
			parts = append(parts, fmt.Sprintf("%s:%.4f", p.Enclave, p.Mu))
		}
	}
	half := boxMu(113.92, 33.565, 113.93, 33.575)
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "舞阳飞地产业园:") && !strings.HasPrefix(parts[1], "舞阳飞地产业园:") {
		t.Fatalf("源汇区's parts of the site %v, want one via 舞阳飞地产业园 and one outside, about %.4f mu each", parts, half)
	}
}
