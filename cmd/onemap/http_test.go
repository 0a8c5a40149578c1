package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"
)

// start runs m's server and returns its address and a stop that ends it
// as SIGTERM does and returns what Serve returned.
func start(t *testing.T, m *Main) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready, errc := make(chan string, 1), make(chan error, 1)
	go func() { errc <- m.Serve(ctx, ready) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			err = <-errc
			m.Close()
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	select {
	case addr := <-ready:
		return addr, stop
	case err := <-errc:
		cancel()
		m.Close()
		t.Fatalf("serve: %v", err)
	}
	return "", nil
}

func testConfig(t *testing.T) Config {
	t.Helper()
	url, err := srv.URL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return Config{Addr: "127.0.0.1:0", DatabaseURL: url, CacheMB: 8, MaxConns: 8, StatementTimeout: 15 * time.Second}
}

// clientTally is what a keep-alive client met.
type clientTally struct {
	answers int // 200s
	others  int // other statuses
	resets  int // ECONNRESET: the server closed with the client's request unread
	lost    int // the connection closed with a request sent and no answer
	errs    []error
}

// hammer sends requests one after another over a keep-alive connection,
// as a browser does, reconnecting when an answer says Connection: close,
// until the server refuses a new connection.
func hammer(addr string, paths []string) clientTally {
	var (
		r    clientTally
		conn net.Conn
		br   *bufio.Reader
	)
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for i := 0; ; i++ {
		if conn == nil {
			c, err := net.Dial("tcp", addr)
			switch {
			case errors.Is(err, syscall.ECONNREFUSED):
				return r
			case errors.Is(err, syscall.ECONNRESET):
				r.resets++
				return r
			case err != nil:
				r.errs = append(r.errs, err)
				return r
			}
			conn, br = c, bufio.NewReader(c)
		}
		_, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: onemap.test\r\n\r\n", paths[i%len(paths)])
		var res *http.Response
		if err == nil {
			res, err = http.ReadResponse(br, nil)
		}
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		switch {
		case errors.Is(err, syscall.ECONNRESET):
			r.resets++
		case err != nil:
			r.lost++
			r.errs = append(r.errs, fmt.Errorf("request %d: %w", i, err))
		case res.StatusCode == http.StatusOK:
			r.answers++
		default:
			r.others++
		}
		if err != nil || res.Close {
			conn.Close()
			conn = nil
		}
	}
}

// TestShutdownUnderKeepAliveClients stops the server (as SIGTERM does)
// while 8 keep-alive clients send requests back to back: every request
// sent is answered, no connection is reset, and the clients then find
// the server refusing connections.
func TestShutdownUnderKeepAliveClients(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	var total clientTally
	for round := range 5 {
		addr, stop := start(t, NewMain(cfg, testLog{t}))
		results := make(chan clientTally, 8)
		for range 8 {
			go func() { results <- hammer(addr, []string{"/healthz", "/api/meta", "/readyz"}) }()
		}
		time.Sleep(300 * time.Millisecond)
		if err := stop(); err != nil {
			t.Errorf("round %d: serve: %v", round, err)
		}
		for range 8 {
			r := <-results
			total.answers += r.answers
			total.others += r.others
			total.resets += r.resets
			total.lost += r.lost
			total.errs = append(total.errs, r.errs...)
		}
	}
	t.Logf("%d answers, %d resets, %d requests lost over 5 shutdowns", total.answers, total.resets, total.lost)
	if total.answers == 0 || total.resets != 0 || total.lost != 0 || total.others != 0 || len(total.errs) != 0 {
		t.Fatalf("%d answers, %d other statuses, %d resets, %d requests lost; errors %v", total.answers, total.others, total.resets, total.lost, total.errs)
	}
}

// TestSlowClientsAreCut: a body sent a byte at a time, or headers, cannot
// hold a connection past the request timeout.
func TestSlowClientsAreCut(t *testing.T) {
	t.Parallel()
	m := NewMain(testConfig(t), testLog{t})
	m.timeouts.header = time.Second
	m.timeouts.request = 2 * time.Second
	addr, _ := start(t, m)
	for _, c := range []struct {
		name  string
		head  string
		trick string // sent a byte at a time every 200 ms, over and over
	}{
		// A user name that never ends: valid JSON so far, all along.
		{"slow body", "POST /api/login HTTP/1.1\r\nHost: onemap.test\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"username\":\"", "a"},
		{"slow headers", "GET /healthz HTTP/1.1\r\n", "X-Slow: a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			begin := time.Now()
			if _, err := io.WriteString(conn, c.head); err != nil {
				t.Fatal(err)
			}
			closed := make(chan struct{})
			go func() {
				_, _ = io.Copy(io.Discard, conn)
				close(closed)
			}()
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-closed:
					if d := time.Since(begin); d > 4*time.Second {
						t.Fatalf("cut after %v", d)
					}
					return
				case <-tick.C:
					if time.Since(begin) > 10*time.Second {
						t.Fatal("the connection is still open after 10 s")
					}
					// Write errors are expected once the server has cut.
					_, _ = conn.Write([]byte{c.trick[i%len(c.trick)]})
				}
			}
		})
	}
}
