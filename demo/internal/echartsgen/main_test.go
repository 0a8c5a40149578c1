package main

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestDecodeRingHandBuilt decodes a ring encoded by hand: the cells
// (116224, 34304), (116226, 34304), (116226, 34305) and back, that is the
// deltas (0,0) (2,0) (0,1) (−2,−1), zigzagged to 0 4 2 3 1 and offset by 64.
// Each point lies in the middle of its cell, half a cell below k/1024.
func TestDecodeRingHandBuilt(t *testing.T) {
	got := decodeRing("@@D@@BCA", [2]int{116224, 34304}, 1024)
	half := 0.5 / 1024
	want := orb.Ring{
		{113.5 - half, 33.5 - half},
		{113.5 + 2.0/1024 - half, 33.5 - half},
		{113.5 + 2.0/1024 - half, 33.5 + 1.0/1024 - half},
		{113.5 - half, 33.5 - half},
	}
	if !got.Equal(want) {
		t.Fatalf("decodeRing = %v, want %v", got, want)
	}
}

// encodeRing is the encoder of echarts' map tool (encodePolygon in
// echarts-mapmaker's map-tool.js), which quantises with Math.ceil.
func encodeRing(r orb.Ring, scale float64) (string, [2]int) {
	q := func(v float64) int { return int(math.Ceil(v * scale)) }
	prevX, prevY := q(r[0][0]), q(r[0][1])
	off := [2]int{prevX, prevY}
	var units []rune
	for _, p := range r {
		for k, prev := range []int{prevX, prevY} {
			v := q(p[k]) - prev
			units = append(units, rune((v<<1)^(v>>15))+64)
		}
		prevX, prevY = q(p[0]), q(p[1])
	}
	return string(units), off
}

// TestDecodeRingUnbiased encodes random points around Luohe as echarts'
// map tool does and decodes them: every point comes back within half a
// cell, and on average where it was (the quantisation with Math.ceil moved
// the points of a decoder that divides by the scale half a cell, about
// 47 m east and 54 m north).
func TestDecodeRingUnbiased(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var ring orb.Ring
	for range 2000 {
		ring = append(ring, orb.Point{113.45 + 0.8*r.Float64(), 33.40 + 0.6*r.Float64()})
	}
	s, off := encodeRing(ring, 1024)
	got := decodeRing(s, off, 1024)
	if len(got) != len(ring) {
		t.Fatalf("%d points decoded, want %d", len(got), len(ring))
	}
	var sx, sy float64
	for i, p := range got {
		dx, dy := (p[0]-ring[i][0])*1024, (p[1]-ring[i][1])*1024
		if math.Abs(dx) > 0.5+1e-9 || math.Abs(dy) > 0.5+1e-9 {
			t.Fatalf("point %d: decoded %v, encoded %v: %.3f, %.3f cells off", i, p, ring[i], dx, dy)
		}
		sx += dx
		sy += dy
	}
	n := float64(len(got))
	if math.Abs(sx/n) > 0.03 || math.Abs(sy/n) > 0.03 {
		t.Errorf("mean offset %.3f, %.3f cells, want about 0", sx/n, sy/n)
	}
}

// TestParseEchartsJS reads a registered map the way the npm files hold it.
func TestParseEchartsJS(t *testing.T) {
	src := `(function (root, factory) {factory({}, root.echarts);}(this, function (exports, echarts) {
echarts.registerMap('漯河', {"type":"FeatureCollection","features":[{"id":"411102","type":"Feature","properties":{"name":"源汇区","cp":[114.0,33.5]},"geometry":{"type":"Polygon","coordinates":["@@D@@BCA"],"encodeOffsets":[[116224,34304]]}}],"UTF8Encoding":true});}));`
	m, err := parseEchartsJS([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Features) != 1 || m.Features[0].ID != "411102" || !m.UTF8Encoding {
		t.Fatalf("parsed %+v", m)
	}
	g := m.Features[0].Geometry
	mp, err := decodeGeometry(g.Type, g.Coordinates, g.EncodeOffsets, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if len(mp) != 1 || len(mp[0]) != 1 || len(mp[0][0]) != 4 {
		t.Fatalf("decoded %v", mp)
	}
	if !strings.Contains(src, m.Features[0].Properties.Name) {
		t.Errorf("name %q", m.Features[0].Properties.Name)
	}
}
