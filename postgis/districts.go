package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
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
