package main

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCacheDroppedWithTheListener changes a project without a notice
// (triggers off), which the cached tile does not show, then ends the
// server's listening connection: the server, which may have missed
// notices, drops its whole tile cache and serves the change.
func TestCacheDroppedWithTheListener(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	a := serve(t, Config{DatabaseURL: url, CacheMB: 16})
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	id, path := buildingProject(t, conn)
	c := login(t, a, "leader")
	name := func() string {
		_, hdr, body := get(t, c, a+path)
		for _, f := range decode(t, body, hdr.Get("Content-Encoding") == "gzip")[0].Features {
			if f.ID == float64(id) {
				return f.Properties.MustString("name", "")
			}
		}
		t.Fatalf("project %d not in its tile", id)
		return ""
	}
	before := name()
	for _, q := range []string{"SET session_replication_role = replica", "UPDATE projects SET name = name || '（静默）' WHERE id = $1", "RESET session_replication_role"} {
		var args []any
		if q[0] == 'U' {
			args = append(args, id)
		}
		if _, err := conn.Exec(t.Context(), q, args...); err != nil {
			t.Fatal(err)
		}
	}
	if n := name(); n != before {
		t.Fatalf("the tile was not cached: %q", n)
	}
	var ended int
	if err := conn.QueryRow(t.Context(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'").Scan(&ended); err != nil || ended == 0 {
		t.Fatalf("no listening connection ended: %d %v", ended, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for name() != before+"（静默）" {
		if time.Now().After(deadline) {
			t.Fatal("the cache outlived the listening connection")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDomainReloadsCoalesce checks that the listener's asks for a reload
// of the filter domains never wait and collapse into one while none is
// taken: a flood of announcements (every stored compliance verdict is
// one) costs one more reload, not one each.
func TestDomainReloadsCoalesce(t *testing.T) {
	m := &Main{domainsDue: make(chan struct{}, 1)}
	for range 300 {
		m.askDomains()
	}
	if n := len(m.domainsDue); n != 1 {
		t.Fatalf("%d reloads asked for, want 1", n)
	}
}
