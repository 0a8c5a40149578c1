package photo

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Meta is what onemap keeps of a photo's EXIF: where and when it was
// taken, and which way up it is. Everything else (the camera, its serial
// number, the maker notes, the software, the owner) is dropped.
type Meta struct {
	// Location is the GPS position (longitude, latitude in degrees,
	// WGS 84, which onemap takes as CGCS2000); nil: none, or none that
	// makes sense.
	Location *orb.Point
	// Taken is when the photo was taken (DateTimeOriginal, with its
	// offset or else in zone); zero: unknown.
	Taken time.Time
	// Orientation is the EXIF orientation, 1 (upright) to 8.
	Orientation int
}

// ErrEXIF is what ReadEXIF answers for EXIF data it cannot read.
var ErrEXIF = errors.New("photo: unreadable EXIF")

// TIFF tags ReadEXIF reads.
const (
	tagOrientation      = 0x0112
	tagExifIFD          = 0x8769
	tagGPSIFD           = 0x8825
	tagDateTimeOriginal = 0x9003
	tagDateTimeDigitzed = 0x9004
	tagOffsetOriginal   = 0x9011
	tagGPSLatitudeRef   = 0x0001
	tagGPSLatitude      = 0x0002
	tagGPSLongitudeRef  = 0x0003
	tagGPSLongitude     = 0x0004
)

// TIFF field types and their sizes in bytes.
const (
	typeASCII    = 2
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
)

var typeSize = map[uint16]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}

// entry is one field of an IFD: its tag, type, count and value bytes.
type entry struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

// tiff reads a TIFF structure (the body of an EXIF segment).
type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

// ifd reads the IFD at off as a map by tag, keeping the first of a tag
// given twice; fields of unknown types and fields whose value lies outside
// the data are left out.
func (t tiff) ifd(off uint32) (map[uint16]entry, error) {
	if uint64(off)+2 > uint64(len(t.b)) {
		return nil, ErrEXIF
	}
	n := uint64(t.bo.Uint16(t.b[off:]))
	start := uint64(off) + 2
	if start+n*12 > uint64(len(t.b)) {
		return nil, ErrEXIF
	}
	out := make(map[uint16]entry, n)
	for i := range n {
		e := t.b[start+i*12 : start+i*12+12]
		f := entry{tag: t.bo.Uint16(e), typ: t.bo.Uint16(e[2:]), count: t.bo.Uint32(e[4:])}
		size, ok := typeSize[f.typ]
		if !ok {
			continue
		}
		total := size * uint64(f.count)
		if total <= 4 {
			f.val = e[8 : 8+total]
		} else {
			at := uint64(t.bo.Uint32(e[8:]))
			if at+total > uint64(len(t.b)) {
				continue
			}
			f.val = t.b[at : at+total]
		}
		if _, seen := out[f.tag]; !seen {
			out[f.tag] = f
		}
	}
	return out, nil
}

// uint reads a SHORT or LONG field holding one value.
func (t tiff) uint(f entry) (uint32, bool) {
	switch {
	case f.typ == typeShort && f.count == 1:
		return uint32(t.bo.Uint16(f.val)), true
	case f.typ == typeLong && f.count == 1:
		return t.bo.Uint32(f.val), true
	}
	return 0, false
}

// ascii reads an ASCII field up to its first NUL.
func ascii(f entry) string {
	if f.typ != typeASCII {
		return ""
	}
	s, _, _ := strings.Cut(string(f.val), "\x00")
	return s
}

// degrees reads a GPS latitude or longitude: three RATIONALs (degrees,
// minutes, seconds) with non-zero denominators.
func (t tiff) degrees(f entry) (float64, bool) {
	if f.typ != typeRational || f.count != 3 {
		return 0, false
	}
	var v [3]float64
	for i := range v {
		num, den := t.bo.Uint32(f.val[i*8:]), t.bo.Uint32(f.val[i*8+4:])
		if den == 0 {
			return 0, false
		}
		v[i] = float64(num) / float64(den)
	}
	if v[1] >= 60 || v[2] >= 60 {
		return 0, false
	}
	return v[0] + v[1]/60 + v[2]/3600, true
}

// ReadEXIF reads what Meta keeps from EXIF data: a TIFF structure (the
// body of a JPEG's APP1 "Exif" segment after its six-byte header, or a
// PNG's eXIf chunk). zone is the time zone of a time taken without an
// offset. It answers ErrEXIF for data that is no TIFF structure; values
// that are missing or make no sense are left out (a position off the
// globe, at 0°N 0°E, or a time before 1990) rather than refused.
func ReadEXIF(b []byte, zone *time.Location) (Meta, error) {
	m := Meta{Orientation: 1}
	if len(b) < 8 {
		return m, ErrEXIF
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return m, ErrEXIF
	}
	if t.bo.Uint16(b[2:]) != 42 {
		return m, ErrEXIF
	}
	ifd0, err := t.ifd(t.bo.Uint32(b[4:]))
	if err != nil {
		return m, err
	}
	if o, ok := t.uint(ifd0[tagOrientation]); ok && o >= 1 && o <= 8 {
		m.Orientation = int(o)
	}
	if off, ok := t.uint(ifd0[tagExifIFD]); ok {
		if ex, err := t.ifd(off); err == nil {
			m.Taken = taken(ex, zone)
		}
	}
	if off, ok := t.uint(ifd0[tagGPSIFD]); ok {
		if gps, err := t.ifd(off); err == nil {
			m.Location = t.location(gps)
		}
	}
	return m, nil
}

// location reads the GPS position of a GPS IFD; nil if it has none that
// makes sense.
func (t tiff) location(gps map[uint16]entry) *orb.Point {
	lat, okLat := t.degrees(gps[tagGPSLatitude])
	lon, okLon := t.degrees(gps[tagGPSLongitude])
	latRef, lonRef := ascii(gps[tagGPSLatitudeRef]), ascii(gps[tagGPSLongitudeRef])
	if !okLat || !okLon || (latRef != "N" && latRef != "S") || (lonRef != "E" && lonRef != "W") {
		return nil
	}
	if latRef == "S" {
		lat = -lat
	}
	if lonRef == "W" {
		lon = -lon
	}
	if math.Abs(lat) > 90 || math.Abs(lon) > 180 || (lat == 0 && lon == 0) {
		return nil
	}
	return &orb.Point{lon, lat}
}

// taken reads when a photo was taken from its Exif IFD: DateTimeOriginal
// (else DateTimeDigitized), with OffsetTimeOriginal if given, else in
// zone; zero if there is none from 1990 to 2100.
func taken(ex map[uint16]entry, zone *time.Location) time.Time {
	s := ascii(ex[tagDateTimeOriginal])
	if s == "" {
		s = ascii(ex[tagDateTimeDigitzed])
	}
	const layout = "2006:01:02 15:04:05"
	var (
		d   time.Time
		err error
	)
	if off := ascii(ex[tagOffsetOriginal]); len(off) == 6 {
		d, err = time.Parse(layout+"-07:00", s+off)
	} else {
		d, err = time.ParseInLocation(layout, s, zone)
	}
	if err != nil || d.Year() < 1990 || d.Year() > 2100 {
		return time.Time{}
	}
	return d
}
