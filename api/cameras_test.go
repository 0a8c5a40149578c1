package api_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// pngOf encodes a w × h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sendRaw sends body with its content type as c.
func sendRaw(t *testing.T, c *client, method, path, contentType string, body []byte, hdr ...string) *http.Response {
	t.Helper()
	req := c.request(t, method, path, nil, hdr...)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

type cameraAnswer struct {
	ID     geo.ID `json:"id"`
	Name   string
	Kind   string
	URL    string
	HLS    bool
	Latest *struct {
		ID          geo.ID `json:"id"`
		ContentType string `json:"content_type"`
		Width       int
		Size        int
	}
}

// TestCameraInput: each rule of a camera's input refused with its code,
// naming the field, in Chinese; a good camera added, an .m3u8 link marked
// as HLS; a project of another district is not the district user's.
func TestCameraInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	good := map[string]string{"name": "1号扬尘监测点", "kind": "dust", "url": "https://cam.example.cn/live/1.m3u8"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for _, tc := range []struct {
		name, code, field string
		body              any
	}{
		{"name missing", "required", "name", with("name", "  ")},
		{"name too long", "too_long", "name", with("name", strings.Repeat("摄", 101))},
		{"name with a control character", "bad_text", "name", with("name", "a\u0007b")},
		{"name with NUL", "bad_text", "", with("name", "a\u0000b")},
		{"kind unknown", "bad_kind", "kind", with("kind", "drone")},
		{"url missing", "required", "url", with("url", "")},
		{"javascript url", "bad_scheme", "url", with("url", "javascript:alert(1)")},
		{"data url", "bad_scheme", "url", with("url", "data:text/html,<script>alert(1)</script>")},
		{"ftp url", "bad_scheme", "url", with("url", "ftp://cam.example.cn/1")},
		{"relative url", "bad_scheme", "url", with("url", "/live/1.m3u8")},
		{"url without host", "bad_url", "url", with("url", "http:///live")},
		{"url with blanks", "bad_url", "url", with("url", "http://cam.example.cn/a b")},
		{"url with a password", "url_credentials", "url", with("url", "rtsp://admin:123456@10.0.0.8/stream")},
		{"url too long", "too_long", "url", with("url", "https://cam.example.cn/"+strings.Repeat("a", 2048))},
		{"unknown field", "bad_json", "", map[string]string{"name": "x", "kind": "dust", "url": "http://a.cn", "token": "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := district.do(t, "POST", "/api/projects/1/cameras", tc.body)
			e := errorOf(t, res)
			if res.StatusCode != 400 || e.Code != tc.code || (tc.field != "" && e.Field != tc.field) || e.Message == "" {
				t.Fatalf("%d %+v, want 400 %s on %s", res.StatusCode, e, tc.code, tc.field)
			}
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		res := sendRaw(t, district, "POST", "/api/projects/1/cameras", "application/json", []byte("{\"name\":\"\xff\",\"kind\":\"dust\",\"url\":\"http://a.cn\"}"))
		if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "bad_text" {
			t.Fatalf("%d %+v", res.StatusCode, e)
		}
	})

	var c cameraAnswer
	res := district.do(t, "POST", "/api/projects/1/cameras", good)
	decodeJSON(t, res, &c)
	if res.StatusCode != 201 || c.ID == 0 || !c.HLS || c.Latest != nil {
		t.Fatalf("add: %d %+v", res.StatusCode, c)
	}
	if res := district.do(t, "POST", "/api/projects/1/cameras", good); res.StatusCode != 409 || errorCode(t, res) != "duplicate_camera" {
		t.Fatalf("same name again: %d", res.StatusCode)
	}
	var rtsp cameraAnswer
	decodeJSON(t, district.do(t, "POST", "/api/projects/1/cameras", map[string]string{"name": "塔吊", "kind": "site", "url": "rtsp://10.0.0.8/stream"}), &rtsp)
	if rtsp.ID == 0 || rtsp.HLS {
		t.Fatalf("rtsp camera: %+v", rtsp)
	}
	var list []cameraAnswer
	decodeJSON(t, f.users[geo.RoleViewer].do(t, "GET", "/api/projects/1/cameras", nil), &list)
	if len(list) != 2 || list[0].Name != "1号扬尘监测点" || list[1].Name != "塔吊" {
		t.Fatalf("list: %+v", list)
	}
	// Project 3 is in 舞阳县, not the district user's 源汇区.
	if res := district.do(t, "POST", "/api/projects/3/cameras", good); res.StatusCode != 404 {
		t.Fatalf("another district's project: %d", res.StatusCode)
	}
	if res := district.do(t, "DELETE", fmt.Sprintf("/api/projects/1/cameras/%d", rtsp.ID), nil); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res := district.do(t, "DELETE", fmt.Sprintf("/api/projects/1/cameras/%d", rtsp.ID), nil); res.StatusCode != 404 {
		t.Fatalf("delete again: %d", res.StatusCode)
	}
}

// TestSnapshots: a camera system posts snapshots with a district user's
// API token; each bad upload is refused with its code; the latest is
// served as it came and listed with the camera; only the newest five are
// kept; the audit log records them without the image; a site is covered
// while its latest snapshot is at most 24 hours old.
func TestSnapshots(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	exec(t, f, "UPDATE projects SET stage = 'building' WHERE id IN (1, 3)")
	var cam cameraAnswer
	decodeJSON(t, district.do(t, "POST", "/api/projects/1/cameras", map[string]string{"name": "东门", "kind": "site", "url": "http://10.0.0.9/live"}), &cam)
	var other cameraAnswer
	decodeJSON(t, f.users[geo.RoleAdmin].do(t, "POST", "/api/projects/3/cameras", map[string]string{"name": "盐化", "kind": "dust", "url": "http://10.0.1.9/live"}), &other)
	var token struct{ Token string }
	decodeJSON(t, district.do(t, "POST", "/api/tokens", map[string]any{"name": "扬尘监测平台", "expires_in_days": 30}), &token)
	system := f.newClient(t)
	auth := []string{"Authorization", "Bearer " + token.Token}
	path := fmt.Sprintf("/api/cameras/%d/snapshots", cam.ID)

	coverage := func() (covered map[geo.ID]bool, n int) {
		var cv struct {
			Covered, Uncovered int
			Sites              []struct {
				ID      geo.ID `json:"id"`
				Covered bool
			}
		}
		decodeJSON(t, f.users[geo.RoleLeader].do(t, "GET", "/api/cameras/coverage", nil), &cv)
		covered = map[geo.ID]bool{}
		for _, s := range cv.Sites {
			covered[s.ID] = s.Covered
		}
		return covered, cv.Covered
	}
	if c, n := coverage(); c[1] || c[3] || n != 0 || len(c) != 2 {
		t.Fatalf("coverage before any snapshot: %v, %d covered", c, n)
	}

	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	garbage := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 40)...)
	for _, tc := range []struct {
		name, contentType, code string
		body                    []byte
	}{
		{"no content type", "", "bad_content_type", pngOf(t, 4, 4)},
		{"text", "text/plain", "bad_content_type", []byte("hello")},
		{"empty", "image/png", "empty_image", nil},
		{"png declared as jpeg", "image/jpeg", "bad_image_type", pngOf(t, 4, 4)},
		{"jpeg declared as png", "image/png", "bad_image_type", jpg.Bytes()},
		{"html as png", "image/png", "bad_image_type", []byte("<script>alert(1)</script>")},
		{"broken png", "image/png", "bad_image", garbage},
		{"too wide", "image/png", "image_too_big", pngOf(t, 9000, 1)},
		{"too large", "image/png", "too_large", append(pngOf(t, 4, 4), make([]byte, 4<<20)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := sendRaw(t, system, "POST", path, tc.contentType, tc.body, auth...)
			if e := errorOf(t, res); res.StatusCode != 400 || e.Code != tc.code || e.Message == "" {
				t.Fatalf("%d %+v, want 400 %s", res.StatusCode, e, tc.code)
			}
		})
	}
	if res := sendRaw(t, system, "POST", fmt.Sprintf("/api/cameras/%d/snapshots", other.ID), "image/png", pngOf(t, 4, 4), auth...); res.StatusCode != 404 {
		t.Fatalf("another district's camera: %d", res.StatusCode)
	}
	if res := sendRaw(t, f.users[geo.RoleViewer], "POST", path, "image/png", pngOf(t, 4, 4)); res.StatusCode != 403 {
		t.Fatalf("a viewer posts: %d", res.StatusCode)
	}

	var last []byte
	for i := range 7 {
		last = pngOf(t, 10+i, 6)
		res := sendRaw(t, system, "POST", path, "image/png", last, auth...)
		var info struct {
			ID          geo.ID `json:"id"`
			Width, Size int
		}
		decodeJSON(t, res, &info)
		if res.StatusCode != 201 || info.Width != 10+i || info.Size != len(last) {
			t.Fatalf("snapshot %d: %d %+v", i, res.StatusCode, info)
		}
	}
	res := f.users[geo.RoleViewer].do(t, "GET", fmt.Sprintf("/api/cameras/%d/snapshot", cam.ID), nil)
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, last) {
		t.Fatalf("latest: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(got))
	}
	var list []cameraAnswer
	decodeJSON(t, district.do(t, "GET", "/api/projects/1/cameras", nil), &list)
	if len(list) != 1 || list[0].Latest == nil || list[0].Latest.Width != 16 || list[0].Latest.ContentType != "image/png" {
		t.Fatalf("list: %+v", list)
	}
	if res := district.do(t, "GET", fmt.Sprintf("/api/cameras/%d/snapshot", other.ID), nil); res.StatusCode != 404 {
		t.Fatalf("another district's snapshot: %d", res.StatusCode)
	}

	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var kept, audited, withImage int
	if err := conn.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM camera_snapshots),
		count(*) FILTER (WHERE action = 'insert'), count(*) FILTER (WHERE before ? 'image' OR after ? 'image')
		FROM audit_log WHERE table_name = 'camera_snapshots'`).Scan(&kept, &audited, &withImage); err != nil {
		t.Fatal(err)
	}
	if kept != 5 || audited != 7 || withImage != 0 {
		t.Fatalf("%d snapshots kept (want 5), %d audited inserts (want 7), %d audit rows with the image", kept, audited, withImage)
	}

	if c, n := coverage(); !c[1] || c[3] || n != 1 {
		t.Fatalf("coverage after a snapshot: %v, %d covered", c, n)
	}
	exec(t, f, "UPDATE camera_snapshots SET taken_at = now() - interval '25 hours'")
	if c, n := coverage(); c[1] || n != 0 {
		t.Fatalf("coverage with a day-old snapshot: %v, %d covered", c, n)
	}
}
