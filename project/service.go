package project

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	// ReportFirst and ReportLast bound the months (YYYY-MM) the project
	// may be reported for (ReportMonths); ReportFirst nil: no bound.
	ReportFirst *string `json:"report_first"`
	ReportLast  string  `json:"report_last"`
	// WarningLevel, ScheduleRatio and WarningReason are the project's
	// warning this month (Assess).
	WarningLevel  Level    `json:"warning_level,omitempty"`
	ScheduleRatio *float64 `json:"schedule_ratio,omitempty"`
	WarningReason string   `json:"warning_reason,omitempty"`
}

// Report is one month's report of a project, as the API takes it: planned
// and invested 万元 and the image progress (形象进度).
type Report struct {
	Planned      string `json:"planned"`
	Invested     string `json:"invested"`
	ProgressNote string `json:"progress_note"`
}

// MaxNote bounds a progress note, in characters (Unicode code points, as
// the web form counts them).
const MaxNote = 2000

// MaxAmount bounds every amount of a project and its reports: 1 亿万元
// (a trillion yuan), beyond any project of a city and well inside the
// database's numeric(14, 2).
const MaxAmount = geo.Dec(100_000_000_00)

// amount checks the amount v (万元) of the field name, labelled zh and en:
// KindInvalid "bad_amount" if it is no non-negative decimal with at most
// two places, "amount_too_large" if it exceeds MaxAmount; the error names
// the field.
func amount(name, zh, en, v string) error {
	d, err := geo.ParseDec(v)
	switch {
	case err != nil && errors.Is(err, geo.ErrDecRange), err == nil && d > MaxAmount:
		return inputError(name, "amount_too_large", fmt.Sprintf("%s不能超过 %s 万元", zh, groupDigits(MaxAmount.Units())),
			fmt.Sprintf("%s cannot exceed %s (10k yuan)", en, groupDigits(MaxAmount.Units())))
	case err != nil || d < 0:
		return inputError(name, "bad_amount", zh+"须为非负金额（万元，最多两位小数）",
			en+" must be a non-negative amount (10k yuan, at most two decimals)")
	}
	return nil
}

// inputError is a KindInvalid error about the input field name.
func inputError(name, code, zh, en string) *geo.Error {
	return &geo.Error{Kind: geo.KindInvalid, Code: code, Message: zh, MessageEN: en, Field: name}
}

// groupDigits writes n with a comma every three digits: 100,000,000.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Check checks a report: KindInvalid with what is wrong and which field.
func (r Report) Check() error {
	if err := amount("planned", "本月计划投资", "The plan of the month", r.Planned); err != nil {
		return err
	}
	if err := amount("invested", "本月完成投资", "The investment of the month", r.Invested); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(r.ProgressNote); n > MaxNote {
		return inputError("progress_note", "too_long", fmt.Sprintf("形象进度不能超过 %d 字（现有 %d 字）", MaxNote, n),
			fmt.Sprintf("the progress note has at most %d characters (it has %d)", MaxNote, n))
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

// ReportMonths are the months a project may be reported for: from the
// month it started or was planned to start, whichever is earlier (First;
// zero if it has neither date), to the current month in the city (Last).
// First after Last: none yet.
type ReportMonths struct {
	First, Last time.Time
}

// ReportMonthsOf returns the months project v may be reported for at now.
func ReportMonthsOf(v View, now time.Time) ReportMonths {
	var rm ReportMonths
	for _, d := range []*string{v.PlannedStart, v.ActualStart} {
		if d == nil {
			continue
		}
		if t, err := time.Parse(time.DateOnly, *d); err == nil && (rm.First.IsZero() || t.Before(rm.First)) {
			rm.First = t
		}
	}
	if !rm.First.IsZero() {
		rm.First = firstOfMonth(rm.First)
	}
	rm.Last = firstOfMonth(now.In(geo.CityZone()))
	return rm
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// Allows checks that month m (its first day) may be reported:
// KindInvalid "month_in_future" after Last, "month_before_start" before
// First.
func (rm ReportMonths) Allows(m time.Time) error {
	const layout = "2006-01"
	if m.After(rm.Last) {
		return inputError("month", "month_in_future", fmt.Sprintf("不能填报未来月份 %s：只能填报本月（%s）及以前的月份", m.Format(layout), rm.Last.Format(layout)),
			fmt.Sprintf("cannot report %s, a month still to come: only this month (%s) and earlier ones", m.Format(layout), rm.Last.Format(layout)))
	}
	if m.Before(rm.First) {
		return inputError("month", "month_before_start", fmt.Sprintf("%s 早于项目开工月份 %s，不能填报", m.Format(layout), rm.First.Format(layout)),
			fmt.Sprintf("%s is before the project's start (%s) and cannot be reported", m.Format(layout), rm.First.Format(layout)))
	}
	return nil
}

// Store keeps projects. Row security limits every call to what the
// principal may see and change: a project p may not see is KindNotFound,
// one p may see but not change KindForbidden.
type Store interface {
	Project(ctx context.Context, p geo.Principal, id geo.ID) (View, error)
	Ledger
	Figurer
	// PutProgress records the report of a month (its first day).
	PutProgress(ctx context.Context, p geo.Principal, id geo.ID, month time.Time, r Report) error
	ReportStore
	Supervision
	PhotoStore
}

// Service is the key-project ledger's operations, for the API, the
// command line and jobs.
type Service struct {
	store Store
	now   func() time.Time
	// decoding holds a place for each photo being decoded: at most two at
	// once, each up to photo.MaxPixels.
	decoding chan struct{}
}

// NewService returns the service over store.
func NewService(store Store) *Service {
	return &Service{store: store, now: time.Now, decoding: make(chan struct{}, 2)}
}

// withMonths sets the months v may be reported for.
func (s *Service) withMonths(v View) View {
	rm := ReportMonthsOf(v, s.now())
	if !rm.First.IsZero() {
		f := rm.First.Format("2006-01")
		v.ReportFirst = &f
	}
	v.ReportLast = rm.Last.Format("2006-01")
	return v
}

// Project returns a project as p may read it; KindNotFound if there is
// none p may see.
func (s *Service) Project(ctx context.Context, p geo.Principal, id geo.ID) (View, error) {
	v, err := s.store.Project(ctx, p, id)
	if err != nil {
		return View{}, err
	}
	return s.withWarning(ctx, p, s.withMonths(v))
}

// PutProgress records a project's report of month (YYYY-MM): KindInvalid
// for a bad month or report, or a month outside ReportMonths (one still to
// come, or before the project's start); else as Store.Project and
// Store.PutProgress.
func (s *Service) PutProgress(ctx context.Context, p geo.Principal, id geo.ID, month string, r Report) error {
	m, err := s.checkProgress(ctx, p, id, month, r)
	if err != nil {
		return err
	}
	if err := s.store.PutProgress(ctx, p, id, m, r); err != nil {
		return err
	}
	return s.Refresh(ctx, p, []geo.ID{id})
}

// checkProgress checks a report of month for project id as PutProgress
// says, and answers the month's first day.
func (s *Service) checkProgress(ctx context.Context, p geo.Principal, id geo.ID, month string, r Report) (time.Time, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return m, err
	}
	if err := r.Check(); err != nil {
		return m, err
	}
	v, err := s.store.Project(ctx, p, id)
	if err != nil {
		return m, err
	}
	return m, ReportMonthsOf(v, s.now()).Allows(m)
}
