package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary be the floor server that startFloor runs.
func TestMain(m *testing.M) {
	if len(os.Args) == 2 && os.Args[1] == floorArg {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestFloor records a server's answers and serves them again from the
// floor server: the same status, headers and bytes, and 404 for the rest.
func TestFloor(t *testing.T) {
	raw := bytes.Repeat([]byte("tile "), 1000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") != "s=1" {
			http.Error(w, "sign in", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Etag", `"`+r.URL.Path+`"`)
		_, _ = w.Write(gz.Bytes())
	}))
	defer origin.Close()
	addr := strings.TrimPrefix(origin.URL, "http://")
	urls := []string{"/tiles/a/1/0/0.mvt", "/tiles/a/1/1/0.mvt", "/tiles/a/1/0/0.mvt"}
	if _, err := record(addr, "s=2", urls); err == nil {
		t.Fatal("recorded a refused answer")
	}
	answers, err := record(addr, "s=1", urls)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 {
		t.Fatalf("%d answers for two tiles", len(answers))
	}
	floor, err := startFloor(context.Background(), answers)
	if err != nil {
		t.Fatal(err)
	}
	defer floor.stop()

	req, err := http.NewRequest(http.MethodGet, "http://"+floor.addr+"/tiles/a/1/1/0.mvt", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Etag") != `"/tiles/a/1/1/0.mvt"` ||
		res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Date") == "" {
		t.Fatalf("floor answered %d %v", res.StatusCode, res.Header)
	}
	c, err := dial(floor.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	n, z, err := c.get([]byte("GET /tiles/a/1/0/0.mvt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"), true)
	if err != nil || n != len(raw) || z != gz.Len() {
		t.Fatalf("got %d bytes (%d gzipped), %v; want %d (%d)", n, z, err, len(raw), gz.Len())
	}
	if _, _, err := c.get([]byte("GET /tiles/a/2/0/0.mvt HTTP/1.1\r\nHost: x\r\n\r\n"), false); err == nil {
		t.Fatal("a tile not recorded was served")
	}
}
