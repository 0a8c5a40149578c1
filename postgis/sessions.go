package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
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

// Attempt records an attempt at a password unless its key or its
// address already has its limit of attempts of the kind since a.Since
// (then false). The key's and the address's advisory locks, taken in
// that order, make counting and recording one step: concurrent attempts
// queue for them. It forgets the attempts older than a day.
func (db *DB) Attempt(ctx context.Context, a access.Attempt) (id int64, ok bool, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue("SELECT pg_advisory_xact_lock(1, hashtext($1::text || ' ' || $2::text))", a.Kind, a.Key)
		b.Queue("SELECT pg_advisory_xact_lock(2, hashtext($1::text || ' ' || $2::text))", a.Kind, a.Address)
		b.Queue(`WITH old AS (DELETE FROM login_failures WHERE at < now() - interval '1 day'),
			n AS (SELECT count(*) FILTER (WHERE username = $2) AS by_key, count(*) FILTER (WHERE address = $3) AS by_address
			      FROM login_failures WHERE kind = $1 AND at > $4 AND (username = $2 OR address = $3))
			INSERT INTO login_failures (kind, username, address) SELECT $1, $2, $3 FROM n
			WHERE n.by_key < $5 AND n.by_address < $6 RETURNING id`, a.Kind, a.Key, a.Address, a.Since, a.PerKey, a.PerAddress)
		br := tx.SendBatch(ctx, b)
		for range 2 {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return err
			}
		}
		err := br.QueryRow().Scan(&id)
		ok = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
	return id, ok && err == nil, sessionError(err)
}

// ForgetAttempt removes an attempt that did not fail.
func (db *DB) ForgetAttempt(ctx context.Context, id int64) error {
	_, err := db.pool.Exec(ctx, "DELETE FROM login_failures WHERE id = $1", id)
	return sessionError(err)
}
