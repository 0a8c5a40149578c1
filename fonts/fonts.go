// Package fonts makes the glyphs that MapLibre GL draws map labels with, so
// that the web map needs no font server on the internet. It renders the Go
// fonts (golang.org/x/image/font/gofont, BSD licence, compiled into the
// binary) into signed distance fields the way fontnik and TinySDF do (24 px,
// a 3 px buffer, radius 8, cutoff 0.25) and encodes them as glyph PBFs, 256
// code points per range.
//
// The Go fonts cover Latin, Greek and Cyrillic. Other ranges (CJK among them)
// come back as valid empty PBFs: the web map draws those characters with the
// browser's local fonts (MapLibre's localIdeographFontFamily).
//
// Any font stack name is answered: a stack whose first font name says Bold
// (or Italic) gets Go Bold (or Go Italic), every other stack Go Regular.
package fonts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/luohe/onemap/geo"
)

// The SDF parameters of fontnik and TinySDF, which MapLibre expects.
const (
	// FontSize is the size in pixels glyphs are rendered at.
	FontSize = 24
	// Buffer is the border in pixels around each glyph's bitmap.
	Buffer = 3
	// Radius is how far in pixels the distance field reaches.
	Radius = 8
	// Cutoff is where the glyph's edge sits in the 0..1 range of a pixel.
	Cutoff = 0.25
	// RangeSize is the number of code points in one PBF.
	RangeSize = 256
	// MaxStackLen bounds the length of a font stack name.
	MaxStackLen = 256

	// topAdjustment is what MapLibre subtracts from a locally drawn
	// glyph's ascent (glyph_manager's topAdjustment); server glyphs use the
	// same origin so Latin letters line up with local CJK ones.
	topAdjustment = 27
)

// DefaultStack is the font stack name the web map's style asks for.
const DefaultStack = "Noto Sans Regular"

type variant int

const (
	regular variant = iota
	bold
	italic
	boldItalic
	numVariants
)

var variantTTF = [numVariants][]byte{
	regular:    goregular.TTF,
	bold:       gobold.TTF,
	italic:     goitalic.TTF,
	boldItalic: gobolditalic.TTF,
}

// Glyphs renders and caches glyph ranges. It is safe for concurrent use.
type Glyphs struct {
	fonts [numVariants]*opentype.Font

	mu    sync.Mutex
	cache map[cacheKey]*rangeEntry
}

type cacheKey struct {
	v     variant
	start int
}

// rangeEntry holds one range's encoded glyph messages, computed once.
type rangeEntry struct {
	once   sync.Once
	glyphs []byte // concatenated field-3 (glyph) records of a fontstack message
	err    error
}

// New parses the embedded fonts.
func New() (*Glyphs, error) {
	g := &Glyphs{cache: map[cacheKey]*rangeEntry{}}
	for v, ttf := range variantTTF {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("fonts: parse embedded font %d: %w", v, err)
		}
		g.fonts[v] = f
	}
	return g, nil
}

// ParseRange reads a glyph range as MapLibre asks for it ("0-255",
// "256-511", …) and returns its first code point.
func ParseRange(s string) (int, error) {
	a, b, ok := strings.Cut(strings.TrimSuffix(s, ".pbf"), "-")
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || end != start+RangeSize-1 {
		return 0, badRange(s)
	}
	if err := checkStart(start); err != nil {
		return 0, err
	}
	return start, nil
}

func badRange(s string) error {
	return geo.Invalid("bad_glyph_range",
		"字形范围无效：%s（应为 0-255、256-511 等，起点为 256 的倍数，最大 65280）",
		"invalid glyph range: %s (want 0-255, 256-511, …: a start that is a multiple of 256, at most 65280)", s)
}

func checkStart(start int) error {
	if start < 0 || start > 65536-RangeSize || start%RangeSize != 0 {
		return badRange(strconv.Itoa(start))
	}
	return nil
}

// Range returns the glyph PBF of the 256 code points from start for the
// font stack named stack. start must be a multiple of 256 from 0 to 65280.
func (g *Glyphs) Range(stack string, start int) ([]byte, error) {
	if err := checkStart(start); err != nil {
		return nil, err
	}
	if stack == "" || len(stack) > MaxStackLen {
		return nil, geo.Invalid("bad_font_stack", "字体名称无效：%q", "invalid font stack: %q", truncate(stack))
	}
	glyphs, err := g.rangeGlyphs(variantOf(stack), start)
	if err != nil {
		return nil, err
	}
	// glyphs { stacks { name, range, glyphs… } }
	var fs []byte
	fs = appendBytesField(fs, 1, []byte(stack))
	fs = appendBytesField(fs, 2, []byte(fmt.Sprintf("%d-%d", start, start+RangeSize-1)))
	fs = append(fs, glyphs...)
	return appendBytesField(nil, 1, fs), nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// variantOf picks the font for a stack by the first name in it.
func variantOf(stack string) variant {
	first, _, _ := strings.Cut(stack, ",")
	first = strings.ToLower(first)
	b := strings.Contains(first, "bold") || strings.Contains(first, "black") || strings.Contains(first, "heavy")
	i := strings.Contains(first, "italic") || strings.Contains(first, "oblique")
	switch {
	case b && i:
		return boldItalic
	case b:
		return bold
	case i:
		return italic
	}
	return regular
}

func (g *Glyphs) rangeGlyphs(v variant, start int) ([]byte, error) {
	k := cacheKey{v, start}
	g.mu.Lock()
	e, ok := g.cache[k]
	if !ok {
		e = &rangeEntry{}
		g.cache[k] = e
	}
	g.mu.Unlock()
	e.once.Do(func() { e.glyphs, e.err = g.render(v, start) })
	return e.glyphs, e.err
}

// render draws every code point of the range that the font has.
func (g *Glyphs) render(v variant, start int) ([]byte, error) {
	face, err := opentype.NewFace(g.fonts[v], &opentype.FaceOptions{Size: FontSize, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("fonts: face: %w", err)
	}
	defer face.Close()
	var out []byte
	for r := rune(start); r < rune(start+RangeSize); r++ {
		gl, ok := renderGlyph(face, r)
		if !ok {
			continue
		}
		out = appendBytesField(out, 3, gl.encode())
	}
	return out, nil
}

// glyph is one rendered glyph in the PBF's terms.
type glyph struct {
	id            uint32
	bitmap        []byte // (width+2*Buffer) × (height+2*Buffer) SDF values
	width, height uint32
	left, top     int32
	advance       uint32
}

func (gl glyph) encode() []byte {
	var b []byte
	b = appendVarintField(b, 1, uint64(gl.id))
	if len(gl.bitmap) > 0 {
		b = appendBytesField(b, 2, gl.bitmap)
	}
	b = appendVarintField(b, 3, uint64(gl.width))
	b = appendVarintField(b, 4, uint64(gl.height))
	b = appendVarintField(b, 5, zigzag(gl.left))
	b = appendVarintField(b, 6, zigzag(gl.top))
	b = appendVarintField(b, 7, uint64(gl.advance))
	return b
}

// renderGlyph rasterises r and turns its coverage into a distance field.
func renderGlyph(face font.Face, r rune) (glyph, bool) {
	dr, mask, maskp, adv, ok := face.Glyph(fixed.Point26_6{}, r)
	if !ok || mask == nil && !dr.Empty() {
		return glyph{}, false
	}
	gw, gh := dr.Dx(), dr.Dy()
	// Keep the glyph inside the box TinySDF would draw it in.
	const maxSide = FontSize + Buffer*4 - Buffer
	if gw > maxSide {
		gw = maxSide
	}
	if gh > maxSide {
		gh = maxSide
	}
	gl := glyph{
		id:      uint32(r),
		width:   uint32(gw),
		height:  uint32(gh),
		left:    int32(dr.Min.X),
		top:     int32(-dr.Min.Y) - topAdjustment,
		advance: uint32(max(0, adv.Round())),
	}
	if gw == 0 || gh == 0 {
		gl.width, gl.height = 0, 0
		return gl, true
	}
	alpha := make([]float64, gw*gh)
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			_, _, _, a := mask.At(maskp.X+x, maskp.Y+y).RGBA()
			alpha[y*gw+x] = float64(a) / 0xffff
		}
	}
	gl.bitmap = sdf(alpha, gw, gh)
	return gl, true
}

// inf stands for an unreached distance, as in TinySDF.
const inf = 1e20

// sdf computes the signed distance field of a coverage image of gw×gh
// pixels, padded by Buffer on every side, following TinySDF: squared
// distances to the outside and inside by the Felzenszwalb–Huttenlocher
// transform, with anti-aliased edge pixels placed at sub-pixel distances.
func sdf(alpha []float64, gw, gh int) []byte {
	w, h := gw+2*Buffer, gh+2*Buffer
	n := w * h
	outer := make([]float64, n)
	inner := make([]float64, n)
	for i := range outer {
		outer[i] = inf
	}
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			a := alpha[y*gw+x]
			if a == 0 {
				continue
			}
			j := (y+Buffer)*w + x + Buffer
			if a == 1 {
				outer[j], inner[j] = 0, inf
				continue
			}
			d := 0.5 - a
			if d > 0 {
				outer[j] = d * d
			} else {
				outer[j] = 0
			}
			if d < 0 {
				inner[j] = d * d
			} else {
				inner[j] = 0
			}
		}
	}
	side := max(w, h)
	f := make([]float64, side)
	v := make([]int, side)
	z := make([]float64, side+1)
	edt(outer, 0, 0, w, h, w, f, v, z)
	edt(inner, Buffer, Buffer, gw, gh, w, f, v, z)
	out := make([]byte, n)
	for i := range out {
		d := math.Sqrt(outer[i]) - math.Sqrt(inner[i])
		val := math.Round(255 - 255*(d/Radius+Cutoff))
		out[i] = byte(min(255, max(0, val)))
	}
	return out
}

// edt runs the 1-D transform over the columns and then the rows of the
// width×height window at (x0, y0) of a grid with gridSize columns.
func edt(data []float64, x0, y0, width, height, gridSize int, f []float64, v []int, z []float64) {
	for x := x0; x < x0+width; x++ {
		edt1d(data, y0*gridSize+x, gridSize, height, f, v, z)
	}
	for y := y0; y < y0+height; y++ {
		edt1d(data, y*gridSize+x0, 1, width, f, v, z)
	}
}

// edt1d is the Felzenszwalb–Huttenlocher squared distance transform of one
// line of length cells, stride apart from offset.
func edt1d(grid []float64, offset, stride, length int, f []float64, v []int, z []float64) {
	v[0] = 0
	z[0] = -inf
	z[1] = inf
	f[0] = grid[offset]
	k := 0
	for q := 1; q < length; q++ {
		f[q] = grid[offset+q*stride]
		q2 := float64(q * q)
		var s float64
		for {
			r := v[k]
			s = (f[q] - f[r] + q2 - float64(r*r)) / float64(q-r) / 2
			if s <= z[k] {
				k--
				if k > -1 {
					continue
				}
			}
			break
		}
		k++
		v[k] = q
		z[k] = s
		z[k+1] = inf
	}
	k = 0
	for q := 0; q < length; q++ {
		for z[k+1] < float64(q) {
			k++
		}
		r := v[k]
		qr := float64(q - r)
		grid[offset+q*stride] = f[r] + qr*qr
	}
}

// Protocol buffer wire format, by hand: varints (type 0) and
// length-delimited fields (type 2) are all the glyph PBF uses.

func appendVarint(b []byte, x uint64) []byte {
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

func appendVarintField(b []byte, field int, x uint64) []byte {
	b = appendVarint(b, uint64(field)<<3) // wire type 0: varint
	return appendVarint(b, x)
}

func appendBytesField(b []byte, field int, p []byte) []byte {
	b = appendVarint(b, uint64(field)<<3|2)
	b = appendVarint(b, uint64(len(p)))
	return append(b, p...)
}

func zigzag(x int32) uint64 { return uint64(uint32(x<<1) ^ uint32(x>>31)) }
