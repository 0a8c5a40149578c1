package api_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

// TestMethodsNotRouted sends every route's path every method it does not
// take, anonymously: 405 with an Allow header naming the methods it does
// take (or 404 from the web app for GET and HEAD), never 403, and nothing
// logged above debug level, since anyone can send these.
func TestMethodsNotRouted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	routes := f.api.Routes()
	taken := map[string][]string{} // path pattern → methods
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		taken[path] = append(taken[path], method)
	}
	before := len(f.logs.String())
	for pattern, methods := range taken {
		var sample string
		for _, m := range methods {
			if ep, ok := endpoints[m+" "+pattern]; ok {
				sample = ep.path
			}
		}
		if sample == "" {
			t.Errorf("no sample request for %s", pattern)
			continue
		}
		slices.Sort(methods)
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"} {
			if slices.Contains(methods, m) {
				continue
			}
			t.Run(m+" "+pattern, func(t *testing.T) {
				res := f.newClient(t).do(t, m, sample, nil)
				res.Body.Close()
				// GET and HEAD of a path without them go to the web app,
				// which has no such page.
				if (m == "GET" || m == "HEAD") && res.StatusCode == http.StatusNotFound {
					return
				}
				if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != strings.Join(methods, ", ") {
					t.Fatalf("%s %s: %d, Allow %q; want 405, Allow %q", m, sample, res.StatusCode, res.Header.Get("Allow"), strings.Join(methods, ", "))
				}
			})
		}
	}
	t.Run("unknown paths", func(t *testing.T) {
		for _, p := range []string{"/no/such/page", "/api/nothing", "/fonts"} {
			res := f.newClient(t).do(t, "GET", p, nil)
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})
	logs := f.logs.String()[before:]
	for line := range strings.Lines(logs) {
		if !strings.Contains(line, "level=DEBUG") {
			t.Errorf("logged above debug level: %s", line)
		}
	}
	if !strings.Contains(logs, "status=405") {
		t.Error("the 405 answers were not logged at debug level")
	}
}

// TestHeadAnswersLikeGet: HEAD of every GET route answers as GET would,
// without the body.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	for _, c := range []struct {
		name string
		who  *client
		path string
		hdr  []string
	}{
		{"health", f.newClient(t), "/healthz", nil},
		{"readiness", f.newClient(t), "/readyz", nil},
		{"the web app", f.newClient(t), "/", nil},
		{"the style", f.newClient(t), "/style.json", nil},
		{"the city and its lists", f.newClient(t), "/api/meta", nil},
		{"a tile", admin, "/tiles/projects" + tileZ10, []string{"Accept-Encoding", "gzip"}},
		{"a tile, plain", admin, "/tiles/projects" + tileZ10, []string{"Accept-Encoding", "identity"}},
		{"the layers", admin, "/tiles", nil},
		{"a missing page", f.newClient(t), "/no/such/page", nil},
		{"a route for signed-in users only", f.newClient(t), "/tiles", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			get := c.who.do(t, "GET", c.path, nil, c.hdr...)
			body, err := io.ReadAll(get.Body)
			if err != nil {
				t.Fatal(err)
			}
			head := c.who.do(t, "HEAD", c.path, nil, c.hdr...)
			hb, err := io.ReadAll(head.Body)
			if err != nil {
				t.Fatal(err)
			}
			if head.StatusCode != get.StatusCode || len(hb) != 0 {
				t.Fatalf("HEAD: %d with %d bytes; GET: %d", head.StatusCode, len(hb), get.StatusCode)
			}
			if get.StatusCode != http.StatusOK {
				return
			}
			for _, h := range []string{"Content-Type", "Content-Encoding", "Cache-Control", "Etag", "Content-Security-Policy"} {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("%s: HEAD %q, GET %q", h, head.Header.Get(h), get.Header.Get(h))
				}
			}
			if cl := get.Header.Get("Content-Length"); cl != "" && head.Header.Get("Content-Length") != cl {
				t.Errorf("Content-Length: HEAD %q, GET %q (%d bytes)", head.Header.Get("Content-Length"), cl, len(body))
			}
		})
	}
}
