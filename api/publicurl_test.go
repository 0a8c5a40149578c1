package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luohe/onemap/api"
	"github.com/luohe/onemap/geo"
)

// forged sends a request to the fixture's server as c, naming host in its
// Host header, and returns the status, the headers and the body.
func (c *client) forged(t *testing.T, host, method, path string, body any, hdr ...string) (int, http.Header, string) {
	t.Helper()
	req := c.request(t, method, path, body, hdr...)
	req.Host = host
	// The session goes by hand: the client's jar would follow the Host.
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

// TestForgedHost: without a public URL the absolute URLs of the style,
// the layer list, TileJSON and a new share link follow the request's
// Host, so those answers are for the client alone: no shared cache may
// keep one (Cache-Control: private) and hand a forged Host's URLs to
// others. The scheme is http or https, whatever X-Forwarded-Proto says.
func TestForgedHost(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct {
		name, method, path string
		who                *client
		body               any
	}{
		{"the style", "GET", "/style.json", f.newClient(t), nil},
		{"the layer list", "GET", "/tiles", f.users[geo.RoleViewer], nil},
		{"TileJSON", "GET", "/tiles/projects.json", f.users[geo.RoleViewer], nil},
		{"a share link", "POST", "/api/shares", f.users[geo.RoleInvestment], map[string]any{
			"title": "考察地块", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 7}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, h, body := c.who.forged(t, "evil.example", c.method, c.path, c.body, "X-Forwarded-Proto", "javascript")
			if status >= 300 || !strings.Contains(body, "http://evil.example/") {
				t.Fatalf("%d %s", status, body)
			}
			if cc := h.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Fatalf("Cache-Control %q: a shared cache may keep URLs of a forged Host", cc)
			}
			if strings.Contains(body, "javascript") {
				t.Fatalf("the scheme came from X-Forwarded-Proto: %s", body)
			}
		})
	}
}

// TestStyleWithPublicURL: with a public URL the style's URLs start with
// it, whatever Host the request names.
func TestStyleWithPublicURL(t *testing.T) {
	t.Parallel()
	s, err := api.New(api.Config{
		Style:     []byte(`{"version":8,"glyphs":"{origin}/fonts/{fontstack}/{range}.pbf","sources":{"p":{"type":"vector","tiles":["{origin}/tiles/projects/{z}/{x}/{y}.mvt"]}},"layers":[]}`),
		PublicURL: "https://map.example.gov.cn",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	req, err := http.NewRequestWithContext(t.Context(), "GET", ts.URL+"/style.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "evil.example"
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var style struct {
		Glyphs  string
		Sources map[string]struct{ Tiles []string }
	}
	if err := json.NewDecoder(res.Body).Decode(&style); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || style.Glyphs != "https://map.example.gov.cn/fonts/{fontstack}/{range}.pbf" ||
		style.Sources["p"].Tiles[0] != "https://map.example.gov.cn/tiles/projects/{z}/{x}/{y}.mvt" {
		t.Fatalf("%d %+v", res.StatusCode, style)
	}
}
