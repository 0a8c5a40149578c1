package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// dataFolder returns a new data folder for an embedded database, removed
// when the test ends.
func dataFolder(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "onemap-fault-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // reachable by the postgres user
		t.Fatal(err)
	}
	return filepath.Join(dir, "data")
}

// addUser runs "onemap user add" on data folder data, as an admin would
// on the server's machine, and returns the password it printed.
func addUser(t *testing.T, data, username, roles string) string {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(t.Context(), []string{"user", "add", "--data", data, "--username", username, "--name", username, "--roles", roles}, &out, &errs)
	if err != nil {
		t.Fatalf("onemap user add: %v\n%s", err, errs.String())
	}
	m := regexp.MustCompile(`password \(shown once\): (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password in %q", out.String())
	}
	return m[1]
}

// session is a signed-in client and its CSRF token.
type session struct {
	base string
	c    *http.Client
	csrf string
}

func signIn(t *testing.T, base, username, password string) *session {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	code, _, body, err := s.do(http.MethodPost, "/api/login", map[string]string{"username": username, "password": password})
	if err != nil || code != http.StatusOK {
		t.Fatalf("login %s: %d %s %v", username, code, body, err)
	}
	var info struct{ CSRF string }
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	s.csrf = info.CSRF
	return s
}

// do makes a request (body, if not nil, as JSON) and returns the answer.
func (s *session) do(method, path string, body any) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	res, err := s.c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

// tally counts the answers of requests made at once, and keeps the
// writes acknowledged.
type tally struct {
	mu            sync.Mutex
	answers       map[string]int // "what status" → how many
	bad           []string       // answers that break the rules
	users, tokens []string       // acknowledged writes
}

// note counts an answer to request what: a success adds key to acked
// (if not nil); an error, a 503 without Retry-After or any other failure
// is bad.
func (tl *tally) note(what string, code int, h http.Header, body []byte, err error, acked *[]string, key string) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.answers == nil {
		tl.answers = map[string]int{}
	}
	tl.answers[fmt.Sprintf("%s %d", what, code)]++
	switch {
	case err != nil:
		tl.bad = append(tl.bad, fmt.Sprintf("%s: %v", what, err))
	case code == http.StatusServiceUnavailable:
		if ra, err := strconv.Atoi(h.Get("Retry-After")); err != nil || ra <= 0 {
			tl.bad = append(tl.bad, fmt.Sprintf("%s: 503 with Retry-After %q", what, h.Get("Retry-After")))
		}
	case code >= 300:
		tl.bad = append(tl.bad, fmt.Sprintf("%s: %d %s", what, code, body))
	case acked != nil:
		*acked = append(*acked, key)
	}
}

// TestDatabaseKilledUnderLoad kills the embedded PostgreSQL with kill -9
// while users are created, API tokens made and tiles read. While it is
// down, answers are 503 with Retry-After, never 500; onemap starts it
// again and is ready within the bound; every write it acknowledged is
// there afterwards.
func TestDatabaseKilledUnderLoad(t *testing.T) {
	data := dataFolder(t)
	password := addUser(t, data, "admin", "admin")
	base := serve(t, Config{Data: data})
	admin := signIn(t, base, "admin", password)

	var (
		tl           tally
		stop         = make(chan struct{})
		wg           sync.WaitGroup
		tileX, tileY = tileAt(114.0, 33.58, 14)
	)
	load := func(do func(i int)) {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				do(i)
			}
		})
	}
	load(func(i int) {
		name := fmt.Sprintf("fault%d", i)
		code, h, body, err := admin.do(http.MethodPost, "/api/users", map[string]any{
			"username": name, "display_name": name, "password": "fault-test-2026", "roles": []string{"viewer"}})
		tl.note("create user", code, h, body, err, &tl.users, name)
	})
	load(func(i int) {
		name := fmt.Sprintf("fault token %d", i)
		code, h, body, err := admin.do(http.MethodPost, "/api/tokens", map[string]any{"name": name})
		tl.note("create token", code, h, body, err, &tl.tokens, name)
	})
	load(func(i int) {
		// A different tile each time: the tile cache is off anyway.
		code, h, body, err := admin.do(http.MethodGet, fmt.Sprintf("/tiles/projects/14/%d/%d.mvt", tileX+uint32(i%16), tileY), nil)
		tl.note("tile", code, h, body, err, nil, "")
	})

	time.Sleep(time.Second)
	tl.mu.Lock()
	usersN, tokensN := len(tl.users), len(tl.tokens)
	tl.mu.Unlock()
	pid := postmasterPID(t, data)
	if pid == 0 {
		t.Fatal("no postmaster.pid")
	}
	killed := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Ready again: a new postmaster runs (until the killed one's children
	// have gone, they may still answer) and /readyz says 200.
	var back time.Duration
	for {
		code, _, _, err := admin.do(http.MethodGet, "/readyz", nil)
		if now := postmasterPID(t, data); err == nil && code == http.StatusOK && now != 0 && now != pid {
			back = time.Since(killed)
			break
		}
		if time.Since(killed) > time.Minute {
			close(stop)
			wg.Wait()
			t.Fatalf("not ready a minute after kill -9 (%v %d)", err, code)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("ready %s after kill -9 of the postmaster", back.Round(time.Millisecond))
	// The load goes on until writes of both kinds succeed again.
	tl.mu.Lock()
	usersR, tokensR := len(tl.users), len(tl.tokens)
	tl.mu.Unlock()
	for again := false; !again; {
		time.Sleep(100 * time.Millisecond)
		tl.mu.Lock()
		again = len(tl.users) > usersR && len(tl.tokens) > tokensR
		tl.mu.Unlock()
		if !again && time.Since(killed) > time.Minute {
			t.Error("no write succeeded after ready")
			break
		}
	}
	close(stop)
	wg.Wait()

	t.Logf("answers: %v; acknowledged before the kill: %d users, %d tokens; in all: %d users, %d tokens",
		tl.answers, usersN, tokensN, len(tl.users), len(tl.tokens))
	if len(tl.bad) > 0 {
		t.Errorf("%d answers broke the rules, e.g. %s", len(tl.bad), strings.Join(tl.bad[:min(len(tl.bad), 10)], "; "))
	}
	if tl.answers["create user 503"]+tl.answers["create token 503"]+tl.answers["tile 503"] == 0 {
		t.Error("no request met the outage")
	}
	if usersN == 0 || tokensN == 0 {
		t.Errorf("%d users and %d tokens acknowledged before the kill; want some of each", usersN, tokensN)
	}
	// The target is 10 s; a loaded test machine gets a wider bound.
	if back > 30*time.Second {
		t.Errorf("ready %s after the kill; want within 10 s", back)
	}

	// Afterwards every request works at once, and every acknowledged
	// write is there.
	code, _, body, err := admin.do(http.MethodGet, "/api/users", nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("users: %d %s %v", code, body, err)
	}
	var ul struct{ Users []struct{ Username string } }
	if err := json.Unmarshal(body, &ul); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, u := range ul.Users {
		have[u.Username] = true
	}
	for _, u := range tl.users {
		if !have[u] {
			t.Errorf("acknowledged user %s lost", u)
		}
	}
	code, _, body, err = admin.do(http.MethodGet, "/api/tokens", nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("tokens: %d %s %v", code, body, err)
	}
	var tks struct{ Tokens []struct{ Name string } }
	if err := json.Unmarshal(body, &tks); err != nil {
		t.Fatal(err)
	}
	for _, name := range tl.tokens {
		if !slices.ContainsFunc(tks.Tokens, func(tk struct{ Name string }) bool { return tk.Name == name }) {
			t.Errorf("acknowledged token %q lost", name)
		}
	}
}

// postmasterPID returns the pid in the postmaster.pid of the embedded
// PostgreSQL on data folder data; 0 if there is none (or it is being
// written).
func postmasterPID(t *testing.T, data string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "pg", "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		return 0
	}
	return pid
}

// TestCommandsNextToServer runs "onemap user add", "user list" and
// "migrate" on the data folder of a running server, as its admin would:
// they use the server's database, and the server stays ready throughout.
func TestCommandsNextToServer(t *testing.T) {
	data := dataFolder(t)
	base := serve(t, Config{Data: data})
	pid := postmasterPID(t, data)
	if pid == 0 {
		t.Fatal("no postmaster.pid")
	}

	ctx, stop := context.WithCancel(t.Context())
	var notReady []string
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		c := &http.Client{Timeout: 10 * time.Second}
		for ctx.Err() == nil {
			res, err := c.Get(base + "/readyz")
			if err != nil {
				notReady = append(notReady, err.Error())
			} else {
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					notReady = append(notReady, res.Status)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	password := addUser(t, data, "neighbour", "viewer")
	var out, errs bytes.Buffer
	if err := run(t.Context(), []string{"user", "list", "--data", data}, &out, &errs); err != nil {
		t.Fatalf("user list: %v\n%s", err, errs.String())
	}
	if !strings.Contains(out.String(), "neighbour") {
		t.Errorf("user list: %s", out.String())
	}
	if err := run(t.Context(), []string{"migrate", "--data", data}, &out, &errs); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errs.String())
	}
	// Give a stopped database time to show.
	time.Sleep(time.Second)
	stop()
	<-polled
	if len(notReady) > 0 {
		t.Errorf("not ready %d times, e.g. %s", len(notReady), strings.Join(notReady[:min(len(notReady), 5)], "; "))
	}
	if got := postmasterPID(t, data); got != pid {
		t.Errorf("postmaster %d, was %d", got, pid)
	}
	// The new account is in the server's database.
	s := signIn(t, base, "neighbour", password)
	if code, _, body, err := s.do(http.MethodGet, "/api/session", nil); err != nil || code != http.StatusOK || !strings.Contains(string(body), "neighbour") {
		t.Fatalf("session: %d %s %v", code, body, err)
	}
}
