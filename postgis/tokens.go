package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

var _ access.TokenStore = (*DB)(nil)

func tokenError(err error) error { return dbError(err, "令牌", "token") }

const tokenColumns = `id, user_id, name, roles, created_at, expires_at, revoked_at, last_used_at`

// CreateToken stores an API token of principal by's user.
func (db *DB) CreateToken(ctx context.Context, by geo.Principal, t access.Token, hash []byte) (access.Token, error) {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, roles, expires_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING `+tokenColumns, t.UserID, t.Name, hash, t.Roles, t.ExpiresAt)
		if err != nil {
			return err
		}
		t, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[access.Token])
		return err
	})
	return t, tokenError(err)
}

// Tokens lists a user's API tokens.
func (db *DB) Tokens(ctx context.Context, userID geo.ID) ([]access.Token, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = $1 ORDER BY id", userID)
	if err != nil {
		return nil, tokenError(err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[access.Token])
	return ts, tokenError(err)
}

// RevokeToken revokes a token of principal by's user (any user's for an
// admin); KindNotFound if there is no such token of theirs.
func (db *DB) RevokeToken(ctx context.Context, by geo.Principal, id geo.ID) error {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND (user_id = $2 OR $3)`,
			id, by.UserID, by.Has(geo.RoleAdmin))
		if err == nil && tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return err
	})
	return tokenError(err)
}

// TokenUser returns the user of a live API token (not revoked, not
// expired, of an enabled account) with the token's roles that the user
// still holds, and notes the use; KindNotFound otherwise.
func (db *DB) TokenUser(ctx context.Context, hash []byte) (access.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `UPDATE api_tokens t SET last_used_at = now()
		FROM users u
		WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
		  AND NOT u.disabled
		RETURNING u.id, u.username, u.display_name, ARRAY(SELECT unnest(t.roles) INTERSECT SELECT unnest(u.roles)),
		          coalesce(u.district_id, 0)::int, u.disabled, u.default_password, u.created_at`, hash))
	return u, tokenError(err)
}
