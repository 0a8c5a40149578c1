// Package photo reads and cleans the photos of monthly progress reports:
// it tells JPEG and PNG apart by their content (never by a file name or a
// Content-Type), reads from their EXIF the GPS position, the time taken
// and the orientation with a TIFF reader of its own, drops every other
// piece of metadata from the image it hands back, and makes thumbnails.
// It knows no database and no HTTP.
package photo

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"time"

	xdraw "golang.org/x/image/draw"
)

// Media types of the photos Clean takes.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// MaxPixels bounds a photo's size in pixels (what decoding it takes in
// memory): 50 megapixels, more than a phone's camera gives.
const MaxPixels = 50_000_000

// A progressive JPEG costs image/jpeg 4 bytes per pixel and colour
// component more while it is decoded (its coefficients), 600 MB at 50
// megapixels: it is taken up to maxProgressive pixels (about 200 MB).
// Phones write baseline JPEGs.
const maxProgressive = 16_000_000

// maxPixelsPerByte bounds how many pixels an image may claim for each byte
// of its file. A photo has far fewer (a 12-megapixel JPEG of a covered
// lens, all black, has about 250 for each byte; a phone's photo under
// 10); a file of a few bytes that claims millions of pixels is a
// decompression bomb, refused before anything is allocated for it.
const maxPixelsPerByte = 1000

// ThumbEdge is the long edge of a thumbnail, in pixels.
const ThumbEdge = 320

// Errors of Clean.
var (
	// ErrNotImage: the data is no image at all, or a broken one.
	ErrNotImage = errors.New("photo: not a JPEG or PNG image")
	// ErrTooManyPixels: the image is larger than MaxPixels.
	ErrTooManyPixels = errors.New("photo: too many pixels")
)

// UnsupportedError is the error of an image of a kind Clean does not
// take (GIF, WebP, HEIC, …), naming it.
type UnsupportedError struct{ Format string }

func (e *UnsupportedError) Error() string { return "photo: " + e.Format + " images are not taken" }

// Photo is a cleaned photo.
type Photo struct {
	MediaType string // JPEG or PNG
	// Width and Height are the image's size as shown (its orientation
	// applied), in pixels.
	Width, Height int
	// Image is the image without metadata: a JPEG keeps only its
	// orientation, in an EXIF segment of its own.
	Image []byte
	Thumb []byte // a JPEG of at most ThumbEdge pixels, upright
	Meta
}

// Sniff names the kind of image data holds by its first bytes: JPEG or
// PNG, the name of another kind of image, or "" for none known.
func Sniff(data []byte) string {
	for _, s := range []struct{ magic, kind string }{
		{"\xff\xd8\xff", JPEG}, {"\x89PNG\r\n\x1a\n", PNG}, {"GIF87a", "GIF"}, {"GIF89a", "GIF"},
		{"BM", "BMP"}, {"II*\x00", "TIFF"}, {"MM\x00*", "TIFF"},
	} {
		if bytes.HasPrefix(data, []byte(s.magic)) {
			return s.kind
		}
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "WebP"
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		return "HEIC/AVIF"
	}
	return ""
}

// Clean checks that data is a JPEG or PNG image of at most MaxPixels,
// reads its EXIF (times without an offset are in zone), strips its
// metadata and makes its thumbnail. Errors: ErrNotImage,
// *UnsupportedError, ErrTooManyPixels.
func Clean(data []byte, zone *time.Location) (Photo, error) {
	var (
		p   Photo
		err error
	)
	switch kind := Sniff(data); kind {
	case JPEG:
		p, err = cleanJPEG(data, zone)
	case PNG:
		p, err = cleanPNG(data, zone)
	case "":
		return p, ErrNotImage
	default:
		return p, &UnsupportedError{Format: kind}
	}
	if err != nil {
		return Photo{}, err
	}
	return p, nil
}

// decode decodes a cleaned image of at most maxPixels after checking its
// size.
func decode(data []byte, maxPixels int64, cfg func([]byte) (image.Config, error), dec func([]byte) (image.Image, error)) (image.Image, error) {
	c, err := cfg(data)
	if err != nil || c.Width <= 0 || c.Height <= 0 {
		return nil, ErrNotImage
	}
	px := int64(c.Width) * int64(c.Height)
	if px > maxPixels {
		return nil, ErrTooManyPixels
	}
	if px > int64(len(data))*maxPixelsPerByte {
		return nil, ErrNotImage
	}
	img, err := dec(data)
	if err != nil {
		return nil, ErrNotImage
	}
	return img, nil
}

func jpegConfig(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
func jpegDecode(b []byte) (image.Image, error)  { return jpeg.Decode(bytes.NewReader(b)) }
func pngConfig(b []byte) (image.Config, error)  { return png.DecodeConfig(bytes.NewReader(b)) }
func pngDecode(b []byte) (image.Image, error)   { return png.Decode(bytes.NewReader(b)) }

func cleanJPEG(data []byte, zone *time.Location) (Photo, error) {
	p := Photo{MediaType: JPEG}
	img, exif, progressive, err := stripJPEG(data)
	if err != nil {
		return p, err
	}
	p.Meta = Meta{Orientation: 1}
	if exif != nil {
		if m, err := ReadEXIF(exif, zone); err == nil {
			p.Meta = m
		}
	}
	p.Image = withOrientation(img, p.Orientation)
	maxPixels := int64(MaxPixels)
	if progressive {
		maxPixels = maxProgressive
	}
	decoded, err := decode(p.Image, maxPixels, jpegConfig, jpegDecode)
	if err != nil {
		return p, err
	}
	return p, p.thumbnail(decoded)
}

func cleanPNG(data []byte, zone *time.Location) (Photo, error) {
	p := Photo{MediaType: PNG}
	img, exif, err := stripPNG(data)
	if err != nil {
		return p, err
	}
	p.Image = img
	p.Meta = Meta{Orientation: 1}
	if exif != nil {
		if m, err := ReadEXIF(exif, zone); err == nil {
			// The eXIf chunk goes, and with it the orientation: the
			// image is kept as it is drawn.
			p.Meta, p.Orientation = m, 1
		}
	}
	decoded, err := decode(p.Image, MaxPixels, pngConfig, pngDecode)
	if err != nil {
		return p, err
	}
	return p, p.thumbnail(decoded)
}

// thumbnail sets p's size as shown and its thumbnail, from the decoded
// image: scaled to ThumbEdge on its long edge (never enlarged), turned
// upright, on white where it is transparent.
func (p *Photo) thumbnail(img image.Image) error {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	tw, th := w, h
	if long := max(w, h); long > ThumbEdge {
		tw, th = max(1, (w*ThumbEdge+long/2)/long), max(1, (h*ThumbEdge+long/2)/long)
	}
	small := image.NewRGBA(image.Rect(0, 0, tw, th))
	op := xdraw.Src
	if !opaque(img) {
		xdraw.Draw(small, small.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
		op = xdraw.Over
	}
	xdraw.BiLinear.Scale(small, small.Bounds(), img, b, op, nil)
	up := orient(small, p.Orientation)
	p.Width, p.Height = w, h
	if p.Orientation >= 5 {
		p.Width, p.Height = h, w
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, up, &jpeg.Options{Quality: 80}); err != nil {
		return err
	}
	p.Thumb = buf.Bytes()
	return nil
}

// opaque reports whether img has no transparent pixels.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orient turns img as EXIF orientation o says, so that it shows upright.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			out.SetRGBA(dx, dy, img.RGBAAt(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}
