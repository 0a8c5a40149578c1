package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// TestRevocationHoldsOnAnswer checks that a role an admin removes is gone
// once the admin's change is answered, on the server that made it, for
// the user's session and API token alike, though the server keeps
// checked credentials in memory (as onemap serve does, for 30 s): again
// and again, while other requests of the user keep coming.
func TestRevocationHoldsOnAnswer(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, slog.LevelInfo, 30*time.Second)
	admin := f.users[geo.RoleAdmin]
	var u struct{ ID int }
	res := admin.do(t, "POST", "/api/users", map[string]any{"username": "flip", "display_name": "反复", "password": testPassword, "roles": []string{"admin"}})
	decodeJSON(t, res, &u)
	if res.StatusCode != 201 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	flip := f.login(t, "flip", testPassword)
	var tok struct{ Token string }
	decodeJSON(t, flip.do(t, "POST", "/api/tokens", map[string]any{"name": "同步"}), &tok)
	bearer := f.newClient(t)
	roles := func(r string) {
		t.Helper()
		if res := admin.do(t, "PATCH", "/api/users/"+itoa(u.ID), map[string]any{"roles": []string{r}}); res.StatusCode != 200 {
			t.Fatalf("roles %s: %d", r, res.StatusCode)
		}
	}
	users := func(c *client, hdr ...string) int { return c.do(t, "GET", "/api/users", nil, hdr...).StatusCode }
	auth := []string{"Authorization", "Bearer " + tok.Token}

	// phase is odd while the role is removed and the removal answered.
	var phase atomic.Int64
	var leaks atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopped := sync.OnceFunc(func() {
		close(stop)
		wg.Wait()
	})
	defer stopped()
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				p := phase.Load()
				req, err := http.NewRequestWithContext(t.Context(), "GET", f.ts.URL+"/api/users", nil)
				if err != nil {
					t.Error(err)
					return
				}
				res, err := flip.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if p%2 == 1 && phase.Load() == p && res.StatusCode == 200 {
					leaks.Add(1)
				}
			}
		})
	}
	for i := range 30 {
		roles("admin")
		if s, b := users(flip), users(bearer, auth...); s != 200 || b != 200 {
			t.Fatalf("round %d, admin: session %d, token %d", i, s, b)
		}
		roles("viewer")
		phase.Add(1)
		if s, b := users(flip), users(bearer, auth...); s != 403 || b != 401 {
			t.Fatalf("round %d, after the role was removed: session %d, token %d", i, s, b)
		}
		phase.Add(1)
	}
	stopped()
	if n := leaks.Load(); n > 0 {
		t.Fatalf("%d requests passed after the role's removal was answered", n)
	}
}
