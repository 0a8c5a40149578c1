package geo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// The domain model: plain values for what the database holds. Geometries
// are orb values in CGCS2000 longitude/latitude (equal to WGS84 within
// centimetres); areas are computed by the database. Dates are time.Time
// values at midnight UTC, and the zero time means "none". IDs are the
// database's; 0 means "none" in an optional reference.

// Dec is an exact decimal number with two places, held as a count of
// hundredths: Dec(1234567) is 12345.67. Money (万元), prices and
// intensities (万元/亩), quotas (亩), percentages and plot ratios are Decs,
// matching the database's numeric(…, 2); onemap never holds them in
// floating point.
type Dec int64

// DecOf returns units + hundredths/100; for a negative amount give both
// parts negative.
func DecOf(units, hundredths int64) Dec { return Dec(units*100 + hundredths) }

// String returns the number with exactly two decimals, e.g. "12345.67",
// "-0.50".
func (d Dec) String() string {
	n := int64(d)
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign = "-"
		u = uint64(-n) // also right for math.MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// Units returns the integer part, truncated towards zero.
func (d Dec) Units() int64 { return int64(d) / 100 }

// ParseDec parses a decimal with at most two places: "12345.67", "-3",
// "0.5", "+7.25".
func ParseDec(s string) (Dec, error) {
	orig := s
	bad := func() (Dec, error) { return 0, fmt.Errorf("decimal %q: want digits with at most two decimals", orig) }
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" && frac == "" || len(frac) > 2 || hasPoint && frac == "" {
		return bad()
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return bad()
		}
	}
	var u uint64
	if intPart != "" {
		var err error
		if u, err = strconv.ParseUint(intPart, 10, 64); err != nil || u > (1<<63-1)/100-1 {
			return 0, fmt.Errorf("decimal %q: out of range", orig)
		}
	}
	var f uint64
	if frac != "" {
		f, _ = strconv.ParseUint(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := int64(u*100 + f)
	if neg {
		v = -v
	}
	return Dec(v), nil
}

// MarshalText writes the decimal as in String.
func (d Dec) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a decimal as ParseDec does.
func (d *Dec) UnmarshalText(b []byte) error {
	v, err := ParseDec(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DecPtr returns a pointer to d, for the optional Dec fields.
func DecPtr(d Dec) *Dec { return &d }

// The classification systems of land-use codes.
const (
	// SystemGTKJ2023 is 国土空间调查、规划、用途管制用地用海分类 (2023), the
	// land-use classification of territorial spatial plans.
	SystemGTKJ2023 = "gtkj2023"
	// SystemGBT21010 is GB/T 21010-2017 土地利用现状分类, the classification
	// of the third land survey (三调) and of older plans.
	SystemGBT21010 = "gbt21010-2017"
)

// District kinds.
const (
	DistrictCounty = "county" // 县区: a county-level unit with an adcode
	DistrictZone   = "zone"   // 功能区: a function zone run by a management committee
)

// District is one of the five county-level units (县区) or the three
// function zones (功能区) statistics roll up by. Function zones lie inside
// counties, so district outlines may overlap.
type District struct {
	ID   int64
	Code string // adcode of a county, a stable code of a function zone
	Name string
	Kind string // DistrictCounty or DistrictZone
	Seat orb.Point
	Geom orb.MultiPolygon
}

// LanduseSystem is a land-use classification system.
type LanduseSystem struct {
	ID   string // e.g. SystemGTKJ2023
	Name string
}

// LanduseCode is a land-use code together with its classification system:
// codes clash between systems (1001 is 工业用地 in 用地用海 but 铁路用地 in
// 三调), so a code never travels alone.
type LanduseCode struct {
	System string
	Code   string
}

// LanduseClass is one class of a classification system.
type LanduseClass struct {
	System       string
	Code         string
	Name         string
	Parent       string // code of the parent class; empty at the first level
	Construction bool   // counts as construction land (建设用地)
}

// Project is a key project (重点项目).
type Project struct {
	ID              int64
	Code            string // 项目代码 of the national approval platform; empty: none yet
	Name            string
	Stage           string // one of Stages
	Category        string // one of Categories
	DistrictID      int64
	Leader          string // 分包领导
	ResponsibleUnit string // 责任单位
	Owner           string // 业主单位
	OwnerContact    string
	Industry        string
	TotalInvestment Dec // 总投资, 万元
	AnnualPlan      Dec // 年度计划, 万元
	PlannedStart    time.Time
	PlannedFinish   time.Time
	ActualStart     time.Time
	ActualFinish    time.Time
	IntendedUse     *LanduseCode // intended land-use class; nil: not given
	WithdrawnReason string       // why a withdrawn project left the pool
	Site            orb.MultiPolygon
	Point           orb.Point
	Progress        []Progress
	Blockers        []Blocker
}

// Progress is a project's month: planned and actual investment and the
// image progress (形象进度).
type Progress struct {
	Month    time.Time // first day of the month
	Planned  Dec       // 万元
	Invested Dec       // 万元
	Note     string    // progress_note
	Photos   []string
}

// Blocker is a coordination problem (协调问题) of a project.
type Blocker struct {
	ID         int64
	Kind       string // land, funds, planning, environment or other
	Note       string
	RaisedOn   time.Time
	ResolvedOn time.Time // zero: open
}

// Park is an industrial park (园区 / 产业集聚区).
type Park struct {
	ID                int64
	Name              string
	Level             string // national, provincial or city
	DistrictID        int64
	LeadingIndustries []string // 主导产业
	Model             string   // 主体企业开发, 政企联合, 飞地工业 or 政府主导; empty: not given
	Geom              orb.MultiPolygon
}

// Parcel is a parcel (地块) offered to investors.
type Parcel struct {
	ID                  int64
	Code                string
	Name                string
	DistrictID          int64 // 0: none
	ParkID              int64 // 0: outside parks
	SupplyStatus        string
	Landuse             LanduseCode
	Price               *Dec     // 起始价, 万元/亩
	PlotRatioMin        *Dec     // 容积率
	PlotRatioMax        *Dec     //
	BuildingDensity     *Dec     // 建筑密度, %
	GreenRatio          *Dec     // 绿地率, %
	InvestmentIntensity *Dec     // 投资强度, 万元/亩
	TaxPerMu            *Dec     // 地均税收, 万元/亩/年
	Utilities           []string // 七通一平 items, ids of Utilities
	Geom                orb.MultiPolygon
}

// LanduseZone is a zone of a land-use plan (国土空间规划).
type LanduseZone struct {
	ID      int64 // 0: assigned by the database
	Landuse LanduseCode
	Plan    string // the plan the zone belongs to
	Geom    orb.MultiPolygon
}

// ControlLine is a 三区三线 control area: basic_farmland, eco_redline or
// urban_boundary.
type ControlLine struct {
	ID         int64
	Kind       string
	Name       string
	DistrictID int64 // 0: none
	Geom       orb.MultiPolygon
}

// ControlZone is a legacy construction-control zone (建设用地管制区) of a
// 土地利用总体规划: code 010, 020, 030 or 040.
type ControlZone struct {
	ID   int64
	Code string
	Plan string
	Geom orb.MultiPolygon
}

// Quota is a district's annual construction-land quota (年度建设用地计划指标).
type Quota struct {
	DistrictID int64
	Year       int
	Mu         Dec // 亩
}

// Enclave is an enclave zone (飞地): home district (飞出地) and host
// district (飞入地) share its statistics by schedule.
type Enclave struct {
	ID              int64
	Name            string
	HomeDistrictID  int64
	HostDistrictID  int64
	AgreementNo     string
	AgreementDate   time.Time
	TermYears       int
	Model           string // 主体企业开发, 政企联合, 飞地工业, 联合管委会 or 第三方运营
	QuotaDistrictID int64  // whose land quota is used
	Geom            orb.MultiPolygon
	Shares          []EnclaveShare
}

// EnclaveShare is one step of a share schedule: from FromYear on, item is
// split HomePct : HostPct, which sum to 100.
type EnclaveShare struct {
	Item     string // gdp, fixed_investment, tax or land_revenue
	FromYear int
	HomePct  Dec
	HostPct  Dec
}

// Firm is a target firm (目标企业) of investment promotion.
type Firm struct {
	ID           int64
	Name         string
	Tags         []string // ids of FirmTags
	Industries   []string
	HQCity       string
	Stage        string // one of FirmStages
	ContactName  string
	ContactPhone string
	HQ           orb.Point // headquarters
	ParkIDs      []int64
	ParcelIDs    []int64
}

// Transport is a transport feature or a river: a line, a point (stations,
// exits) or a polygon (the port).
type Transport struct {
	ID   int64
	Kind string // one of TransportKinds
	Name string
	Ref  string // e.g. G4; empty: none
	Geom orb.Geometry
}

// Dataset is a whole city's data, as the demo generator makes it and the
// bulk loader writes it.
type Dataset struct {
	Systems      []LanduseSystem
	Classes      []LanduseClass
	Districts    []District
	Parks        []Park
	Parcels      []Parcel
	Projects     []Project
	Landuse      []LanduseZone
	ControlLines []ControlLine
	ControlZones []ControlZone
	Quotas       []Quota
	Enclaves     []Enclave
	Firms        []Firm
	Transport    []Transport
}
