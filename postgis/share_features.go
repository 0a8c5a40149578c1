package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

// ShareFeatures returns the shared parcels and parks with all their
// fields; the API keeps the chosen ones.
func (db *DB) ShareFeatures(ctx context.Context, s access.Share) ([]map[string]any, error) {
	p := geo.Principal{Kind: geo.ShareLink, Share: &geo.ShareScope{LinkID: s.ID}}
	var out []map[string]any
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT 'parcels' AS layer, p.id, p.code, p.name, p.supply_status, p.landuse_code, c.name AS landuse_name, k.name AS park,
			       round((p.area_m2 * 15 / 10000)::numeric, 2)::float8 AS area_mu, p.price::float8 AS price,
			       CASE WHEN p.plot_ratio_min IS NOT NULL THEN p.plot_ratio_min || '–' || p.plot_ratio_max END AS plot_ratio,
			       array_to_string(p.utilities, ',') AS utilities, NULL AS level, NULL AS district, NULL AS industries,
			       ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat
			  FROM parcels p
			  JOIN landuse_classes c ON c.system = p.landuse_system AND c.code = p.landuse_code
			  LEFT JOIN parks k ON k.id = p.park_id
			 WHERE p.id = ANY ($1)
			UNION ALL
			SELECT 'parks', p.id, NULL, p.name, NULL, NULL, NULL, NULL, round((p.area_m2 * 15 / 10000)::numeric, 1)::float8, NULL, NULL, NULL,
			       p.level, d.name, array_to_string(p.leading_industries, '、'),
			       ST_X(ST_PointOnSurface(p.geom)), ST_Y(ST_PointOnSurface(p.geom))
			  FROM parks p JOIN districts d ON d.id = p.district_id
			 WHERE p.id = ANY ($2)
			 ORDER BY 1, 2`, s.ParcelIDs, s.ParkIDs)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToMap)
		return err
	})
	return out, err
}
