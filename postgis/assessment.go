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

//go:embed sql/project/assessment.sql
var assessmentSQL string

// AssessmentWeights returns a year's weights; false if none are set.
func (db *DB) AssessmentWeights(ctx context.Context, p geo.Principal, year int) (project.Weights, bool, error) {
	var w project.Weights
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT planning, attraction, approvals, construction, completion
			FROM assessment_weights WHERE year = $1`, year).Scan(&w.Planning, &w.Attraction, &w.Approvals, &w.Construction, &w.Completion)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return w, false, nil
	}
	return w, err == nil, dbError(err, "考核权重", "assessment weights")
}

// PutAssessmentWeights sets a year's weights as p; row security lets only
// an admin (KindForbidden).
func (db *DB) PutAssessmentWeights(ctx context.Context, p geo.Principal, year int, w project.Weights) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO assessment_weights (year, planning, attraction, approvals, construction, completion)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (year) DO UPDATE SET planning = excluded.planning, attraction = excluded.attraction,
				approvals = excluded.approvals, construction = excluded.construction, completion = excluded.completion,
				updated_at = now()`, year, w.Planning, w.Attraction, w.Approvals, w.Construction, w.Completion)
		return err
	})
	return dbError(err, "考核权重", "assessment weights")
}

// AssessmentOverrides lists a year's overrides.
func (db *DB) AssessmentOverrides(ctx context.Context, p geo.Principal, year int) ([]project.Override, error) {
	var out []project.Override
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT year, district_id, item, score::float8, reason FROM assessment_overrides
			WHERE year = $1 ORDER BY district_id, item`, year)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Override, error) {
			var o project.Override
			err := r.Scan(&o.Year, &o.DistrictID, &o.Item, &o.Score, &o.Reason)
			return o, err
		})
		return err
	})
	return out, dbError(err, "考核得分调整", "assessment override")
}

// PutAssessmentOverride sets an override as p: KindNotFound for a
// district that does not exist, KindForbidden for anyone but an admin.
func (db *DB) PutAssessmentOverride(ctx context.Context, p geo.Principal, o project.Override) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM districts WHERE id = $1", o.DistrictID).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return geo.NotFound("not_found", "县区不存在", "no such district")
			}
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO assessment_overrides (year, district_id, item, score, reason, actor)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (year, district_id, item) DO UPDATE SET score = excluded.score, reason = excluded.reason,
				actor = excluded.actor, updated_at = now()`, o.Year, o.DistrictID, o.Item, o.Score, o.Reason, actor(p))
		return err
	})
	return dbError(err, "考核得分调整", "assessment override")
}

// DeleteAssessmentOverride removes an override as p: KindNotFound if
// there is none, KindForbidden for anyone but an admin.
func (db *DB) DeleteAssessmentOverride(ctx context.Context, p geo.Principal, year int, district geo.ID, item string) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM assessment_overrides WHERE year = $1 AND district_id = $2 AND item = $3", year, district, item)
		if err == nil && tag.RowsAffected() == 0 {
			var one int
			if err := tx.QueryRow(ctx, "SELECT 1 FROM assessment_overrides WHERE year = $1 AND district_id = $2 AND item = $3",
				year, district, item).Scan(&one); err != nil {
				return err
			}
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权调整考核得分", "not allowed to override assessment scores")
		}
		return err
	})
	return dbError(err, "考核得分调整", "assessment override")
}

// AssessmentFigures returns every district's figures of the days from
// from to to (see sql/project/assessment.sql), as p sees the projects.
func (db *DB) AssessmentFigures(ctx context.Context, p geo.Principal, from, to time.Time) ([]project.DistrictFigures, error) {
	var out []project.DistrictFigures
	zone := geo.CityZone()
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, zone)
	end := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, zone)
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, assessmentSQL, from, to, start, end)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.DistrictFigures, error) {
			var f project.DistrictFigures
			var pool, signed string
			if err := r.Scan(&f.DistrictID, &f.District, &pool, &signed, &f.Reported, &f.RatioSum, &f.Due, &f.Done); err != nil {
				return f, err
			}
			return f, decs([]string{pool, signed}, &f.PoolAdded, &f.Signed)
		})
		return err
	})
	return out, dbError(err, "考核", "assessment")
}

// ApprovalClocks lists the joint-approval clocks of the projects p may
// see that are not withdrawn.
func (db *DB) ApprovalClocks(ctx context.Context, p geo.Principal) ([]project.Clock, error) {
	var out []project.Clock
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.id, p.district_id, min(s.started),
				max(s.finished) FILTER (WHERE s.step = $1)
			FROM project_approval_steps s JOIN projects p ON p.id = s.project_id
			WHERE p.stage <> 'withdrawn' GROUP BY p.id ORDER BY p.id`, project.StepPermit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Clock, error) {
			var c project.Clock
			var end *time.Time
			if err := r.Scan(&c.ProjectID, &c.DistrictID, &c.Start, &end); err != nil {
				return c, err
			}
			if end != nil {
				c.End = *end
			}
			return c, nil
		})
		return err
	})
	return out, dbError(err, "联审联批", "joint approval")
}
