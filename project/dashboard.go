package project

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/luohe/onemap/geo"
)

// Window is the time a dashboard or a bulletin sums: the investment of
// the months from From to To (first days, To excluded), the starts and
// completions of the days from StartsFrom to StartsTo (excluded), and
// each project's plan and investment of its months before Due.
type Window struct {
	From, To             time.Time
	StartsFrom, StartsTo time.Time
	Due                  time.Time
}

// Tally sums projects: how many, their total investment, their annual
// plans and the investment reported in the window's months (万元).
type Tally struct {
	Count    int     `json:"count"`
	Total    geo.Dec `json:"total_investment"`
	Plan     geo.Dec `json:"annual_plan"`
	Invested geo.Dec `json:"invested"`
}

// Rate is the share of the annual plan invested, in percent with two
// decimals; 0 without a plan.
func (t Tally) Rate() float64 {
	if t.Plan <= 0 {
		return 0
	}
	return float64(int64(t.Invested)*10000/int64(t.Plan)) / 100
}

// Group is the tally of the projects sharing a district (Key: its code),
// a stage, a category or a leader.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Tally
	Rate float64 `json:"rate"` // Tally.Rate
}

// MonthSum is the planned and the reported investment of a month
// (YYYY-MM), and their sums from the window's first month on.
type MonthSum struct {
	Month       string  `json:"month"`
	Planned     geo.Dec `json:"planned"`
	Invested    geo.Dec `json:"invested"`
	CumPlanned  geo.Dec `json:"cum_planned"`
	CumInvested geo.Dec `json:"cum_invested"`
}

// Standing is a project's planned and reported investment from its first
// report to the end of a window: the schedule ratio's two sides.
type Standing struct {
	ID         geo.ID  `json:"id"`
	Name       string  `json:"name"`
	District   string  `json:"district"`
	DistrictID string  `json:"district_code"`
	Stage      string  `json:"stage"`
	Leader     string  `json:"leader"`
	Planned    geo.Dec `json:"planned"`
	Invested   geo.Dec `json:"invested"`
	// Ratio is invested / planned in percent; nil without a plan (a
	// project behind its planned start that reported none).
	Ratio *float64 `json:"ratio"`
	// PlannedStart and ActualStart (zero: none) with the amounts give the
	// warning (Assess): Level and Reason.
	PlannedStart time.Time `json:"-"`
	ActualStart  time.Time `json:"-"`
	Level        Level     `json:"warning_level"`
	Reason       string    `json:"warning_reason"`
}

// Event is a project started or completed in a window.
type Event struct {
	ID           geo.ID  `json:"id"`
	Name         string  `json:"name"`
	District     string  `json:"district"`
	Stage        string  `json:"stage"`
	Total        geo.Dec `json:"total_investment"`
	ActualStart  *string `json:"actual_start"`
	ActualFinish *string `json:"actual_finish"`
}

// Figures are the sums the database makes for a window, over the
// projects the principal may see; withdrawn projects count only in the
// stages.
type Figures struct {
	Total      Tally
	Districts  []Group
	Stages     []Group
	Categories []Group
	Leaders    []Group
	Starts     Tally // started in the window's days
	Finishes   Tally // completed in the window's days
	Months     []MonthSum
	Standings  []Standing // projects with a plan before Due, by id
	Events     []Event    // started or completed in the window's days, by id
}

// OpenBlocker is a blocker open on a bulletin's day (Bulletin.AsOf),
// with its project's name and district; Overdue: past its due date then.
type OpenBlocker struct {
	BlockerView
	Project  string `json:"project"`
	District string `json:"district"`
}

// Figurer makes a window's figures; row security limits them to the
// projects p may see.
type Figurer interface {
	Figures(ctx context.Context, p geo.Principal, w Window) (Figures, error)
	// OpenBlockers lists the blockers of the projects p may see, but
	// withdrawn ones, raised on or before day and not resolved by then,
	// by due date.
	OpenBlockers(ctx context.Context, p geo.Principal, day time.Time) ([]OpenBlocker, error)
}

// Dashboard is the leaders' dashboard (驾驶舱) of a year.
type Dashboard struct {
	Year       int        `json:"year"`
	Amounts    bool       `json:"amounts"` // whether the money is shown (else 0 and no lagging list)
	AsOf       string     `json:"as_of"`   // the last month summed, YYYY-MM
	Total      Tally      `json:"total"`
	Districts  []Group    `json:"districts"`
	Stages     []Group    `json:"stages"`
	Categories []Group    `json:"categories"`
	Leaders    []Group    `json:"leaders,omitempty"`
	Mine       *Group     `json:"mine,omitempty"` // the signed-in leader's projects
	Starts     Tally      `json:"starts"`
	Finishes   Tally      `json:"finishes"`
	Months     []MonthSum `json:"months"`
	// Lagging are the lagging projects furthest behind, at most
	// MaxDashboardLagging of LaggingCount; GET /api/projects/lagging
	// lists them all.
	Lagging      []Standing `json:"lagging"`
	LaggingCount int        `json:"lagging_count"`
	// Live: the lagging are this month's, as the map colours the
	// projects (the year under way), not those of a year gone by.
	Live bool `json:"live"`
}

// MaxDashboardLagging bounds the dashboard's list of lagging projects.
const MaxDashboardLagging = 100

// Bulletin is the monthly bulletin (一月一通报) of a month: the web
// page and the workbook both lay out this one answer.
type Bulletin struct {
	Month     string     `json:"month"` // YYYY-MM
	AsOf      string     `json:"as_of"` // the day the blockers stand at: the month's last, or today
	Total     Tally      `json:"total"` // invested: the year up to the month
	Rate      float64    `json:"rate"`  // Total.Rate
	Districts []Group    `json:"districts"`
	Lagging   []Standing `json:"lagging"`
	Starts    []Event    `json:"starts"`   // started in the month
	Finishes  []Event    `json:"finishes"` // completed in the month
	// Blockers are those open on AsOf, the overdue ones first.
	Blockers []OpenBlocker `json:"blockers"`
}

// dashboardYear parses a dashboard's year: "" is the city's current
// year, anything else a year of ParseYear.
func dashboardYear(s string, now time.Time) (int, error) {
	if s == "" {
		return now.In(geo.CityZone()).Year(), nil
	}
	return ParseYear(s)
}

// lagging keeps the standings that are yellow or red by thresholds t in
// month (Assess), the furthest behind first.
func lagging(ss []Standing, t Thresholds, month time.Time) []Standing {
	out := []Standing{}
	for _, s := range ss {
		w := Assess(Schedule{ID: s.ID, Stage: geo.Stage(s.Stage), PlannedStart: s.PlannedStart, ActualStart: s.ActualStart,
			PlanToDate: s.Planned, ActualToDate: s.Invested}, t, month)
		if w.Level != Green {
			if s.Planned > 0 {
				r := float64(int64(s.Invested)*10000/int64(s.Planned)) / 100
				s.Ratio = &r
			}
			s.Level, s.Reason = w.Level, w.Reason
			out = append(out, s)
		}
	}
	// Red before yellow; then the furthest behind first, those without
	// a plan (nothing to compare) before the others.
	ratio := func(s Standing) float64 {
		if s.Ratio == nil {
			return -1
		}
		return *s.Ratio
	}
	slices.SortStableFunc(out, func(a, b Standing) int {
		return cmp.Or(cmp.Compare(b.Level.rank(), a.Level.rank()), cmp.Compare(ratio(a), ratio(b)))
	})
	return out
}

// byLeader merges the leader groups whose stored leaders have the same
// name (geo.ParseLeader: 张丽华 for 张丽华 副市长), keyed by the name as
// the leader filter of the map and the ledger takes it, by key.
func byLeader(gs []Group) []Group {
	var out []Group
	for _, g := range gs {
		name := geo.ParseLeader(g.Key).Name
		i := slices.IndexFunc(out, func(o Group) bool { return o.Key == name })
		if i < 0 {
			out = append(out, Group{Key: name, Label: g.Label})
			i = len(out) - 1
		} else if out[i].Label != g.Label {
			out[i].Label = name
		}
		out[i].Count += g.Count
		out[i].Total += g.Total
		out[i].Plan += g.Plan
		out[i].Invested += g.Invested
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// rated sets each group's rate.
func rated(gs []Group) []Group {
	for i := range gs {
		gs[i].Rate = gs[i].Tally.Rate()
	}
	return gs
}

// Dashboard returns the dashboard of year (YYYY; "" this year) as p may
// see it: KindInvalid for a bad year. A year under way is summed to the
// current month.
func (s *Service) Dashboard(ctx context.Context, p geo.Principal, year string) (Dashboard, error) {
	now := s.now()
	y, err := dashboardYear(year, now)
	if err != nil {
		return Dashboard{}, err
	}
	from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	next := from.AddDate(1, 0, 0)
	to := firstOfMonth(now.In(geo.CityZone())).AddDate(0, 1, 0)
	switch {
	case to.After(next):
		to = next
	case to.Before(from):
		to = from
	}
	f, err := s.store.Figures(ctx, p, Window{From: from, To: next, StartsFrom: from, StartsTo: next, Due: to})
	if err != nil {
		return Dashboard{}, err
	}
	t, err := s.store.Thresholds(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Year: y, AsOf: to.AddDate(0, -1, 0).Format("2006-01"), Total: f.Total, Districts: rated(f.Districts),
		Stages: rated(f.Stages), Categories: rated(f.Categories), Leaders: rated(byLeader(f.Leaders)), Starts: f.Starts,
		Finishes: f.Finishes, Months: f.Months, Lagging: lagging(f.Standings, t, to.AddDate(0, -1, 0)), Amounts: true,
		Live: to.AddDate(0, -1, 0).Equal(s.month())}
	d.LaggingCount = len(d.Lagging)
	d.Lagging = d.Lagging[:min(len(d.Lagging), MaxDashboardLagging)]
	me := geo.ParseLeader(p.DisplayName).Name
	for _, g := range d.Leaders {
		if g.Key == me && me != "" {
			d.Mine = &g
		}
	}
	return d, nil
}

// Bulletin returns the monthly bulletin of month (YYYY-MM) as p may see
// it: KindInvalid for a bad month or one still to come. The blockers are
// those open at the month's end, or today in the month under way.
func (s *Service) Bulletin(ctx context.Context, p geo.Principal, month string) (Bulletin, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return Bulletin{}, err
	}
	if m.After(firstOfMonth(s.now().In(geo.CityZone()))) {
		return Bulletin{}, geo.Invalid("month_in_future", "%s 尚未到来，不能生成通报", "%s is still to come: no bulletin yet", month)
	}
	end := m.AddDate(0, 1, 0)
	f, err := s.store.Figures(ctx, p, Window{From: time.Date(m.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: end, StartsFrom: m, StartsTo: end, Due: end})
	if err != nil {
		return Bulletin{}, err
	}
	t, err := s.store.Thresholds(ctx)
	if err != nil {
		return Bulletin{}, err
	}
	day := end.AddDate(0, 0, -1)
	if t := s.today(); t.Before(day) {
		day = t
	}
	bs, err := s.store.OpenBlockers(ctx, p, day)
	if err != nil {
		return Bulletin{}, err
	}
	// Open on day: overdue then if due before it, whatever became of
	// it since.
	late := func(b OpenBlocker) int {
		if b.Overdue {
			return 0
		}
		return 1
	}
	for i := range bs {
		bs[i].Overdue = Overdue("open", bs[i].DueOn, day)
	}
	slices.SortStableFunc(bs, func(x, y OpenBlocker) int { return cmp.Compare(late(x), late(y)) })
	b := Bulletin{Month: m.Format("2006-01"), AsOf: day.Format(time.DateOnly), Total: f.Total, Rate: f.Total.Rate(),
		Districts: rated(f.Districts), Lagging: lagging(f.Standings, t, m), Starts: []Event{}, Finishes: []Event{}, Blockers: bs}
	slices.SortStableFunc(b.Districts, func(x, y Group) int { return cmp.Compare(y.Rate, x.Rate) })
	in := func(d *string) bool {
		return d != nil && *d >= m.Format(time.DateOnly) && *d < end.Format(time.DateOnly)
	}
	for _, e := range f.Events {
		if in(e.ActualStart) {
			b.Starts = append(b.Starts, e)
		}
		if in(e.ActualFinish) {
			b.Finishes = append(b.Finishes, e)
		}
	}
	return b, nil
}

// Redact drops what visible (a field name of the projects' registry)
// says the reader may not see: the money (total_investment) and the
// leaders (leader).
func (d Dashboard) Redact(visible func(field string) bool) Dashboard {
	if !visible("leader") {
		d.Leaders, d.Mine = nil, nil
		for i := range d.Lagging {
			d.Lagging[i].Leader = ""
		}
	}
	if !visible("total_investment") {
		d.Amounts = false
		d.Total = d.Total.count()
		d.Starts, d.Finishes = d.Starts.count(), d.Finishes.count()
		for _, gs := range [][]Group{d.Districts, d.Stages, d.Categories, d.Leaders} {
			for i := range gs {
				gs[i].Tally, gs[i].Rate = gs[i].Tally.count(), 0
			}
		}
		d.Months = []MonthSum{}
		d.Lagging, d.LaggingCount = []Standing{}, 0
	}
	return d
}

func (t Tally) count() Tally { return Tally{Count: t.Count} }
