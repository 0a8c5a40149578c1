package postgis

import (
	"context"
	_ "embed"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
)

var _ invest.Store = (*DB)(nil)

//go:embed sql/invest/shared.sql
var sharedSQL string

// Shared returns the parcels and parks of a share link's scope, read as
// the share link (row security and the audit log know it).
func (db *DB) Shared(ctx context.Context, scope geo.ShareScope) ([]invest.Shared, error) {
	p := geo.Principal{Kind: geo.ShareLink, Share: &scope}
	var out []invest.Shared
	err := db.tx(ctx, p, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sharedSQL, append([]geo.ID{}, scope.ParcelIDs...), append([]geo.ID{}, scope.ParkIDs...))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[invest.Shared])
		return err
	})
	return out, dbError(err, "分享要素", "shared feature")
}
