// Package postgis is onemap's PostgreSQL + PostGIS adapter: the embedded
// cluster, the connection pool, migrations, the tile queries, bulk loading
// and the LISTEN side of tile invalidation. It is tested only against a
// real PostGIS.
package postgis

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is onemap's database: a pgx pool over a PostGIS 3 database.
type DB struct {
	pool *pgxpool.Pool
	url  string
}

// Options tune the pool.
type Options struct {
	MaxConns         int32         // 0: 4 × cores, at least 8
	StatementTimeout time.Duration // 0: 15 s
	// Role, if set, is taken on by every connection (SET ROLE): the
	// server's own role when the URL logs in as the owner.
	Role string
}

// AppRole is the database role of the server's queries: it owns no table
// and cannot bypass row-level security (migrations/0003_access.sql).
const AppRole = "onemap_app"

// Open connects to the database at url, waiting up to 30 s for a server
// that is still starting.
func Open(ctx context.Context, url string, o Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	} else if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	timeout := o.StatementTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	rt := cfg.ConnConfig.RuntimeParams
	rt["statement_timeout"] = strconv.FormatInt(timeout.Milliseconds(), 10)
	rt["idle_in_transaction_session_timeout"] = "60000"
	rt["application_name"] = "onemap"
	cfg.MaxConnIdleTime = 5 * time.Minute
	if o.Role != "" {
		set := "SET ROLE " + pgx.Identifier{o.Role}.Sanitize()
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, set)
			return err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err = pool.Ping(ctx)
		if err == nil || !startingUp(err) || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			pool.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{pool: pool, url: url}, nil
}

func startingUp(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57P03"
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// URL returns the connection string the pool was opened with.
func (db *DB) URL() string { return db.url }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// CreateDatabase creates database name on the server of the connection
// string url (which must name another database) unless it exists.
// template, if not empty, is copied.
func CreateDatabase(ctx context.Context, url, name, template string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	_, err = conn.Exec(ctx, sql)
	return err
}

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
