package postgis_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/luohe/onemap/migrations"
	"github.com/luohe/onemap/postgis"
)

// emptyDB opens a new database that nothing has migrated.
func emptyDB(t *testing.T) *postgis.DB {
	t.Helper()
	url, err := loadSrv.EmptyURL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgis.Open(t.Context(), url, postgis.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func sum(body string) string {
	s := sha256.Sum256([]byte(body))
	return hex.EncodeToString(s[:])
}

func file(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }

// TestMigrateEditedFile edits a numbered file after it was applied: Migrate
// refuses, naming the file and both checksums, and applies nothing else;
// restoring the file lets it go on.
func TestMigrateEditedFile(t *testing.T) {
	t.Parallel()
	db := emptyDB(t)
	conn := loadConn(t, db)
	first := "CREATE TABLE a (x integer);\n"
	dir := fstest.MapFS{"0001_a.sql": file(first)}
	if _, err := db.Migrate(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	edited := "CREATE TABLE a (x integer, y integer);\n"
	dir["0001_a.sql"] = file(edited)
	dir["0002_b.sql"] = file("CREATE TABLE b (x integer);\n")
	want := "migration 0001_a was edited after it was applied (applied sha256 " + sum(first)[:12] + "…, file now " +
		sum(edited)[:12] + "…): restore the file and put the change in a new numbered migration"
	applied, err := db.Migrate(t.Context(), dir)
	if err == nil || err.Error() != want || applied != nil {
		t.Fatalf("Migrate: %v, %v; want the error %q", applied, err, want)
	}
	if _, err := db.Pending(t.Context(), dir); err == nil || err.Error() != want {
		t.Fatalf("Pending: %v", err)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'b'"); n != 0 {
		t.Fatal("0002_b applied on a database with an edited file")
	}
	dir["0001_a.sql"] = file(first)
	if applied, err := db.Migrate(t.Context(), dir); err != nil || !slices.Equal(applied, []string{"0002_b"}) {
		t.Fatalf("after the restore: %v, %v", applied, err)
	}
}

// TestMigrateRepeatable applies a changed repeatable file once, and an
// unchanged one not again; a failing one is not recorded and stays
// pending.
func TestMigrateRepeatable(t *testing.T) {
	t.Parallel()
	db := emptyDB(t)
	conn := loadConn(t, db)
	dir := fstest.MapFS{
		"0001_log.sql":          file("CREATE TABLE log (file text, version integer);\n"),
		"repeatable/10_one.sql": file("INSERT INTO log VALUES ('one', 1);\n"),
		"repeatable/20_two.sql": file("INSERT INTO log VALUES ('two', 1);\n"),
	}
	migrate := func(want ...string) {
		t.Helper()
		applied, err := db.Migrate(t.Context(), dir)
		if err != nil || !slices.Equal(applied, want) {
			t.Fatalf("applied %v, %v; want %v", applied, err, want)
		}
		if pending, err := db.Pending(t.Context(), dir); err != nil || len(pending) > 0 {
			t.Fatalf("pending after Migrate: %v, %v", pending, err)
		}
	}
	migrate("0001_log", "repeatable/10_one", "repeatable/20_two")
	migrate()
	dir["repeatable/10_one.sql"] = file("INSERT INTO log VALUES ('one', 2);\n")
	if pending, err := db.Pending(t.Context(), dir); err != nil || !slices.Equal(pending, []string{"repeatable/10_one"}) {
		t.Fatalf("pending after the change: %v, %v", pending, err)
	}
	migrate("repeatable/10_one")
	migrate()
	if n := loadCount(t, conn, "SELECT count(*) FROM log"); n != 3 {
		t.Fatalf("%d applications, want 3: one, two, then one again", n)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM log WHERE file = 'one' AND version = 2"); n != 1 {
		t.Fatalf("the changed file applied %d times", n)
	}

	dir["repeatable/20_two.sql"] = file("INSERT INTO nowhere VALUES (1);\n")
	if _, err := db.Migrate(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "migration repeatable/20_two:") {
		t.Fatalf("a failing file: %v", err)
	}
	if pending, err := db.Pending(t.Context(), dir); err != nil || !slices.Equal(pending, []string{"repeatable/20_two"}) {
		t.Fatalf("pending after a failure: %v, %v", pending, err)
	}
}

// TestMigrateConcurrently starts several servers' migrations on one new
// database at once: each file is applied exactly once, and none fails.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	url, err := loadSrv.EmptyURL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied []string
	)
	for range 4 {
		wg.Go(func() {
			db, err := postgis.Open(t.Context(), url, postgis.Options{MaxConns: 2})
			if err != nil {
				t.Error(err)
				return
			}
			defer db.Close()
			names, err := db.Migrate(t.Context(), migrations.FS())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			applied = append(applied, names...)
			mu.Unlock()
		})
	}
	wg.Wait()
	db, err := postgis.Open(t.Context(), url, postgis.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := migrationNames(t)
	slices.Sort(applied)
	if !slices.Equal(applied, want) {
		t.Fatalf("applied %v, want each of %v once", applied, want)
	}
	if err := db.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// migrationNames lists the names of the embedded migrations and the
// calendar's years, sorted.
func migrationNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"*.sql", "repeatable/*.sql", "calendar/*.json"} {
		paths, err := fs.Glob(migrations.FS(), pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			names = append(names, strings.TrimSuffix(strings.TrimSuffix(p, ".sql"), ".json"))
		}
	}
	slices.Sort(names)
	return names
}

// TestReady: the readiness check answers not ready while a numbered file
// is not applied or a repeatable file changed since it was applied, and
// ready once Migrate has run.
func TestReady(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	exec := func(t *testing.T, sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	ready := func(t *testing.T, want string) {
		t.Helper()
		err := db.Ready(t.Context())
		if want == "" && err != nil || want != "" && (err == nil || err.Error() != want) {
			t.Fatalf("Ready: %v, want %q", err, want)
		}
	}
	ready(t, "")
	t.Run("numbered file pending", func(t *testing.T) {
		var checksum string
		if err := conn.QueryRow(t.Context(), "DELETE FROM schema_migrations WHERE version = '0004_landuse_runs' RETURNING checksum").
			Scan(&checksum); err != nil {
			t.Fatal(err)
		}
		ready(t, "migrations pending: 0004_landuse_runs")
		// Applying 0004 again would fail (its table exists): put its record back.
		exec(t, "INSERT INTO schema_migrations (version, checksum) VALUES ('0004_landuse_runs', $1)", checksum)
		ready(t, "")
	})
	t.Run("repeatable file changed", func(t *testing.T) {
		exec(t, "UPDATE schema_repeatables SET checksum = 'changed' WHERE name = 'repeatable/60_protect'")
		ready(t, "migrations pending: repeatable/60_protect")
		if applied, err := db.Migrate(t.Context(), migrations.FS()); err != nil || !slices.Equal(applied, []string{"repeatable/60_protect"}) {
			t.Fatalf("Migrate: %v, %v", applied, err)
		}
		ready(t, "")
	})
	t.Run("applied file edited", func(t *testing.T) {
		exec(t, "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = '0002_triggers'")
		err := db.Ready(t.Context())
		if err == nil || !strings.HasPrefix(err.Error(), "migration 0002_triggers was edited after it was applied (applied sha256 000000000000…") {
			t.Fatalf("Ready: %v", err)
		}
	})
}

// TestMigrateUpgradesRecords migrates a database migrated before
// checksums were recorded: the numbered files adopt the checksums of the
// files as they are, and every repeatable file is applied once.
func TestMigrateUpgradesRecords(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	if _, err := conn.Exec(t.Context(), "ALTER TABLE schema_migrations DROP COLUMN checksum; DROP TABLE schema_repeatables"); err != nil {
		t.Fatal(err)
	}
	var repeatables []string
	for _, n := range migrationNames(t) {
		if strings.HasPrefix(n, "repeatable/") {
			repeatables = append(repeatables, n)
		}
	}
	if pending, err := db.Pending(t.Context(), migrations.FS()); err != nil || !slices.Equal(pending, repeatables) {
		t.Fatalf("pending: %v, %v; want %v", pending, err, repeatables)
	}
	if applied, err := db.Migrate(t.Context(), migrations.FS()); err != nil || !slices.Equal(applied, repeatables) {
		t.Fatalf("applied: %v, %v; want %v", applied, err, repeatables)
	}
	rows, err := conn.Query(t.Context(), "SELECT version, checksum FROM schema_migrations")
	if err != nil {
		t.Fatal(err)
	}
	var version, checksum string
	n := 0
	for rows.Next() {
		if err := rows.Scan(&version, &checksum); err != nil {
			t.Fatal(err)
		}
		body, err := fs.ReadFile(migrations.FS(), version+".sql")
		if err != nil {
			t.Fatal(err)
		}
		if checksum != sum(string(body)) {
			t.Errorf("%s: checksum %s, file %s", version, checksum, sum(string(body)))
		}
		n++
	}
	if rows.Err() != nil || n == 0 {
		t.Fatalf("%d records, %v", n, rows.Err())
	}
	if err := db.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
}
