package photo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// stripJPEG copies a JPEG without its metadata, and answers the body of
// its first EXIF segment (nil if none) and whether it is progressive. It keeps the segments that decode
// the image (tables, frames, scans and their entropy-coded data, restart
// intervals), the JFIF header, the ICC colour profile and the Adobe
// segment (which says how the colours are coded), and drops every other
// APPn segment (EXIF with the camera's serial number and maker notes,
// XMP, IPTC, MPF, vendors' own), comments, and whatever follows the end
// of the image (the second images and trailers some phones append). It
// answers ErrNotImage where the segments do not hold together.
func stripJPEG(data []byte) (out, exif []byte, progressive bool, err error) {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return nil, nil, false, ErrNotImage
	}
	out = append(make([]byte, 0, len(data)), 0xff, 0xd8)
	i := 2
	for {
		// A marker: fill bytes (0xff) may come before it.
		if i >= len(data) || data[i] != 0xff {
			return nil, nil, false, ErrNotImage
		}
		for i < len(data) && data[i] == 0xff {
			i++
		}
		if i >= len(data) {
			return nil, nil, false, ErrNotImage
		}
		marker := data[i]
		i++
		switch {
		case marker == 0xd9: // EOI: the end; anything after it goes.
			return append(out, 0xff, 0xd9), exif, progressive, nil
		case marker >= 0xd0 && marker <= 0xd7, marker == 0x01: // no length
			out = append(out, 0xff, marker)
			continue
		case marker == 0xd8 || marker == 0x00:
			return nil, nil, false, ErrNotImage
		}
		if i+2 > len(data) {
			return nil, nil, false, ErrNotImage
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, nil, false, ErrNotImage
		}
		seg, body := data[i-2:i+n], data[i+2:i+n]
		i += n
		progressive = progressive || marker == 0xc2
		if marker == 0xe1 && exif == nil && bytes.HasPrefix(body, []byte("Exif\x00\x00")) {
			exif = body[6:]
		}
		if keepSegment(marker, body) {
			out = append(out, seg...)
		}
		if marker != 0xda {
			continue
		}
		// A scan: its entropy-coded data runs to the next marker that is
		// neither a stuffed 0xff nor a restart marker.
		start := i
		for i < len(data) {
			if data[i] == 0xff && i+1 < len(data) && data[i+1] != 0x00 && (data[i+1] < 0xd0 || data[i+1] > 0xd7) && data[i+1] != 0xff {
				break
			}
			i++
		}
		if i >= len(data) {
			return nil, nil, false, ErrNotImage
		}
		out = append(out, data[start:i]...)
	}
}

// keepSegment tells whether a JPEG segment survives stripJPEG.
func keepSegment(marker byte, body []byte) bool {
	switch {
	case marker == 0xfe: // COM
		return false
	case marker == 0xe0:
		return bytes.HasPrefix(body, []byte("JFIF\x00"))
	case marker == 0xe2:
		return bytes.HasPrefix(body, []byte("ICC_PROFILE\x00"))
	case marker == 0xee:
		return bytes.HasPrefix(body, []byte("Adobe"))
	case marker >= 0xe1 && marker <= 0xef:
		return false
	}
	return true
}

// withOrientation puts into a stripped JPEG an EXIF segment that holds
// nothing but orientation o, after its JFIF header if it has one, so that
// browsers still show it upright; for o = 1 (upright) it adds none.
func withOrientation(jpg []byte, o int) []byte {
	if o <= 1 || o > 8 {
		return jpg
	}
	seg := []byte{0xff, 0xe1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8, // TIFF header, big-endian, IFD0 at 8
		0, 1, // one field
		0x01, 0x12, 0, typeShort, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation
		0, 0, 0, 0} // no next IFD
	at := 2
	if len(jpg) >= 6 && jpg[2] == 0xff && jpg[3] == 0xe0 {
		at = 4 + int(binary.BigEndian.Uint16(jpg[4:]))
	}
	if at > len(jpg) {
		at = 2
	}
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(append(append(out, jpg[:at]...), seg...), jpg[at:]...)
	return out
}

// pngKeep are the PNG chunks stripPNG keeps: those that draw the image
// and its colours; text, times, EXIF and unknown chunks go.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true, "gAMA": true, "cHRM": true,
	"sRGB": true, "iCCP": true, "sBIT": true, "pHYs": true, "bKGD": true, "cICP": true,
}

// stripPNG copies a PNG without its metadata, and answers the body of its
// eXIf chunk (nil if none). It answers ErrNotImage for chunks that do not
// hold together or fail their checksum.
func stripPNG(data []byte) (out, exif []byte, err error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return nil, nil, ErrNotImage
	}
	out = append(make([]byte, 0, len(data)), sig...)
	i := len(sig)
	for {
		if i+8 > len(data) {
			return nil, nil, ErrNotImage
		}
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		end := uint64(i) + 12 + n
		if end > uint64(len(data)) {
			return nil, nil, ErrNotImage
		}
		chunk := data[i:end]
		typ, body := string(chunk[4:8]), chunk[8:8+n]
		if crc32.ChecksumIEEE(chunk[4:8+n]) != binary.BigEndian.Uint32(chunk[8+n:]) {
			return nil, nil, ErrNotImage
		}
		i = int(end)
		if typ == "eXIf" && exif == nil {
			exif = body
		}
		if pngKeep[typ] {
			out = append(out, chunk...)
		}
		if typ == "IEND" {
			return out, exif, nil
		}
	}
}
