package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/api"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/ogr"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/postgis/postgistest"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb/encoding/mvt"
)

var srv *postgistest.Server

func TestMain(m *testing.M) { os.Exit(postgistest.Main(m, &srv)) }

// countingSource counts the queries that reach the database.
type countingSource struct {
	tiles.Source
	n atomic.Int64
}

func (c *countingSource) Features(ctx context.Context, q tiles.Query) ([]tiles.Feature, error) {
	c.n.Add(1)
	return c.Source.Features(ctx, q)
}

type fixture struct {
	ts    *httptest.Server
	src   *countingSource
	db    *postgis.DB // the owner's connection, for fixtures
	api   *api.Server
	users map[geo.Role]*client
	logs  *syncBuffer // what the server logged
}

// syncBuffer is a log destination tests can read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testPassword is the password of every test account.
const testPassword = "luohe2026test"

// newFixture serves the API over a fresh database holding one district
// and two projects.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, slog.LevelDebug, 0)
}

// newFixtureWith is newFixture with the server logging from level on,
// trusting checked credentials for credTTL, as onemap serve does, and
// behind the trusted proxies.
func newFixtureWith(t testing.TB, level slog.Level, credTTL time.Duration, proxies ...netip.Prefix) *fixture {
	t.Helper()
	return newFixtureAccess(t, level, credTTL, access.Settings{}, proxies...)
}

// newFixtureAccess is newFixtureWith with the access settings set (the
// share fields are the registry's).
func newFixtureAccess(t testing.TB, level slog.Level, credTTL time.Duration, set access.Settings, proxies ...netip.Prefix) *fixture {
	t.Helper()
	return newFixtureOf(t, fixtureOptions{level: level, credTTL: credTTL, access: set, proxies: proxies})
}

// fixtureOptions set up a fixture; the zero value is the fixture's
// defaults but for the log level.
type fixtureOptions struct {
	on               *postgistest.Server // the cluster of the database; nil: the package's
	level            slog.Level
	credTTL          time.Duration
	access           access.Settings
	proxies          []netip.Prefix
	statementTimeout time.Duration // 0: the pool's default
}

// newFixtureOf serves the API over a fresh database of the fixture's data
// as the options say, with a user of each role signed in.
func newFixtureOf(t testing.TB, o fixtureOptions) *fixture {
	t.Helper()
	on := o.on
	if on == nil {
		on = srv
	}
	level, credTTL, set, proxies := o.level, o.credTTL, o.access, o.proxies
	db := on.DB(t)
	conn, err := pgx.Connect(t.Context(), db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), `
		INSERT INTO districts (id, code, name, kind, geom) VALUES
		  (1, '411102', '源汇区', 'county', ST_Multi(ST_MakeEnvelope(113.9, 33.5, 114.05, 33.65, 4490))),
		  (2, '411121', '舞阳县', 'county', ST_Multi(ST_MakeEnvelope(113.45, 33.4, 113.7, 33.6, 4490)));
		INSERT INTO projects (name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point) VALUES
		  ('漯河食品产业园扩建项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '双汇集团', 120000.50, ST_SetSRID(ST_MakePoint(114.0, 33.58), 4490)),
		  ('沙河生态廊道项目', 'preparing', 'planning', 1, '李副市长', '市水利局', '市城投公司', 50000, ST_SetSRID(ST_MakePoint(113.95, 33.6), 4490)),
		  ('舞阳盐化工循环经济项目', 'building', 'industry', 2, '王副市长', '舞阳县发展改革委', '中盐舞阳公司', 80000, ST_SetSRID(ST_MakePoint(113.6, 33.45), 4490));
		INSERT INTO landuse_systems VALUES ('gtkj2023', '国土空间调查、规划、用途管制用地用海分类');
		INSERT INTO landuse_classes VALUES ('gtkj2023', '100101', '一类工业用地', '1001', true);
		INSERT INTO parks (id, name, level, district_id, leading_industries, geom) VALUES
		  (1, '漯河经济技术开发区食品产业园', 'national', 1, '{食品加工,冷链物流}', ST_Multi(ST_MakeEnvelope(113.99, 33.57, 114.01, 33.59, 4490)));
		INSERT INTO parcels (id, code, park_id, district_id, supply_status, landuse_system, landuse_code, price, geom) VALUES
		  (1, 'JK-2026-01', 1, 1, 'ready', 'gtkj2023', '100101', 25, ST_Multi(ST_MakeEnvelope(113.995, 33.575, 113.998, 33.578, 4490))),
		  (2, 'JK-2026-02', 1, 1, 'planned', 'gtkj2023', '100101', 22, ST_Multi(ST_MakeEnvelope(114.001, 33.575, 114.004, 33.578, 4490)));`)
	if err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), db.URL(), postgis.Options{MaxConns: 8, Role: postgis.AppRole, StatementTimeout: o.statementTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	reg := geo.NewRegistry()
	cat := tiles.NewCatalogue(reg, db)
	if err := cat.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	ts, err := app.NewTileSource(cat)
	if err != nil {
		t.Fatal(err)
	}
	src := &countingSource{Source: ts}
	logs := &syncBuffer{}
	set.Registry = reg
	acc, err := access.New(access.Stores{Users: app, Failures: app, Sessions: app, Tokens: app, Shares: app, Audit: app}, set)
	if err != nil {
		t.Fatal(err)
	}
	limits := land.DefaultLimits()
	imports := land.NewImporter(app, ogr.New(limits), t.TempDir(), limits, nil)
	t.Cleanup(imports.Close)
	projects := project.NewService(app)
	approvals := project.NewApprovals(app)
	s, err := api.New(api.Config{
		Imports:   imports,
		Catalogue: cat, Tiles: tiles.NewService(src, tiles.NewCache(1<<20)), Health: app, Access: acc, Invest: invest.NewService(app),
		Firms:    invest.NewFirms(app),
		Projects: projects, Approvals: approvals, Policies: project.NewPolicies(app, projects), Tours: project.NewTours(app, projects), Land: land.NewService(app), Places: app, Registry: reg,
		Cameras: project.NewCameras(app), Assessments: project.NewAssessments(app, approvals),
		Enclaves:       invest.NewEnclaves(app),
		Sites:          invest.NewSites(app),
		City:           api.City{Name: "漯河市", NameEN: "Luohe"},
		Log:            slog.New(slog.NewTextHandler(io.MultiWriter(logs, testWriter{t}), &slog.HandlerOptions{Level: level})),
		CredentialTTL:  credTTL,
		TrustedProxies: proxies,
		Web:            fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>一张图</title>")}},
		Style:          []byte(`{"version":8,"sources":{"p":{"type":"vector","tiles":["{origin}/tiles/projects/{z}/{x}/{y}.mvt"]}},"layers":[]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	h := httptest.NewUnstartedServer(s)
	h.Listener = api.WholeAnswers(h.Config, h.Listener)
	h.Start()
	t.Cleanup(h.Close)
	f := &fixture{ts: h, src: src, db: db, api: s, users: map[geo.Role]*client{}, logs: logs}
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range geo.Roles() {
		u := access.User{Username: r.ID + "1", DisplayName: r.ZH, Roles: []geo.Role{geo.Role(r.ID)}}
		if u.Roles[0] == geo.RoleDistrict {
			u.DistrictID = 1
		}
		if _, err := db.CreateUser(t.Context(), geo.Principal{Username: "test"}, u, hash); err != nil {
			t.Fatal(err)
		}
		f.users[geo.Role(r.ID)] = f.login(t, u.Username, testPassword)
	}
	return f
}

// testWriter sends the server's warnings and errors to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("level=WARN")) || bytes.Contains(p, []byte("level=ERROR")) {
		w.t.Log(string(bytes.TrimSpace(p)))
	}
	return len(p), nil
}

// client is a browser: a cookie jar and the session's CSRF token.
type client struct {
	f    *fixture
	http *http.Client
	csrf string
}

func (f *fixture) newClient(t testing.TB) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{f: f, http: &http.Client{Jar: jar, Transport: http.DefaultTransport}}
}

func (f *fixture) login(t testing.TB, username, password string) *client {
	t.Helper()
	c := f.newClient(t)
	res := c.do(t, http.MethodPost, "/api/login", map[string]string{"username": username, "password": password})
	var info struct{ CSRF string }
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %d %v", username, res.StatusCode, err)
	}
	c.csrf = info.CSRF
	return c
}

// request makes a request with a JSON body (if not nil), the CSRF token
// and the headers hdr (name, value, …).
func (c *client) request(t testing.TB, method, path string, body any, hdr ...string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, c.f.ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return req
}

// do sends a request with a JSON body (if not nil) and the CSRF token.
func (c *client) do(t testing.TB, method, path string, body any, hdr ...string) *http.Response {
	t.Helper()
	res, err := c.http.Do(c.request(t, method, path, body, hdr...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// get fetches path as the admin.
func (f *fixture) get(t *testing.T, path string, hdr ...string) *http.Response {
	t.Helper()
	return f.users[geo.RoleAdmin].do(t, http.MethodGet, path, nil, hdr...)
}

// Tiles over 漯河 (114.0°E, 33.58°N) at zoom 10 and 14.
const (
	tileZ10 = "/10/836/410.mvt"
	tileZ14 = "/14/13380/6567.mvt"
)

func decodeTile(t *testing.T, res *http.Response) mvt.Layers {
	t.Helper()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// BenchmarkCachedTile measures onemap's own part of answering a cached
// tile (routing, session, policy, request parsing, cache lookup, headers),
// without the network and net/http's connection handling.
func BenchmarkCachedTile(b *testing.B) {
	f := newFixtureWith(b, slog.LevelInfo, time.Minute)
	c := f.users[geo.RoleLeader]
	path := "/tiles/projects" + tileZ10
	if res := c.do(b, "GET", path, nil, "Accept-Encoding", "gzip"); res.StatusCode != 200 {
		b.Fatalf("tile: %d", res.StatusCode)
	}
	u, err := url.Parse(f.ts.URL)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	for _, ck := range c.http.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		f.api.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("tile: %d", rec.Code)
		}
	}
}

func TestTiles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.get(t, "/tiles/districts,projects"+tileZ10, "Accept-Encoding", "gzip")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" ||
		res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") == "" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	layers := decodeTile(t, res)
	if len(layers) != 2 || layers[0].Name != "districts" || layers[1].Name != "projects" || len(layers[1].Features) != 2 {
		for _, l := range layers {
			t.Logf("layer %s: %d features", l.Name, len(l.Features))
		}
		t.Fatal("unexpected tile")
	}
	p := layers[1].Features[0].Properties
	if p["district"] != "源汇区" || p["leader"] == nil || p["geom_kind"] != "point" {
		t.Fatalf("project properties %v", p)
	}

	t.Run("304 on a matching ETag", func(t *testing.T) {
		etag := res.Header.Get("ETag")
		again := f.get(t, "/tiles/districts,projects"+tileZ10, "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified {
			t.Fatalf("status %d", again.StatusCode)
		}
	})
	t.Run("plain MVT without gzip", func(t *testing.T) {
		plain := f.get(t, "/tiles/projects"+tileZ10)
		if plain.Header.Get("Content-Encoding") != "" || len(decodeTile(t, plain)) != 1 {
			t.Fatal("plain tile wrong")
		}
	})
	t.Run("filters", func(t *testing.T) {
		layers := decodeTile(t, f.get(t, "/tiles/projects"+tileZ10+"?stage=building&district=411102"))
		if len(layers[0].Features) != 1 || layers[0].Features[0].Properties["stage"] != "building" {
			t.Fatalf("filter gave %+v", layers[0].Features)
		}
		layers = decodeTile(t, f.get(t, "/tiles/projects"+tileZ10+"?leader=王副市长"))
		if len(layers) != 0 && len(layers[0].Features) != 0 {
			t.Fatalf("leader filter gave %+v", layers[0].Features)
		}
	})
}

func TestBadInputNeverReachesTheDatabase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := []struct {
		name, path string
		status     int
		code       string
	}{
		{"unknown layer", "/tiles/roads" + tileZ10, 404, "unknown_layer"},
		{"unknown among known", "/tiles/projects,roads" + tileZ10, 404, "unknown_layer"},
		{"repeated layer", "/tiles/projects,projects" + tileZ10, 400, "duplicate_layer"},
		{"over-long list", "/tiles/" + strings.Repeat("projects,", 13) + "x" + tileZ10, 400, "too_many_layers"},
		{"very long path", "/tiles/" + strings.Repeat("a", 300) + tileZ10, 400, "too_many_layers"},
		{"zoom too deep", "/tiles/projects/15/0/0.mvt", 400, "bad_tile_address"},
		{"x out of range", "/tiles/projects/2/4/0.mvt", 400, "bad_tile_address"},
		{"negative y", "/tiles/projects/2/0/-1.mvt", 400, "bad_tile_address"},
		{"not numbers", "/tiles/projects/a/b/c.mvt", 400, "bad_tile_address"},
		{"wrong suffix", "/tiles/projects/2/0/0.png", 404, "bad_tile_format"},
		{"zoom outside layer", "/tiles/parcels/5/26/12.mvt", 404, "zoom_out_of_range"},
		{"unknown filter", "/tiles/projects" + tileZ10 + "?colour=red", 400, "unknown_filter"},
		{"bad stage", "/tiles/projects" + tileZ10 + "?stage=done", 400, "bad_filter_value"},
		{"empty filter", "/tiles/projects" + tileZ10 + "?stage=", 400, "bad_filter_value"},
		{"SQL in a filter", "/tiles/projects" + tileZ10 + "?category=x%27%3B%20DROP%20TABLE%20projects%3B--", 400, "bad_filter_value"},
		{"SQL for a district", "/tiles/projects" + tileZ10 + "?district=1%20OR%201%3D1", 400, "bad_filter_value"},
		{"a district that does not exist", "/tiles/projects" + tileZ10 + "?district=411199", 400, "bad_filter_value"},
		{"a leader nobody is", "/tiles/projects" + tileZ10 + "?leader=%E8%B5%B5%E5%89%AF%E5%B8%82%E9%95%BF", 400, "bad_filter_value"},
		{"NUL for a leader", "/tiles/projects" + tileZ10 + "?leader=%00", 400, "bad_text"},
		{"not UTF-8 for a leader", "/tiles/projects" + tileZ10 + "?leader=%FF", 400, "bad_text"},
		{"filter of another layer", "/tiles/districts" + tileZ10 + "?stage=building", 400, "unknown_filter"},
		{"unknown TileJSON", "/tiles/roads.json", 404, "unknown_layer"},
		{"bad glyph range", "/fonts/Noto%20Sans/1-2.pbf", 400, "bad_glyph_range"},
		{"no such page", "/nope", 404, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.get(t, c.path)
			var body struct {
				Error struct{ Code, Message, MessageEN string } `json:"error"`
			}
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatalf("status %d, body not JSON: %v", res.StatusCode, err)
			}
			if res.StatusCode != c.status || body.Error.Code != c.code || body.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d %s", res.StatusCode, body.Error, c.status, c.code)
			}
		})
	}
	if n := f.src.n.Load(); n != 0 {
		t.Fatalf("%d queries reached the database", n)
	}
}

// TestAppRoutesServeTheApp checks that a deep link or a reload of one of
// the web app's routes gets the app, and that other paths stay 404.
func TestAppRoutesServeTheApp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	paths := map[string]int{
		"/": 200, "/invest/share": 200, "/admin/users": 200, "/tours/1/itinerary": 200, "/bulletins/2026-06": 200,
		"/nope": 404, "/projectsx": 404, "/assets/nope.js": 404,
	}
	// Every path of the web app's router, as the router names it.
	router, err := os.ReadFile("../frontend/src/router.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`path: '/?([a-z]+)`).FindAllStringSubmatch(string(router), -1) {
		if m[1] != "s" {
			paths["/"+m[1]] = 200
		}
	}
	for path, want := range paths {
		res := f.get(t, path)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || want == 200 && !strings.Contains(string(b), "<title>一张图</title>") {
			t.Errorf("%s: %d %.60s, want %d", path, res.StatusCode, b, want)
		}
	}
}

func TestTileJSONAndList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var tj struct {
		TileJSON     string    `json:"tilejson"`
		Tiles        []string  `json:"tiles"`
		MinZoom      int       `json:"minzoom"`
		MaxZoom      int       `json:"maxzoom"`
		Bounds       []float64 `json:"bounds"`
		Center       []float64 `json:"center"`
		VectorLayers []struct {
			ID     string            `json:"id"`
			Fields map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}
	res := f.get(t, "/tiles/parcels.json")
	if err := json.NewDecoder(res.Body).Decode(&tj); err != nil {
		t.Fatal(err)
	}
	if tj.TileJSON != "3.0.0" || tj.MinZoom != 10 || tj.MaxZoom != 14 || len(tj.Bounds) != 4 || len(tj.Center) != 3 ||
		!strings.HasPrefix(tj.Tiles[0], f.ts.URL+"/tiles/parcels/") || tj.VectorLayers[0].Fields["price"] != "Number" {
		t.Fatalf("TileJSON %+v", tj)
	}
	var list struct {
		Layers []struct{ Name string } `json:"layers"`
	}
	if err := json.NewDecoder(f.get(t, "/tiles").Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if len(list.Layers) != 11 {
		t.Fatalf("%d layers", len(list.Layers))
	}
	style := f.get(t, "/style.json")
	b, _ := io.ReadAll(style.Body)
	if !strings.Contains(string(b), f.ts.URL+"/tiles/projects/") {
		t.Fatalf("style %s", b)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := f.get(t, p); res.StatusCode != 200 {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
	}
	res := f.get(t, "/")
	if res.StatusCode != 200 || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("index: %d %v", res.StatusCode, res.Header)
	}
}

// TestMeta checks GET /api/meta: public, the districts and the city's
// extent from the database, the labels and sensitivity from the field
// registry, the land-use classes with their system.
func TestMeta(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var m struct {
		City struct {
			Name   string     `json:"name"`
			Bounds [4]float64 `json:"bounds"`
			Center [2]float64 `json:"center"`
			Zoom   float64    `json:"zoom"`
		} `json:"city"`
		Districts []struct {
			ID   int    `json:"id"`
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"districts"`
		Stages         []geo.Label `json:"stages"`
		LanduseClasses []struct {
			System string `json:"system"`
			Code   string `json:"code"`
		} `json:"landuse_classes"`
		Aggregates []struct {
			Kind   string `json:"kind"`
			Fields []struct {
				Name      string `json:"name"`
				Label     string `json:"label"`
				Sensitive string `json:"sensitive"`
				Excel     string `json:"excel"`
				Shareable bool   `json:"shareable"`
			} `json:"fields"`
		} `json:"aggregates"`
	}
	decodeJSON(t, f.newClient(t).do(t, "GET", "/api/meta", nil), &m)
	if m.City.Name != "漯河市" || m.City.Bounds != [4]float64{113.45, 33.4, 114.05, 33.65} || m.City.Zoom < 8 || m.City.Zoom > 11 {
		t.Errorf("city: %+v", m.City)
	}
	if m.City.Center[0] < m.City.Bounds[0] || m.City.Center[0] > m.City.Bounds[2] || m.City.Center[1] < m.City.Bounds[1] || m.City.Center[1] > m.City.Bounds[3] {
		t.Errorf("centre %v outside the bounds %v", m.City.Center, m.City.Bounds)
	}
	if len(m.Districts) != 2 || m.Districts[0].ID != 1 || m.Districts[0].Code != "411102" || m.Districts[0].Name != "源汇区" {
		t.Errorf("districts: %+v", m.Districts)
	}
	if len(m.Stages) != 5 || m.Stages[0].ID != "reserve" || m.Stages[0].ZH != "储备" {
		t.Errorf("stages: %+v", m.Stages)
	}
	if len(m.LanduseClasses) != 1 || m.LanduseClasses[0].System != "gtkj2023" || m.LanduseClasses[0].Code != "100101" {
		t.Errorf("land-use classes: %+v", m.LanduseClasses)
	}
	found := map[string]bool{}
	for _, a := range m.Aggregates {
		for _, fd := range a.Fields {
			switch a.Kind + "." + fd.Name {
			case "projects.total_investment":
				found[a.Kind+"."+fd.Name] = fd.Label == "总投资(万元)" && fd.Sensitive == "investment_amounts" && fd.Excel == "总投资（万元）" && !fd.Shareable
			case "parcels.price":
				found[a.Kind+"."+fd.Name] = fd.Sensitive == "unoffered_prices" && fd.Shareable
			case "parcels.id":
				found[a.Kind+"."+fd.Name] = !fd.Shareable
			}
		}
	}
	for _, k := range []string{"projects.total_investment", "parcels.price", "parcels.id"} {
		if !found[k] {
			t.Errorf("field %s missing or wrong in /api/meta", k)
		}
	}
}
