package postgis

import (
	"context"
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

// migrationLock is the advisory lock that serialises migrating servers.
const migrationLock = 7_301_000_001

// Migrate applies the migrations of dir not yet applied, in order, each in
// its own transaction, and records them in schema_migrations. Several
// servers may migrate at once: an advisory lock serialises them.
func (db *DB) Migrate(ctx context.Context, dir fs.FS) (applied []string, err error) {
	names, err := fs.Glob(dir, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
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
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, err
	}
	done := map[string]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		done[v] = true
	}
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		if done[version] {
			continue
		}
		body, err := fs.ReadFile(dir, name)
		if err != nil {
			return applied, err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", version)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", version, err)
		}
		applied = append(applied, version)
	}
	return applied, nil
}

// Pending returns the migrations of dir not yet applied; the readiness
// check wants none.
func (db *DB) Pending(ctx context.Context, dir fs.FS) ([]string, error) {
	names, err := fs.Glob(dir, "*.sql")
	if err != nil {
		return nil, err
	}
	var vs []string
	rows, err := db.pool.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42P01" {
			return names, nil
		}
		return nil, err
	}
	if vs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	var pending []string
	for _, n := range names {
		if !slices.Contains(vs, strings.TrimSuffix(n, ".sql")) {
			pending = append(pending, n)
		}
	}
	return pending, nil
}

// Ready reports whether the database answers and every migration of the
// binary is applied.
func (db *DB) Ready(ctx context.Context) error {
	pending, err := db.Pending(ctx, migrations.FS())
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return errors.New("migrations pending: " + pending[0])
	}
	return nil
}
