package land

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Verdict is the outcome of a compliance check (用地合规审查), from the
// most severe: blocking, conflict, conditional, warning, compliant.
type Verdict string

// The verdicts.
const (
	VerdictBlocking    Verdict = "blocking"    // 不可用地: 永久基本农田 or 生态保护红线
	VerdictConflict    Verdict = "conflict"    // 冲突
	VerdictConditional Verdict = "conditional" // 有条件
	VerdictWarning     Verdict = "warning"     // 提示
	VerdictCompliant   Verdict = "compliant"   // 合规
)

// Verdicts lists the verdicts from the most severe, with their Chinese
// names.
func Verdicts() []NamedVerdict {
	return []NamedVerdict{
		{VerdictBlocking, "禁止占用"}, {VerdictConflict, "冲突"}, {VerdictConditional, "有条件"},
		{VerdictWarning, "提示"}, {VerdictCompliant, "合规"},
	}
}

// NamedVerdict is a verdict with its Chinese name.
type NamedVerdict struct {
	Verdict Verdict `json:"verdict"`
	Name    string  `json:"name"`
}

// severity ranks a verdict: 0 for blocking, 4 for compliant, -1 for none.
func (v Verdict) severity() int {
	return slices.IndexFunc(Verdicts(), func(n NamedVerdict) bool { return n.Verdict == v })
}

// Rule is a rule of the compliance check: what a site overlaps that the
// severity table gives a verdict.
type Rule string

// The rules of the compliance check (DOMAIN.md "Land compliance check").
const (
	RuleBasicFarmland   Rule = "basic_farmland"         // overlaps 永久基本农田
	RuleEcoRedline      Rule = "eco_redline"            // overlaps 生态保护红线
	RuleProhibitedZone  Rule = "prohibited_zone"        // overlaps 禁止建设区 (040)
	RuleRestrictedZone  Rule = "restricted_zone"        // overlaps 限制建设区 (030)
	RuleConditionalZone Rule = "conditional_zone"       // overlaps 有条件建设区 (020)
	RuleOutsideUrban    Rule = "outside_urban_boundary" // not wholly inside 城镇开发边界 (单独选址)
	RuleLanduseMismatch Rule = "landuse_mismatch"       // a zone's class differs from the intended use
)

// NamedRule is a rule with its Chinese name.
type NamedRule struct {
	Rule Rule   `json:"rule"`
	Name string `json:"name"`
}

// Rules lists the rules with their Chinese names, in the order of the
// severity table.
func Rules() []NamedRule {
	return []NamedRule{
		{RuleBasicFarmland, "占用永久基本农田"}, {RuleEcoRedline, "占用生态保护红线"},
		{RuleProhibitedZone, "占用禁止建设区"}, {RuleRestrictedZone, "占用限制建设区"},
		{RuleConditionalZone, "占用有条件建设区"}, {RuleOutsideUrban, "未完全位于城镇开发边界内（单独选址）"},
		{RuleLanduseMismatch, "规划用途与拟用地类型不符"},
	}
}

// Severity is the severity table: the verdict of each rule.
type Severity map[Rule]Verdict

// DefaultSeverity is DOMAIN.md's severity table.
func DefaultSeverity() Severity {
	return Severity{
		RuleBasicFarmland: VerdictBlocking, RuleEcoRedline: VerdictBlocking,
		RuleProhibitedZone: VerdictConflict, RuleRestrictedZone: VerdictConflict,
		RuleConditionalZone: VerdictConditional, RuleOutsideUrban: VerdictWarning,
		RuleLanduseMismatch: VerdictConflict,
	}
}

// CheckSettings are the settings of the compliance check an admin may
// change.
type CheckSettings struct {
	Severity Severity `json:"severity"`
	// ToleranceM2: an overlap smaller than this many m² is a sliver, left
	// out and counted (default 1 m², DOMAIN.md).
	ToleranceM2 float64 `json:"tolerance_m2"`
	// ToleranceShare: an overlap smaller than this share of the site (0 to
	// 0.05) is a sliver too; default 0 (the m² tolerance alone).
	ToleranceShare float64 `json:"tolerance_share"`
}

// DefaultCheckSettings are the settings DOMAIN.md gives.
func DefaultCheckSettings() CheckSettings {
	return CheckSettings{Severity: DefaultSeverity(), ToleranceM2: 1}
}

// Validate checks that every rule is mapped to one of the five verdicts
// and nothing else is mapped, and that the tolerances are in range.
// Errors are KindInvalid.
func (s CheckSettings) Validate() error {
	for _, r := range Rules() {
		v, ok := s.Severity[r.Rule]
		if !ok {
			return geo.Invalid("missing_rule", "严重程度表缺少规则“%s”", "the severity table has no verdict for rule %s", r.Rule)
		}
		if v.severity() < 0 {
			return geo.Invalid("bad_verdict", "规则“%s”的结论须为 blocking、conflict、conditional、warning 或 compliant", "the verdict of rule %s must be blocking, conflict, conditional, warning or compliant", r.Name)
		}
	}
	for r := range s.Severity {
		if !slices.ContainsFunc(Rules(), func(n NamedRule) bool { return n.Rule == r }) {
			return geo.Invalid("bad_rule", "没有规则“%s”", "there is no rule %s", string(r))
		}
	}
	if math.IsNaN(s.ToleranceM2) || s.ToleranceM2 < 0 || s.ToleranceM2 > 1000 {
		return geo.Invalid("bad_tolerance", "碎片容差须在 0 至 1000 平方米之间", "the sliver tolerance must be between 0 and 1000 m²")
	}
	if math.IsNaN(s.ToleranceShare) || s.ToleranceShare < 0 || s.ToleranceShare > 0.05 {
		return geo.Invalid("bad_tolerance_share", "碎片容差比例须在 0 至 0.05（5%）之间", "the sliver tolerance share must be between 0 and 0.05")
	}
	return nil
}

// ControlZoneName is the Chinese name of a construction-control zone code.
func ControlZoneName(code string) string {
	return map[string]string{"010": "允许建设区", "020": "有条件建设区", "030": "限制建设区", "040": "禁止建设区"}[code]
}

// Overlap is the part of a site one zone of a layer covers, as the store
// finds it.
type Overlap struct {
	Layer  Layer
	ID     geo.ID
	System string // landuse: the classification system
	Code   string // landuse: the land-use code; control_zones: 010..040
	Class  string // landuse: the class name
	Name   string // the zone's own name
	Plan   string // landuse and control_zones: the plan
	AreaM2 float64
	Geom   orb.Geometry // the overlap, for the map
}

// SiteOverlaps is what the store finds of a site: its validity, whether
// it lies in the city, its area and every overlap of more than nothing.
type SiteOverlaps struct {
	Problem        string           // why the site is invalid; "" if valid
	Repaired       orb.MultiPolygon // the repaired shape of an invalid site
	InCity         bool
	AreaM2         float64
	OutsideUrbanM2 float64 // the part of the site outside every 城镇开发边界
	Overlaps       []Overlap
}

// Measure is an area in m², 公顷 and 亩 and its share of the site.
type Measure struct {
	AreaM2   float64 `json:"area_m2"`
	Hectares float64 `json:"hectares"`
	Mu       float64 `json:"mu"`
	Share    float64 `json:"share"` // of the site, 0..1
}

func measure(m2, site float64) Measure {
	a := geo.Area(m2)
	share := 0.0
	if site > 0 {
		share = m2 / site
	}
	return Measure{AreaM2: round(m2, 2), Hectares: round(a.Hectares(), 4), Mu: round(a.Mu(), 2), Share: round(share, 6)}
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// ZoneOverlap is one zone's overlap with the site, with its attributes.
type ZoneOverlap struct {
	ID     geo.ID `json:"id"`
	System string `json:"system,omitempty"`
	Code   string `json:"code,omitempty"`
	Class  string `json:"class,omitempty"`
	Name   string `json:"name,omitempty"`
	Plan   string `json:"plan,omitempty"`
	Measure
	// Geometry is the overlap (GeoJSON), for the map to highlight; left
	// out of stored verdicts.
	Geometry *geojson.Geometry `json:"geometry,omitempty"`
}

// ClassOverlap is the overlap of every zone of one class (landuse: a
// land-use class; control_zones: a zone code).
type ClassOverlap struct {
	System string `json:"system,omitempty"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Zones  int    `json:"zones"`
	Measure
}

// LayerReport is a site's overlaps with one layer.
type LayerReport struct {
	Layer   Layer          `json:"layer"`
	Name    string         `json:"name"`
	Total   Measure        `json:"total"`
	Zones   []ZoneOverlap  `json:"zones"`
	Classes []ClassOverlap `json:"classes"`
	Slivers int            `json:"slivers"` // overlaps under the tolerance, left out
}

// Fired is a rule that fired, with its verdict.
type Fired struct {
	Rule    Rule    `json:"rule"`
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Detail  string  `json:"detail"` // what fired it, in Chinese
	Measure
}

// Report is the compliance check of a site.
type Report struct {
	Site         Measure       `json:"site"`
	Intended     *Code         `json:"intended,omitempty"`
	Layers       []LayerReport `json:"layers"`
	OutsideUrban Measure       `json:"outside_urban_boundary"`
	ToleranceM2  float64       `json:"tolerance_m2"` // the sliver tolerance applied to this site
	Slivers      int           `json:"slivers"`
	Verdict      Verdict       `json:"verdict"`
	VerdictName  string        `json:"verdict_name"`
	Rules        []Fired       `json:"rules"`
}

// Assess turns what the store found of a valid site into the report:
// overlaps under the tolerance dropped and counted, the overlaps summed
// per class, the rules of the severity table applied. intended, if not
// nil, is the project's intended land use: a land-use zone of the same
// system whose class is neither it nor one of its parents or children
// fires RuleLanduseMismatch (zones of another system are not compared:
// their codes mean other things).
func Assess(so SiteOverlaps, intended *Code, set CheckSettings) Report {
	site := so.AreaM2
	tol := max(set.ToleranceM2, set.ToleranceShare*site)
	r := Report{Site: measure(site, site), Intended: intended, ToleranceM2: round(tol, 4), OutsideUrban: measure(so.OutsideUrbanM2, site), Rules: []Fired{}}
	byLayer := map[Layer]*LayerReport{}
	for _, l := range Layers() {
		r.Layers = append(r.Layers, LayerReport{Layer: l.Layer, Name: l.Name, Zones: []ZoneOverlap{}, Classes: []ClassOverlap{}})
	}
	for i := range r.Layers {
		byLayer[r.Layers[i].Layer] = &r.Layers[i]
	}
	type classKey struct {
		layer        Layer
		system, code string
	}
	classes := map[classKey]*ClassOverlap{}
	sums := map[Layer]float64{}
	for _, o := range so.Overlaps {
		lr := byLayer[o.Layer]
		if lr == nil {
			continue
		}
		if o.AreaM2 < tol {
			lr.Slivers++
			r.Slivers++
			continue
		}
		z := ZoneOverlap{ID: o.ID, System: o.System, Code: o.Code, Class: o.Class, Name: o.Name, Plan: o.Plan, Measure: measure(o.AreaM2, site)}
		if o.Geom != nil {
			z.Geometry = geojson.NewGeometry(o.Geom)
		}
		lr.Zones = append(lr.Zones, z)
		sums[o.Layer] += o.AreaM2
		if o.Layer != LayerLanduse && o.Layer != LayerControlZones {
			continue
		}
		k := classKey{o.Layer, o.System, o.Code}
		c := classes[k]
		if c == nil {
			name := o.Class
			if o.Layer == LayerControlZones {
				name = ControlZoneName(o.Code)
			}
			c = &ClassOverlap{System: o.System, Code: o.Code, Name: name}
			classes[k] = c
		}
		c.Zones++
		c.AreaM2 += o.AreaM2
	}
	for k, c := range classes {
		c.Measure = measure(c.AreaM2, site)
		byLayer[k.layer].Classes = append(byLayer[k.layer].Classes, *c)
	}
	for i := range r.Layers {
		lr := &r.Layers[i]
		lr.Total = measure(sums[lr.Layer], site)
		slices.SortFunc(lr.Zones, func(a, b ZoneOverlap) int { return cmp.Or(cmp.Compare(b.AreaM2, a.AreaM2), cmp.Compare(a.ID, b.ID)) })
		slices.SortFunc(lr.Classes, func(a, b ClassOverlap) int {
			return cmp.Or(cmp.Compare(b.AreaM2, a.AreaM2), cmp.Compare(a.System, b.System), cmp.Compare(a.Code, b.Code))
		})
	}
	fire := func(rule Rule, detail string, m2 float64) {
		v := set.Severity[rule]
		name := ""
		for _, n := range Rules() {
			if n.Rule == rule {
				name = n.Name
			}
		}
		r.Rules = append(r.Rules, Fired{Rule: rule, Name: name, Verdict: v, Detail: detail, Measure: measure(m2, site)})
	}
	layerRule := func(l Layer, rule Rule) {
		if lr := byLayer[l]; len(lr.Zones) > 0 {
			fire(rule, fmt.Sprintf("与%s重叠 %.2f 亩（%d 处）", lr.Name, lr.Total.Mu, len(lr.Zones)), lr.Total.AreaM2)
		}
	}
	layerRule(LayerBasicFarmland, RuleBasicFarmland)
	layerRule(LayerEcoRedline, RuleEcoRedline)
	for _, z := range []struct {
		code string
		rule Rule
	}{{"040", RuleProhibitedZone}, {"030", RuleRestrictedZone}, {"020", RuleConditionalZone}} {
		if c := classes[classKey{LayerControlZones, "", z.code}]; c != nil {
			fire(z.rule, fmt.Sprintf("与%s（%s）重叠 %.2f 亩", ControlZoneName(z.code), z.code, c.Mu), c.AreaM2)
		}
	}
	if so.OutsideUrbanM2 >= tol && so.OutsideUrbanM2 > 0 {
		fire(RuleOutsideUrban, fmt.Sprintf("%.2f 亩位于城镇开发边界外", r.OutsideUrban.Mu), so.OutsideUrbanM2)
	}
	if intended != nil {
		var differ []string
		m2 := 0.0
		for _, c := range byLayer[LayerLanduse].Classes {
			if c.System == intended.System && !strings.HasPrefix(c.Code, intended.Code) && !strings.HasPrefix(intended.Code, c.Code) {
				differ = append(differ, c.Code+" "+c.Name)
				m2 += c.AreaM2
			}
		}
		if len(differ) > 0 {
			fire(RuleLanduseMismatch, fmt.Sprintf("拟用地 %s，规划为 %s", intended.Code, strings.Join(differ, "、")), m2)
		}
	}
	r.Verdict = VerdictCompliant
	for _, f := range r.Rules {
		if f.Verdict.severity() < r.Verdict.severity() {
			r.Verdict = f.Verdict
		}
	}
	for _, n := range Verdicts() {
		if n.Verdict == r.Verdict {
			r.VerdictName = n.Name
		}
	}
	return r
}

// WithoutShapes is the report without the overlaps' geometries, as a
// verdict is stored.
func (r Report) WithoutShapes() Report {
	layers := make([]LayerReport, len(r.Layers))
	for i, l := range r.Layers {
		l.Zones = slices.Clone(l.Zones)
		for k := range l.Zones {
			l.Zones[k].Geometry = nil
		}
		layers[i] = l
	}
	r.Layers = layers
	return r
}
