package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// send sends body as it is, with a content type (none if empty), the
// session's CSRF token and the headers hdr (name, value, …).
func (c *client) send(t *testing.T, method, path, contentType string, body []byte, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, c.f.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestBadTextRefused sends a NUL character (as the JSON escape \u0000,
// which encoding/json decodes into the string) and bytes that are not
// UTF-8 (which encoding/json would silently turn into U+FFFD) in every
// text field that reaches PostgreSQL: each is a 400 "bad_text" at the
// edge, before any rule or query (the NUL was a 500, then a database
// error; the bad bytes were stored as U+FFFD).
func TestBadTextRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	anon := f.newClient(t)
	cases := []struct {
		name         string
		role         geo.Role // "": anonymous
		method, path string
		body         string // BAD stands for the bad text
		good         bool   // without BAD, the request succeeds
	}{
		{"login username", "", "POST", "/api/login", `{"username":"admBADin1","password":"luohe2026test"}`, true},
		{"project name", geo.RoleAdmin, "PATCH", "/api/projects/1", `{"properties":{"name":"漯河BAD"}}`, true},
		{"project responsible_unit", geo.RoleAdmin, "PATCH", "/api/projects/1", `{"properties":{"responsible_unit":"市发展改革委BAD"}}`, true},
		{"project withdrawn_reason", geo.RoleAdmin, "PATCH", "/api/projects/2", `{"properties":{"stage":"withdrawn","withdrawn_reason":"并入BAD"}}`, true},
		{"progress_note", geo.RoleAdmin, "PUT", "/api/projects/1/progress/2026-03", `{"planned":"1","invested":"1","progress_note":"主体完工BAD"}`, true},
		{"new user display_name", geo.RoleAdmin, "POST", "/api/users", `{"username":"newuser","display_name":"张BAD","password":"luohe2026test","roles":["viewer"]}`, true},
		{"user display_name", geo.RoleAdmin, "PATCH", "/api/users/1", `{"display_name":"张BAD"}`, true},
		{"user role", geo.RoleAdmin, "PATCH", "/api/users/1", `{"roles":["adminBAD"]}`, true},
		{"token name", geo.RoleAdmin, "POST", "/api/tokens", `{"name":"导入BAD"}`, true},
		{"share title", geo.RoleInvestment, "POST", "/api/shares", `{"title":"考察BAD","parcel_ids":[1],"fields":["code"],"expires_in_days":7}`, true},
		{"share field", geo.RoleInvestment, "POST", "/api/shares", `{"title":"考察","parcel_ids":[1],"fields":["codeBAD"],"expires_in_days":7}`, true},
		{"password", geo.RoleAdmin, "PUT", "/api/me/password", `{"current":"luohe2026test","password":"luohe2026BADnew"}`, false},
		{"a key", geo.RoleAdmin, "POST", "/api/tokens", `{"nameBAD":"导入"}`, true},
	}
	send := func(t *testing.T, role geo.Role, method, path, body string) *http.Response {
		cl := anon
		if role != "" {
			cl = f.users[role]
		}
		var hdr []string
		if method == "PATCH" && strings.HasPrefix(path, "/api/projects/") {
			hdr = []string{"If-Match", f.etag(t, path)}
		}
		return cl.send(t, method, path, "application/json", []byte(body), hdr...)
	}
	for _, bad := range []struct{ name, json string }{{"NUL", `\u0000`}, {"not UTF-8", "\xff\xfe"}, {"cut UTF-8", "\xe6\xbc"}} {
		for _, c := range cases {
			t.Run(bad.name+" in "+c.name, func(t *testing.T) {
				res := send(t, c.role, c.method, c.path, strings.ReplaceAll(c.body, "BAD", bad.json))
				if res.StatusCode != 400 || errorCode(t, res) != "bad_text" {
					t.Fatalf("%d, want 400 bad_text", res.StatusCode)
				}
			})
		}
	}
	for _, q := range []string{"user=admin%00", "table=projects%00", "user=%FF", "table=%E6%BC", "us%00er=admin"} {
		t.Run("audit "+q, func(t *testing.T) {
			res := f.get(t, "/api/audit?"+q)
			if res.StatusCode != 400 || errorCode(t, res) != "bad_text" {
				t.Fatalf("%d, want 400 bad_text", res.StatusCode)
			}
		})
	}
	// The bodies are otherwise right: without the bad text they pass.
	for _, c := range cases {
		if c.good {
			if res := send(t, c.role, c.method, c.path, strings.ReplaceAll(c.body, "BAD", "")); res.StatusCode >= 300 {
				t.Errorf("%s with good text: %d %s", c.name, res.StatusCode, errorCode(t, res))
			}
		}
	}
	for _, q := range []string{"user=admin1", "table=projects"} {
		if res := f.get(t, "/api/audit?"+q); res.StatusCode != 200 {
			t.Errorf("audit %s: %d", q, res.StatusCode)
		}
	}
}

// TestShareOpenUserAgentCleaned opens a share link with a User-Agent that
// is not UTF-8: the link opens, and the opening is recorded with the
// header cleaned (headers that are only kept are cleaned, not refused).
func TestShareOpenUserAgentCleaned(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	var created struct {
		Share struct{ ID int }
		URL   string `json:"url"`
	}
	decodeJSON(t, inv.do(t, "POST", "/api/shares", map[string]any{
		"title": "考察", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 7,
	}), &created)
	path := strings.TrimPrefix(created.URL, f.ts.URL)
	if res := f.newClient(t).do(t, "GET", path+"/info", nil, "User-Agent", "Mozilla/5.0 \xff\xfe微信"); res.StatusCode != 200 {
		t.Fatalf("open: %d", res.StatusCode)
	}
	var opens struct {
		Opens []struct {
			UserAgent string `json:"user_agent"`
		}
	}
	decodeJSON(t, inv.do(t, "GET", "/api/shares/"+itoa(created.Share.ID)+"/opens", nil), &opens)
	if len(opens.Opens) != 1 || opens.Opens[0].UserAgent != "Mozilla/5.0 微信" || !utf8.ValidString(opens.Opens[0].UserAgent) {
		t.Fatalf("opens %+v", opens)
	}
}

// TestStrictBinding checks that JSON bodies bind strictly: object keys
// name fields exactly (encoding/json matches them case-insensitively, so
// "Version" was taken as "version"), no key twice (the last one won), and
// the content type is JSON's, parsed strictly ("application/json;;;" was
// taken).
func TestStrictBinding(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.users[geo.RoleAdmin]
	for _, c := range []struct {
		name, contentType, body string
		code                    string // "": accepted
	}{
		{"exact keys", "application/json", `{"properties":{"name":"漯河食品产业园"}}`, ""},
		{"charset utf-8", "application/json; charset=utf-8", `{"properties":{"name":"漯河食品产业园"}}`, ""},
		{"charset UTF-8 in capitals", "Application/JSON; Charset=UTF-8", `{"properties":{"name":"漯河食品产业园"}}`, ""},
		{"a key in capitals", "application/json", `{"Properties":{"name":"x"}}`, "bad_json"},
		{"a key in other case", "application/json", `{"properties":{"name":"x"},"TYPE":"Feature"}`, "bad_json"},
		{"a key given twice", "application/json", `{"properties":{"name":"a","name":"b"}}`, "bad_json"},
		{"a key twice in other case", "application/json", `{"properties":{"name":"a"},"Properties":{"name":"b"}}`, "bad_json"},
		{"unknown key", "application/json", `{"properties":{"name":"x"},"colour":"red"}`, "bad_json"},
		{"trailing data", "application/json", `{"properties":{"name":"x"}}{}`, "bad_json"},
		{"empty parameters", "application/json;;;", `{"properties":{"name":"x"}}`, "bad_content_type"},
		{"a malformed parameter", "application/json; charset", `{"properties":{"name":"x"}}`, "bad_content_type"},
		{"another charset", "application/json; charset=gbk", `{"properties":{"name":"x"}}`, "bad_content_type"},
		{"another parameter", "application/json; v=2", `{"properties":{"name":"x"}}`, "bad_content_type"},
		{"another type", "text/json", `{"properties":{"name":"x"}}`, "bad_content_type"},
		{"no type", "", `{"properties":{"name":"x"}}`, "bad_content_type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := admin.send(t, "PATCH", "/api/projects/1", c.contentType, []byte(c.body), "If-Match", f.etag(t, "/api/projects/1"))
			if c.code == "" {
				if res.StatusCode != 200 {
					t.Fatalf("%d %s, want 200", res.StatusCode, errorCode(t, res))
				}
				return
			}
			if res.StatusCode != 400 || errorCode(t, res) != c.code {
				t.Fatalf("%d, want 400 %s", res.StatusCode, c.code)
			}
		})
	}
}

// TestNumbersOutOfRange sends numbers that do not fit their columns and
// ids that do not parse strictly: each is a 400 (a district id of 32768 or
// more, beyond the column's smallint, was a 500).
func TestNumbersOutOfRange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, inv := f.users[geo.RoleAdmin], f.users[geo.RoleInvestment]
	newUser := func(district string) string {
		return `{"username":"county","display_name":"县区","password":"luohe2026test","roles":["district"],"district_id":` + district + `}`
	}
	share := func(key, ids string) string {
		return `{"title":"考察","` + key + `":` + ids + `,"fields":["code"],"expires_in_days":7}`
	}
	for _, c := range []struct {
		name         string
		cl           *client
		method, path string
		body         string
		code         string
	}{
		{"new user in district 32768", admin, "POST", "/api/users", newUser("32768"), "unknown_district"},
		{"new user in district 2^63-1", admin, "POST", "/api/users", newUser("9223372036854775807"), "unknown_district"},
		{"new user in a district that does not exist", admin, "POST", "/api/users", newUser("99"), "unknown_district"},
		{"new user in district -1", admin, "POST", "/api/users", newUser("-1"), "unknown_district"},
		{"new user in district 2^63", admin, "POST", "/api/users", newUser("9223372036854775808"), "bad_json"},
		{"user moved to district 40000", admin, "PATCH", "/api/users/5", `{"district_id":40000}`, "unknown_district"},
		{"user moved to a district that does not exist", admin, "PATCH", "/api/users/5", `{"district_id":99}`, "unknown_district"},
		{"share of park 2^63-1", inv, "POST", "/api/shares", share("park_ids", "[9223372036854775807]"), "unknown_feature"},
		{"share of park 2^31", inv, "POST", "/api/shares", share("park_ids", "[1,2147483648]"), "unknown_feature"},
		{"share of parcel 2^63-1", inv, "POST", "/api/shares", share("parcel_ids", "[9223372036854775807]"), "unknown_feature"},
		{"share of parcel 0", inv, "POST", "/api/shares", share("parcel_ids", "[0]"), "unknown_feature"},
		{"share of parcel -1", inv, "POST", "/api/shares", share("parcel_ids", "[-1]"), "unknown_feature"},
		{"share of parcel 1.5", inv, "POST", "/api/shares", share("parcel_ids", "[1.5]"), "bad_json"},
		{"user 01", admin, "PATCH", "/api/users/01", `{"display_name":"张"}`, "bad_id"},
		{"user 2^31", admin, "PUT", "/api/users/2147483648/password", `{"password":"luohe2026test"}`, "bad_id"},
		{"project +1", admin, "GET", "/api/projects/+1", "", "bad_id"},
		{"project 1.0", admin, "PATCH", "/api/projects/1.0", `{"properties":{}}`, "bad_id"},
		{"progress of project 0", admin, "PUT", "/api/projects/0/progress/2026-03", `{"planned":"1","invested":"1"}`, "bad_id"},
		{"token 1e3", admin, "DELETE", "/api/tokens/1e3", "", "bad_id"},
		{"share 01", inv, "DELETE", "/api/shares/01", "", "bad_id"},
		{"openings of share -1", inv, "GET", "/api/shares/-1/opens", "", "bad_id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := "application/json"
			if c.body == "" {
				ct = ""
			}
			res := c.cl.send(t, c.method, c.path, ct, []byte(c.body))
			if res.StatusCode != 400 || errorCode(t, res) != c.code {
				t.Fatalf("%d, want 400 %s", res.StatusCode, c.code)
			}
		})
	}
	if res := admin.send(t, "PATCH", "/api/users/5", "application/json", []byte(`{"district_id":2}`)); res.StatusCode != 200 {
		t.Fatalf("a district that exists: %d %s", res.StatusCode, errorCode(t, res))
	}
}
