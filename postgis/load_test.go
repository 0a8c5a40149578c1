package postgis_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/postgis/postgistest"
	"github.com/paulmach/orb"
)

var loadSrv *postgistest.Server

func TestMain(m *testing.M) { os.Exit(postgistest.Main(m, &loadSrv)) }

// loadConn opens a plain connection to the test's database for checks.
func loadConn(t *testing.T, db *postgis.DB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), db.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func loadCount(t *testing.T, conn *pgx.Conn, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestLoadDataset(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	ds := demo.Generate(2026)
	conn := loadConn(t, db)
	if _, err := conn.Exec(t.Context(), "LISTEN onemap_tiles"); err != nil {
		t.Fatal(err)
	}
	rep, err := db.LoadDatasetAs(t.Context(), ds, "load test")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded in %s (generalisation %s, %d cells)", rep.Elapsed.Round(time.Millisecond), rep.Generalise.Round(time.Millisecond), rep.Cells)
	if rep.Repaired != 0 {
		t.Errorf("%d demo geometries were invalid and had to be repaired", rep.Repaired)
	}
	var progress, blockers, shares, firmParks, firmParcels, firmStages, chains, links int
	for _, p := range ds.Projects {
		progress += len(p.Progress)
		blockers += len(p.Blockers)
	}
	for _, e := range ds.Enclaves {
		shares += len(e.Shares)
	}
	for _, f := range ds.Firms {
		firmParks += len(f.ParkIDs)
		firmParcels += len(f.ParcelIDs)
		firmStages += len(f.History)
	}
	for _, p := range ds.Parks {
		chains += len(p.Chains)
		for _, c := range p.Chains {
			links += len(c.Links)
		}
	}
	want := map[string]int{
		"districts": len(ds.Districts), "landuse_systems": len(ds.Systems), "landuse_classes": len(ds.Classes),
		"parks": len(ds.Parks), "parcels": len(ds.Parcels), "projects": len(ds.Projects), "project_progress": progress,
		"project_blockers": blockers, "landuse": len(ds.Landuse), "control_lines": len(ds.ControlLines),
		"control_zones": len(ds.ControlZones), "quotas": len(ds.Quotas), "enclaves": len(ds.Enclaves),
		"enclave_shares": shares, "firms": len(ds.Firms), "firm_parks": firmParks, "firm_parcels": firmParcels,
		"transport": len(ds.Transport), "firm_stages": firmStages, "industry_chains": chains, "chain_links": links,
	}
	for table, n := range want {
		got := loadCount(t, conn, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize())
		if got != int64(n) || rep.Rows(table) != int64(n) {
			t.Errorf("%s: %d rows in the table, %d reported, want %d", table, got, rep.Rows(table), n)
		}
	}
	for _, tc := range []struct{ table, col string }{
		{"districts", "geom"}, {"districts", "seat"}, {"parks", "geom"}, {"parcels", "geom"}, {"projects", "site"},
		{"projects", "point"}, {"landuse", "geom"}, {"control_lines", "geom"}, {"control_zones", "geom"},
		{"enclaves", "geom"}, {"firms", "geom"}, {"transport", "geom"},
	} {
		col := pgx.Identifier{tc.col}.Sanitize()
		bad := loadCount(t, conn, "SELECT count(*) FROM "+pgx.Identifier{tc.table}.Sanitize()+" WHERE NOT ST_IsValid("+col+") OR ST_SRID("+col+") <> 4490")
		if bad != 0 {
			t.Errorf("%s.%s: %d invalid geometries", tc.table, tc.col, bad)
		}
	}
	// Parcels do not overlap.
	if n := loadCount(t, conn, `SELECT count(*) FROM parcels a JOIN parcels b ON a.id < b.id AND a.geom && b.geom
		AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`); n != 0 {
		t.Errorf("%d pairs of parcels overlap", n)
	}
	// The land-use zones tile the city: no overlaps, and together as large
	// as the counties.
	if n := loadCount(t, conn, `SELECT count(*) FROM landuse a JOIN landuse b ON a.id < b.id AND a.geom && b.geom
		AND ST_Relate(a.geom, b.geom, '2********')
		AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`); n != 0 {
		t.Errorf("%d pairs of land-use zones overlap", n)
	}
	var zones, city float64
	if err := conn.QueryRow(t.Context(), `SELECT (SELECT sum(ST_Area(geom::geography)) FROM landuse),
		(SELECT sum(area_m2) FROM districts WHERE kind = 'county')`).Scan(&zones, &city); err != nil {
		t.Fatal(err)
	}
	if d := zones/city - 1; d > 0.001 || d < -0.001 {
		t.Errorf("land-use zones cover %.1f km², the counties %.1f km²", zones/1e6, city/1e6)
	}
	for lvl := 8; lvl <= 11; lvl++ {
		if n := loadCount(t, conn, "SELECT count(*) FROM landuse_gen WHERE level = $1", lvl); n == 0 {
			t.Errorf("no generalised land use at level %d", lvl)
		}
	}
	checkRuns(t, conn)
	// The stores read back a park's chains and a firm's history as made.
	reader := geo.Principal{Kind: geo.UserSession, Username: "invest", Roles: []geo.Role{geo.RoleInvestment}}
	chainsOf, err := db.Chains(t.Context(), reader, ds.Parks[0].ID)
	byName := func(a, b invest.Chain) int { return strings.Compare(a.Name, b.Name) }
	wantChains := slices.Clone(ds.Parks[0].Chains)
	slices.SortFunc(chainsOf, byName)
	slices.SortFunc(wantChains, byName)
	if err != nil || !reflect.DeepEqual(chainsOf, wantChains) {
		t.Errorf("chains of %s: %v (%v), want %v", ds.Parks[0].Name, chainsOf, err, wantChains)
	}
	f := ds.Firms[len(ds.Firms)-1]
	history, err := db.FirmStages(t.Context(), reader, f.ID)
	if err != nil || len(history) != len(f.History) || !history[len(history)-1].At.Equal(f.History[len(f.History)-1].At) ||
		history[0].From != "" || history[len(history)-1].To != f.Stage {
		t.Errorf("history of %s: %v (%v), want %v", f.Name, history, err, f.History)
	}
	if v, err := db.Firm(t.Context(), reader, f.ID); err != nil || v.Responsible != f.Responsible || v.Responsible == "" {
		t.Errorf("%s: responsible %q (%v), want %q", f.Name, v.Responsible, err, f.Responsible)
	}
	// One audit row, with the counts.
	var actor, after string
	if err := conn.QueryRow(t.Context(), "SELECT actor, after::text FROM audit_log WHERE table_name = 'dataset'").Scan(&actor, &after); err != nil {
		t.Fatal(err)
	}
	var counts map[string]int64
	if err := json.Unmarshal([]byte(after), &counts); err != nil || actor != "load test" || counts["parcels"] != int64(len(ds.Parcels)) {
		t.Errorf("audit row by %q: %s (%v)", actor, after, err)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM audit_log"); n != 1 {
		t.Errorf("%d audit rows, want 1", n)
	}
	// One notification, for every layer.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	note, err := conn.WaitForNotification(ctx)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	var msg struct {
		Layers []string `json:"layers"`
		BBox   any      `json:"bbox"`
	}
	if err := json.Unmarshal([]byte(note.Payload), &msg); err != nil || len(msg.Layers) != 9 || msg.BBox != nil {
		t.Errorf("notification %s (%v)", note.Payload, err)
	}
	// New rows take ids after the dataset's.
	var id int64
	if err := conn.QueryRow(t.Context(), `INSERT INTO parks (name, level, district_id, geom)
		VALUES ('测试园区', 'city', 1, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(114.0, 33.6), 4490), 0.001)))
		RETURNING id`).Scan(&id); err != nil || id != int64(len(ds.Parks)+1) {
		t.Errorf("new park id %d (%v), want %d", id, err, len(ds.Parks)+1)
	}
	// Exact money survives the trip.
	var total string
	p := ds.Projects[0]
	if err := conn.QueryRow(t.Context(), "SELECT total_investment::text FROM projects WHERE id = $1", p.ID).Scan(&total); err != nil || total != p.TotalInvestment.String() {
		t.Errorf("project %d: total %s (%v), want %s", p.ID, total, err, p.TotalInvestment)
	}

	// A second load finds the data.
	err = db.LoadDataset(t.Context(), ds)
	var ge *geo.Error
	if !errors.As(err, &ge) || ge.Kind != geo.KindConflict || ge.Code != "already_seeded" {
		t.Errorf("second load: %v", err)
	}
}

func TestLoadStream(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	systems, classes := demo.Classes()
	const n = 20000
	rep, err := db.LoadStream(t.Context(), postgis.StreamLoad{
		Actor: "load test", Systems: systems, Classes: classes, Batch: 7000,
		Landuse: demo.ScaleLanduse(n, 3), Parcels: demo.ScaleParcels(n, 3),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("streamed %d zones in %s (generalisation %s, %d cells)", n, rep.Elapsed.Round(time.Millisecond), rep.Generalise.Round(time.Millisecond), rep.Cells)
	conn := loadConn(t, db)
	if got := loadCount(t, conn, "SELECT count(*) FROM landuse"); got != n || rep.Rows("landuse") != n {
		t.Errorf("%d zones, %d reported, want %d", got, rep.Rows("landuse"), n)
	}
	if got := loadCount(t, conn, "SELECT count(*) FROM parcels"); got != n/100 {
		t.Errorf("%d parcels, want %d", got, n/100)
	}
	if rep.Repaired != 0 {
		t.Errorf("%d synthetic geometries repaired", rep.Repaired)
	}
	if got := loadCount(t, conn, "SELECT count(*) FROM landuse WHERE NOT ST_IsValid(geom)"); got != 0 {
		t.Errorf("%d invalid zones", got)
	}
	for lvl := 8; lvl <= 11; lvl++ {
		if got := loadCount(t, conn, "SELECT count(*) FROM landuse_gen WHERE level = $1", lvl); got == 0 {
			t.Errorf("no generalised land use at level %d", lvl)
		}
	}
	checkRuns(t, conn)
	if got := loadCount(t, conn, "SELECT count(*) FROM audit_log WHERE table_name = 'dataset' AND actor = 'load test'"); got != 1 {
		t.Errorf("%d audit rows", got)
	}
}

// checkRuns checks the row runs of the generalised land use against its
// cells: every cell lies in one run of its class, runs hold no other
// cells, and two runs of one class never touch inside a block of 32.
func checkRuns(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	if n := loadCount(t, conn, `SELECT count(*) FROM landuse_gen g WHERE NOT EXISTS (
		SELECT 1 FROM landuse_gen_runs r WHERE r.level = g.level AND r.cell_y = g.cell_y
		   AND g.cell_x BETWEEN r.x0 AND r.x1 AND r.system = g.system AND r.code = g.code)`); n != 0 {
		t.Errorf("%d cells in no run of their class", n)
	}
	if cells, inRuns := loadCount(t, conn, "SELECT count(*) FROM landuse_gen"),
		loadCount(t, conn, "SELECT coalesce(sum(x1 - x0 + 1), 0) FROM landuse_gen_runs"); cells != inRuns || cells == 0 {
		t.Errorf("%d cells, %d in runs", cells, inRuns)
	}
	if n := loadCount(t, conn, `SELECT count(*) FROM landuse_gen_runs a JOIN landuse_gen_runs b
		ON b.level = a.level AND b.cell_y = a.cell_y AND b.x0 = a.x1 + 1 AND div(b.x0, 32) = div(a.x0, 32)
		AND b.system = a.system AND b.code = a.code`); n != 0 {
		t.Errorf("%d pairs of runs could be one", n)
	}
}

// Edits of the land-use plan (here plain SQL updates, as from psql, one
// of them alone and two in concurrent transactions) regenerate the
// generalised land use around them exactly as a full regeneration would.
func TestGeneralisedLandUseFollowsEdits(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	systems, classes := demo.Classes()
	if _, err := db.LoadStream(t.Context(), postgis.StreamLoad{Actor: "load test", Systems: systems, Classes: classes,
		Landuse: demo.ScaleLanduse(5000, 5), Parcels: demo.ScaleParcels(0, 5)}); err != nil {
		t.Fatal(err)
	}
	conn := loadConn(t, db)
	var system, from, to string
	if err := conn.QueryRow(t.Context(), `UPDATE landuse l
		   SET code = (SELECT c.code FROM landuse_classes c WHERE c.system = l.system AND c.code <> l.code ORDER BY c.code LIMIT 1)
		  FROM (SELECT id, code FROM landuse ORDER BY ST_Area(geom) DESC, id LIMIT 1) old
		 WHERE l.id = old.id
		RETURNING l.system, old.code, l.code`).Scan(&system, &from, &to); err != nil {
		t.Fatal(err)
	}
	t.Logf("largest zone changed from %s to %s", from, to)
	if n := loadCount(t, conn, "SELECT count(*) FROM landuse_gen WHERE system = $1 AND code = $2", system, to); n == 0 {
		t.Errorf("no cell took the zone's new class %s", to)
	}
	// Two edits of neighbouring zones in concurrent transactions: their
	// generalisations meet the same cells and runs, and must both commit.
	const edit = `UPDATE landuse l
		   SET code = (SELECT c.code FROM landuse_classes c WHERE c.system = l.system AND c.code <> l.code ORDER BY c.code DESC LIMIT 1)
		 WHERE l.id = $1`
	var a, b int64
	if err := conn.QueryRow(t.Context(), `SELECT x.id, (SELECT y.id FROM landuse y WHERE y.id <> x.id ORDER BY y.geom <-> x.geom LIMIT 1)
		FROM landuse x ORDER BY x.id LIMIT 1`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	tx1, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx1.Exec(t.Context(), edit, a); err != nil {
		t.Fatal(err)
	}
	other := loadConn(t, db)
	second := make(chan error, 1)
	go func() {
		tx2, err := other.Begin(t.Context())
		if err == nil {
			if _, err = tx2.Exec(t.Context(), edit, b); err == nil {
				err = tx2.Commit(t.Context())
			}
		}
		second <- err
	}()
	// The barrier: the first transaction stays open until the second edit
	// waits on a lock it holds, or has committed while it was open.
	var secondErr error
	done := false
	for waited := 0; !done; waited++ {
		select {
		case secondErr = <-second:
			done = true
			continue
		default:
		}
		var blocked bool
		if err := tx1.QueryRow(t.Context(), "SELECT $1::int = ANY (pg_blocking_pids($2))", conn.PgConn().PID(), other.PgConn().PID()).Scan(&blocked); err != nil {
			t.Fatal(err)
		}
		if blocked {
			break
		}
		if waited > 2000 {
			t.Fatal("the second edit neither waited on the first nor finished")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := tx1.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !done {
		secondErr = <-second
	}
	if secondErr != nil {
		t.Fatalf("the concurrent edit failed: %v", secondErr)
	}
	checkRuns(t, conn)
	const snapshot = `SELECT level, cell_x, cell_y, system, code FROM landuse_gen
		ORDER BY level, cell_y, cell_x`
	const runs = `SELECT level, cell_y, x0, x1, system, code FROM landuse_gen_runs ORDER BY level, cell_y, x0`
	read := func(sql string) [][]any {
		rows, err := conn.Query(t.Context(), sql)
		if err != nil {
			t.Fatal(err)
		}
		var out [][]any
		for rows.Next() {
			v, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	cells, rs := read(snapshot), read(runs)
	if _, err := conn.Exec(t.Context(), "SELECT onemap_landuse_generalise(NULL)"); err != nil {
		t.Fatal(err)
	}
	if full := read(snapshot); !reflect.DeepEqual(cells, full) {
		t.Errorf("after the edit %d cells; a full regeneration gives %d, or other classes", len(cells), len(full))
	}
	if full := read(runs); !reflect.DeepEqual(rs, full) {
		t.Errorf("after the edit %d runs; a full regeneration gives %d, or other runs", len(rs), len(full))
	}
}

func TestLoadStreamError(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	systems, classes := demo.Classes()
	boom := geo.Invalid("bad_input", "坏数据", "bad input")
	zones := func(yield func(land.Zone, error) bool) {
		for z, err := range demo.ScaleLanduse(100, 1) {
			if !yield(z, err) {
				return
			}
		}
		yield(land.Zone{}, boom)
	}
	_, err := db.LoadStream(t.Context(), postgis.StreamLoad{Systems: systems, Classes: classes, Landuse: zones, Batch: 30})
	if geo.KindOf(err) != geo.KindInvalid {
		t.Fatalf("load of a failing stream: %v", err)
	}
	conn := loadConn(t, db)
	if got := loadCount(t, conn, "SELECT count(*) FROM landuse"); got != 0 {
		t.Errorf("%d zones left behind", got)
	}
}

func TestLoadRepairs(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	full := demo.Generate(2026)
	ds := &postgis.Dataset{Systems: full.Systems, Classes: full.Classes, Districts: full.Districts, Landuse: full.Landuse[:3]}
	// A bow tie: valid after repair as two triangles.
	bow := ds.Landuse[0].Geom[0][0]
	b := bow.Bound()
	ds.Landuse[0].Geom = orb.MultiPolygon{{{b.Min, b.Max, {b.Max[0], b.Min[1]}, {b.Min[0], b.Max[1]}, b.Min}}}
	rep, err := db.LoadDatasetAs(t.Context(), ds, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repaired != 1 {
		t.Errorf("%d geometries repaired, want 1", rep.Repaired)
	}
	conn := loadConn(t, db)
	var typ string
	if err := conn.QueryRow(t.Context(), "SELECT GeometryType(geom) || ST_NumGeometries(geom) FROM landuse WHERE id = $1", ds.Landuse[0].ID).Scan(&typ); err != nil || typ != "MULTIPOLYGON2" {
		t.Errorf("repaired zone is %s (%v)", typ, err)
	}
	var actor string
	if err := conn.QueryRow(t.Context(), "SELECT actor FROM audit_log WHERE table_name = 'dataset'").Scan(&actor); err != nil || actor != postgis.SeedActor {
		t.Errorf("audit actor %q (%v)", actor, err)
	}
}
