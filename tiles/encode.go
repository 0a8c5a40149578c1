package tiles

import (
	"bytes"
	"compress/gzip"
	"slices"

	"github.com/paulmach/orb"
	orbclip "github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// Buffer is the margin, in tile units, kept around a tile's edge so that
// lines and fills join seamlessly across tiles.
const Buffer = 64

// encodeLayer turns lon/lat features into the MVT layer named name of
// tile a (a Tile's field 3, ready to join other layers): projected to tile
// coordinates, clipped to the tile and its buffer, simplified to a tile
// unit below the deepest zoom, with features that vanish dropped.
func encodeLayer(name string, a Address, features []Feature) []byte {
	fc := make([]*geojson.Feature, 0, len(features))
	for _, f := range features {
		g := &geojson.Feature{Geometry: f.Geometry, Properties: f.Properties}
		if f.ID != nil {
			g.ID = *f.ID
		}
		fc = append(fc, g)
	}
	l := &mvt.Layer{Name: name, Version: 2, Extent: Extent, Features: fc}
	l.ProjectToTile(a.Tile())
	clipLayer(l, orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}})
	if a.Z < MaxZoom {
		// The deepest zoom keeps every vertex: maps overzoom it.
		l.Simplify(simplify.DouglasPeucker(1.0))
	}
	l.RemoveEmpty(1.0, 1.0)
	w := newLayerWriter()
	for _, f := range l.Features {
		var id *uint64
		if n, ok := f.ID.(uint64); ok {
			id = &n
		}
		w.add(id, f.Geometry, f.Properties)
	}
	return w.appendTo(nil, name)
}

// clipLayer clips the features to box, as mvt.Layer.Clip does, but
// leaves alone (and does not copy) those wholly inside it, which at high
// zoom are nearly all.
func clipLayer(l *mvt.Layer, box orb.Bound) {
	at := 0
	for _, f := range l.Features {
		g := f.Geometry
		if b := g.Bound(); !(box.Contains(b.Min) && box.Contains(b.Max)) {
			g = orbclip.Geometry(box, g)
		}
		if g != nil {
			f.Geometry = g
			l.Features[at] = f
			at++
		}
	}
	l.Features = l.Features[:at]
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
