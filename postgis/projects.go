package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

var _ project.Store = (*DB)(nil)

// projectColumns are the fields of a project's view, in project.View's
// order.
const projectColumns = `p.id, p.code, p.name, p.stage, p.category, p.district_id, d.name,
	p.leader, p.responsible_unit, p.owner, p.owner_contact, p.industry,
	p.total_investment::text, p.annual_plan::text,
	p.planned_start::text, p.planned_finish::text, p.actual_start::text, p.actual_finish::text,
	p.withdrawn_reason, round((p.site_area_m2 * 15 / 10000)::numeric, 2)::float8,
	ST_X(p.point), ST_Y(p.point), p.version, p.updated_at`

const projectQuery = "SELECT " + projectColumns + " FROM projects p JOIN districts d ON d.id = p.district_id WHERE p.id = $1"

func scanProject(row pgx.Row) (project.View, error) {
	var v project.View
	var total, plan string
	err := row.Scan(&v.ID, &v.Code, &v.Name, &v.Stage, &v.Category, &v.DistrictID, &v.District,
		&v.Leader, &v.ResponsibleUnit, &v.Owner, &v.OwnerContact, &v.Industry, &total, &plan,
		&v.PlannedStart, &v.PlannedFinish, &v.ActualStart, &v.ActualFinish,
		&v.WithdrawnReason, &v.SiteAreaMu, &v.Lon, &v.Lat, &v.Version, &v.UpdatedAt)
	if err != nil {
		return v, err
	}
	if v.TotalInvestment, err = geo.ParseDec(total); err != nil {
		return v, err
	}
	v.AnnualPlan, err = geo.ParseDec(plan)
	return v, err
}

// Project returns a project's view as principal p may read it (row
// security applies: KindNotFound for a project p may not see).
func (db *DB) Project(ctx context.Context, p geo.Principal, id geo.ID) (project.View, error) {
	var v project.View
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var err error
		v, err = scanProject(tx.QueryRow(ctx, projectQuery, id))
		return err
	})
	return v, dbError(err, "项目", "project")
}

// UpdateProject applies a change made by principal p to a project at the
// version p saw. KindNotFound if p may not see it, KindForbidden if p may
// not change it, KindConflict if someone changed it since.
func (db *DB) UpdateProject(ctx context.Context, p geo.Principal, id geo.ID, ch project.Change) (project.View, error) {
	var v project.View
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var version int
		if err := tx.QueryRow(ctx, "SELECT version FROM projects WHERE id = $1 FOR UPDATE", id).Scan(&version); err != nil {
			return err
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
			return err
		}
		if tag.RowsAffected() == 0 {
			// Visible, but row security kept the update from it.
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该项目", "not allowed to change this project")
		}
		v, err = scanProject(tx.QueryRow(ctx, projectQuery, id))
		return err
	})
	return v, dbError(err, "项目", "project")
}

// PutProgress records a project's report of a month (the first day of
// it). Errors as UpdateProject.
func (db *DB) PutProgress(ctx context.Context, p geo.Principal, id geo.ID, month time.Time, r project.Report) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO project_progress (project_id, month, planned, invested, progress_note)
			VALUES ($1, $2, $3::numeric, $4::numeric, $5)
			ON CONFLICT (project_id, month) DO UPDATE SET planned = excluded.planned, invested = excluded.invested,
				progress_note = excluded.progress_note`, id, month, r.Planned, r.Invested, r.ProgressNote)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return dbError(err, "项目", "project")
	}
	return dbError(err, "月度进度", "monthly report")
}
