package main

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb/maptile"
)

// TestVerdictTiles checks what the map's colours by verdict read: the
// project tiles carry each project's verdict, and verdict_stale only while
// it is being checked again; the web app's style colours every verdict
// land knows (frontend/src/verdicts.js).
func TestVerdictTiles(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var fresh, stale int64
	var lon, lat float64
	if err := conn.QueryRow(t.Context(), `SELECT min(id), max(id), ST_X(ST_Centroid(ST_Collect(point))), ST_Y(ST_Centroid(ST_Collect(point)))
		FROM (SELECT id, point FROM projects ORDER BY point <-> ST_SetSRID(ST_MakePoint(114.02, 33.58), 4490) LIMIT 2) p`).
		Scan(&fresh, &stale, &lon, &lat); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `INSERT INTO project_verdicts (project_id, verdict, stale) VALUES ($1, 'conflict', false), ($2, 'blocking', true)
		ON CONFLICT (project_id) DO UPDATE SET verdict = excluded.verdict, stale = excluded.stale`, fresh, stale); err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), url, postgis.Options{Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	src, err := app.NewTileSource(tiles.NewCatalogue(geo.NewRegistry(), app))
	if err != nil {
		t.Fatal(err)
	}
	tile := maptile.At([2]float64{lon, lat}, 9)
	a := tiles.Address{Z: 9, X: tile.X, Y: tile.Y}
	admin := geo.Principal{Kind: geo.UserSession, Username: "test", Roles: []geo.Role{geo.RoleAdmin}}
	fs, err := src.Features(t.Context(), tiles.Query{Principal: admin, Layer: "projects", Address: a, Bound: a.Bound(tiles.Buffer)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]map[string]any{}
	for _, f := range fs {
		if f.ID == nil {
			continue
		}
		props := map[string]any{}
		for _, p := range f.Properties {
			props[p.Key] = p.Value
		}
		got[int64(*f.ID)] = props
	}
	if p := got[fresh]; p == nil || p["verdict"] != "conflict" || p["verdict_stale"] != nil {
		t.Errorf("project %d with a fresh verdict: %v, want verdict conflict and no verdict_stale", fresh, p)
	}
	if p := got[stale]; p == nil || p["verdict"] != "blocking" || p["verdict_stale"] != true {
		t.Errorf("project %d with a stale verdict: %v, want verdict blocking, verdict_stale true", stale, p)
	}

	js, err := os.ReadFile("../../frontend/src/verdicts.js")
	if err != nil {
		t.Fatal(err)
	}
	colours := regexp.MustCompile(`(?m)^export const verdictColours = \{([^}]*)\}`).FindSubmatch(js)
	if colours == nil {
		t.Fatal("frontend/src/verdicts.js has no verdictColours")
	}
	for _, v := range land.Verdicts() {
		if !regexp.MustCompile(`\b` + string(v.Verdict) + `: '#[0-9a-f]{6}'`).Match(colours[1]) {
			t.Errorf("the map has no colour for the verdict %s", v.Verdict)
		}
	}
}
