// Package postgistest gives tests a real, migrated PostGIS database: one
// embedded cluster per test binary (started by the same code as onemap's
// embedded default), a migrated template database, and a fresh copy of it
// for every test, so tests run in parallel without sharing data.
package postgistest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/migrations"
	"github.com/luohe/onemap/postgis"
)

// Server is one embedded cluster with a migrated template database.
type Server struct {
	cluster *postgis.Cluster
	dir     string
	next    atomic.Int64
	mu      sync.Mutex // CREATE DATABASE … TEMPLATE needs the template idle
	fillMu  sync.Mutex
	filled  map[string]bool
}

const template = "onemap_template"

// Start starts a cluster in a new folder under the system temp folder and
// migrates the template database.
func Start(ctx context.Context) (*Server, error) {
	dir, err := os.MkdirTemp("", "onemap-test-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return nil, err
	}
	c, err := postgis.StartCluster(ctx, postgis.ClusterOptions{
		Dir: dir, Log: logf,
		// Test data is thrown away: trade durability for speed.
		Settings: map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
	})
	if err != nil {
		return nil, fmt.Errorf("%w (log in %s)", err, logf.Name())
	}
	s := &Server{cluster: c, dir: dir}
	if err := postgis.CreateDatabase(ctx, c.URL("postgres"), template, ""); err != nil {
		s.Stop()
		return nil, err
	}
	db, err := postgis.Open(ctx, c.URL(template), postgis.Options{MaxConns: 2})
	if err != nil {
		s.Stop()
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, migrations.FS()); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop stops the cluster and removes its folder.
func (s *Server) Stop() {
	s.cluster.Stop()
	_ = os.RemoveAll(s.dir)
}

// URL returns a connection string for a new database copied from the
// migrated template.
func (s *Server) URL(ctx context.Context) (string, error) {
	_, url, err := s.copyOf(ctx, template)
	return url, err
}

// EmptyURL returns a connection string for a new database that nothing
// has migrated, for tests of the migrations themselves.
func (s *Server) EmptyURL(ctx context.Context) (string, error) {
	_, url, err := s.copyOf(ctx, "")
	return url, err
}

// copyOf creates a database copied from tmpl (empty: PostgreSQL's default
// template) and returns its name and URL.
func (s *Server) copyOf(ctx context.Context, tmpl string) (string, string, error) {
	name := fmt.Sprintf("t%d", s.next.Add(1))
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := postgis.CreateDatabase(ctx, s.cluster.URL("postgres"), name, tmpl); err != nil {
		return "", "", err
	}
	return name, s.cluster.URL(name), nil
}

// Filled returns a connection string for a new database copied from the
// template called name, which fill fills once (on a fresh migrated
// database) the first time the name is asked for.
func (s *Server) Filled(ctx context.Context, name string, fill func(context.Context, *postgis.DB) error) (string, error) {
	s.fillMu.Lock()
	defer s.fillMu.Unlock()
	if s.filled == nil {
		s.filled = map[string]bool{}
	}
	if !s.filled[name] {
		src, url, err := s.copyOf(ctx, template)
		if err != nil {
			return "", err
		}
		db, err := postgis.Open(ctx, url, postgis.Options{MaxConns: 4})
		if err != nil {
			return "", err
		}
		err = fill(ctx, db)
		db.Close()
		if err != nil {
			return "", err
		}
		conn, err := pgx.Connect(ctx, s.cluster.URL("postgres"))
		if err != nil {
			return "", err
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{src}.Sanitize()+" RENAME TO "+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", err
		}
		s.filled[name] = true
	}
	_, url, err := s.copyOf(ctx, name)
	return url, err
}

// DB opens a fresh migrated database for the test and closes it at the end.
func (s *Server) DB(t testing.TB) *postgis.DB {
	t.Helper()
	url, err := s.URL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgis.Open(t.Context(), url, postgis.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// Main runs a test binary's tests with a server in *srv; use it from
// TestMain: `os.Exit(postgistest.Main(m, &srv))`.
func Main(m *testing.M, srv **Server) int {
	s, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgistest:", err)
		return 1
	}
	defer s.Stop()
	*srv = s
	return m.Run()
}
