// Package demo generates onemap's demonstration data: a believable Luohe
// (漯河市) with its real county outlines, function zones, rivers, roads and
// railways, industrial parks and parcels, a land-use plan tiling the whole
// city, the 三区三线 control lines, key projects with their monthly
// progress, enclaves, quotas and target firms. The output is fully
// deterministic: the same call returns the same data on every run.
//
// Scale streams synthetic land-use zones and parcels in any number, for
// load tests and benchmarks.
package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/luohe/onemap/postgis"
	"github.com/paulmach/orb"
)

// District IDs of the demo: the five counties by adcode order, then the
// three function zones.
const (
	Yuanhui  = 1 // 源汇区
	Yancheng = 2 // 郾城区
	Shaoling = 3 // 召陵区
	Wuyang   = 4 // 舞阳县
	Linying  = 5 // 临颍县
	ETDZ     = 6 // 漯河经济技术开发区
	URDZ     = 7 // 城乡一体化示范区
	Xicheng  = 8 // 西城区
)

// The plans the demo's zones belong to.
const (
	// CityPlan is the city's territorial spatial master plan.
	CityPlan = "漯河市国土空间总体规划（2021—2035年）"
	// LegacyPlan is the land-use master plan the construction-control
	// zones come from.
	LegacyPlan = "漯河市土地利用总体规划（2006—2020年）"
)

// Generate returns the demo data of year, with the monthly progress of
// the whole year (January to December). It is GenerateAsOf(year,
// time.December).
func Generate(year int) *postgis.Dataset { return GenerateAsOf(year, time.December) }

// GenerateAsOf returns the demo data of year as it stands at the end of
// month through: projects under construction report their progress for
// January to through, and the stages, starts and finishes are consistent
// with that date. The result depends only on year and through.
func GenerateAsOf(year int, through time.Month) *postgis.Dataset {
	if through < time.January || through > time.December {
		through = time.December
	}
	b, err := newBuilder(year, through)
	if err != nil {
		// The inputs are embedded and the generator deterministic: an
		// error here is a bug that the package's tests catch.
		panic(fmt.Sprintf("demo: %v", err))
	}
	return b.ds
}

// builder holds the generator's state while it builds a dataset.
type builder struct {
	year      int
	through   time.Month
	ds        *postgis.Dataset
	counties  []county
	city      orb.MultiPolygon // all county polygons
	cityBound orb.Bound
	rivers    []river
	corridors []corridor // of the roads and railways
	urban     []urbanArea
	parks     []*parkPlan
	zones     []*zonePiece // land-use zones while they are built
	villages  []orb.Point
	// parcelUsed marks the parcels (by index) that are project sites.
	parcelUsed map[int]bool
	// parcelOffered marks the parcels offered to target firms.
	parcelOffered map[int]bool
	// lines holds the transport lines and rivers as drawn (before
	// clipping) and the stations, exits and port as one-point lines, by
	// name; it is only looked up, never ranged over.
	lines map[string]orb.LineString
}

// newBuilder builds the whole dataset.
func newBuilder(year int, through time.Month) (*builder, error) {
	b := &builder{year: year, through: through, ds: &postgis.Dataset{}, lines: map[string]orb.LineString{},
		parcelUsed: map[int]bool{}, parcelOffered: map[int]bool{}}
	steps := []struct {
		name string
		run  func() error
	}{
		{"counties", b.buildCounties},
		{"rivers", b.buildRivers},
		{"transport", b.buildTransport},
		{"corridors", b.buildCorridors},
		{"parks", b.planParks},
		{"urban areas", b.buildUrban},
		{"function zones", b.buildFunctionZones},
		{"parcels", b.buildParcels},
		{"land-use classes", b.buildClasses},
		{"land-use plan", b.buildLanduse},
		{"projects", b.buildProjects},
		{"control lines", b.buildControls},
		{"land-use zones", func() error { b.landuseZones(); return nil }},
		{"enclaves", b.buildEnclaves},
		{"firms", b.buildFirms},
		{"industry chains", b.buildChains},
		{"quotas", b.buildQuotas},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return b, nil
}

// rng returns the random stream of one part of the generator. Each part
// has its own stream, so that changing one part leaves the others alone.
func rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(0x6c756f6865, stream)) // "luohe"
}

// Random streams.
const (
	streamGrid uint64 = iota + 1
	streamLanduse
	streamParcels
	streamProjects
	streamProgress
	streamFirms
	streamVillages
	streamUrban
	streamFaces
	streamFirmStages
)

// between returns a uniform value in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted returns an index drawn with the given weights.
func weighted(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	t := r.Float64() * sum
	for i, x := range w {
		if t < x {
			return i
		}
		t -= x
	}
	return len(w) - 1
}

// date returns midnight UTC of the day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// multi wraps rings as a MultiPolygon of one polygon each.
func multi(rings ...orb.Ring) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, 0, len(rings))
	for _, r := range rings {
		mp = append(mp, orb.Polygon{r})
	}
	return mp
}
