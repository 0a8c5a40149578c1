package tiles

import (
	"bytes"
	"compress/gzip"
	"slices"

	"github.com/paulmach/orb"
	orbclip "github.com/paulmach/orb/clip"
)

// Buffer is the margin, in tile units, kept around a tile's edge so that
// lines and fills join seamlessly across tiles.
const Buffer = 64

// Tolerance is the simplification below the deepest zoom, in tile units:
// half a pixel where the tile is drawn at its own zoom (512 pixels wide),
// a pixel just before the map turns to the next zoom's tiles. Borders that
// features share stay shared (see simplifier).
const Tolerance = 4

// encodeLayer turns lon/lat features into the MVT layer named name of
// tile a (a Tile's field 3, ready to join other layers): projected to tile
// coordinates in place, clipped to the tile and its buffer, simplified
// below the deepest zoom (see Tolerance), with features that vanish (see
// layerWriter.add) dropped.
func encodeLayer(name string, a Address, features []Feature) []byte {
	pr := newProjector(a)
	box := orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}
	// The deepest zoom keeps every vertex: maps overzoom it.
	simplify := a.Z < MaxZoom
	gs := make([]orb.Geometry, len(features))
	vertices := 0
	for i, f := range features {
		g, b := pr.geometry(f.Geometry)
		if g == nil {
			continue
		}
		// Clip only what crosses the box: at high zoom nearly every
		// feature lies inside it, and is left alone (and not copied).
		if !(box.Contains(b.Min) && box.Contains(b.Max)) {
			g = orbclip.Geometry(box, g)
		}
		if g != nil && simplify {
			vertices += ringVertices(g)
		}
		gs[i] = g
	}
	var dp *simplifier
	if simplify {
		dp = newSimplifier(Tolerance, vertices)
		for _, g := range gs {
			if g != nil {
				dp.learn(g)
			}
		}
		dp.settle()
	}
	w := newLayerWriter()
	for i, f := range features {
		g := gs[i]
		if dp != nil && g != nil {
			g = dp.geometry(g)
		}
		if g != nil {
			w.add(f.ID, g, f.Properties)
		}
	}
	return w.appendTo(nil, name)
}

// marshalGzip joins encoded layers into one MVT, and gzips it.
func marshalGzip(layers [][]byte) (raw, gz []byte, err error) {
	raw = slices.Concat(layers...)
	var buf bytes.Buffer
	buf.Grow(len(raw)/3 + 64)
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, nil, err
	}
	return raw, buf.Bytes(), nil
}
