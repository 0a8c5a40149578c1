package api_test

import (
	"bytes"
	"fmt"
	"image/gif"
	"image/jpeg"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/project/photo/phototest"
)

// part is a part of a multipart upload.
type part struct{ name, file, value string }

// upload posts parts as multipart/form-data to path as c.
func upload(t *testing.T, c *client, path string, parts ...part) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.file != "" {
			w, err = mw.CreateFormFile(p.name, p.file)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.value); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := c.request(t, http.MethodPost, path, nil)
	req.Body = io.NopCloser(&body)
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// photoPart is a photo's part named as a phone names its files, the
// name saying nothing of what it holds.
func photoPart(data []byte) part {
	return part{name: "photo", file: "IMG_0001.jpg", value: string(data)}
}

// phoneEXIF is what a phone writes: the position 200 m from the
// fixture's project 1 (114.0°E, 33.58°N), the time, the make, the
// serial number and the maker notes.
var phoneEXIF = phototest.EXIF{GPS: true, Lat: 33.5812, Lon: 114.0015, Taken: "2026:11:20 10:30:00",
	Make: "HUAWEI", Serial: "SN-4711-0815", MakerNote: []byte("HUAWEI\x00maker-note-secret")}

// TestPhotos: a district user attaches a phone's photo to this month's
// report. The stored image holds no serial number, maker note, make or
// XMP, while the position (in EPSG:4490) and time are kept in the
// database and answered; the image and its 320-pixel thumbnail come back
// with their type, ETag and private caching; a reader of the project
// sees them and nobody signed out does; a photo taken 5 km away is
// flagged; deleting one is audited.
func TestPhotos(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.users[geo.RoleDistrict]
	month := time.Now().In(geo.CityZone()).Format("2006-01")
	data := phototest.JPEG(640, 480, phoneEXIF)

	res := upload(t, district, "/api/projects/1/progress/"+month+"/photos", photoPart(data), part{name: "caption", value: " 主体结构施工 "})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %+v", res.StatusCode, errorOf(t, res))
	}
	var ph project.PhotoView
	decodeJSON(t, res, &ph)
	if ph.Month != month || ph.MediaType != "image/jpeg" || ph.Width != 640 || ph.Height != 480 || ph.Caption != "主体结构施工" ||
		ph.Lon == nil || math.Abs(*ph.Lon-114.0015) > 1e-6 || math.Abs(*ph.Lat-33.5812) > 1e-6 ||
		ph.TakenAt == nil || !ph.TakenAt.Equal(time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC)) ||
		ph.SiteDistance == nil || *ph.SiteDistance < 100 || *ph.SiteDistance > 300 || ph.FarFromSite || ph.CreatedBy != "district1" {
		t.Fatalf("photo: %+v (lon %v lat %v taken %v distance %v)", ph, deref(ph.Lon), deref(ph.Lat), ph.TakenAt, deref(ph.SiteDistance))
	}
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/projects/1/photos/%d", ph.ID) {
		t.Fatalf("Location: %q", loc)
	}
	// Sent again from a phone's outbox (the answer lost on a weak
	// signal): the photo kept is the first, and kept once.
	var again project.PhotoView
	decodeJSON(t, upload(t, district, "/api/projects/1/progress/"+month+"/photos", photoPart(data), part{name: "caption", value: "主体结构施工"}), &again)
	if again.ID != ph.ID || count(t, f, "SELECT count(*) FROM project_photos") != 1 {
		t.Fatalf("sent twice: photo %d, then %d", ph.ID, again.ID)
	}

	// The stored bytes, read back by the owner.
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var stored []byte
	var lon, lat float64
	var srid int
	if err := conn.QueryRow(t.Context(), `SELECT f.image, ST_X(p.location), ST_Y(p.location), ST_SRID(p.location)
		FROM project_photo_files f JOIN project_photos p ON p.id = f.photo_id WHERE p.id = $1`, ph.ID).Scan(&stored, &lon, &lat, &srid); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"SN-4711-0815", "maker-note-secret", "HUAWEI", "xmpmeta", "Exif"} {
		if !bytes.Contains(data, []byte(secret)) {
			t.Fatalf("the upload has no %q to strip", secret)
		}
		if bytes.Contains(stored, []byte(secret)) {
			t.Errorf("the stored image still holds %q", secret)
		}
	}
	if math.Abs(lon-114.0015) > 1e-6 || math.Abs(lat-33.5812) > 1e-6 || srid != 4490 {
		t.Fatalf("stored position %v %v (SRID %d)", lon, lat, srid)
	}
	if _, err := jpeg.Decode(bytes.NewReader(stored)); err != nil {
		t.Fatalf("the stored image does not decode: %v", err)
	}

	// The image and its thumbnail, to a reader of the project.
	viewer := f.users[geo.RoleViewer]
	img := viewer.do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d", ph.ID), nil)
	body, err := io.ReadAll(img.Body)
	if err != nil {
		t.Fatal(err)
	}
	tag := img.Header.Get("ETag")
	if img.StatusCode != 200 || img.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(body, stored) || tag == "" ||
		!strings.Contains(img.Header.Get("Cache-Control"), "private") || !strings.Contains(img.Header.Get("Vary"), "Cookie") {
		t.Fatalf("image: %d %v, %d bytes", img.StatusCode, img.Header, len(body))
	}
	if again := viewer.do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d", ph.ID), nil, "If-None-Match", tag); again.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", again.StatusCode)
	}
	th := viewer.do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d/thumb", ph.ID), nil)
	thumb, err := jpeg.DecodeConfig(th.Body)
	if err != nil || th.Header.Get("Content-Type") != "image/jpeg" || thumb.Width != 320 || thumb.Height != 240 || th.Header.Get("ETag") == tag {
		t.Fatalf("thumbnail: %v %v %dx%d", err, th.Header, thumb.Width, thumb.Height)
	}
	var list []project.PhotoView
	decodeJSON(t, viewer.do(t, "GET", "/api/projects/1/photos", nil), &list)
	if len(list) != 1 || list[0].ID != ph.ID {
		t.Fatalf("list: %+v", list)
	}
	if res := f.newClient(t).do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d", ph.ID), nil); res.StatusCode != 401 {
		t.Fatalf("signed out: %d", res.StatusCode)
	}
	// Another project's path does not reach the photo.
	if res := viewer.do(t, "GET", fmt.Sprintf("/api/projects/2/photos/%d", ph.ID), nil); res.StatusCode != 404 {
		t.Fatalf("through project 2: %d", res.StatusCode)
	}

	// 5 km away: kept, and flagged.
	far := phoneEXIF
	far.Lon, far.Lat = 113.95, 33.60
	res = upload(t, district, "/api/projects/1/progress/"+month+"/photos", photoPart(phototest.JPEG(64, 48, far)))
	var fp project.PhotoView
	decodeJSON(t, res, &fp)
	if res.StatusCode != 201 || !fp.FarFromSite || fp.SiteDistance == nil || *fp.SiteDistance < 4000 {
		t.Fatalf("a photo 5 km away: %d %+v (distance %v)", res.StatusCode, fp, deref(fp.SiteDistance))
	}

	// A PNG, decided by its content whatever its name.
	res = upload(t, district, "/api/projects/1/progress/"+month+"/photos", part{name: "photo", file: "scan.jpg", value: string(phototest.PNG(32, 32, phototest.EXIF{Serial: "SN-PNG"}))})
	var pp project.PhotoView
	decodeJSON(t, res, &pp)
	if res.StatusCode != 201 || pp.MediaType != "image/png" || pp.Lon != nil {
		t.Fatalf("a PNG: %d %+v", res.StatusCode, pp)
	}
	if png := viewer.do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d", pp.ID), nil); png.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("a PNG is answered as %q", png.Header.Get("Content-Type"))
	}

	// Deleting: a viewer may not, the district user may, and the log has it.
	if res := viewer.do(t, "DELETE", fmt.Sprintf("/api/projects/1/photos/%d", ph.ID), nil); res.StatusCode != 403 {
		t.Fatalf("a viewer deletes: %d", res.StatusCode)
	}
	if res := district.do(t, "DELETE", fmt.Sprintf("/api/projects/1/photos/%d", ph.ID), nil); res.StatusCode != 204 {
		t.Fatalf("delete: %d %+v", res.StatusCode, errorOf(t, res))
	}
	if res := viewer.do(t, "GET", fmt.Sprintf("/api/projects/1/photos/%d/thumb", ph.ID), nil); res.StatusCode != 404 {
		t.Fatalf("a deleted photo: %d", res.StatusCode)
	}
	var actor string
	if err := conn.QueryRow(t.Context(), `SELECT actor FROM audit_log WHERE table_name = 'project_photos' AND action = 'delete'
		AND row_id = $1`, ph.ID.String()).Scan(&actor); err != nil || actor != "district1" {
		t.Fatalf("the deletion's audit entry: %q %v", actor, err)
	}
	var files int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM project_photo_files WHERE photo_id = $1", ph.ID).Scan(&files); err != nil || files != 0 {
		t.Fatalf("the deleted photo's bytes are kept: %d %v", files, err)
	}
}

// TestPhotoRules gives the upload one bad input for each rule: each is
// refused with its code and field, and nothing is stored.
func TestPhotoRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	exec(t, f, "UPDATE projects SET planned_start = '2026-01-15' WHERE id = 1")
	now := time.Now().In(geo.CityZone())
	month := now.Format("2006-01")
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	good := photoPart(phototest.JPEG(32, 24, phoneEXIF))
	var g bytes.Buffer
	if err := gif.Encode(&g, phototest.Image(16, 16), nil); err != nil {
		t.Fatal(err)
	}
	tooLarge := append(phototest.JPEG(16, 16, phototest.EXIF{}), make([]byte, project.MaxPhotoBytes)...)
	district := f.users[geo.RoleDistrict]
	photos := func(m string) string { return "/api/projects/1/progress/" + m + "/photos" }
	for _, tc := range []struct {
		name   string
		as     *client
		path   string
		parts  []part
		status int
		code   string
		field  string
	}{
		{"not an image", district, photos(month), []part{photoPart([]byte("这不是照片"))}, 400, "not_an_image", "photo"},
		{"a GIF", district, photos(month), []part{{name: "photo", file: "a.jpg", value: g.String()}}, 400, "unsupported_image", "photo"},
		{"a broken JPEG", district, photos(month), []part{photoPart(phototest.JPEG(32, 24, phototest.EXIF{})[:300])}, 400, "not_an_image", "photo"},
		{"too large", district, photos(month), []part{photoPart(tooLarge)}, 400, "photo_too_large", "photo"},
		{"no photo", district, photos(month), []part{{name: "caption", value: "无照片"}}, 400, "photo_required", "photo"},
		{"an empty photo", district, photos(month), []part{photoPart(nil)}, 400, "photo_required", "photo"},
		{"two photos", district, photos(month), []part{good, good}, 400, "bad_form", ""},
		{"an unknown part", district, photos(month), []part{good, {name: "month", value: month}}, 400, "bad_form", ""},
		{"a month in the future", district, photos(next), []part{good}, 400, "month_in_future", "month"},
		{"a month before the project's life", district, photos("2025-12"), []part{good}, 400, "month_before_start", "month"},
		{"no month", district, photos("2026-13"), []part{good}, 400, "bad_month", ""},
		{"a caption with NUL", district, photos(month), []part{good, {name: "caption", value: "主体\x00结构"}}, 400, "bad_text", "caption"},
		{"a caption of invalid UTF-8", district, photos(month), []part{good, {name: "caption", value: "主体\xff\xfe"}}, 400, "bad_text", "caption"},
		{"a caption too long", district, photos(month), []part{good, {name: "caption", value: strings.Repeat("字", project.MaxCaption+1)}}, 400, "too_long", "caption"},
		{"a caption of 100 KB", district, photos(month), []part{good, {name: "caption", value: strings.Repeat("字", 34000)}}, 400, "too_long", "caption"},
		{"another district's project", district, "/api/projects/3/progress/" + month + "/photos", []part{good}, 404, "not_found", ""},
		{"a viewer", f.users[geo.RoleViewer], photos(month), []part{good}, 403, "forbidden", ""},
		{"a leader", f.users[geo.RoleLeader], photos(month), []part{good}, 403, "forbidden", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := upload(t, tc.as, tc.path, tc.parts...)
			e := errorOf(t, res)
			if res.StatusCode != tc.status || e.Code != tc.code || e.Field != tc.field || e.Message == "" {
				t.Fatalf("%d %+v, want %d %s (field %q)", res.StatusCode, e, tc.status, tc.code, tc.field)
			}
		})
	}
	if res := district.do(t, "POST", photos(month), map[string]string{"photo": "x"}); res.StatusCode != 400 || errorOf(t, res).Code != "bad_form" {
		t.Fatalf("a JSON body: %d", res.StatusCode)
	}
	// A multipart body cut short.
	req := district.request(t, http.MethodPost, photos(month), nil, "Content-Type", "multipart/form-data; boundary=x")
	req.Body = io.NopCloser(strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff"))
	res, err := district.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "bad_form" {
		t.Fatalf("a body cut short: %d %+v", res.StatusCode, e)
	}
	if n := count(t, f, "SELECT count(*) FROM project_photos"); n != 0 {
		t.Fatalf("%d photos kept from bad uploads", n)
	}

	// Too many: the month takes MaxPhotos, and refuses one more (each
	// another photo: the same one sent again is the one kept).
	for i := range project.MaxPhotos {
		if res := upload(t, district, photos(month), photoPart(phototest.JPEG(32+i, 24, phoneEXIF))); res.StatusCode != 201 {
			t.Fatalf("photo %d: %d %+v", i+1, res.StatusCode, errorOf(t, res))
		}
	}
	res = upload(t, district, photos(month), photoPart(phototest.JPEG(64, 24, phoneEXIF)))
	if e := errorOf(t, res); res.StatusCode != 409 || e.Code != "too_many_photos" || !strings.Contains(e.Message, "最多 20 张") {
		t.Fatalf("one too many: %d %+v", res.StatusCode, e)
	}
	// Another month has room of its own.
	if res := upload(t, district, photos("2026-01"), good); res.StatusCode != 201 {
		t.Fatalf("another month: %d %+v", res.StatusCode, errorOf(t, res))
	}
}

// count runs a query of one number as the owner.
func count(t *testing.T, f *fixture, sql string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var n int
	if err := conn.QueryRow(t.Context(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
