package invest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/luohe/onemap/geo"
)

// Site search (智能选址): parcels that meet a firm's hard criteria, ranked
// by a weighted score of how well they meet the graded ones.
//
// Every criterion given is hard: a parcel that fails it (or lacks the
// value it bounds) is left out, and counted under that criterion. The
// graded criteria also score each remaining parcel from 0 to 1 on how far
// inside its limit it is:
//
//   - area_mu: with both bounds, 1 in the middle of the range and 0 at
//     either end; with the least only, least/area (no more land than
//     needed); with the most only, area/most;
//   - price_max: 1 − price/limit (cheaper is better);
//   - plot_ratio_min: 1 − limit/plot ratio (the parcel's highest allowed
//     plot ratio: more room is better);
//   - utilities: the share of the eight 七通一平 items the parcel has;
//   - each of max_distance_m's targets: 1 − distance/limit.
//
// The total is 100 × Σ weight·score / Σ weight over the graded criteria
// given; a weight is 1 unless the query sets it. The pass-or-fail criteria
// (supply_status, landuse_code, industry, avoid) score 1 for every parcel
// left in, and take no weight.

// The targets of max_distance_m: the nearest transport feature of kind
// highway_exit, station, high_speed_station and port.
var siteTargets = []struct{ ID, ZH string }{
	{"highway_exit", "距高速出入口"},
	{"rail_station", "距火车站"},
	{"hsr_station", "距高铁站"},
	{"port", "距港口"},
}

// siteAvoidable are the control-line kinds a search can keep parcels off.
var siteAvoidable = []string{"basic_farmland", "eco_redline"}

// SiteTargets returns the targets of max_distance_m, in order.
func SiteTargets() []string {
	out := make([]string, len(siteTargets))
	for i, t := range siteTargets {
		out[i] = t.ID
	}
	return out
}

// siteGraded are the criteria that take a weight, in the order results
// list them.
var siteGraded = []string{"area_mu", "price_max", "plot_ratio_min", "utilities",
	"highway_exit", "rail_station", "hsr_station", "port"}

// SiteQuery is a site search's criteria (the fields of the parcels they
// bound) and weights. Nil and empty criteria are not asked.
type SiteQuery struct {
	AreaMuMin    *float64           `json:"area_mu_min"`
	AreaMuMax    *float64           `json:"area_mu_max"`
	SupplyStatus []string           `json:"supply_status"`
	LanduseCode  []string           `json:"landuse_code"` // a class and its subclasses
	PriceMax     *float64           `json:"price_max"`    // 万元/亩
	Industry     string             `json:"industry"`     // in one of the park's leading industries
	PlotRatioMin *float64           `json:"plot_ratio_min"`
	Utilities    []string           `json:"utilities"`      // 七通一平 items, all required
	MaxDistanceM map[string]float64 `json:"max_distance_m"` // by target: highway_exit, rail_station, hsr_station, port
	Avoid        []string           `json:"avoid"`          // control-line kinds not to touch
	Weights      map[string]float64 `json:"weights"`        // by graded criterion
	Limit        int                `json:"limit"`          // results at most; 0: 50
}

// The bounds of a query.
const (
	siteDefaultLimit = 50
	siteMaxLimit     = 500
	siteMaxWeight    = 100
)

var landuseCodePattern = regexp.MustCompile(`^[0-9]{2,6}$`)

// SiteLimits is a checked query as the store applies it.
type SiteLimits struct {
	AreaMuMin, AreaMuMax *float64
	SupplyStatus         []string // nil: any
	LanduseCode          []string // nil: any
	PriceMax             *float64
	Industry             string // "": any
	PlotRatioMin         *float64
	Utilities            []string           // nil: none required
	MaxDistanceM         map[string]float64 // by target (SiteTargets)
	BasicFarmland        bool               // keep off 永久基本农田
	EcoRedline           bool               // keep off 生态保护红线
}

// SiteCandidate is a parcel that meets every hard criterion, with the
// values the scores read.
type SiteCandidate struct {
	ID             geo.ID
	Code           string
	Name           string
	Park           string
	ParkIndustries []string
	SupplyStatus   string
	LanduseCode    string
	LanduseName    string
	AreaMu         float64
	Price          *float64 // 万元/亩
	PlotRatio      *float64 // the highest allowed
	Utilities      []string
	DistanceM      map[string]*float64 // by target (highway_exit, …); nil: none of that kind
	Lon, Lat       float64             // a point on the parcel
}

// SiteRows is what the store answers a search: how many parcels it looked
// at, how many each criterion left out (by its name in the query:
// area_mu_min, max_distance_m.port, avoid.eco_redline, …), and the
// parcels that meet them all.
type SiteRows struct {
	Total      int
	Excluded   map[string]int
	Candidates []SiteCandidate
}

// CriterionResult is how a parcel did on one criterion: its value, the
// limit, the score (0–1), the weight and the points it adds to the total.
type CriterionResult struct {
	Criterion string  `json:"criterion"`
	Label     string  `json:"label"`
	Value     any     `json:"value"`
	Limit     any     `json:"limit"`
	Unit      string  `json:"unit,omitempty"`
	Score     float64 `json:"score"`
	Weight    float64 `json:"weight"`
	Points    float64 `json:"points"`
	Text      string  `json:"text"` // in Chinese
}

// SiteResult is a parcel of a site search's answer.
type SiteResult struct {
	Rank         int               `json:"rank"`
	ID           geo.ID            `json:"id"`
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	Park         string            `json:"park"`
	SupplyStatus string            `json:"supply_status"`
	LanduseCode  string            `json:"landuse_code"`
	LanduseName  string            `json:"landuse_name"`
	AreaMu       float64           `json:"area_mu"`
	Lon          float64           `json:"lon"`
	Lat          float64           `json:"lat"`
	Score        float64           `json:"score"` // 0–100
	Criteria     []CriterionResult `json:"criteria"`
	Explanation  string            `json:"explanation"` // why it ranks where it does, in Chinese
}

// SiteAnswer is a site search's answer.
type SiteAnswer struct {
	Total    int                `json:"total"`    // parcels looked at
	Matched  int                `json:"matched"`  // parcels meeting every criterion
	Excluded map[string]int     `json:"excluded"` // left out, by criterion (a parcel may fail several)
	Weights  map[string]float64 `json:"weights"`  // the weights used, by graded criterion
	Sites    []SiteResult       `json:"sites"`    // the best, at most the query's limit
}

// Search checks q, finds the parcels that meet it, and ranks them.
func (s *Sites) Search(ctx context.Context, p geo.Principal, q SiteQuery) (SiteAnswer, error) {
	l, w, err := q.check()
	if err != nil {
		return SiteAnswer{}, err
	}
	rows, err := s.store.SearchSites(ctx, p, l)
	if err != nil {
		return SiteAnswer{}, err
	}
	return rank(q, w, rows), nil
}

func negative(name string) error {
	return geo.Invalid("negative_value", "%s 不能为负数", "%s must not be negative", name)
}

// check validates q and returns the limits the store applies and the
// weights of the graded criteria asked.
func (q SiteQuery) check() (SiteLimits, map[string]float64, error) {
	l := SiteLimits{AreaMuMin: q.AreaMuMin, AreaMuMax: q.AreaMuMax, PriceMax: q.PriceMax, PlotRatioMin: q.PlotRatioMin,
		MaxDistanceM: map[string]float64{}}
	for name, v := range map[string]*float64{"area_mu_min": q.AreaMuMin, "area_mu_max": q.AreaMuMax,
		"price_max": q.PriceMax, "plot_ratio_min": q.PlotRatioMin} {
		if v != nil && (*v < 0 || math.IsNaN(*v) || math.IsInf(*v, 0)) {
			return l, nil, negative(name)
		}
	}
	if q.AreaMuMin != nil && q.AreaMuMax != nil && *q.AreaMuMin > *q.AreaMuMax {
		return l, nil, geo.Invalid("area_range", "面积下限（%g 亩）大于上限（%g 亩）", "area_mu_min (%g) is above area_mu_max (%g)", *q.AreaMuMin, *q.AreaMuMax)
	}
	if q.Limit < 0 || q.Limit > siteMaxLimit {
		return l, nil, geo.Invalid("bad_limit", "结果数须在 1 到 %d 之间", "limit must be between 1 and %d", siteMaxLimit)
	}
	for _, v := range q.SupplyStatus {
		if !geo.Has(geo.SupplyStatuses(), v) {
			return l, nil, geo.Invalid("bad_supply_status", "未知的供应状态：%s", "unknown supply status %q", v)
		}
	}
	for _, v := range q.LanduseCode {
		if !landuseCodePattern.MatchString(v) {
			return l, nil, geo.Invalid("bad_landuse_code", "用地代码须为 2 到 6 位数字：%s", "a land-use code is 2 to 6 digits: %q", v)
		}
	}
	for _, v := range q.Utilities {
		if !geo.Has(geo.Utilities(), v) {
			return l, nil, geo.Invalid("bad_utility", "未知的七通一平项目：%s", "unknown utility %q", v)
		}
	}
	for _, v := range q.Avoid {
		if !slices.Contains(siteAvoidable, v) {
			return l, nil, geo.Invalid("bad_avoid", "只能避让永久基本农田（basic_farmland）和生态保护红线（eco_redline）：%s",
				"avoid takes basic_farmland and eco_redline: %q", v)
		}
	}
	l.SupplyStatus, l.LanduseCode, l.Utilities = nonEmpty(q.SupplyStatus), nonEmpty(q.LanduseCode), nonEmpty(q.Utilities)
	l.BasicFarmland, l.EcoRedline = slices.Contains(q.Avoid, "basic_farmland"), slices.Contains(q.Avoid, "eco_redline")
	l.Industry = strings.TrimSpace(q.Industry)
	if n := len([]rune(l.Industry)); n > 50 || !geo.ValidText(l.Industry) {
		return l, nil, geo.Invalid("bad_industry", "产业名称过长或含有非法字符", "industry is too long or holds characters it may not")
	}
	for target, d := range q.MaxDistanceM {
		if !slices.Contains(SiteTargets(), target) {
			return l, nil, geo.Invalid("unknown_target", "未知的距离目标：%s（可选 highway_exit、rail_station、hsr_station、port）",
				"unknown distance target %q (highway_exit, rail_station, hsr_station or port)", target)
		}
		if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
			return l, nil, negative("max_distance_m." + target)
		}
		l.MaxDistanceM[target] = d
	}
	asked := q.graded()
	w := map[string]float64{}
	for _, c := range asked {
		w[c] = 1
	}
	for c, v := range q.Weights {
		switch {
		case !slices.Contains(siteGraded, c):
			return l, nil, geo.Invalid("unknown_weight", "不能为 %s 设置权重（可设权重：%s）", "no weight can be set for %s (weights: %s)",
				c, strings.Join(siteGraded, ", "))
		case !slices.Contains(asked, c):
			return l, nil, geo.Invalid("weight_unused", "为未设置的条件 %s 设置了权重", "a weight for %s, which the search does not ask", c)
		case v < 0 || v > siteMaxWeight || math.IsNaN(v):
			return l, nil, geo.Invalid("bad_weight", "权重须在 0 到 %d 之间：%s", "a weight is between 0 and %d: %s", siteMaxWeight, c)
		}
		w[c] = v
	}
	if len(w) > 0 && sum(w) == 0 {
		return l, nil, geo.Invalid("bad_weight", "权重不能全部为 0", "the weights must not all be 0")
	}
	return l, w, nil
}

// graded lists the graded criteria q asks, in siteGraded's order.
func (q SiteQuery) graded() []string {
	var out []string
	for _, c := range siteGraded {
		_, dist := q.MaxDistanceM[c]
		if (c == "area_mu" && (q.AreaMuMin != nil || q.AreaMuMax != nil)) || (c == "price_max" && q.PriceMax != nil) ||
			(c == "plot_ratio_min" && q.PlotRatioMin != nil) || (c == "utilities" && len(q.Utilities) > 0) || dist {
			out = append(out, c)
		}
	}
	return out
}

func nonEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Compact(slices.Sorted(slices.Values(s)))
}

func sum(w map[string]float64) float64 {
	t := 0.0
	for _, v := range w {
		t += v
	}
	return t
}

// upTo is the score of value under an upper limit: 1 at 0, 0 at limit.
func upTo(value, limit float64) float64 {
	if limit <= 0 {
		return 1
	}
	return clamp01(1 - value/limit)
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

// round rounds v to n decimals.
func round(v float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}

// km shows metres as kilometres.
func km(m float64) string { return fmt.Sprintf("%.1f 公里", m/1000) }

// scored is a candidate with its criteria's results.
type scored struct {
	c        SiteCandidate
	criteria []CriterionResult
	total    float64
}

// grade scores a candidate on every criterion q asks.
func grade(q SiteQuery, w map[string]float64, c SiteCandidate) scored {
	var out []CriterionResult
	add := func(r CriterionResult) {
		if wt, ok := w[r.Criterion]; ok {
			r.Weight = wt
		}
		r.Score = round(r.Score, 3)
		out = append(out, r)
	}
	if q.AreaMuMin != nil || q.AreaMuMax != nil {
		a := c.AreaMu
		r := CriterionResult{Criterion: "area_mu", Label: "面积", Value: round(a, 2), Unit: "亩"}
		switch {
		case q.AreaMuMin != nil && q.AreaMuMax != nil:
			lo, hi := *q.AreaMuMin, *q.AreaMuMax
			r.Limit = []float64{lo, hi}
			r.Score = 1
			if hi > lo {
				r.Score = clamp01(1 - math.Abs(a-(lo+hi)/2)/((hi-lo)/2))
			}
			r.Text = fmt.Sprintf("面积 %.1f 亩，要求 %g–%g 亩", a, lo, hi)
		case q.AreaMuMin != nil:
			r.Limit, r.Score = []any{*q.AreaMuMin, nil}, 1
			if a > 0 && *q.AreaMuMin > 0 {
				r.Score = clamp01(*q.AreaMuMin / a)
			}
			r.Text = fmt.Sprintf("面积 %.1f 亩，要求不少于 %g 亩", a, *q.AreaMuMin)
		default:
			r.Limit, r.Score = []any{nil, *q.AreaMuMax}, 1
			if *q.AreaMuMax > 0 {
				r.Score = clamp01(a / *q.AreaMuMax)
			}
			r.Text = fmt.Sprintf("面积 %.1f 亩，要求不超过 %g 亩", a, *q.AreaMuMax)
		}
		add(r)
	}
	if len(q.SupplyStatus) > 0 {
		add(CriterionResult{Criterion: "supply_status", Label: "供应状态", Value: c.SupplyStatus, Limit: q.SupplyStatus, Score: 1,
			Text: "供应状态为" + geo.LabelZH(geo.SupplyStatuses(), c.SupplyStatus)})
	}
	if len(q.LanduseCode) > 0 {
		add(CriterionResult{Criterion: "landuse_code", Label: "用地类型", Value: c.LanduseCode, Limit: q.LanduseCode, Score: 1,
			Text: fmt.Sprintf("用地类型为 %s %s", c.LanduseCode, c.LanduseName)})
	}
	if q.PriceMax != nil && c.Price != nil {
		add(CriterionResult{Criterion: "price_max", Label: "起始价", Value: *c.Price, Limit: *q.PriceMax, Unit: "万元/亩",
			Score: upTo(*c.Price, *q.PriceMax), Text: fmt.Sprintf("起始价 %g 万元/亩，要求不超过 %g 万元/亩", *c.Price, *q.PriceMax)})
	}
	if ind := strings.TrimSpace(q.Industry); ind != "" {
		add(CriterionResult{Criterion: "industry", Label: "园区主导产业", Value: c.ParkIndustries, Limit: ind, Score: 1,
			Text: fmt.Sprintf("位于%s，主导产业 %s", c.Park, strings.Join(c.ParkIndustries, "、"))})
	}
	if q.PlotRatioMin != nil && c.PlotRatio != nil {
		r := CriterionResult{Criterion: "plot_ratio_min", Label: "容积率", Value: *c.PlotRatio, Limit: *q.PlotRatioMin, Score: 1,
			Text: fmt.Sprintf("容积率最高 %g，要求不低于 %g", *c.PlotRatio, *q.PlotRatioMin)}
		if *c.PlotRatio > 0 {
			r.Score = clamp01(1 - *q.PlotRatioMin / *c.PlotRatio)
		}
		add(r)
	}
	if len(q.Utilities) > 0 {
		names := make([]string, 0, len(c.Utilities))
		for _, u := range c.Utilities {
			names = append(names, geo.LabelZH(geo.Utilities(), u))
		}
		add(CriterionResult{Criterion: "utilities", Label: "七通一平", Value: c.Utilities, Limit: nonEmpty(q.Utilities),
			Score: float64(len(c.Utilities)) / float64(len(geo.Utilities())),
			Text:  fmt.Sprintf("已具备 %d/%d 项：%s", len(c.Utilities), len(geo.Utilities()), strings.Join(names, "、"))})
	}
	for _, t := range siteTargets {
		limit, ok := q.MaxDistanceM[t.ID]
		d := c.DistanceM[t.ID]
		if !ok || d == nil {
			continue
		}
		add(CriterionResult{Criterion: t.ID, Label: t.ZH, Value: round(*d, 0), Limit: limit, Unit: "米",
			Score: upTo(*d, limit), Text: fmt.Sprintf("%s %s，要求不超过 %s", t.ZH, km(*d), km(limit))})
	}
	for _, k := range siteAvoidable {
		if slices.Contains(q.Avoid, k) {
			add(CriterionResult{Criterion: "avoid." + k, Label: "避让" + geo.LabelZH(geo.ControlKinds(), k), Value: false, Limit: false, Score: 1,
				Text: "不涉及" + geo.LabelZH(geo.ControlKinds(), k)})
		}
	}
	s := scored{c: c, criteria: out}
	total := sum(w)
	weighted := 0.0
	for i := range s.criteria {
		r := &s.criteria[i]
		if r.Weight > 0 && total > 0 {
			r.Points = round(100*r.Score*r.Weight/total, 2)
			weighted += r.Score * r.Weight
		}
	}
	s.total = 100
	if total > 0 {
		s.total = round(100*weighted/total, 2)
	}
	return s
}

// rank scores the store's candidates, orders them by score (then code)
// and explains each place.
func rank(q SiteQuery, w map[string]float64, rows SiteRows) SiteAnswer {
	ss := make([]scored, len(rows.Candidates))
	for i, c := range rows.Candidates {
		ss[i] = grade(q, w, c)
	}
	slices.SortFunc(ss, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.c.Code, b.c.Code))
	})
	limit := q.Limit
	if limit == 0 {
		limit = siteDefaultLimit
	}
	ans := SiteAnswer{Total: rows.Total, Matched: len(ss), Excluded: rows.Excluded, Weights: w, Sites: []SiteResult{}}
	if ans.Excluded == nil {
		ans.Excluded = map[string]int{}
	}
	for i := range ss[:min(limit, len(ss))] {
		s := ss[i]
		site := SiteResult{Rank: i + 1, ID: s.c.ID, Code: s.c.Code, Name: s.c.Name, Park: s.c.Park, SupplyStatus: s.c.SupplyStatus,
			LanduseCode: s.c.LanduseCode, LanduseName: s.c.LanduseName, AreaMu: round(s.c.AreaMu, 2), Lon: s.c.Lon, Lat: s.c.Lat,
			Score: s.total, Criteria: s.criteria}
		var above, below *scored
		if i > 0 {
			above = &ss[i-1]
		}
		if i+1 < len(ss) {
			below = &ss[i+1]
		}
		site.Explanation = explain(i+1, s, above, below)
		ans.Sites = append(ans.Sites, site)
	}
	return ans
}

// explain says in Chinese why a site ranks where it does: its score, its
// strongest and weakest graded criteria, and what sets it apart from the
// sites next above (or, for the first, below) it.
func explain(rank int, s scored, above, below *scored) string {
	var graded []CriterionResult
	for _, r := range s.criteria {
		if r.Weight > 0 {
			graded = append(graded, r)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "第 %d 名，综合得分 %.1f。", rank, s.total)
	if len(graded) == 0 {
		b.WriteString("满足全部条件；未设评分条件，按地块编号排序。")
		return b.String()
	}
	best := slices.MaxFunc(graded, func(a, b CriterionResult) int { return cmp.Compare(a.Points, b.Points) })
	worst := slices.MinFunc(graded, func(a, b CriterionResult) int { return cmp.Compare(a.Score, b.Score) })
	fmt.Fprintf(&b, "满足全部条件；得分最多的是%s（%s，得 %.1f 分）", best.Label, best.Text, best.Points)
	if len(graded) > 1 && worst.Criterion != best.Criterion {
		fmt.Fprintf(&b, "，最弱的是%s（%s，评分 %.2f）", worst.Label, worst.Text, worst.Score)
	}
	b.WriteString("。")
	switch {
	case above != nil && above.total == s.total:
		fmt.Fprintf(&b, "与第 %d 名同分，按地块编号排在其后。", rank-1)
	case above != nil:
		c, d := gap(*above, s)
		fmt.Fprintf(&b, "比第 %d 名低 %.1f 分", rank-1, above.total-s.total)
		if d > 0 {
			fmt.Fprintf(&b, "，主要差在%s（少 %.1f 分）", c, d)
		}
		b.WriteString("。")
	case below != nil:
		c, d := gap(s, *below)
		fmt.Fprintf(&b, "领先第 2 名 %.1f 分", s.total-below.total)
		if d > 0 {
			fmt.Fprintf(&b, "，主要胜在%s（多 %.1f 分）", c, d)
		}
		b.WriteString("。")
	}
	return b.String()
}

// gap returns the graded criterion on which hi gains most points over lo,
// and how many.
func gap(hi, lo scored) (string, float64) {
	label, most := "", 0.0
	for _, r := range hi.criteria {
		for _, o := range lo.criteria {
			if o.Criterion == r.Criterion && r.Points-o.Points > most {
				label, most = r.Label, r.Points-o.Points
			}
		}
	}
	return label, most
}
