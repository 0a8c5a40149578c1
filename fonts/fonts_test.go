package fonts

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/luohe/onemap/geo"
)

// A tiny decoder of the glyph PBF, written independently of the encoder.

type pbGlyph struct {
	id, width, height, advance uint64
	left, top                  int64
	bitmap                     []byte
	seen                       map[int]bool
}

type pbStack struct {
	name, rng string
	glyphs    []pbGlyph
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) varint() uint64 {
	var x uint64
	for shift := 0; shift < 64; shift += 7 {
		if len(r.b) == 0 {
			r.err = errors.New("truncated varint")
			return 0
		}
		c := r.b[0]
		r.b = r.b[1:]
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	r.err = errors.New("varint too long")
	return 0
}

func (r *reader) bytes() []byte {
	n := int(r.varint())
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = fmt.Errorf("length %d past end (%d left)", n, len(r.b))
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

// fields calls f for each field; f reads the value for wire types 0 and 2.
func (r *reader) fields(f func(num, typ int)) error {
	for len(r.b) > 0 && r.err == nil {
		key := r.varint()
		num, typ := int(key>>3), int(key&7)
		if typ != 0 && typ != 2 {
			return fmt.Errorf("unexpected wire type %d for field %d", typ, num)
		}
		f(num, typ)
	}
	return r.err
}

func unzig(x uint64) int64 { return int64(x>>1) ^ -int64(x&1) }

func decode(t *testing.T, pbf []byte) []pbStack {
	t.Helper()
	var stacks []pbStack
	top := &reader{b: pbf}
	err := top.fields(func(num, typ int) {
		if num != 1 || typ != 2 {
			top.err = fmt.Errorf("glyphs: unexpected field %d/%d", num, typ)
			return
		}
		var s pbStack
		sr := &reader{b: top.bytes()}
		if err := sr.fields(func(num, typ int) {
			switch {
			case num == 1 && typ == 2:
				s.name = string(sr.bytes())
			case num == 2 && typ == 2:
				s.rng = string(sr.bytes())
			case num == 3 && typ == 2:
				g := pbGlyph{seen: map[int]bool{}}
				gr := &reader{b: sr.bytes()}
				if err := gr.fields(func(num, typ int) {
					g.seen[num] = true
					switch num {
					case 1:
						g.id = gr.varint()
					case 2:
						g.bitmap = gr.bytes()
					case 3:
						g.width = gr.varint()
					case 4:
						g.height = gr.varint()
					case 5:
						g.left = unzig(gr.varint())
					case 6:
						g.top = unzig(gr.varint())
					case 7:
						g.advance = gr.varint()
					default:
						gr.err = fmt.Errorf("glyph: unexpected field %d", num)
					}
				}); err != nil {
					sr.err = err
				}
				s.glyphs = append(s.glyphs, g)
			default:
				sr.err = fmt.Errorf("fontstack: unexpected field %d/%d", num, typ)
			}
		}); err != nil {
			top.err = err
		}
		stacks = append(stacks, s)
	})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return stacks
}

func newGlyphs(t *testing.T) *Glyphs {
	t.Helper()
	g, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRangeZeroDecodes(t *testing.T) {
	g := newGlyphs(t)
	pbf, err := g.Range(DefaultStack, 0)
	if err != nil {
		t.Fatal(err)
	}
	stacks := decode(t, pbf)
	if len(stacks) != 1 {
		t.Fatalf("got %d stacks, want 1", len(stacks))
	}
	s := stacks[0]
	if s.name != DefaultStack || s.rng != "0-255" {
		t.Errorf("stack name %q range %q, want %q and 0-255", s.name, s.rng, DefaultStack)
	}
	byID := map[uint64]pbGlyph{}
	for _, gl := range s.glyphs {
		for _, f := range []int{1, 3, 4, 5, 6, 7} {
			if !gl.seen[f] {
				t.Errorf("glyph %d: required field %d missing", gl.id, f)
			}
		}
		if gl.id > 255 {
			t.Errorf("glyph %d outside range 0-255", gl.id)
		}
		if _, dup := byID[gl.id]; dup {
			t.Errorf("glyph %d twice", gl.id)
		}
		byID[gl.id] = gl
		if gl.width > 0 && gl.height > 0 {
			if want := (gl.width + 2*Buffer) * (gl.height + 2*Buffer); uint64(len(gl.bitmap)) != want {
				t.Errorf("glyph %q: bitmap %d bytes, want (w+6)*(h+6) = %d", rune(gl.id), len(gl.bitmap), want)
			}
		} else if len(gl.bitmap) != 0 {
			t.Errorf("glyph %q: empty box with a %d-byte bitmap", rune(gl.id), len(gl.bitmap))
		}
	}
	for r := rune(0x21); r < 0x7f; r++ { // all printable ASCII
		if _, ok := byID[uint64(r)]; !ok {
			t.Errorf("glyph %q missing", r)
		}
	}
	sp, ok := byID[' ']
	if !ok || sp.advance == 0 || sp.width != 0 {
		t.Errorf("space: %+v, want an empty glyph with an advance", sp)
	}

	a := byID['A']
	// Go Regular at 24 px: cap height ≈ 17 px, advance ≈ 16 px.
	if a.width < 12 || a.width > 20 || a.height < 15 || a.height > 20 {
		t.Errorf("'A' is %d×%d px, want about 16×17", a.width, a.height)
	}
	if a.advance < 12 || a.advance > 20 {
		t.Errorf("'A' advance %d, want about 16", a.advance)
	}
	if a.left < -2 || a.left > 3 {
		t.Errorf("'A' left %d, want about 0", a.left)
	}
	if want := int64(a.height) - topAdjustment; a.top != want { // sits on the baseline
		t.Errorf("'A' top %d, want height−%d = %d", a.top, topAdjustment, want)
	}
	// The distance field: the buffer's corner is far outside (low), some
	// pixel inside is well past the edge value (255·(1−cutoff) ≈ 191).
	if a.bitmap[0] > 100 {
		t.Errorf("'A' corner value %d, want a far-outside value", a.bitmap[0])
	}
	var hi byte
	for _, v := range a.bitmap {
		hi = max(hi, v)
	}
	if hi < 200 {
		t.Errorf("'A' max value %d, want > 200 inside the strokes", hi)
	}

	g2 := byID['g'] // a descender reaches below the baseline
	if int64(g2.height)-topAdjustment <= g2.top {
		t.Errorf("'g' top %d height %d: no descender", g2.top, g2.height)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := newGlyphs(t).Range(DefaultStack, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := newGlyphs(t)
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Go(func() {
			results[i], _ = g.Range(DefaultStack, 0)
		})
	}
	wg.Wait()
	for i, b := range results {
		if !bytes.Equal(a, b) {
			t.Fatalf("result %d differs from a fresh Glyphs' output", i)
		}
	}
}

func TestEmptyAndOtherRanges(t *testing.T) {
	g := newGlyphs(t)
	pbf, err := g.Range("Noto Sans Regular,Arial Unicode MS Regular", 0x4e00) // CJK: drawn locally
	if err != nil {
		t.Fatal(err)
	}
	s := decode(t, pbf)
	if len(s) != 1 || s[0].rng != "19968-20223" || len(s[0].glyphs) != 0 || s[0].name != "Noto Sans Regular,Arial Unicode MS Regular" {
		t.Errorf("CJK range: %+v, want one empty stack 19968-20223", s)
	}
	pbf, err = g.Range("Open Sans Bold", 1024) // Cyrillic
	if err != nil {
		t.Fatal(err)
	}
	if s := decode(t, pbf); len(s[0].glyphs) < 50 {
		t.Errorf("Cyrillic range has %d glyphs, want most of them", len(s[0].glyphs))
	}
	last, err := g.Range("x", 65280)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, last)
}

func TestBoldDiffers(t *testing.T) {
	g := newGlyphs(t)
	glyphA := func(stack string) pbGlyph {
		pbf, err := g.Range(stack, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, gl := range decode(t, pbf)[0].glyphs {
			if gl.id == 'A' {
				return gl
			}
		}
		t.Fatalf("%s: no 'A'", stack)
		return pbGlyph{}
	}
	r, b := glyphA("Noto Sans Regular"), glyphA("Noto Sans Bold,Arial Unicode MS Bold")
	if bytes.Equal(r.bitmap, b.bitmap) {
		t.Error("a bold stack renders 'A' like the regular one")
	}
	if o := glyphA("Open Sans Regular"); !bytes.Equal(o.bitmap, r.bitmap) || o.advance != r.advance {
		t.Error("two regular stacks render 'A' differently")
	}
}

func TestInvalid(t *testing.T) {
	g := newGlyphs(t)
	for _, start := range []int{-256, 1, 255, 300, 65536, 1 << 20} {
		if _, err := g.Range(DefaultStack, start); geo.KindOf(err) != geo.KindInvalid {
			t.Errorf("Range(%d): %v, want an invalid error", start, err)
		}
	}
	var e *geo.Error
	_, err := g.Range(DefaultStack, 7)
	if !errors.As(err, &e) || e.Code != "bad_glyph_range" || e.Message == "" || e.MessageEN == "" {
		t.Errorf("error %#v, want code bad_glyph_range with messages", err)
	}
	for _, stack := range []string{"", string(make([]byte, MaxStackLen+1))} {
		if _, err := g.Range(stack, 0); geo.KindOf(err) != geo.KindInvalid {
			t.Errorf("stack of %d bytes: %v, want an invalid error", len(stack), err)
		}
	}
}

func TestParseRange(t *testing.T) {
	for s, want := range map[string]int{"0-255": 0, "256-511": 256, "65280-65535": 65280, "19968-20223.pbf": 19968} {
		if got, err := ParseRange(s); err != nil || got != want {
			t.Errorf("ParseRange(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "0", "0-256", "1-256", "65536-65791", "-256--1", "a-b", "0-255-511"} {
		if _, err := ParseRange(s); geo.KindOf(err) != geo.KindInvalid {
			t.Errorf("ParseRange(%q): %v, want an invalid error", s, err)
		}
	}
}

func BenchmarkRenderRange0(b *testing.B) {
	g, err := New()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.render(regular, 0); err != nil {
			b.Fatal(err)
		}
	}
}
