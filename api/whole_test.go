package api_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// syscw is the number of write system calls (write, writev) this process
// has made.
func syscw(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "syscw: "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no syscw in /proc/self/io")
	return 0
}

// A tile larger than net/http's 4 KB connection buffer goes out in one
// system call, and intact, answer after answer on one connection.
func TestTilesGoOutWhole(t *testing.T) {
	f := newFixtureWith(t, slog.LevelWarn, time.Minute)
	// A district outline of 4,000 jagged vertices: a tile of some 7 KB
	// after gzip.
	db, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	_, err = db.Exec(t.Context(), `
		SELECT setseed(0.25);
		UPDATE districts SET geom = (
		  SELECT ST_Multi(ST_MakePolygon(ST_AddPoint(line, ST_StartPoint(line))))
		    FROM (SELECT ST_MakeLine(ST_SetSRID(ST_MakePoint(114.0 + r * cos(a), 33.58 + r * sin(a)), 4490) ORDER BY i) AS line
		            FROM (SELECT i, 2 * pi() * i / 4000 AS a, 0.08 + 0.06 * random() AS r
		                    FROM generate_series(0, 3999) AS i) AS v) AS l)
		 WHERE id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	c := f.users[geo.RoleLeader]
	path := "/tiles/districts" + tileZ10
	first := c.do(t, "GET", path, nil, "Accept-Encoding", "gzip")
	want, err := io.ReadAll(first.Body)
	if err != nil || first.StatusCode != 200 || len(want) <= 4<<10 {
		t.Fatalf("tile: %d, %d bytes, %v", first.StatusCode, len(want), err)
	}

	// The requests, pipelined, go out in one write; then the answers
	// (from the cache now) come back.
	u, err := url.Parse(f.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	const n = 20
	for range n {
		req.WriteString("GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nAccept-Encoding: gzip\r\n")
		for _, ck := range c.http.Jar.Cookies(u) {
			req.WriteString("Cookie: " + ck.String() + "\r\n")
		}
		req.WriteString("\r\n")
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	before := syscw(t)
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
			res.Header.Get("ETag") != first.Header.Get("ETag") || !bytes.Equal(got, want) {
			t.Fatalf("answer %d: %d %v, %d bytes (want %d), %v", i, res.StatusCode, res.Header, len(got), len(want), err)
		}
	}
	// One write for the requests, one per answer; net/http alone makes two
	// per answer.
	if writes := syscw(t) - before; writes > n+n/2 {
		t.Fatalf("%d answers took %d write system calls, with the requests' one", n, writes)
	}
}
