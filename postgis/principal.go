package postgis

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// tx runs fn in a transaction stating principal p (see queuePrincipal),
// so that row-level security and the audit log know whose it is. Once it
// has committed, the tiles it changed are handed to the OnTilesChanged
// hook, before tx returns.
func (db *DB) tx(ctx context.Context, p geo.Principal, fn func(pgx.Tx) error) error {
	var changed string
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queuePrincipal(b, p, p.Address)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if err := fn(tx); err != nil || db.tilesChanged == nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT coalesce(current_setting('onemap.tiles', true), '')").Scan(&changed)
	})
	if err == nil && changed != "" {
		db.tilesChanged(changed)
	}
	return err
}

// OnTilesChanged has fn called, after each transaction of this pool that
// changed tiled data has committed and before the write returns, with the
// union of its tile invalidations (a TileChannel payload): the writing
// server drops its cached tiles before it answers, instead of when the
// notification comes back. Set it before the pool is used.
func (db *DB) OnTilesChanged(fn func(payload string)) { db.tilesChanged = fn }

// queuePrincipal queues the settings that tell the database whose
// transaction this is (see migrations/0003_access.sql): the roles and
// district that row-level security checks, and the actor and address the
// audit log records.
func queuePrincipal(b *pgx.Batch, p geo.Principal, address string) {
	roles := strings.Join(geo.RoleNames(p.Roles), ",")
	if p.Share != nil {
		roles = string(geo.RoleViewer)
	}
	district := ""
	if p.DistrictID > 0 {
		district = p.DistrictID.String()
	}
	actor := p.Username
	if p.Share != nil {
		actor = "share:" + p.Share.LinkID.String()
	}
	b.Queue(`SELECT set_config('onemap.roles', $1, true), set_config('onemap.district', $2, true),
		set_config('onemap.actor', $3, true), set_config('onemap.address', $4, true)`, roles, district, actor, address)
}
