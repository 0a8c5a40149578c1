package tiles

import (
	"strconv"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Zoom is a tile zoom level, 0 to MaxZoom.
type Zoom uint8

// Address is a tile's z/x/y in the XYZ scheme over Web Mercator.
type Address struct {
	Z    Zoom
	X, Y uint32
}

// ParseAddress parses z, x and y (y may carry the ".mvt" suffix already
// removed) and checks that the tile exists. It returns a KindInvalid error
// for anything else.
func ParseAddress(z, x, y string) (Address, error) {
	zi, err := strconv.ParseUint(z, 10, 8)
	if err != nil || zi > MaxZoom || len(z) > 2 {
		return Address{}, geo.Invalid("bad_tile_address", "瓦片层级 z 无效：%q（应为 0–%d）", "invalid zoom %q (0–%d)", z, MaxZoom)
	}
	n := uint64(1) << zi
	xi, err := strconv.ParseUint(x, 10, 32)
	if err != nil || xi >= n || strings.HasPrefix(x, "+") {
		return Address{}, geo.Invalid("bad_tile_address", "瓦片列号 x 无效：%q（层级 %d 时应为 0–%d）", "invalid x %q at zoom %d (0–%d)", x, zi, n-1)
	}
	yi, err := strconv.ParseUint(y, 10, 32)
	if err != nil || yi >= n || strings.HasPrefix(y, "+") {
		return Address{}, geo.Invalid("bad_tile_address", "瓦片行号 y 无效：%q（层级 %d 时应为 0–%d）", "invalid y %q at zoom %d (0–%d)", y, zi, n-1)
	}
	return Address{Z: Zoom(zi), X: uint32(xi), Y: uint32(yi)}, nil
}

// String returns "z/x/y".
func (a Address) String() string {
	return string(a.appendTo(make([]byte, 0, 24)))
}

// appendTo appends "z/x/y" to b.
func (a Address) appendTo(b []byte) []byte {
	b = strconv.AppendUint(b, uint64(a.Z), 10)
	b = append(b, '/')
	b = strconv.AppendUint(b, uint64(a.X), 10)
	b = append(b, '/')
	return strconv.AppendUint(b, uint64(a.Y), 10)
}

// Tile returns the orb tile.
func (a Address) Tile() maptile.Tile {
	return maptile.New(a.X, a.Y, maptile.Zoom(a.Z))
}

// Bound returns the tile's bound in lon/lat, grown on every side by buffer
// tile units (of Extent).
func (a Address) Bound(buffer int) orb.Bound {
	t := a.Tile()
	b := t.Bound()
	if buffer == 0 {
		return b
	}
	// Grow in Web Mercator pixels: take the neighbouring tiles' bounds at a
	// finer zoom is overkill; a linear fraction of the tile is exact in x
	// and close enough in y for a buffer.
	f := float64(buffer) / Extent
	dx := (b.Max[0] - b.Min[0]) * f
	dy := (b.Max[1] - b.Min[1]) * f
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}
