package demo

import (
	"fmt"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// transportLine is a road, railway or river course as drawn; the
// generator clips it to the city.
type transportLine struct {
	kind, name, ref string
	line            orb.LineString
}

// transportLines are Luohe's expressways, railways, national and
// provincial roads and main city roads.
func transportLines() []transportLine {
	return []transportLine{
		{"expressway", "京港澳高速", "G4", orb.LineString{
			{114.128, 34.02}, {114.118, 33.90}, {114.110, 33.80}, {114.106, 33.72}, {114.110, 33.64},
			{114.113, 33.58}, {114.112, 33.52}, {114.106, 33.46}, {114.100, 33.38}}},
		{"expressway", "宁洛高速", "G36", orb.LineString{
			{113.40, 33.503}, {113.50, 33.498}, {113.60, 33.490}, {113.70, 33.488}, {113.80, 33.486},
			{113.90, 33.488}, {113.98, 33.492}, {114.05, 33.497}, {114.12, 33.502}, {114.20, 33.508}, {114.32, 33.515}}},
		{"high_speed_rail", "京广高铁", "", orb.LineString{
			{113.893, 34.02}, {113.900, 33.90}, {113.912, 33.80}, {113.930, 33.70}, {113.948, 33.62},
			{113.957, 33.574}, {113.965, 33.52}, {113.972, 33.46}, {113.978, 33.38}}},
		{"railway", "京广铁路", "", orb.LineString{
			{113.950, 34.02}, {113.942, 33.90}, {113.936, 33.83}, {113.955, 33.75}, {113.985, 33.68},
			{114.012, 33.62}, {114.025, 33.570}, {114.028, 33.50}, {114.032, 33.38}}},
		{"railway", "漯阜铁路", "", orb.LineString{
			{114.025, 33.570}, {114.060, 33.566}, {114.100, 33.575}, {114.160, 33.585}, {114.22, 33.590}, {114.32, 33.595}}},
		{"highway", "107国道", "G107", orb.LineString{
			{113.965, 34.02}, {113.958, 33.90}, {113.950, 33.80}, {113.975, 33.72}, {114.000, 33.66},
			{114.018, 33.60}, {114.012, 33.55}, {114.008, 33.46}, {114.012, 33.38}}},
		{"highway", "240国道", "G240", orb.LineString{
			{113.40, 33.560}, {113.55, 33.540}, {113.70, 33.525}, {113.82, 33.535}, {113.92, 33.552},
			{113.975, 33.556}, {114.012, 33.551}}},
		{"highway", "219省道", "S219", orb.LineString{
			{113.603, 33.440}, {113.66, 33.500}, {113.72, 33.560}, {113.80, 33.600}, {113.88, 33.612}, {113.95, 33.605}}},
		{"highway", "330省道", "S330", orb.LineString{
			{113.70, 33.830}, {113.80, 33.828}, {113.926, 33.830}, {114.02, 33.835}, {114.16, 33.840}}},
		{"highway", "331省道", "S331", orb.LineString{
			{114.088, 33.588}, {114.15, 33.592}, {114.22, 33.600}, {114.32, 33.605}}},
		{"road", "黄河路", "", orb.LineString{{113.960, 33.606}, {114.000, 33.606}, {114.050, 33.607}, {114.100, 33.608}}},
		{"road", "长江路", "", orb.LineString{{113.965, 33.565}, {114.000, 33.565}, {114.050, 33.565}, {114.105, 33.566}}},
		{"road", "淮河路", "", orb.LineString{{113.985, 33.585}, {114.050, 33.584}, {114.100, 33.586}}},
		{"road", "嵩山路", "", orb.LineString{{113.993, 33.548}, {113.994, 33.580}, {113.993, 33.640}}},
		{"road", "太行山路", "", orb.LineString{{114.045, 33.566}, {114.046, 33.600}, {114.045, 33.622}}},
		{"road", "燕山路", "", orb.LineString{{114.086, 33.566}, {114.087, 33.600}, {114.086, 33.640}}},
		{"road", "滨河路", "", orb.LineString{{113.975, 33.583}, {114.000, 33.581}, {114.025, 33.580}}},
		{"road", "临颍颍川大道", "", orb.LineString{{113.900, 33.818}, {113.930, 33.818}, {113.962, 33.818}}},
		{"road", "舞阳人民路", "", orb.LineString{{113.585, 33.432}, {113.605, 33.440}, {113.618, 33.448}}},
	}
}

// stop is a point feature placed on (or next to) a line.
type stop struct {
	kind, name, ref string
	on              string // name of the line it sits on; empty: as given
	at              orb.Point
}

func stops() []stop {
	return []stop{
		{"high_speed_station", "漯河西站", "", "京广高铁", orb.Point{113.957, 33.574}},
		{"station", "漯河站", "", "京广铁路", orb.Point{114.025, 33.570}},
		{"station", "临颍站", "", "京广铁路", orb.Point{113.937, 33.822}},
		{"station", "漯河东站", "", "漯阜铁路", orb.Point{114.100, 33.575}},
		{"highway_exit", "临颍收费站", "G4", "京港澳高速", orb.Point{114.110, 33.820}},
		{"highway_exit", "漯河北收费站", "G4", "京港澳高速", orb.Point{114.108, 33.660}},
		{"highway_exit", "漯河东收费站", "G4", "京港澳高速", orb.Point{114.113, 33.588}},
		{"highway_exit", "漯河南收费站", "G4", "京港澳高速", orb.Point{114.112, 33.530}},
		{"highway_exit", "漯河西收费站", "G36", "宁洛高速", orb.Point{113.930, 33.489}},
		{"highway_exit", "舞阳收费站", "G36", "宁洛高速", orb.Point{113.620, 33.489}},
		{"highway_exit", "召陵收费站", "G36", "宁洛高速", orb.Point{114.190, 33.507}},
		{"port", "漯河港", "", "沙颍河", orb.Point{114.165, 33.644}},
	}
}

func (b *builder) buildTransport() error {
	add := func(kind, name, ref string, g orb.Geometry) {
		b.ds.Transport = append(b.ds.Transport, geo.Transport{
			ID: geo.ID(len(b.ds.Transport) + 1), Kind: kind, Name: name, Ref: ref, Geom: g,
		})
	}
	lines := transportLines()
	for _, rv := range b.rivers {
		lines = append(lines, transportLine{kind: "river", name: rv.name, line: rv.line})
	}
	for _, l := range lines {
		b.lines[l.name] = l.line
		parts := clipLine(l.line, b.city)
		switch len(parts) {
		case 0:
			return fmt.Errorf("%s lies outside the city", l.name)
		case 1:
			add(l.kind, l.name, l.ref, parts[0])
		default:
			add(l.kind, l.name, l.ref, parts)
		}
	}
	for _, s := range stops() {
		p := s.at
		if s.on != "" {
			line, ok := b.lines[s.on]
			if !ok {
				return fmt.Errorf("%s: no line %s", s.name, s.on)
			}
			p = nearestOnLine(line, p)
		}
		if !b.inCity(p) {
			return fmt.Errorf("%s lies outside the city", s.name)
		}
		b.lines[s.name] = orb.LineString{p}
		add(s.kind, s.name, s.ref, p)
	}
	return nil
}

// point returns a named station, exit or port.
func (b *builder) point(name string) orb.Point { return b.lines[name][0] }

// corridor is the land a road or railway takes in the plan: a band along
// its line, of the line's class of 用地用海.
type corridor struct {
	name  string
	code  string
	ring  orb.Ring
	bound orb.Bound
	local bool // a town's street
}

// corridorOf returns the half width in metres and the land-use class of
// a transport line's corridor: the carriageway or the tracks with their
// verges and protective strips, as the plan draws them.
func corridorOf(kind string) (float64, string) {
	switch kind {
	case "expressway":
		return 35, "1202" // 公路用地
	case "high_speed_rail":
		return 25, "1201" // 铁路用地
	case "railway":
		return 20, "1201"
	case "highway":
		return 20, "1202"
	}
	return 20, "1207" // 城镇村道路用地
}

// buildCorridors lays the corridors of the roads and railways, which cut
// the land-use plan's zones as the rivers do.
func (b *builder) buildCorridors() error {
	for _, t := range transportLines() {
		half, code := corridorOf(t.kind)
		ring := band(t.line, half)
		if !simpleRing(ring) {
			return fmt.Errorf("the corridor of %s crosses itself", t.name)
		}
		b.corridors = append(b.corridors, corridor{name: t.name, code: code, ring: ring, bound: ring.Bound()})
	}
	return nil
}
