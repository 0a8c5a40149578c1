package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/ogr"
	"github.com/luohe/onemap/ogr/ogrtest"
	"github.com/luohe/onemap/postgis"
)

// childArgs is the environment variable that makes the test binary run
// onemap with the arguments it holds (JSON) instead of the tests, for a
// test to kill.
const childArgs = "ONEMAP_TEST_CHILD_ARGS"

// runChild runs onemap as the child process of a test, if this is one.
func runChild() {
	v := os.Getenv(childArgs)
	if v == "" {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(v), &args); err != nil {
		os.Exit(2)
	}
	if err := run(context.Background(), args, os.Stdout, os.Stderr); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// TestImportKilled kills onemap import with kill -9 in the middle of an
// import of 30,000 zones. While the process lives, a server that starts
// (Reap) leaves its job alone; once it is dead, the job is marked failed
// (interrupted), never left running, its files are deleted and the land
// use is the old one.
func TestImportKilled(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	var features []string
	for i := range 30000 {
		x, y := 480000+float64(i%200)*40, 3700000+float64(i/200)*40
		features = append(features, ogrtest.Feature(`{"DLBM":"0701","DLMC":"城镇住宅用地"}`, `{"type":"Polygon","coordinates":`+ogrtest.GKSquare(x, y, 30)+`}`))
	}
	file := ogrtest.GBKShapefile(t, t.TempDir(), features...)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	count := func(q string) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(t.Context(), q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count("SELECT count(*) FROM landuse")

	args, _ := json.Marshal([]string{"import", "--database-url", url, "--layer", "landuse", "--file", file, "--map", "code=DLBM,name=DLMC"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgs+"="+string(args))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The job is running and has made progress.
	var id int64
	var dir, phase string
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		var done int
		err := conn.QueryRow(t.Context(), `SELECT id, dir, coalesce(phase, ''), done FROM land_imports
			WHERE status = 'running' ORDER BY id DESC LIMIT 1`).Scan(&id, &dir, &phase, &done)
		if err == nil && (done > 0 || phase != land.PhaseReading) {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("onemap import ended (%v) before it was seen running", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the import never showed progress")
		}
	}
	app, err := postgis.Open(t.Context(), url, postgis.Options{Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	limits := land.DefaultLimits()
	im := land.NewImporter(app, ogr.New(limits), t.TempDir(), limits, nil)
	defer im.Close()
	if err := im.Reap(t.Context()); err != nil {
		t.Fatal(err)
	}
	status := func() (string, string) {
		t.Helper()
		var s, code string
		if err := conn.QueryRow(t.Context(), "SELECT status, coalesce(error->>'code', '') FROM land_imports WHERE id = $1", id).Scan(&s, &code); err != nil {
			t.Fatal(err)
		}
		return s, code
	}
	if s, _ := status(); s != land.ImportRunning && s != land.ImportDone {
		t.Fatalf("a server starting while the import runs made it %s", s)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	if s, _ := status(); s == land.ImportDone {
		t.Skip("the import ended before the kill; nothing to check")
	}
	t.Logf("killed in phase %s", phase)
	// The killed connections go as PostgreSQL notices; the next start reaps.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := im.Reap(t.Context()); err != nil {
			t.Fatal(err)
		}
		if s, _ := status(); s != land.ImportRunning || time.Now().After(deadline) {
			break
		}
	}
	if s, code := status(); s != land.ImportFailed || code != "interrupted" {
		t.Errorf("the killed import is %s (%s), want failed (interrupted)", s, code)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) || filepath.Dir(dir) == "." {
		t.Errorf("the killed import's files %s are still there (%v)", dir, err)
	}
	if n := count("SELECT count(*) FROM landuse"); n != before {
		t.Errorf("%d zones after the kill, want the old %d", n, before)
	}
}
