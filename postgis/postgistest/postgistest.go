// Package postgistest gives tests a real, migrated PostGIS database: one
// embedded cluster per test binary (started by the same code as onemap's
// embedded default), holding a migrated template database (and, when
// asked, a template with the demo data), and a fresh copy of a template
// for every test, so tests run in parallel without sharing data.
//
// The clusters are copies of a cluster kept in the system temp folder
// (see cached): it is built once per content of the migrations, the
// loader and the demo generator, so the demo data is loaded once, not by
// every test binary that needs it.
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
	"github.com/luohe/onemap/postgis"
)

// The template databases every test cluster holds: Migrated, and in the
// clusters of MainWithDemo and StartWithDemo also Demo, Migrated with the
// demo data of 2026 loaded.
const (
	Migrated = "onemap_template"
	Demo     = "onemap_demo_template"
)

// Server is one embedded cluster with the template databases.
type Server struct {
	cluster *postgis.Cluster
	dir     string
	next    atomic.Int64
	mu      sync.Mutex // CREATE DATABASE … TEMPLATE needs the template idle
	fillMu  sync.Mutex
	filled  map[string]bool
}

// Start starts a cluster holding the Migrated template in a new folder
// under the system temp folder.
func Start(ctx context.Context) (*Server, error) {
	return start(ctx, migratedKind)
}

// StartWithDemo starts a cluster holding the Migrated and Demo templates
// in a new folder under the system temp folder.
func StartWithDemo(ctx context.Context) (*Server, error) {
	return start(ctx, demoKind)
}

func start(ctx context.Context, k kind) (*Server, error) {
	dir, err := tempDir("", "onemap-test-")
	if err != nil {
		return nil, err
	}
	if err := copyCached(ctx, k, dir); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	c, err := startCluster(ctx, dir)
	if err != nil {
		return nil, err
	}
	return &Server{cluster: c, dir: dir}, nil
}

// tempDir creates a new folder in dir (empty: the system temp folder)
// that PostgreSQL, run as another user, may enter: for a cluster's data
// folder.
func tempDir(dir, pattern string) (string, error) {
	d, err := os.MkdirTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	return d, os.Chmod(d, 0o755)
}

// startCluster starts the cluster in dir (created there if dir holds
// none), logging to dir/postgres.log.
func startCluster(ctx context.Context, dir string) (*postgis.Cluster, error) {
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
	return c, nil
}

// Stop stops the cluster and removes its folder.
func (s *Server) Stop() {
	s.cluster.Stop()
	_ = os.RemoveAll(s.dir)
}

// URL returns a connection string for a new database copied from the
// Migrated template.
func (s *Server) URL(ctx context.Context) (string, error) {
	_, url, err := s.copyOf(ctx, Migrated)
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
// template called name, which fill fills once (on a fresh copy of the
// template base, Migrated or Demo) the first time the name is asked for.
func (s *Server) Filled(ctx context.Context, base, name string, fill func(context.Context, *postgis.DB) error) (string, error) {
	s.fillMu.Lock()
	defer s.fillMu.Unlock()
	if s.filled == nil {
		s.filled = map[string]bool{}
	}
	if !s.filled[name] {
		src, url, err := s.copyOf(ctx, base)
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
	return mainOf(m, srv, migratedKind)
}

// MainWithDemo is Main with a server that also holds the Demo template.
func MainWithDemo(m *testing.M, srv **Server) int {
	return mainOf(m, srv, demoKind)
}

func mainOf(m *testing.M, srv **Server, k kind) int {
	s, err := start(context.Background(), k)
	if err != nil {
		fmt.Fprintln(os.Stderr, "postgistest:", err)
		return 1
	}
	defer s.Stop()
	*srv = s
	return m.Run()
}
