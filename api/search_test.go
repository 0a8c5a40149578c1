package api_test

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/invest"
)

// siteFixture is newFixture with the parcels of the site search tests in
// place of the fixture's: P (JK-P) and Q (JK-Q) side by side north of a
// highway exit, differing in every criterion, and the four kinds of
// destination at known distances from P.
//
//	P: ready, 100101 in the food park, 20 万元/亩, plot ratio up to 1.5,
//	   all eight utilities, off the control lines;
//	Q: planned, 110101 outside parks, 30 万元/亩, up to 1.0, road and
//	   power only, on 永久基本农田 and 生态保护红线, nearer the exit.
func siteFixture(t *testing.T) (*fixture, *pgx.Conn) {
	t.Helper()
	f := newFixture(t)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	_, err = conn.Exec(t.Context(), `
		DELETE FROM parcels;
		INSERT INTO landuse_classes VALUES ('gtkj2023', '110101', '一类物流仓储用地', '1101', true);
		INSERT INTO transport (kind, name, geom) VALUES
		  ('highway_exit', '漯河东收费站', ST_SetSRID(ST_MakePoint(114.0015, 33.59), 4490)),
		  ('station', '漯河站', ST_SetSRID(ST_MakePoint(114.0015, 33.62), 4490)),
		  ('high_speed_station', '漯河西站', ST_SetSRID(ST_MakePoint(113.99, 33.601), 4490)),
		  ('port', '沙河港', ST_SetSRID(ST_MakePoint(114.013, 33.601), 4490));
		INSERT INTO parcels (code, name, park_id, district_id, supply_status, landuse_system, landuse_code, price,
		                     plot_ratio_min, plot_ratio_max, utilities, geom) VALUES
		  ('JK-P', '食品园P地块', 1, 1, 'ready', 'gtkj2023', '100101', 20, 1.0, 1.5,
		   '{road,power,water,telecom,drainage,gas,heat,levelled}', ST_Multi(ST_MakeEnvelope(114.0, 33.6, 114.003, 33.6025, 4490))),
		  ('JK-Q', '物流Q地块', NULL, 1, 'planned', 'gtkj2023', '110101', 30, 0.8, 1.0,
		   '{road,power}', ST_Multi(ST_MakeEnvelope(114.0035, 33.595, 114.0055, 33.5965, 4490)));
		INSERT INTO control_lines (kind, name, geom) VALUES
		  ('basic_farmland', '基本农田', ST_Multi(ST_MakeEnvelope(114.0055, 33.595, 114.007, 33.597, 4490))),
		  ('eco_redline', '沙河生态红线', ST_Multi(ST_MakeEnvelope(114.004, 33.5955, 114.005, 33.596, 4490)));`)
	if err != nil {
		t.Fatal(err)
	}
	return f, conn
}

// siteValue reads a parcel's value as the search sees it.
func siteValue(t *testing.T, conn *pgx.Conn, code, expr string) float64 {
	t.Helper()
	var v float64
	err := conn.QueryRow(t.Context(), `SELECT (`+expr+`)::float8 FROM parcels p JOIN parcel_sites s ON s.parcel_id = p.id WHERE p.code = $1`, code).Scan(&v)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func search(t *testing.T, f *fixture, q map[string]any) invest.SiteAnswer {
	t.Helper()
	res := f.users["investment"].do(t, "POST", "/api/sites/search", q)
	if res.StatusCode != 200 {
		t.Fatalf("%v: status %d (%s)", q, res.StatusCode, errorCode(t, res))
	}
	var a invest.SiteAnswer
	decodeJSON(t, res, &a)
	return a
}

func codes(a invest.SiteAnswer) []string {
	var out []string
	for _, s := range a.Sites {
		out = append(out, s.Code)
	}
	return out
}

// TestSiteDistancesOnTheEllipsoid checks that the distances a search reads
// are metres on the CGCS2000 ellipsoid: P lies 0.01° of latitude north of
// the exit (a meridian arc) and 0.01° of longitude east of the high-speed
// rail station and west of the port (a parallel's), not 0.01 "degrees"
// nor a sphere's metres.
func TestSiteDistancesOnTheEllipsoid(t *testing.T) {
	t.Parallel()
	_, conn := siteFixture(t)
	const a, fl = 6378137.0, 1 / 298.257222101
	e2 := fl * (2 - fl)
	rad := math.Pi / 180
	w := func(lat float64) float64 { return 1 - e2*math.Pow(math.Sin(lat*rad), 2) }
	meridian := a * (1 - e2) / math.Pow(w(33.595), 1.5) * 0.01 * rad // M at the middle latitude × Δφ
	parallel := a / math.Sqrt(w(33.601)) * math.Cos(33.601*rad) * 0.01 * rad
	for _, c := range []struct {
		col  string
		want float64
	}{{"s.highway_exit_m", meridian}, {"s.hsr_station_m", parallel}, {"s.port_m", parallel}} {
		if got := siteValue(t, conn, "JK-P", c.col); math.Abs(got-c.want) > 0.5 {
			t.Errorf("%s = %.2f m, want %.2f m on the ellipsoid", c.col, got, c.want)
		}
	}
	// Moving the exit moves the distance (the triggers keep it).
	if _, err := conn.Exec(t.Context(), `UPDATE transport SET geom = ST_SetSRID(ST_MakePoint(114.0015, 33.58), 4490) WHERE kind = 'highway_exit'`); err != nil {
		t.Fatal(err)
	}
	if got := siteValue(t, conn, "JK-P", "s.highway_exit_m"); math.Abs(got-2*meridian) > 2 {
		t.Errorf("after the exit moved: %.2f m, want about %.2f", got, 2*meridian)
	}
	// So does moving the parcel, and a control line over it.
	if _, err := conn.Exec(t.Context(), `UPDATE parcels SET geom = ST_Multi(ST_MakeEnvelope(114.0, 33.59, 114.003, 33.5925, 4490)) WHERE code = 'JK-P';
		INSERT INTO control_lines (kind, name, geom) VALUES ('eco_redline', '新红线', ST_Multi(ST_MakeEnvelope(114.0, 33.59, 114.001, 33.591, 4490)))`); err != nil {
		t.Fatal(err)
	}
	if got := siteValue(t, conn, "JK-P", "s.highway_exit_m"); math.Abs(got-meridian) > 2 {
		t.Errorf("after the parcel moved: %.2f m, want about %.2f", got, meridian)
	}
	if got := siteValue(t, conn, "JK-P", "s.eco_redline::int"); got != 1 {
		t.Errorf("P is now on the red line, flag %v", got)
	}
}

// TestSiteCriteria searches with each criterion at a limit just inside
// P's value and just outside it: P is in, then out, counted under that
// criterion.
func TestSiteCriteria(t *testing.T) {
	t.Parallel()
	f, conn := siteFixture(t)
	num := func(code, expr string, d float64) float64 { return siteValue(t, conn, code, expr) + d }
	areaP := num("JK-P", "p.area_m2 * 0.0015", 0)
	cases := []struct {
		name, excluded string
		inside, beyond map[string]any
	}{
		{"area_mu_min", "area_mu_min", map[string]any{"area_mu_min": areaP - 0.01}, map[string]any{"area_mu_min": areaP + 0.01}},
		{"area_mu_max", "area_mu_max", map[string]any{"area_mu_max": areaP + 0.01}, map[string]any{"area_mu_max": areaP - 0.01}},
		{"price_max", "price_max", map[string]any{"price_max": 20}, map[string]any{"price_max": 19.99}},
		{"plot_ratio_min", "plot_ratio_min", map[string]any{"plot_ratio_min": 1.5}, map[string]any{"plot_ratio_min": 1.51}},
		{"supply_status", "supply_status", map[string]any{"supply_status": []string{"ready", "reserved"}}, map[string]any{"supply_status": []string{"reserved"}}},
		{"landuse_code", "landuse_code", map[string]any{"landuse_code": []string{"1001"}}, map[string]any{"landuse_code": []string{"100102"}}},
		{"industry", "industry", map[string]any{"industry": "食品"}, map[string]any{"industry": "电子信息"}},
		{"utilities", "utilities", map[string]any{"utilities": []string{"gas", "heat"}}, map[string]any{"utilities": []string{"gas", "heat"}}},
		{"avoid", "avoid.eco_redline", map[string]any{"avoid": []string{"eco_redline"}}, map[string]any{"avoid": []string{"eco_redline"}}},
	}
	for _, target := range []struct{ id, col string }{{"highway_exit", "highway_exit_m"}, {"rail_station", "rail_station_m"},
		{"hsr_station", "hsr_station_m"}, {"port", "port_m"}} {
		d := num("JK-P", "s."+target.col, 0)
		cases = append(cases, struct {
			name, excluded string
			inside, beyond map[string]any
		}{target.id, "max_distance_m." + target.id, map[string]any{"max_distance_m": map[string]any{target.id: d + 0.5}},
			map[string]any{"max_distance_m": map[string]any{target.id: d - 0.5}}})
	}
	for _, c := range cases {
		in := search(t, f, c.inside)
		if !slices.Contains(codes(in), "JK-P") || in.Total != 2 {
			t.Errorf("%s just inside: %v of %d", c.name, codes(in), in.Total)
		}
		if c.name == "utilities" || c.name == "avoid" {
			// P meets these; Q (two utilities, on the red line) is the one
			// just outside.
			if slices.Contains(codes(in), "JK-Q") || in.Excluded[c.excluded] != 1 {
				t.Errorf("%s: Q in %v, excluded %v", c.name, codes(in), in.Excluded)
			}
			continue
		}
		out := search(t, f, c.beyond)
		if slices.Contains(codes(out), "JK-P") || out.Excluded[c.excluded] < 1 {
			t.Errorf("%s just outside: %v, excluded %v", c.name, codes(out), out.Excluded)
		}
		if len(out.Excluded) != 1 {
			t.Errorf("%s: counts %v, want only this criterion's", c.name, out.Excluded)
		}
	}
	// Touching 永久基本农田 along an edge is touching.
	a := search(t, f, map[string]any{"avoid": []string{"basic_farmland"}})
	if !slices.Equal(codes(a), []string{"JK-P"}) || a.Excluded["avoid.basic_farmland"] != 1 {
		t.Errorf("avoid basic_farmland: %v, %v", codes(a), a.Excluded)
	}
}

// TestSiteExclusionCounts asks every criterion at once: each count is the
// parcels that criterion fails, whatever else they fail.
func TestSiteExclusionCounts(t *testing.T) {
	t.Parallel()
	f, _ := siteFixture(t)
	a := search(t, f, map[string]any{"area_mu_min": 1, "area_mu_max": 1000, "supply_status": []string{"ready"},
		"landuse_code": []string{"10"}, "price_max": 25, "industry": "食品", "plot_ratio_min": 1.2,
		"utilities": []string{"water"}, "max_distance_m": map[string]any{"highway_exit": 5000, "rail_station": 5000, "hsr_station": 5000, "port": 5000},
		"avoid": []string{"basic_farmland", "eco_redline"}})
	want := map[string]int{"area_mu_min": 0, "area_mu_max": 0, "supply_status": 1, "landuse_code": 1, "price_max": 1, "industry": 1,
		"plot_ratio_min": 1, "utilities": 1, "max_distance_m.highway_exit": 0, "max_distance_m.rail_station": 0,
		"max_distance_m.hsr_station": 0, "max_distance_m.port": 0, "avoid.basic_farmland": 1, "avoid.eco_redline": 1}
	if a.Total != 2 || a.Matched != 1 || !maps.Equal(a.Excluded, want) {
		t.Errorf("total %d, matched %d, excluded %v", a.Total, a.Matched, a.Excluded)
	}
	if len(a.Sites) != 1 || len(a.Sites[0].Criteria) != 13 {
		t.Fatalf("sites %+v", a.Sites)
	}
	for _, c := range a.Sites[0].Criteria {
		if c.Value == nil || c.Limit == nil || c.Score < 0 || c.Score > 1 || c.Text == "" {
			t.Errorf("criterion %+v", c)
		}
	}
}

// TestSiteRankingByWeights ranks P (nearer the high-speed rail station)
// and Q (nearer the exit) one way and then the other as the
// weights say, and explains both places.
func TestSiteRankingByWeights(t *testing.T) {
	t.Parallel()
	f, _ := siteFixture(t)
	q := func(exit, hsr float64) map[string]any {
		return map[string]any{"max_distance_m": map[string]any{"highway_exit": 3000, "hsr_station": 3000},
			"weights": map[string]any{"highway_exit": exit, "hsr_station": hsr}}
	}
	a := search(t, f, q(5, 1))
	if !slices.Equal(codes(a), []string{"JK-Q", "JK-P"}) {
		t.Fatalf("exit first: %v", codes(a))
	}
	b := search(t, f, q(1, 5))
	if !slices.Equal(codes(b), []string{"JK-P", "JK-Q"}) {
		t.Fatalf("high-speed rail first: %v", codes(b))
	}
	top, second := b.Sites[0], b.Sites[1]
	if top.Score <= second.Score || b.Weights["hsr_station"] != 5 {
		t.Errorf("scores %v %v, weights %v", top.Score, second.Score, b.Weights)
	}
	if !strings.Contains(top.Explanation, "第 1 名") || !strings.Contains(top.Explanation, "领先第 2 名") ||
		!strings.Contains(top.Explanation, "距高铁站") {
		t.Errorf("top: %s", top.Explanation)
	}
	if !strings.Contains(second.Explanation, "比第 1 名低") || !strings.Contains(second.Explanation, "主要差在距高铁站") {
		t.Errorf("second: %s", second.Explanation)
	}
	// The points add up to the score.
	sum := 0.0
	for _, c := range top.Criteria {
		sum += c.Points
	}
	if math.Abs(sum-top.Score) > 0.02 {
		t.Errorf("points %v, score %v", sum, top.Score)
	}
}

// TestSiteSearchValidation: every bad query is a 400 with its code and a
// Chinese message, never a 500.
func TestSiteSearchValidation(t *testing.T) {
	t.Parallel()
	f, _ := siteFixture(t)
	for _, c := range []struct {
		body any
		code string
	}{
		{map[string]any{"area_mu": 5}, "bad_json"},
		{map[string]any{"area_mu_min": -1}, "negative_value"},
		{map[string]any{"price_max": -0.5}, "negative_value"},
		{map[string]any{"plot_ratio_min": -1}, "negative_value"},
		{map[string]any{"area_mu_min": 50, "area_mu_max": 10}, "area_range"},
		{map[string]any{"supply_status": []string{"sold"}}, "bad_supply_status"},
		{map[string]any{"landuse_code": []string{"10%"}}, "bad_landuse_code"},
		{map[string]any{"utilities": []string{"internet"}}, "bad_utility"},
		{map[string]any{"avoid": []string{"urban_boundary"}}, "bad_avoid"},
		{map[string]any{"max_distance_m": map[string]any{"airport": 1000}}, "unknown_target"},
		{map[string]any{"max_distance_m": map[string]any{"port": -1}}, "negative_value"},
		{map[string]any{"max_distance_m": map[string]any{"port": "near"}}, "bad_json"},
		{map[string]any{"price_max": 20, "weights": map[string]any{"speed": 1}}, "unknown_weight"},
		{map[string]any{"price_max": 20, "weights": map[string]any{"port": 1}}, "weight_unused"},
		{map[string]any{"price_max": 20, "weights": map[string]any{"price_max": -1}}, "bad_weight"},
		{map[string]any{"price_max": 20, "weights": map[string]any{"price_max": 0}}, "bad_weight"},
		{map[string]any{"industry": strings.Repeat("食", 51)}, "bad_industry"},
		{map[string]any{"limit": 501}, "bad_limit"},
		{map[string]any{"supply_status": "ready"}, "bad_json"},
	} {
		res := f.users["investment"].do(t, "POST", "/api/sites/search", c.body)
		if res.StatusCode != 400 {
			t.Errorf("%v: status %d", c.body, res.StatusCode)
			continue
		}
		if got := errorCode(t, res); got != c.code {
			t.Errorf("%v: code %s, want %s", c.body, got, c.code)
		}
	}
}

// TestSiteDistancesAlongRoads: with a road network loaded, a parcel's
// distance to an exit is its straight leg to the nearest road node, the
// road's length and the exit's straight leg from the road's other end,
// longer than the straight line; an exit nearer than any road node is
// reached straight.
func TestSiteDistancesAlongRoads(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), `
		INSERT INTO transport (kind, name, geom) VALUES
		  ('road', '嵩山路', ST_SetSRID(ST_MakeLine(ST_MakePoint(114.0, 33.70), ST_MakePoint(114.0, 33.72)), 4490)),
		  ('highway_exit', '漯河北收费站', ST_SetSRID(ST_MakePoint(114.0005, 33.72), 4490));
		INSERT INTO parcels (id, code, district_id, supply_status, landuse_system, landuse_code, geom) VALUES
		  (10, 'JK-R', 1, 'ready', 'gtkj2023', '100101', ST_Multi(ST_MakeEnvelope(113.999, 33.699, 113.9995, 33.6995, 4490))),
		  (11, 'JK-S', 1, 'ready', 'gtkj2023', '100101', ST_Multi(ST_MakeEnvelope(114.0006, 33.7198, 114.0008, 33.7199, 4490)));`)
	if err != nil {
		t.Fatal(err)
	}
	var want, straight float64
	err = conn.QueryRow(t.Context(), `
		SELECT ST_Distance(p.geom::geography, ST_SetSRID(ST_MakePoint(114.0, 33.70), 4490)::geography)
		       + ST_Length(ST_SetSRID(ST_MakeLine(ST_MakePoint(114.0, 33.70), ST_MakePoint(114.0, 33.72)), 4490)::geography)
		       + ST_Distance(ST_SetSRID(ST_MakePoint(114.0005, 33.72), 4490)::geography, ST_SetSRID(ST_MakePoint(114.0, 33.72), 4490)::geography),
		       ST_Distance(p.geom::geography, ST_SetSRID(ST_MakePoint(114.0005, 33.72), 4490)::geography)
		  FROM parcels p WHERE code = 'JK-R'`).Scan(&want, &straight)
	if err != nil {
		t.Fatal(err)
	}
	got := siteValue(t, conn, "JK-R", "s.highway_exit_m")
	if math.Abs(got-want) > 0.5 || got <= straight {
		t.Errorf("along the road: %.1f m, want %.1f (straight %.1f)", got, want, straight)
	}
	var near float64
	if err := conn.QueryRow(t.Context(), `SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(114.0005, 33.72), 4490)::geography)
		FROM parcels WHERE code = 'JK-S'`).Scan(&near); err != nil {
		t.Fatal(err)
	}
	if got := siteValue(t, conn, "JK-S", "s.highway_exit_m"); math.Abs(got-near) > 0.01 {
		t.Errorf("next to the exit: %.1f m, want %.1f straight", got, near)
	}
}
