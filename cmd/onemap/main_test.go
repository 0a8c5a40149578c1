package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/postgis/postgistest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

var (
	srv    *postgistest.Server
	update = flag.Bool("update", false, "rewrite the golden files")
)

func TestMain(m *testing.M) {
	runChild()
	flag.Parse()
	os.Exit(postgistest.MainWithDemo(m, &srv))
}

// demoURL returns a fresh copy of a database holding the demo data and
// the demo accounts.
func demoURL(t *testing.T) string {
	t.Helper()
	url, err := srv.Filled(t.Context(), postgistest.Demo, "onemap_demo_accounts", func(ctx context.Context, db *postgis.DB) error {
		acc, err := newAccess(db, geo.NewRegistry())
		if err != nil {
			return err
		}
		return seedAccounts(ctx, acc, db)
	})
	if err != nil {
		t.Fatal(err)
	}
	return url
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// serve starts the real program with cfg and returns its base URL; it
// stops when the test ends.
func serve(t *testing.T, cfg Config) string {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	cfg.MaxConns = max(cfg.MaxConns, 8)
	cfg.StatementTimeout = max(cfg.StatementTimeout, 15*time.Second)
	m := NewMain(cfg, testLog{t})
	ctx, cancel := context.WithCancel(context.Background())
	ready, errc := make(chan string, 1), make(chan error, 1)
	go func() { errc <- m.Serve(ctx, ready) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("serve: %v", err)
			}
			m.Close()
		})
		return "http://" + addr
	case err := <-errc:
		cancel()
		m.Close()
		t.Fatalf("serve: %v", err)
	}
	return ""
}

// login signs in to the server at base as a demo account and returns a
// client that carries the session.
func login(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	var pw string
	for _, a := range demoAccounts() {
		if a.user.Username == username {
			pw = a.password
		}
	}
	body, _ := json.Marshal(map[string]string{"username": username, "password": pw})
	res, err := c.Post(base+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d", username, res.StatusCode)
	}
	return c
}

func get(t *testing.T, c *http.Client, url string) (int, http.Header, []byte) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	t.Setenv("ONEMAP_ADDR", ":9090")
	t.Setenv("ONEMAP_CACHE_MB", "64")
	t.Setenv("ONEMAP_TRUSTED_PROXIES", "10.0.0.1, 192.168.7.9/16")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.dbFlags(fs)
	c.serveFlags(fs)
	if err := c.parse(fs, []string{"--cache-mb", "32", "--data", "/tmp/x"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" || c.CacheMB != 32 || c.Data != "/tmp/x" || c.TrustedProxies.String() != "10.0.0.1/32,192.168.0.0/16" {
		t.Fatalf("config %+v", c)
	}
	for _, bad := range []struct{ env, value string }{
		{"ONEMAP_CACHE_MB", "lots"}, {"ONEMAP_CACHE_MB", "-1"}, {"ONEMAP_STATEMENT_TIMEOUT", "1ms"}, {"ONEMAP_LOG_LEVEL", "loud"},
		{"ONEMAP_TRUSTED_PROXIES", "the-proxy"},
	} {
		t.Run(bad.env+"="+bad.value, func(t *testing.T) {
			t.Setenv(bad.env, bad.value)
			var c Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c.dbFlags(fs)
			c.serveFlags(fs)
			if err := c.parse(fs, nil); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestEmbeddedDatabase starts onemap with its own cluster in a data
// folder, writes, stops, starts again: the write is kept, migrations are
// not applied twice, and nothing is left running after a stop.
func TestEmbeddedDatabase(t *testing.T) {
	dir, err := os.MkdirTemp("", "onemap-embedded-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Data: filepath.Join(dir, "data"), CacheMB: 8}
	for round := range 2 {
		t.Run(fmt.Sprint("start ", round+1), func(t *testing.T) {
			base := serve(t, cfg)
			if code, _, body := get(t, nil, base+"/readyz"); code != 200 {
				t.Fatalf("readyz %d %s", code, body)
			}
			url := fmt.Sprintf("postgres://onemap@/%s?host=%s", postgis.Database, filepath.Join(cfg.Data, "run"))
			conn, err := pgx.Connect(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var n int
			if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM quotas").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != round {
				t.Fatalf("round %d: %d rows kept", round+1, n)
			}
			if round == 0 {
				_, err = conn.Exec(t.Context(), `INSERT INTO districts (id, code, name, kind, geom) VALUES
					(1, '411102', '源汇区', 'county', ST_Multi(ST_MakeEnvelope(113.9, 33.5, 114.05, 33.65, 4490)));
					INSERT INTO quotas VALUES (1, 2026, 1200)`)
				if err != nil {
					t.Fatal(err)
				}
			}
		})
		if _, err := os.Stat(filepath.Join(cfg.Data, "pg", "postmaster.pid")); !os.IsNotExist(err) {
			t.Fatalf("PostgreSQL still running after stop (%v)", err)
		}
	}
}

func decode(t *testing.T, body []byte, gzipped bool) mvt.Layers {
	t.Helper()
	if gzipped {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// TestDemoTiles fetches a tile of every layer over Luohe's centre and
// checks that each has features; the z12 tile of districts and projects is
// compared with a golden file (as a viewer sees it).
func TestDemoTiles(t *testing.T) {
	t.Parallel()
	base := serve(t, Config{DatabaseURL: demoURL(t), CacheMB: 16})
	c := login(t, base, "admin")
	for _, l := range []string{"landuse", "controls", "districts", "parks", "parcels", "transport", "projects"} {
		t.Run(l, func(t *testing.T) {
			found := false
			for _, z := range []int{10, 12, 13, 14} {
				x, y := tileAt(114.0, 33.58, z)
				code, hdr, body := get(t, c, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, l, z, x, y))
				if code == 404 {
					continue
				}
				if code != 200 {
					t.Fatalf("z%d: %d %s", z, code, body)
				}
				ls := decode(t, body, hdr.Get("Content-Encoding") == "gzip")
				if len(ls) == 1 && len(ls[0].Features) > 0 {
					found = true
				}
			}
			if !found {
				t.Fatal("no features over Luohe's centre")
			}
		})
	}
	t.Run("enclaves and firms", func(t *testing.T) {
		for _, l := range []string{"enclaves", "firms"} {
			code, hdr, body := get(t, c, fmt.Sprintf("%s/tiles/%s/6/52/25.mvt", base, l))
			if code != 200 || len(decode(t, body, hdr.Get("Content-Encoding") == "gzip")) == 0 {
				t.Fatalf("%s: %d", l, code)
			}
		}
	})
	t.Run("farmland patches are one feature below z11", func(t *testing.T) {
		for _, z := range []int{10, 11} {
			var farmland, named, others int
			for _, f := range centreFeatures(t, c, base, "controls", z) {
				if f.Properties["kind"] != "basic_farmland" {
					others++
					continue
				}
				farmland++
				switch {
				case f.ID != nil && f.Properties["name"] != nil:
					named++
				case f.ID != nil || f.Properties["name"] != nil:
					t.Errorf("z%d: a farmland feature with only one of id and name", z)
				}
				if f.Properties["kind_name"] != "永久基本农田" {
					t.Errorf("z%d: kind_name %v", z, f.Properties["kind_name"])
				}
			}
			switch {
			case others == 0:
				t.Errorf("z%d: no other control lines or zones", z)
			case z == 10 && (farmland != 1 || named != 0):
				t.Errorf("z10: %d farmland features, %d with id and name; want one without", farmland, named)
			case z == 11 && (farmland < 2 || named != farmland):
				t.Errorf("z11: %d farmland features, %d with id and name; want each patch with both", farmland, named)
			}
		}
	})
	t.Run("parcels carry their details from z11", func(t *testing.T) {
		for _, z := range []int{10, 11} {
			fs := centreFeatures(t, c, base, "parcels", z)
			if len(fs) == 0 {
				t.Fatalf("z%d: no parcels", z)
			}
			for _, f := range fs {
				p := f.Properties
				if f.ID == nil || p["supply_status"] == nil || p["landuse_name"] == nil {
					t.Fatalf("z%d: parcel without id, status or land use: %v", z, p)
				}
				if detailed := p["name"] != nil && p["area_mu"] != nil; detailed != (z >= 11) {
					t.Fatalf("z%d: parcel %v with name and area: %v", z, f.ID, detailed)
				}
			}
		}
	})
	t.Run("golden", func(t *testing.T) {
		x, y := tileAt(114.0, 33.58, 12)
		// As a viewer: no sums of this year's investment, which change with
		// the date.
		viewer := login(t, base, "viewer")
		_, hdr, body := get(t, viewer, fmt.Sprintf("%s/tiles/districts,projects/12/%d/%d.mvt?stage=building", base, x, y))
		golden(t, "demo_z12_districts_projects", decode(t, body, hdr.Get("Content-Encoding") == "gzip"))
	})
}

// centreFeatures fetches the tile of layer at zoom z over Luohe's centre
// and returns its features.
func centreFeatures(t *testing.T, c *http.Client, base, layer string, z int) []*geojson.Feature {
	t.Helper()
	x, y := tileAt(114.0, 33.58, z)
	code, hdr, body := get(t, c, fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, layer, z, x, y))
	if code != 200 {
		t.Fatalf("%s z%d: %d %s", layer, z, code, body)
	}
	ls := decode(t, body, hdr.Get("Content-Encoding") == "gzip")
	if len(ls) != 1 {
		t.Fatalf("%s z%d: %d layers", layer, z, len(ls))
	}
	return ls[0].Features
}

func tileAt(lon, lat float64, z int) (uint32, uint32) {
	tl := maptile.At(orb.Point{lon, lat}, maptile.Zoom(z))
	return tl.X, tl.Y
}

// golden compares layers (features sorted for a stable order) with
// testdata/name.geojson; on a mismatch the actual tile is written next to
// it as name.actual.geojson, to open in a map.
func golden(t *testing.T, name string, layers mvt.Layers) {
	t.Helper()
	out := map[string]*geojson.FeatureCollection{}
	for _, l := range layers {
		fc := geojson.NewFeatureCollection()
		fc.Features = l.Features
		slices.SortFunc(fc.Features, func(a, b *geojson.Feature) int {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			return bytes.Compare(ja, jb)
		})
		out[l.Name] = fc
	}
	got, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".geojson")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		actual := filepath.Join("testdata", name+".actual.geojson")
		_ = os.WriteFile(actual, got, 0o644)
		t.Fatalf("tile differs from %s; the actual tile is in %s", path, actual)
	}
}

// buildingProject returns the first project under construction and the
// path of its projects tile at z12.
func buildingProject(t *testing.T, conn *pgx.Conn) (int64, string) {
	t.Helper()
	var id int64
	var lon, lat float64
	if err := conn.QueryRow(t.Context(), "SELECT id, ST_X(point), ST_Y(point) FROM projects WHERE stage = 'building' ORDER BY id LIMIT 1").Scan(&id, &lon, &lat); err != nil {
		t.Fatal(err)
	}
	x, y := tileAt(lon, lat, 12)
	return id, fmt.Sprintf("/tiles/projects/12/%d/%d.mvt", x, y)
}

// TestInvalidationAcrossServers changes a project with plain SQL (as psql
// would) and checks that two servers sharing the database both serve the
// new tile, and both keep a cached tile away from the change.
func TestInvalidationAcrossServers(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	a := serve(t, Config{DatabaseURL: url, CacheMB: 16})
	b := serve(t, Config{DatabaseURL: url, CacheMB: 16})
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	id, path := buildingProject(t, conn)
	clients := map[string]*http.Client{a: login(t, a, "leader"), b: login(t, b, "leader")}
	name := func(base string) (string, string) {
		_, hdr, body := get(t, clients[base], base+path)
		for _, f := range decode(t, body, hdr.Get("Content-Encoding") == "gzip")[0].Features {
			if f.ID == float64(id) {
				return f.Properties.MustString("name", ""), hdr.Get("ETag")
			}
		}
		t.Fatalf("project %d not in its tile", id)
		return "", ""
	}
	before, etagA := name(a)
	if n, _ := name(b); n != before {
		t.Fatal("servers disagree")
	}
	if code, _, _ := getWith(t, clients[a], a+path, "If-None-Match", etagA); code != 304 {
		t.Fatalf("cached tile: %d, want 304", code)
	}
	// A tile elsewhere, away from the edited project, cached on both
	// servers: the edit must not drop it.
	var elsewhere string
	rows, err := conn.Query(t.Context(), "SELECT ST_X(point), ST_Y(point) FROM projects WHERE point IS NOT NULL ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var lo, la float64
		if err := rows.Scan(&lo, &la); err != nil {
			t.Fatal(err)
		}
		ox, oy := tileAt(lo, la, 12)
		if p := fmt.Sprintf("/tiles/projects/12/%d/%d.mvt", ox, oy); elsewhere == "" && p != path {
			elsewhere = p
		}
	}
	if rows.Close(); rows.Err() != nil || elsewhere == "" {
		t.Fatalf("no project outside the edited tile: %v", rows.Err())
	}
	etagElsewhere := map[string]string{}
	for _, base := range []string{a, b} {
		code, hdr, _ := get(t, clients[base], base+elsewhere)
		if code != 200 {
			t.Fatalf("tile elsewhere: %d", code)
		}
		etagElsewhere[base] = hdr.Get("ETag")
	}
	if _, err := conn.Exec(t.Context(), "UPDATE projects SET name = name || '（二期）' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	t.Run("a session revoked in the database ends on every server", func(t *testing.T) {
		if _, err := conn.Exec(t.Context(), "UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL"); err != nil {
			t.Fatal(err)
		}
		for _, base := range []string{a, b} {
			deadline := time.Now().Add(20 * time.Second)
			for {
				code, _, _ := get(t, clients[base], base+path)
				if code == http.StatusUnauthorized {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s still serves a revoked session: %d", base, code)
				}
				time.Sleep(50 * time.Millisecond)
			}
			clients[base] = login(t, base, "leader")
		}
	})
	for _, base := range []string{a, b} {
		deadline := time.Now().Add(20 * time.Second)
		for {
			n, etag := name(base)
			if n == before+"（二期）" && etag != etagA {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still serves %q", base, n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// The tile elsewhere comes from the cache: with the projects locked
	// by another transaction, drawing it again would wait on the lock
	// until the statement timeout and fail.
	tx, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), "LOCK TABLE projects IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{a, b} {
		if code, hdr, _ := get(t, clients[base], base+elsewhere); code != 200 || hdr.Get("ETag") != etagElsewhere[base] {
			t.Fatalf("%s: the tile elsewhere was not kept in the cache: %d", base, code)
		}
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Run("a new leader can be filtered by on every server", func(t *testing.T) {
		byLeader := path + "?leader=" + neturl.QueryEscape("新任副市长")
		for _, base := range []string{a, b} {
			if code, _, _ := get(t, clients[base], base+byLeader); code != http.StatusBadRequest {
				t.Fatalf("%s: a leader nobody is: %d, want 400", base, code)
			}
		}
		if _, err := conn.Exec(t.Context(), "UPDATE projects SET leader = '新任副市长' WHERE id = $1", id); err != nil {
			t.Fatal(err)
		}
		for _, base := range []string{a, b} {
			deadline := time.Now().Add(20 * time.Second)
			for {
				code, hdr, body := get(t, clients[base], base+byLeader)
				if code == http.StatusOK {
					if fs := decode(t, body, hdr.Get("Content-Encoding") == "gzip")[0].Features; len(fs) != 1 || fs[0].ID != float64(id) {
						t.Fatalf("%s: the new leader's tile holds %d features", base, len(fs))
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s still refuses the new leader: %d", base, code)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	})
}

func getWith(t *testing.T, c *http.Client, url, k, v string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(k, v)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// inChromium runs, in parallel with the other tests, the browser test
// script of frontend/e2e against a server of its own over a copy of the
// demo data (the scripts write), its output going to out.
func inChromium(t *testing.T, script, out string) {
	t.Helper()
	t.Parallel()
	base := serve(t, Config{DatabaseURL: demoURL(t), CacheMB: 64, CityName: "漯河市", CityNameEN: "Luohe"})
	browser(t, script, base, out)
}

// browser runs a browser test script of frontend/e2e against base, with
// its output in frontend/test-results/out and the further arguments args.
func browser(t *testing.T, script, base, out string, args ...string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{filepath.Join(root, "frontend", "e2e", script), base, filepath.Join(root, "frontend", "test-results", out)}, args...)...)
	cmd.Dir = filepath.Join(root, "frontend")
	output, err := cmd.CombinedOutput()
	t.Logf("%s", output)
	if err != nil {
		t.Fatalf("browser test %s failed: %v", script, err)
	}
}

// TestRolesInChromium signs in as every demo account in headless
// Chromium and checks what each may see and do, then has a firm open a
// share link; screenshots go to frontend/test-results/roles.
func TestRolesInChromium(t *testing.T) {
	inChromium(t, "roles.mjs", "roles")
}

// TestFormsInChromium checks the project forms and the audit log in
// headless Chromium (issue 14): reports only for the months a project may
// be reported for, amounts and the progress note refused with their field
// and limit while typing, the audit log filtered by a table offered by its
// Chinese name, its entries in Chinese with times in Asia/Shanghai.
func TestFormsInChromium(t *testing.T) {
	inChromium(t, "forms.mjs", "forms")
}

// TestLedgerInChromium has a district user create a project in headless
// Chromium with its site drawn on the map, and see it in the tiles;
// screenshots go to frontend/test-results/ledger.
func TestLedgerInChromium(t *testing.T) {
	inChromium(t, "ledger.mjs", "ledger")
}

// TestWarningsInChromium checks the schedule warnings in headless
// Chromium (issue 15): the lagging list with reasons, red first, the
// legend's warning rings, and a report that catches a red project up
// taking it off the list and turning its point green in the tiles;
// screenshots go to frontend/test-results/warnings.
func TestWarningsInChromium(t *testing.T) {
	inChromium(t, "warnings.mjs", "warnings")
}

// TestPhotosInChromium has the 源汇区 district user file this month's
// report in headless Chromium with a JPEG carrying EXIF GPS (made by the
// script) and see it on the report's map at that position (issue 15);
// screenshots go to frontend/test-results/photos.
func TestPhotosInChromium(t *testing.T) {
	inChromium(t, "photos.mjs", "photos")
}

// TestWebMapInChromium opens the web map in headless Chromium over the
// demo data: tiles load, projects and districts are drawn, a click on a
// project shows its attributes in Chinese, a filter works, a screenshot
// is saved in frontend/test-results, and adjacent farmland patches and
// land-use zones are filled without seams.
func TestWebMapInChromium(t *testing.T) {
	inChromium(t, "map.mjs", "map.png")
}

// TestPrintInChromium prints the web map to PDF in headless Chromium, as
// the browser's print does, and reads the PDF with poppler-utils: one A4
// landscape page with the map drawn, its legend, scale bar, date and data
// source, and none of the app's controls. The PDFs and their page images
// go to frontend/test-results/print.
func TestPrintInChromium(t *testing.T) {
	needPoppler(t)
	inChromium(t, "print.mjs", "print")
}

// needPoppler fails t unless the poppler-utils that read the printed
// PDFs are there.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s (Debian's poppler-utils) is missing: run scripts/deps.sh --browser", tool)
		}
	}
}

// TestToursInChromium plans an observation tour in headless Chromium
// (issue 15): the key projects of every district and one picked on the
// map, routed over the demo roads and drawn with numbered stops; the
// itinerary printed to PDF and its first page read with poppler-utils;
// scores entered per district and the last district flagged. The PDF
// and screenshots go to frontend/test-results/tours.
func TestToursInChromium(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s (Debian's poppler-utils) is missing: run scripts/deps.sh --browser", tool)
		}
	}
	inChromium(t, "tours.mjs", "tours")
}

// TestEnclavesInChromium has the investment user save an enclave in
// headless Chromium (issue 17): refused while its GDP shares do not add
// up to 100%, with the message that says so, saved once mended; then the
// district table shows the split, both columns adding up to the city
// total. Screenshots go to frontend/test-results/enclaves.
func TestEnclavesInChromium(t *testing.T) {
	inChromium(t, "enclaves.mjs", "enclaves")
}

// TestShareBaseMapInChromium has a firm open a share link of a parcel in a
// park in headless Chromium: the map shows roads and the park's outline
// around the parcel, and provinces in the national view; screenshots go
// to frontend/test-results/share-basemap.
func TestShareBaseMapInChromium(t *testing.T) {
	inChromium(t, "share-basemap.mjs", "share-basemap")
}

// TestMapPickingInChromium clicks the web map in headless Chromium over
// the demo data: a click picks the most specific feature under it, not a
// polygon whose tile-cut edges run there, its highlight spans tiles
// without seams, every feature under a crowd of projects is listed by
// layer, and projects are clustered with counts at low zoom, within the
// filters and the user's role; screenshots go to
// frontend/test-results/pick.
func TestMapPickingInChromium(t *testing.T) {
	inChromium(t, "pick.mjs", "pick")
}

// TestProductionRefusesDefaultPasswords starts onemap in production mode
// over the demo data, whose accounts have published passwords.
func TestProductionRefusesDefaultPasswords(t *testing.T) {
	t.Parallel()
	m := NewMain(Config{Addr: "127.0.0.1:0", DatabaseURL: demoURL(t), MaxConns: 4, StatementTimeout: 15 * time.Second, Production: true}, testLog{t})
	defer m.Close()
	err := m.Serve(t.Context(), nil)
	if err == nil || !strings.Contains(err.Error(), "default passwords") {
		t.Fatalf("production start: %v", err)
	}
}

// TestUserCommand makes the first admin of a fresh install on the command
// line, lists, disables and enables them and changes their password.
func TestUserCommand(t *testing.T) {
	t.Parallel()
	url, err := srv.URL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cmd := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := userCommand(t.Context(), append(args, "--database-url", url), strings.NewReader(stdin), &out, io.Discard)
		return out.String(), err
	}
	out, err := cmd("", "add", "--username", "chief", "--name", "首席管理员", "--roles", "admin")
	if err != nil || !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("add: %v %q", err, out)
	}
	if _, err := cmd("short\n", "add", "--username", "weak", "--name", "弱密码", "--roles", "viewer", "--password-stdin"); err == nil {
		t.Fatal("a weak password was accepted")
	}
	if _, err := cmd("luohe2026strong\n", "add", "--username", "county", "--name", "县区", "--roles", "district"); err == nil {
		t.Fatal("a district user without a district was accepted")
	}
	if _, err := cmd("", "add", "--username", "chief", "--name", "重名", "--roles", "admin"); err == nil {
		t.Fatal("a duplicate user name was accepted")
	}
	if _, err = cmd("", "disable", "chief"); err != nil {
		t.Fatal(err)
	}
	if out, err = cmd("", "list"); err != nil || !strings.Contains(out, "chief") || !strings.Contains(out, "disabled") {
		t.Fatalf("list: %v %q", err, out)
	}
	if _, err = cmd("", "enable", "chief"); err != nil {
		t.Fatal(err)
	}
	if out, err = cmd("luohe2026newpass\n", "passwd", "chief", "--password-stdin"); err != nil || !strings.Contains(out, "changed") {
		t.Fatalf("passwd: %v %q", err, out)
	}
	if _, err = cmd("", "passwd", "nobody"); err == nil {
		t.Fatal("passwd of an unknown user succeeded")
	}
}

// TestPhoneInChromium checks the phone layout and the weak signal in
// headless Chromium at 390 × 844 with touch (issue 18): nothing wider
// than the screen on any route, a district user's report with a located
// photo shown on the map, the offline queue arriving once, a conflict
// shown, and a second user finding none of the first's cached data;
// screenshots go to frontend/test-results/phone.
func TestPhoneInChromium(t *testing.T) {
	inChromium(t, "phone.mjs", "phone")
}
