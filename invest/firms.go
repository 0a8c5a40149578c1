package invest

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// FirmView is a target firm as the API answers it, by the field
// registry's names ("firms"): the API leaves out the fields a reader may
// not see (the contacts).
type FirmView struct {
	ID           geo.ID    `json:"id"`
	Name         string    `json:"name"`
	Tags         []string  `json:"tags"`
	Industries   []string  `json:"industries"`
	HQCity       string    `json:"hq_city"`
	Lon          float64   `json:"lon"`
	Lat          float64   `json:"lat"`
	Stage        string    `json:"stage"`
	Responsible  string    `json:"responsible"`
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	ParkIDs      []geo.ID  `json:"park_ids"`
	ParcelIDs    []geo.ID  `json:"parcel_ids"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// FirmInput is a firm as POST and PATCH /api/firms take it. In a PATCH a
// field left out (nil) keeps its value. Tags and stages are given by id
// (fortune500, negotiating) or by Chinese name (世界500强, 洽谈);
// StageNote goes with a stage change into the firm's history.
type FirmInput struct {
	Name         *string   `json:"name"`
	Tags         *[]string `json:"tags"`
	Industries   *[]string `json:"industries"`
	HQCity       *string   `json:"hq_city"`
	Lon          *float64  `json:"lon"`
	Lat          *float64  `json:"lat"`
	Stage        *string   `json:"stage"`
	StageNote    *string   `json:"stage_note"`
	Responsible  *string   `json:"responsible"`
	ContactName  *string   `json:"contact_name"`
	ContactPhone *string   `json:"contact_phone"`
	ParkIDs      *[]geo.ID `json:"park_ids"`
	ParcelIDs    *[]geo.ID `json:"parcel_ids"`
}

// FirmStageEntry is one step of a firm's stage history: From is empty
// for the stage it was entered with.
type FirmStageEntry struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Note  string    `json:"note"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// StageMove is a firm's stage change, written with the firm.
type StageMove struct {
	From string // empty: a new firm
	To   string
	Note string
}

// FirmFilter selects firms: any of Tags, any of Industries, one of
// Stages, Responsible exactly, and Query, a part of the name, the
// headquarters city or an industry. Empty parts select all.
type FirmFilter struct {
	Tags        []string
	Industries  []string
	Stages      []string
	Responsible string
	Query       string
}

// FirmPlace is a firm on the national map: its headquarters and the
// sites proposed to it.
type FirmPlace struct {
	ID         geo.ID
	Name       string
	Tags       []string
	Industries []string
	HQCity     string
	Stage      string
	HQ         orb.Point
	Sites      []ProposedSite
}

// ProposedSite is a park or a parcel proposed to a firm, at a point on it.
type ProposedSite struct {
	Kind string // "parks" or "parcels"
	ID   geo.ID
	Name string
	At   orb.Point
}

// FirmStore keeps target firms and the parks' industry chains.
type FirmStore interface {
	// Firm returns a firm's view: KindNotFound if there is none.
	Firm(ctx context.Context, p geo.Principal, id geo.ID) (FirmView, error)
	// ListFirms lists the firms of a checked filter, by name.
	ListFirms(ctx context.Context, p geo.Principal, f FirmFilter) ([]FirmView, error)
	// SaveFirm writes firm f, a new one (version 0, f.ID ignored) or a
	// change made on version, with its stage move (nil: none), and
	// answers its view: KindPreconditionFailed ("stale") when the firm
	// changed since version, KindInvalid for a park or parcel that does
	// not exist, KindConflict for a name another firm has.
	SaveFirm(ctx context.Context, p geo.Principal, f Firm, version int, move *StageMove) (FirmView, error)
	// FirmStages returns a firm's stage history, oldest first.
	FirmStages(ctx context.Context, p geo.Principal, id geo.ID) ([]FirmStageEntry, error)
	// FirmPlaces returns the firms of a filter with their proposed sites.
	FirmPlaces(ctx context.Context, p geo.Principal, f FirmFilter) ([]FirmPlace, error)
	// Chains returns a park's industry chains: KindNotFound for no park.
	Chains(ctx context.Context, p geo.Principal, parkID geo.ID) ([]Chain, error)
	// SetChains replaces a park's industry chains.
	SetChains(ctx context.Context, p geo.Principal, parkID geo.ID, cs []Chain) error
	// MatchSite returns a park, or a parcel's park, with its leading
	// industries and chains, and the firms that are not yet landed with
	// their distances to it: KindNotFound for no such park or parcel.
	MatchSite(ctx context.Context, p geo.Principal, kind string, id geo.ID) (Site, []Candidate, error)
}

// Firms is firm targeting (精准招商): target firms and their stages,
// the parks' industry chains, and the firms matched to a site.
type Firms struct {
	store FirmStore
}

// NewFirms returns firm targeting over store.
func NewFirms(store FirmStore) *Firms { return &Firms{store: store} }

// Limits of a firm's values.
const (
	maxFirmName   = 100
	maxFirmText   = 50 // characters of a city, an industry, a contact
	maxIndustries = 20
	maxStageNote  = 500
	maxProposed   = 200 // parks or parcels proposed to one firm
)

// phone is a telephone number as people write it.
var phone = regexp.MustCompile(`^[0-9+\-() ]{3,30}$`)

// firmText reads a text value of field: trimmed valid text of at most
// limit characters, not empty if required.
func firmText(field, v string, limit int, required bool) (string, error) {
	s := strings.TrimSpace(v)
	switch {
	case !geo.ValidText(s):
		return "", fieldErr(geo.BadText(field), field)
	case required && s == "":
		return "", fieldErr(geo.Invalid("required", "%s 不能为空", "%s is required", field), field)
	case utf8.RuneCountInString(s) > limit:
		return "", fieldErr(geo.Invalid("too_long", "%s 不能超过 %d 个字", "%s has at most %d characters", field, limit), field)
	}
	return s, nil
}

// fieldErr names the field at fault in e.
func fieldErr(e *geo.Error, field string) error {
	e.Field = field
	return e
}

// tagsOf reads tags: KindInvalid ("bad_tag") for one that is not a firm
// tag.
func tagsOf(vs []string) ([]string, error) {
	out := []string{}
	for _, v := range vs {
		id, ok := geo.LabelID(geo.FirmTags(), strings.TrimSpace(v))
		if !ok {
			if !geo.ValidText(v) {
				return nil, fieldErr(geo.BadText("tags"), "tags")
			}
			return nil, fieldErr(geo.Invalid("bad_tag", "未知的企业标签 %q：可选 世界500强、中国500强、行业前30、央企",
				"unknown firm tag %q: fortune500, china500, industry_top30 or central_soe", v), "tags")
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// stageOf reads a stage: KindInvalid ("bad_stage") for one that is not a
// firm stage.
func stageOf(v string) (string, error) {
	id, ok := geo.LabelID(geo.FirmStages(), strings.TrimSpace(v))
	if !ok {
		if !geo.ValidText(v) {
			return "", fieldErr(geo.BadText("stage"), "stage")
		}
		return "", fieldErr(geo.Invalid("bad_stage", "未知的对接阶段 %q：可选 接洽、洽谈、签约、落地",
			"unknown stage %q: contact, negotiating, signed or landed", v), "stage")
	}
	return id, nil
}

// stageZH is a stage's Chinese name.
func stageZH(id string) string {
	for _, l := range geo.FirmStages() {
		if l.ID == id {
			return l.ZH
		}
	}
	return id
}

// CheckStageMove checks a firm's stage change. A firm moves forward one
// stage at a time, 接洽 → 洽谈 → 签约 → 落地. It may go back one stage
// with a note saying why (talks stall, a signed deal is reopened: the
// pipeline must show where a firm really is, and the history keeps both
// moves), but a landed firm (落地) is built here and moves no more.
// KindInvalid: "bad_transition", or "note_required" for a step back
// without a note.
func CheckStageMove(from, to, note string) error {
	if from == to {
		return nil
	}
	order := []string{"contact", "negotiating", "signed", "landed"}
	i, j := slices.Index(order, from), slices.Index(order, to)
	switch {
	case from == "landed":
		return fieldErr(geo.Invalid("bad_transition", "企业已落地，对接阶段不能再变更", "a landed firm's stage cannot change"), "stage")
	case j == i+1:
		return nil
	case j == i-1 && strings.TrimSpace(note) == "":
		return fieldErr(geo.Invalid("note_required", "退回上一阶段（%s → %s）须填写说明", "a step back (%s to %s) needs a note",
			stageZH(from), stageZH(to)), "stage_note")
	case j == i-1:
		return nil
	}
	return fieldErr(geo.Invalid("bad_transition", "对接阶段须逐级推进：接洽 → 洽谈 → 签约 → 落地（可退回上一阶段并说明）；不能从%s改为%s",
		"stages move one step at a time, contact → negotiating → signed → landed (or one step back with a note); not from %s to %s",
		stageZH(from), stageZH(to)), "stage")
}

// ids reads the ids of parks or parcels proposed to a firm.
func ids(field string, vs []geo.ID) ([]geo.ID, error) {
	if len(vs) > maxProposed {
		return nil, fieldErr(geo.Invalid("too_many", "%s 最多 %d 个", "%s has at most %d entries", field, maxProposed), field)
	}
	out := []geo.ID{}
	for _, id := range vs {
		if id <= 0 || id > geo.MaxID {
			return nil, fieldErr(geo.Invalid("bad_id", "%s 含无效编号 %d", "%s holds the invalid id %d", field, id), field)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// apply sets the fields in gives on f, checking each: the first fault is
// a KindInvalid error naming its field.
func (in FirmInput) apply(f *Firm) error {
	var err error
	text := func(dst *string, v *string, field string, limit int, required bool) {
		if err == nil && v != nil {
			*dst, err = firmText(field, *v, limit, required)
		}
	}
	text(&f.Name, in.Name, "name", maxFirmName, true)
	if err == nil && in.Tags != nil {
		f.Tags, err = tagsOf(*in.Tags)
	}
	if err == nil && in.Industries != nil {
		f.Industries, err = industries(*in.Industries)
	}
	text(&f.HQCity, in.HQCity, "hq_city", maxFirmText, true)
	if err == nil && (in.Lon != nil || in.Lat != nil) {
		if in.Lon == nil || in.Lat == nil {
			return fieldErr(geo.Invalid("bad_location", "总部位置须同时给出经度 lon 和纬度 lat", "the headquarters need both lon and lat"), "lon")
		}
		lon, lat := *in.Lon, *in.Lat
		if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return fieldErr(geo.Invalid("bad_location", "总部经纬度超出范围（经度 −180–180，纬度 −90–90）",
				"the headquarters' lon/lat are out of range (−180 to 180, −90 to 90)"), "lon")
		}
		f.HQ = orb.Point{lon, lat}
	}
	text(&f.Responsible, in.Responsible, "responsible", maxFirmText, false)
	text(&f.ContactName, in.ContactName, "contact_name", maxFirmText, false)
	text(&f.ContactPhone, in.ContactPhone, "contact_phone", 30, false)
	if err == nil && f.ContactPhone != "" && !phone.MatchString(f.ContactPhone) {
		return fieldErr(geo.Invalid("bad_phone", "联系电话只能含数字、空格、+、- 和括号（3–30 位）",
			"a contact phone holds digits, spaces, +, - and brackets (3 to 30)"), "contact_phone")
	}
	if err == nil && in.ParkIDs != nil {
		f.ParkIDs, err = ids("park_ids", *in.ParkIDs)
	}
	if err == nil && in.ParcelIDs != nil {
		f.ParcelIDs, err = ids("parcel_ids", *in.ParcelIDs)
	}
	return err
}

// industries reads a firm's industries: 1 to maxIndustries names, each
// once.
func industries(vs []string) ([]string, error) {
	out := []string{}
	for _, v := range vs {
		s, err := firmText("industries", v, maxFirmText, true)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 || len(out) > maxIndustries {
		return nil, fieldErr(geo.Invalid("bad_industries", "产业须有 1–%d 项", "a firm has 1 to %d industries", maxIndustries), "industries")
	}
	return out, nil
}

// note reads a stage note.
func (in FirmInput) note() (string, error) {
	if in.StageNote == nil {
		return "", nil
	}
	return firmText("stage_note", *in.StageNote, maxStageNote, false)
}

// Firm returns a firm: KindNotFound if there is none.
func (s *Firms) Firm(ctx context.Context, p geo.Principal, id geo.ID) (FirmView, error) {
	return s.store.Firm(ctx, p, id)
}

// Create makes a new firm from in, entered at its stage (接洽 if none):
// KindInvalid for a missing or bad field, KindConflict for a name taken.
func (s *Firms) Create(ctx context.Context, p geo.Principal, in FirmInput) (FirmView, error) {
	f := Firm{Stage: "contact", Tags: []string{}, ParkIDs: []geo.ID{}, ParcelIDs: []geo.ID{}}
	for field, missing := range map[string]bool{"name": in.Name == nil, "industries": in.Industries == nil,
		"hq_city": in.HQCity == nil, "lon": in.Lon == nil || in.Lat == nil} {
		if missing {
			return FirmView{}, fieldErr(geo.Invalid("required", "缺少必填字段 %s", "the field %s is required", field), field)
		}
	}
	if err := in.apply(&f); err != nil {
		return FirmView{}, err
	}
	note, err := in.note()
	if err != nil {
		return FirmView{}, err
	}
	if in.Stage != nil {
		if f.Stage, err = stageOf(*in.Stage); err != nil {
			return FirmView{}, err
		}
	}
	return s.store.SaveFirm(ctx, p, f, 0, &StageMove{To: f.Stage, Note: note})
}

// Update changes firm id, read at version, by in; a stage change follows
// CheckStageMove and goes into the history with its note. Errors as
// Create, and KindPreconditionFailed ("stale") when the firm changed
// since version, KindNotFound for no firm.
func (s *Firms) Update(ctx context.Context, p geo.Principal, id geo.ID, version int, in FirmInput) (FirmView, error) {
	cur, err := s.store.Firm(ctx, p, id)
	if err != nil {
		return FirmView{}, err
	}
	if cur.Version != version {
		return FirmView{}, geo.Errorf(geo.KindPreconditionFailed, "stale", "企业信息已被他人修改，请刷新后再改", "the firm changed since; reload it")
	}
	f := Firm{ID: id, Name: cur.Name, Tags: cur.Tags, Industries: cur.Industries, HQCity: cur.HQCity, Stage: cur.Stage,
		Responsible: cur.Responsible, ContactName: cur.ContactName, ContactPhone: cur.ContactPhone,
		HQ: orb.Point{cur.Lon, cur.Lat}, ParkIDs: cur.ParkIDs, ParcelIDs: cur.ParcelIDs}
	if err := in.apply(&f); err != nil {
		return FirmView{}, err
	}
	note, err := in.note()
	if err != nil {
		return FirmView{}, err
	}
	var move *StageMove
	if in.Stage != nil {
		to, err := stageOf(*in.Stage)
		if err != nil {
			return FirmView{}, err
		}
		if err := CheckStageMove(cur.Stage, to, note); err != nil {
			return FirmView{}, err
		}
		if to != cur.Stage {
			f.Stage, move = to, &StageMove{From: cur.Stage, To: to, Note: note}
		}
	}
	return s.store.SaveFirm(ctx, p, f, version, move)
}

// CheckFilter checks a filter's tags and stages (by id or Chinese name,
// returned as ids) and text: KindInvalid ("bad_filter").
func CheckFilter(f FirmFilter) (FirmFilter, error) {
	out := f
	out.Tags, out.Stages = nil, nil
	for _, t := range f.Tags {
		id, ok := geo.LabelID(geo.FirmTags(), t)
		if !ok {
			return out, geo.Invalid("bad_filter", "未知的企业标签 %q", "unknown firm tag %q", t)
		}
		out.Tags = append(out.Tags, id)
	}
	for _, st := range f.Stages {
		id, ok := geo.LabelID(geo.FirmStages(), st)
		if !ok {
			return out, geo.Invalid("bad_filter", "未知的对接阶段 %q", "unknown stage %q", st)
		}
		out.Stages = append(out.Stages, id)
	}
	return out, nil
}

// List lists the firms of a filter, by name: KindInvalid for a bad one.
func (s *Firms) List(ctx context.Context, p geo.Principal, f FirmFilter) ([]FirmView, error) {
	f, err := CheckFilter(f)
	if err != nil {
		return nil, err
	}
	return s.store.ListFirms(ctx, p, f)
}

// Places returns the firms of a filter with their proposed sites, for
// the national map.
func (s *Firms) Places(ctx context.Context, p geo.Principal, f FirmFilter) ([]FirmPlace, error) {
	f, err := CheckFilter(f)
	if err != nil {
		return nil, err
	}
	return s.store.FirmPlaces(ctx, p, f)
}

// Stages returns a firm's stage history, oldest first: KindNotFound for
// no firm.
func (s *Firms) Stages(ctx context.Context, p geo.Principal, id geo.ID) ([]FirmStageEntry, error) {
	if _, err := s.store.Firm(ctx, p, id); err != nil {
		return nil, err
	}
	return s.store.FirmStages(ctx, p, id)
}
