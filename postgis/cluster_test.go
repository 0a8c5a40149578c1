package postgis

import (
	"context"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// TestClusterSharedAndSupervised starts two clusters at once on one new
// data folder, as two onemap processes would: one creates and starts it,
// the other joins. Killed with kill -9, the cluster is started again with
// what was committed; a joiner that stops leaves it running, and the
// process that started it waits for the others before it stops it.
func TestClusterSharedAndSupervised(t *testing.T) {
	dir, err := os.MkdirTemp("", "onemap-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	start := func() *Cluster {
		c, err := StartCluster(ctx, ClusterOptions{Dir: dir})
		if err != nil {
			t.Error(err)
			return nil
		}
		t.Cleanup(c.Stop)
		return c
	}
	var cs [2]*Cluster
	var wg sync.WaitGroup
	for i := range cs {
		wg.Go(func() { cs[i] = start() })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// owners returns the one that started the running cluster and the
	// other; it fails unless exactly one did.
	owners := func() (*Cluster, *Cluster) {
		t.Helper()
		p0, _ := cs[0].running()
		p1, _ := cs[1].running()
		if (p0 == nil) == (p1 == nil) {
			t.Fatalf("started here: %v and %v; want exactly one", p0 != nil, p1 != nil)
		}
		if p0 != nil {
			return cs[0], cs[1]
		}
		return cs[1], cs[0]
	}
	owner, _ := owners()
	// query runs sql on a new connection and returns the integer it
	// selects.
	query := func(sql string) (int, error) {
		conn, err := pgx.Connect(ctx, owner.URL("postgres"))
		if err != nil {
			return 0, err
		}
		defer conn.Close(context.Background())
		var n int
		err = conn.QueryRow(ctx, sql).Scan(&n)
		return n, err
	}
	conn, err := pgx.Connect(ctx, owner.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "CREATE TABLE kept AS SELECT generate_series(1, 100) AS n")
	conn.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	t.Run("kill -9", func(t *testing.T) {
		pid := owner.runningPID()
		if pid == 0 {
			t.Fatal("no postmaster.pid")
		}
		killed := time.Now()
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for {
			if n, err := query("SELECT count(*) FROM kept"); err == nil {
				t.Logf("cluster back after %s", time.Since(killed).Round(time.Millisecond))
				if n != 100 {
					t.Fatalf("%d rows after the restart, want 100", n)
				}
				break
			}
			if time.Since(killed) > time.Minute {
				t.Fatal("not back within a minute")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got := owner.runningPID(); got == 0 || got == pid {
			t.Fatalf("postmaster %d after the restart, was %d", got, pid)
		}
	})

	// The supervisors settle on one postmaster, started by one of them.
	deadline := time.Now().Add(time.Minute)
	for {
		_, p0 := cs[0].running()
		_, p1 := cs[1].running()
		if p0 != 0 && p0 == p1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("postmasters %d and %d", p0, p1)
		}
		time.Sleep(50 * time.Millisecond)
	}
	owner, other := owners()

	t.Run("a joiner that stops leaves the cluster running", func(t *testing.T) {
		third := start()
		if p, _ := third.running(); p != nil {
			t.Fatal("a third start started a postmaster of its own")
		}
		third.Stop()
		if _, err := query("SELECT 1"); err != nil {
			t.Fatal(err)
		}
	})

	db, err := Open(ctx, owner.URL("postgres"), Options{MaxConns: 1, Cluster: owner})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("a terminated connection is unavailable", func(t *testing.T) {
		var ok bool
		err := dbError(db.pool.QueryRow(ctx, "SELECT pg_terminate_backend(pg_backend_pid())").Scan(&ok), "连接", "connection")
		if k := geo.KindOf(err); k != geo.KindUnavailable {
			t.Fatalf("kind %v (%v), want unavailable", k, err)
		}
	})

	t.Run("the starter waits for the others, then stops", func(t *testing.T) {
		stopped := make(chan struct{})
		go func() {
			owner.Stop()
			close(stopped)
		}()
		time.Sleep(500 * time.Millisecond)
		select {
		case <-stopped:
			t.Fatal("stopped while another used the cluster")
		default:
		}
		if _, err := query("SELECT 1"); err != nil {
			t.Fatal(err)
		}
		other.Stop()
		select {
		case <-stopped:
		case <-time.After(30 * time.Second):
			t.Fatal("not stopped 30 s after the other let go")
		}
		if pid := owner.runningPID(); pid != 0 {
			t.Fatalf("postmaster %d still running", pid)
		}
		_, _, _, err := db.Districts(ctx)
		if k := geo.KindOf(err); k != geo.KindUnavailable {
			t.Fatalf("kind %v (%v), want unavailable", k, err)
		}
	})
}
