// Package land is the land bureau's capability: land-use classification
// systems and classes, the zones of the land-use plan, the 三区三线 control
// lines and legacy construction-control zones, and construction-land
// quotas, with the Service that reads them.
package land

import (
	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// The classification systems of land-use codes.
const (
	// SystemGTKJ2023 is 国土空间调查、规划、用途管制用地用海分类 (2023), the
	// land-use classification of territorial spatial plans.
	SystemGTKJ2023 = "gtkj2023"
	// SystemGBT21010 is GB/T 21010-2017 土地利用现状分类, the classification
	// of the third land survey (三调) and of older plans.
	SystemGBT21010 = "gbt21010-2017"
)

// System is a land-use classification system.
type System struct {
	ID   string `json:"id"` // e.g. SystemGTKJ2023
	Name string `json:"name"`
}

// Code is a land-use code together with its classification system:
// codes clash between systems (1001 is 工业用地 in 用地用海 but 铁路用地 in
// 三调), so a code never travels alone.
type Code struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

// Class is one class of a classification system.
type Class struct {
	System       string `json:"system"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Parent       string `json:"parent"`       // code of the parent class; empty at the first level
	Construction bool   `json:"construction"` // counts as construction land (建设用地)
}

// Zone is a zone of a land-use plan (国土空间规划).
type Zone struct {
	ID      geo.ID // 0: assigned by the database
	Landuse Code
	Plan    string // the plan the zone belongs to
	Geom    orb.MultiPolygon
}

// ControlLine is a 三区三线 control area: basic_farmland, eco_redline or
// urban_boundary.
type ControlLine struct {
	ID         geo.ID
	Kind       string
	Name       string
	DistrictID geo.ID // 0: none
	Geom       orb.MultiPolygon
}

// ControlZone is a legacy construction-control zone (建设用地管制区) of a
// 土地利用总体规划: code 010, 020, 030 or 040.
type ControlZone struct {
	ID   geo.ID
	Code string
	Plan string
	Geom orb.MultiPolygon
}

// Quota is a district's annual construction-land quota (年度建设用地计划指标).
type Quota struct {
	DistrictID geo.ID
	Year       int
	Mu         geo.Dec // 亩
}
