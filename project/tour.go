package project

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// Observation tours (观摩): projects visited in an order, along a route,
// at times, scored by judges; the districts ranked by their projects'
// scores, the last one flagged (末位表态).

// Limits and defaults of a tour.
const (
	MaxTourStops     = 30  // stops of one tour: a long day's visiting
	MaxTourText      = 100 // characters of a tour's and its start's name
	MaxDwell         = 240 // minutes at one stop
	DefaultDwell     = 20  // minutes at a stop unless given
	DefaultStartTime = "08:30"
	// MaxPerDistrict bounds the key projects per district the rule picks.
	MaxPerDistrict = 5
	// AccessKmh is the speed (km/h) assumed on the straight line between
	// a stop and the road-network node it is snapped to.
	AccessKmh = 30.0
	// StraightKmh is the speed (km/h) assumed over straight-line distances
	// when no road network is loaded: slower than the roads' speeds, since
	// the road distance is longer than the straight line.
	StraightKmh = 40.0
	// CityStartName names the default start, the city government, placed
	// at the seat of 源汇区 (district code CityStartDistrict).
	CityStartName     = "漯河市人民政府"
	CityStartDistrict = "411102"
)

// The route modes: over the road network, or straight lines when none is
// loaded.
const (
	RouteRoads    = "roads"
	RouteStraight = "straight"
	// StraightNote says, in the answer and the UI, how a route without a
	// network is estimated.
	StraightNote = "无路网，按直线距离估算"
)

// TourStart is a tour's start: a name and a place (CGCS2000 lon/lat).
type TourStart struct {
	Name string  `json:"name"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
}

// TourInput is a tour as POST and PUT take it. Either ProjectIDs (picked
// by hand) or PerDistrict (the key projects of every district, see
// TourStore.KeyProjects) names the stops. Order "optimize" (the default)
// sets the visiting order that makes the round trip quickest; "given"
// keeps the order of ProjectIDs.
type TourInput struct {
	Name         string     `json:"name"`
	Day          string     `json:"day"`
	StartTime    string     `json:"start_time"`
	DwellMinutes *int       `json:"dwell_minutes"`
	Start        *TourStart `json:"start"`
	ProjectIDs   []geo.ID   `json:"project_ids"`
	PerDistrict  int        `json:"per_district"`
	Order        string     `json:"order"`
}

// TourPlan is a checked tour, its stops in visiting order, as the store
// keeps it.
type TourPlan struct {
	Name         string
	Day          time.Time
	StartTime    string // HH:MM
	DwellMinutes int
	Start        TourStart
	ProjectIDs   []geo.ID
}

// TourSummary is a tour in the list of tours.
type TourSummary struct {
	ID        geo.ID    `json:"id"`
	Name      string    `json:"name"`
	Day       string    `json:"day"`
	Stops     int       `json:"stops"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TourRecord is a kept tour with its stops in order and their scores.
type TourRecord struct {
	ID        geo.ID
	Plan      TourPlan
	Version   int
	CreatedBy string
	UpdatedAt time.Time
	Stops     []StopFacts
	Scores    []Score
}

// StopFacts is what a stop's briefing card needs beyond the project's
// view: its place, its cumulative investment and its latest progress
// note.
type StopFacts struct {
	ProjectID    geo.ID
	Point        orb.Point
	Stage        geo.Stage
	Invested     geo.Dec // completed to date, 万元
	ProgressNote *string // of the latest reported month
	NoteMonth    *string // YYYY-MM
}

// Score is a judge's score of a visited project; nil Score in an input
// takes the judge's score back.
type Score struct {
	ProjectID geo.ID   `json:"project_id"`
	Judge     string   `json:"judge,omitempty"`
	Score     *float64 `json:"score"`
}

// ScoresInput is a judge's scoring sheet: scores of visited projects
// (a district's, or any).
type ScoresInput struct {
	Scores []Score `json:"scores"`
}

// Leg is a stretch of a route: metres, seconds and the way (GeoJSON).
type Leg struct {
	Metres  float64 `json:"metres"`
	Seconds float64 `json:"seconds"`
	Way     []byte  `json:"-"`
}

// Route is a routed tour: the visiting order (indexes of the stops, from
// 0) and the legs from the start through the stops and back.
type Route struct {
	Order []int
	Legs  []Leg
	Roads bool // over the road network; false: straight lines
}

// TourStore keeps tours and routes them.
type TourStore interface {
	Tours(ctx context.Context, p geo.Principal) ([]TourSummary, error)
	// Tour returns a tour with its stops' facts and scores; KindNotFound
	// if there is none.
	Tour(ctx context.Context, p geo.Principal, id geo.ID) (TourRecord, error)
	// SaveTour adds (id 0) or changes a tour made on version; returns its
	// id. KindPreconditionFailed when version is not the tour's.
	SaveTour(ctx context.Context, p geo.Principal, id geo.ID, version int, t TourPlan) (geo.ID, error)
	// DeleteTour removes a tour of version (KindPreconditionFailed
	// otherwise).
	DeleteTour(ctx context.Context, p geo.Principal, id geo.ID, version int) error
	// PutScores sets (or, for a nil score, removes) judge's scores of
	// projects of tour id.
	PutScores(ctx context.Context, p geo.Principal, id geo.ID, judge string, scores []Score) error
	// KeyProjects are the key projects of every district: per district,
	// the n projects under construction (在建) with the largest total
	// investment (ties by id), districts in code order.
	KeyProjects(ctx context.Context, p geo.Principal, n int) ([]geo.ID, error)
	// StopFacts returns the facts of the projects ids that p may see, in
	// no order; a project missing from the answer does not exist for p.
	StopFacts(ctx context.Context, p geo.Principal, ids []geo.ID) ([]StopFacts, error)
	// CityStart is the default start: the seat of district
	// CityStartDistrict (a point on it if it has no seat).
	CityStart(ctx context.Context) (TourStart, error)
	// InCity reports whether pt lies in one of the city's districts.
	InCity(ctx context.Context, pt orb.Point) (bool, error)
	// Route routes a round trip from places[0] through the others and
	// back: in their order, or (optimize) in the order of pgr_TSP.
	Route(ctx context.Context, places []orb.Point, optimize bool) (Route, error)
}

// Tours is the observation tours' service.
type Tours struct {
	store    TourStore
	projects *Service
	now      func() time.Time
}

// NewTours returns the service over store, reading projects through
// projects.
func NewTours(store TourStore, projects *Service) *Tours {
	return &Tours{store: store, projects: projects, now: time.Now}
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Check checks a tour's input: KindInvalid naming the field. The stops
// are not looked up here.
func (in TourInput) Check() (TourPlan, error) {
	var t TourPlan
	var err error
	if t.Name, err = inputText("name", "观摩活动名称", "The tour's name", in.Name, true, MaxTourText); err != nil {
		return t, err
	}
	if t.Day, err = ParseDate(strings.TrimSpace(in.Day)); err != nil || t.Day.IsZero() {
		return t, inputError("day", "bad_date", "观摩日期须为 2000–2100 年的日期，如 2026-12-08", "day must be a date from 2000 to 2100, e.g. 2026-12-08")
	}
	t.StartTime = strings.TrimSpace(in.StartTime)
	if t.StartTime == "" {
		t.StartTime = DefaultStartTime
	}
	if !clock.MatchString(t.StartTime) {
		return t, inputError("start_time", "bad_time", "出发时间须为 24 小时制的时:分，如 08:30", "start_time must be HH:MM (24 hours), e.g. 08:30")
	}
	t.DwellMinutes = DefaultDwell
	if in.DwellMinutes != nil {
		t.DwellMinutes = *in.DwellMinutes
	}
	if t.DwellMinutes < 0 || t.DwellMinutes > MaxDwell {
		return t, inputError("dwell_minutes", "bad_dwell", fmt.Sprintf("每个点位停留时间须为 0–%d 分钟", MaxDwell),
			fmt.Sprintf("dwell_minutes must be 0 to %d", MaxDwell))
	}
	if in.Start != nil {
		if t.Start.Name, err = inputText("start.name", "出发地名称", "The start's name", in.Start.Name, true, MaxTourText); err != nil {
			return t, err
		}
		t.Start.Lon, t.Start.Lat = in.Start.Lon, in.Start.Lat
		if !lonLat(orb.Point{t.Start.Lon, t.Start.Lat}) {
			return t, inputError("start", "bad_start", "出发地坐标须为 CGCS2000 经纬度", "the start must be a CGCS2000 longitude and latitude")
		}
	}
	switch in.Order {
	case "", "optimize", "given":
	default:
		return t, inputError("order", "bad_order", "顺序须为 optimize（自动排序）或 given（按所选顺序）", `order must be "optimize" or "given"`)
	}
	switch {
	case in.PerDistrict != 0 && len(in.ProjectIDs) > 0:
		return t, inputError("per_district", "pick_conflict", "请只选一种方式：手选项目（project_ids）或每个区县的重点项目（per_district）",
			"give either project_ids or per_district, not both")
	case in.PerDistrict != 0:
		if in.PerDistrict < 1 || in.PerDistrict > MaxPerDistrict {
			return t, inputError("per_district", "bad_per_district", fmt.Sprintf("每个区县的重点项目数须为 1–%d", MaxPerDistrict),
				fmt.Sprintf("per_district must be 1 to %d", MaxPerDistrict))
		}
		return t, nil
	}
	t.ProjectIDs = in.ProjectIDs
	return t, checkStops(t.ProjectIDs)
}

// checkStops checks the number of stops and that none repeats.
func checkStops(ids []geo.ID) error {
	switch {
	case len(ids) == 0:
		return inputError("project_ids", "no_stops", "请至少选择一个观摩项目", "pick at least one project to visit")
	case len(ids) > MaxTourStops:
		return inputError("project_ids", "too_many_stops", fmt.Sprintf("一次观摩最多 %d 个项目（现有 %d 个）", MaxTourStops, len(ids)),
			fmt.Sprintf("a tour visits at most %d projects (%d given)", MaxTourStops, len(ids)))
	}
	seen := map[geo.ID]bool{}
	for _, id := range ids {
		if id <= 0 {
			return inputError("project_ids", "unknown_project", fmt.Sprintf("项目编号 %d 无效", id), fmt.Sprintf("invalid project id %d", id))
		}
		if seen[id] {
			return inputError("project_ids", "duplicate_stop", fmt.Sprintf("项目 %d 重复选择", id), fmt.Sprintf("project %d is picked twice", id))
		}
		seen[id] = true
	}
	return nil
}

// plan checks a tour's input and completes it: the key projects when the
// rule picks them, the city government as the start when none is given,
// the stops checked and put in visiting order.
func (s *Tours) plan(ctx context.Context, p geo.Principal, in TourInput) (TourPlan, error) {
	t, err := in.Check()
	if err != nil {
		return t, err
	}
	if in.PerDistrict > 0 {
		if t.ProjectIDs, err = s.store.KeyProjects(ctx, p, in.PerDistrict); err != nil {
			return t, err
		}
		if len(t.ProjectIDs) == 0 {
			return t, inputError("per_district", "no_key_projects", "没有在建的重点项目可供观摩", "there is no project under construction to visit")
		}
		if err := checkStops(t.ProjectIDs); err != nil {
			return t, err
		}
	}
	if in.Start == nil {
		if t.Start, err = s.store.CityStart(ctx); err != nil {
			return t, err
		}
	} else if ok, err := s.store.InCity(ctx, orb.Point{t.Start.Lon, t.Start.Lat}); err != nil {
		return t, err
	} else if !ok {
		return t, inputError("start", "start_outside", "出发地须在本市范围内", "the start must lie inside the city")
	}
	facts, err := s.store.StopFacts(ctx, p, t.ProjectIDs)
	if err != nil {
		return t, err
	}
	at := map[geo.ID]StopFacts{}
	for _, f := range facts {
		at[f.ProjectID] = f
	}
	places := []orb.Point{{t.Start.Lon, t.Start.Lat}}
	for _, id := range t.ProjectIDs {
		f, ok := at[id]
		switch {
		case !ok:
			return t, inputError("project_ids", "unknown_project", fmt.Sprintf("项目 %d 不存在", id), fmt.Sprintf("there is no project %d", id))
		case f.Stage == geo.StageWithdrawn:
			return t, inputError("project_ids", "withdrawn_project", fmt.Sprintf("项目 %d 已退库，不能观摩", id), fmt.Sprintf("project %d is withdrawn and cannot be visited", id))
		}
		places = append(places, f.Point)
	}
	if in.Order == "given" || len(t.ProjectIDs) < 2 {
		return t, nil
	}
	r, err := s.store.Route(ctx, places, true)
	if err != nil {
		return t, err
	}
	ordered := make([]geo.ID, len(r.Order))
	for i, k := range r.Order {
		ordered[i] = t.ProjectIDs[k]
	}
	t.ProjectIDs = ordered
	return t, nil
}

// Create checks, orders and keeps a new tour.
func (s *Tours) Create(ctx context.Context, p geo.Principal, in TourInput) (TourView, error) {
	t, err := s.plan(ctx, p, in)
	if err != nil {
		return TourView{}, err
	}
	id, err := s.store.SaveTour(ctx, p, 0, 0, t)
	if err != nil {
		return TourView{}, err
	}
	return s.Tour(ctx, p, id)
}

// Update replaces a tour made on version: KindPreconditionFailed if it
// changed since.
func (s *Tours) Update(ctx context.Context, p geo.Principal, id geo.ID, version int, in TourInput) (TourView, error) {
	if _, err := s.store.Tour(ctx, p, id); err != nil {
		return TourView{}, err
	}
	t, err := s.plan(ctx, p, in)
	if err != nil {
		return TourView{}, err
	}
	if _, err := s.store.SaveTour(ctx, p, id, version, t); err != nil {
		return TourView{}, err
	}
	return s.Tour(ctx, p, id)
}

// Delete removes a tour of version.
func (s *Tours) Delete(ctx context.Context, p geo.Principal, id geo.ID, version int) error {
	return s.store.DeleteTour(ctx, p, id, version)
}

// List lists the tours, the latest day first.
func (s *Tours) List(ctx context.Context, p geo.Principal) ([]TourSummary, error) {
	return s.store.Tours(ctx, p)
}

// KeyProjects returns the key projects of every district (see
// TourStore.KeyProjects) as p may see them; KindInvalid for n outside 1
// to MaxPerDistrict.
func (s *Tours) KeyProjects(ctx context.Context, p geo.Principal, n int) ([]View, error) {
	if n < 1 || n > MaxPerDistrict {
		return nil, inputError("per_district", "bad_per_district", fmt.Sprintf("每个区县的重点项目数须为 1–%d", MaxPerDistrict),
			fmt.Sprintf("per_district must be 1 to %d", MaxPerDistrict))
	}
	ids, err := s.store.KeyProjects(ctx, p, n)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(ids))
	for _, id := range ids {
		v, err := s.projects.Project(ctx, p, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// PutScores checks and keeps the scoring sheet of judge p: every score 0
// to 100 with at most one decimal, of a project the tour visits, once.
func (s *Tours) PutScores(ctx context.Context, p geo.Principal, id geo.ID, in ScoresInput) (TourView, error) {
	rec, err := s.store.Tour(ctx, p, id)
	if err != nil {
		return TourView{}, err
	}
	if err := checkScores(rec, in.Scores); err != nil {
		return TourView{}, err
	}
	if err := s.store.PutScores(ctx, p, id, p.Username, in.Scores); err != nil {
		return TourView{}, err
	}
	return s.Tour(ctx, p, id)
}

func checkScores(rec TourRecord, scores []Score) error {
	if len(scores) == 0 {
		return inputError("scores", "no_scores", "评分表为空", "the scoring sheet is empty")
	}
	seen := map[geo.ID]bool{}
	for _, sc := range scores {
		if !slices.ContainsFunc(rec.Stops, func(f StopFacts) bool { return f.ProjectID == sc.ProjectID }) {
			return inputError("scores", "not_a_stop", fmt.Sprintf("项目 %d 不在本次观摩之列", sc.ProjectID),
				fmt.Sprintf("project %d is not a stop of this tour", sc.ProjectID))
		}
		if seen[sc.ProjectID] {
			return inputError("scores", "duplicate_score", fmt.Sprintf("项目 %d 评了两次分", sc.ProjectID),
				fmt.Sprintf("project %d is scored twice", sc.ProjectID))
		}
		seen[sc.ProjectID] = true
		if sc.Score == nil {
			continue
		}
		v := *sc.Score
		if math.IsNaN(v) || v < 0 || v > 100 || math.Abs(v*10-math.Round(v*10)) > 1e-9 {
			return inputError("scores", "bad_score", fmt.Sprintf("项目 %d 的得分须为 0–100，最多一位小数", sc.ProjectID),
				fmt.Sprintf("the score of project %d must be 0 to 100 with at most one decimal", sc.ProjectID))
		}
	}
	return nil
}
