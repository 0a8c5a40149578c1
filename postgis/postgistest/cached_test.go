package postgistest

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/postgis"
)

// TestCachedBuiltOnce asks for one cached cluster from several places at
// once (each with its own lock file descriptor, as separate processes
// have): it is built once, and a cluster started from it holds what the
// build put there.
func TestCachedBuiltOnce(t *testing.T) {
	dir, err := tempDir("", "onemap-cache-test-")
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err != nil {
		t.Fatal(err)
	}
	cacheDir = dir
	var builds atomic.Int32
	k := kind{name: "test", sources: []string{"migrations"}, fill: func(ctx context.Context, c *postgis.Cluster) error {
		builds.Add(1)
		return postgis.CreateDatabase(ctx, c.URL("postgres"), "built", "")
	}}
	entries, errs := make([]string, 3), make([]error, 3)
	var wg sync.WaitGroup
	for i := range entries {
		wg.Go(func() { entries[i], errs[i] = ensure(t.Context(), k) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		if entries[i] != entries[0] {
			t.Errorf("entries %s and %s", entries[i], entries[0])
		}
	}
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times, want once", n)
	}
	s, err := start(t.Context(), k)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	conn, err := pgx.Connect(t.Context(), s.cluster.URL("built"))
	if err != nil {
		t.Fatalf("the copy lacks what the build made: %v", err)
	}
	conn.Close(t.Context())
	if builds.Load() != 1 {
		t.Error("starting from the cache built it again")
	}
}
