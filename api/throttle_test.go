package api_test

import (
	"bytes"
	"encoding/base64"
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

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
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

// patient has every password check wait for its slot, however slow the
// machine: the tests of the limits count no busy answers.
var patient = access.Settings{HashWait: time.Minute}

// TestConcurrentLogins checks that the login limits (5 attempts per
// account, 20 per address, within 15 minutes) hold when the attempts come
// at once: each is counted before its password is checked.
func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	f := newFixtureAccess(t, slog.LevelInfo, 0, patient, localProxy)
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

// slowHash is an argon2id hash that takes long to check (40 passes, not
// 2) and matches no password.
func slowHash() string {
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=40,p=1$%s$%s", 19*1024, enc.EncodeToString(make([]byte, 16)), enc.EncodeToString(make([]byte, 32)))
}

// TestHashSlots checks that password checks beyond the slots for them
// are refused, with a Retry-After, rather than queued without bound, and
// that a refused attempt does not count as a failure.
func TestHashSlots(t *testing.T) {
	t.Parallel()
	f := newFixtureAccess(t, slog.LevelInfo, 0, access.Settings{Hashes: 1, HashWait: 50 * time.Millisecond}, localProxy)
	if _, err := f.db.CreateUser(t.Context(), geo.Principal{Username: "test"},
		access.User{Username: "slow", DisplayName: "慢", Roles: []geo.Role{geo.RoleViewer}}, slowHash()); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	got := tally(t, concurrently(t, f, 4, "/api/login", func(int) any { return map[string]string{"username": "slow", "password": "wrong-password-1"} },
		func(i int) string { return fmt.Sprint("10.2.0.", i) }))
	if got[401] != 1 || got[503] != 3 {
		t.Fatalf("4 slow checks at once with one slot: %v, want 1 × 401 and 3 × 503", got)
	}
	if d := time.Since(began); d > 20*time.Second {
		t.Fatalf("the logins took %v", d)
	}
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var failures int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM login_failures WHERE username = 'slow'").Scan(&failures); err != nil {
		t.Fatal(err)
	}
	if failures != 1 {
		t.Fatalf("%d failures recorded, want 1", failures)
	}
}

// TestUnlocksApartFromLogins checks that wrong share-link passwords and
// wrong logins from one address count apart, each with its own 429 and
// Retry-After: a firm guessing a link's password does not lock out a
// colleague's login behind the same address, nor the other way round.
func TestUnlocksApartFromLogins(t *testing.T) {
	t.Parallel()
	f := newFixtureAccess(t, slog.LevelInfo, 0, patient, localProxy)
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
