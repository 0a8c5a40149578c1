package postgis_test

import (
	"encoding/json"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// TestOnTilesChanged checks that a committed write that changes tiled
// data hands its invalidation to the pool's hook before it returns, and a
// failed one nothing; and that the invalidations of one transaction are
// handed over as one: their layers and the box around their boxes.
func TestOnTilesChanged(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	var heard []string
	db.OnTilesChanged(func(payload string) { heard = append(heard, payload) })
	admin := geo.Principal{Kind: geo.UserSession, Username: "admin", Roles: []geo.Role{geo.RoleAdmin}}
	if err := db.PutThresholds(t.Context(), admin, project.Thresholds{RedPoints: 0, RedMonths: 3}); err == nil {
		t.Fatal("thresholds out of range were taken")
	}
	if len(heard) != 0 {
		t.Fatalf("a failed write was heard: %q", heard)
	}
	if err := db.PutThresholds(t.Context(), admin, project.Thresholds{RedPoints: 25, RedMonths: 3}); err != nil {
		t.Fatal(err)
	}
	if len(heard) != 1 || heard[0] != `{"layers" : ["projects"], "bbox" : null}` {
		t.Fatalf("new thresholds (every project tile) were heard as %q", heard)
	}

	conn := loadConn(t, db)
	tx, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context())
	var got string
	if err := tx.QueryRow(t.Context(), `SELECT onemap_notify_layers('{projects}', ST_MakeBox2D(ST_MakePoint(114, 33.5), ST_MakePoint(114.1, 33.6))),
		onemap_notify_layers('{districts,projects}', ST_MakeBox2D(ST_MakePoint(113.9, 33.55), ST_MakePoint(114.05, 33.7))),
		current_setting('onemap.tiles')`).Scan(nil, nil, &got); err != nil {
		t.Fatal(err)
	}
	var inv struct {
		Layers []string  `json:"layers"`
		BBox   []float64 `json:"bbox"`
	}
	if err := json.Unmarshal([]byte(got), &inv); err != nil {
		t.Fatal(err)
	}
	if len(inv.Layers) != 2 || inv.Layers[0] != "districts" || inv.Layers[1] != "projects" ||
		len(inv.BBox) != 4 || inv.BBox[0] != 113.9 || inv.BBox[1] != 33.5 || inv.BBox[2] != 114.1 || inv.BBox[3] != 33.7 {
		t.Fatalf("two invalidations held as %s", got)
	}
}
