package postgis

import (
	"context"
	_ "embed"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

//go:embed sql/land/overlaps.sql
var overlapsSQL string

// Overlaps checks a site (sql/project/check_site.sql) and, if it is
// valid and in the city, finds its area and overlaps with the land layers (sql/land/overlaps.sql).
func (db *DB) Overlaps(ctx context.Context, site orb.MultiPolygon) (land.SiteOverlaps, error) {
	var so land.SiteOverlaps
	scs, err := db.CheckSites(ctx, []orb.Geometry{site})
	if err != nil {
		return so, err
	}
	sc := scs[0]
	so.Problem, so.Repaired, so.InCity = sc.Problem, sc.Repaired, sc.InCity
	if so.Problem != "" || !so.InCity {
		return so, nil
	}
	b, err := wkb.Marshal(site)
	if err != nil {
		return so, err
	}
	rows, err := db.pool.Query(ctx, overlapsSQL, b)
	if err != nil {
		return so, dbError(err, "用地合规审查", "compliance check")
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (land.Overlap, error) {
		var o land.Overlap
		var layer string
		var g []byte
		if err := r.Scan(&layer, &o.ID, &o.System, &o.Code, &o.Class, &o.Name, &o.Plan, &o.AreaM2, &g); err != nil {
			return o, err
		}
		o.Layer = land.Layer(layer)
		if len(g) > 0 {
			geom, err := wkb.Unmarshal(g)
			if err != nil {
				return o, err
			}
			o.Geom = geom
		}
		return o, nil
	})
	if err != nil {
		return so, dbError(err, "用地合规审查", "compliance check")
	}
	for _, o := range all {
		switch {
		case o.Layer == "outside_urban":
			so.OutsideUrbanM2 = o.AreaM2
		case o.Layer == "site":
			so.AreaM2 = o.AreaM2
		case o.AreaM2 > 0:
			so.Overlaps = append(so.Overlaps, o)
		}
	}
	return so, nil
}

// ProjectSite returns project id's site and intended use as p may see it.
func (db *DB) ProjectSite(ctx context.Context, p geo.Principal, id geo.ID) (land.ProjectSite, error) {
	ps := land.ProjectSite{ID: id}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var site []byte
		var system, code *string
		err := tx.QueryRow(ctx, "SELECT name, ST_AsBinary(site), intended_system, intended_code FROM projects WHERE id = $1", id).
			Scan(&ps.Name, &site, &system, &code)
		if err != nil {
			return err
		}
		if system != nil && code != nil {
			ps.Intended = &land.Code{System: *system, Code: *code}
		}
		if site == nil {
			return nil
		}
		g, err := wkb.Unmarshal(site)
		if mp, ok := g.(orb.MultiPolygon); ok {
			ps.Site = mp
		}
		return err
	})
	return ps, dbError(err, "项目", "project")
}

// CheckSettings returns the compliance check's settings; a severity
// table never set is land.DefaultSeverity.
func (db *DB) CheckSettings(ctx context.Context) (land.CheckSettings, error) {
	s := land.DefaultCheckSettings()
	var sev []byte
	err := db.pool.QueryRow(ctx, "SELECT severity, tolerance_m2, tolerance_share FROM compliance_settings").Scan(&sev, &s.ToleranceM2, &s.ToleranceShare)
	if err != nil {
		return s, dbError(err, "合规审查设置", "compliance settings")
	}
	if sev != nil {
		var stored land.Severity
		if err := json.Unmarshal(sev, &stored); err != nil {
			return s, err
		}
		for r, v := range stored {
			if _, ok := s.Severity[r]; ok {
				s.Severity[r] = v
			}
		}
	}
	return s, nil
}

// PutCheckSettings stores the compliance check's settings as p; row
// security lets only an admin.
func (db *DB) PutCheckSettings(ctx context.Context, p geo.Principal, s land.CheckSettings) error {
	sev, err := json.Marshal(s.Severity)
	if err != nil {
		return err
	}
	err = db.tx(ctx, p, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE compliance_settings SET severity = $1, tolerance_m2 = $2, tolerance_share = $3, updated_at = now()",
			sev, s.ToleranceM2, s.ToleranceShare)
		if err == nil && tag.RowsAffected() == 0 {
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改合规审查设置", "not allowed to change the compliance settings")
		}
		return err
	})
	return dbError(err, "合规审查设置", "compliance settings")
}

// StaleVerdicts returns up to limit stale verdicts.
func (db *DB) StaleVerdicts(ctx context.Context, limit int) ([]land.StaleVerdict, error) {
	rows, err := db.pool.Query(ctx, "SELECT project_id, gen FROM project_verdicts WHERE stale ORDER BY project_id LIMIT $1", limit)
	if err != nil {
		return nil, dbError(err, "合规审查结论", "compliance verdicts")
	}
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[land.StaleVerdict])
	return vs, dbError(err, "合规审查结论", "compliance verdicts")
}

// saveVerdictSQL stores a verdict checked at generation $2, with the
// latest import of each layer.
const saveVerdictSQL = `
UPDATE project_verdicts
   SET verdict = $3, report = $4, stale = false, checked_at = now(),
       layers = (SELECT coalesce(jsonb_object_agg(layer, id), '{}')
                   FROM (SELECT options->>'layer' AS layer, max(id) AS id
                           FROM land_imports WHERE status = 'done' AND options->>'layer' IS NOT NULL GROUP BY 1) i)
 WHERE project_id = $1 AND gen = $2`

// SaveVerdict stores a project's report (nil: no verdict) unless a change
// came since generation v.Gen.
func (db *DB) SaveVerdict(ctx context.Context, v land.StaleVerdict, r *land.Report) (bool, error) {
	var verdict *string
	var report []byte
	if r != nil {
		s := string(r.Verdict)
		verdict = &s
		var err error
		if report, err = json.Marshal(r.WithoutShapes()); err != nil {
			return false, err
		}
	}
	tag, err := db.pool.Exec(ctx, saveVerdictSQL, v.ProjectID, v.Gen, verdict, report)
	if err != nil {
		return false, dbError(err, "合规审查结论", "compliance verdicts")
	}
	return tag.RowsAffected() == 1, nil
}

// verdictsSQL lists the verdicts of the projects the principal may see.
const verdictsSQL = `
SELECT p.id, p.name, d.name, coalesce(v.verdict, ''), coalesce(v.report->'rules', '[]'), v.checked_at,
       coalesce(v.stale, true), coalesce(v.layers, '{}')
  FROM projects p
  JOIN districts d ON d.id = p.district_id
  LEFT JOIN project_verdicts v ON v.project_id = p.id
 ORDER BY p.id`

// Verdicts lists the verdicts of the projects p may see.
func (db *DB) Verdicts(ctx context.Context, p geo.Principal) ([]land.ProjectVerdict, error) {
	var out []land.ProjectVerdict
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, verdictsSQL)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (land.ProjectVerdict, error) {
			var v land.ProjectVerdict
			var verdict string
			var rules, layers []byte
			if err := r.Scan(&v.ProjectID, &v.Name, &v.District, &verdict, &rules, &v.CheckedAt, &v.Stale, &layers); err != nil {
				return v, err
			}
			v.Verdict = land.Verdict(verdict)
			if err := json.Unmarshal(rules, &v.Rules); err != nil {
				return v, err
			}
			return v, json.Unmarshal(layers, &v.Layers)
		})
		return err
	})
	return out, dbError(err, "合规审查结论", "compliance verdicts")
}
