package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// projectColumns are the fields of a project as the API shows it.
const projectColumns = `p.id, p.code, p.name, p.stage, p.category, p.district_id::int AS district_id, d.name AS district,
	p.leader, p.responsible_unit, p.owner, p.owner_contact, p.industry,
	p.total_investment::text AS total_investment, p.annual_plan::text AS annual_plan,
	p.planned_start::text AS planned_start, p.planned_finish::text AS planned_finish,
	p.actual_start::text AS actual_start, p.actual_finish::text AS actual_finish,
	p.withdrawn_reason, round((p.site_area_m2 * 15 / 10000)::numeric, 2)::float8 AS site_area_mu,
	ST_X(p.point) AS lon, ST_Y(p.point) AS lat, p.version, p.updated_at`

// Project returns a project's fields as principal p may read them (row
// security applies: KindNotFound for a project p may not see).
func (db *DB) Project(ctx context.Context, p geo.Principal, id int64) (map[string]any, error) {
	var out map[string]any
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+projectColumns+" FROM projects p JOIN districts d ON d.id = p.district_id WHERE p.id = $1", id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToMap)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, geo.NotFound("not_found", "项目不存在", "no such project")
	}
	return out, err
}

// UpdateProject applies a change made by principal p to a project at the
// version p saw. KindNotFound if p may not see it, KindForbidden if p may
// not change it, KindConflict if someone changed it since.
func (db *DB) UpdateProject(ctx context.Context, p geo.Principal, id int64, ch geo.ProjectChange) (map[string]any, error) {
	var out map[string]any
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var version int
		var district int
		err := tx.QueryRow(ctx, "SELECT version, district_id FROM projects WHERE id = $1 FOR UPDATE", id).Scan(&version, &district)
		if errors.Is(err, pgx.ErrNoRows) {
			return geo.NotFound("not_found", "项目不存在", "no such project")
		}
		if err != nil {
			return constraintError(err, "项目")
		}
		if version != ch.Version {
			return geo.Errorf(geo.KindConflict, "version_conflict", "项目已被他人修改，请刷新后再改", "the project changed since you read it; reload and try again")
		}
		tag, err := tx.Exec(ctx, `UPDATE projects SET
				name = coalesce($2, name), stage = coalesce($3, stage), responsible_unit = coalesce($4, responsible_unit),
				annual_plan = coalesce($5::numeric, annual_plan), actual_start = coalesce($6::date, actual_start),
				actual_finish = coalesce($7::date, actual_finish), withdrawn_reason = coalesce($8, withdrawn_reason),
				version = version + 1, updated_at = now()
			WHERE id = $1`, id, ch.Name, ch.Stage, ch.ResponsibleUnit, ch.AnnualPlan, ch.ActualStart, ch.ActualFinish, ch.WithdrawnReason)
		if err != nil {
			return constraintError(err, "项目")
		}
		if tag.RowsAffected() == 0 {
			// Visible, but row security kept the update from it.
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该项目", "not allowed to change this project")
		}
		rows, err := tx.Query(ctx, "SELECT "+projectColumns+" FROM projects p JOIN districts d ON d.id = p.district_id WHERE p.id = $1", id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToMap)
		return err
	})
	return out, err
}

// PutProgress records a project's report of a month (the first day of
// it). Errors as UpdateProject.
func (db *DB) PutProgress(ctx context.Context, p geo.Principal, id int64, month time.Time, pr geo.ProgressReport) error {
	return db.tx(ctx, p, func(tx pgx.Tx) error {
		var district int
		err := tx.QueryRow(ctx, "SELECT district_id FROM projects WHERE id = $1", id).Scan(&district)
		if errors.Is(err, pgx.ErrNoRows) {
			return geo.NotFound("not_found", "项目不存在", "no such project")
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO project_progress (project_id, month, planned, invested, progress_note)
			VALUES ($1, $2, $3::numeric, $4::numeric, $5)
			ON CONFLICT (project_id, month) DO UPDATE SET planned = excluded.planned, invested = excluded.invested,
				progress_note = excluded.progress_note`, id, month, pr.Planned, pr.Invested, pr.ProgressNote)
		return constraintError(err, "月度进度")
	})
}
