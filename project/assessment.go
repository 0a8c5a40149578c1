package project

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// District assessment (考核): every year the districts are scored on five
// items, each 0–100, weighted by the weights an admin sets for the year
// (whole percentages summing to 100; DefaultWeights until set). The
// weighted total ranks the districts; the last is flagged for the
// last-place statement (末位表态). Each item is computed from the ledger
// where the data allows (the formulas below, also in the answer); an admin
// may enter or override any district's item with a reason, and the
// override counts instead. An item without data scores 0 in the total and
// says so.

// The assessment's items, in the order of the table.
const (
	ItemPlanning     = "planning"
	ItemAttraction   = "attraction"
	ItemApprovals    = "approvals"
	ItemConstruction = "construction"
	ItemCompletion   = "completion"
)

// AssessmentItem is an item of the assessment with the formula of its
// computed score.
type AssessmentItem struct {
	geo.Label
	Formula   string `json:"formula"`
	FormulaEN string `json:"formula_en"`
}

// AssessmentItems lists the items with their formulas.
func AssessmentItems() []AssessmentItem {
	return []AssessmentItem{
		{geo.Label{ID: ItemPlanning, ZH: "谋划", EN: "Planning"},
			"本年新入储备库项目（阶段记录转入“储备”，未退库）的总投资，以各县区最高者为 100 分按比例计分",
			"total investment of the projects that entered the reserve pool this year (not withdrawn), as a share of the best district's, × 100"},
		{geo.Label{ID: ItemAttraction, ZH: "招商", EN: "Attraction"},
			"本年新签约入库的招商引资类项目（首次入库在本年，未退库）的总投资，以各县区最高者为 100 分按比例计分",
			"total investment of the investment-attraction projects signed into the ledger this year (not withdrawn), as a share of the best district's, × 100"},
		{geo.Label{ID: ItemApprovals, ZH: "审批", EN: "Approvals"},
			fmt.Sprintf("本年办结或年末仍在办理的联审联批中，用时不超过 %d 个工作日的项目所占比例 × 100", ApprovalLimit),
			fmt.Sprintf("share of the joint approvals finished this year or still running at its end that took at most %d working days, × 100", ApprovalLimit)},
		{geo.Label{ID: ItemConstruction, ZH: "建设", EN: "Construction"},
			"本年有月度填报的项目，截至考核月累计完成投资与累计计划投资之比（超过 1 按 1 计）的平均值 × 100",
			"mean over the projects reported this year of cumulative actual over cumulative planned investment to the assessed month (at most 1), × 100"},
		{geo.Label{ID: ItemCompletion, ZH: "竣工", EN: "Completion"},
			"计划本年竣工的项目中，年末前已竣工投产的比例 × 100",
			"share of the projects planned to finish this year that were put into production by its end, × 100"},
	}
}

// ItemLabels lists the items' names (for GET /api/meta).
func ItemLabels() []geo.Label {
	var out []geo.Label
	for _, it := range AssessmentItems() {
		out = append(out, it.Label)
	}
	return out
}

// Weights are the items' weights of a year, in percent.
type Weights struct {
	Planning     int `json:"planning"`
	Attraction   int `json:"attraction"`
	Approvals    int `json:"approvals"`
	Construction int `json:"construction"`
	Completion   int `json:"completion"`
}

// DefaultWeights are the weights of a year an admin has not set.
var DefaultWeights = Weights{Planning: 20, Attraction: 20, Approvals: 20, Construction: 20, Completion: 20}

// of returns the weight of item.
func (w Weights) of(item string) int {
	return map[string]int{ItemPlanning: w.Planning, ItemAttraction: w.Attraction, ItemApprovals: w.Approvals,
		ItemConstruction: w.Construction, ItemCompletion: w.Completion}[item]
}

// Check checks the weights: KindInvalid "bad_weight" naming an item
// outside 0–100, "weights_sum" if they do not sum to 100.
func (w Weights) Check() error {
	sum := 0
	for _, it := range AssessmentItems() {
		v := w.of(it.ID)
		if v < 0 || v > 100 {
			return inputError(it.ID, "bad_weight", fmt.Sprintf("%s的权重须在 0–100 之间", it.ZH),
				fmt.Sprintf("the weight of %s must be 0 to 100", it.EN))
		}
		sum += v
	}
	if sum != 100 {
		return geo.Invalid("weights_sum", "五项权重之和须为 100（现为 %d）", "the five weights must sum to 100 (they sum to %d)", sum)
	}
	return nil
}

// OverrideInput is an admin's score of a district's item, as the API
// takes it (PUT /api/assessment/{year}/overrides/{district}/{item}).
type OverrideInput struct {
	Score  *float64 `json:"score"`
	Reason string   `json:"reason"`
}

// MaxOverrideReason bounds an override's reason, in characters.
const MaxOverrideReason = 500

// Override is an admin's score of a district's item in a year.
type Override struct {
	Year       int
	DistrictID geo.ID
	Item       string
	Score      float64
	Reason     string
}

// DistrictFigures are what the ledger holds of a district's year, the
// grounds of the computed scores (see AssessmentItems).
type DistrictFigures struct {
	DistrictID geo.ID
	District   string
	// PoolAdded and Signed are total investments (万元) of the projects
	// that entered the reserve pool, and of the investment-attraction
	// projects that entered the ledger, this year.
	PoolAdded, Signed geo.Dec
	// Reported is the number of projects reported this year with a plan
	// to date; RatioSum the sum of their schedule ratios (each at most 1).
	Reported int
	RatioSum float64
	// Due is the number of projects planned to finish this year, Done of
	// those put into production by its end.
	Due, Done int
}

// Clock is a project's joint-approval clock: from its first step's start
// to the construction permit's issue (zero End: not issued).
type Clock struct {
	ProjectID  geo.ID
	DistrictID geo.ID
	Start, End time.Time
}

// SubScore is a district's score of an item: computed from the ledger
// (nil: no data), overridden by an admin (nil: not), and the score that
// counts (nil: none, 0 in the total).
type SubScore struct {
	Item     string   `json:"item"`
	Computed *float64 `json:"computed"`
	Basis    string   `json:"basis"` // what the computed score rests on
	Override *float64 `json:"override"`
	Reason   string   `json:"reason,omitempty"`
	Score    *float64 `json:"score"`
}

// DistrictScore is a district's assessment of a year.
type DistrictScore struct {
	DistrictID geo.ID     `json:"district_id"`
	District   string     `json:"district"`
	Scores     []SubScore `json:"scores"`
	Total      float64    `json:"total"`
	Rank       int        `json:"rank"`
	Last       bool       `json:"last"` // last place (末位表态)
}

// Assessment is a year's assessment: the weights, the items and the
// districts in the order of their rank.
type Assessment struct {
	Year        int              `json:"year"`
	Weights     Weights          `json:"weights"`
	WeightsSet  bool             `json:"weights_set"` // false: DefaultWeights
	AssessedTo  string           `json:"assessed_to"` // the day the year is assessed to, YYYY-MM-DD
	Items       []AssessmentItem `json:"items"`
	Districts   []DistrictScore  `json:"districts"`
	CalendarGap string           `json:"calendar_gap,omitempty"` // clocks left out: the calendar lacks their years
}

// AssessmentStore keeps the assessment's weights and overrides (writes
// need an admin: KindForbidden) and reads the ledger's figures.
type AssessmentStore interface {
	// AssessmentWeights returns a year's weights; false if none are set.
	AssessmentWeights(ctx context.Context, p geo.Principal, year int) (Weights, bool, error)
	PutAssessmentWeights(ctx context.Context, p geo.Principal, year int, w Weights) error
	AssessmentOverrides(ctx context.Context, p geo.Principal, year int) ([]Override, error)
	// PutAssessmentOverride sets an override; KindNotFound for a district
	// that does not exist.
	PutAssessmentOverride(ctx context.Context, p geo.Principal, o Override) error
	// DeleteAssessmentOverride removes one; KindNotFound if there is none.
	DeleteAssessmentOverride(ctx context.Context, p geo.Principal, year int, district geo.ID, item string) error
	// AssessmentFigures returns every district's figures of the year from
	// from to to (the city's days, midnight UTC), reports counted to the
	// month of to.
	AssessmentFigures(ctx context.Context, p geo.Principal, from, to time.Time) ([]DistrictFigures, error)
	// ApprovalClocks lists the clocks of the projects not withdrawn.
	ApprovalClocks(ctx context.Context, p geo.Principal) ([]Clock, error)
}

// Assessments is the district assessment, for the API.
type Assessments struct {
	store     AssessmentStore
	approvals *Approvals
	now       func() time.Time
}

// NewAssessments returns the service over store, counting working days
// with the calendar of approvals.
func NewAssessments(store AssessmentStore, approvals *Approvals) *Assessments {
	return &Assessments{store: store, approvals: approvals, now: time.Now}
}

// parseItem checks an item's name: KindInvalid "bad_item".
func parseItem(item string) error {
	if !slices.ContainsFunc(AssessmentItems(), func(it AssessmentItem) bool { return it.ID == item }) {
		return inputError("item", "bad_item", fmt.Sprintf("考核项无效：%q（谋划、招商、审批、建设、竣工）", item),
			fmt.Sprintf("invalid item %q (planning, attraction, approvals, construction, completion)", item))
	}
	return nil
}

// Assessment returns year's assessment (YYYY; "": this year in the
// city): KindInvalid for a bad year.
func (s *Assessments) Assessment(ctx context.Context, p geo.Principal, year string) (Assessment, error) {
	if year == "" {
		year = strconv.Itoa(cityDay(s.now()).Year())
	}
	y, err := ParseYear(year)
	if err != nil {
		return Assessment{}, err
	}
	from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	if today := cityDay(s.now()); today.Before(to) {
		to = today
	}
	a := Assessment{Year: y, AssessedTo: to.Format(time.DateOnly), Items: AssessmentItems(), Districts: []DistrictScore{}}
	if a.Weights, a.WeightsSet, err = s.store.AssessmentWeights(ctx, p, y); err != nil {
		return a, err
	}
	if !a.WeightsSet {
		a.Weights = DefaultWeights
	}
	figs, err := s.store.AssessmentFigures(ctx, p, from, to)
	if err != nil {
		return a, err
	}
	overrides, err := s.store.AssessmentOverrides(ctx, p, y)
	if err != nil {
		return a, err
	}
	approvals, gap, err := s.approvalScores(ctx, p, from, to)
	if err != nil {
		return a, err
	}
	a.CalendarGap = gap
	a.Districts = ScoreDistricts(a.Weights, figs, approvals, overrides)
	return a, nil
}

// approvalShare is a district's joint approvals of the year: how many
// count, and how many of those kept within ApprovalLimit.
type approvalShare struct{ counted, within int }

// approvalScores counts the districts' joint approvals of the year from
// from to to: the clocks that stopped in it, and those still running at
// to (counted to to). A clock whose days the calendar cannot count is left
// out, and the answer says which years are missing.
func (s *Assessments) approvalScores(ctx context.Context, p geo.Principal, from, to time.Time) (map[geo.ID]approvalShare, string, error) {
	clocks, err := s.store.ApprovalClocks(ctx, p)
	if err != nil {
		return nil, "", err
	}
	first := to
	for _, c := range clocks {
		if c.Start.Before(first) {
			first = c.Start
		}
	}
	cal, _, err := s.approvals.calendar(ctx, p, first, to)
	if err != nil {
		return nil, "", err
	}
	out := map[geo.ID]approvalShare{}
	var gap string
	for _, c := range clocks {
		end := c.End
		switch {
		case c.Start.After(to), !end.IsZero() && end.Before(from):
			continue
		case end.IsZero() || end.After(to):
			end = to
		}
		used, err := cal.Workdays(c.Start, end)
		if err != nil {
			gap = cal.yearsText()
			continue
		}
		sh := out[c.DistrictID]
		sh.counted++
		if used <= ApprovalLimit {
			sh.within++
		}
		out[c.DistrictID] = sh
	}
	if gap != "" {
		gap = "节假日日历缺少部分年份（" + gap + "），部分联审联批未计入审批得分"
	}
	return out, gap, nil
}

// round2 rounds to two decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// scorePtr is v rounded to two decimals, as a pointer.
func scorePtr(v float64) *float64 { v = round2(v); return &v }

// share scores a part of a whole: 100 × part / whole; nil when whole is 0.
func share(part, whole float64) *float64 {
	if whole <= 0 {
		return nil
	}
	return scorePtr(100 * part / whole)
}

// ScoreDistricts computes the districts' scores from their figures, approval
// shares and overrides, weights them, and ranks them: the highest total
// first, equal totals sharing a rank; the last rank is flagged when more
// than one district is ranked.
func ScoreDistricts(w Weights, figs []DistrictFigures, approvals map[geo.ID]approvalShare, overrides []Override) []DistrictScore {
	var bestPool, bestSigned geo.Dec
	for _, f := range figs {
		bestPool, bestSigned = max(bestPool, f.PoolAdded), max(bestSigned, f.Signed)
	}
	wan := func(d geo.Dec) string { return d.String() + " 万元" }
	out := make([]DistrictScore, 0, len(figs))
	for _, f := range figs {
		ap := approvals[f.DistrictID]
		computed := map[string]struct {
			v     *float64
			basis string
		}{
			ItemPlanning:   {share(float64(f.PoolAdded), float64(bestPool)), "新入库 " + wan(f.PoolAdded) + "，最高 " + wan(bestPool)},
			ItemAttraction: {share(float64(f.Signed), float64(bestSigned)), "签约 " + wan(f.Signed) + "，最高 " + wan(bestSigned)},
			ItemApprovals: {share(float64(ap.within), float64(ap.counted)),
				fmt.Sprintf("%d 个中 %d 个未超 %d 个工作日", ap.counted, ap.within, ApprovalLimit)},
			ItemConstruction: {share(f.RatioSum, float64(f.Reported)), fmt.Sprintf("%d 个项目平均进度比", f.Reported)},
			ItemCompletion:   {share(float64(f.Done), float64(f.Due)), fmt.Sprintf("计划竣工 %d 个，已投产 %d 个", f.Due, f.Done)},
		}
		ds := DistrictScore{DistrictID: f.DistrictID, District: f.District}
		total := 0.0
		for _, it := range AssessmentItems() {
			c := computed[it.ID]
			sc := SubScore{Item: it.ID, Computed: c.v, Basis: c.basis, Score: c.v}
			for _, o := range overrides {
				if o.DistrictID == f.DistrictID && o.Item == it.ID {
					sc.Override, sc.Reason, sc.Score = scorePtr(o.Score), o.Reason, scorePtr(o.Score)
				}
			}
			if sc.Score != nil {
				total += *sc.Score * float64(w.of(it.ID)) / 100
			}
			ds.Scores = append(ds.Scores, sc)
		}
		ds.Total = round2(total)
		out = append(out, ds)
	}
	slices.SortStableFunc(out, func(a, b DistrictScore) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.DistrictID, b.DistrictID))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Total == out[i-1].Total {
			out[i].Rank = out[i-1].Rank
		}
	}
	if n := len(out); n > 1 {
		for i := range out {
			out[i].Last = out[i].Rank == out[n-1].Rank && out[i].Rank > 1
		}
	}
	return out
}

// PutWeights checks and sets year's weights; then the assessment.
func (s *Assessments) PutWeights(ctx context.Context, p geo.Principal, year string, w Weights) (Assessment, error) {
	y, err := ParseYear(year)
	if err != nil {
		return Assessment{}, err
	}
	if err := w.Check(); err != nil {
		return Assessment{}, err
	}
	if err := s.store.PutAssessmentWeights(ctx, p, y, w); err != nil {
		return Assessment{}, err
	}
	return s.Assessment(ctx, p, year)
}

// parseTarget checks the year, district and item of an override.
func parseTarget(year, district, item string) (int, geo.ID, error) {
	y, err := ParseYear(year)
	if err != nil {
		return 0, 0, err
	}
	d, err := strconv.ParseInt(district, 10, 16)
	if err != nil || d <= 0 {
		return 0, 0, inputError("district", "bad_district", fmt.Sprintf("县区编号无效：%q", district), fmt.Sprintf("invalid district id %q", district))
	}
	return y, geo.ID(d), parseItem(item)
}

// PutOverride checks and sets an admin's score of a district's item with
// its reason: KindInvalid for a bad year, district id or item, a score
// outside 0–100 or a reason missing or too long; then the assessment.
func (s *Assessments) PutOverride(ctx context.Context, p geo.Principal, year, district, item string, in OverrideInput) (Assessment, error) {
	y, d, err := parseTarget(year, district, item)
	if err != nil {
		return Assessment{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case in.Score == nil:
		return Assessment{}, inputError("score", "required", "请填写得分", "the score is required")
	case *in.Score < 0 || *in.Score > 100:
		return Assessment{}, inputError("score", "bad_score", "得分须在 0–100 之间", "the score must be 0 to 100")
	case !geo.ValidText(reason):
		return Assessment{}, inputError("reason", "bad_text", "调整理由含有无效字符", "the reason is not valid text")
	case reason == "":
		return Assessment{}, inputError("reason", "required", "请填写调整理由", "the reason is required")
	case utf8.RuneCountInString(reason) > MaxOverrideReason:
		return Assessment{}, inputError("reason", "too_long", fmt.Sprintf("调整理由不能超过 %d 字", MaxOverrideReason),
			fmt.Sprintf("the reason has at most %d characters", MaxOverrideReason))
	}
	if err := s.store.PutAssessmentOverride(ctx, p, Override{Year: y, DistrictID: d, Item: item, Score: round2(*in.Score), Reason: reason}); err != nil {
		return Assessment{}, err
	}
	return s.Assessment(ctx, p, year)
}

// DeleteOverride removes an override, so the computed score counts
// again; then the assessment.
func (s *Assessments) DeleteOverride(ctx context.Context, p geo.Principal, year, district, item string) (Assessment, error) {
	y, d, err := parseTarget(year, district, item)
	if err != nil {
		return Assessment{}, err
	}
	if err := s.store.DeleteAssessmentOverride(ctx, p, y, d, item); err != nil {
		return Assessment{}, err
	}
	return s.Assessment(ctx, p, year)
}
