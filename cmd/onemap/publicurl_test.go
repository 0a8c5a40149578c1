package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestPublicURLFlag(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"https://map.example.gov.cn", "https://map.example.gov.cn"},
		{"https://Map.Example.gov.cn/", "https://map.example.gov.cn"},
		{"HTTP://10.0.0.5:8080", "http://10.0.0.5:8080"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"", ""},
		{"map.example.gov.cn", "error"},
		{"ftp://map.example.gov.cn", "error"},
		{"https://", "error"},
		{"https://map.example.gov.cn/onemap", "error"},
		{"https://map.example.gov.cn/?a=1", "error"},
		{"https://map.example.gov.cn/#top", "error"},
		{"https://user:pw@map.example.gov.cn", "error"},
		{"https://map.example.gov.cn:port", "error"},
		{`https://map"example`, "error"},
		{"https://onemap_web:8080", "https://onemap_web:8080"},
		{"https://map example", "error"},
		{"https://漯河.政务", "https://漯河.政务"},
	} {
		t.Run(c.value, func(t *testing.T) {
			t.Setenv("ONEMAP_PUBLIC_URL", c.value)
			var cfg Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg.dbFlags(fs)
			cfg.serveFlags(fs)
			err := cfg.parse(fs, nil)
			switch {
			case c.want == "error" && err == nil:
				t.Fatalf("accepted as %q", cfg.PublicURL)
			case c.want != "error" && (err != nil || cfg.PublicURL != c.want):
				t.Fatalf("%q, %v; want %q", cfg.PublicURL, err, c.want)
			}
		})
	}
}

// TestPublicURL: with --public-url, the style, the layer list, TileJSON
// and a new share link point there, whatever Host a request names.
func TestPublicURL(t *testing.T) {
	t.Parallel()
	db := demoURL(t)
	const public = "https://map.example.gov.cn"
	base := serve(t, Config{DatabaseURL: db, CacheMB: 8, PublicURL: public})
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var parcel int
	if err := conn.QueryRow(t.Context(), "SELECT id FROM parcels ORDER BY id LIMIT 1").Scan(&parcel); err != nil {
		t.Fatal(err)
	}

	// The investment demo account, signed in; its session and CSRF token
	// go by hand, since a cookie jar would follow the forged Host.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"username": "invest", "password": "luohe-invest-2026"})
	res, err := (&http.Client{Jar: jar}).Post(base+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ CSRF string }
	if err := json.NewDecoder(res.Body).Decode(&session); err != nil || res.StatusCode != 200 {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name, method, path, body string
	}{
		{"the style", "GET", "/style.json", ""},
		{"the layer list", "GET", "/tiles", ""},
		{"TileJSON", "GET", "/tiles/parcels.json", ""},
		{"a share link", "POST", "/api/shares", `{"title":"考察地块","parcel_ids":[` + itoa(parcel) + `],"fields":["code"],"expires_in_days":7}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), c.method, base+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "evil.example"
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", session.CSRF)
			for _, ck := range jar.Cookies(u) {
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
			if res.StatusCode >= 300 || strings.Contains(string(b), "evil") || !strings.Contains(string(b), public+"/") {
				t.Fatalf("%d %s", res.StatusCode, b)
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
