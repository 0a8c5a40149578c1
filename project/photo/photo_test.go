package photo_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/gif"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/project/photo"
	"github.com/luohe/onemap/project/photo/phototest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var shanghai = time.FixedZone("CST", 8*3600)

// full is EXIF with everything a phone writes, the position in 源汇区.
var full = phototest.EXIF{GPS: true, Lat: 33.5812, Lon: 114.0123, Taken: "2026:11:20 10:30:00",
	Make: "HUAWEI", Serial: "SN-4711-0815", MakerNote: []byte("HUAWEI\x00maker-note-secret")}

func TestReadEXIF(t *testing.T) {
	for _, tc := range []struct {
		name     string
		e        phototest.EXIF
		lon, lat float64 // 0, 0: no position
		taken    string  // RFC 3339; "": none
		o        int
	}{
		{"a phone's photo", full, 114.0123, 33.5812, "2026-11-20T10:30:00+08:00", 1},
		{"big-endian", phototest.EXIF{GPS: true, Lat: 33.5, Lon: 113.9, BigEndian: true}, 113.9, 33.5, "", 1},
		{"south and west", phototest.EXIF{GPS: true, Lat: -12.25, Lon: -77.5}, -77.5, -12.25, "", 1},
		{"with its offset", phototest.EXIF{Taken: "2026:11:20 10:30:00", Offset: "+02:00"}, 0, 0, "2026-11-20T10:30:00+02:00", 1},
		{"turned", phototest.EXIF{Orientation: 6}, 0, 0, "", 6},
		{"orientation out of range", phototest.EXIF{Orientation: 9}, 0, 0, "", 1},
		{"null island", phototest.EXIF{GPS: true}, 0, 0, "", 1},
		{"a time before 1990", phototest.EXIF{Taken: "1970:01:01 00:00:00"}, 0, 0, "", 1},
		{"a time that is none", phototest.EXIF{Taken: "0000:00:00 00:00:00"}, 0, 0, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := photo.ReadEXIF(phototest.TIFF(tc.e), shanghai)
			if err != nil {
				t.Fatal(err)
			}
			if tc.lon == 0 && m.Location != nil {
				t.Fatalf("position %v, want none", *m.Location)
			}
			if tc.lon != 0 && (m.Location == nil || math.Abs(m.Location.Lon()-tc.lon) > 1e-6 || math.Abs(m.Location.Lat()-tc.lat) > 1e-6) {
				t.Fatalf("position %v, want %v %v", m.Location, tc.lon, tc.lat)
			}
			got := ""
			if !m.Taken.IsZero() {
				got = m.Taken.Format(time.RFC3339)
			}
			if got != tc.taken || m.Orientation != tc.o {
				t.Fatalf("taken %q orientation %d, want %q %d", got, m.Orientation, tc.taken, tc.o)
			}
		})
	}
}

func TestReadEXIFRefuses(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":            nil,
		"no byte order":    []byte("XX*\x00\x08\x00\x00\x00"),
		"not 42":           []byte("II+\x00\x08\x00\x00\x00"),
		"IFD0 out of data": []byte("II*\x00\xff\xff\x00\x00"),
		"IFD0 too short":   []byte("II*\x00\x08\x00\x00\x00\x05\x00"),
	} {
		if _, err := photo.ReadEXIF(b, shanghai); !errors.Is(err, photo.ErrEXIF) {
			t.Errorf("%s: %v, want ErrEXIF", name, err)
		}
	}
}

// TestCleanStrips: the cleaned JPEG and PNG hold none of the metadata
// the upload had (serial number, maker note, make, XMP, comments, text
// chunks), while the position and time are read.
func TestCleanStrips(t *testing.T) {
	for _, tc := range []struct {
		name, kind string
		data       []byte
	}{
		{"JPEG", photo.JPEG, phototest.JPEG(64, 48, full)},
		{"PNG", photo.PNG, phototest.PNG(64, 48, full)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(tc.data, []byte(full.Serial)) {
				t.Fatal("the upload has no serial number to strip")
			}
			p, err := photo.Clean(tc.data, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{full.Serial, "maker-note", "HUAWEI", "xmpmeta", "Exif", "eXIf", "tEXt"} {
				if bytes.Contains(p.Image, []byte(secret)) {
					t.Errorf("the cleaned image still holds %q", secret)
				}
			}
			if p.MediaType != tc.kind || p.Width != 64 || p.Height != 48 || p.Location == nil || p.Taken.IsZero() {
				t.Fatalf("%s %dx%d at %v taken %v", p.MediaType, p.Width, p.Height, p.Location, p.Taken)
			}
			if photo.Sniff(p.Image) != tc.kind {
				t.Fatal("the cleaned image is not of its kind")
			}
		})
	}
}

// TestCleanKeepsOrientation: a JPEG taken sideways keeps its orientation
// (and nothing else) in an EXIF segment of its own, its size is given as
// shown, and its thumbnail is upright.
func TestCleanKeepsOrientation(t *testing.T) {
	p, err := photo.Clean(phototest.JPEG(64, 32, phototest.EXIF{Orientation: 6, Serial: "SN-1"}), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 32 || p.Height != 64 || p.Orientation != 6 {
		t.Fatalf("%dx%d orientation %d", p.Width, p.Height, p.Orientation)
	}
	i := bytes.Index(p.Image, []byte("Exif\x00\x00"))
	if i < 0 {
		t.Fatal("no orientation kept")
	}
	m, err := photo.ReadEXIF(p.Image[i+6:], shanghai)
	if err != nil || m.Orientation != 6 || bytes.Contains(p.Image, []byte("SN-1")) {
		t.Fatalf("orientation %d, %v", m.Orientation, err)
	}
	thumb, err := jpeg.Decode(bytes.NewReader(p.Thumb))
	if err != nil {
		t.Fatal(err)
	}
	if b := thumb.Bounds(); b.Dx() != 32 || b.Dy() != 64 {
		t.Fatalf("thumbnail %v, want 32×64 upright", b)
	}
	// The dark block of the top left corner, turned 90° clockwise, is
	// at the top right.
	if r, _, _, _ := thumb.At(28, 4).RGBA(); r>>8 > 60 {
		t.Fatalf("the thumbnail is not turned: top right is %v", thumb.At(28, 4))
	}
}

// TestCleanRefuses gives Clean one bad input of each kind.
func TestCleanRefuses(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, phototest.Image(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	good := phototest.JPEG(16, 16, phototest.EXIF{})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"text", []byte("this is not an image"), "not a JPEG"},
		{"empty", nil, "not a JPEG"},
		{"a GIF", g.Bytes(), "GIF"},
		{"a WebP", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), "WebP"},
		{"a JPEG cut short", good[:len(good)/2], "not a JPEG"},
		{"a JPEG's header only", good[:20], "not a JPEG"},
		{"a PNG with a bad checksum", corruptPNG(t), "not a JPEG"},
		{"a JPEG of 60 megapixels", hugeJPEG(t, 10000, 6000), "too many pixels"},
		{"a progressive JPEG of 20 megapixels", progressive(hugeJPEG(t, 5000, 4000)), "too many pixels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := photo.Clean(tc.data, shanghai)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v, want %q", err, tc.want)
			}
		})
	}
}

// TestCleanRefusesBombs: a file of a few hundred bytes that claims 16
// megapixels is refused before the pixels are allocated (48 MB for a
// baseline JPEG, 240 MB more for a progressive one).
func TestCleanRefusesBombs(t *testing.T) {
	for name, data := range map[string][]byte{
		"baseline":    hugeJPEG(t, 4000, 4000),
		"progressive": progressive(hugeJPEG(t, 4000, 4000)),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := photo.Clean(data, shanghai)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, photo.ErrNotImage) || after.TotalAlloc-before.TotalAlloc > 1<<20 {
			t.Errorf("%s: %v after allocating %d bytes", name, err, after.TotalAlloc-before.TotalAlloc)
		}
	}
}

func corruptPNG(t *testing.T) []byte {
	t.Helper()
	b := phototest.PNG(8, 8, phototest.EXIF{})
	b[len(b)-20] ^= 0xff
	return b
}

// hugeJPEG is a JPEG whose frame header says w×h: the size check comes
// before the pixels are read.
func hugeJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	b := phototest.JPEG(16, 16, phototest.EXIF{})
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	b[i+5], b[i+6], b[i+7], b[i+8] = byte(h>>8), byte(h), byte(w>>8), byte(w)
	return b
}

// progressive marks a JPEG's baseline frame as progressive.
func progressive(b []byte) []byte {
	i := bytes.Index(b, []byte{0xff, 0xc0})
	b[i+1] = 0xc2
	return b
}

// TestThumbnailGolden: the thumbnails' sizes for photos of several
// shapes and orientations, against testdata/thumbnails.golden (go test
// -update rewrites it).
func TestThumbnailGolden(t *testing.T) {
	var got strings.Builder
	for _, tc := range []struct {
		w, h, o int
		png     bool
	}{
		{4000, 3000, 1, false}, {3000, 4000, 1, false}, {4000, 3000, 6, false}, {1000, 1000, 1, false},
		{200, 100, 1, false}, {321, 5, 1, false}, {5, 1000, 8, false}, {1280, 720, 1, true},
	} {
		data := phototest.JPEG(tc.w, tc.h, phototest.EXIF{Orientation: tc.o})
		if tc.png {
			data = phototest.PNG(tc.w, tc.h, phototest.EXIF{})
		}
		p, err := photo.Clean(data, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		c, err := jpeg.DecodeConfig(bytes.NewReader(p.Thumb))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "%s %dx%d orientation %d: shown %dx%d, thumbnail %dx%d\n",
			p.MediaType, tc.w, tc.h, tc.o, p.Width, p.Height, c.Width, c.Height)
	}
	golden := filepath.Join("testdata", "thumbnails.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Fatalf("thumbnails:\n%s\nwant:\n%s", got.String(), want)
	}
}

// FuzzReadEXIF checks that the EXIF reader never panics, and that what it
// reads is in range.
func FuzzReadEXIF(f *testing.F) {
	f.Add(phototest.TIFF(full))
	f.Add(phototest.TIFF(phototest.EXIF{GPS: true, Lat: -33, Lon: -70, BigEndian: true, Orientation: 3}))
	f.Add(phototest.TIFF(phototest.EXIF{Taken: "2026:11:20 10:30:00", Offset: "+08:00"}))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\xff\xff"))
	f.Add([]byte("MM\x00*\xff\xff\xff\xf0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := photo.ReadEXIF(b, shanghai)
		if err != nil {
			return
		}
		if m.Orientation < 1 || m.Orientation > 8 {
			t.Fatalf("orientation %d", m.Orientation)
		}
		if l := m.Location; l != nil && (math.IsNaN(l.Lon()) || math.IsNaN(l.Lat()) || math.Abs(l.Lon()) > 180 || math.Abs(l.Lat()) > 90) {
			t.Fatalf("position %v", *l)
		}
		if !m.Taken.IsZero() && (m.Taken.Year() < 1990 || m.Taken.Year() > 2100) {
			t.Fatalf("taken %v", m.Taken)
		}
	})
}

// FuzzClean checks that cleaning never panics on any upload, and that
// what it takes comes out as an image of its kind that cleaning again
// leaves as it is: nothing left to strip, the orientation kept.
func FuzzClean(f *testing.F) {
	f.Add(phototest.JPEG(8, 8, full))
	f.Add(phototest.JPEG(8, 4, phototest.EXIF{Orientation: 8}))
	f.Add(phototest.PNG(4, 4, full))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x02\xff\xd9"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := photo.Clean(b, shanghai)
		if err != nil {
			return
		}
		if photo.Sniff(p.Image) != p.MediaType || p.Width <= 0 || p.Height <= 0 || len(p.Thumb) == 0 {
			t.Fatalf("%s %dx%d", p.MediaType, p.Width, p.Height)
		}
		again, err := photo.Clean(p.Image, shanghai)
		if err != nil || !bytes.Equal(again.Image, p.Image) || again.Orientation != p.Orientation {
			t.Fatalf("cleaning the cleaned image: %v, same %v", err, bytes.Equal(again.Image, p.Image))
		}
	})
}

// BenchmarkClean cleans a phone's 12-megapixel photo (4000×3000): the
// work an upload costs the server besides storing it.
func BenchmarkClean(b *testing.B) {
	data := phototest.JPEG(4000, 3000, full)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := photo.Clean(data, shanghai); err != nil {
			b.Fatal(err)
		}
	}
}
