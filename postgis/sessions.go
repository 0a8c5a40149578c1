package postgis

import (
	"context"
	"time"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

var (
	_ access.SessionStore = (*DB)(nil)
	_ access.FailureStore = (*DB)(nil)
)

func sessionError(err error) error { return dbError(err, "会话", "session") }

// CreateSession stores a new session of a user under the token's hash.
func (db *DB) CreateSession(ctx context.Context, userID geo.ID, tokenHash []byte, csrf, address string, expires time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, address, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		tokenHash, userID, csrf, address, expires)
	return sessionError(err)
}

// SessionUser returns the user and CSRF token of a live session: not
// revoked, not expired, used within idle, of an enabled account. It
// notes the use. KindNotFound otherwise.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte, idle time.Duration) (access.User, string, error) {
	var csrf string
	u, err := scanUser(db.pool.QueryRow(ctx, `UPDATE sessions s SET last_seen_at = now()
		FROM users u
		WHERE s.token_hash = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
		  AND s.last_seen_at > now() - $2::interval AND NOT u.disabled
		RETURNING u.id, u.username, u.display_name, u.roles, coalesce(u.district_id, 0)::int, u.disabled, u.default_password,
		          u.created_at, s.csrf_token`, tokenHash, idle), &csrf)
	return u, csrf, sessionError(err)
}

// RevokeSession ends a session.
func (db *DB) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := db.pool.Exec(ctx, "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL", tokenHash)
	return sessionError(err)
}

// LoginFailures counts the failed attempts since a time, for a key (a
// user name, or a share link's) and for an address.
func (db *DB) LoginFailures(ctx context.Context, key, address string, since time.Time) (byKey, byAddress int, err error) {
	err = db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE username = $1), count(*) FILTER (WHERE address = $2)
		FROM login_failures WHERE at > $3 AND (username = $1 OR address = $2)`, key, address, since).Scan(&byKey, &byAddress)
	return byKey, byAddress, sessionError(err)
}

// RecordLoginFailure notes a failed attempt, and forgets those older than
// a day.
func (db *DB) RecordLoginFailure(ctx context.Context, key, address string) error {
	_, err := db.pool.Exec(ctx, `WITH old AS (DELETE FROM login_failures WHERE at < now() - interval '1 day')
		INSERT INTO login_failures (username, address) VALUES ($1, $2)`, key, address)
	return sessionError(err)
}
