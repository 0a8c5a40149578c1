package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Districts returns the districts (without their outlines) in id order,
// and the extent of their outlines; ok is false when there are none.
func (db *DB) Districts(ctx context.Context) ([]geo.District, orb.Bound, bool, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, code, name, kind FROM districts ORDER BY id")
	if err != nil {
		return nil, orb.Bound{}, false, dbError(err, "县区", "district")
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (geo.District, error) {
		var d geo.District
		err := r.Scan(&d.ID, &d.Code, &d.Name, &d.Kind)
		return d, err
	})
	if err != nil || len(ds) == 0 {
		return ds, orb.Bound{}, false, dbError(err, "县区", "district")
	}
	var b orb.Bound
	err = db.pool.QueryRow(ctx, `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
		FROM (SELECT ST_Extent(geom) AS e FROM districts) x`).Scan(&b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
	return ds, b, err == nil, dbError(err, "县区", "district")
}

// DistrictShapes returns the districts with their outlines, in id order.
func (db *DB) DistrictShapes(ctx context.Context) ([]geo.District, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, code, name, kind, ST_AsBinary(geom) FROM districts ORDER BY id")
	if err != nil {
		return nil, dbError(err, "县区", "district")
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (geo.District, error) {
		var d geo.District
		var b []byte
		if err := r.Scan(&d.ID, &d.Code, &d.Name, &d.Kind, &b); err != nil {
			return d, err
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return d, err
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return d, fmt.Errorf("district %s: outline is a %s", d.Name, g.GeoJSONType())
		}
		d.Geom = mp
		return d, nil
	})
	return ds, dbError(err, "县区", "district")
}

// ProjectCodes returns the project codes (项目代码) in use.
func (db *DB) ProjectCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx, "SELECT code FROM projects WHERE code IS NOT NULL")
	if err != nil {
		return nil, dbError(err, "项目", "project")
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, dbError(err, "项目", "project")
}
