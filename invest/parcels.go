package invest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Values are a park's or a parcel's fields as they come from outside, by
// the field registry's names (as GET answers them): a GeoJSON Feature's
// properties. A nil value, or one of blanks only, empties the field.
// Lists (industries, utilities) are one text, separated by commas or 、.
type Values map[string]*string

// Edit is a new park or parcel or a change to one: the fields it gives
// and, if not nil, its outline (a Polygon or MultiPolygon in CGCS2000
// longitude and latitude).
type Edit struct {
	Values   Values
	Geometry orb.Geometry
}

// ParcelView is a parcel as the API answers it, by the registry's names.
type ParcelView struct {
	ID                  geo.ID          `json:"id"`
	Code                string          `json:"code"`
	Name                *string         `json:"name"`
	DistrictID          *geo.ID         `json:"district_id"`
	District            *string         `json:"district"`
	ParkID              *geo.ID         `json:"park_id"`
	Park                *string         `json:"park"`
	SupplyStatus        string          `json:"supply_status"`
	LanduseSystem       string          `json:"landuse_system"`
	LanduseCode         string          `json:"landuse_code"`
	LanduseName         string          `json:"landuse_name"`
	AreaM2              float64         `json:"area_m2"`
	AreaMu              float64         `json:"area_mu"`
	Price               *geo.Dec        `json:"price"`
	PlotRatioMin        *geo.Dec        `json:"plot_ratio_min"`
	PlotRatioMax        *geo.Dec        `json:"plot_ratio_max"`
	PlotRatio           *string         `json:"plot_ratio"`
	BuildingDensity     *geo.Dec        `json:"building_density"`
	GreenRatio          *geo.Dec        `json:"green_ratio"`
	InvestmentIntensity *geo.Dec        `json:"investment_intensity"`
	TaxPerMu            *geo.Dec        `json:"tax_per_mu"`
	Utilities           string          `json:"utilities"` // ids, comma separated
	Geom                json.RawMessage `json:"geom,omitempty"`
	Lon                 float64         `json:"lon"`
	Lat                 float64         `json:"lat"`
	Version             int             `json:"version"`
	UpdatedAt           time.Time       `json:"updated_at"`
}

// SupplyEntry is one line of a parcel's supply history.
type SupplyEntry struct {
	From   *string   `json:"from"` // nil: the parcel was made
	To     string    `json:"to"`
	On     string    `json:"changed_on"` // YYYY-MM-DD
	Reason *string   `json:"reason"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
}

// SupplyChange is a change of a parcel's supply status, for its history.
type SupplyChange struct {
	From   string // "": a new parcel
	To     string
	On     time.Time
	Reason string
}

// PlaceCheck is what the database finds of an outline.
type PlaceCheck struct {
	// Problem is why the outline is not valid, as PostGIS says it; "":
	// valid.
	Problem string
	// Repaired is the valid shape nearest an invalid outline.
	Repaired orb.MultiPolygon
	// InCity: inside the districts' outlines (sticking out by 1% of its
	// area at most).
	InCity bool
	// Districts are the districts the outline's representative point
	// lies in.
	Districts []geo.District
	// InPark: inside the park asked about (as InCity), or no park asked
	// about.
	InPark bool
}

// SiteStore keeps parks and parcels. Row security limits every call to
// what the principal may see and change.
type SiteStore interface {
	// CheckPlace checks an outline: its validity, the city, its
	// districts and, if park is not 0, whether it lies inside that park.
	CheckPlace(ctx context.Context, g orb.MultiPolygon, park geo.ID) (PlaceCheck, error)
	// ParkRecord and ParcelRecord return an aggregate with its version;
	// KindNotFound.
	ParkRecord(ctx context.Context, p geo.Principal, id geo.ID) (Park, error)
	ParcelRecord(ctx context.Context, p geo.Principal, id geo.ID) (Parcel, error)
	// Park and Parcel return a view with the outline; KindNotFound.
	Park(ctx context.Context, p geo.Principal, id geo.ID) (ParkView, error)
	Parcel(ctx context.Context, p geo.Principal, id geo.ID) (ParcelView, error)
	// Parks and Parcels list the views without outlines, by id; parcels
	// of one park if park is not 0.
	Parks(ctx context.Context, p geo.Principal) ([]ParkView, error)
	Parcels(ctx context.Context, p geo.Principal, park geo.ID) ([]ParcelView, error)
	// SavePark keeps a checked park: a new one (version 0) or a change
	// made on version. KindPreconditionFailed if it changed since,
	// KindConflict for a name in use, KindForbidden, KindNotFound.
	SavePark(ctx context.Context, p geo.Principal, pk Park, version int) (ParkView, error)
	// SaveParcel keeps a checked parcel as SavePark, with its supply
	// change if any; KindConflict for a code in use, KindInvalid for an
	// unknown land-use class or park.
	SaveParcel(ctx context.Context, p geo.Principal, pc Parcel, version int, sc *SupplyChange) (ParcelView, error)
	// Supply returns a parcel's supply history, oldest first.
	Supply(ctx context.Context, p geo.Principal, id geo.ID) ([]SupplyEntry, error)
	// Distances returns the nearest transport target of each kind of
	// TransportTargets to a park ("parks") or a parcel ("parcels"), in
	// metres on the ellipsoid; a kind with no feature is left out.
	Distances(ctx context.Context, p geo.Principal, layer string, id geo.ID) ([]Distance, error)
	// SearchSites runs a site search: the parcels meeting every limit
	// of l, and how many each criterion left out.
	SearchSites(ctx context.Context, p geo.Principal, l SiteLimits) (SiteRows, error)
}

// Sites is the management of parks and parcels, their brochures and the
// site search (智能选址), for the API and the command line.
type Sites struct {
	store SiteStore
	today func() time.Time
}

// NewSites returns the service over store.
func NewSites(store SiteStore) *Sites { return &Sites{store: store, today: time.Now} }

// Limits of the values of parks and parcels.
const (
	maxName   = 200  // characters of a name, a code, a reason
	maxPolicy = 4000 // characters of a park's policies
	maxList   = 20   // items of a list of industries
)

// outline reads a park's or a parcel's outline as a project's site is
// read (land.SiteOf).
func outline(g orb.Geometry) (orb.MultiPolygon, *geo.FieldError) {
	mp, err := land.SiteOf(g)
	if err != nil {
		e := err.(*geo.Error)
		return nil, &geo.FieldError{Field: "geom", Code: e.Code, Message: e.Message, MessageEN: e.MessageEN}
	}
	return mp, nil
}

// placeFault is what is wrong with an outline as the store found it
// (what names the thing: 地块, 园区), or nil; the repaired shape of an
// invalid outline goes into the error's details.
func placeFault(pc PlaceCheck, what, whatEN string) error {
	var fe geo.FieldError
	var details map[string]any
	switch {
	case pc.Problem != "":
		fe = geo.NewFieldError("geom", "bad_geometry", "%[1]s范围图形无效：%[2]s。可改用系统修复后的图形（见 repaired）",
			"the %[3]s's outline is not a valid shape: %[4]s; the repaired shape is offered", what, geo.GeometryProblemZH(pc.Problem), whatEN, pc.Problem)
		details = map[string]any{"repaired": geojson.NewGeometry(pc.Repaired), "problem": pc.Problem}
	case !pc.InCity || len(pc.Districts) == 0:
		fe = geo.NewFieldError("geom", "outside_city", "%[1]s范围超出本市行政区范围", "the %[2]s lies outside the city", what, whatEN)
	case !pc.InPark:
		fe = geo.NewFieldError("geom", "outside_park", "地块范围不在所属园区范围内", "the parcel lies outside its park")
	default:
		return nil
	}
	err := geo.FieldsError([]geo.FieldError{fe})
	if details != nil {
		details["fields"] = []geo.FieldError{fe}
		err.Details = details
	}
	return err
}

// list splits a list value at commas, 、 and semicolons, each item once.
func list(s string) []string {
	out := []string{}
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，、;；", r) }) {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// utilities reads the 七通一平 items of a list, by id or Chinese name.
func utilities(field, s string) ([]string, *geo.FieldError) {
	out := []string{}
	for _, v := range list(s) {
		id, ok := geo.LabelID(geo.Utilities(), v)
		if !ok {
			fe := geo.NewFieldError(field, "bad_utility", "七通一平项目 %q 无效，应为通路、通电、通水、通讯、排水、通气、通热或场地平整",
				"invalid utility %q", v)
			return nil, &fe
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// amount reads a decimal of at most two places from 0 to max; "": nil.
func amount(field, s string, max geo.Dec) (*geo.Dec, *geo.FieldError) {
	if s == "" {
		return nil, nil
	}
	d, err := geo.ParseDec(s)
	switch {
	case err != nil:
		fe := geo.NewFieldError(field, "bad_number", "%q 不是有效的数值（最多两位小数）", "%q is not a number with at most two decimals", s)
		return nil, &fe
	case d < 0:
		fe := geo.NewFieldError(field, "negative", "不能为负数", "cannot be negative")
		return nil, &fe
	case d > max:
		fe := geo.NewFieldError(field, "too_large", "不能超过 %s", "cannot exceed %s", max)
		return nil, &fe
	}
	return &d, nil
}

// unknown lists the values' fields that are not among editable.
func unknown(v Values, editable []string) []geo.FieldError {
	var errs []geo.FieldError
	for name := range v {
		if !slices.Contains(editable, name) {
			errs = append(errs, geo.NewFieldError(name, "read_only", "不能修改（只读字段或未知字段）", "cannot be set (read-only or unknown)"))
		}
	}
	slices.SortFunc(errs, func(a, b geo.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return errs
}

// stale is the KindPreconditionFailed error of a change made on version
// since of a thing now at version now (what: 地块, 园区), with the
// current view in Details.
func stale(what, whatEN string, since, now int, current any) error {
	return &geo.Error{Kind: geo.KindPreconditionFailed, Code: "stale",
		Message:   fmt.Sprintf("%s已被他人修改（您编辑的是版本 %d，当前为版本 %d）。请核对后重新保存", what, since, now),
		MessageEN: fmt.Sprintf("the %s changed since version %d (now version %d); check and save again", whatEN, since, now),
		Details:   map[string]any{"current": current}}
}

// besides adds to errs the errors of extra whose fields have none yet: a
// value that could not be read is not also reported missing.
func besides(errs, extra []geo.FieldError) []geo.FieldError {
	for _, e := range extra {
		if !slices.ContainsFunc(errs, func(x geo.FieldError) bool { return x.Field == e.Field }) {
			errs = append(errs, e)
		}
	}
	return errs
}

// parcelFields lists, in the order their errors are reported, the fields
// a parcel's Values may set; supply_reason and supply_date tell why and
// since when its supply status changed.
func parcelFields() []string {
	return []string{"code", "name", "park_id", "supply_status", "supply_reason", "supply_date", "landuse_system", "landuse_code",
		"price", "plot_ratio_min", "plot_ratio_max", "building_density", "green_ratio", "investment_intensity", "tax_per_mu", "utilities"}
}

// applyParcel sets the fields v gives on pc and returns the supply
// change's reason and day as given, with each value that cannot be read.
func applyParcel(pc *Parcel, v Values) (reason string, day time.Time, errs []geo.FieldError) {
	errs = unknown(v, parcelFields())
	for _, name := range parcelFields() {
		raw, ok := v[name]
		if !ok {
			continue
		}
		s, fe := geo.FieldText(name, raw, maxName)
		if fe == nil {
			fe = setParcel(pc, name, s, &reason, &day)
		}
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	return reason, day, errs
}

// setParcel sets one field from its text s (trimmed, "" for none).
func setParcel(pc *Parcel, name, s string, reason *string, day *time.Time) *geo.FieldError {
	bad := func(code, zh, en string, args ...any) *geo.FieldError {
		fe := geo.NewFieldError(name, code, zh, en, args...)
		return &fe
	}
	var fe *geo.FieldError
	switch name {
	case "code":
		pc.Code = s
	case "name":
		pc.Name = s
	case "park_id":
		pc.ParkID = 0
		if s != "" {
			id, err := geo.ParseID(s)
			if err != nil {
				return bad("bad_park", "园区编号 %q 无效", "invalid park id %q", s)
			}
			pc.ParkID = id
		}
	case "supply_status":
		id, ok := geo.LabelID(geo.SupplyStatuses(), s)
		if !ok {
			return bad("bad_supply_status", "供应状态 %q 无效，应为规划储备、已征待拆、净地可供、意向预留或已供", "invalid supply status %q", s)
		}
		pc.SupplyStatus = id
	case "supply_reason":
		*reason = s
	case "supply_date":
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			return bad("bad_date", "日期 %q 无效（格式 2026-01-31，2000–2100 年）", "invalid date %q (2026-01-31, 2000 to 2100)", s)
		}
		*day = d
	case "landuse_system":
		pc.Landuse.System = s
	case "landuse_code":
		pc.Landuse.Code = s
	case "price":
		pc.Price, fe = amount(name, s, geo.DecOf(9999999999, 99))
	case "plot_ratio_min":
		pc.PlotRatioMin, fe = amount(name, s, geo.DecOf(99, 99))
	case "plot_ratio_max":
		pc.PlotRatioMax, fe = amount(name, s, geo.DecOf(99, 99))
	case "building_density":
		pc.BuildingDensity, fe = amount(name, s, geo.DecOf(100, 0))
	case "green_ratio":
		pc.GreenRatio, fe = amount(name, s, geo.DecOf(100, 0))
	case "investment_intensity":
		pc.InvestmentIntensity, fe = amount(name, s, geo.DecOf(99999999, 99))
	case "tax_per_mu":
		pc.TaxPerMu, fe = amount(name, s, geo.DecOf(99999999, 99))
	case "utilities":
		pc.Utilities, fe = utilities(name, s)
	}
	return fe
}

// checkParcel checks what a parcel needs whatever was changed.
func checkParcel(pc Parcel) []geo.FieldError {
	var errs []geo.FieldError
	if pc.Code == "" {
		errs = append(errs, geo.NewFieldError("code", "required", "须填写地块编号", "a parcel needs a code"))
	}
	if pc.SupplyStatus == "" {
		errs = append(errs, geo.NewFieldError("supply_status", "required", "须填写供应状态", "a parcel needs a supply status"))
	}
	if pc.Landuse.System == "" || pc.Landuse.Code == "" {
		errs = append(errs, geo.NewFieldError("landuse_code", "required", "须填写用地分类体系和用地代码", "a parcel needs a land-use system and code"))
	}
	switch lo, hi := pc.PlotRatioMin, pc.PlotRatioMax; {
	case (lo == nil) != (hi == nil):
		errs = append(errs, geo.NewFieldError("plot_ratio_max", "plot_ratio_pair", "容积率下限和上限须同时填写", "give both plot ratio bounds or neither"))
	case lo != nil && *lo > *hi:
		errs = append(errs, geo.NewFieldError("plot_ratio_max", "plot_ratio_order", "容积率下限 %s 大于上限 %s", "the plot ratio's lower bound %s exceeds its upper bound %s", *lo, *hi))
	}
	return errs
}

// Parcel returns a parcel with its outline; KindNotFound.
func (s *Sites) Parcel(ctx context.Context, p geo.Principal, id geo.ID) (ParcelView, error) {
	return s.store.Parcel(ctx, p, id)
}

// Parcels lists the parcels, of one park if park is not 0.
func (s *Sites) Parcels(ctx context.Context, p geo.Principal, park geo.ID) ([]ParcelView, error) {
	return s.store.Parcels(ctx, p, park)
}

// Supply returns a parcel's supply history; KindNotFound.
func (s *Sites) Supply(ctx context.Context, p geo.Principal, id geo.ID) ([]SupplyEntry, error) {
	if _, err := s.store.ParcelRecord(ctx, p, id); err != nil {
		return nil, err
	}
	return s.store.Supply(ctx, p, id)
}

// CreateParcel makes a new parcel: KindInvalid with every field at fault
// ("fields" in Details), else as SiteStore.SaveParcel.
func (s *Sites) CreateParcel(ctx context.Context, p geo.Principal, e Edit) (ParcelView, error) {
	var pc Parcel
	reason, day, errs := applyParcel(&pc, e.Values)
	if e.Geometry == nil {
		errs = append(errs, geo.NewFieldError("geom", "required", "须画出地块范围", "a parcel needs its outline"))
	} else if mp, fe := outline(e.Geometry); fe != nil {
		errs = append(errs, *fe)
	} else {
		pc.Geom = mp
	}
	if errs = besides(errs, checkParcel(pc)); len(errs) > 0 {
		return ParcelView{}, geo.FieldsError(errs)
	}
	if err := s.placeParcel(ctx, &pc); err != nil {
		return ParcelView{}, err
	}
	return s.store.SaveParcel(ctx, p, pc, 0, &SupplyChange{To: pc.SupplyStatus, On: s.day(day), Reason: reason})
}

// UpdateParcel changes a parcel made on version: KindPreconditionFailed
// (the current view in Details) if it changed since, KindInvalid as
// CreateParcel and for a change of supply status without a reason.
func (s *Sites) UpdateParcel(ctx context.Context, p geo.Principal, id geo.ID, version int, e Edit) (ParcelView, error) {
	cur, err := s.store.ParcelRecord(ctx, p, id)
	if err != nil {
		return ParcelView{}, err
	}
	if cur.Version != version {
		return ParcelView{}, s.staleParcel(ctx, p, id, version)
	}
	next := cur
	next.Utilities = slices.Clone(cur.Utilities)
	reason, day, errs := applyParcel(&next, e.Values)
	if e.Geometry != nil {
		if mp, fe := outline(e.Geometry); fe != nil {
			errs = append(errs, *fe)
		} else {
			next.Geom = mp
		}
	}
	errs = besides(errs, checkParcel(next))
	var sc *SupplyChange
	if next.SupplyStatus != cur.SupplyStatus {
		sc = &SupplyChange{From: cur.SupplyStatus, To: next.SupplyStatus, On: s.day(day), Reason: reason}
		if reason == "" {
			errs = append(errs, geo.NewFieldError("supply_reason", "reason_required", "变更供应状态须填写原因", "a change of supply status needs a reason"))
		}
	}
	if len(errs) > 0 {
		return ParcelView{}, geo.FieldsError(errs)
	}
	if e.Geometry != nil || next.ParkID != cur.ParkID {
		if err := s.placeParcel(ctx, &next); err != nil {
			return ParcelView{}, err
		}
	}
	v, err := s.store.SaveParcel(ctx, p, next, version, sc)
	if geo.KindOf(err) == geo.KindPreconditionFailed {
		return ParcelView{}, s.staleParcel(ctx, p, id, version)
	}
	return v, err
}

// day is the day a supply change took effect: d, or today in the city.
func (s *Sites) day(d time.Time) time.Time {
	if !d.IsZero() {
		return d
	}
	y, m, dd := s.today().In(geo.CityZone()).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// placeParcel checks a parcel's outline (in the city, in its park) and
// sets its district.
func (s *Sites) placeParcel(ctx context.Context, pc *Parcel) error {
	chk, err := s.store.CheckPlace(ctx, pc.Geom, pc.ParkID)
	if err != nil {
		return err
	}
	if err := placeFault(chk, "地块", "parcel"); err != nil {
		return err
	}
	pc.DistrictID = chk.Districts[0].ID
	return nil
}

// staleParcel is the error of a change to parcel id made on version since.
func (s *Sites) staleParcel(ctx context.Context, p geo.Principal, id geo.ID, since int) error {
	v, err := s.store.Parcel(ctx, p, id)
	if err != nil {
		return err
	}
	return stale("地块", "parcel", since, v.Version, v)
}

// UnknownLanduse is the KindInvalid error of a parcel's land-use class
// that is not among the classes, for the store to answer.
func UnknownLanduse(c land.Code) error {
	return geo.FieldsError([]geo.FieldError{geo.NewFieldError("landuse_code", "bad_landuse", "用地类型 %s（%s）不在用地分类中",
		"the land-use class %s (%s) is not a known class", c.Code, c.System)})
}
