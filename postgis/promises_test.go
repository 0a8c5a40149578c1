package postgis_test

import (
	"slices"
	"testing"
)

// unaudited are the tables without an audit trigger, each for its reason:
// the log itself, records kept by the server's own code (sessions, login
// failures, share link opens and unlocks, the keys of retried creates,
// migrations, the land imports' jobs, whose replacement of a layer writes
// its own audit row) and derived data rebuilt from audited tables (the
// generalised land use, the warning levels assessed from the audited
// reports, the road network built from the audited roads, the projects'
// compliance verdicts checked from their audited sites, the site search's
// rows of the audited parcels and the road network's reach), and the bytes
// of the monthly reports' photos, whose audited metadata (project_photos)
// carries their SHA-256.
var unaudited = []string{
	"audit_log", "land_imports", "landuse_gen", "landuse_gen_runs", "login_failures", "parcel_sites", "project_idempotency", "project_photo_files", "project_verdicts", "project_warnings",
	"road_edges", "road_nodes", "schema_migrations", "schema_repeatables", "sessions", "share_link_opens", "share_unlocks", "site_reach", "spatial_ref_sys",
}

// TestAuditTriggers reads pg_trigger: every table of the schema but the
// unaudited ones has its audit trigger, on insert, update and delete of
// each row. A write made by a plain connection as the owner (as psql
// makes it, with no onemap settings) is audited with the database user as
// its actor.
func TestAuditTriggers(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	rows, err := conn.Query(t.Context(), `
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
		  AND NOT EXISTS (SELECT 1 FROM pg_trigger g
		                  WHERE g.tgrelid = c.oid AND g.tgfoid = 'onemap_audit'::regproc AND g.tgenabled = 'O'
		                    AND g.tgtype & (1 | 4 | 8 | 16) = (1 | 4 | 8 | 16))
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(unaudited, name) {
			missing = append(missing, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("tables without their audit trigger: %v", missing)
	}

	var user string
	if err := conn.QueryRow(t.Context(), "SELECT session_user").Scan(&user); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `INSERT INTO landuse_systems VALUES ('psql2026', '手工录入的分类体系')`); err != nil {
		t.Fatal(err)
	}
	var actor, action string
	var address *string
	if err := conn.QueryRow(t.Context(), `SELECT actor, address, action FROM audit_log
		WHERE table_name = 'landuse_systems' ORDER BY id DESC LIMIT 1`).Scan(&actor, &address, &action); err != nil {
		t.Fatalf("the write by psql was not audited: %v", err)
	}
	if actor != user || address != nil || action != "insert" {
		t.Fatalf("audit of the write by psql: actor %q address %v action %q, want %q, none, insert", actor, address, action, user)
	}
}
