package project

import (
	"context"
	"encoding/json"
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
	IntendedSystem  *string      `json:"intended_system"`
	IntendedCode    *string      `json:"intended_code"`
	SiteAreaMu      *float64     `json:"site_area_mu"`
	// Site is the site as a GeoJSON MultiPolygon; left out where there
	// is none, and in lists.
	Site      json.RawMessage `json:"site,omitempty"`
	Lon       float64         `json:"lon"`
	Lat       float64         `json:"lat"`
	Version   int             `json:"version"`
	UpdatedAt time.Time       `json:"updated_at"`
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
	Ledger
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
