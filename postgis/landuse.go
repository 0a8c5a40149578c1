package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/land"
)

var _ land.Store = (*DB)(nil)

// Classification returns the land-use classification systems and their
// classes.
func (db *DB) Classification(ctx context.Context) (land.Classification, error) {
	var c land.Classification
	rows, err := db.pool.Query(ctx, "SELECT system, name FROM landuse_systems ORDER BY system")
	if err != nil {
		return c, dbError(err, "用地分类", "land-use classification")
	}
	c.Systems, err = pgx.CollectRows(rows, pgx.RowToStructByPos[land.System])
	if err != nil {
		return c, dbError(err, "用地分类", "land-use classification")
	}
	rows, err = db.pool.Query(ctx, "SELECT system, code, name, coalesce(parent, ''), construction FROM landuse_classes ORDER BY system, code")
	if err != nil {
		return c, dbError(err, "用地分类", "land-use classification")
	}
	c.Classes, err = pgx.CollectRows(rows, pgx.RowToStructByPos[land.Class])
	return c, dbError(err, "用地分类", "land-use classification")
}
