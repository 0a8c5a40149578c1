package postgis

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

var _ access.ShareStore = (*DB)(nil)

func shareError(err error) error { return dbError(err, "分享链接", "share link") }

// CreateShare stores a share link made by principal by; KindInvalid if a
// parcel or park does not exist.
func (db *DB) CreateShare(ctx context.Context, by geo.Principal, s access.Share, tokenHash []byte, passwordHash string) (access.Share, error) {
	var pw *string
	if passwordHash != "" {
		pw = &passwordHash
	}
	s.ParcelIDs = append([]geo.ID{}, s.ParcelIDs...) // NULL is not an empty list
	s.ParkIDs = append([]geo.ID{}, s.ParkIDs...)
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		var missing int
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM parcels WHERE id = i))
			+ (SELECT count(*) FROM unnest($2::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM parks WHERE id = i))`,
			s.ParcelIDs, s.ParkIDs).Scan(&missing)
		if err != nil {
			return err
		}
		if missing > 0 {
			return geo.Invalid("unknown_feature", "所选地块或园区不存在", "a chosen parcel or park does not exist")
		}
		return tx.QueryRow(ctx, `INSERT INTO share_links (token_hash, title, created_by, parcel_ids, park_ids, fields, password_hash, expires_at,
			                         confirm_unoffered_prices)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, created_at`,
			tokenHash, s.Title, by.UserID, s.ParcelIDs, s.ParkIDs, s.Fields, pw, s.ExpiresAt, s.ConfirmUnofferedPrices).Scan(&s.ID, &s.CreatedAt)
	})
	s.HasPassword = pw != nil
	s.CreatedBy = by.Username
	return s, shareError(err)
}

const shareColumns = `s.id, s.title, u.username, s.parcel_ids, s.park_ids, s.fields, s.password_hash IS NOT NULL,
	s.created_at, s.expires_at, s.revoked_at, (SELECT count(*) FROM share_link_opens o WHERE o.link_id = s.id), s.confirm_unoffered_prices,
	ARRAY(SELECT DISTINCT p.park_id FROM parcels p WHERE p.id = ANY (s.parcel_ids) AND p.park_id <> ALL (s.park_ids) ORDER BY 1)`

func scanShare(row pgx.Row, extra ...any) (access.Share, error) {
	var s access.Share
	err := row.Scan(append([]any{&s.ID, &s.Title, &s.CreatedBy, &s.ParcelIDs, &s.ParkIDs, &s.Fields, &s.HasPassword,
		&s.CreatedAt, &s.ExpiresAt, &s.RevokedAt, &s.Opens, &s.ConfirmUnofferedPrices, &s.AroundParkIDs}, extra...)...)
	return s, err
}

// Shares lists the share links, newest first.
func (db *DB) Shares(ctx context.Context) ([]access.Share, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+shareColumns+" FROM share_links s JOIN users u ON u.id = s.created_by ORDER BY s.id DESC")
	if err != nil {
		return nil, shareError(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.Share, error) { return scanShare(r) })
	return list, shareError(err)
}

// RevokeShare revokes a share link; KindNotFound if there is none.
func (db *DB) RevokeShare(ctx context.Context, by geo.Principal, id geo.ID) error {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE share_links SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1", id)
		if err == nil && tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return err
	})
	return shareError(err)
}

// ShareByToken returns the live share link of a token's hash and its
// password hash (empty: none); KindNotFound for a revoked or expired
// link, or none.
func (db *DB) ShareByToken(ctx context.Context, tokenHash []byte) (access.Share, string, error) {
	var pw *string
	s, err := scanShare(db.pool.QueryRow(ctx, "SELECT "+shareColumns+", s.password_hash FROM share_links s JOIN users u ON u.id = s.created_by "+
		"WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()", tokenHash), &pw)
	if err != nil || pw == nil {
		return s, "", shareError(err)
	}
	return s, *pw, nil
}

// RecordShareOpen logs an opening of a share link.
func (db *DB) RecordShareOpen(ctx context.Context, linkID geo.ID, address, userAgent string) error {
	_, err := db.pool.Exec(ctx, "INSERT INTO share_link_opens (link_id, address, user_agent) VALUES ($1, $2, $3)", linkID, address, userAgent)
	return shareError(err)
}

// ShareOpens lists the latest 1000 openings of a share link, newest
// first.
func (db *DB) ShareOpens(ctx context.Context, linkID geo.ID) ([]access.ShareOpen, error) {
	rows, err := db.pool.Query(ctx, "SELECT at, coalesce(address, ''), coalesce(user_agent, '') FROM share_link_opens WHERE link_id = $1 ORDER BY id DESC LIMIT 1000", linkID)
	if err != nil {
		return nil, shareError(err)
	}
	opens, err := pgx.CollectRows(rows, pgx.RowToStructByPos[access.ShareOpen])
	return opens, shareError(err)
}

// ParcelSupply returns the supply status of those of the parcels that
// exist.
func (db *DB) ParcelSupply(ctx context.Context, ids []geo.ID) (map[geo.ID]string, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, supply_status FROM parcels WHERE id = ANY($1::bigint[])", ids)
	if err != nil {
		return nil, shareError(err)
	}
	status := map[geo.ID]string{}
	var id geo.ID
	var st string
	_, err = pgx.ForEachRow(rows, []any{&id, &st}, func() error {
		status[id] = st
		return nil
	})
	return status, shareError(err)
}

// UnlockShare remembers that a visitor gave a share link's password,
// under the hash of the unlock's token, until expires; it forgets the
// unlocks that ended.
func (db *DB) UnlockShare(ctx context.Context, linkID geo.ID, tokenHash []byte, expires time.Time) error {
	_, err := db.pool.Exec(ctx, `WITH old AS (DELETE FROM share_unlocks WHERE expires_at < now())
		INSERT INTO share_unlocks (token_hash, link_id, expires_at) VALUES ($1, $2, $3)`, tokenHash, linkID, expires)
	return shareError(err)
}

// ShareUnlocked reports whether an unlock token's hash opens a share
// link.
func (db *DB) ShareUnlocked(ctx context.Context, linkID geo.ID, tokenHash []byte) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM share_unlocks WHERE token_hash = $1 AND link_id = $2 AND expires_at > now())",
		tokenHash, linkID).Scan(&ok)
	return ok, shareError(err)
}
