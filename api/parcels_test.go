package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// rect is a GeoJSON polygon of a lon/lat box.
func rect(w, s, e, n float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": [][][2]float64{box(w, s, e, n)}}
}

// newParcel is a good new parcel in the fixture's park 1, with props
// changed (nil deletes one).
func newParcel(props map[string]any) map[string]any {
	p := map[string]any{"code": "JK-2026-09", "name": "九号地块", "park_id": "1", "supply_status": "净地可供",
		"landuse_system": "gtkj2023", "landuse_code": "100101", "price": 26.5, "plot_ratio_min": "1.0", "plot_ratio_max": "2.0",
		"building_density": 40, "green_ratio": 15, "investment_intensity": 300, "tax_per_mu": 30, "utilities": "通路,通电,water"}
	maps.Copy(p, props)
	for k, v := range props {
		if v == nil {
			delete(p, k)
		}
	}
	return map[string]any{"type": "Feature", "geometry": rect(113.992, 33.58, 113.994, 33.582), "properties": p}
}

// newPark is a good new park in district 1.
func newPark(props map[string]any) map[string]any {
	p := map[string]any{"name": "漯河智能装备产业园", "level": "省级", "industries": "智能装备、新材料", "utilities": "road,power",
		"policies": "土地出让金按规定返还", "contact_name": "王主任", "contact_phone": "0395-1234567"}
	maps.Copy(p, props)
	return map[string]any{"type": "Feature", "geometry": rect(113.92, 33.52, 113.95, 33.55), "properties": p}
}

// detailed is an error answer with its details.
type detailed struct {
	Error struct {
		Code    string         `json:"code"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// chinese reports whether s holds a Chinese character.
func chinese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// newSiteFixture is newFixture with the identities of parks and parcels
// past the fixture's rows (which it inserts with their ids).
func newSiteFixture(t *testing.T) *fixture {
	f := newFixture(t)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `SELECT setval(pg_get_serial_sequence('parks', 'id'), 100),
		setval(pg_get_serial_sequence('parcels', 'id'), 100)`); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestSiteValidation sends a bad park or parcel for every rule: each is
// a 400 (409 for a name or code in use) with the rule's code and a
// Chinese message, and writes nothing.
func TestSiteValidation(t *testing.T) {
	t.Parallel()
	f := newSiteFixture(t)
	inv := f.users[geo.RoleInvestment]
	bowtie := map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{113.992, 33.58}, {113.994, 33.582}, {113.994, 33.58}, {113.992, 33.582}, {113.992, 33.58}}}}
	with := func(body map[string]any, geom map[string]any) map[string]any { body["geometry"] = geom; return body }
	cases := []struct {
		name, path string
		body       any
		status     int
		code       string
	}{
		{"bad supply status", "/api/parcels", newParcel(map[string]any{"supply_status": "出售中"}), 400, "bad_supply_status"},
		{"negative price", "/api/parcels", newParcel(map[string]any{"price": -1}), 400, "negative"},
		{"negative investment intensity", "/api/parcels", newParcel(map[string]any{"investment_intensity": "-0.5"}), 400, "negative"},
		{"negative tax", "/api/parcels", newParcel(map[string]any{"tax_per_mu": -3}), 400, "negative"},
		{"density over 100", "/api/parcels", newParcel(map[string]any{"building_density": 100.5}), 400, "too_large"},
		{"price not a number", "/api/parcels", newParcel(map[string]any{"price": "二十万"}), 400, "bad_number"},
		{"plot ratio min above max", "/api/parcels", newParcel(map[string]any{"plot_ratio_min": 2.5, "plot_ratio_max": 1.2}), 400, "plot_ratio_order"},
		{"plot ratio one bound", "/api/parcels", newParcel(map[string]any{"plot_ratio_max": nil}), 400, "plot_ratio_pair"},
		{"bad utility", "/api/parcels", newParcel(map[string]any{"utilities": "通路,通天"}), 400, "bad_utility"},
		{"no code", "/api/parcels", newParcel(map[string]any{"code": nil}), 400, "required"},
		{"unknown field", "/api/parcels", newParcel(map[string]any{"area_m2": 5}), 400, "read_only"},
		{"unknown land use", "/api/parcels", newParcel(map[string]any{"landuse_code": "999999"}), 400, "bad_landuse"},
		{"unknown park", "/api/parcels", newParcel(map[string]any{"park_id": "77"}), 400, "bad_park"},
		{"code in use", "/api/parcels", newParcel(map[string]any{"code": "JK-2026-01"}), 409, "duplicate_code"},
		{"NUL in name", "/api/parcels", newParcel(map[string]any{"name": "九号\x00地块"}), 400, "bad_text"},
		{"no outline", "/api/parcels", with(newParcel(nil), nil), 400, "required"},
		{"a point", "/api/parcels", with(newParcel(nil), map[string]any{"type": "Point", "coordinates": []float64{114, 33.58}}), 400, "bad_geometry"},
		{"self-intersecting", "/api/parcels", with(newParcel(nil), bowtie), 400, "bad_geometry"},
		{"outside the city", "/api/parcels", with(newParcel(nil), rect(115.0, 33.0, 115.01, 33.01)), 400, "outside_city"},
		{"outside its park", "/api/parcels", with(newParcel(nil), rect(113.95, 33.6, 113.952, 33.602)), 400, "outside_park"},
		{"half outside its park", "/api/parcels", with(newParcel(nil), rect(114.005, 33.585, 114.015, 33.595)), 400, "outside_park"},
		{"bad park level", "/api/parks", newPark(map[string]any{"level": "县级"}), 400, "bad_level"},
		{"bad park model", "/api/parks", newPark(map[string]any{"model": "自主开发"}), 400, "bad_model"},
		{"bad park phone", "/api/parks", newPark(map[string]any{"contact_phone": "call me"}), 400, "bad_phone"},
		{"park without a name", "/api/parks", newPark(map[string]any{"name": " "}), 400, "required"},
		{"park name in use", "/api/parks", newPark(map[string]any{"name": "漯河经济技术开发区食品产业园"}), 409, "duplicate_name"},
		{"park outside the city", "/api/parks", with(newPark(nil), rect(116, 35, 116.1, 35.1)), 400, "outside_city"},
		{"policies too long", "/api/parks", newPark(map[string]any{"policies": strings.Repeat("政", 4001)}), 400, "too_long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := inv.do(t, "POST", c.path, c.body)
			e := errorOf(t, res)
			if res.StatusCode != c.status || e.Code != c.code || !chinese(e.Message) || e.MessageEN == "" {
				t.Fatalf("%d %+v, want %d %s with a Chinese message", res.StatusCode, e, c.status, c.code)
			}
		})
	}
	t.Run("repaired outline offered", func(t *testing.T) {
		var e detailed
		decodeJSON(t, inv.do(t, "POST", "/api/parcels", with(newParcel(nil), bowtie)), &e)
		if e.Error.Details["repaired"] == nil {
			t.Fatalf("no repaired shape: %+v", e.Error)
		}
	})
	bad := []struct{ name, text string }{{"NUL escape", `\u0000`}, {"not UTF-8", "\xff\xfe"}, {"cut UTF-8", "\xe6\xbc"}}
	for _, b := range bad {
		for _, path := range []string{"/api/parcels", "/api/parks"} {
			t.Run(b.name+" in "+path, func(t *testing.T) {
				body := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[113.92,33.52],[113.95,33.52],[113.95,33.55],[113.92,33.55],[113.92,33.52]]]},"properties":{"name":"园区BAD","code":"X-1"}}`
				res := inv.send(t, "POST", path, "application/json", []byte(strings.ReplaceAll(body, "BAD", b.text)))
				if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "bad_text" || !chinese(e.Message) {
					t.Fatalf("%d %+v, want 400 bad_text", res.StatusCode, e)
				}
			})
		}
	}
	if n := f.count(t, "SELECT count(*) FROM parcels"); n != 2 {
		t.Fatalf("%d parcels after the refused creates, want 2", n)
	}
	if n := f.count(t, "SELECT count(*) FROM parks"); n != 1 {
		t.Fatalf("%d parks after the refused creates, want 1", n)
	}
	// The good ones pass: the cases fail for their one fault.
	for path, body := range map[string]any{"/api/parcels": newParcel(nil), "/api/parks": newPark(nil)} {
		if res := inv.do(t, "POST", path, body); res.StatusCode != 201 || res.Header.Get("ETag") != `"v1"` {
			t.Fatalf("POST %s: %d %+v", path, res.StatusCode, errorOf(t, res))
		}
	}
	if n := f.count(t, "SELECT count(*) FROM parcels WHERE code = 'JK-2026-09' AND district_id = 1 AND park_id = 1"); n != 1 {
		t.Fatalf("the new parcel is not in its district and park")
	}
}

// TestSupplyHistory changes a parcel's supply status: a reason is
// needed; the change is kept with its day and reason, versioned and
// audited; a change made on the old version is refused.
func TestSupplyHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	patch := func(tag string, props map[string]any) *http.Response {
		var hdr []string
		if tag != "" {
			hdr = []string{"If-Match", tag}
		}
		return inv.do(t, "PATCH", "/api/parcels/2", map[string]any{"properties": props}, hdr...)
	}
	if res := patch("", map[string]any{"name": "二号"}); res.StatusCode != 428 {
		t.Fatalf("without If-Match: %d", res.StatusCode)
	}
	tag := f.etag(t, "/api/parcels/2")
	if res := patch(tag, map[string]any{"supply_status": "ready"}); res.StatusCode != 400 || errorCode(t, res) != "reason_required" {
		t.Fatalf("without a reason: %d", res.StatusCode)
	}
	res := patch(tag, map[string]any{"supply_status": "净地可供", "supply_reason": "征收拆迁完成", "supply_date": "2026-11-20"})
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("status change: %d %s", res.StatusCode, res.Header.Get("ETag"))
	}
	var hist []struct {
		From   *string `json:"from"`
		To     string  `json:"to"`
		On     string  `json:"changed_on"`
		Reason *string `json:"reason"`
		Actor  string  `json:"actor"`
	}
	decodeJSON(t, f.get(t, "/api/parcels/2/supply"), &hist)
	if len(hist) != 1 || *hist[0].From != "planned" || hist[0].To != "ready" || hist[0].On != "2026-11-20" ||
		*hist[0].Reason != "征收拆迁完成" || hist[0].Actor != "investment1" {
		t.Fatalf("history %+v", hist)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'parcel_supply' AND row_id IS NOT NULL AND actor = 'investment1'"); n != 1 {
		t.Fatalf("%d audit rows of the supply change, want 1", n)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'parcels' AND row_id = '2' AND action = 'update'"); n != 1 {
		t.Fatalf("%d audit rows of the parcel, want 1", n)
	}
	// A change made on version 1 is told what the parcel is now.
	res = patch(tag, map[string]any{"name": "旧版本的修改"})
	var e detailed
	decodeJSON(t, res, &e)
	cur, _ := e.Error.Details["current"].(map[string]any)
	if res.StatusCode != 412 || e.Error.Code != "stale" || cur["supply_status"] != "ready" || res.Header.Get("ETag") != `"v2"` {
		t.Fatalf("stale change: %d %+v", res.StatusCode, e.Error)
	}
	// A change that keeps the status adds no history.
	if res := patch(`"v2"`, map[string]any{"name": "二号地块"}); res.StatusCode != 200 {
		t.Fatalf("rename: %d", res.StatusCode)
	}
	if n := f.count(t, "SELECT count(*) FROM parcel_supply WHERE parcel_id = 2"); n != 1 {
		t.Fatalf("%d history rows, want 1", n)
	}
}

// TestConcurrentSiteEdits sends eight changes of a parcel and of a park
// made on the same version at once: exactly one of each wins.
func TestConcurrentSiteEdits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	for _, path := range []string{"/api/parcels/1", "/api/parks/1"} {
		tag := f.etag(t, path)
		codes, _ := race(t, inv, 8, func(i int) *http.Request {
			return inv.request(t, "PATCH", path, map[string]any{"properties": map[string]any{"name": "并发修改" + itoa(i)}}, "If-Match", tag)
		})
		table := strings.Split(path, "/")[2]
		if !oneWon(codes) || f.count(t, "SELECT version FROM "+table+" WHERE id = 1") != 2 {
			t.Fatalf("%s: answers %v, want one 200 and the others 412", path, codes)
		}
	}
}

// TestSiteRedaction checks who sees a parcel's price and a park's
// contact.
func TestSiteRedaction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	read := func(role geo.Role, path string) map[string]any {
		var m map[string]any
		decodeJSON(t, f.users[role].do(t, "GET", path, nil), &m)
		return m
	}
	if m := read(geo.RoleViewer, "/api/parcels/1"); m["price"] != "25.00" || m["geom"] == nil {
		t.Errorf("a viewer sees an offered parcel as %v", m)
	}
	if m := read(geo.RoleViewer, "/api/parcels/2"); m["price"] != nil || m["code"] != "JK-2026-02" {
		t.Errorf("a viewer sees the price of a parcel not on offer: %v", m)
	}
	if m := read(geo.RoleInvestment, "/api/parcels/2"); m["price"] != "22.00" {
		t.Errorf("the investment team does not see the price: %v", m)
	}
	tag := f.etag(t, "/api/parks/1")
	if res := f.users[geo.RoleAdmin].do(t, "PATCH", "/api/parks/1", map[string]any{"properties": map[string]any{"contact_name": "李科长", "contact_phone": "0395-3156789"}}, "If-Match", tag); res.StatusCode != 200 {
		t.Fatalf("contact: %d", res.StatusCode)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE table_name = 'parks' AND row_id = '1' AND action = 'update' AND actor = 'admin1'"); n != 1 {
		t.Errorf("%d audit rows of the park's change, want 1", n)
	}
	if m := read(geo.RoleViewer, "/api/parks/1"); m["contact_name"] != nil || m["name"] == nil {
		t.Errorf("a viewer sees the park's contact: %v", m)
	}
	if m := read(geo.RoleInvestment, "/api/parks/1"); m["contact_phone"] != "0395-3156789" {
		t.Errorf("the investment team does not see the park's contact: %v", m)
	}
}

// TestBrochure reads the brochure of a parcel: its park and the nearest
// transport of each kind in metres on the ellipsoid; and through a share
// link, only of the parcels it shows.
func TestBrochure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Parcel 1 spans 113.995–113.998°E, 33.575–33.578°N: the exit is
	// 0.012° of latitude north of it (1331 m), the nearer station 0.01°
	// of longitude east (926 m), a farther one and a high-speed station
	// and no port.
	if _, err := conn.Exec(t.Context(), `INSERT INTO transport (kind, name, geom) VALUES
		('highway_exit', '漯河东站出口', ST_SetSRID(ST_MakePoint(113.996, 33.59), 4490)),
		('station', '漯河站', ST_SetSRID(ST_MakePoint(114.008, 33.576), 4490)),
		('station', '漯河南站', ST_SetSRID(ST_MakePoint(114.2, 33.4), 4490)),
		('high_speed_station', '漯河西站', ST_SetSRID(ST_MakePoint(113.95, 33.576), 4490))`); err != nil {
		t.Fatal(err)
	}
	var b struct {
		Layer     string
		Parcel    map[string]any
		Park      map[string]any
		Distances []struct {
			Kind, Name string
			Metres     float64
		}
	}
	decodeJSON(t, f.users[geo.RoleInvestment].do(t, "GET", "/api/parcels/1/brochure", nil), &b)
	want := map[string]float64{"highway_exit": 1331.4, "station": 929.6}
	if b.Layer != "parcels" || b.Parcel["code"] != "JK-2026-01" || b.Park["industries"] != "食品加工、冷链物流" || len(b.Distances) != 3 {
		t.Fatalf("brochure %+v", b)
	}
	for _, d := range b.Distances {
		if w, ok := want[d.Kind]; ok && math.Abs(d.Metres-w) > 0.01*w {
			t.Errorf("%s %s: %.1f m, want about %.0f", d.Kind, d.Name, d.Metres, w)
		}
	}
	if d := b.Distances[1]; d.Kind != "station" || d.Name != "漯河站" {
		t.Errorf("the nearest station is %+v", d)
	}
	var created struct{ URL string }
	res := f.users[geo.RoleInvestment].do(t, "POST", "/api/shares", map[string]any{"title": "考察", "parcel_ids": []int{1},
		"fields": []string{"code", "area_mu", "industries"}, "expires_in_days": 7})
	decodeJSON(t, res, &created)
	path := strings.TrimPrefix(created.URL, f.ts.URL)
	anon := f.newClient(t)
	res = anon.do(t, "GET", path+"/info/parcels/1", nil)
	var shared map[string]json.RawMessage
	decodeJSON(t, res, &shared)
	var sp map[string]any
	if err := json.Unmarshal(shared["parcel"], &sp); err != nil || res.StatusCode != 200 || sp["code"] != "JK-2026-01" || sp["name"] != nil || sp["geom"] == nil {
		t.Fatalf("shared brochure: %d %s", res.StatusCode, shared["parcel"])
	}
	if res := anon.do(t, "GET", path+"/info/parcels/2", nil); res.StatusCode != 404 {
		t.Fatalf("a parcel the link does not show: %d", res.StatusCode)
	}
}
