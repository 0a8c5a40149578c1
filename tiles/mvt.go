package tiles

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// The MVT 2.1 writer: features in tile coordinates straight to protobuf
// bytes, with no intermediate message structs. Tags are written in the
// order of the features' properties (the source's columns), so that a
// tile's bytes (and its ETag) are the same on every server that builds it; rings get the winding the
// specification asks for (exterior positive area in tile coordinates,
// holes negative), whatever the winding of the source.

// Protobuf field numbers of vector_tile.proto.
const (
	tileLayers = 3

	layerName     = 1
	layerFeatures = 2
	layerKeys     = 3
	layerValues   = 4
	layerExtent   = 5
	layerVersion  = 15

	featureID       = 1
	featureTags     = 2
	featureType     = 3
	featureGeometry = 4

	valueString = 1
	valueDouble = 3
	valueInt    = 4
	valueSint   = 6
	valueBool   = 7
)

// Geometry types and commands.
const (
	typePoint      = 1
	typeLineString = 2
	typePolygon    = 3

	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

const (
	wireVarint = 0
	wire64     = 1
	wireBytes  = 2
)

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendKey(b []byte, field, wire int) []byte {
	return appendVarint(b, uint64(field<<3|wire))
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	b = appendKey(b, field, wireBytes)
	b = appendVarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendPacked(b []byte, field int, vs []uint32) []byte {
	n := 0
	for _, v := range vs {
		n += varintLen(uint64(v))
	}
	b = appendKey(b, field, wireBytes)
	b = appendVarint(b, uint64(n))
	for _, v := range vs {
		b = appendVarint(b, uint64(v))
	}
	return b
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func zigzag(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

func command(id, count int) uint32 { return uint32(id&0x7 | count<<3) }

// layerWriter builds one Layer message.
type layerWriter struct {
	features  []byte
	keys      []string
	keyIndex  map[string]uint32
	values    [][]byte // encoded Value messages
	strIndex  map[string]uint32
	numIndex  map[float64]uint32
	intIndex  map[int64]uint32
	boolIndex map[bool]uint32

	// Scratch space, reused from feature to feature.
	feature []byte
	tags    []uint32
	geom    geomWriter
}

func newLayerWriter() *layerWriter {
	return &layerWriter{keyIndex: map[string]uint32{}, strIndex: map[string]uint32{},
		numIndex: map[float64]uint32{}, intIndex: map[int64]uint32{}, boolIndex: map[bool]uint32{}}
}

// add writes one feature whose geometry is in tile coordinates; a
// geometry with nothing left to draw after rounding (a point, a line of
// one point, a polygon under a square unit) is skipped.
func (w *layerWriter) add(id *uint64, g orb.Geometry, props []Property) {
	typ := w.geom.write(g)
	if typ == 0 {
		return
	}
	w.tags = w.tags[:0]
	for _, p := range props {
		v, ok := w.value(p.Value)
		if !ok {
			continue
		}
		w.tags = append(w.tags, w.key(p.Key), v)
	}
	f := w.feature[:0]
	if id != nil {
		f = appendKey(f, featureID, wireVarint)
		f = appendVarint(f, *id)
	}
	if len(w.tags) > 0 {
		f = appendPacked(f, featureTags, w.tags)
	}
	f = appendKey(f, featureType, wireVarint)
	f = appendVarint(f, uint64(typ))
	f = appendPacked(f, featureGeometry, w.geom.cmds)
	w.feature = f
	w.features = appendBytesField(w.features, layerFeatures, f)
}

func (w *layerWriter) key(k string) uint32 {
	if i, ok := w.keyIndex[k]; ok {
		return i
	}
	i := uint32(len(w.keys))
	w.keys = append(w.keys, k)
	w.keyIndex[k] = i
	return i
}

// value returns the index of v in the layer's values, adding it; ok is
// false for a type MVT cannot hold.
func (w *layerWriter) value(v any) (uint32, bool) {
	switch v := v.(type) {
	case string:
		if i, ok := w.strIndex[v]; ok {
			return i, true
		}
		i := w.addValue(appendBytesField(nil, valueString, []byte(v)))
		w.strIndex[v] = i
		return i, true
	case float64:
		if i, ok := w.numIndex[v]; ok {
			return i, true
		}
		i := w.addValue(binary.LittleEndian.AppendUint64(appendKey(nil, valueDouble, wire64), math.Float64bits(v)))
		w.numIndex[v] = i
		return i, true
	case int:
		return w.value(int64(v))
	case int64:
		if i, ok := w.intIndex[v]; ok {
			return i, true
		}
		var b []byte
		if v >= 0 {
			b = appendVarint(appendKey(nil, valueInt, wireVarint), uint64(v))
		} else {
			b = appendVarint(appendKey(nil, valueSint, wireVarint), uint64((v<<1)^(v>>63)))
		}
		i := w.addValue(b)
		w.intIndex[v] = i
		return i, true
	case bool:
		if i, ok := w.boolIndex[v]; ok {
			return i, true
		}
		n := uint64(0)
		if v {
			n = 1
		}
		i := w.addValue(appendVarint(appendKey(nil, valueBool, wireVarint), n))
		w.boolIndex[v] = i
		return i, true
	}
	return 0, false
}

// addValue adds an encoded Value message and returns its index.
func (w *layerWriter) addValue(b []byte) uint32 {
	w.values = append(w.values, b)
	return uint32(len(w.values) - 1)
}

// appendTo appends the layer, as field 3 of a Tile, to b.
func (w *layerWriter) appendTo(b []byte, name string) []byte {
	l := make([]byte, 0, len(w.features)+64*len(w.values)+16)
	l = appendKey(l, layerVersion, wireVarint)
	l = appendVarint(l, 2)
	l = appendBytesField(l, layerName, []byte(name))
	l = append(l, w.features...)
	for _, k := range w.keys {
		l = appendBytesField(l, layerKeys, []byte(k))
	}
	for _, v := range w.values {
		l = appendBytesField(l, layerValues, v)
	}
	l = appendKey(l, layerExtent, wireVarint)
	l = appendVarint(l, Extent)
	return appendBytesField(b, tileLayers, l)
}

// geomWriter encodes one geometry as MVT commands, the cursor carried
// from part to part.
type geomWriter struct {
	cmds []uint32
	x, y int32
	ring [][2]int32
}

// write encodes g and returns its MVT type, or 0 when nothing is left.
func (w *geomWriter) write(g orb.Geometry) int {
	w.cmds = w.cmds[:0]
	w.x, w.y = 0, 0
	typ := 0
	switch g := g.(type) {
	case orb.Point:
		typ = typePoint
		w.points([]orb.Point{g})
	case orb.MultiPoint:
		typ = typePoint
		w.points(g)
	case orb.LineString:
		typ = typeLineString
		w.line(g)
	case orb.MultiLineString:
		typ = typeLineString
		for _, l := range g {
			w.line(l)
		}
	case orb.Polygon:
		typ = typePolygon
		w.polygon(g)
	case orb.MultiPolygon:
		typ = typePolygon
		for _, p := range g {
			w.polygon(p)
		}
	}
	if len(w.cmds) == 0 {
		return 0
	}
	return typ
}

func round(p orb.Point) [2]int32 {
	return [2]int32{int32(math.Round(p[0])), int32(math.Round(p[1]))}
}

func (w *geomWriter) step(p [2]int32) {
	w.cmds = append(w.cmds, zigzag(p[0]-w.x), zigzag(p[1]-w.y))
	w.x, w.y = p[0], p[1]
}

func (w *geomWriter) points(ps []orb.Point) {
	if len(ps) == 0 {
		return
	}
	w.cmds = append(w.cmds, command(cmdMoveTo, len(ps)))
	for _, p := range ps {
		w.step(round(p))
	}
}

// line writes a line string without repeated points; one that rounds to
// a single point is left out.
func (w *geomWriter) line(ls orb.LineString) {
	if w.collect(ls); len(w.ring) >= 2 {
		w.path()
	}
}

// polygon writes the exterior with a positive area and the holes with a
// negative one; a polygon whose exterior rounds to nothing is left out,
// and so is such a hole.
func (w *geomWriter) polygon(p orb.Polygon) {
	for i, r := range p {
		if !w.ringOf(r, i == 0) && i == 0 {
			return
		}
	}
}

func (w *geomWriter) ringOf(r orb.Ring, exterior bool) bool {
	w.collect(r)
	if n := len(w.ring); n > 1 && w.ring[n-1] == w.ring[0] {
		w.ring = w.ring[:n-1]
	}
	if len(w.ring) < 3 {
		return false
	}
	var area int64
	for i, a := range w.ring {
		b := w.ring[(i+1)%len(w.ring)]
		area += int64(a[0])*int64(b[1]) - int64(b[0])*int64(a[1])
	}
	// The old rule of a unit of area (twice the area is the sum): an
	// exterior smaller than a square unit is not drawn.
	if area == 0 || exterior && area > -2 && area < 2 {
		return false
	}
	if (area > 0) != exterior {
		slices.Reverse(w.ring)
	}
	w.path()
	w.cmds = append(w.cmds, command(cmdClosePath, 1))
	return true
}

// collect puts ps, rounded, without repeated points, in w.ring.
func (w *geomWriter) collect(ps []orb.Point) {
	w.ring = w.ring[:0]
	for _, p := range ps {
		q := round(p)
		if n := len(w.ring); n == 0 || w.ring[n-1] != q {
			w.ring = append(w.ring, q)
		}
	}
}

// path writes w.ring as a MoveTo and a LineTo.
func (w *geomWriter) path() {
	w.cmds = append(w.cmds, command(cmdMoveTo, 1))
	w.step(w.ring[0])
	w.cmds = append(w.cmds, command(cmdLineTo, len(w.ring)-1))
	for _, q := range w.ring[1:] {
		w.step(q)
	}
}
