package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis/postgistest"
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

// newTimedFixture is a fixture over a database of on whose queries run
// under the statement timeout (0: the pool's default).
func newTimedFixture(t *testing.T, on *postgistest.Server, timeout time.Duration) *fixture {
	t.Helper()
	return newFixtureOf(t, fixtureOptions{on: on, level: slog.LevelDebug, statementTimeout: timeout})
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
