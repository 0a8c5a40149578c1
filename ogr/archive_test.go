package ogr_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/ogr"
)

type entry struct {
	name string
	body []byte
	mode fs.FileMode // 0: a regular file
}

// writeZip writes a zip archive of the entries into dir.
func writeZip(t *testing.T, dir string, entries ...entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "upload.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnzipRefuses checks that hostile archives are refused with a clear
// error and write nothing outside their folder.
func TestUnzipRefuses(t *testing.T) {
	limits := ogr.Limits{Unpacked: 1 << 20, Entries: 10}
	bomb := bytes.Repeat([]byte{0}, 4<<20) // 4 MB of zeros: a few KB zipped
	many := make([]entry, 11)
	for i := range many {
		many[i] = entry{name: strings.Repeat("a", i+1) + ".txt", body: []byte("x")}
	}
	cases := []struct {
		name    string
		entries []entry
		code    string
	}{
		{"path escape", []entry{{name: "../../evil.txt", body: []byte("x")}}, "zip_path_escape"},
		{"path escape inside", []entry{{name: "plan/../../evil.txt", body: []byte("x")}}, "zip_path_escape"},
		{"backslash escape", []entry{{name: "..\\evil.txt", body: []byte("x")}}, "zip_path_escape"},
		{"absolute path", []entry{{name: "/tmp/evil.txt", body: []byte("x")}}, "zip_path_escape"},
		{"drive letter", []entry{{name: "C:/evil.txt", body: []byte("x")}}, "zip_path_escape"},
		{"symlink", []entry{{name: "plan.shp", body: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}}, "zip_link"},
		{"bomb", []entry{{name: "plan.dbf", body: bomb}}, "zip_too_large"},
		{"too many entries", many, "zip_too_many_entries"},
		{"duplicate", []entry{{name: "a.shp", body: []byte("1")}, {name: "a.shp", body: []byte("2")}}, "zip_duplicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			file := writeZip(t, tmp, c.entries...)
			out := filepath.Join(tmp, "a", "b", "out")
			err := ogr.Unzip(file, out, limits)
			var ge *geo.Error
			if !errors.As(err, &ge) || ge.Kind != geo.KindInvalid || ge.Code != c.code {
				t.Fatalf("err %v, want kind invalid, code %s", err, c.code)
			}
			if !strings.Contains(ge.Message, "压缩包被拒绝") {
				t.Errorf("message %v: want a Chinese message saying the archive is refused", err)
			}
			if _, err := os.Stat(filepath.Join(tmp, "a", "evil.txt")); err == nil {
				t.Error("an entry was written outside the folder")
			}
			if _, err := os.Stat(filepath.Join(tmp, "evil.txt")); err == nil {
				t.Error("an entry was written outside the folder")
			}
		})
	}
	t.Run("bomb declaring a small size", func(t *testing.T) {
		// An archive that lies about its sizes passes the declared-size
		// check; what is unpacked is counted (and Go's reader stops at the
		// declared size).
		tmp := t.TempDir()
		var z bytes.Buffer
		fw, _ := flate.NewWriter(&z, flate.BestCompression)
		_, _ = fw.Write(bomb)
		_ = fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "a.dbf", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(bomb),
			CompressedSize64: uint64(z.Len()), UncompressedSize64: 10})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(z.Bytes())
		_ = zw.Close()
		file := filepath.Join(tmp, "upload.zip")
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		var ge *geo.Error
		err = ogr.Unzip(file, filepath.Join(tmp, "out"), limits)
		if !errors.As(err, &ge) || (ge.Code != "zip_too_large" && ge.Code != "bad_zip") {
			t.Fatalf("err %v, want zip_too_large or bad_zip", err)
		}
		if fi, err := os.Stat(filepath.Join(tmp, "out", "a.dbf")); err == nil && fi.Size() > limits.Unpacked+1 {
			t.Errorf("unpacked %d bytes", fi.Size())
		}
	})
	t.Run("a good archive", func(t *testing.T) {
		tmp := t.TempDir()
		file := writeZip(t, tmp, entry{name: "plan/plan.txt", body: []byte("ok")}, entry{name: "__MACOSX/plan/._plan.txt", body: []byte("x")})
		out := filepath.Join(tmp, "out")
		if err := ogr.Unzip(file, out, limits); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(filepath.Join(out, "plan", "plan.txt")); err != nil || string(b) != "ok" {
			t.Fatalf("%q, %v", b, err)
		}
		if _, err := os.Stat(filepath.Join(out, "__MACOSX")); err == nil {
			t.Error("macOS resource forks unpacked")
		}
	})
}
