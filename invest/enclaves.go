package invest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Enclaves (飞地): their agreements and share schedules, and the split of
// the statistics of the key projects inside them between home and host
// district.

// EnclaveItems are the items a share schedule splits, each with its
// Chinese and English name: GDP or industrial value added, fixed-asset
// investment, local tax retention and land revenue.
var EnclaveItems = []struct{ ID, ZH, EN string }{
	{"gdp", "地区生产总值（增加值）", "GDP (value added)"},
	{"fixed_investment", "固定资产投资", "fixed-asset investment"},
	{"tax", "税收", "tax"},
	{"land_revenue", "土地出让收入", "land revenue"},
}

// EnclaveModels are the management models of an enclave.
var EnclaveModels = []string{"主体企业开发", "政企联合", "飞地工业", "联合管委会", "第三方运营"}

// ShareStep is one step of a share schedule as the API takes and answers
// it: from FromYear on, Item is split HomePct : HostPct, percentages with
// at most two decimals ("33.33") that sum to exactly 100.
type ShareStep struct {
	Item     string `json:"item"`
	FromYear int    `json:"from_year"`
	HomePct  string `json:"home_pct"`
	HostPct  string `json:"host_pct"`
}

// EnclaveAgreement is an enclave's agreement as the API takes and
// answers it (the date as YYYY-MM-DD).
type EnclaveAgreement struct {
	Name            string `json:"name"`
	HomeDistrictID  geo.ID `json:"home_district_id"`
	HostDistrictID  geo.ID `json:"host_district_id"`
	AgreementNo     string `json:"agreement_no"`
	AgreementDate   string `json:"agreement_date"`
	TermYears       int    `json:"term_years"`
	Model           string `json:"model"`
	QuotaDistrictID geo.ID `json:"quota_district_id"`
}

// EnclaveInput is a new enclave, or the whole of a changed one, as the
// API takes it: the agreement, its share schedules, and the zone (a
// Polygon or MultiPolygon in CGCS2000 longitude and latitude).
type EnclaveInput struct {
	EnclaveAgreement
	Shares   []ShareStep       `json:"shares"`
	Geometry *geojson.Geometry `json:"geometry"`
}

// EnclaveRecord is a stored enclave with its version and area.
type EnclaveRecord struct {
	Enclave
	Version int
	AreaM2  float64
}

// EnclaveView is an enclave as the API answers it.
type EnclaveView struct {
	ID geo.ID `json:"id"`
	EnclaveAgreement
	AreaMu   float64           `json:"area_mu"`
	Version  int               `json:"version"`
	Shares   []ShareStep       `json:"shares"`
	Geometry *geojson.Geometry `json:"geometry"`
}

// EnclavePlace is what the database finds of an enclave's zone, looked
// at while no other enclave can change.
type EnclavePlace struct {
	// Problem is why the zone is not a valid geometry, as PostGIS says
	// it; "": valid.
	Problem string
	// AreaM2 is the zone's area and OutsideM2 the part of it outside the
	// host district, in m² on the ellipsoid.
	AreaM2, OutsideM2 float64
	// Overlaps names the other enclaves whose zones share more than a
	// border with it.
	Overlaps []string
}

// ProjectYear is a key project's figures of a year, in 万元, with the
// enclave its point lies in (0: none): the investment its monthly reports
// give, and the value added and tax entered for it.
type ProjectYear struct {
	ProjectID  geo.ID
	Name       string
	DistrictID geo.ID
	EnclaveID  geo.ID
	Investment geo.Dec
	ValueAdded geo.Dec
	Tax        geo.Dec
}

// FiguresInput is a project's value added and tax of a year, in 万元 with
// at most two decimals, as the API takes them.
type FiguresInput struct {
	ValueAdded string `json:"value_added"`
	Tax        string `json:"tax"`
}

// EnclaveStore keeps the enclaves and reads the figures they split. Row
// security limits every call to what the principal may see and change.
type EnclaveStore interface {
	// Districts returns the districts (see postgis.DB.Districts).
	Districts(ctx context.Context) ([]geo.District, orb.Bound, bool, error)
	// Enclaves returns every enclave, by id.
	Enclaves(ctx context.Context, p geo.Principal) ([]EnclaveRecord, error)
	// EnclaveRecord returns an enclave; KindNotFound if there is none.
	EnclaveRecord(ctx context.Context, p geo.Principal, id geo.ID) (EnclaveRecord, error)
	// SaveEnclave adds e (e.ID 0) or replaces it if it is still of
	// version, and answers its id. Before it writes, with no other
	// enclave changing, it calls check with what it finds of e's zone; an
	// error of check is answered unchanged and nothing is written.
	// KindPreconditionFailed if e changed since version, KindNotFound,
	// KindConflict for a name in use, KindForbidden.
	SaveEnclave(ctx context.Context, p geo.Principal, e Enclave, version int, check func(EnclavePlace) error) (geo.ID, error)
	// ProjectYears returns the figures of year of every key project p may
	// see, by id.
	ProjectYears(ctx context.Context, p geo.Principal, year int) ([]ProjectYear, error)
	// PutProjectFigures sets a project's value added and tax of a year;
	// KindNotFound for a project p may not see.
	PutProjectFigures(ctx context.Context, p geo.Principal, id geo.ID, year int, valueAdded, tax geo.Dec) error
}

// Enclaves is the enclaves' operations, for the API and the command line.
type Enclaves struct {
	store EnclaveStore
	now   func() time.Time
}

// NewEnclaves returns the enclaves' service over store.
func NewEnclaves(store EnclaveStore) *Enclaves { return &Enclaves{store: store, now: time.Now} }

// enclaveInvalid is the KindInvalid error of an enclave's field.
func enclaveInvalid(field, code, zh, en string, args ...any) *geo.Error {
	e := geo.Invalid(code, zh, en, args...)
	e.Field = field
	return e
}

// itemName returns an item's Chinese and English names; ok is false for
// no item.
func itemName(id string) (zh, en string, ok bool) {
	for _, it := range EnclaveItems {
		if it.ID == id {
			return it.ZH, it.EN, true
		}
	}
	return "", "", false
}

// parsePct reads a share percentage: 0 to 100 with at most two decimals.
func parsePct(field, s string) (geo.Dec, error) {
	d, err := geo.ParseDec(s)
	if err != nil || d < 0 || d > geo.DecOf(100, 0) {
		return 0, enclaveInvalid(field, "bad_share", "分成比例 %q 无效：须为 0–100 之间、至多两位小数的百分数",
			"share %q is not valid: a percentage from 0 to 100 with at most two decimals", s)
	}
	return d, nil
}

// Check turns the input into an enclave, or says what is wrong with it
// (KindInvalid, with the field at fault): text that is not UTF-8 or holds
// NUL, a missing name or agreement, home and host the same district, a
// district that does not exist, a model not of EnclaveModels, a term not
// of 1 to 100 years, a quota of neither district, a zone that is no
// polygon, and a share schedule that does not cover every item, whose
// first step does not start in the agreement's year, whose steps do not
// start in strictly increasing years or fall outside the term, or whose
// home and host shares do not add up to 100% in some step.
func (in EnclaveInput) Check(ds []geo.District) (Enclave, error) {
	var e Enclave
	for _, f := range []struct{ name, v string }{{"name", in.Name}, {"agreement_no", in.AgreementNo}, {"model", in.Model},
		{"agreement_date", in.AgreementDate}} {
		if !geo.ValidText(f.v) {
			err := geo.BadText(f.name)
			err.Field = f.name
			return e, err
		}
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		return e, enclaveInvalid("name", "bad_name", "飞地名称须为 1–100 个字", "an enclave's name has 1 to 100 characters")
	}
	if in.AgreementNo == "" || utf8.RuneCountInString(in.AgreementNo) > 100 {
		return e, enclaveInvalid("agreement_no", "bad_agreement_no", "协议编号须为 1–100 个字", "the agreement number has 1 to 100 characters")
	}
	day, err := time.Parse(time.DateOnly, in.AgreementDate)
	if err != nil || day.Year() < 2000 || day.Year() > 2100 {
		return e, enclaveInvalid("agreement_date", "bad_agreement_date", "协议日期须为 2000–2100 年间的日期，格式 YYYY-MM-DD",
			"the agreement date is a date from 2000 to 2100, as YYYY-MM-DD")
	}
	if in.TermYears < 1 || in.TermYears > 100 {
		return e, enclaveInvalid("term_years", "bad_term", "协议期限须为 1–100 年", "the agreement's term is 1 to 100 years")
	}
	if !slices.Contains(EnclaveModels, in.Model) {
		return e, enclaveInvalid("model", "bad_model", "管理模式须为以下之一：%s", "the management model is one of %s",
			strings.Join(EnclaveModels, "、"))
	}
	for _, f := range []struct {
		name string
		id   geo.ID
	}{{"home_district_id", in.HomeDistrictID}, {"host_district_id", in.HostDistrictID}, {"quota_district_id", in.QuotaDistrictID}} {
		if !slices.ContainsFunc(ds, func(d geo.District) bool { return d.ID == f.id }) {
			return e, enclaveInvalid(f.name, "bad_district", "县区编号 %d 不存在", "there is no district %d", f.id)
		}
	}
	if in.HomeDistrictID == in.HostDistrictID {
		return e, enclaveInvalid("host_district_id", "same_district", "飞出地与飞入地须为不同的县区", "the home and the host district must differ")
	}
	if in.QuotaDistrictID != in.HomeDistrictID && in.QuotaDistrictID != in.HostDistrictID {
		return e, enclaveInvalid("quota_district_id", "bad_quota_district", "使用建设用地指标的须为飞出地或飞入地",
			"the land quota used is the home or the host district's")
	}
	if in.Geometry == nil {
		return e, enclaveInvalid("geometry", "bad_geometry", "须绘制或上传飞地范围", "the enclave needs its zone (geometry)")
	}
	zone, err := land.SiteOf(in.Geometry.Geometry())
	if err != nil {
		return e, err
	}
	shares, err := in.schedule(day.Year())
	if err != nil {
		return e, err
	}
	return Enclave{Name: in.Name, HomeDistrictID: in.HomeDistrictID, HostDistrictID: in.HostDistrictID,
		AgreementNo: in.AgreementNo, AgreementDate: day, TermYears: in.TermYears, Model: in.Model,
		QuotaDistrictID: in.QuotaDistrictID, Geom: zone, Shares: shares}, nil
}

// schedule checks the share schedules of an agreement made in year start.
func (in EnclaveInput) schedule(start int) ([]EnclaveShare, error) {
	end := start + in.TermYears - 1
	byItem := map[string][]ShareStep{}
	for _, st := range in.Shares {
		if _, _, ok := itemName(st.Item); !ok {
			return nil, enclaveInvalid("shares", "bad_share_item", "分成事项 %q 无效", "there is no share item %q", st.Item)
		}
		byItem[st.Item] = append(byItem[st.Item], st)
	}
	var out []EnclaveShare
	for _, it := range EnclaveItems {
		steps := byItem[it.ID]
		if len(steps) == 0 {
			return nil, enclaveInvalid("shares", "missing_schedule", "缺少「%[1]s」的分成比例", "the schedule of %[2]s is missing", it.ZH, it.EN)
		}
		if steps[0].FromYear != start {
			return nil, enclaveInvalid("shares", "schedule_start", "「%[1]s」的分成比例须从协议签订年度（%[3]d 年）起算，现为 %[4]d 年",
				"the schedule of %[2]s must start in the agreement's year (%[3]d), not %[4]d", it.ZH, it.EN, start, steps[0].FromYear)
		}
		for i, st := range steps {
			if i > 0 && st.FromYear <= steps[i-1].FromYear {
				return nil, enclaveInvalid("shares", "steps_not_increasing", "「%[1]s」的分成阶段起始年度须逐级递增：%[3]d 年不在 %[4]d 年之后",
					"the steps of %[2]s must start in strictly increasing years: %[3]d does not follow %[4]d", it.ZH, it.EN, st.FromYear, steps[i-1].FromYear)
			}
			if st.FromYear > end {
				return nil, enclaveInvalid("shares", "step_outside_term", "「%[1]s」的分成阶段起始年度 %[3]d 超出协议期限（%[4]d–%[5]d 年）",
					"a step of %[2]s starts in %[3]d, outside the agreement's term (%[4]d to %[5]d)", it.ZH, it.EN, st.FromYear, start, end)
			}
			home, err := parsePct("shares", st.HomePct)
			if err != nil {
				return nil, err
			}
			host, err := parsePct("shares", st.HostPct)
			if err != nil {
				return nil, err
			}
			if home+host != geo.DecOf(100, 0) {
				return nil, enclaveInvalid("shares", "shares_not_100", "「%[1]s」自 %[3]d 年起的分成比例合计为 %[4]s%%，飞出地与飞入地须合计 100%%",
					"the shares of %[2]s from %[3]d add up to %[4]s%%; home and host must add up to 100%%", it.ZH, it.EN, st.FromYear, (home + host).String())
			}
			out = append(out, EnclaveShare{Item: it.ID, FromYear: st.FromYear, HomePct: home, HostPct: host})
		}
	}
	return out, nil
}

// checkPlace says what is wrong with an enclave's zone as the database
// finds it: invalid, outside its host district (more than 0.1% of its
// area, for borders drawn by hand), or overlapping another enclave.
func checkPlace(pl EnclavePlace) error {
	switch {
	case pl.Problem != "":
		return enclaveInvalid("geometry", "invalid_geometry", "飞地范围无效：%[1]s", "the enclave's zone is not valid: %[2]s",
			geo.GeometryProblemZH(pl.Problem), pl.Problem)
	case pl.OutsideM2 > max(1, pl.AreaM2/1000):
		return enclaveInvalid("geometry", "outside_host", "飞地范围须位于飞入地县区内：有 %.0f 平方米在飞入地之外",
			"the enclave's zone must lie inside the host district: %.0f m² of it lie outside", pl.OutsideM2)
	case len(pl.Overlaps) > 0:
		return enclaveInvalid("geometry", "overlaps_enclave", "飞地范围与其他飞地重叠：%s", "the enclave's zone overlaps another enclave: %s",
			pl.Overlaps[0])
	}
	return nil
}

// view renders a stored enclave.
func (r EnclaveRecord) view() EnclaveView {
	v := EnclaveView{ID: r.ID, EnclaveAgreement: EnclaveAgreement{Name: r.Name, HomeDistrictID: r.HomeDistrictID,
		HostDistrictID: r.HostDistrictID, AgreementNo: r.AgreementNo, AgreementDate: r.AgreementDate.Format(time.DateOnly),
		TermYears: r.TermYears, Model: r.Model, QuotaDistrictID: r.QuotaDistrictID},
		AreaMu: geo.Area(r.AreaM2).Mu(), Version: r.Version, Shares: []ShareStep{}, Geometry: geojson.NewGeometry(r.Geom)}
	for _, s := range r.Shares {
		v.Shares = append(v.Shares, ShareStep{Item: s.Item, FromYear: s.FromYear, HomePct: s.HomePct.String(), HostPct: s.HostPct.String()})
	}
	return v
}

// List returns every enclave.
func (s *Enclaves) List(ctx context.Context, p geo.Principal) ([]EnclaveView, error) {
	rs, err := s.store.Enclaves(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]EnclaveView, len(rs))
	for i, r := range rs {
		out[i] = r.view()
	}
	return out, nil
}

// Enclave returns an enclave: KindNotFound if there is none.
func (s *Enclaves) Enclave(ctx context.Context, p geo.Principal, id geo.ID) (EnclaveView, error) {
	r, err := s.store.EnclaveRecord(ctx, p, id)
	return r.view(), err
}

// Save adds an enclave (id 0) or replaces one made on version, as p:
// KindInvalid (see EnclaveInput.Check, and its zone: a valid shape inside
// the host district overlapping no other enclave), KindConflict for a
// name in use, KindPreconditionFailed for a change made on an old
// version, KindNotFound, KindForbidden.
func (s *Enclaves) Save(ctx context.Context, p geo.Principal, id geo.ID, version int, in EnclaveInput) (EnclaveView, error) {
	ds, _, _, err := s.store.Districts(ctx)
	if err != nil {
		return EnclaveView{}, err
	}
	e, err := in.Check(ds)
	if err != nil {
		return EnclaveView{}, err
	}
	e.ID = id
	if id, err = s.store.SaveEnclave(ctx, p, e, version, checkPlace); err != nil {
		return EnclaveView{}, err
	}
	return s.Enclave(ctx, p, id)
}

// ParseYear reads a statistical year (YYYY, 2000 to 2100); "" is the
// city's current year at now.
func ParseYear(s string, now time.Time) (int, error) {
	if s == "" {
		return now.In(geo.CityZone()).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, geo.Invalid("bad_year", "年度须为 2000–2100 之间的四位数字", "the year is four digits from 2000 to 2100")
	}
	return y, nil
}

// PutFigures sets a project's value added and tax of a year (amounts in
// 万元, at least 0, at most two decimals): KindInvalid, KindNotFound,
// KindForbidden.
func (s *Enclaves) PutFigures(ctx context.Context, p geo.Principal, id geo.ID, year string, in FiguresInput) error {
	y, err := ParseYear(year, s.now())
	if err != nil {
		return err
	}
	var amounts [2]geo.Dec
	for i, f := range []struct{ name, v string }{{"value_added", in.ValueAdded}, {"tax", in.Tax}} {
		d, err := geo.ParseDec(f.v)
		if err != nil || d < 0 || d > geo.DecOf(999_999_999_999, 99) {
			return enclaveInvalid(f.name, "bad_amount", "金额 %q 无效：须为不小于 0、至多两位小数的万元数", "amount %q is not valid: 10k yuan, at least 0, at most two decimals", f.v)
		}
		amounts[i] = d
	}
	return s.store.PutProjectFigures(ctx, p, id, y, amounts[0], amounts[1])
}

// Parts is an amount (万元) and its split between the home and the host
// district: Home + Host = Whole, exactly.
type Parts struct {
	Whole geo.Dec `json:"whole"`
	Home  geo.Dec `json:"home"`
	Host  geo.Dec `json:"host"`
}

// split splits amount a by the home district's percentage home (0 to 100,
// two decimals), exactly to the 0.01 万元: the host's part is a less the
// home's, and the one 0.01 万元 that the two exact parts' fractions make
// up goes by the largest remainder, to the host on a tie (the zone is the
// host's). So 0.01 at 50% is the host's, 1.00 at 33.33% is 0.33 : 0.67.
func split(a, home geo.Dec) Parts {
	const whole = 100 * 100 // 100% in hundredths of a percent
	q, r := int64(a)*int64(home)/whole, int64(a)*int64(home)%whole
	if r > whole-r {
		q++
	}
	return Parts{Whole: a, Home: geo.Dec(q), Host: a - geo.Dec(q)}
}

// Stats are a project's, an enclave's or a district's figures of a year
// that the enclaves split, in 万元, each with the item of the share
// schedules that splits it.
type Stats[T any] struct {
	Investment T `json:"investment"`  // fixed_investment
	ValueAdded T `json:"value_added"` // gdp
	Tax        T `json:"tax"`         // tax
}

// statItems are the schedules' items that split Stats' fields, in order.
var statItems = [3]string{"fixed_investment", "gdp", "tax"}

// fields returns pointers to s's fields, in the order of statItems.
func (s *Stats[T]) fields() [3]*T { return [3]*T{&s.Investment, &s.ValueAdded, &s.Tax} }

// amounts are a project-year's figures in the order of statItems.
func (py ProjectYear) amounts() [3]geo.Dec { return [3]geo.Dec{py.Investment, py.ValueAdded, py.Tax} }

// StepIn returns the step of item's schedule in force in year: the last
// that started by then, within the agreement's term; ok is false before
// the agreement's year and after its term, when the enclave splits
// nothing.
func (e Enclave) StepIn(item string, year int) (EnclaveShare, bool) {
	start := e.AgreementDate.Year()
	var out EnclaveShare
	ok := false
	if year < start || year >= start+e.TermYears {
		return out, false
	}
	for _, s := range e.Shares {
		if s.Item == item && s.FromYear <= year && (!ok || s.FromYear > out.FromYear) {
			out, ok = s, true
		}
	}
	return out, ok
}

// ProjectSplit is a project's figures of a year and their split.
type ProjectSplit struct {
	ID         geo.ID `json:"id"`
	Name       string `json:"name"`
	DistrictID geo.ID `json:"district_id"`
	Stats[Parts]
}

// Split is what an enclave's shares make of the figures of the projects
// inside it in a year: the step of each item in force (none: the year is
// outside the agreement, and each project's own district keeps its
// figures whole), each project's split and the total, which is the sum of
// the projects' parts.
type Split struct {
	Enclave  EnclaveView           `json:"enclave"`
	Year     int                   `json:"year"`
	Steps    map[string]*ShareStep `json:"steps"`
	Projects []ProjectSplit        `json:"projects"`
	Total    Stats[Parts]          `json:"total"`
}

// splitOf splits a project-year's figures by e's schedules in year. An
// item with no step in force is not split: the project's own district
// keeps it whole, as the home's part if it is the home district, else as
// the host's. inForce tells which items were split.
func splitOf(e Enclave, year int, py ProjectYear) (out Stats[Parts], inForce [3]bool) {
	for i, f := range out.fields() {
		a := py.amounts()[i]
		st, ok := e.StepIn(statItems[i], year)
		switch {
		case ok:
			*f = split(a, st.HomePct)
		case py.DistrictID == e.HomeDistrictID:
			*f = Parts{Whole: a, Home: a}
		default:
			*f = Parts{Whole: a, Host: a}
		}
		inForce[i] = ok
	}
	return out, inForce
}

// Split returns the split of the figures of the projects inside enclave
// id in a year ("": this year): KindInvalid for a bad year, KindNotFound.
func (s *Enclaves) Split(ctx context.Context, p geo.Principal, id geo.ID, year string) (Split, error) {
	y, err := ParseYear(year, s.now())
	if err != nil {
		return Split{}, err
	}
	r, err := s.store.EnclaveRecord(ctx, p, id)
	if err != nil {
		return Split{}, err
	}
	pys, err := s.store.ProjectYears(ctx, p, y)
	if err != nil {
		return Split{}, err
	}
	out := Split{Enclave: r.view(), Year: y, Steps: map[string]*ShareStep{}, Projects: []ProjectSplit{}}
	out.Enclave.Geometry = nil
	for _, it := range EnclaveItems {
		if st, ok := r.StepIn(it.ID, y); ok {
			out.Steps[it.ID] = &ShareStep{Item: it.ID, FromYear: st.FromYear, HomePct: st.HomePct.String(), HostPct: st.HostPct.String()}
		} else {
			out.Steps[it.ID] = nil
		}
	}
	for _, py := range pys {
		if py.EnclaveID != id {
			continue
		}
		sp, _ := splitOf(r.Enclave, y, py)
		ps := ProjectSplit{ID: py.ProjectID, Name: py.Name, DistrictID: py.DistrictID, Stats: sp}
		tf := out.Total.fields()
		for i, f := range ps.fields() {
			tf[i].Whole += f.Whole
			tf[i].Home += f.Home
			tf[i].Host += f.Host
		}
		out.Projects = append(out.Projects, ps)
	}
	return out, nil
}

// DistrictRow is a district's figures of a year without the enclaves'
// split (each project counted whole to its own district) and with it
// (the projects inside an enclave split between its home and host).
type DistrictRow struct {
	DistrictID geo.ID         `json:"district_id"`
	Name       string         `json:"name"`
	Without    Stats[geo.Dec] `json:"without"`
	With       Stats[geo.Dec] `json:"with"`
}

// DistrictTable is every district's figures of a year with and without
// the split, and the city's total, which each column adds up to exactly.
type DistrictTable struct {
	Year int            `json:"year"`
	Rows []DistrictRow  `json:"rows"`
	City Stats[geo.Dec] `json:"city"`
}

// Table returns the district table of a year ("": this year) over the
// projects p may see: KindInvalid for a bad year.
func (s *Enclaves) Table(ctx context.Context, p geo.Principal, year string) (DistrictTable, error) {
	y, err := ParseYear(year, s.now())
	if err != nil {
		return DistrictTable{}, err
	}
	ds, _, _, err := s.store.Districts(ctx)
	if err != nil {
		return DistrictTable{}, err
	}
	es, err := s.store.Enclaves(ctx, p)
	if err != nil {
		return DistrictTable{}, err
	}
	pys, err := s.store.ProjectYears(ctx, p, y)
	if err != nil {
		return DistrictTable{}, err
	}
	return districtTable(y, ds, es, pys)
}

// districtTable adds the project-years up by district, without and with
// the split of the enclaves es.
func districtTable(year int, ds []geo.District, es []EnclaveRecord, pys []ProjectYear) (DistrictTable, error) {
	out := DistrictTable{Year: year, Rows: make([]DistrictRow, len(ds))}
	row := map[geo.ID]*DistrictRow{}
	for i, d := range ds {
		out.Rows[i] = DistrictRow{DistrictID: d.ID, Name: d.Name}
		row[d.ID] = &out.Rows[i]
	}
	enclave := map[geo.ID]Enclave{}
	for _, e := range es {
		enclave[e.ID] = e.Enclave
	}
	for _, py := range pys {
		own := row[py.DistrictID]
		if own == nil {
			return out, fmt.Errorf("project %d: no district %d", py.ProjectID, py.DistrictID)
		}
		a := py.amounts()
		for i, f := range own.Without.fields() {
			*f += a[i]
		}
		for i, f := range out.City.fields() {
			*f += a[i]
		}
		e, ok := enclave[py.EnclaveID]
		if !ok {
			for i, f := range own.With.fields() {
				*f += a[i]
			}
			continue
		}
		home, host := row[e.HomeDistrictID], row[e.HostDistrictID]
		if home == nil || host == nil {
			return out, fmt.Errorf("enclave %d: no district %d or %d", e.ID, e.HomeDistrictID, e.HostDistrictID)
		}
		sp, inForce := splitOf(e, year, py)
		hf, sf, of := home.With.fields(), host.With.fields(), own.With.fields()
		for i, f := range sp.fields() {
			if inForce[i] {
				*hf[i] += f.Home
				*sf[i] += f.Host
			} else {
				*of[i] += f.Whole
			}
		}
	}
	return out, nil
}
