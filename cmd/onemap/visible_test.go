package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb/geojson"
)

// writer is a signed-in client that sends JSON with its CSRF token.
type writer struct {
	t    *testing.T
	base string
	s    *session
}

// send makes a request with body as JSON and the extra headers, and
// decodes a JSON answer into out (if not nil); it fails the test unless
// the answer has status want.
func (w writer) send(method, path string, body any, want int, out any, headers ...string) http.Header {
	w.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		w.t.Fatal(err)
	}
	req, err := http.NewRequest(method, w.base+path, bytes.NewReader(b))
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", w.s.csrf)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := w.s.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if res.StatusCode != want {
		w.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, got, want)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			w.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.Header
}

// dashboardNow is what the leader's dashboard says now: the count, total
// and investment of the year, and the count of each stage.
type dashboardNow struct {
	Total struct {
		Count    int    `json:"count"`
		Total    string `json:"total_investment"`
		Invested string `json:"invested"`
	} `json:"total"`
	Stages []struct {
		Key   string `json:"key"`
		Count int    `json:"count"`
	} `json:"stages"`
}

func (d dashboardNow) stage(key string) int {
	for _, s := range d.Stages {
		if s.Key == key {
			return s.Count
		}
	}
	return 0
}

// yuan reads an amount of 万元 the API answers as a JSON string or number.
func yuan(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return f
}

// TestWritesVisibleAtOnce checks, against a running server with a tile
// cache, that a create, an edit that moves the site, a stage change and
// monthly reports show in the tiles and the dashboard in the very next
// request after the write is answered: no waiting, no retry. The tiles
// and the dashboard are fetched before each write, so a cache that
// follows the database only when the notification comes back serves
// them stale. Twenty rounds, to catch a race.
func TestWritesVisibleAtOnce(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	base := serve(t, Config{DatabaseURL: url, CacheMB: 64})
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Two places in 源汇区 far enough apart to lie in different tiles at
	// zoom 12, each with room for a row of small sites.
	var district int
	var places [2][2]float64
	if err := conn.QueryRow(t.Context(), `
		WITH d AS (SELECT id, geom FROM districts WHERE code = '411102'),
		     g AS (SELECT ST_SetSRID(ST_MakePoint(x::float8, y::float8), 4490) AS pt
		             FROM d, generate_series(round(ST_XMin(d.geom)::numeric, 2), round(ST_XMax(d.geom)::numeric, 2), 0.01) x,
		                     generate_series(round(ST_YMin(d.geom)::numeric, 2), round(ST_YMax(d.geom)::numeric, 2), 0.01) y),
		     ok AS (SELECT pt FROM g, d WHERE ST_Contains(d.geom, ST_Expand(ST_MakeEnvelope(ST_X(pt), ST_Y(pt), ST_X(pt) + 0.06, ST_Y(pt) + 0.002, 4490), 0.002)))
		SELECT d.id, ST_X(a.pt), ST_Y(a.pt), ST_X(b.pt), ST_Y(b.pt)
		  FROM d, ok a, ok b
		 WHERE abs(ST_X(a.pt) - ST_X(b.pt)) > 0.1 OR abs(ST_Y(a.pt) - ST_Y(b.pt)) > 0.1
		 ORDER BY ST_Y(a.pt), ST_X(a.pt), ST_Y(b.pt), ST_X(b.pt) LIMIT 1`).
		Scan(&district, &places[0][0], &places[0][1], &places[1][0], &places[1][1]); err != nil {
		t.Fatalf("two places in 源汇区: %v", err)
	}
	w := writer{t: t, base: base, s: signIn(t, base, "yuanhui", "luohe-yuanhui-2026")}
	leader := login(t, base, "leader")

	site := func(place [2]float64, i int) map[string]any {
		lon, lat := place[0]+float64(i)*0.003, place[1]
		return map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
			{lon, lat}, {lon + 0.002, lat}, {lon + 0.002, lat + 0.002}, {lon, lat + 0.002}, {lon, lat}}}}
	}
	tilePath := func(place [2]float64, i int) string {
		x, y := tileAt(place[0]+float64(i)*0.003+0.001, place[1]+0.001, 12)
		return fmt.Sprintf("/tiles/projects/12/%d/%d.mvt", x, y)
	}
	// feature fetches a tile and answers project id's feature in it.
	feature := func(path string, id float64) *geojson.Feature {
		t.Helper()
		code, hdr, body := get(t, leader, base+path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		ls := decode(t, body, hdr.Get("Content-Encoding") == "gzip")
		if len(ls) == 0 {
			return nil
		}
		for _, f := range ls[0].Features {
			if f.ID == id {
				return f
			}
		}
		return nil
	}
	dashboard := func() dashboardNow {
		t.Helper()
		code, _, body := get(t, leader, base+"/api/dashboard")
		if code != 200 {
			t.Fatalf("dashboard: %d %s", code, body)
		}
		var d dashboardNow
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	month := time.Now().In(geo.CityZone()).Format("2006-01")

	for i := range 20 {
		a, b := tilePath(places[0], i), tilePath(places[1], i)
		if a == b {
			t.Fatalf("round %d: both sites in tile %s", i, a)
		}
		name := fmt.Sprintf("即时可见测试项目%02d", i)

		// Create: cached tile and dashboard first, then the write.
		feature(a, 0)
		before := dashboard()
		var created struct {
			ID float64 `json:"id"`
		}
		w.send(http.MethodPost, "/api/projects", map[string]any{"type": "Feature", "geometry": site(places[0], i), "properties": map[string]any{
			"code": fmt.Sprintf("2026-411102-14-01-%06d", 900000+i), "name": name, "stage": "preparing", "category": "industry",
			"district_id": district, "leader": "张副市长", "responsible_unit": "市发展改革委", "owner": "漯河即时公司",
			"owner_contact": "0395-1234567", "industry": "冷链物流", "total_investment": "10000", "annual_plan": "1200",
			"planned_start": "2026-03-01", "planned_finish": "2027-12-31",
		}}, http.StatusCreated, &created, "Idempotency-Key", fmt.Sprintf("visible-%d", i))
		id := created.ID
		if f := feature(a, id); f == nil || f.Properties.MustString("name", "") != name {
			t.Fatalf("round %d: the new project is not in the tile answered after the create", i)
		}
		after := dashboard()
		if after.Total.Count != before.Total.Count+1 || yuan(t, after.Total.Total)-yuan(t, before.Total.Total) != 10000 {
			t.Fatalf("round %d: the dashboard after the create: %+v, before %+v", i, after.Total, before.Total)
		}

		// Edit: the site moves to another tile, the total investment rises.
		etag := w.send(http.MethodGet, fmt.Sprintf("/api/projects/%.0f", id), nil, http.StatusOK, nil).Get("ETag")
		feature(b, 0)
		before = after
		etag = w.send(http.MethodPatch, fmt.Sprintf("/api/projects/%.0f", id), map[string]any{"type": "Feature", "geometry": site(places[1], i),
			"properties": map[string]any{"total_investment": "12500"}}, http.StatusOK, nil, "If-Match", etag).Get("ETag")
		if feature(a, id) != nil {
			t.Fatalf("round %d: the moved project is still in the tile of its old site", i)
		}
		if f := feature(b, id); f == nil || f.Properties.MustFloat64("total_investment", 0) != 12500 {
			t.Fatalf("round %d: the moved project is not in the tile of its new site with its new total: %v", i, f)
		}
		after = dashboard()
		if yuan(t, after.Total.Total)-yuan(t, before.Total.Total) != 2500 {
			t.Fatalf("round %d: the dashboard's total after the edit: %s, before %s", i, after.Total.Total, before.Total.Total)
		}

		// Stage change: 前期 → 在建.
		before = after
		w.send(http.MethodPatch, fmt.Sprintf("/api/projects/%.0f", id), map[string]any{"type": "Feature",
			"properties": map[string]any{"stage": "building", "actual_start": "2026-04-01"}}, http.StatusOK, nil, "If-Match", etag)
		if f := feature(b, id); f == nil || f.Properties.MustString("stage", "") != "building" {
			t.Fatalf("round %d: the tile after the stage change: %v", i, f)
		}
		after = dashboard()
		if after.stage("building") != before.stage("building")+1 || after.stage("preparing") != before.stage("preparing")-1 {
			t.Fatalf("round %d: the dashboard's stages after the stage change: %+v, before %+v", i, after.Stages, before.Stages)
		}

		// Monthly reports: one far behind the plan, one catching up, one
		// ahead (the warning stays green);
		// the tile shows the year's investment and the warning level.
		levels := map[string]bool{}
		for _, invested := range []string{"100", "5000", "6000"} {
			before = after
			w.send(http.MethodPut, fmt.Sprintf("/api/projects/%.0f/progress/%s", id, month),
				map[string]any{"planned": "5000", "invested": invested, "progress_note": "主体施工（即时可见测试）"}, http.StatusNoContent, nil)
			var now struct {
				Level string `json:"warning_level"`
			}
			w.send(http.MethodGet, fmt.Sprintf("/api/projects/%.0f", id), nil, http.StatusOK, &now)
			f := feature(b, id)
			if f == nil || f.Properties.MustFloat64("invested", -1) != yuan(t, invested) || f.Properties.MustString("warning_level", "") != now.Level {
				t.Fatalf("round %d: the tile after a report of %s (level %s): %v", i, invested, now.Level, f)
			}
			levels[now.Level] = true
			after = dashboard()
			if yuan(t, after.Total.Invested) == yuan(t, before.Total.Invested) {
				t.Fatalf("round %d: the dashboard's investment after a report of %s: %s", i, invested, after.Total.Invested)
			}
		}
		if len(levels) != 2 {
			t.Fatalf("round %d: catching up left the warning level as it was: %v", i, levels)
		}
	}
}
