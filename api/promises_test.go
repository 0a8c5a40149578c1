package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/api"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/postgis/postgistest"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/tiles"
)

// TestTokenScope checks that an API token scoped to some of its owner's
// roles acts with those roles only.
func TestTokenScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := access.User{Username: "twohats", DisplayName: "两职", Roles: []geo.Role{geo.RoleLeader, geo.RoleInvestment}}
	if _, err := f.db.CreateUser(t.Context(), geo.Principal{Username: "test"}, u, hash); err != nil {
		t.Fatal(err)
	}
	c := f.login(t, "twohats", testPassword)
	if res := c.do(t, "GET", "/api/shares", nil); res.StatusCode != 200 {
		t.Fatalf("the owner's session, with the investment role: %d", res.StatusCode)
	}
	var created struct{ Token string }
	res := c.do(t, "POST", "/api/tokens", map[string]any{"name": "只读", "roles": []string{"leader"}})
	if res.StatusCode != 201 {
		t.Fatalf("token: %d", res.StatusCode)
	}
	decodeJSON(t, res, &created)
	bearer := func(path string) int {
		return f.newClient(t).do(t, "GET", path, nil, "Authorization", "Bearer "+created.Token).StatusCode
	}
	if got := bearer("/tiles"); got != 200 {
		t.Fatalf("the token's own role: %d", got)
	}
	if got := bearer("/api/shares"); got != 403 {
		t.Fatalf("a role of the owner's left out of the token: %d, want 403", got)
	}
}

// newTimedFixture is a server over a fresh database of on holding one project,
// whose queries run under the statement timeout, with an admin signed in.
func newTimedFixture(t *testing.T, on *postgistest.Server, timeout time.Duration) *fixture {
	t.Helper()
	db := on.DB(t)
	conn, err := pgx.Connect(t.Context(), db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `
		INSERT INTO districts (id, code, name, kind, geom) VALUES
		  (1, '411102', '源汇区', 'county', ST_Multi(ST_MakeEnvelope(113.9, 33.5, 114.05, 33.65, 4490)));
		INSERT INTO projects (name, stage, category, district_id, leader, responsible_unit, owner, total_investment, point) VALUES
		  ('漯河食品产业园扩建项目', 'building', 'industry', 1, '张副市长', '市发展改革委', '双汇集团', 120000.50, ST_SetSRID(ST_MakePoint(114.0, 33.58), 4490))`); err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), db.URL(), postgis.Options{MaxConns: 4, Role: postgis.AppRole, StatementTimeout: timeout})
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
	acc, err := access.New(access.Stores{Users: app, Failures: app, Sessions: app, Tokens: app, Shares: app, Audit: app},
		access.Settings{ShareFields: reg.Shareable("parcels", "parks")})
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.New(api.Config{
		Catalogue: cat, Tiles: tiles.NewService(src, tiles.NewCache(1<<20)), Health: app, Access: acc, Invest: invest.NewService(app),
		Projects: project.NewService(app), Land: land.NewService(app), Places: app, Registry: reg,
		City: api.City{Name: "漯河市", NameEN: "Luohe"},
		Log:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Web:  fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>一张图</title>")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := httptest.NewServer(s)
	t.Cleanup(h.Close)
	f := &fixture{ts: h, src: src, db: db, api: s, users: map[geo.Role]*client{}, logs: logs}
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := access.User{Username: "admin1", DisplayName: "管理员", Roles: []geo.Role{geo.RoleAdmin}}
	if _, err := db.CreateUser(t.Context(), geo.Principal{Username: "test"}, u, hash); err != nil {
		t.Fatal(err)
	}
	f.users[geo.RoleAdmin] = f.login(t, "admin1", testPassword)
	return f
}

// TestStatementTimeout checks that a query past the statement timeout is
// cancelled by PostgreSQL (SQLSTATE 57014, in the server's log) and the
// client gets an internal error with a request id and no database text.
// The query is made slow by a lock another transaction holds.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	f := newTimedFixture(t, srv, 300*time.Millisecond)
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	tx, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(t.Context(), "LOCK TABLE projects IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	// Without the timeout the request would wait for the lock for ever:
	// the deadline only turns that into a failure.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/api/projects/1", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.users[geo.RoleAdmin].http.Do(req)
	if err != nil {
		t.Fatalf("no answer while another transaction holds the lock: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	if res.StatusCode != 500 || body.Error.Code != "internal" || body.Error.RequestID == "" || body.Error.RequestID != res.Header.Get("X-Request-Id") {
		t.Fatalf("a query past the timeout: %d %s", res.StatusCode, b)
	}
	for _, leak := range []string{"SQLSTATE", "57014", "statement timeout", "canceling", "projects"} {
		if strings.Contains(string(b), leak) {
			t.Fatalf("the answer holds database text %q: %s", leak, b)
		}
	}
	if logs := f.logs.String(); !strings.Contains(logs, "SQLSTATE 57014") || !strings.Contains(logs, body.Error.RequestID) {
		t.Fatalf("the log does not hold the cancelled statement with the request id:\n%s", logs)
	}
}

// TestReadyz checks that /readyz answers 503 with Retry-After while a
// migration is pending and while the database is down, and 200 otherwise.
func TestReadyz(t *testing.T) {
	t.Parallel()
	ready := func(t *testing.T, f *fixture, want int) {
		t.Helper()
		res := f.newClient(t).do(t, "GET", "/readyz", nil)
		if res.StatusCode != want {
			t.Fatalf("/readyz %d, want %d", res.StatusCode, want)
		}
		if want == 503 && (res.Header.Get("Retry-After") == "" || errorCode(t, res) != "not_ready") {
			t.Fatalf("/readyz 503 without Retry-After or its code: %v", res.Header)
		}
	}
	t.Run("a migration pending", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ready(t, f, 200)
		conn, err := pgx.Connect(t.Context(), f.db.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var checksum string
		if err := conn.QueryRow(t.Context(), "DELETE FROM schema_migrations WHERE version = '0004_landuse_runs' RETURNING checksum").Scan(&checksum); err != nil {
			t.Fatal(err)
		}
		ready(t, f, 503)
		exec(t, f, "INSERT INTO schema_migrations (version, checksum) VALUES ('0004_landuse_runs', $1)", checksum)
		ready(t, f, 200)
	})
	t.Run("the database down", func(t *testing.T) {
		t.Parallel()
		own, err := postgistest.Start(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		stop := sync.OnceFunc(own.Stop)
		t.Cleanup(stop)
		f := newTimedFixture(t, own, 0)
		ready(t, f, 200)
		stop()
		ready(t, f, 503)
	})
}

// TestDistrictTilesApart fetches the same project tile as district users of
// two districts, each after the other has filled the cache: each sees the
// projects of their own district only.
func TestDistrictTilesApart(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// The third project (district 2) is moved into the tile of the others.
	exec(t, f, "UPDATE projects SET point = ST_SetSRID(ST_MakePoint(114.02, 33.59), 4490) WHERE district_id = 2")
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := access.User{Username: "district2", DisplayName: "舞阳县", Roles: []geo.Role{geo.RoleDistrict}, DistrictID: 2}
	if _, err := f.db.CreateUser(t.Context(), geo.Principal{Username: "test"}, u, hash); err != nil {
		t.Fatal(err)
	}
	one, two := f.users[geo.RoleDistrict], f.login(t, "district2", testPassword)
	names := func(c *client) []string {
		t.Helper()
		res := c.do(t, "GET", "/tiles/projects"+tileZ10, nil, "Accept-Encoding", "gzip")
		if res.StatusCode != 200 {
			t.Fatalf("tile: %d", res.StatusCode)
		}
		var out []string
		for _, l := range decodeTile(t, res) {
			for _, ft := range l.Features {
				out = append(out, fmt.Sprint(ft.Properties["name"]))
			}
		}
		slices.Sort(out)
		return out
	}
	own1, own2 := []string{"沙河生态廊道项目", "漯河食品产业园扩建项目"}, []string{"舞阳盐化工循环经济项目"}
	for i, c := range []struct {
		who  *client
		want []string
	}{{one, own1}, {two, own2}, {one, own1}, {two, own2}} {
		if got := names(c.who); !slices.Equal(got, c.want) {
			t.Fatalf("fetch %d: the tile holds %v, want %v", i+1, got, c.want)
		}
	}
	if n := f.src.n.Load(); n != 2 {
		t.Fatalf("%d tiles drawn by the database, want 2 (one per district, then each from the cache)", n)
	}
}

// TestContactsAndTileCaching checks that tiles are answered
// "Cache-Control: private, no-cache", that the contact of a project's
// owner reaches only the roles that may see it in the project's JSON, and
// that no tile carries an owner's or a firm's contact (the server has no
// other answer holding a firm's).
func TestContactsAndTileCaching(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	exec(t, f, `UPDATE projects SET owner_contact = '王经理 13800000000' WHERE id = 1;
		INSERT INTO firms (name, hq_city, stage, contact_name, contact_phone, geom)
		VALUES ('某食品集团', '郑州', 'contact', '赵总', '13900000000', ST_SetSRID(ST_MakePoint(114.0, 33.58), 4490))`)
	owner := map[geo.Role]bool{geo.RoleAdmin: true, geo.RoleLeader: true, geo.RoleDistrict: true}
	for _, r := range geo.Roles() {
		role := geo.Role(r.ID)
		c := f.users[role]
		var p map[string]any
		decodeJSON(t, c.do(t, "GET", "/api/projects/1", nil), &p)
		if _, ok := p["owner_contact"]; ok != owner[role] {
			t.Errorf("%s sees owner_contact in JSON: %v", role, ok)
		}
		res := c.do(t, "GET", "/tiles/projects,firms"+tileZ10, nil, "Accept-Encoding", "gzip")
		if cc := res.Header.Get("Cache-Control"); res.StatusCode != 200 || cc != "private, no-cache" {
			t.Fatalf("%s: tile %d, Cache-Control %q", role, res.StatusCode, cc)
		}
		seen := map[string]bool{}
		layers := decodeTile(t, res)
		if len(layers) != 2 {
			t.Fatalf("%s: %d layers, want projects and firms", role, len(layers))
		}
		for _, l := range layers {
			if len(l.Features) == 0 {
				t.Fatalf("%s: layer %s empty", role, l.Name)
			}
			for _, ft := range l.Features {
				for _, k := range []string{"owner_contact", "contact_name", "contact_phone"} {
					if _, ok := ft.Properties[k]; ok {
						seen[l.Name+"."+k] = true
					}
				}
			}
		}
		// Tiles carry no contacts, for any role.
		if len(seen) > 0 {
			t.Errorf("%s sees contacts in tiles: %v", role, seen)
		}
	}
}

// TestExpiredShareRefused checks that a share link past its expiry shows
// neither its summary nor its tiles.
func TestExpiredShareRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var created struct {
		URL string `json:"url"`
	}
	res := f.users[geo.RoleInvestment].do(t, "POST", "/api/shares", map[string]any{
		"title": "考察", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 1,
	})
	decodeJSON(t, res, &created)
	path := strings.TrimPrefix(created.URL, f.ts.URL)
	tile := path + "/tiles/parcels/14/13380/6567.mvt"
	firm := f.newClient(t)
	for _, p := range []string{path + "/info", tile} {
		if res := firm.do(t, "GET", p, nil); res.StatusCode != 200 {
			t.Fatalf("%s before expiry: %d", p, res.StatusCode)
		}
	}
	exec(t, f, "UPDATE share_links SET expires_at = now() - interval '1 second'")
	for _, p := range []string{path + "/info", tile} {
		if res := firm.do(t, "GET", p, nil); res.StatusCode != 404 {
			t.Fatalf("%s after expiry: %d", p, res.StatusCode)
		}
	}
}
