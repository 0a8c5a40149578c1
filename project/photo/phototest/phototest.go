// Package phototest makes the photos the tests upload: JPEG and PNG
// images drawn at test time, with real EXIF written into them (GPS
// position, time taken, orientation, and the metadata onemap must strip:
// the camera's make, serial number and maker notes), so that no test
// depends on a binary fixture.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"reflect"
	"sort"
)

// EXIF is what the EXIF segment of a test photo holds; zero fields are
// left out.
type EXIF struct {
	GPS         bool    // write Lat and Lon
	Lat, Lon    float64 // degrees; negative: south, west
	Taken       string  // DateTimeOriginal, "2006:01:02 15:04:05"
	Offset      string  // OffsetTimeOriginal, "+08:00"
	Orientation int
	Make        string
	Serial      string // BodySerialNumber
	MakerNote   []byte
	BigEndian   bool // write the TIFF big-endian ("MM") rather than "II"
}

// Tags a test photo carries that onemap must strip.
const (
	TagMake      = 0x010f
	TagSerial    = 0xa431
	TagMakerNote = 0x927c
)

// Image draws a w×h picture: a gradient with a dark block in the top
// left corner, so that a turned image shows it elsewhere.
func Image(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(200 * x / max(1, w)), uint8(200 * y / max(1, h)), 180, 255})
		}
	}
	for y := range h / 4 {
		for x := range w / 4 {
			img.SetRGBA(x, y, color.RGBA{10, 10, 10, 255})
		}
	}
	return img
}

// JPEG encodes a w×h picture as a JPEG with e in an APP1 EXIF segment
// (none if e is the zero EXIF), and a comment and an XMP segment beside
// it.
func JPEG(w, h int, e EXIF) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Image(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	segs := segment(0xfe, []byte("Shot by "+e.Make+" serial "+e.Serial))
	segs = append(segs, segment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta serial=\""+e.Serial+"\"/>"))...)
	if !reflect.DeepEqual(e, EXIF{}) {
		segs = append(segment(0xe1, append([]byte("Exif\x00\x00"), TIFF(e)...)), segs...)
	}
	return append(append(append([]byte{}, b[:2]...), segs...), b[2:]...)
}

// PNG encodes a w×h picture as a PNG with e in an eXIf chunk and a tEXt
// chunk naming the serial number.
func PNG(w, h int, e EXIF) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, Image(w, h)); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	// After the signature and IHDR (8 + 25 bytes).
	extra := append(chunk("eXIf", TIFF(e)), chunk("tEXt", []byte("Serial\x00"+e.Serial))...)
	return append(append(append([]byte{}, b[:33]...), extra...), b[33:]...)
}

func segment(marker byte, body []byte) []byte {
	s := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(body)+2))
	return append(s, body...)
}

func chunk(typ string, body []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c = append(append(c, typ...), body...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// order is a byte order that also appends.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// field is a TIFF field to write.
type field struct {
	tag, typ uint16
	count    uint32
	val      []byte // its value bytes; a pointer to an IFD is filled in
	ifd      []field
}

// TIFF writes e as the TIFF structure of an EXIF segment: IFD0 with the
// make and orientation, an Exif IFD with the time taken, serial number
// and maker note, a GPS IFD with the position.
func TIFF(e EXIF) []byte {
	var bo order = binary.LittleEndian
	head := []byte("II*\x00\x08\x00\x00\x00")
	if e.BigEndian {
		bo = binary.BigEndian
		head = []byte("MM\x00*\x00\x00\x00\x08")
	}
	ascii := func(tag uint16, s string) field {
		return field{tag: tag, typ: 2, count: uint32(len(s) + 1), val: append([]byte(s), 0)}
	}
	short := func(tag uint16, v int) field {
		return field{tag: tag, typ: 3, count: 1, val: bo.AppendUint16(nil, uint16(v))}
	}
	dms := func(tag uint16, deg float64) field {
		deg = math.Abs(deg)
		d := math.Floor(deg)
		m := math.Floor((deg - d) * 60)
		s := ((deg-d)*60 - m) * 60
		var v []byte
		for _, r := range [][2]uint32{{uint32(d), 1}, {uint32(m), 1}, {uint32(math.Round(s * 10000)), 10000}} {
			v = bo.AppendUint32(bo.AppendUint32(v, r[0]), r[1])
		}
		return field{tag: tag, typ: 5, count: 3, val: v}
	}
	var ifd0, exif, gps []field
	if e.Make != "" {
		ifd0 = append(ifd0, ascii(TagMake, e.Make))
	}
	if e.Orientation != 0 {
		ifd0 = append(ifd0, short(0x0112, e.Orientation))
	}
	if e.Taken != "" {
		exif = append(exif, ascii(0x9003, e.Taken))
	}
	if e.Offset != "" {
		exif = append(exif, ascii(0x9011, e.Offset))
	}
	if e.Serial != "" {
		exif = append(exif, ascii(TagSerial, e.Serial))
	}
	if e.MakerNote != nil {
		exif = append(exif, field{tag: TagMakerNote, typ: 7, count: uint32(len(e.MakerNote)), val: e.MakerNote})
	}
	if e.GPS {
		ns, ew := "N", "E"
		if e.Lat < 0 {
			ns = "S"
		}
		if e.Lon < 0 {
			ew = "W"
		}
		gps = append(gps, field{tag: 0, typ: 1, count: 4, val: []byte{2, 3, 0, 0}},
			ascii(1, ns), dms(2, e.Lat), ascii(3, ew), dms(4, e.Lon))
	}
	if len(exif) > 0 {
		ifd0 = append(ifd0, field{tag: 0x8769, typ: 4, count: 1, ifd: exif})
	}
	if len(gps) > 0 {
		ifd0 = append(ifd0, field{tag: 0x8825, typ: 4, count: 1, ifd: gps})
	}
	out := append([]byte{}, head...)
	writeIFD(&out, bo, ifd0)
	return out
}

// writeIFD appends an IFD of fs (sorted by tag) at the end of out, then
// the values that do not fit into their fields and the IFDs they point
// to.
func writeIFD(out *[]byte, bo order, fs []field) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].tag < fs[j].tag })
	start := len(*out)
	*out = bo.AppendUint16(*out, uint16(len(fs)))
	*out = append(*out, make([]byte, 12*len(fs)+4)...)
	for i, f := range fs {
		e := (*out)[start+2+12*i:]
		bo.PutUint16(e, f.tag)
		bo.PutUint16(e[2:], f.typ)
		bo.PutUint32(e[4:], f.count)
		switch {
		case f.ifd != nil:
			bo.PutUint32(e[8:], uint32(len(*out)))
			writeIFD(out, bo, f.ifd)
		case len(f.val) <= 4:
			copy(e[8:12], f.val)
		default:
			bo.PutUint32(e[8:], uint32(len(*out)))
			*out = append(*out, f.val...)
			if len(f.val)%2 == 1 {
				*out = append(*out, 0)
			}
		}
	}
}
