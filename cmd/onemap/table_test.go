package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"admin", 5},
		{"源汇区", 6},
		{"市领导（演示）", 14},
		{"luohe-2026 密码", 15},
		{"e\u0301", 1}, // e and a combining acute accent
	} {
		if got := displayWidth(c.s); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// TestAccountTableAligned: the demo accounts' passwords start at one
// terminal column on every line, whatever the Chinese names' lengths
// (padding by bytes or by characters put them 4 to 12 columns apart).
func TestAccountTableAligned(t *testing.T) {
	var rows [][]string
	for _, a := range demoAccounts() {
		rows = append(rows, []string{a.user.Username, a.user.DisplayName, "password: " + a.password})
	}
	var out bytes.Buffer
	if err := writeTable(&out, "  ", rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(rows) {
		t.Fatalf("%d lines for %d accounts:\n%s", len(lines), len(rows), out.String())
	}
	col := -1
	for _, l := range lines {
		before, _, ok := strings.Cut(l, "password: ")
		if !ok {
			t.Fatalf("no password on %q", l)
		}
		if w := displayWidth(before); col == -1 {
			col = w
		} else if w != col {
			t.Errorf("the password starts at column %d, not %d:\n%s", w, col, out.String())
		}
	}
}

// TestDemoPasswordsPrintedOnce runs what make run runs on a seeded data
// folder, onemap seed --if-empty and then onemap serve, and finds each
// demo password once in what they print: serve lists the accounts, seed
// does not.
func TestDemoPasswordsPrintedOnce(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"seed", "--if-empty", "--database-url", url}, &out, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	m := NewMain(Config{Addr: "127.0.0.1:0", DatabaseURL: url, MaxConns: 4, StatementTimeout: 15 * time.Second}, &out)
	defer m.Close()
	ctx, cancel := context.WithCancel(t.Context())
	ready, errc := make(chan string, 1), make(chan error, 1)
	go func() { errc <- m.Serve(ctx, ready) }()
	select {
	case <-ready:
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("serve: %v", err)
		}
	case err := <-errc:
		cancel()
		t.Fatalf("serve: %v", err)
	}
	for _, a := range demoAccounts() {
		if n := strings.Count(out.String(), a.password); n != 1 {
			t.Errorf("%s's password printed %d times:\n%s", a.user.Username, n, out.String())
		}
	}
}
