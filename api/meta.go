package api

import (
	"context"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
)

// Places is what the API needs to know of where onemap is: the districts
// and the extent of their outlines (ok false: none loaded yet).
type Places interface {
	Districts(ctx context.Context) ([]geo.District, orb.Bound, bool, error)
}

// City names the city onemap serves; its extent comes from its districts.
type City struct {
	Name   string // e.g. 漯河市
	NameEN string // e.g. Luohe
}

// cityInfo is the city in GET /api/meta and TileJSON.
type cityInfo struct {
	Name   string     `json:"name"`
	NameEN string     `json:"name_en"`
	Bounds [4]float64 `json:"bounds"` // west, south, east, north
	Center [2]float64 `json:"center"`
	Zoom   float64    `json:"zoom"`
}

// whereabouts answers the city with the extent of its districts, rounded out to
// a hundredth of a degree; with no districts yet, the whole world.
func (s *Server) whereabouts(ctx context.Context) (cityInfo, []geo.District, error) {
	ds, b, ok, err := s.Places.Districts(ctx)
	if err != nil {
		return cityInfo{}, nil, err
	}
	ci := cityInfo{Name: s.City.Name, NameEN: s.City.NameEN, Bounds: [4]float64{-180, -85, 180, 85}, Zoom: 1}
	if ok {
		ci.Bounds = [4]float64{math.Floor(b.Min[0]*100) / 100, math.Floor(b.Min[1]*100) / 100,
			math.Ceil(b.Max[0]*100) / 100, math.Ceil(b.Max[1]*100) / 100}
		ci.Center = [2]float64{math.Round((ci.Bounds[0]+ci.Bounds[2])*50) / 100, math.Round((ci.Bounds[1]+ci.Bounds[3])*50) / 100}
		// The zoom at which the city's width fills about 1,000 pixels.
		ci.Zoom = max(0, min(14, math.Floor(math.Log2(720/(ci.Bounds[2]-ci.Bounds[0])))))
	}
	return ci, ds, nil
}

// district is a district in GET /api/meta.
type district struct {
	ID   geo.ID `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// meta is GET /api/meta: what the web app shows and labels, from the
// field registry, the glossary and the database.
type meta struct {
	City           cityInfo    `json:"city"`
	Districts      []district  `json:"districts"`
	Roles          []geo.Label `json:"roles"`
	Stages         []geo.Label `json:"stages"`
	Categories     []geo.Label `json:"categories"`
	SupplyStatuses []geo.Label `json:"supply_statuses"`
	ControlKinds   []geo.Label `json:"control_kinds"`
	FirmTags       []geo.Label `json:"firm_tags"`
	FirmStages     []geo.Label `json:"firm_stages"`
	Utilities      []geo.Label `json:"utilities"`
	TransportKinds []geo.Label `json:"transport_kinds"`
	CameraKinds    []geo.Label `json:"camera_kinds"`
	// AssessmentItems are the district assessment's items (考核项).
	AssessmentItems []geo.Label     `json:"assessment_items"`
	LanduseSystems  []land.System   `json:"landuse_systems"`
	LanduseClasses  []land.Class    `json:"landuse_classes"`
	Aggregates      []aggregateInfo `json:"aggregates"`
	// TimeZone is the city's time zone (IANA), in which times are shown.
	TimeZone string `json:"time_zone"`
	Limits   limits `json:"limits"`

	// PoolDecisions, Waves and HeatingStatuses name the reserve pool
	// review's decisions, the groundbreaking waves and the heating-season
	// statuses.
	PoolDecisions   []geo.Label `json:"pool_decisions"`
	Waves           []geo.Label `json:"waves"`
	HeatingStatuses []geo.Label `json:"heating_statuses"`
}

// limits are the bounds of the forms' inputs, as the server checks them.
type limits struct {
	Amount geo.Dec `json:"amount"` // every amount of a project and its reports, 万元
	Note   int     `json:"note"`   // a progress note, in characters
	// The photos of a month's report: bytes each, how many, a caption's
	// characters.
	PhotoBytes int `json:"photo_bytes"`
	Photos     int `json:"photos"`
	Caption    int `json:"caption"`
}

type aggregateInfo struct {
	Kind   string      `json:"kind"`
	ZH     string      `json:"zh"`
	EN     string      `json:"en"`
	Fields []fieldMeta `json:"fields"`
}

// fieldMeta is a registry field with its labels composed with the unit.
type fieldMeta struct {
	geo.Field
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
}

func (s *Server) meta(c echo.Context) error {
	ctx := c.Request().Context()
	ci, ds, err := s.whereabouts(ctx)
	if err != nil {
		return err
	}
	lc, err := s.Land.Classification(ctx)
	if err != nil {
		return err
	}
	m := meta{City: ci, Districts: []district{}, Roles: geo.Roles(), Stages: geo.Stages(), Categories: geo.Categories(),
		SupplyStatuses: geo.SupplyStatuses(), ControlKinds: geo.ControlKinds(), FirmTags: geo.FirmTags(),
		FirmStages: geo.FirmStages(), Utilities: geo.Utilities(), TransportKinds: geo.TransportKinds(),
		CameraKinds: project.CameraKinds(), AssessmentItems: project.ItemLabels(),
		LanduseSystems: lc.Systems, LanduseClasses: lc.Classes, TimeZone: geo.TimeZone,
		Limits: limits{Amount: project.MaxAmount, Note: project.MaxNote, PhotoBytes: project.MaxPhotoBytes,
			Photos: project.MaxPhotos, Caption: project.MaxCaption}}
	m.PoolDecisions, m.Waves, m.HeatingStatuses = project.Decisions(), project.WaveNames(), project.HeatingStatuses()
	for _, d := range ds {
		m.Districts = append(m.Districts, district{d.ID, d.Code, d.Name, d.Kind})
	}
	for _, a := range s.Registry.Aggregates() {
		ai := aggregateInfo{Kind: a.Kind, ZH: a.ZH, EN: a.EN}
		for _, f := range a.Fields {
			ai.Fields = append(ai.Fields, fieldMeta{f, f.Label(), f.LabelEN()})
		}
		m.Aggregates = append(m.Aggregates, ai)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, m)
}
