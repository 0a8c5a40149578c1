package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/tiles"
)

// DomainValues implements tiles.Domains: the values of d that exist in
// the whole data. Row-level security would show the server's role no
// project outside a principal's transaction, so call it on the owner's
// connection.
func (db *DB) DomainValues(ctx context.Context, d tiles.Domain) ([]string, error) {
	var q string
	switch d {
	case tiles.DistrictCodes:
		q = "SELECT code FROM districts ORDER BY code"
	case tiles.Leaders:
		q = "SELECT DISTINCT leader FROM projects ORDER BY leader"
	default:
		return nil, fmt.Errorf("no domain %q", d)
	}
	rows, err := db.pool.Query(ctx, q)
	if err != nil {
		return nil, dbError(err, "筛选值", "filter values")
	}
	values, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return values, dbError(err, "筛选值", "filter values")
}

var _ tiles.Domains = (*DB)(nil)
