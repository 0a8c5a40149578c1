package postgis

import (
	"context"
	_ "embed"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
)

var _ project.TourStore = (*DB)(nil)

var (
	//go:embed sql/tour/points_table.sql
	tourPointsTableSQL string
	//go:embed sql/tour/points.sql
	tourPointsSQL string
	//go:embed sql/tour/matrix.sql
	tourMatrixSQL string
	//go:embed sql/tour/order.sql
	tourOrderSQL string
	//go:embed sql/tour/legs.sql
	tourLegsSQL string
	//go:embed sql/tour/key_projects.sql
	keyProjectsSQL string
	//go:embed sql/tour/facts.sql
	tourFactsSQL string
)

// Tours lists the tours, the latest day first.
func (db *DB) Tours(ctx context.Context, p geo.Principal) ([]project.TourSummary, error) {
	out := []project.TourSummary{}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id, t.name, t.day::text, (SELECT count(*) FROM tour_stops s WHERE s.tour_id = t.id),
			t.version, t.updated_at FROM tours t ORDER BY t.day DESC, t.id DESC`)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(out, rows, func(r pgx.CollectableRow) (project.TourSummary, error) {
			var s project.TourSummary
			err := r.Scan(&s.ID, &s.Name, &s.Day, &s.Stops, &s.Version, &s.UpdatedAt)
			return s, err
		})
		return err
	})
	return out, dbError(err, "观摩活动", "tour")
}

// Tour returns a tour with its stops' facts in visiting order and its
// scores: KindNotFound if there is none.
func (db *DB) Tour(ctx context.Context, p geo.Principal, id geo.ID) (project.TourRecord, error) {
	r := project.TourRecord{ID: id}
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		t := &r.Plan
		err := tx.QueryRow(ctx, `SELECT name, day, to_char(start_time, 'HH24:MI'), dwell_minutes, start_name,
				ST_X(start_point), ST_Y(start_point), version, created_by, updated_at FROM tours WHERE id = $1`, id).
			Scan(&t.Name, &t.Day, &t.StartTime, &t.DwellMinutes, &t.Start.Name, &t.Start.Lon, &t.Start.Lat,
				&r.Version, &r.CreatedBy, &r.UpdatedAt)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(project_id ORDER BY position), '{}') FROM tour_stops WHERE tour_id = $1`,
			id).Scan(&t.ProjectIDs); err != nil {
			return err
		}
		facts, err := stopFacts(ctx, tx, t.ProjectIDs)
		if err != nil {
			return err
		}
		at := map[geo.ID]project.StopFacts{}
		for _, f := range facts {
			at[f.ProjectID] = f
		}
		for _, pid := range t.ProjectIDs {
			if f, ok := at[pid]; ok {
				r.Stops = append(r.Stops, f)
			}
		}
		rows, err := tx.Query(ctx, `SELECT project_id, judge, score::float8 FROM tour_scores WHERE tour_id = $1 ORDER BY project_id, judge`, id)
		if err != nil {
			return err
		}
		r.Scores, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (project.Score, error) {
			var s project.Score
			err := row.Scan(&s.ProjectID, &s.Judge, &s.Score)
			return s, err
		})
		return err
	})
	return r, dbError(err, "观摩活动", "tour")
}

func stopFacts(ctx context.Context, tx pgx.Tx, ids []geo.ID) ([]project.StopFacts, error) {
	rows, err := tx.Query(ctx, tourFactsSQL, ids)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (project.StopFacts, error) {
		var f project.StopFacts
		var invested string
		if err := r.Scan(&f.ProjectID, &f.Point[0], &f.Point[1], &f.Stage, &invested, &f.ProgressNote, &f.NoteMonth); err != nil {
			return f, err
		}
		var err error
		f.Invested, err = geo.ParseDec(invested)
		return f, err
	})
}

// StopFacts returns the facts of the projects ids that p may see.
func (db *DB) StopFacts(ctx context.Context, p geo.Principal, ids []geo.ID) ([]project.StopFacts, error) {
	var out []project.StopFacts
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var err error
		out, err = stopFacts(ctx, tx, ids)
		return err
	})
	return out, dbError(err, "项目", "project")
}

// stale is the KindPreconditionFailed error of a tour changed since
// version.
func staleTour() error {
	return geo.Errorf(geo.KindPreconditionFailed, "stale", "观摩活动已被他人修改，请刷新后重试",
		"the tour was changed by someone else since it was read; reload it and try again")
}

// SaveTour adds (id 0) or changes a tour made on version, as p.
func (db *DB) SaveTour(ctx context.Context, p geo.Principal, id geo.ID, version int, t project.TourPlan) (geo.ID, error) {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		if id == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO tours (name, day, start_time, start_name, start_point, dwell_minutes, created_by)
				VALUES ($1, $2, $3::time, $4, ST_SetSRID(ST_MakePoint($5, $6), 4490), $7, $8) RETURNING id`,
				t.Name, t.Day, t.StartTime, t.Start.Name, t.Start.Lon, t.Start.Lat, t.DwellMinutes, actor(p)).Scan(&id); err != nil {
				return err
			}
		} else {
			tag, err := tx.Exec(ctx, `UPDATE tours SET name = $3, day = $4, start_time = $5::time, start_name = $6,
				start_point = ST_SetSRID(ST_MakePoint($7, $8), 4490), dwell_minutes = $9, version = version + 1, updated_at = now()
				WHERE id = $1 AND version = $2`, id, version, t.Name, t.Day, t.StartTime, t.Start.Name, t.Start.Lon, t.Start.Lat, t.DwellMinutes)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return staleTour()
			}
		}
		// Stops that stay keep their scores; the others go, with theirs.
		if _, err := tx.Exec(ctx, `DELETE FROM tour_stops WHERE tour_id = $1 AND NOT project_id = ANY ($2)`, id, t.ProjectIDs); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO tour_stops (tour_id, project_id, position)
			SELECT $1, s.id, s.n FROM unnest($2::bigint[]) WITH ORDINALITY AS s (id, n)
			ON CONFLICT (tour_id, project_id) DO UPDATE SET position = excluded.position`, id, t.ProjectIDs)
		return err
	})
	return id, dbError(err, "观摩活动", "tour")
}

// DeleteTour removes a tour of version, with its stops and scores.
func (db *DB) DeleteTour(ctx context.Context, p geo.Principal, id geo.ID, version int) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		var v int
		if err := tx.QueryRow(ctx, "SELECT version FROM tours WHERE id = $1 FOR UPDATE", id).Scan(&v); err != nil {
			return err
		}
		if v != version {
			return staleTour()
		}
		_, err := tx.Exec(ctx, "DELETE FROM tours WHERE id = $1", id)
		return err
	})
	return dbError(err, "观摩活动", "tour")
}

// PutScores sets or removes judge's scores of tour id's projects.
func (db *DB) PutScores(ctx context.Context, p geo.Principal, id geo.ID, judge string, scores []project.Score) error {
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		for _, s := range scores {
			var err error
			if s.Score == nil {
				_, err = tx.Exec(ctx, "DELETE FROM tour_scores WHERE tour_id = $1 AND project_id = $2 AND judge = $3", id, s.ProjectID, judge)
			} else {
				_, err = tx.Exec(ctx, `INSERT INTO tour_scores (tour_id, project_id, judge, score) VALUES ($1, $2, $3, $4)
					ON CONFLICT (tour_id, project_id, judge) DO UPDATE SET score = excluded.score, scored_at = now()`,
					id, s.ProjectID, judge, *s.Score)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return dbError(err, "评分", "score")
}

// KeyProjects returns the key projects of every district that p may see.
func (db *DB) KeyProjects(ctx context.Context, p geo.Principal, n int) ([]geo.ID, error) {
	var out []geo.ID
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, keyProjectsSQL, n)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[geo.ID])
		return err
	})
	return out, dbError(err, "项目", "project")
}

// CityStart is the city government at the seat of its district.
func (db *DB) CityStart(ctx context.Context) (project.TourStart, error) {
	s := project.TourStart{Name: project.CityStartName}
	err := db.pool.QueryRow(ctx, `SELECT ST_X(pt), ST_Y(pt) FROM (SELECT coalesce(seat, ST_PointOnSurface(geom)) AS pt
		FROM districts WHERE code = $1) d`, project.CityStartDistrict).Scan(&s.Lon, &s.Lat)
	return s, dbError(err, "出发地所在县区", "district of the start")
}

// InCity reports whether pt lies in one of the city's districts.
func (db *DB) InCity(ctx context.Context, pt orb.Point) (bool, error) {
	var in bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM districts WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4490)))`,
		pt[0], pt[1]).Scan(&in)
	return in, dbError(err, "县区", "district")
}

// Route routes a round trip from places[0] through the others and back
// over the road network (road_nodes, road_edges), or along straight lines
// when none is loaded (see sql/tour/). With optimize, the order is
// pgr_TSP's over the travel times between the places.
func (db *DB) Route(ctx context.Context, places []orb.Point, optimize bool) (project.Route, error) {
	var r project.Route
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, tourPointsTableSQL); err != nil {
			return err
		}
		lons, lats := make([]float64, len(places)), make([]float64, len(places))
		for i, pt := range places {
			lons[i], lats[i] = pt[0], pt[1]
		}
		if _, err := tx.Exec(ctx, tourPointsSQL, lons, lats); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT bool_and(node IS NOT NULL) FROM tour_points").Scan(&r.Roads); err != nil {
			return err
		}
		for i := 1; i < len(places); i++ {
			r.Order = append(r.Order, i-1)
		}
		if optimize && len(places) > 2 {
			if _, err := tx.Exec(ctx, tourMatrixSQL, project.AccessKmh, project.StraightKmh); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, tourOrderSQL)
			if err != nil {
				return err
			}
			order, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			r.Order = r.Order[:0]
			for _, i := range order {
				r.Order = append(r.Order, int(i)-2)
			}
		}
		seq := []int64{1}
		for _, k := range r.Order {
			seq = append(seq, int64(k)+2)
		}
		seq = append(seq, 1)
		rows, err := tx.Query(ctx, tourLegsSQL, seq, project.AccessKmh, project.StraightKmh)
		if err != nil {
			return err
		}
		r.Legs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (project.Leg, error) {
			var l project.Leg
			var k int
			var way string
			err := row.Scan(&k, &l.Metres, &l.Seconds, &way)
			l.Way = []byte(way)
			return l, err
		})
		return err
	})
	return r, dbError(err, "路线", "route")
}
