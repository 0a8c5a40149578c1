package api_test

import (
	"math"
	"net/http"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/xuri/excelize/v2"
)

// The land layers of the compliance tests, inside the fixture's 源汇区
// (113.9–114.05°E, 33.5–33.65°N), each a box (west, south, east, north):
// an industrial zone, a residential zone, permanent basic farmland, an
// ecological red line, an urban development boundary and the four legacy
// construction-control zones side by side.
const complianceLayers = `
INSERT INTO landuse_classes VALUES ('gtkj2023', '0701', '城镇住宅用地', NULL, true);
INSERT INTO landuse (id, system, code, plan, name, geom) VALUES
  (1, 'gtkj2023', '100101', '漯河市国土空间总体规划', '食品产业园', ST_Multi(ST_MakeEnvelope(113.96, 33.56, 113.97, 33.57, 4490))),
  (2, 'gtkj2023', '0701', '漯河市国土空间总体规划', '沙北居住区', ST_Multi(ST_MakeEnvelope(113.96, 33.57, 113.97, 33.58, 4490)));
INSERT INTO control_lines (id, kind, name, district_id, geom) VALUES
  (1, 'basic_farmland', '源汇区永久基本农田', 1, ST_Multi(ST_MakeEnvelope(113.97, 33.56, 113.98, 33.57, 4490))),
  (2, 'eco_redline', '沙河生态保护红线', 1, ST_Multi(ST_MakeEnvelope(113.98, 33.56, 113.99, 33.57, 4490))),
  (3, 'urban_boundary', '中心城区城镇开发边界', 1, ST_Multi(ST_MakeEnvelope(113.95, 33.55, 113.97, 33.58, 4490)));
INSERT INTO control_zones (id, code, plan, geom) VALUES
  (1, '010', '漯河市土地利用总体规划（2006—2020年）', ST_Multi(ST_MakeEnvelope(113.95, 33.55, 113.97, 33.58, 4490))),
  (2, '020', '漯河市土地利用总体规划（2006—2020年）', ST_Multi(ST_MakeEnvelope(113.99, 33.56, 114.00, 33.57, 4490))),
  (3, '030', '漯河市土地利用总体规划（2006—2020年）', ST_Multi(ST_MakeEnvelope(114.00, 33.56, 114.01, 33.57, 4490))),
  (4, '040', '漯河市土地利用总体规划（2006—2020年）', ST_Multi(ST_MakeEnvelope(113.98, 33.56, 113.99, 33.57, 4490)));`

func complianceFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	exec(t, f, complianceLayers)
	return f
}

// The CGCS2000 ellipsoid.
const (
	cgcsA = 6378137.0
	cgcsF = 1 / 298.257222101
)

// ellipsoidArea is the area in m² of a polygon (rings of longitude and
// latitude in degrees, the first the shell) on the CGCS2000 ellipsoid,
// computed independently of PostGIS: on the authalic sphere (equal area
// with the ellipsoid), with edges that follow the parallels' way of
// integrating ∮ sin β dλ by trapezoids. For the densified boxes of these
// tests it differs from geodesic edges by far less than 1e-6.
func ellipsoidArea(rings [][][2]float64) float64 {
	e2 := cgcsF * (2 - cgcsF)
	e := math.Sqrt(e2)
	q := func(phi float64) float64 {
		s := math.Sin(phi)
		return (1 - e2) * (s/(1-e2*s*s) - math.Log((1-e*s)/(1+e*s))/(2*e))
	}
	qp := q(math.Pi / 2)
	r2 := cgcsA * cgcsA * qp / 2
	total := 0.0
	for i, ring := range rings {
		sum := 0.0
		for k := 0; k+1 < len(ring); k++ {
			l1, l2 := ring[k][0]*math.Pi/180, ring[k+1][0]*math.Pi/180
			s1, s2 := q(ring[k][1]*math.Pi/180)/qp, q(ring[k+1][1]*math.Pi/180)/qp
			sum += (l2 - l1) * (s1 + s2) / 2
		}
		a := math.Abs(sum) * r2
		if i > 0 {
			a = -a
		}
		total += a
	}
	return total
}

// box is a ring around (west, south, east, north), with a vertex every
// 0.0005° so that its edges are the parallels and meridians it names.
func box(w, s, e, n float64) [][2]float64 {
	var r [][2]float64
	const step = 0.0005
	line := func(x0, y0, x1, y1 float64) {
		k := int(math.Ceil(math.Max(math.Abs(x1-x0), math.Abs(y1-y0)) / step))
		for i := range k {
			t := float64(i) / float64(k)
			r = append(r, [2]float64{x0 + (x1-x0)*t, y0 + (y1-y0)*t})
		}
	}
	line(w, s, e, s)
	line(e, s, e, n)
	line(e, n, w, n)
	line(w, n, w, s)
	return append(r, r[0])
}

func polygon(rings ...[][2]float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": rings}
}

// boxArea is ellipsoidArea of a box.
func boxArea(w, s, e, n float64) float64 { return ellipsoidArea([][][2]float64{box(w, s, e, n)}) }

func checkReport(t *testing.T, c *client, body any) land.Report {
	t.Helper()
	res := c.do(t, http.MethodPost, "/api/land/check", body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, errorCode(t, res))
	}
	var r land.Report
	decodeJSON(t, res, &r)
	return r
}

func layerOf(r land.Report, l land.Layer) land.LayerReport {
	for _, lr := range r.Layers {
		if lr.Layer == l {
			return lr
		}
	}
	return land.LayerReport{}
}

// near reports whether got is within 0.01% of want (and 0.01 m², the
// rounding of the report).
func near(got, want float64) bool { return math.Abs(got-want) <= 1e-4*math.Abs(want)+0.01 }

func rulesOf(r land.Report) []land.Rule {
	var out []land.Rule
	for _, f := range r.Rules {
		out = append(out, f.Rule)
	}
	return out
}

func TestComplianceCheck(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	viewer := f.users["viewer"]

	t.Run("square inside an industrial zone is compliant", func(t *testing.T) {
		r := checkReport(t, viewer, map[string]any{"geometry": polygon(box(113.961, 33.561, 113.969, 33.569))})
		want := boxArea(113.961, 33.561, 113.969, 33.569)
		if !near(r.Site.AreaM2, want) {
			t.Fatalf("site %.2f m², want %.2f (independent)", r.Site.AreaM2, want)
		}
		if r.Verdict != land.VerdictCompliant || len(r.Rules) != 0 {
			t.Fatalf("verdict %s, rules %v", r.Verdict, rulesOf(r))
		}
		lu := layerOf(r, land.LayerLanduse)
		if len(lu.Zones) != 1 || lu.Zones[0].Code != "100101" || lu.Zones[0].Name != "食品产业园" || !near(lu.Zones[0].AreaM2, want) || lu.Zones[0].Share != 1 {
			t.Fatalf("landuse %+v", lu)
		}
		if math.Abs(lu.Zones[0].Mu-want*15/10000) > 0.01 || math.Abs(lu.Zones[0].Hectares-want/10000) > 0.0001 {
			t.Fatalf("mu %v ha %v, want %v %v", lu.Zones[0].Mu, lu.Zones[0].Hectares, want*15/10000, want/10000)
		}
		if len(lu.Classes) != 1 || lu.Classes[0].Name != "一类工业用地" {
			t.Fatalf("classes %+v", lu.Classes)
		}
		if r.OutsideUrban.AreaM2 != 0 || len(layerOf(r, land.LayerUrbanBoundary).Zones) != 1 {
			t.Fatalf("urban %+v", r.OutsideUrban)
		}
	})
	t.Run("site straddling the basic farmland line is blocking", func(t *testing.T) {
		r := checkReport(t, viewer, map[string]any{"geometry": polygon(box(113.965, 33.562, 113.975, 33.568))})
		in, out := boxArea(113.965, 33.562, 113.97, 33.568), boxArea(113.97, 33.562, 113.975, 33.568)
		if !near(r.Site.AreaM2, in+out) {
			t.Fatalf("site %.2f, want %.2f", r.Site.AreaM2, in+out)
		}
		bf := layerOf(r, land.LayerBasicFarmland)
		if len(bf.Zones) != 1 || !near(bf.Total.AreaM2, out) || math.Abs(bf.Total.Share-out/(in+out)) > 1e-4 ||
			bf.Zones[0].Geometry == nil || bf.Zones[0].Geometry.Type != "Polygon" {
			t.Fatalf("farmland %+v, want %.2f", bf.Total, out)
		}
		if !near(layerOf(r, land.LayerLanduse).Total.AreaM2, in) || !near(r.OutsideUrban.AreaM2, out) {
			t.Fatalf("landuse %+v outside %+v", layerOf(r, land.LayerLanduse).Total, r.OutsideUrban)
		}
		if r.Verdict != land.VerdictBlocking {
			t.Fatalf("verdict %s, rules %v", r.Verdict, rulesOf(r))
		}
		if rs := rulesOf(r); len(rs) != 2 || rs[0] != land.RuleBasicFarmland || rs[1] != land.RuleOutsideUrban {
			t.Fatalf("rules %v", rs)
		}
	})
	t.Run("sliver under the tolerance is dropped and counted", func(t *testing.T) {
		// 5e-9° of longitude is 0.46 mm: 0.1 m² over 222 m of farmland.
		r := checkReport(t, viewer, map[string]any{"geometry": polygon(box(113.968, 33.562, 113.970000005, 33.564))})
		bf := layerOf(r, land.LayerBasicFarmland)
		if len(bf.Zones) != 0 || bf.Slivers != 1 || r.Slivers < 1 {
			t.Fatalf("farmland %+v, slivers %d", bf, r.Slivers)
		}
		if r.Verdict != land.VerdictCompliant {
			t.Fatalf("verdict %s, rules %v", r.Verdict, rulesOf(r))
		}
	})
	t.Run("hole over the farmland leaves it out", func(t *testing.T) {
		shell, hole := box(113.965, 33.561, 113.985, 33.569), box(113.9698, 33.5615, 113.9802, 33.5685)
		r := checkReport(t, viewer, map[string]any{"geometry": polygon(shell, hole)})
		want := ellipsoidArea([][][2]float64{shell, hole})
		if !near(r.Site.AreaM2, want) {
			t.Fatalf("site %.2f, want %.2f", r.Site.AreaM2, want)
		}
		bf := layerOf(r, land.LayerBasicFarmland)
		wantBF := boxArea(113.97, 33.561, 113.98, 33.569) - boxArea(113.97, 33.5615, 113.98, 33.5685)
		if !near(bf.Total.AreaM2, wantBF) {
			t.Fatalf("farmland %.2f, want %.2f", bf.Total.AreaM2, wantBF)
		}
	})
	t.Run("multipolygon over industry and the eco red line", func(t *testing.T) {
		a, b := box(113.961, 33.561, 113.963, 33.563), box(113.981, 33.561, 113.983, 33.563)
		r := checkReport(t, viewer, map[string]any{"geometry": map[string]any{"type": "MultiPolygon", "coordinates": [][][][2]float64{{a}, {b}}}})
		wa, wb := boxArea(113.961, 33.561, 113.963, 33.563), boxArea(113.981, 33.561, 113.983, 33.563)
		if !near(r.Site.AreaM2, wa+wb) || !near(layerOf(r, land.LayerEcoRedline).Total.AreaM2, wb) {
			t.Fatalf("site %.2f eco %.2f, want %.2f %.2f", r.Site.AreaM2, layerOf(r, land.LayerEcoRedline).Total.AreaM2, wa+wb, wb)
		}
		cz := layerOf(r, land.LayerControlZones)
		if len(cz.Classes) != 2 || cz.Classes[0].Name == "" {
			t.Fatalf("control zones %+v", cz.Classes)
		}
		if r.Verdict != land.VerdictBlocking {
			t.Fatalf("verdict %s rules %v", r.Verdict, rulesOf(r))
		}
		if rs := rulesOf(r); len(rs) != 3 || rs[0] != land.RuleEcoRedline || rs[1] != land.RuleProhibitedZone || rs[2] != land.RuleOutsideUrban {
			t.Fatalf("rules %v", rs)
		}
	})
	t.Run("restricted zone is a conflict, conditional zone conditional", func(t *testing.T) {
		r := checkReport(t, viewer, map[string]any{"geometry": polygon(box(114.001, 33.561, 114.002, 33.562))})
		if r.Verdict != land.VerdictConflict {
			t.Fatalf("verdict %s rules %v", r.Verdict, rulesOf(r))
		}
		r = checkReport(t, viewer, map[string]any{"geometry": polygon(box(113.991, 33.561, 113.992, 33.562))})
		if r.Verdict != land.VerdictConditional {
			t.Fatalf("verdict %s rules %v", r.Verdict, rulesOf(r))
		}
	})
	t.Run("intended use differing from the plan is a conflict", func(t *testing.T) {
		body := map[string]any{"geometry": polygon(box(113.961, 33.565, 113.969, 33.575)), "intended": map[string]string{"system": "gtkj2023", "code": "100101"}}
		r := checkReport(t, viewer, body)
		if r.Verdict != land.VerdictConflict || len(r.Rules) != 1 || r.Rules[0].Rule != land.RuleLanduseMismatch {
			t.Fatalf("verdict %s rules %v", r.Verdict, rulesOf(r))
		}
		if !near(r.Rules[0].AreaM2, boxArea(113.961, 33.57, 113.969, 33.575)) {
			t.Fatalf("mismatch over %.2f m²", r.Rules[0].AreaM2)
		}
	})
}

// refused checks that a request is refused as bad input with code.
func refused(t *testing.T, c *client, method, path string, body any, code string) {
	t.Helper()
	res := c.do(t, method, path, body)
	if res.StatusCode != 400 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := errorCode(t, res); got != code {
		t.Fatalf("code %s, want %s", got, code)
	}
}

func TestComplianceBadInput(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	viewer := f.users["viewer"]
	bowtie := [][2]float64{{113.96, 33.56}, {113.965, 33.565}, {113.965, 33.56}, {113.96, 33.565}, {113.96, 33.56}}
	var many [][2]float64
	for i := range 20001 {
		a := 2 * math.Pi * float64(i) / 20001
		many = append(many, [2]float64{113.96 + 0.001*math.Cos(a), 33.56 + 0.001*math.Sin(a)})
	}
	many = append(many, many[0])
	for _, c := range []struct {
		name string
		body any
		code string
	}{
		{"no geometry", map[string]any{}, "bad_geometry"},
		{"not GeoJSON", map[string]any{"geometry": map[string]any{"type": "Circle"}}, "bad_geometry"},
		{"a point", map[string]any{"geometry": map[string]any{"type": "Point", "coordinates": []float64{113.96, 33.56}}}, "bad_geometry"},
		{"ring not closed", map[string]any{"geometry": polygon([][2]float64{{113.96, 33.56}, {113.97, 33.56}, {113.97, 33.57}, {113.96, 33.57}})}, "bad_geometry"},
		{"latitude out of range", map[string]any{"geometry": polygon([][2]float64{{113.96, 95}, {113.97, 95}, {113.97, 96}, {113.96, 95}})}, "bad_geometry"},
		{"self-intersecting", map[string]any{"geometry": polygon(bowtie)}, "bad_site"},
		{"outside Luohe", map[string]any{"geometry": polygon(box(116.3, 39.9, 116.31, 39.91))}, "outside_city"},
		{"too many vertices", map[string]any{"geometry": polygon(many)}, "site_too_large"},
		{"too wide", map[string]any{"geometry": polygon(box(113.6, 33.5, 114.0, 33.6))}, "site_too_large"},
		{"unknown field", map[string]any{"geometry": polygon(box(113.961, 33.561, 113.969, 33.569)), "crs": "EPSG:3857"}, "bad_json"},
	} {
		t.Run(c.name, func(t *testing.T) { refused(t, viewer, http.MethodPost, "/api/land/check", c.body, c.code) })
	}
	t.Run("invalid site offers the repaired shape", func(t *testing.T) {
		res := viewer.do(t, http.MethodPost, "/api/land/check", map[string]any{"geometry": polygon(bowtie)})
		var body struct {
			Error struct {
				Message string
				Details struct {
					Repaired struct{ Type string }
				}
			}
		}
		decodeJSON(t, res, &body)
		if body.Error.Details.Repaired.Type != "MultiPolygon" || body.Error.Message == "" {
			t.Fatalf("%+v", body.Error)
		}
	})
}

func TestProjectCompliance(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	// Project 1: a site over the residential zone, intended for industry.
	exec(t, f, `UPDATE projects SET site = ST_Multi(ST_MakeEnvelope(113.962, 33.572, 113.968, 33.578, 4490)),
		intended_system = 'gtkj2023', intended_code = '100101' WHERE id = 1`)
	res := f.users["viewer"].do(t, http.MethodGet, "/api/projects/1/compliance", nil)
	var r land.Report
	decodeJSON(t, res, &r)
	if res.StatusCode != 200 || r.Verdict != land.VerdictConflict || r.Intended == nil || r.Intended.Code != "100101" {
		t.Fatalf("status %d verdict %s intended %+v rules %v", res.StatusCode, r.Verdict, r.Intended, rulesOf(r))
	}
	for path, want := range map[string]string{"/api/projects/2/compliance": "no_site", "/api/projects/x/compliance": "bad_id"} {
		res := f.users["viewer"].do(t, http.MethodGet, path, nil)
		if res.StatusCode != 400 {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		if code := errorCode(t, res); code != want {
			t.Fatalf("%s: %s, want %s", path, code, want)
		}
	}
	if res := f.users["viewer"].do(t, http.MethodGet, "/api/projects/999/compliance", nil); res.StatusCode != 404 {
		t.Fatalf("missing project: %d", res.StatusCode)
	}
}

func TestComplianceSettings(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	admin := f.users["admin"]
	var got struct {
		land.CheckSettings
		Rules []land.NamedRule
	}
	res := admin.do(t, http.MethodGet, "/api/settings/compliance", nil)
	decodeJSON(t, res, &got)
	if got.Severity[land.RuleBasicFarmland] != land.VerdictBlocking || got.ToleranceM2 != 1 || len(got.Rules) != len(land.Rules()) {
		t.Fatalf("defaults %+v", got)
	}
	set := land.DefaultCheckSettings()
	bad := func(mod func(s *land.CheckSettings)) land.CheckSettings {
		s := land.DefaultCheckSettings()
		s.Severity = land.Severity{}
		for r, v := range set.Severity {
			s.Severity[r] = v
		}
		mod(&s)
		return s
	}
	for _, c := range []struct {
		name string
		body land.CheckSettings
		code string
	}{
		{"a rule left out", bad(func(s *land.CheckSettings) { delete(s.Severity, land.RuleEcoRedline) }), "missing_rule"},
		{"an unknown verdict", bad(func(s *land.CheckSettings) { s.Severity[land.RuleEcoRedline] = "fatal" }), "bad_verdict"},
		{"an unknown rule", bad(func(s *land.CheckSettings) { s.Severity["quota"] = land.VerdictWarning }), "bad_rule"},
		{"a negative tolerance", bad(func(s *land.CheckSettings) { s.ToleranceM2 = -1 }), "bad_tolerance"},
		{"a tolerance share over 5%", bad(func(s *land.CheckSettings) { s.ToleranceShare = 0.5 }), "bad_tolerance_share"},
	} {
		t.Run(c.name, func(t *testing.T) { refused(t, admin, http.MethodPut, "/api/settings/compliance", c.body, c.code) })
	}
	t.Run("a changed table changes the verdict and is audited", func(t *testing.T) {
		s := bad(func(s *land.CheckSettings) { s.Severity[land.RuleBasicFarmland] = land.VerdictWarning })
		if res := admin.do(t, http.MethodPut, "/api/settings/compliance", s); res.StatusCode != 200 {
			t.Fatalf("status %d: %s", res.StatusCode, errorCode(t, res))
		}
		r := checkReport(t, f.users["viewer"], map[string]any{"geometry": polygon(box(113.971, 33.561, 113.972, 33.562))})
		if r.Verdict != land.VerdictWarning {
			t.Fatalf("verdict %s rules %v", r.Verdict, rulesOf(r))
		}
		if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'compliance_settings' AND actor = 'admin1'"); n != 1 {
			t.Fatalf("%d audit rows", n)
		}
	})
	if res := f.users["land"].do(t, http.MethodPut, "/api/settings/compliance", set); res.StatusCode != 403 {
		t.Fatalf("land may not change the table: %d", res.StatusCode)
	}
}

func TestVerdictsStaleAndRechecked(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	server := geo.Principal{Kind: geo.UserSession, Username: "onemap serve", Roles: []geo.Role{geo.RoleAdmin}}
	recheck := func(want int) {
		t.Helper()
		n, err := f.api.Land.Recheck(t.Context(), server)
		if err != nil || n != want {
			t.Fatalf("rechecked %d (%v), want %d", n, err, want)
		}
	}
	verdicts := func() []land.ProjectVerdict {
		t.Helper()
		var vs []land.ProjectVerdict
		decodeJSON(t, f.users["district"].do(t, http.MethodGet, "/api/land/verdicts", nil), &vs)
		return vs
	}
	// The three projects have no site: checked, no verdict.
	recheck(3)
	recheck(0)
	exec(t, f, `UPDATE projects SET site = ST_Multi(ST_MakeEnvelope(113.962, 33.572, 113.968, 33.578, 4490)),
		intended_system = 'gtkj2023', intended_code = '100101' WHERE id = 2`)
	if vs := verdicts(); len(vs) != 2 || vs[1].ProjectID != 2 || !vs[1].Stale {
		t.Fatalf("after the site change: %+v", vs)
	}
	recheck(1)
	vs := verdicts()
	if len(vs) != 2 || vs[0].ProjectID != 2 || vs[0].Verdict != land.VerdictConflict || vs[0].Stale || vs[0].CheckedAt == nil || vs[1].Verdict != "" {
		t.Fatalf("conflicts first: %+v", vs)
	}
	// The site moves into the industrial zone.
	exec(t, f, `UPDATE projects SET site = ST_Multi(ST_MakeEnvelope(113.962, 33.562, 113.968, 33.568, 4490)) WHERE id = 2`)
	if vs := verdicts(); !vs[0].Stale && !vs[1].Stale {
		t.Fatalf("not stale after the move: %+v", vs)
	}
	recheck(1)
	if vs := verdicts(); vs[0].ProjectID != 2 || vs[0].Verdict != land.VerdictCompliant {
		t.Fatalf("after the move: %+v", vs)
	}
	// A new farmland line far away leaves the verdict alone; one over the
	// site makes it stale and blocking.
	exec(t, f, `INSERT INTO control_lines (id, kind, name, geom) VALUES (10, 'basic_farmland', '远处农田', ST_Multi(ST_MakeEnvelope(113.91, 33.51, 113.92, 33.52, 4490)))`)
	recheck(0)
	exec(t, f, `INSERT INTO control_lines (id, kind, name, geom) VALUES (11, 'basic_farmland', '新划农田', ST_Multi(ST_MakeEnvelope(113.965, 33.565, 113.966, 33.566, 4490)))`)
	recheck(1)
	if vs := verdicts(); vs[0].ProjectID != 2 || vs[0].Verdict != land.VerdictBlocking || len(vs[0].Rules) != 1 {
		t.Fatalf("after the farmland line: %+v", vs)
	}
	// The project tiles carry the verdict, for the map to colour by.
	if v := tileProperty(t, f, tileZ10, "沙河生态廊道项目", "verdict"); v != "blocking" {
		t.Fatalf("verdict in the tile: %v", v)
	}
	// A result overtaken by a change is not stored.
	exec(t, f, `UPDATE projects SET intended_code = NULL, intended_system = NULL WHERE id = 2`)
	stale, err := f.db.StaleVerdicts(t.Context(), 10)
	if err != nil || len(stale) != 1 {
		t.Fatalf("stale %v %v", stale, err)
	}
	exec(t, f, `UPDATE projects SET site = ST_Multi(ST_MakeEnvelope(113.962, 33.562, 113.964, 33.564, 4490)) WHERE id = 2`)
	if ok, err := f.db.SaveVerdict(t.Context(), stale[0], &land.Report{Verdict: land.VerdictCompliant}); ok || err != nil {
		t.Fatalf("stored an overtaken result: %v %v", ok, err)
	}
}

func TestComplianceXLSX(t *testing.T) {
	t.Parallel()
	f := complianceFixture(t)
	exec(t, f, `UPDATE landuse SET name = '=HYPERLINK("http://evil.example","点我")' WHERE id = 1`)
	res := f.users["viewer"].do(t, http.MethodPost, "/api/land/check.xlsx", map[string]any{"geometry": polygon(box(113.965, 33.562, 113.975, 33.568))})
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("用地合规审查")
	if err != nil {
		t.Fatal(err)
	}
	var verdict, name string
	for _, r := range rows {
		if len(r) > 1 && r[0] == "审查结论" {
			verdict = r[1]
		}
		if len(r) > 4 && r[2] == "100101" {
			name = r[4]
		}
	}
	if verdict != "禁止占用（blocking）" || name != `'=HYPERLINK("http://evil.example","点我")` {
		t.Fatalf("verdict %q, zone name %q", verdict, name)
	}
	if res := f.users["viewer"].do(t, http.MethodPost, "/api/land/check.xlsx", map[string]any{}); res.StatusCode != 400 {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
}
