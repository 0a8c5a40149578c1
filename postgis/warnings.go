package postgis

import (
	"context"
	_ "embed"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

//go:embed sql/project/schedules.sql
var schedulesSQL string

// Thresholds returns the warning thresholds.
func (db *DB) Thresholds(ctx context.Context) (project.Thresholds, error) {
	var t project.Thresholds
	err := db.pool.QueryRow(ctx, "SELECT red_points, red_months FROM warning_thresholds").Scan(&t.RedPoints, &t.RedMonths)
	return t, dbError(err, "预警阈值", "warning thresholds")
}

// PutThresholds sets the warning thresholds as p; row security lets only
// an admin.
func (db *DB) PutThresholds(ctx context.Context, p geo.Principal, t project.Thresholds) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE warning_thresholds SET red_points = $1, red_months = $2, updated_at = now()",
			t.RedPoints, t.RedMonths)
		if err == nil && tag.RowsAffected() == 0 {
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改预警阈值", "not allowed to change the warning thresholds")
		}
		return err
	})
	return dbError(err, "预警阈值", "warning thresholds")
}

// Schedules returns the schedules of the projects p may see as of month
// and today (see sql/project/schedules.sql).
func (db *DB) Schedules(ctx context.Context, p geo.Principal, month, today time.Time, ids []geo.ID) ([]project.Schedule, error) {
	var out []project.Schedule
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, schedulesSQL, month, ids, today)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Schedule, error) {
			var s project.Schedule
			var ps, as *time.Time
			var plan, actual string
			if err := r.Scan(&s.ID, &s.Name, &s.District, &s.Stage, &ps, &as, &plan, &actual, &s.OverdueBlockers); err != nil {
				return s, err
			}
			if ps != nil {
				s.PlannedStart = *ps
			}
			if as != nil {
				s.ActualStart = *as
			}
			var err error
			if s.PlanToDate, err = geo.ParseDec(plan); err != nil {
				return s, err
			}
			s.ActualToDate, err = geo.ParseDec(actual)
			return s, err
		})
		return err
	})
	return out, dbError(err, "项目", "project")
}

// PutWarnings keeps the levels of warnings ws assessed in month, for the
// tiles. Only the rows that changed are written, and nothing when none
// did: a write tells the tile caches to drop the projects layer.
func (db *DB) PutWarnings(ctx context.Context, p geo.Principal, month time.Time, ws []project.Warning) error {
	ids := make([]geo.ID, len(ws))
	levels := make([]string, len(ws))
	reasons := make([]string, len(ws))
	for i, w := range ws {
		ids[i], levels[i], reasons[i] = w.ID, string(w.Level), w.Reason
	}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var changed []geo.ID
		err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(w.id), '{}') FROM unnest($1::bigint[], $2::text[], $3::text[]) AS w (id, level, reason)
			LEFT JOIN project_warnings o ON o.project_id = w.id
			WHERE (o.level, o.reason, o.month) IS DISTINCT FROM (w.level, w.reason, $4::date)`, ids, levels, reasons, month).Scan(&changed)
		if err != nil || len(changed) == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO project_warnings (project_id, level, reason, month)
			SELECT w.id, w.level, w.reason, $4::date FROM unnest($1::bigint[], $2::text[], $3::text[]) AS w (id, level, reason)
			WHERE w.id = ANY ($5)
			ON CONFLICT (project_id) DO UPDATE SET level = excluded.level, reason = excluded.reason, month = excluded.month`,
			ids, levels, reasons, month, changed)
		return err
	})
	return dbError(err, "预警", "warning")
}

const blockerColumns = `id, project_id, kind, note, responsible_unit, raised_on::text, due_on::text, status,
	resolution, resolved_on::text`

func scanBlocker(r pgx.Row) (project.BlockerView, error) {
	var b project.BlockerView
	err := r.Scan(&b.ID, &b.ProjectID, &b.Kind, &b.Note, &b.ResponsibleUnit, &b.RaisedOn, &b.DueOn, &b.Status,
		&b.Resolution, &b.ResolvedOn)
	return b, err
}

// Blockers lists a project's blockers, oldest first; KindNotFound for a
// project p may not see.
func (db *DB) Blockers(ctx context.Context, p geo.Principal, id geo.ID) ([]project.BlockerView, error) {
	out := []project.BlockerView{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+blockerColumns+" FROM project_blockers WHERE project_id = $1 ORDER BY raised_on, id", id)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.BlockerView, error) { return scanBlocker(r) })
		return err
	})
	return out, dbError(err, "项目", "project")
}

// SaveBlocker adds (id 0) or changes a blocker of a project as p:
// KindNotFound for a project or blocker p may not see, KindForbidden for
// one p may not change.
func (db *DB) SaveBlocker(ctx context.Context, p geo.Principal, projectID, id geo.ID, r project.BlockerRecord) (project.BlockerView, error) {
	day := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	text := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var b project.BlockerView
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", projectID).Scan(&one); err != nil {
			return err
		}
		args := []any{projectID, r.Kind, r.Note, text(r.ResponsibleUnit), day(r.RaisedOn), day(r.DueOn), r.Status,
			text(r.Resolution), day(r.ResolvedOn)}
		var err error
		if id == 0 {
			b, err = scanBlocker(tx.QueryRow(ctx, `INSERT INTO project_blockers
				(project_id, kind, note, responsible_unit, raised_on, due_on, status, resolution, resolved_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+blockerColumns, args...))
			return err
		}
		b, err = scanBlocker(tx.QueryRow(ctx, `UPDATE project_blockers SET kind = $2, note = $3, responsible_unit = $4,
				raised_on = $5, due_on = $6, status = $7, resolution = $8, resolved_on = $9
			WHERE project_id = $1 AND id = $10 RETURNING `+blockerColumns, append(args, id)...))
		if errors.Is(err, pgx.ErrNoRows) {
			return blockerMissing(ctx, tx, projectID, id)
		}
		return err
	})
	return b, dbError(err, "协调问题", "blocker")
}

// blockerMissing is the error of a write that touched no blocker:
// KindNotFound if there is none p may see, else KindForbidden.
func blockerMissing(ctx context.Context, tx pgx.Tx, projectID, id geo.ID) error {
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM project_blockers WHERE project_id = $1 AND id = $2", projectID, id).Scan(&one)
	if err != nil {
		return err
	}
	return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该协调问题", "not allowed to change this blocker")
}

// DeleteBlocker removes a blocker of a project as p; errors as
// SaveBlocker.
func (db *DB) DeleteBlocker(ctx context.Context, p geo.Principal, projectID, id geo.ID) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM project_blockers WHERE project_id = $1 AND id = $2", projectID, id)
		if err == nil && tag.RowsAffected() == 0 {
			return blockerMissing(ctx, tx, projectID, id)
		}
		return err
	})
	return dbError(err, "协调问题", "blocker")
}
