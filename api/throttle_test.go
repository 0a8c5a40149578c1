package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// answer is what a request sent from a goroutine got back.
type answer struct {
	status     int
	retryAfter string
}

// concurrently sends n POSTs of JSON bodies at once, the i-th from
// address addr(i) (the fixture trusts 127.0.0.1 as a proxy), and returns
// what each got.
func concurrently(t *testing.T, f *fixture, n int, path string, body func(i int) any, addr func(i int) string) []answer {
	t.Helper()
	out := make([]answer, n)
	client := &http.Client{Timeout: 30 * time.Second}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b, err := json.Marshal(body(i))
			if err != nil {
				t.Error(err)
				return
			}
			req, err := http.NewRequestWithContext(t.Context(), "POST", f.ts.URL+path, bytes.NewReader(b))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", addr(i))
			<-start
			res, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			out[i] = answer{res.StatusCode, res.Header.Get("Retry-After")}
		})
	}
	close(start)
	wg.Wait()
	return out
}

// tally counts the answers by status, and fails unless every refused one
// (429, 503) says when to retry.
func tally(t *testing.T, answers []answer) map[int]int {
	t.Helper()
	n := map[int]int{}
	for _, a := range answers {
		n[a.status]++
		if a.status == 429 || a.status == 503 {
			if s, err := strconv.Atoi(a.retryAfter); err != nil || s <= 0 {
				t.Errorf("%d with Retry-After %q", a.status, a.retryAfter)
			}
		}
	}
	return n
}

var localProxy = netip.MustParsePrefix("127.0.0.1/32")

// TestConcurrentLogins checks that the login limits (5 attempts per
// account, 20 per address, within 15 minutes) hold when the attempts come
// at once: each is counted before its password is checked.
func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, slog.LevelInfo, 0, localProxy)
	wrong := func(user func(i int) string) func(i int) any {
		return func(i int) any { return map[string]string{"username": user(i), "password": "wrong-password-1"} }
	}
	t.Run("one account", func(t *testing.T) {
		got := tally(t, concurrently(t, f, 40, "/api/login", wrong(func(int) string { return "investment1" }),
			func(int) string { return "10.1.0.1" }))
		if got[401] != 5 || got[429] != 35 {
			t.Fatalf("40 wrong passwords for one account at once: %v, want 5 × 401 and 35 × 429", got)
		}
	})
	t.Run("one address", func(t *testing.T) {
		got := tally(t, concurrently(t, f, 40, "/api/login", wrong(func(i int) string { return fmt.Sprint("guess", i) }),
			func(int) string { return "10.1.0.2" }))
		if got[401] != 20 || got[429] != 20 {
			t.Fatalf("40 wrong passwords from one address at once: %v, want 20 × 401 and 20 × 429", got)
		}
	})
}

// TestUnlocksApartFromLogins checks that wrong share-link passwords and
// wrong logins from one address count apart, each with its own 429 and
// Retry-After: a firm guessing a link's password does not lock out a
// colleague's login behind the same address, nor the other way round.
func TestUnlocksApartFromLogins(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, slog.LevelInfo, 0, localProxy)
	var created struct{ URL string }
	decodeJSON(t, f.users[geo.RoleInvestment].do(t, "POST", "/api/shares", map[string]any{
		"title": "中粮考察", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 3, "password": "zl2026",
	}), &created)
	unlock := strings.TrimPrefix(created.URL, f.ts.URL) + "/unlock"
	const firm, office = "10.3.0.1", "10.3.0.2"
	got := tally(t, concurrently(t, f, 25, unlock, func(int) any { return map[string]string{"password": "wrong!"} },
		func(int) string { return firm }))
	if got[401] != 20 || got[429] != 5 {
		t.Fatalf("25 wrong link passwords: %v, want 20 × 401 and 5 × 429", got)
	}
	got = tally(t, concurrently(t, f, 25, "/api/login", func(i int) any {
		return map[string]string{"username": fmt.Sprint("guess", i), "password": "wrong-password-1"}
	}, func(int) string { return office }))
	if got[401] != 20 || got[429] != 5 {
		t.Fatalf("25 wrong logins: %v, want 20 × 401 and 5 × 429", got)
	}
	login := concurrently(t, f, 1, "/api/login", func(int) any { return map[string]string{"username": "viewer1", "password": testPassword} },
		func(int) string { return firm })
	if login[0].status != 200 {
		t.Fatalf("a login behind the firm's address: %d", login[0].status)
	}
	// The link's own limit is used up; another link opens from the
	// office's address.
	decodeJSON(t, f.users[geo.RoleInvestment].do(t, "POST", "/api/shares", map[string]any{
		"title": "中粮考察", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 3, "password": "zl2026",
	}), &created)
	other := strings.TrimPrefix(created.URL, f.ts.URL) + "/unlock"
	opened := concurrently(t, f, 1, other, func(int) any { return map[string]string{"password": "zl2026"} },
		func(int) string { return office })
	if opened[0].status != 204 {
		t.Fatalf("an unlock behind the office's address: %d", opened[0].status)
	}
}
