package postgis

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var _ project.Store = (*DB)(nil)

// projectColumns are the fields of a project's view, in project.View's
// order, but for the site.
const projectColumns = `p.id, p.code, p.name, p.stage, p.category, p.district_id, d.name,
	p.leader, p.responsible_unit, p.owner, p.owner_contact, p.industry,
	p.total_investment::text, p.annual_plan::text,
	p.planned_start::text, p.planned_finish::text, p.actual_start::text, p.actual_finish::text,
	p.withdrawn_reason, p.intended_system, p.intended_code, round((p.site_area_m2 * 15 / 10000)::numeric, 2)::float8,
	ST_X(p.point), ST_Y(p.point), p.version, p.updated_at`

const projectQuery = "SELECT " + projectColumns + ", ST_AsGeoJSON(p.site, 7) FROM projects p JOIN districts d ON d.id = p.district_id WHERE p.id = $1"

var (
	//go:embed sql/project/list.sql
	listProjectsSQL string
	//go:embed sql/project/save.sql
	saveProjectSQL string
	//go:embed sql/project/check_site.sql
	checkSiteSQL string
	//go:embed sql/project/changes.sql
	projectChangesSQL string
)

func scanProject(row pgx.Row) (project.View, error) {
	var v project.View
	var total, plan string
	var site *string
	err := row.Scan(&v.ID, &v.Code, &v.Name, &v.Stage, &v.Category, &v.DistrictID, &v.District,
		&v.Leader, &v.ResponsibleUnit, &v.Owner, &v.OwnerContact, &v.Industry, &total, &plan,
		&v.PlannedStart, &v.PlannedFinish, &v.ActualStart, &v.ActualFinish,
		&v.WithdrawnReason, &v.IntendedSystem, &v.IntendedCode, &v.SiteAreaMu, &v.Lon, &v.Lat, &v.Version, &v.UpdatedAt, &site)
	if err != nil {
		return v, err
	}
	if site != nil {
		v.Site = json.RawMessage(*site)
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

// ProjectRecord returns a project's aggregate with its version, as p may
// read it: KindNotFound for a project p may not see.
func (db *DB) ProjectRecord(ctx context.Context, p geo.Principal, id geo.ID) (project.Project, error) {
	prs, err := db.ProjectRecords(ctx, p, []geo.ID{id})
	if err == nil && len(prs) == 0 {
		err = pgx.ErrNoRows
	}
	if err != nil {
		return project.Project{}, dbError(err, "项目", "project")
	}
	return prs[0], nil
}

// ProjectRecords returns the aggregates with their versions of the
// projects of ids that p may read, in one query, by id.
func (db *DB) ProjectRecords(ctx context.Context, p geo.Principal, ids []geo.ID) ([]project.Project, error) {
	var out []project.Project
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, code, name, stage, category, district_id, leader, responsible_unit, owner,
				owner_contact, industry, total_investment::text, annual_plan::text, planned_start, planned_finish,
				actual_start, actual_finish, withdrawn_reason, intended_system, intended_code,
				ST_AsBinary(site), ST_AsBinary(point), version
			FROM projects WHERE id = ANY ($1) ORDER BY id`, ids)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.Project, error) { return scanRecord(r) })
		return err
	})
	return out, dbError(err, "项目", "project")
}

// scanRecord reads a project's aggregate (ProjectRecords' columns).
func scanRecord(r pgx.Row) (project.Project, error) {
	var (
		pr                                             project.Project
		code, contact, industry, reason, system, class *string
		total, plan                                    string
		ps, pf, as, af                                 *time.Time
		site, point                                    []byte
	)
	err := r.Scan(&pr.ID, &code, &pr.Name, &pr.Stage, &pr.Category, &pr.DistrictID,
		&pr.Leader, &pr.ResponsibleUnit, &pr.Owner, &contact, &industry, &total, &plan, &ps, &pf, &as, &af,
		&reason, &system, &class, &site, &point, &pr.Version)
	if err != nil {
		return pr, err
	}
	day := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	pr.Code, pr.OwnerContact, pr.Industry, pr.WithdrawnReason = text(code), text(contact), text(industry), text(reason)
	pr.PlannedStart, pr.PlannedFinish, pr.ActualStart, pr.ActualFinish = day(ps), day(pf), day(as), day(af)
	if system != nil || class != nil {
		pr.IntendedUse = &land.Code{System: text(system), Code: text(class)}
	}
	if pr.TotalInvestment, err = geo.ParseDec(total); err != nil {
		return pr, err
	}
	if pr.AnnualPlan, err = geo.ParseDec(plan); err != nil {
		return pr, err
	}
	if site != nil {
		g, err := wkb.Unmarshal(site)
		if err != nil {
			return pr, err
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return pr, errors.New("site is not a multipolygon")
		}
		pr.Site = mp
	}
	g, err := wkb.Unmarshal(point)
	if err != nil {
		return pr, err
	}
	pt, ok := g.(orb.Point)
	if !ok {
		return pr, errors.New("point is not a point")
	}
	pr.Point = pt
	return pr, nil
}

// CheckSites checks projects' places (see sql/project/check_site.sql),
// all in one round trip.
func (db *DB) CheckSites(ctx context.Context, gs []orb.Geometry) ([]project.SiteCheck, error) {
	out := make([]project.SiteCheck, len(gs))
	if len(gs) == 0 {
		return out, nil
	}
	b := &pgx.Batch{}
	for _, g := range gs {
		w, err := wkb.Marshal(g)
		if err != nil {
			return nil, err
		}
		b.Queue(checkSiteSQL, w)
	}
	br := db.pool.SendBatch(ctx, b)
	defer br.Close()
	for i := range gs {
		sc := &out[i]
		var (
			repaired []byte
			ids      []int64
			names    []string
		)
		if err := br.QueryRow().Scan(&sc.Problem, &repaired, &sc.InCity, &ids, &names); err != nil {
			return nil, dbError(err, "用地范围", "site")
		}
		for k := range ids {
			sc.Districts = append(sc.Districts, geo.District{ID: geo.ID(ids[k]), Name: names[k]})
		}
		if repaired != nil {
			g, err := wkb.Unmarshal(repaired)
			if err != nil {
				return nil, err
			}
			if mp, ok := g.(orb.MultiPolygon); ok {
				sc.Repaired = mp
			}
		}
	}
	return out, br.Close()
}

// saveArgs are the arguments of save.sql for project pr.
func saveArgs(id *geo.ID, version int, pr project.Project) ([]any, error) {
	text := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	day := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	var site, point []byte
	var err error
	if pr.Site != nil {
		if site, err = wkb.Marshal(pr.Site); err != nil {
			return nil, err
		}
	}
	if pr.Point != (orb.Point{}) {
		if point, err = wkb.Marshal(pr.Point); err != nil {
			return nil, err
		}
	}
	var system, class *string
	if pr.IntendedUse != nil {
		system, class = text(pr.IntendedUse.System), text(pr.IntendedUse.Code)
	}
	return []any{id, version, text(pr.Code), pr.Name, pr.Stage, pr.Category, pr.DistrictID, pr.Leader,
		pr.ResponsibleUnit, pr.Owner, text(pr.OwnerContact), text(pr.Industry), pr.TotalInvestment.String(),
		pr.AnnualPlan.String(), day(pr.PlannedStart), day(pr.PlannedFinish), day(pr.ActualStart), day(pr.ActualFinish),
		text(pr.WithdrawnReason), site, point, system, class}, nil
}

// codeTaken is the error of a project code another project holds, or nil.
func codeTaken(err error, code string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "projects_code_key" {
		return geo.Errorf(geo.KindConflict, "duplicate_code", "项目代码 %s 已被其他项目使用", "project code %s is in use by another project", code)
	}
	if errors.As(err, &pe) && pe.Code == "23503" && strings.Contains(pe.ConstraintName, "intended") {
		return geo.Invalid("bad_landuse", "拟用地类型不在用地分类中", "the intended land-use class is not a known class")
	}
	return err
}

// writeProject writes pr in tx: a new project (version 0) or a change
// made on version, and its stage change. KindPreconditionFailed when the
// project changed since; KindForbidden when row security kept the write.
func writeProject(ctx context.Context, tx pgx.Tx, p geo.Principal, pr project.Project, version int, sc *project.StageChange) (geo.ID, error) {
	ids, err := writeProjects(ctx, tx, p, []project.Write{{Project: pr, Version: version, Stage: sc}})
	var we *project.WriteError
	if errors.As(err, &we) {
		return 0, we.Err
	}
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// writeProjects makes writes ws in tx as writeProject does, all in one
// round trip, and returns the projects' ids; the first failing write is a
// *project.WriteError.
func writeProjects(ctx context.Context, tx pgx.Tx, p geo.Principal, ws []project.Write) ([]geo.ID, error) {
	b := &pgx.Batch{}
	for _, w := range ws {
		var id *geo.ID
		if w.Version != 0 {
			id = &w.Project.ID
		}
		args, err := saveArgs(id, w.Version, w.Project)
		if err != nil {
			return nil, err
		}
		b.Queue(saveProjectSQL, args...)
		if sc := w.Stage; sc != nil {
			var from *geo.Stage
			if sc.From != "" {
				from = &sc.From
			}
			var reason *string
			if sc.Reason != "" {
				reason = &sc.Reason
			}
			// A new project's id is the last its identity gave in this
			// session.
			b.Queue(`INSERT INTO project_stages (project_id, from_stage, to_stage, reason, actor)
				VALUES (coalesce($1, currval(pg_get_serial_sequence('projects', 'id'))), $2, $3, $4, $5)`,
				id, from, sc.To, reason, actor(p))
		}
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	ids := make([]geo.ID, len(ws))
	for i, w := range ws {
		fail := func(err error) error {
			_ = br.Close()
			return &project.WriteError{Index: i, Err: err}
		}
		err := br.QueryRow().Scan(&ids[i])
		if errors.Is(err, pgx.ErrNoRows) && w.Version != 0 {
			// The writes after this one are left; the transaction ends.
			_ = br.Close()
			var now int
			if err := tx.QueryRow(ctx, "SELECT version FROM projects WHERE id = $1", w.Project.ID).Scan(&now); err != nil {
				return nil, &project.WriteError{Index: i, Err: err}
			}
			if now != w.Version {
				return nil, fail(geo.Errorf(geo.KindPreconditionFailed, "stale", "项目已被他人修改", "the project changed since"))
			}
			return nil, fail(geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该项目", "not allowed to change this project"))
		}
		if err != nil {
			return nil, fail(codeTaken(err, w.Project.Code))
		}
		if w.Stage != nil {
			if _, err := br.Exec(); err != nil {
				return nil, fail(err)
			}
		}
	}
	return ids, br.Close()
}

// actor names principal p in the ledger's history.
func actor(p geo.Principal) string {
	if p.Username == "" {
		return "system"
	}
	return p.Username
}

// CreateProject keeps a new project made by p, once per idempotency key
// and user (see project.Ledger).
func (db *DB) CreateProject(ctx context.Context, p geo.Principal, pr project.Project, key *project.Idempotency) (project.View, bool, error) {
	var v project.View
	created := true
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if key != nil {
			// A concurrent request with the same key waits here for the
			// first to commit or roll back.
			tag, err := tx.Exec(ctx, `INSERT INTO project_idempotency (actor, key, fingerprint) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, actor(p), key.Key, key.Fingerprint)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				var fp []byte
				var id *geo.ID
				if err := tx.QueryRow(ctx, `SELECT fingerprint, project_id FROM project_idempotency WHERE actor = $1 AND key = $2`,
					actor(p), key.Key).Scan(&fp, &id); err != nil {
					return err
				}
				if string(fp) != string(key.Fingerprint) || id == nil {
					return geo.Errorf(geo.KindConflict, "idempotency_key_reused", "该 Idempotency-Key 已用于另一个请求",
						"this Idempotency-Key was used for another request")
				}
				created = false
				v, err = scanProject(tx.QueryRow(ctx, projectQuery, *id))
				return err
			}
		}
		id, err := writeProject(ctx, tx, p, pr, 0, &project.StageChange{To: pr.Stage})
		if err != nil {
			return err
		}
		if key != nil {
			if _, err := tx.Exec(ctx, `UPDATE project_idempotency SET project_id = $3 WHERE actor = $1 AND key = $2`,
				actor(p), key.Key, id); err != nil {
				return err
			}
		}
		v, err = scanProject(tx.QueryRow(ctx, projectQuery, id))
		return err
	})
	return v, created, dbError(err, "项目", "project")
}

// SaveProject keeps a project changed by p on version (see
// project.Ledger).
func (db *DB) SaveProject(ctx context.Context, p geo.Principal, pr project.Project, version int, sc *project.StageChange) (project.View, error) {
	var v project.View
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		id, err := writeProject(ctx, tx, p, pr, version, sc)
		if err != nil {
			return err
		}
		v, err = scanProject(tx.QueryRow(ctx, projectQuery, id))
		return err
	})
	return v, dbError(err, "项目", "project")
}

// ImportProjects makes an import's writes in one transaction (see
// project.Ledger).
func (db *DB) ImportProjects(ctx context.Context, p geo.Principal, ws []project.Write) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		_, err := writeProjects(ctx, tx, p, ws)
		return err
	})
	var we *project.WriteError
	if errors.As(err, &we) {
		return &project.WriteError{Index: we.Index, Err: dbError(we.Err, "项目", "project")}
	}
	return dbError(err, "项目", "project")
}

// ProjectChanges lists the fields of a project changed since a version,
// by the registry's names (see sql/project/changes.sql).
func (db *DB) ProjectChanges(ctx context.Context, p geo.Principal, id geo.ID, since int) ([]string, error) {
	var cols []string
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, projectChangesSQL, id, since).Scan(&cols)
	})
	if err != nil || cols == nil {
		return nil, dbError(err, "项目", "project")
	}
	out := []string{}
	for _, c := range cols {
		switch c {
		case "point":
			c = "site"
		}
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	return out, nil
}

// ListProjects lists the projects of a filter that p may see, by id.
func (db *DB) ListProjects(ctx context.Context, p geo.Principal, f project.Filter) ([]project.View, error) {
	null := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	stages := make([]string, len(f.Stages))
	for i, s := range f.Stages {
		stages[i] = string(s)
	}
	cats := make([]string, len(f.Categories))
	for i, c := range f.Categories {
		cats[i] = string(c)
	}
	q := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Query)
	sql := strings.Replace(listProjectsSQL, "{{columns}}", projectColumns, 1)
	var out []project.View
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, null(stages), null(cats), null(f.Districts), null(f.Leaders), q, f.Limit,
			null(f.Levels), null(f.Started), null(f.Finished))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.View, error) { return scanProject(r) })
		return err
	})
	return out, dbError(err, "项目", "project")
}

// ProjectStages returns a project's stage history, oldest first.
func (db *DB) ProjectStages(ctx context.Context, p geo.Principal, id geo.ID) ([]project.StageEntry, error) {
	out := []project.StageEntry{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT from_stage, to_stage, reason, actor, at FROM project_stages
			WHERE project_id = $1 ORDER BY at, id`, id)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.StageEntry, error) {
			var e project.StageEntry
			err := r.Scan(&e.From, &e.To, &e.Reason, &e.Actor, &e.At)
			return e, err
		})
		return err
	})
	return out, dbError(err, "项目", "project")
}

// PutProgress records a project's report of a month (the first day of
// it). Errors as SaveProject.
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

// progressColumns are a report's columns as Report keeps them.
const progressColumns = `planned::text, invested::text, coalesce(progress_note, '')`

// Progress returns a project's report of a month (its first day), and
// whether there is one. Errors as SaveProject.
func (db *DB) Progress(ctx context.Context, p geo.Principal, id geo.ID, month time.Time) (project.Report, bool, error) {
	var r project.Report
	found := false
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT `+progressColumns+` FROM project_progress WHERE project_id = $1 AND month = $2`, id, month).
			Scan(&r.Planned, &r.Invested, &r.ProgressNote)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, dbError(err, "项目", "project")
	}
	return r, found, dbError(err, "月度进度", "monthly report")
}

// PutProgressIf records a project's report of a month if it is still as
// tag says, and returns it as stored; KindPreconditionFailed
// "report_changed" if not. Errors as SaveProject.
func (db *DB) PutProgressIf(ctx context.Context, p geo.Principal, id geo.ID, month time.Time, r project.Report, tag string) (project.Report, error) {
	var out project.Report
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM projects WHERE id = $1", id).Scan(&one); err != nil {
			return err
		}
		var now project.Report
		err := tx.QueryRow(ctx, `SELECT `+progressColumns+` FROM project_progress WHERE project_id = $1 AND month = $2 FOR UPDATE`, id, month).
			Scan(&now.Planned, &now.Invested, &now.ProgressNote)
		var write string
		switch {
		case errors.Is(err, pgx.ErrNoRows) && tag == project.NoReportTag:
			// The first report of the month: none may have come meanwhile.
			write = `INSERT INTO project_progress (project_id, month, planned, invested, progress_note)
				VALUES ($1, $2, $3::numeric, $4::numeric, $5) ON CONFLICT (project_id, month) DO NOTHING RETURNING ` + progressColumns
		case err == nil && now.Tag() != tag && now.Same(r):
			out = now // sent again: it is there already
			return nil
		case errors.Is(err, pgx.ErrNoRows), err == nil && now.Tag() != tag:
			return project.ReportChanged()
		case err != nil:
			return err
		default:
			write = `UPDATE project_progress SET planned = $3::numeric, invested = $4::numeric, progress_note = $5
				WHERE project_id = $1 AND month = $2 RETURNING ` + progressColumns
		}
		err = tx.QueryRow(ctx, write, id, month, r.Planned, r.Invested, r.ProgressNote).Scan(&out.Planned, &out.Invested, &out.ProgressNote)
		if errors.Is(err, pgx.ErrNoRows) {
			return project.ReportChanged()
		}
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return out, dbError(err, "项目", "project")
	}
	return out, dbError(err, "月度进度", "monthly report")
}
