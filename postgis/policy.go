package postgis

import (
	"context"
	_ "embed"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

var _ project.PolicyStore = (*DB)(nil)

var (
	//go:embed sql/project/pool.sql
	poolSQL string
	//go:embed sql/project/pool_moves.sql
	poolMovesSQL string
	//go:embed sql/project/wave_projects.sql
	waveProjectsSQL string
	//go:embed sql/project/heating.sql
	heatingSQL string
)

// policyDest are the scan targets of a policy list's first columns (the
// project's id, name, code, stage, district, total investment, actual
// start, longitude and latitude), followed by more; done finishes the
// project (its total investment).
func policyDest(pp *project.PolicyProject, more ...any) (dest []any, done func() error) {
	var total string
	dest = append([]any{&pp.ID, &pp.Name, &pp.Code, &pp.Stage, &pp.District, &total, &pp.ActualStart, &pp.Lon, &pp.Lat}, more...)
	return dest, func() (err error) {
		pp.TotalInvestment, err = geo.ParseDec(total)
		return err
	}
}

// list runs a policy list's query as p and scans its rows with scan.
func list[T any](ctx context.Context, db *DB, p geo.Principal, scan func(pgx.CollectableRow) (T, error), sql string, args ...any) ([]T, error) {
	out := []T{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, scan)
		return err
	})
	return out, err
}

// nullText is s, or NULL for "".
func nullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// visible is KindNotFound unless p may see project id (in tx).
func visible(ctx context.Context, tx pgx.Tx, id geo.ID) error {
	var one int
	return tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one)
}

// PoolProjects lists the reserve projects p may see (see sql/project/pool.sql).
func (db *DB) PoolProjects(ctx context.Context, p geo.Principal) ([]project.PoolEntry, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.PoolEntry, error) {
		var e project.PoolEntry
		dest, done := policyDest(&e.PolicyProject, &e.Finished)
		if err := r.Scan(dest...); err != nil {
			return e, err
		}
		return e, done()
	}, poolSQL, project.PreliminarySteps())
	return out, dbError(err, "储备项目", "reserve project")
}

// PoolDecisions lists the decisions of quarter q, oldest first.
func (db *DB) PoolDecisions(ctx context.Context, p geo.Principal, q project.Quarter) ([]project.PoolDecision, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.PoolDecision, error) {
		var d project.PoolDecision
		err := r.Scan(&d.ProjectID, &d.Name, &d.Decision, &d.Reason, &d.Actor, &d.At)
		return d, err
	}, `SELECT d.project_id, p.name, d.decision, d.reason, d.actor, d.at FROM pool_decisions d
		JOIN projects p ON p.id = d.project_id WHERE d.year = $1 AND d.quarter = $2 ORDER BY d.at, d.project_id`, q.Year, q.Q)
	return out, dbError(err, "储备库调整决定", "pool decision")
}

// PoolMoves lists the moves into and out of the pool from from to to
// (see sql/project/pool_moves.sql).
func (db *DB) PoolMoves(ctx context.Context, p geo.Principal, from, to time.Time) ([]project.PoolMove, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.PoolMove, error) {
		var m project.PoolMove
		dest, done := policyDest(&m.PolicyProject, &m.From, &m.To, &m.Reason, &m.Actor, &m.At)
		if err := r.Scan(dest...); err != nil {
			return m, err
		}
		return m, done()
	}, poolMovesSQL, from, to)
	return out, dbError(err, "项目阶段记录", "stage history")
}

// Decide records a decision of quarter q and its stage change w, if any,
// in one transaction (see project.PoolStore).
func (db *DB) Decide(ctx context.Context, p geo.Principal, q project.Quarter, d project.PoolDecision, w *project.Write) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visible(ctx, tx, d.ProjectID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO pool_decisions (year, quarter, project_id, decision, reason, actor)
			VALUES ($1, $2, $3, $4, $5, $6)`, q.Year, q.Q, d.ProjectID, d.Decision, d.Reason, actor(p))
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return geo.Errorf(geo.KindConflict, "already_decided", "项目“%s”在 %s 的季度调整中已有决定", "project %q has a decision of %s already", d.Name, q)
		}
		if err != nil || w == nil {
			return err
		}
		_, err = writeProject(ctx, tx, p, w.Project, w.Version, w.Stage)
		return err
	})
	return dbError(err, "储备库调整决定", "pool decision")
}

// Waves returns a year's windows as an admin set them, in order.
func (db *DB) Waves(ctx context.Context, p geo.Principal, year int) ([]project.Wave, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.Wave, error) {
		w := project.Wave{Year: year}
		err := r.Scan(&w.Wave, &w.Starts, &w.Ends)
		return w, err
	}, "SELECT wave, starts, ends FROM waves WHERE year = $1 ORDER BY wave", year)
	return out, dbError(err, "集中开工批次", "groundbreaking wave")
}

// PutWaves sets a year's windows as p; row security lets only an admin.
func (db *DB) PutWaves(ctx context.Context, p geo.Principal, year int, ws []project.Wave) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		for _, w := range ws {
			if _, err := tx.Exec(ctx, `INSERT INTO waves (year, wave, starts, ends) VALUES ($1, $2, $3, $4)
				ON CONFLICT (year, wave) DO UPDATE SET starts = excluded.starts, ends = excluded.ends, updated_at = now()
				WHERE (waves.starts, waves.ends) IS DISTINCT FROM (excluded.starts, excluded.ends)`,
				year, w.Wave, w.Starts, w.Ends); err != nil {
				return err
			}
		}
		return nil
	})
	return dbError(err, "集中开工批次", "groundbreaking wave")
}

// WaveProjects lists a year's new starts (see sql/project/wave_projects.sql).
func (db *DB) WaveProjects(ctx context.Context, p geo.Principal, year int) ([]project.WaveProject, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.WaveProject, error) {
		var wp project.WaveProject
		dest, done := policyDest(&wp.PolicyProject, &wp.Assigned)
		if err := r.Scan(dest...); err != nil {
			return wp, err
		}
		return wp, done()
	}, waveProjectsSQL, year)
	return out, dbError(err, "项目", "project")
}

// AssignWave assigns a project to a wave of year as p: KindNotFound for
// a project p may not see, KindForbidden for one p may not change.
func (db *DB) AssignWave(ctx context.Context, p geo.Principal, id geo.ID, year, wave int) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visible(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO project_waves (project_id, year, wave) VALUES ($1, $2, $3)
			ON CONFLICT (project_id) DO UPDATE SET year = excluded.year, wave = excluded.wave
			WHERE (project_waves.year, project_waves.wave) IS DISTINCT FROM (excluded.year, excluded.wave)`, id, year, wave)
		return err
	})
	return dbError(err, "项目", "project")
}

// UnassignWave takes a project off its wave as p: KindNotFound if it has
// none p may see, KindForbidden if p may not change it.
func (db *DB) UnassignWave(ctx context.Context, p geo.Principal, id geo.ID) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM project_waves WHERE project_id = $1", id)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		var one int
		err = tx.QueryRow(ctx, "SELECT 1 FROM project_waves WHERE project_id = $1", id).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return geo.NotFound("not_assigned", "该项目未指定集中开工批次", "the project is assigned to no wave")
		}
		if err != nil {
			return err
		}
		return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该项目", "not allowed to change this project")
	})
	return dbError(err, "项目", "project")
}

// HeatingDates returns a season's dates as an admin set them.
func (db *DB) HeatingDates(ctx context.Context, p geo.Principal, year int) (project.Season, bool, error) {
	s := project.Season{Year: year}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "SELECT starts, ends FROM heating_seasons WHERE year = $1", year).Scan(&s.Starts, &s.Ends)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	return s, err == nil, dbError(err, "采暖季", "heating season")
}

// PutHeatingDates sets a season's dates as p; row security lets only an
// admin.
func (db *DB) PutHeatingDates(ctx context.Context, p geo.Principal, s project.Season) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO heating_seasons (year, starts, ends) VALUES ($1, $2, $3)
			ON CONFLICT (year) DO UPDATE SET starts = excluded.starts, ends = excluded.ends, updated_at = now()
			WHERE (heating_seasons.starts, heating_seasons.ends) IS DISTINCT FROM (excluded.starts, excluded.ends)`,
			s.Year, s.Starts, s.Ends)
		return err
	})
	return dbError(err, "采暖季", "heating season")
}

// HeatingProjects lists the projects of a season (see sql/project/heating.sql).
func (db *DB) HeatingProjects(ctx context.Context, p geo.Principal, year int, id geo.ID) ([]project.HeatingEntry, error) {
	out, err := list(ctx, db, p, func(r pgx.CollectableRow) (project.HeatingEntry, error) {
		var e project.HeatingEntry
		dest, done := policyDest(&e.PolicyProject, &e.Status, &e.PermitNo, &e.Scope, &e.Actor, &e.UpdatedAt)
		if err := r.Scan(dest...); err != nil {
			return e, err
		}
		return e, done()
	}, heatingSQL, year, id)
	if err == nil && id != 0 && len(out) == 0 {
		err = pgx.ErrNoRows
	}
	return out, dbError(err, "项目", "project")
}

// PutHeating records a project's status in a season as p: KindNotFound
// for a project p may not see, KindForbidden for one p may not change.
func (db *DB) PutHeating(ctx context.Context, p geo.Principal, id geo.ID, year int, in project.HeatingInput) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if err := visible(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO project_heating (project_id, season, status, permit_no, scope, actor)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (project_id, season) DO UPDATE SET status = excluded.status, permit_no = excluded.permit_no,
				scope = excluded.scope, actor = excluded.actor, updated_at = now()
			WHERE (project_heating.status, project_heating.permit_no, project_heating.scope)
				IS DISTINCT FROM (excluded.status, excluded.permit_no, excluded.scope)`,
			id, year, in.Status, nullText(in.PermitNo), nullText(in.Scope), actor(p))
		return err
	})
	return dbError(err, "采暖季施工状态", "heating-season status")
}
