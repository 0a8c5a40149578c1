package project

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// Joint approval (联审联批): from land in hand to the construction permit a
// project's approval takes at most ApprovalLimit working days. The clock
// starts on the earliest start of the project's approval steps and stops
// on the day the construction permit (StepPermit) is issued; while it
// runs, today counts. Days are counted with the Calendar, both ends
// included.

// ApprovalLimit is the joint approval's limit, in working days.
const ApprovalLimit = 38

// StepPermit is the last step of the joint approval: the construction
// permit, whose finish stops the clock.
const StepPermit = "construction_permit"

// ApprovalSteps lists the steps of the joint approval of an enterprise
// investment project, in the order they are usually taken.
func ApprovalSteps() []geo.Label {
	return []geo.Label{
		{ID: "land", ZH: "土地出让合同签订（取得土地）", EN: "Land contract signed (land in hand)"},
		{ID: "filing", ZH: "项目备案（核准）", EN: "Project filing or approval"},
		{ID: "land_planning", ZH: "建设用地规划许可", EN: "Land-use planning permit"},
		{ID: "environment", ZH: "环境影响评价审批", EN: "Environmental impact approval"},
		{ID: "energy", ZH: "节能审查", EN: "Energy review"},
		{ID: "design", ZH: "设计方案审查", EN: "Design scheme review"},
		{ID: "works_planning", ZH: "建设工程规划许可", EN: "Works planning permit"},
		{ID: "drawings", ZH: "施工图审查", EN: "Construction drawing review"},
		{ID: StepPermit, ZH: "建筑工程施工许可", EN: "Construction permit"},
	}
}

// Step is an approval step of a project as the store keeps it.
type Step struct {
	Step     string
	Started  time.Time // midnight UTC of the day
	Finished time.Time // zero: not finished
	Note     string
}

// StepInput is an approval step as the API takes it
// (PUT /api/projects/{id}/approval/{step}).
type StepInput struct {
	Started  string  `json:"started"`
	Finished *string `json:"finished"` // nil or "": not finished
	Note     string  `json:"note"`
}

// MaxStepNote bounds a step's note, in characters.
const MaxStepNote = 500

// parse checks the input of step at today (midnight UTC of the day in the
// city): KindInvalid with what is wrong and which field.
func (in StepInput) parse(step string, today time.Time) (Step, error) {
	if !geo.Has(ApprovalSteps(), step) {
		return Step{}, inputError("step", "bad_step", fmt.Sprintf("审批环节无效：%q", step), fmt.Sprintf("invalid approval step %q", step))
	}
	s := Step{Step: step, Note: in.Note}
	var err error
	if s.Started, err = ParseDay("started", in.Started); err != nil {
		return Step{}, err
	}
	if in.Finished != nil && *in.Finished != "" {
		if s.Finished, err = ParseDay("finished", *in.Finished); err != nil {
			return Step{}, err
		}
	}
	switch {
	case s.Started.After(today):
		return Step{}, inputError("started", "date_in_future", fmt.Sprintf("开始日期 %s 晚于今天", in.Started),
			fmt.Sprintf("the start %s is after today", in.Started))
	case !s.Finished.IsZero() && s.Finished.After(today):
		return Step{}, inputError("finished", "date_in_future", fmt.Sprintf("办结日期 %s 晚于今天", *in.Finished),
			fmt.Sprintf("the finish %s is after today", *in.Finished))
	case !s.Finished.IsZero() && s.Finished.Before(s.Started):
		return Step{}, inputError("finished", "finished_before_started", fmt.Sprintf("办结日期 %s 早于开始日期 %s", *in.Finished, in.Started),
			fmt.Sprintf("the finish %s is before the start %s", *in.Finished, in.Started))
	}
	if n := utf8.RuneCountInString(in.Note); n > MaxStepNote || !geo.ValidText(in.Note) {
		return Step{}, inputError("note", "bad_note", fmt.Sprintf("备注不能超过 %d 字", MaxStepNote),
			fmt.Sprintf("the note has at most %d characters", MaxStepNote))
	}
	return s, nil
}

// StepView is an approval step as the API answers it.
type StepView struct {
	Step     string  `json:"step"`
	Name     string  `json:"name"`
	Started  string  `json:"started"`
	Finished *string `json:"finished"`
	Note     string  `json:"note"`
	// Workdays are the step's working days so far, both ends included;
	// nil when the calendar lacks a year of them.
	Workdays *int `json:"workdays"`
}

// Approval is a project's joint approval as the API answers it: its
// steps in the order of ApprovalSteps and the clock.
type Approval struct {
	ProjectID geo.ID     `json:"project_id"`
	Steps     []StepView `json:"steps"`
	Limit     int        `json:"limit"`
	Started   *string    `json:"started"`  // the clock's start; nil: no step yet
	Finished  *string    `json:"finished"` // the permit's issue; nil: the clock runs
	// Used and Left are the working days used and left of Limit (Left
	// is never below 0); nil before the first step, or when the calendar
	// lacks a year of them (Note says which).
	Used    *int   `json:"used"`
	Left    *int   `json:"left"`
	Overrun bool   `json:"overrun"` // more than Limit working days used
	Note    string `json:"note,omitempty"`
	// Kinds lists the steps with their names, for the form.
	Kinds []geo.Label `json:"kinds"`
}

// ApprovalOf computes a project's approval from its steps at today (the
// day in the city, midnight UTC) with calendar c.
func ApprovalOf(id geo.ID, steps []Step, c Calendar, today time.Time) Approval {
	a := Approval{ProjectID: id, Limit: ApprovalLimit, Steps: []StepView{}, Kinds: ApprovalSteps()}
	var start, end time.Time
	for _, k := range a.Kinds {
		for _, s := range steps {
			if s.Step != k.ID {
				continue
			}
			v := StepView{Step: s.Step, Name: k.ZH, Started: s.Started.Format(time.DateOnly), Note: s.Note}
			last := today
			if !s.Finished.IsZero() {
				f := s.Finished.Format(time.DateOnly)
				v.Finished, last = &f, s.Finished
			}
			if n, err := c.Workdays(s.Started, last); err == nil {
				v.Workdays = &n
			}
			a.Steps = append(a.Steps, v)
			if start.IsZero() || s.Started.Before(start) {
				start = s.Started
			}
			if s.Step == StepPermit && !s.Finished.IsZero() {
				end = s.Finished
			}
		}
	}
	if start.IsZero() {
		return a
	}
	st := start.Format(time.DateOnly)
	a.Started = &st
	if !end.IsZero() {
		f := end.Format(time.DateOnly)
		a.Finished = &f
	} else {
		end = today
	}
	used, err := c.Workdays(start, end)
	if err != nil {
		var e *geo.Error
		if errors.As(err, &e) {
			a.Note = e.Message
		}
		return a
	}
	left := max(ApprovalLimit-used, 0)
	a.Used, a.Left, a.Overrun = &used, &left, used > ApprovalLimit
	return a
}

// ApprovalStore keeps the working-day calendar and the projects' approval
// steps. Writes of the calendar need an admin (KindForbidden otherwise);
// a project's steps are read and changed as the project is (KindNotFound
// for a project the principal may not see, KindForbidden for one it may
// not change).
type ApprovalStore interface {
	// CalendarYears lists the calendar's years in order, without their days.
	CalendarYears(ctx context.Context, p geo.Principal) ([]CalendarYear, error)
	// CalendarDays lists the listed days from from to to, in order.
	CalendarDays(ctx context.Context, p geo.Principal, from, to time.Time) ([]Day, error)
	// PutCalendarYear adds a year to the calendar or sets its notice.
	PutCalendarYear(ctx context.Context, p geo.Principal, year int, notice string) error
	// PutCalendarDay lists a day, or changes it; KindNotFound if its year
	// is not in the calendar.
	PutCalendarDay(ctx context.Context, p geo.Principal, d Day) error
	// DeleteCalendarDay unlists a day; KindNotFound if it is not listed.
	DeleteCalendarDay(ctx context.Context, p geo.Principal, day time.Time) error
	// ApprovalSteps lists a project's steps.
	ApprovalSteps(ctx context.Context, p geo.Principal, id geo.ID) ([]Step, error)
	// PutApprovalStep records a step of a project, or changes it.
	PutApprovalStep(ctx context.Context, p geo.Principal, id geo.ID, s Step) error
	// DeleteApprovalStep removes a step of a project; KindNotFound if it
	// has none.
	DeleteApprovalStep(ctx context.Context, p geo.Principal, id geo.ID, step string) error
}

// Approvals is the joint approval and its working-day calendar, for the
// API, the command line and jobs.
type Approvals struct {
	store ApprovalStore
	now   func() time.Time
}

// NewApprovals returns the service over store.
func NewApprovals(store ApprovalStore) *Approvals {
	return &Approvals{store: store, now: time.Now}
}

// today is the day in the city, as midnight UTC.
func (s *Approvals) today() time.Time { return cityDay(s.now()) }

// calendar loads the calendar's years and the listed days from from to to.
func (s *Approvals) calendar(ctx context.Context, p geo.Principal, from, to time.Time) (Calendar, []CalendarYear, error) {
	years, err := s.store.CalendarYears(ctx, p)
	if err != nil {
		return Calendar{}, nil, err
	}
	days, err := s.store.CalendarDays(ctx, p, from, to)
	if err != nil {
		return Calendar{}, nil, err
	}
	ys := make([]int, len(years))
	for i, y := range years {
		ys[i] = y.Year
	}
	return NewCalendar(ys, days), years, nil
}

// Workdays counts the working days from from to to (YYYY-MM-DD), both
// included: KindInvalid for a bad date, from after to, or a year the
// calendar lacks ("calendar_year_missing").
func (s *Approvals) Workdays(ctx context.Context, p geo.Principal, from, to string) (int, error) {
	f, err := ParseDay("from", from)
	if err != nil {
		return 0, err
	}
	t, err := ParseDay("to", to)
	if err != nil {
		return 0, err
	}
	c, _, err := s.calendar(ctx, p, f, t)
	if err != nil {
		return 0, err
	}
	return c.Workdays(f, t)
}

// Years lists the calendar's years with their counts, without their days.
func (s *Approvals) Years(ctx context.Context, p geo.Principal) ([]CalendarYear, error) {
	first := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	c, years, err := s.calendar(ctx, p, first, time.Date(MaxYear, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	for i := range years {
		years[i] = summed(years[i], c, nil)
	}
	return years, nil
}

// summed fills y's counts from c, and its listed days from days when not
// nil.
func summed(y CalendarYear, c Calendar, days []Day) CalendarYear {
	y.Holidays, y.Makeups = 0, 0
	for d, k := range c.days {
		if d.Year() != y.Year {
			continue
		}
		if k == Holiday {
			y.Holidays++
		} else {
			y.Makeups++
		}
	}
	y.Workdays = c.count(time.Date(y.Year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y.Year, 12, 31, 0, 0, 0, 0, time.UTC))
	if days != nil {
		y.Days = make([]DayEntry, len(days))
		for i, d := range days {
			y.Days[i] = DayEntry{Date: d.Date.Format(time.DateOnly), Kind: d.Kind, Name: d.Name}
		}
	}
	return y
}

// Year returns a year of the calendar with its listed days: KindInvalid
// for a bad year, KindNotFound "calendar_year_missing" for a year the
// calendar lacks.
func (s *Approvals) Year(ctx context.Context, p geo.Principal, year string) (CalendarYear, error) {
	y, err := ParseYear(year)
	if err != nil {
		return CalendarYear{}, err
	}
	first, last := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	years, err := s.store.CalendarYears(ctx, p)
	if err != nil {
		return CalendarYear{}, err
	}
	days, err := s.store.CalendarDays(ctx, p, first, last)
	if err != nil {
		return CalendarYear{}, err
	}
	for _, cy := range years {
		if cy.Year == y {
			return summed(cy, NewCalendar([]int{y}, days), days), nil
		}
	}
	return CalendarYear{}, geo.NotFound("calendar_year_missing", "节假日日历中没有 %d 年", "the holiday calendar has no year %d", y)
}

// YearInput is a year's notice as the API takes it
// (PUT /api/calendar/{year}/notice).
type YearInput struct {
	Notice string `json:"notice"`
}

// MaxNotice bounds a year's notice, in characters.
const MaxNotice = 200

// PutYear adds year to the calendar or sets its notice: KindInvalid for a
// bad year or notice.
func (s *Approvals) PutYear(ctx context.Context, p geo.Principal, year string, in YearInput) (CalendarYear, error) {
	y, err := ParseYear(year)
	if err != nil {
		return CalendarYear{}, err
	}
	if n := utf8.RuneCountInString(in.Notice); n == 0 || n > MaxNotice || !geo.ValidText(in.Notice) {
		return CalendarYear{}, inputError("notice", "bad_notice", fmt.Sprintf("请填写当年节假日安排通知的标题与文号（1–%d 字）", MaxNotice),
			fmt.Sprintf("give the title and number of the year's notice (1 to %d characters)", MaxNotice))
	}
	if err := s.store.PutCalendarYear(ctx, p, y, in.Notice); err != nil {
		return CalendarYear{}, err
	}
	return s.Year(ctx, p, year)
}

// DayInput is a listed day as the API takes it
// (PUT /api/calendar/{year}/days/{date}).
type DayInput struct {
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// dayOf parses the day date of year: KindInvalid for a bad year or date,
// or a date outside the year.
func dayOf(year, date string) (time.Time, error) {
	y, err := ParseYear(year)
	if err != nil {
		return time.Time{}, err
	}
	d, err := ParseDay("date", date)
	if err != nil {
		return time.Time{}, err
	}
	if d.Year() != y {
		return time.Time{}, inputError("date", "date_not_in_year", fmt.Sprintf("日期 %s 不在 %d 年", date, y),
			fmt.Sprintf("%s is not in %d", date, y))
	}
	return d, nil
}

// PutDay lists a day of year as a holiday or make-up working day, or
// changes it: KindInvalid as Day.Check, KindNotFound if the year is not
// in the calendar.
func (s *Approvals) PutDay(ctx context.Context, p geo.Principal, year, date string, in DayInput) (CalendarYear, error) {
	d, err := dayOf(year, date)
	if err != nil {
		return CalendarYear{}, err
	}
	day := Day{Date: d, Kind: in.Kind, Name: in.Name}
	if err := day.Check(); err != nil {
		return CalendarYear{}, err
	}
	if err := s.store.PutCalendarDay(ctx, p, day); err != nil {
		return CalendarYear{}, err
	}
	return s.Year(ctx, p, year)
}

// DeleteDay unlists a day of year: KindNotFound if it is not listed.
func (s *Approvals) DeleteDay(ctx context.Context, p geo.Principal, year, date string) (CalendarYear, error) {
	d, err := dayOf(year, date)
	if err != nil {
		return CalendarYear{}, err
	}
	if err := s.store.DeleteCalendarDay(ctx, p, d); err != nil {
		return CalendarYear{}, err
	}
	return s.Year(ctx, p, year)
}

// Approval returns project id's joint approval: its steps and the clock.
func (s *Approvals) Approval(ctx context.Context, p geo.Principal, id geo.ID) (Approval, error) {
	steps, err := s.store.ApprovalSteps(ctx, p, id)
	if err != nil {
		return Approval{}, err
	}
	today := s.today()
	from := today
	for _, st := range steps {
		if st.Started.Before(from) {
			from = st.Started
		}
	}
	c, _, err := s.calendar(ctx, p, from, today)
	if err != nil {
		return Approval{}, err
	}
	return ApprovalOf(id, steps, c, today), nil
}

// PutStep records step of project id, or changes it: KindInvalid with
// what is wrong; then the approval.
func (s *Approvals) PutStep(ctx context.Context, p geo.Principal, id geo.ID, step string, in StepInput) (Approval, error) {
	st, err := in.parse(step, s.today())
	if err != nil {
		return Approval{}, err
	}
	if err := s.store.PutApprovalStep(ctx, p, id, st); err != nil {
		return Approval{}, err
	}
	return s.Approval(ctx, p, id)
}

// DeleteStep removes step of project id: KindNotFound if it has none;
// then the approval.
func (s *Approvals) DeleteStep(ctx context.Context, p geo.Principal, id geo.ID, step string) (Approval, error) {
	if !geo.Has(ApprovalSteps(), step) {
		return Approval{}, inputError("step", "bad_step", fmt.Sprintf("审批环节无效：%q", step), fmt.Sprintf("invalid approval step %q", step))
	}
	if err := s.store.DeleteApprovalStep(ctx, p, id, step); err != nil {
		return Approval{}, err
	}
	return s.Approval(ctx, p, id)
}
