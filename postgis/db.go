// Package postgis is onemap's PostgreSQL + PostGIS adapter: the embedded
// cluster, the connection pool, migrations, the tile queries, bulk loading,
// the LISTEN side of tile invalidation, and the stores of the capability
// packages (users.go, sessions.go, tokens.go, shares.go and audit.go for
// package access). It is tested only against a real PostGIS.
package postgis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/luohe/onemap/geo"
)

// DB is onemap's database: a pgx pool over a PostGIS 3 database.
type DB struct {
	pool    *pgxpool.Pool
	url     string
	cluster *Cluster
	// tilesChanged, if set, hears the tiles each committed transaction
	// changed (OnTilesChanged).
	tilesChanged func(payload string)
}

// Options tune the pool.
type Options struct {
	MaxConns         int32         // 0: 4 × cores, at least 8
	StatementTimeout time.Duration // 0: 15 s
	// Role, if set, is taken on by every connection (SET ROLE): the
	// server's own role when the URL logs in as the owner.
	Role string
	// Cluster, if set, is the embedded cluster the URL points into: when
	// it restarts, the pool drops its connections to the server that went
	// away at once, instead of finding them broken one request at a time.
	Cluster *Cluster
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
	// onemap's queries are short: compiling one (JIT, which the planner's
	// estimates under row security ask for at a few thousand projects)
	// takes longer than running it.
	rt["jit"] = "off"
	// current_date and date_trunc mean the city's day and year.
	rt["TimeZone"] = geo.TimeZone
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
	if o.Cluster != nil {
		o.Cluster.track(pool)
	}
	return &DB{pool: pool, url: url, cluster: o.Cluster}, nil
}

func startingUp(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57P03"
}

// Close closes the pool.
func (db *DB) Close() {
	if db.cluster != nil {
		db.cluster.untrack(db.pool)
	}
	db.pool.Close()
}

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
