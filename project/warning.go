package project

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
)

// Level is a project's warning level (预警等级).
type Level string

// The warning levels, in rising order.
const (
	Green  Level = "green"  // 正常: actual ≥ plan to date
	Yellow Level = "yellow" // 黄色预警
	Red    Level = "red"    // 红色预警
)

func (l Level) rank() int {
	switch l {
	case Yellow:
		return 1
	case Red:
		return 2
	}
	return 0
}

// Thresholds are the warning thresholds an admin sets (DOMAIN.md,
// "Key-project supervision"): a project behind its plan to date by more
// than RedPoints percentage points is red, by less yellow; one not started
// RedMonths months after its planned month is red, one not started in its
// planned month yellow.
type Thresholds struct {
	RedPoints int `json:"red_points"` // 1..100
	RedMonths int `json:"red_months"` // 2..24
}

// DefaultThresholds are DOMAIN.md's: 30 points, 3 months.
var DefaultThresholds = Thresholds{RedPoints: 30, RedMonths: 3}

// Check checks the thresholds: KindInvalid naming the field.
func (t Thresholds) Check() error {
	if t.RedPoints < 1 || t.RedPoints > 100 {
		return inputError("red_points", "bad_red_points", fmt.Sprintf("红色预警的落后百分点须为 1 到 100 的整数（现为 %d）", t.RedPoints),
			fmt.Sprintf("red_points must be a whole number from 1 to 100 (it is %d)", t.RedPoints))
	}
	if t.RedMonths < 2 || t.RedMonths > 24 {
		return inputError("red_months", "bad_red_months", fmt.Sprintf("红色预警的延期开工月数须为 2 到 24 的整数（现为 %d）", t.RedMonths),
			fmt.Sprintf("red_months must be a whole number from 2 to 24 (it is %d)", t.RedMonths))
	}
	return nil
}

// Schedule is what a project's warning is assessed from, as of a month:
// its stage, its planned and actual start, and its cumulative planned and
// actual investment of the reports up to and including the month.
type Schedule struct {
	ID           geo.ID
	Name         string
	District     string
	Stage        geo.Stage
	PlannedStart time.Time // zero: none
	ActualStart  time.Time // zero: not started
	PlanToDate   geo.Dec   // 万元
	ActualToDate geo.Dec   // 万元
	// OverdueBlockers counts the blockers past their due date (Overdue).
	OverdueBlockers int
}

// Warning is a project's assessed warning.
type Warning struct {
	ID       geo.ID    `json:"id"`
	Name     string    `json:"name"`
	District string    `json:"district"`
	Stage    geo.Stage `json:"stage"`
	Level    Level     `json:"warning_level"`
	// Ratio is the schedule ratio, actual over plan to date, in percent
	// (one decimal); nil without a plan to date.
	Ratio *float64 `json:"schedule_ratio"`
	// Reason says in Chinese why the project is not green, and which
	// blockers are overdue; empty when neither.
	Reason          string `json:"warning_reason"`
	OverdueBlockers int    `json:"overdue_blockers"`
}

// supervised reports whether projects of stage s are assessed: those
// being prepared and built. Reserve, finished and withdrawn projects are
// always green.
func supervised(s geo.Stage) bool { return s == geo.StagePreparing || s == geo.StageBuilding }

// monthsBetween counts the months from a's month to b's.
func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// Assess assesses schedule s by thresholds t in month (any day of it).
// Behind by exactly RedPoints is still yellow, and a project RedMonths
// months late is red. Overdue blockers are named in the reason but leave
// the level alone.
func Assess(s Schedule, t Thresholds, month time.Time) Warning {
	w := Warning{ID: s.ID, Name: s.Name, District: s.District, Stage: s.Stage, Level: Green, OverdueBlockers: s.OverdueBlockers}
	if s.PlanToDate > 0 {
		r := float64(s.ActualToDate*1000/s.PlanToDate) / 10
		w.Ratio = &r
	}
	var reasons []string
	raise := func(l Level, why string) {
		if l.rank() > w.Level.rank() {
			w.Level = l
		}
		reasons = append(reasons, why)
	}
	if supervised(s.Stage) && s.ActualStart.IsZero() && !s.PlannedStart.IsZero() {
		if late := monthsBetween(s.PlannedStart, month); late >= 1 {
			l := Yellow
			if late >= t.RedMonths {
				l = Red
			}
			raise(l, fmt.Sprintf("未按计划开工：计划 %s 开工，已延期 %d 个月", s.PlannedStart.Format("2006-01"), late))
		}
	}
	if behind := s.PlanToDate - s.ActualToDate; supervised(s.Stage) && s.PlanToDate > 0 && behind > 0 {
		l := Yellow
		if int64(behind)*100 > int64(t.RedPoints)*int64(s.PlanToDate) {
			l = Red
		}
		raise(l, fmt.Sprintf("投资进度滞后：累计完成 %s 万元，为计划 %s 万元的 %.1f%%", s.ActualToDate, s.PlanToDate, *w.Ratio))
	}
	if s.OverdueBlockers > 0 {
		reasons = append(reasons, fmt.Sprintf("%d 个协调问题超期未解决", s.OverdueBlockers))
	}
	w.Reason = strings.Join(reasons, "；")
	return w
}

// Supervision is what the warnings keep in the store.
type Supervision interface {
	// Thresholds returns the warning thresholds.
	Thresholds(ctx context.Context) (Thresholds, error)
	// PutThresholds sets them, as p (an admin).
	PutThresholds(ctx context.Context, p geo.Principal, t Thresholds) error
	// Schedules returns the schedules as of month (its first day) and
	// today of the projects ids that p may see; nil ids: every one.
	Schedules(ctx context.Context, p geo.Principal, month, today time.Time, ids []geo.ID) ([]Schedule, error)
	// PutWarnings keeps the warnings of month for the tiles.
	PutWarnings(ctx context.Context, p geo.Principal, month time.Time, ws []Warning) error
	BlockerStore
}

// month is the current month in the city, its first day.
func (s *Service) month() time.Time { return firstOfMonth(s.now().In(geo.CityZone())) }

// Warnings assesses the projects ids p may see (nil: every one) this
// month.
func (s *Service) Warnings(ctx context.Context, p geo.Principal, ids []geo.ID) ([]Warning, error) {
	t, err := s.store.Thresholds(ctx)
	if err != nil {
		return nil, err
	}
	m := s.month()
	ss, err := s.store.Schedules(ctx, p, m, s.today(), ids)
	if err != nil {
		return nil, err
	}
	ws := make([]Warning, len(ss))
	for i, sc := range ss {
		ws[i] = Assess(sc, t, m)
	}
	return ws, nil
}

// Lagging lists the projects p may see that are yellow or red this month,
// red first, then the green ones with an overdue blocker, with the reason.
func (s *Service) Lagging(ctx context.Context, p geo.Principal) ([]Warning, error) {
	ws, err := s.Warnings(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	out := []Warning{}
	for _, l := range []Level{Red, Yellow, Green} {
		for _, w := range ws {
			if w.Level == l && (l != Green || w.OverdueBlockers > 0) {
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// Refresh assesses the projects ids (nil: every one p may see) and keeps
// their levels for the tiles.
func (s *Service) Refresh(ctx context.Context, p geo.Principal, ids []geo.ID) error {
	ws, err := s.Warnings(ctx, p, ids)
	if err != nil {
		return err
	}
	return s.store.PutWarnings(ctx, p, s.month(), ws)
}

// Thresholds returns the warning thresholds.
func (s *Service) Thresholds(ctx context.Context) (Thresholds, error) { return s.store.Thresholds(ctx) }

// PutThresholds checks and sets the warning thresholds and reassesses
// every project.
func (s *Service) PutThresholds(ctx context.Context, p geo.Principal, t Thresholds) error {
	if err := t.Check(); err != nil {
		return err
	}
	if err := s.store.PutThresholds(ctx, p, t); err != nil {
		return err
	}
	return s.Refresh(ctx, p, nil)
}

// withWarning sets v's warning level, schedule ratio and reason.
func (s *Service) withWarning(ctx context.Context, p geo.Principal, v View) (View, error) {
	ws, err := s.Warnings(ctx, p, []geo.ID{v.ID})
	if err != nil || len(ws) == 0 {
		return v, err
	}
	v.WarningLevel, v.ScheduleRatio, v.WarningReason = ws[0].Level, ws[0].Ratio, ws[0].Reason
	return v, nil
}

// assessed reassesses a project just written, keeps its level for the
// tiles and sets its warning in v.
func (s *Service) assessed(ctx context.Context, p geo.Principal, v View) (View, error) {
	if err := s.Refresh(ctx, p, []geo.ID{v.ID}); err != nil {
		return v, err
	}
	return s.withWarning(ctx, p, v)
}
