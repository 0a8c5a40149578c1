package postgis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/migrations"
)

// The migration runner. A migrations folder (see package migrations) holds
// numbered files at its top, applied once each and never edited, and
// repeatable files in repeatable/, applied again whenever they change.
// schema_migrations records the numbered files applied, with the SHA-256
// of each; schema_repeatables the checksum each repeatable file had when it
// was last applied.

// repeatableDir is the folder of the repeatable files.
const repeatableDir = "repeatable"

// migrationLock is the advisory lock that serialises migrating servers.
const migrationLock = 7_301_000_001

// migrationTables creates the runner's records. A database migrated before
// checksums were recorded has schema_migrations without its checksum
// column: the column is added, and the rows left without a checksum adopt
// their file's on the next Migrate.
const migrationTables = `
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    checksum   text
);
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
CREATE TABLE IF NOT EXISTS schema_repeatables (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrationFile is one file of a migrations folder.
type migrationFile struct {
	name     string // "0001_schema", "repeatable/10_principal"
	body     string
	checksum string // hex SHA-256 of body
}

// readMigrations reads the numbered and the repeatable files of dir, each
// kind in name order.
func readMigrations(dir fs.FS) (numbered, repeatable []migrationFile, err error) {
	read := func(pattern string) ([]migrationFile, error) {
		paths, err := fs.Glob(dir, pattern)
		if err != nil {
			return nil, err
		}
		slices.Sort(paths)
		var out []migrationFile
		for _, p := range paths {
			body, err := fs.ReadFile(dir, p)
			if err != nil {
				return nil, err
			}
			sum := sha256.Sum256(body)
			out = append(out, migrationFile{name: strings.TrimSuffix(p, ".sql"), body: string(body), checksum: hex.EncodeToString(sum[:])})
		}
		return out, nil
	}
	if numbered, err = read("*.sql"); err != nil {
		return nil, nil, err
	}
	if repeatable, err = read(path.Join(repeatableDir, "*.sql")); err != nil {
		return nil, nil, err
	}
	return numbered, repeatable, nil
}

// migrationState is what a database records of its migrations: the
// checksum of each applied numbered file ("" for one applied before
// checksums were recorded) and of each repeatable file as last applied.
type migrationState struct {
	applied     map[string]string
	repeatables map[string]string
}

// migrationPlan is what a database lacks.
type migrationPlan struct {
	numbered   []migrationFile // not yet applied
	adopt      []migrationFile // applied, recorded without a checksum
	repeatable []migrationFile // never applied or changed since
}

// plan compares the files with the records. It fails if an applied
// numbered file was edited since it was applied.
func plan(numbered, repeatable []migrationFile, st migrationState) (migrationPlan, error) {
	var p migrationPlan
	for _, f := range numbered {
		sum, ok := st.applied[f.name]
		switch {
		case !ok:
			p.numbered = append(p.numbered, f)
		case sum == "":
			p.adopt = append(p.adopt, f)
		case sum != f.checksum:
			return migrationPlan{}, fmt.Errorf("migration %s was edited after it was applied (applied sha256 %s…, file now %s…): "+
				"restore the file and put the change in a new numbered migration", f.name, sum[:min(12, len(sum))], f.checksum[:12])
		}
	}
	for _, f := range repeatable {
		if st.repeatables[f.name] != f.checksum {
			p.repeatable = append(p.repeatable, f)
		}
	}
	return p, nil
}

// pending lists the names of the files the plan applies.
func (p migrationPlan) pending() []string {
	var names []string
	for _, f := range slices.Concat(p.numbered, p.repeatable) {
		names = append(names, f.name)
	}
	return names
}

// querier is a pool or a connection.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// readMigrationState reads the records of q's database. A database without
// them has applied nothing; one migrated before checksums were kept has
// schema_migrations without its checksum column (Migrate adds it and
// creates schema_repeatables in one transaction) and no repeatable file
// applied.
func readMigrationState(ctx context.Context, q querier) (migrationState, error) {
	st := migrationState{applied: map[string]string{}, repeatables: map[string]string{}}
	pairs := func(sql string, into map[string]string) error {
		rows, err := q.Query(ctx, sql)
		if err != nil {
			return err
		}
		var k, v string
		_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
			into[k] = v
			return nil
		})
		return err
	}
	err := pairs("SELECT version, coalesce(checksum, '') FROM schema_migrations", st.applied)
	if isCode(err, "42703") { // undefined column: the records of the runner before checksums
		err = pairs("SELECT version, '' FROM schema_migrations", st.applied)
		return st, err
	}
	if isCode(err, "42P01") { // undefined table: a new database
		return st, nil
	}
	if err != nil {
		return st, err
	}
	err = pairs("SELECT name, checksum FROM schema_repeatables", st.repeatables)
	if isCode(err, "42P01") {
		return st, nil
	}
	return st, err
}

// isCode reports whether err is a PostgreSQL error with SQLSTATE code.
func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// Migrate brings the database up to the migrations of dir: it applies the
// numbered files not yet applied, in order, then the repeatable files never
// applied or changed since, in name order, each in its own transaction, and
// records their checksums; then it adds the calendar's years of dir that
// the database lacks (see package migrations). It returns the names of the
// files it applied ("calendar/2026" for a year added).
// It applies nothing and fails if a numbered file applied earlier was
// edited since. Several servers may migrate at once: an advisory lock
// serialises them.
func (db *DB) Migrate(ctx context.Context, dir fs.FS) (applied []string, err error) {
	numbered, repeatable, err := readMigrations(dir)
	if err != nil {
		return nil, err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return nil, err
	}
	defer func() {
		_, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
		if err == nil {
			err = uerr
		}
	}()
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, migrationTables)
		return err
	}); err != nil {
		return nil, err
	}
	st, err := readMigrationState(ctx, conn)
	if err != nil {
		return nil, err
	}
	p, err := plan(numbered, repeatable, st)
	if err != nil {
		return nil, err
	}
	for _, f := range p.adopt {
		if _, err := conn.Exec(ctx, "UPDATE schema_migrations SET checksum = $2 WHERE version = $1 AND checksum IS NULL",
			f.name, f.checksum); err != nil {
			return nil, err
		}
	}
	apply := func(f migrationFile, record string) error {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, f.body); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, record, f.name, f.checksum)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", f.name, err)
		}
		applied = append(applied, f.name)
		return nil
	}
	for _, f := range p.numbered {
		if err := apply(f, "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)"); err != nil {
			return applied, err
		}
	}
	for _, f := range p.repeatable {
		if err := apply(f, `INSERT INTO schema_repeatables (name, checksum) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`); err != nil {
			return applied, err
		}
	}
	years, err := seedCalendar(ctx, conn.Conn(), dir)
	for _, y := range years {
		applied = append(applied, fmt.Sprintf("%s/%d", calendarDir, y))
	}
	return applied, err
}

// Pending returns the names of the files of dir that Migrate would apply:
// numbered files not yet applied and repeatable files never applied or
// changed since. It fails if an applied numbered file was edited since.
func (db *DB) Pending(ctx context.Context, dir fs.FS) ([]string, error) {
	numbered, repeatable, err := readMigrations(dir)
	if err != nil {
		return nil, err
	}
	st, err := readMigrationState(ctx, db.pool)
	if err != nil {
		return nil, err
	}
	p, err := plan(numbered, repeatable, st)
	if err != nil {
		return nil, err
	}
	return p.pending(), nil
}

// Ready reports whether the database answers and every migration of the
// binary is applied: no numbered file pending, no repeatable file changed
// since it was applied.
func (db *DB) Ready(ctx context.Context) error {
	pending, err := db.Pending(ctx, migrations.FS())
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return errors.New("migrations pending: " + strings.Join(pending, ", "))
	}
	return nil
}
