package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// CreateShare stores a share link made by principal by; the parcels and
// parks must exist (KindInvalid otherwise).
func (db *DB) CreateShare(ctx context.Context, by geo.Principal, s geo.Share, tokenHash []byte, passwordHash string) (geo.Share, error) {
	var pw *string
	if passwordHash != "" {
		pw = &passwordHash
	}
	s.ParcelIDs = append([]int64{}, s.ParcelIDs...) // NULL is not an empty list
	s.ParkIDs = append([]int64{}, s.ParkIDs...)
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		var missing int
		err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM parcels WHERE id = i))
			+ (SELECT count(*) FROM unnest($2::int[]) i WHERE NOT EXISTS (SELECT 1 FROM parks WHERE id = i))`,
			s.ParcelIDs, s.ParkIDs).Scan(&missing)
		if err != nil {
			return err
		}
		if missing > 0 {
			return geo.Invalid("unknown_feature", "所选地块或园区不存在", "a chosen parcel or park does not exist")
		}
		return tx.QueryRow(ctx, `INSERT INTO share_links (token_hash, title, created_by, parcel_ids, park_ids, fields, password_hash, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
			tokenHash, s.Title, by.UserID, s.ParcelIDs, s.ParkIDs, s.Fields, pw, s.ExpiresAt).Scan(&s.ID, &s.CreatedAt)
	})
	s.HasPassword = pw != nil
	s.CreatedBy = by.Username
	return s, constraintError(err, "分享链接")
}

const shareColumns = `s.id, s.title, u.username, s.parcel_ids, s.park_ids, s.fields, s.password_hash IS NOT NULL,
	s.created_at, s.expires_at, s.revoked_at, (SELECT count(*) FROM share_link_opens o WHERE o.link_id = s.id)`

func scanShare(row pgx.Row, extra ...any) (geo.Share, error) {
	var s geo.Share
	err := row.Scan(append([]any{&s.ID, &s.Title, &s.CreatedBy, &s.ParcelIDs, &s.ParkIDs, &s.Fields, &s.HasPassword,
		&s.CreatedAt, &s.ExpiresAt, &s.RevokedAt, &s.Opens}, extra...)...)
	return s, err
}

// Shares lists the share links, newest first.
func (db *DB) Shares(ctx context.Context) ([]geo.Share, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+shareColumns+" FROM share_links s JOIN users u ON u.id = s.created_by ORDER BY s.id DESC")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (geo.Share, error) { return scanShare(r) })
}

// RevokeShare revokes a share link.
func (db *DB) RevokeShare(ctx context.Context, by geo.Principal, id int) error {
	return db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE share_links SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1", id)
		if err == nil && tag.RowsAffected() == 0 {
			return geo.NotFound("not_found", "分享链接不存在", "no such share link")
		}
		return err
	})
}

// ShareByToken returns the live share link of a token and its password
// hash (empty: none). A revoked or expired link, or none, is KindNotFound.
func (db *DB) ShareByToken(ctx context.Context, tokenHash []byte) (geo.Share, string, error) {
	var pw *string
	s, err := scanShare(db.pool.QueryRow(ctx, "SELECT "+shareColumns+", s.password_hash FROM share_links s JOIN users u ON u.id = s.created_by "+
		"WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()", tokenHash), &pw)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, "", geo.NotFound("share_unavailable", "分享链接不存在、已过期或已撤销", "the share link does not exist, has expired or was revoked")
	}
	if pw != nil {
		return s, *pw, err
	}
	return s, "", err
}

// RecordShareOpen logs an opening of a share link.
func (db *DB) RecordShareOpen(ctx context.Context, linkID int, address, userAgent string) error {
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	_, err := db.pool.Exec(ctx, "INSERT INTO share_link_opens (link_id, address, user_agent) VALUES ($1, $2, $3)", linkID, address, userAgent)
	return err
}

// ShareOpens lists the openings of a share link, newest first.
func (db *DB) ShareOpens(ctx context.Context, linkID int) ([]geo.ShareOpen, error) {
	rows, err := db.pool.Query(ctx, "SELECT at, coalesce(address, ''), coalesce(user_agent, '') FROM share_link_opens WHERE link_id = $1 ORDER BY id DESC LIMIT 1000", linkID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[geo.ShareOpen])
}

// UnlockShare remembers that a visitor gave a share link's password.
func (db *DB) UnlockShare(ctx context.Context, linkID int, tokenHash []byte, expires time.Time) error {
	_, err := db.pool.Exec(ctx, `WITH old AS (DELETE FROM share_unlocks WHERE expires_at < now())
		INSERT INTO share_unlocks (token_hash, link_id, expires_at) VALUES ($1, $2, $3)`, tokenHash, linkID, expires)
	return err
}

// ShareUnlocked reports whether an unlock token opens a share link.
func (db *DB) ShareUnlocked(ctx context.Context, linkID int, tokenHash []byte) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM share_unlocks WHERE token_hash = $1 AND link_id = $2 AND expires_at > now())",
		tokenHash, linkID).Scan(&ok)
	return ok, err
}

// ShareFeatures returns the shared parcels and parks with all their
// fields; the API keeps the chosen ones.
func (db *DB) ShareFeatures(ctx context.Context, s geo.Share) ([]map[string]any, error) {
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
