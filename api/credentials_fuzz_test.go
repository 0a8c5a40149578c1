package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

// FuzzCredentials sends what a client may put where onemap reads its
// credentials: the Authorization header (an API token), the session
// cookie and a share link's token in the path. Each answer is a
// client's: the session asks with 200 (authenticated only with the one
// real API token) or 401, the share link answers 200 only for its real
// token, else 404 or 400; never a 5xx.
func FuzzCredentials(f *testing.F) {
	fx := newFixtureWith(f, slog.LevelWarn, 0)
	inv := fx.users[geo.RoleInvestment]
	var token struct{ Token string }
	decodeTokenOrFail(f, inv.do(f, "POST", "/api/tokens", map[string]any{"name": "fuzz"}), &token)
	var share struct{ URL string }
	decodeTokenOrFail(f, inv.do(f, "POST", "/api/shares", map[string]any{
		"title": "考察", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 7,
	}), &share)
	shareToken := strings.TrimPrefix(share.URL, fx.ts.URL+"/s/")
	for _, s := range [][3]string{
		{"Bearer " + token.Token, "", shareToken},
		{"Bearer om_", "", "sh_"},
		{"bearer " + token.Token, "x", "sh_x/tiles"},
		{"Basic YWRtaW46YWRtaW4=", "\x00", "sh_\x00"},
		{"Bearer  " + token.Token, strings.Repeat("a", 300), strings.Repeat("sh_", 50)},
		{"", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	serve := func(t *testing.T, path, authorization, cookie string) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		if cookie != "" {
			req.Header.Set("Cookie", "onemap_session="+cookie)
		}
		rec := httptest.NewRecorder()
		fx.api.ServeHTTP(rec, req)
		return rec
	}
	f.Fuzz(func(t *testing.T, authorization, cookie, shareTok string) {
		rec := serve(t, "/api/session", authorization, cookie)
		real := authorization == "Bearer "+token.Token
		switch rec.Code {
		case 200:
			var info struct{ Authenticated bool }
			if err := json.Unmarshal(rec.Body.Bytes(), &info); err != nil {
				t.Fatal(err)
			}
			if info.Authenticated != real {
				t.Fatalf("Authorization %q, cookie %q: authenticated %v", authorization, cookie, info.Authenticated)
			}
		case 401:
			if real {
				t.Fatalf("the real token with cookie %q: 401", cookie)
			}
		default:
			t.Fatalf("Authorization %q, cookie %q: %d %s", authorization, cookie, rec.Code, rec.Body)
		}
		rec = serve(t, "/s/"+url.PathEscape(shareTok)+"/info", "", "")
		if want := shareTok == shareToken; want != (rec.Code == 200) || rec.Code != 200 && rec.Code != 404 && rec.Code != 400 {
			t.Fatalf("share token %q: %d %s", shareTok, rec.Code, rec.Body)
		}
	})
}

func decodeTokenOrFail(t testing.TB, res *http.Response, v any) {
	t.Helper()
	if res.StatusCode != 201 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
