package postgis

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

var _ project.ApprovalStore = (*DB)(nil)

// calendarDir is the folder of a migrations folder that holds the
// calendar's shipped years, one YYYY.json each.
const calendarDir = "calendar"

// seedCalendar adds to the calendar each year of dir's calendar files
// that it does not hold yet, with its days; a year it holds (perhaps
// edited by an admin) stays as it is. The rows are written as migrations
// are, outside the audit log. It returns the years added.
func seedCalendar(ctx context.Context, conn *pgx.Conn, dir fs.FS) ([]int, error) {
	paths, err := fs.Glob(dir, calendarDir+"/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var added []int
	for _, p := range paths {
		b, err := fs.ReadFile(dir, p)
		if err != nil {
			return added, err
		}
		y, err := project.ParseYearFile(b)
		if err != nil {
			return added, fmt.Errorf("%s: %w", p, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('onemap.bulk', 'on', true)"); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, "INSERT INTO calendar_years (year, notice) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING",
				y.Year, y.Notice)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
			b := &pgx.Batch{}
			for _, d := range y.Days {
				b.Queue("INSERT INTO calendar_days (day, year, kind, name) VALUES ($1, $2, $3, $4)", d.Date, y.Year, d.Kind, d.Name)
			}
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
			added = append(added, y.Year)
			return nil
		})
		if err != nil {
			return added, fmt.Errorf("calendar %s: %w", p, err)
		}
	}
	return added, nil
}

// CalendarYears lists the calendar's years in order, without their days.
func (db *DB) CalendarYears(ctx context.Context, p geo.Principal) ([]project.CalendarYear, error) {
	var out []project.CalendarYear
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT year, notice, updated_at FROM calendar_years ORDER BY year")
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.CalendarYear, error) {
			var y project.CalendarYear
			err := r.Scan(&y.Year, &y.Notice, &y.UpdatedAt)
			return y, err
		})
		return err
	})
	return out, dbError(err, "节假日日历", "holiday calendar")
}

// CalendarDays lists the calendar's listed days from from to to, in order.
func (db *DB) CalendarDays(ctx context.Context, p geo.Principal, from, to time.Time) ([]project.Day, error) {
	var out []project.Day
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT day, kind, name FROM calendar_days WHERE day BETWEEN $1 AND $2 ORDER BY day", from, to)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Day, error) {
			var d project.Day
			err := r.Scan(&d.Date, &d.Kind, &d.Name)
			return d, err
		})
		return err
	})
	return out, dbError(err, "节假日日历", "holiday calendar")
}

// PutCalendarYear adds a year to the calendar or sets its notice
// (KindForbidden unless p is an admin).
func (db *DB) PutCalendarYear(ctx context.Context, p geo.Principal, year int, notice string) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO calendar_years (year, notice) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, updated_at = now()`, year, notice)
		return err
	})
	return dbError(err, "节假日日历", "holiday calendar")
}

// touchYear marks a year of the calendar changed now; KindNotFound
// ("calendar_year_missing") if the calendar does not hold it.
func touchYear(ctx context.Context, tx pgx.Tx, year int) error {
	tag, err := tx.Exec(ctx, "UPDATE calendar_years SET updated_at = now() WHERE year = $1", year)
	if err == nil && tag.RowsAffected() == 0 {
		err = geo.NotFound("calendar_year_missing", "节假日日历中没有 %d 年：请先添加该年度及其放假通知",
			"the holiday calendar has no year %d: add the year and its notice first", year)
	}
	return err
}

// PutCalendarDay lists a day or changes it: KindNotFound if its year is
// not in the calendar, KindForbidden unless p is an admin.
func (db *DB) PutCalendarDay(ctx context.Context, p geo.Principal, d project.Day) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := touchYear(ctx, tx, d.Date.Year()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO calendar_days (day, year, kind, name) VALUES ($1, $2, $3, $4)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, d.Date, d.Date.Year(), d.Kind, d.Name)
		return err
	})
	return dbError(err, "节假日日历", "holiday calendar")
}

// DeleteCalendarDay unlists a day: KindNotFound if it is not listed,
// KindForbidden unless p is an admin.
func (db *DB) DeleteCalendarDay(ctx context.Context, p geo.Principal, day time.Time) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := touchYear(ctx, tx, day.Year()); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM calendar_days WHERE day = $1", day)
		if err == nil && tag.RowsAffected() == 0 {
			err = geo.NotFound("day_not_listed", "%s 不是日历中的节假日或调休上班日", "%s is not a listed day of the calendar",
				day.Format(time.DateOnly))
		}
		return err
	})
	return dbError(err, "节假日日历", "holiday calendar")
}

// visibleProject checks that p sees project id: pgx.ErrNoRows otherwise.
func visibleProject(ctx context.Context, tx pgx.Tx, id geo.ID) error {
	var one int
	return tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one)
}

// ApprovalSteps lists a project's approval steps: KindNotFound if p may
// not see the project.
func (db *DB) ApprovalSteps(ctx context.Context, p geo.Principal, id geo.ID) ([]project.Step, error) {
	var out []project.Step
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visibleProject(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT step, started, finished, note
			FROM project_approval_steps WHERE project_id = $1 ORDER BY started, step`, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Step, error) {
			var s project.Step
			var finished *time.Time
			err := r.Scan(&s.Step, &s.Started, &finished, &s.Note)
			if finished != nil {
				s.Finished = *finished
			}
			return s, err
		})
		return err
	})
	return out, dbError(err, "项目", "project")
}

// PutApprovalStep records a step of a project or changes it: KindNotFound
// if p may not see the project, KindForbidden if p may not change it.
func (db *DB) PutApprovalStep(ctx context.Context, p geo.Principal, id geo.ID, s project.Step) error {
	var finished *time.Time
	if !s.Finished.IsZero() {
		finished = &s.Finished
	}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visibleProject(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO project_approval_steps (project_id, step, started, finished, note)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (project_id, step) DO UPDATE SET started = excluded.started, finished = excluded.finished,
				note = excluded.note`, id, s.Step, s.Started, finished, s.Note)
		return err
	})
	return dbError(err, "项目", "project")
}

// DeleteApprovalStep removes a step of a project: KindNotFound if p may
// not see the project or it has no such step, KindForbidden if p may not
// change it.
func (db *DB) DeleteApprovalStep(ctx context.Context, p geo.Principal, id geo.ID, step string) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visibleProject(ctx, tx, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "DELETE FROM project_approval_steps WHERE project_id = $1 AND step = $2", id, step)
		if err != nil {
			return err
		}
		if tag.RowsAffected() > 0 {
			return nil
		}
		// Nothing deleted: no such step, or row security kept a visible
		// one from p.
		var there bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM project_approval_steps WHERE project_id = $1 AND step = $2)",
			id, step).Scan(&there); err != nil {
			return err
		}
		if there {
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该项目", "not allowed to change this project")
		}
		return geo.NotFound("no_step", "该项目没有审批环节 %s", "the project has no approval step %s", step)
	})
	return dbError(err, "项目", "project")
}
