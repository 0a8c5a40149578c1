package project

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/luohe/onemap/geo"
)

// Heating-season construction (采暖季特许施工): in the heating season
// (in Henan about 15 November – 15 March, dates an admin sets per season)
// construction stops for pollution control unless a project holds a
// special permit. Per project and season: stopped, permitted (with the
// permit's number and scope) or exempt. A site under construction with
// nothing recorded is stopped, as the rule says.

// Season is a heating season, named by its years (2025-2026) and kept by
// the year it starts in.
type Season struct {
	Year   int
	Starts time.Time
	Ends   time.Time
}

// Name is the season's name, e.g. 2025-2026.
func (s Season) Name() string { return SeasonName(s.Year) }

// SeasonName names the season starting in year y.
func SeasonName(y int) string { return fmt.Sprintf("%d-%d", y, y+1) }

var seasonRE = regexp.MustCompile(`^(\d{4})-(\d{4})$`)

// ParseSeason parses a season's name, YYYY-YYYY of two years in a row,
// into the year it starts in; KindInvalid "bad_season" otherwise.
func ParseSeason(s string) (int, error) {
	m := seasonRE.FindStringSubmatch(s)
	var y, y2 int
	if m != nil {
		y, _ = strconv.Atoi(m[1])
		y2, _ = strconv.Atoi(m[2])
	}
	if m == nil || y2 != y+1 || y < MinYear || y >= MaxYear {
		return 0, inputError("season", "bad_season", fmt.Sprintf("采暖季无效：%q（格式 2025-2026，两个相连的年份）", s),
			fmt.Sprintf("invalid heating season %q (2025-2026, two years in a row)", s))
	}
	return y, nil
}

// DefaultSeason is the season starting in year y until an admin sets its
// dates: 15 November to 15 March.
func DefaultSeason(y int) Season {
	return Season{Year: y, Starts: time.Date(y, time.November, 15, 0, 0, 0, 0, time.UTC),
		Ends: time.Date(y+1, time.March, 15, 0, 0, 0, 0, time.UTC)}
}

// CurrentSeason is the year of the season that day is in or that comes
// next: from July on, the one starting that year.
func CurrentSeason(day time.Time) int {
	if day.Month() >= time.July {
		return day.Year()
	}
	return day.Year() - 1
}

// The heating-season statuses of a project.
const (
	HeatingStopped   = "stopped"
	HeatingPermitted = "permitted"
	HeatingExempt    = "exempt"
)

// HeatingStatuses lists the statuses with their names.
func HeatingStatuses() []geo.Label {
	return []geo.Label{
		{ID: HeatingStopped, ZH: "停工", EN: "Stopped"},
		{ID: HeatingPermitted, ZH: "特许施工", EN: "Permitted"},
		{ID: HeatingExempt, ZH: "豁免管控", EN: "Exempt"},
	}
}

// HeatingEntry is a project's status in a season.
type HeatingEntry struct {
	PolicyProject
	// Status is the recorded status; "" when none is: stopped, as the
	// rule says.
	Status    string     `json:"status"`
	PermitNo  *string    `json:"permit_no"`
	Scope     *string    `json:"scope"`
	Actor     *string    `json:"actor"`
	UpdatedAt *time.Time `json:"updated_at"`
	// MayWork: permitted or exempt.
	MayWork bool `json:"may_work"`
}

// HeatingSeason is a season with its projects: the sites under
// construction and every project with a status recorded.
type HeatingSeason struct {
	Season string `json:"season"`
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
	// Default: the dates are DefaultSeason's; Active: today is in the
	// season.
	Default  bool           `json:"default"`
	Active   bool           `json:"active"`
	Projects []HeatingEntry `json:"projects"`
	// Counts counts the projects by status ("" for none recorded).
	Counts map[string]int `json:"counts"`
}

// HeatingStore keeps the seasons' dates and the projects' statuses.
type HeatingStore interface {
	// HeatingDates returns a season's dates as an admin set them; false
	// if they were not.
	HeatingDates(ctx context.Context, p geo.Principal, year int) (Season, bool, error)
	// PutHeatingDates sets a season's dates.
	PutHeatingDates(ctx context.Context, p geo.Principal, s Season) error
	// HeatingProjects lists, by id, the projects under construction and
	// those with a status of season year that p may see; with id not 0,
	// that project only (KindNotFound if p may not see it).
	HeatingProjects(ctx context.Context, p geo.Principal, year int, id geo.ID) ([]HeatingEntry, error)
	// PutHeating records a project's status in season year.
	PutHeating(ctx context.Context, p geo.Principal, id geo.ID, year int, in HeatingInput) error
}

// season returns season y's dates and whether they are the defaults.
func (s *Policies) season(ctx context.Context, p geo.Principal, y int) (Season, bool, error) {
	se, ok, err := s.store.HeatingDates(ctx, p, y)
	if err != nil || ok {
		return se, false, err
	}
	return DefaultSeason(y), true, nil
}

// mayWork sets whether e may work.
func mayWork(e HeatingEntry) HeatingEntry {
	e.MayWork = e.Status == HeatingPermitted || e.Status == HeatingExempt
	return e
}

// Heating returns a season (YYYY-YYYY; "": the current one) with its
// projects: KindInvalid for a bad season.
func (s *Policies) Heating(ctx context.Context, p geo.Principal, season string) (HeatingSeason, error) {
	y := CurrentSeason(s.today())
	if season != "" {
		var err error
		if y, err = ParseSeason(season); err != nil {
			return HeatingSeason{}, err
		}
	}
	se, def, err := s.season(ctx, p, y)
	if err != nil {
		return HeatingSeason{}, err
	}
	es, err := s.store.HeatingProjects(ctx, p, y, 0)
	if err != nil {
		return HeatingSeason{}, err
	}
	today := s.today()
	out := HeatingSeason{Season: se.Name(), Starts: dayString(se.Starts), Ends: dayString(se.Ends), Default: def,
		Active: !today.Before(se.Starts) && !today.After(se.Ends), Projects: make([]HeatingEntry, len(es)),
		Counts: map[string]int{}}
	for i, e := range es {
		out.Projects[i] = mayWork(e)
		out.Counts[e.Status]++
	}
	return out, nil
}

// SeasonInput is a season's dates as the API takes them
// (PUT /api/heating/{season}).
type SeasonInput struct {
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
}

// PutSeason sets a season's dates: it starts from October to December
// of its first year and ends from January to April of the next.
// KindInvalid with what is wrong; then the season.
func (s *Policies) PutSeason(ctx context.Context, p geo.Principal, season string, in SeasonInput) (HeatingSeason, error) {
	y, err := ParseSeason(season)
	if err != nil {
		return HeatingSeason{}, err
	}
	se := Season{Year: y}
	if se.Starts, err = ParseDay("starts", in.Starts); err != nil {
		return HeatingSeason{}, err
	}
	if se.Ends, err = ParseDay("ends", in.Ends); err != nil {
		return HeatingSeason{}, err
	}
	if se.Starts.Year() != y || se.Starts.Month() < time.October {
		return HeatingSeason{}, inputError("starts", "bad_season_dates", fmt.Sprintf("%s 采暖季须在 %d 年 10 月至 12 月间开始", se.Name(), y),
			fmt.Sprintf("the %s season starts between October and December %d", se.Name(), y))
	}
	if se.Ends.Year() != y+1 || se.Ends.Month() > time.April {
		return HeatingSeason{}, inputError("ends", "bad_season_dates", fmt.Sprintf("%s 采暖季须在 %d 年 1 月至 4 月间结束", se.Name(), y+1),
			fmt.Sprintf("the %s season ends between January and April %d", se.Name(), y+1))
	}
	if err := s.store.PutHeatingDates(ctx, p, se); err != nil {
		return HeatingSeason{}, err
	}
	return s.Heating(ctx, p, season)
}

// HeatingInput is a project's status in a season as the API takes it
// (PUT /api/projects/{id}/heating/{season}): a permit's number and scope
// with the status permitted, and only then.
type HeatingInput struct {
	Status   string `json:"status"`
	PermitNo string `json:"permit_no"`
	Scope    string `json:"scope"`
}

// Limits of a permit's text, in characters.
const (
	MaxPermitNo = 50
	MaxScope    = 500
)

// check checks the input: KindInvalid naming the field.
func (in HeatingInput) check() (HeatingInput, error) {
	if !slices.ContainsFunc(HeatingStatuses(), func(l geo.Label) bool { return l.ID == in.Status }) {
		return in, inputError("status", "bad_status", fmt.Sprintf("采暖季施工状态无效：%q（停工 stopped、特许施工 permitted 或豁免 exempt）", in.Status),
			fmt.Sprintf("invalid heating-season status %q (stopped, permitted or exempt)", in.Status))
	}
	permitted := in.Status == HeatingPermitted
	var err error
	if in.PermitNo, err = freeText("permit_no", "特许施工许可编号", "The permit number", in.PermitNo, MaxPermitNo, permitted); err != nil {
		return in, err
	}
	if in.Scope, err = freeText("scope", "许可施工范围", "The permitted scope", in.Scope, MaxScope, permitted); err != nil {
		return in, err
	}
	if !permitted && (in.PermitNo != "" || in.Scope != "") {
		return in, inputError("permit_no", "permit_not_allowed", "只有特许施工的项目填写许可编号与施工范围",
			"only a permitted project has a permit number and scope")
	}
	return in, nil
}

// ProjectHeating returns a project's status in a season: KindInvalid for
// a bad season, KindNotFound for a project p may not see.
func (s *Policies) ProjectHeating(ctx context.Context, p geo.Principal, id geo.ID, season string) (HeatingEntry, error) {
	y, err := ParseSeason(season)
	if err != nil {
		return HeatingEntry{}, err
	}
	es, err := s.store.HeatingProjects(ctx, p, y, id)
	if err != nil {
		return HeatingEntry{}, err
	}
	if len(es) == 0 {
		return HeatingEntry{}, geo.NotFound("not_found", "项目不存在", "no such project")
	}
	return mayWork(es[0]), nil
}

// PutProjectHeating records a project's status in a season: KindInvalid
// with what is wrong, KindNotFound, KindForbidden; then the status.
func (s *Policies) PutProjectHeating(ctx context.Context, p geo.Principal, id geo.ID, season string, in HeatingInput) (HeatingEntry, error) {
	y, err := ParseSeason(season)
	if err != nil {
		return HeatingEntry{}, err
	}
	if in, err = in.check(); err != nil {
		return HeatingEntry{}, err
	}
	if err := s.store.PutHeating(ctx, p, id, y, in); err != nil {
		return HeatingEntry{}, err
	}
	return s.ProjectHeating(ctx, p, id, season)
}
