package project

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// View is a project as its readers see it (GET /api/projects/{id}),
// before the fields a principal may not see are dropped: NULL columns are
// nil pointers, dates are YYYY-MM-DD and money is exact 万元.
type View struct {
	ID              geo.ID       `json:"id"`
	Code            *string      `json:"code"`
	Name            string       `json:"name"`
	Stage           geo.Stage    `json:"stage"`
	Category        geo.Category `json:"category"`
	DistrictID      geo.ID       `json:"district_id"`
	District        string       `json:"district"`
	Leader          string       `json:"leader"`
	ResponsibleUnit string       `json:"responsible_unit"`
	Owner           string       `json:"owner"`
	OwnerContact    *string      `json:"owner_contact"`
	Industry        *string      `json:"industry"`
	TotalInvestment geo.Dec      `json:"total_investment"`
	AnnualPlan      geo.Dec      `json:"annual_plan"`
	PlannedStart    *string      `json:"planned_start"`
	PlannedFinish   *string      `json:"planned_finish"`
	ActualStart     *string      `json:"actual_start"`
	ActualFinish    *string      `json:"actual_finish"`
	WithdrawnReason *string      `json:"withdrawn_reason"`
	SiteAreaMu      *float64     `json:"site_area_mu"`
	Lon             float64      `json:"lon"`
	Lat             float64      `json:"lat"`
	Version         int          `json:"version"`
	UpdatedAt       time.Time    `json:"updated_at"`
}

// Change is a change to a project as the API takes it: nil fields stay as
// they are; Version is the version the change was made on.
type Change struct {
	Version         int        `json:"version"`
	Name            *string    `json:"name"`
	Stage           *geo.Stage `json:"stage"`
	ResponsibleUnit *string    `json:"responsible_unit"`
	AnnualPlan      *string    `json:"annual_plan"`
	ActualStart     *string    `json:"actual_start"`
	ActualFinish    *string    `json:"actual_finish"`
	WithdrawnReason *string    `json:"withdrawn_reason"`
}

// Check checks a change: KindInvalid with what is wrong.
func (ch Change) Check() error {
	if ch.Version <= 0 {
		return geo.Invalid("bad_version", "缺少项目版本号 version", "the project's version is required")
	}
	if ch.Name != nil && (strings.TrimSpace(*ch.Name) == "" || utf8.RuneCountInString(*ch.Name) > 200) {
		return geo.Invalid("bad_name", "项目名称需为 1–200 个字", "a project name has 1 to 200 characters")
	}
	if ch.Stage != nil && !ch.Stage.Valid() {
		return geo.Invalid("bad_stage", "项目阶段无效：%q", "invalid stage %q", *ch.Stage)
	}
	if ch.Stage != nil && *ch.Stage == geo.StageWithdrawn && (ch.WithdrawnReason == nil || strings.TrimSpace(*ch.WithdrawnReason) == "") {
		return geo.Invalid("withdrawn_reason", "退库须填写原因", "a withdrawn project needs a reason")
	}
	if ch.AnnualPlan != nil {
		if d, err := geo.ParseDec(*ch.AnnualPlan); err != nil || d < 0 {
			return geo.Invalid("bad_amount", "年度计划须为非负金额（万元，最多两位小数）", "the annual plan must be a non-negative amount (10k yuan, two decimals)")
		}
	}
	for _, d := range []struct {
		name string
		v    *string
	}{{"actual_start", ch.ActualStart}, {"actual_finish", ch.ActualFinish}} {
		if d.v != nil {
			if _, err := time.Parse(time.DateOnly, *d.v); err != nil {
				return geo.Invalid("bad_date", "日期 %s 无效（格式 2026-01-31）", "invalid date %s (2026-01-31)", d.name)
			}
		}
	}
	return nil
}

// Report is one month's report of a project, as the API takes it: planned
// and invested 万元 and the image progress (形象进度).
type Report struct {
	Planned      string `json:"planned"`
	Invested     string `json:"invested"`
	ProgressNote string `json:"progress_note"`
}

// maxNote bounds a progress note, in characters.
const maxNote = 2000

// Check checks a report: KindInvalid with what is wrong.
func (r Report) Check() error {
	for _, v := range []string{r.Planned, r.Invested} {
		if d, err := geo.ParseDec(v); err != nil || d < 0 {
			return geo.Invalid("bad_amount", "金额须为非负数（万元，最多两位小数）", "amounts must be non-negative (10k yuan, two decimals)")
		}
	}
	if utf8.RuneCountInString(r.ProgressNote) > maxNote {
		return geo.Invalid("too_long", "形象进度不超过 %d 字", "the progress note has at most %d characters", maxNote)
	}
	return nil
}

// ParseMonth parses a report's month, YYYY-MM from 2000 to 2100, into the
// first day of the month; KindInvalid otherwise.
func ParseMonth(s string) (time.Time, error) {
	m, err := time.Parse("2006-01", s)
	if err != nil || m.Year() < 2000 || m.Year() > 2100 {
		return time.Time{}, geo.Invalid("bad_month", "月份无效：%q（格式 2026-11）", "invalid month %q (2026-11)", s)
	}
	return m, nil
}

// Store keeps projects. Row security limits every call to what the
// principal may see and change: a project p may not see is KindNotFound,
// one p may see but not change KindForbidden.
type Store interface {
	Project(ctx context.Context, p geo.Principal, id geo.ID) (View, error)
	// UpdateProject applies a checked change made at ch.Version;
	// KindConflict if the project changed since.
	UpdateProject(ctx context.Context, p geo.Principal, id geo.ID, ch Change) (View, error)
	// PutProgress records the report of a month (its first day).
	PutProgress(ctx context.Context, p geo.Principal, id geo.ID, month time.Time, r Report) error
}

// Service is the key-project ledger's operations, for the API, the
// command line and jobs.
type Service struct {
	store Store
}

// NewService returns the service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Project returns a project as p may read it; KindNotFound if there is
// none p may see.
func (s *Service) Project(ctx context.Context, p geo.Principal, id geo.ID) (View, error) {
	return s.store.Project(ctx, p, id)
}

// Update changes a project: KindInvalid for a bad change, KindNotFound,
// KindForbidden and KindConflict as Store.UpdateProject.
func (s *Service) Update(ctx context.Context, p geo.Principal, id geo.ID, ch Change) (View, error) {
	if err := ch.Check(); err != nil {
		return View{}, err
	}
	return s.store.UpdateProject(ctx, p, id, ch)
}

// PutProgress records a project's report of month (YYYY-MM): KindInvalid
// for a bad month or report, else as Store.PutProgress.
func (s *Service) PutProgress(ctx context.Context, p geo.Principal, id geo.ID, month string, r Report) error {
	m, err := ParseMonth(month)
	if err != nil {
		return err
	}
	if err := r.Check(); err != nil {
		return err
	}
	return s.store.PutProgress(ctx, p, id, m, r)
}
