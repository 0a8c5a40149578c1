package postgis

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
)

// tx runs fn in a transaction stating principal p (see queuePrincipal),
// so that row-level security and the audit log know whose it is.
func (db *DB) tx(ctx context.Context, p geo.Principal, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queuePrincipal(b, p, p.Address)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		return fn(tx)
	})
}

// constraintError turns a violated constraint into a domain error, and
// leaves other errors as they are.
func constraintError(err error, what string) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return geo.Errorf(geo.KindConflict, "duplicate", "%s已存在", "%s already exists", what)
	case "23502", "23503", "23514", "22P02", "22001", "22003", "22007", "22008":
		return geo.Invalid("invalid", "%s的数据无效", "invalid %s", what)
	case "42501":
		return geo.Errorf(geo.KindForbidden, "forbidden", "无权修改该%s", "not allowed to change this %s", what)
	}
	return err
}

const userColumns = `id, username, display_name, roles, coalesce(district_id, 0)::int, disabled, default_password, created_at`

func scanUser(row pgx.Row, extra ...any) (geo.User, error) {
	var u geo.User
	var roles []string
	err := row.Scan(append([]any{&u.ID, &u.Username, &u.DisplayName, &roles, &u.DistrictID, &u.Disabled, &u.DefaultPassword, &u.CreatedAt}, extra...)...)
	for _, r := range roles {
		u.Roles = append(u.Roles, geo.Role(r))
	}
	return u, err
}

func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return geo.NotFound("not_found", "%s不存在", "no such %s", what)
	}
	return err
}

// UserByName returns an account and its password hash; KindNotFound if
// there is none.
func (db *DB) UserByName(ctx context.Context, username string) (geo.User, string, error) {
	var hash string
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE username = $1", username), &hash)
	return u, hash, notFound(err, "用户")
}

// User returns an account; KindNotFound if there is none.
func (db *DB) User(ctx context.Context, id int) (geo.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	return u, notFound(err, "用户")
}

// Users lists the accounts.
func (db *DB) Users(ctx context.Context) ([]geo.User, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY id")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (geo.User, error) { return scanUser(r) })
}

// CreateUser adds an account with a password hash; KindConflict if the
// name is taken.
func (db *DB) CreateUser(ctx context.Context, by geo.Principal, u geo.User, hash string) (geo.User, error) {
	if err := u.Check(); err != nil {
		return u, err
	}
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		created, err := scanUser(tx.QueryRow(ctx, `INSERT INTO users (username, display_name, password_hash, roles, district_id, default_password)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+userColumns,
			u.Username, u.DisplayName, hash, geo.RoleNames(u.Roles), districtArg(u.DistrictID), u.DefaultPassword))
		u = created
		return err
	})
	return u, constraintError(err, "用户")
}

// districtArg binds an account's district: NULL for none.
func districtArg(id int) *int {
	if id > 0 {
		return &id
	}
	return nil
}

// UpdateUser changes an account's name, roles, district and whether it is
// disabled; disabling ends its sessions.
func (db *DB) UpdateUser(ctx context.Context, by geo.Principal, u geo.User) (geo.User, error) {
	if err := u.Check(); err != nil {
		return u, err
	}
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		updated, err := scanUser(tx.QueryRow(ctx, `UPDATE users SET display_name = $2, roles = $3, district_id = $4, disabled = $5
			WHERE id = $1 RETURNING `+userColumns, u.ID, u.DisplayName, geo.RoleNames(u.Roles), districtArg(u.DistrictID), u.Disabled))
		if err != nil {
			return notFound(err, "用户")
		}
		u = updated
		if u.Disabled {
			return revokeUserSessions(ctx, tx, u.ID)
		}
		return nil
	})
	return u, constraintError(err, "用户")
}

// SetPassword changes a password and ends the account's sessions.
func (db *DB) SetPassword(ctx context.Context, by geo.Principal, userID int, hash string, isDefault bool) error {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, default_password = $3, password_changed_at = now() WHERE id = $1`,
			userID, hash, isDefault)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return geo.NotFound("not_found", "用户不存在", "no such user")
		}
		return revokeUserSessions(ctx, tx, userID)
	})
	return err
}

func revokeUserSessions(ctx context.Context, tx pgx.Tx, userID int) error {
	if _, err := tx.Exec(ctx, "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", userID)
	return err
}

// DefaultPasswordUsers lists the enabled accounts that still have a
// published default password.
func (db *DB) DefaultPasswordUsers(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, "SELECT username FROM users WHERE default_password AND NOT disabled ORDER BY id")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// LoginFailures counts the failed logins since a time, for an account and
// for an address.
func (db *DB) LoginFailures(ctx context.Context, username, address string, since time.Time) (byUser, byAddress int, err error) {
	err = db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE username = $1), count(*) FILTER (WHERE address = $2)
		FROM login_failures WHERE at > $3 AND (username = $1 OR address = $2)`, username, address, since).Scan(&byUser, &byAddress)
	return
}

// RecordLoginFailure notes a failed login, and forgets those older than a
// day.
func (db *DB) RecordLoginFailure(ctx context.Context, username, address string) error {
	_, err := db.pool.Exec(ctx, `WITH old AS (DELETE FROM login_failures WHERE at < now() - interval '1 day')
		INSERT INTO login_failures (username, address) VALUES ($1, $2)`, username, address)
	return err
}

// CreateSession stores a new session of a user under the token's hash.
func (db *DB) CreateSession(ctx context.Context, userID int, tokenHash []byte, csrf, address string, expires time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, address, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		tokenHash, userID, csrf, address, expires)
	return err
}

// SessionPrincipal returns the principal and CSRF token of a live session:
// not revoked, not expired, used within idle, of an enabled account.
// KindUnauthorized otherwise.
func (db *DB) SessionPrincipal(ctx context.Context, tokenHash []byte, idle time.Duration) (geo.User, string, error) {
	var csrf string
	u, err := scanUser(db.pool.QueryRow(ctx, `UPDATE sessions s SET last_seen_at = now()
		FROM users u
		WHERE s.token_hash = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
		  AND s.last_seen_at > now() - $2::interval AND NOT u.disabled
		RETURNING u.id, u.username, u.display_name, u.roles, coalesce(u.district_id, 0)::int, u.disabled, u.default_password,
		          u.created_at, s.csrf_token`, tokenHash, idle), &csrf)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, "", geo.Errorf(geo.KindUnauthorized, "session_expired", "登录已过期，请重新登录", "session expired or ended; log in again")
	}
	return u, csrf, err
}

// RevokeSession ends a session.
func (db *DB) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := db.pool.Exec(ctx, "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL", tokenHash)
	return err
}

// CreateToken stores an API token of a user, scoped to roles (which must
// be the user's).
func (db *DB) CreateToken(ctx context.Context, by geo.Principal, name string, roles []geo.Role, hash []byte, expires *time.Time) (geo.Token, error) {
	var t geo.Token
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, roles, expires_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id, user_id, name, roles, created_at, expires_at, revoked_at, last_used_at`,
			by.UserID, name, hash, geo.RoleNames(roles), expires).Scan(&t.ID, &t.UserID, &t.Name, &t.Roles, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt)
	})
	return t, constraintError(err, "令牌")
}

// Tokens lists a user's API tokens.
func (db *DB) Tokens(ctx context.Context, userID int) ([]geo.Token, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, user_id, name, roles, created_at, expires_at, revoked_at, last_used_at
		FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[geo.Token])
}

// RevokeToken revokes a token of a user (any user's for an admin).
func (db *DB) RevokeToken(ctx context.Context, by geo.Principal, id int) error {
	return db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND (user_id = $2 OR $3)`,
			id, by.UserID, by.Has(geo.RoleAdmin))
		if err == nil && tag.RowsAffected() == 0 {
			return geo.NotFound("not_found", "令牌不存在", "no such token")
		}
		return err
	})
}

// TokenPrincipal returns the principal of a live API token: the token's
// roles that its enabled user still holds. KindUnauthorized otherwise.
func (db *DB) TokenPrincipal(ctx context.Context, hash []byte) (geo.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `UPDATE api_tokens t SET last_used_at = now()
		FROM users u
		WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
		  AND NOT u.disabled
		RETURNING u.id, u.username, u.display_name, ARRAY(SELECT unnest(t.roles) INTERSECT SELECT unnest(u.roles)),
		          coalesce(u.district_id, 0)::int, u.disabled, u.default_password, u.created_at`, hash))
	if errors.Is(err, pgx.ErrNoRows) || err == nil && len(u.Roles) == 0 {
		return u, geo.Errorf(geo.KindUnauthorized, "bad_token", "API 令牌无效、已过期或已撤销", "API token invalid, expired or revoked")
	}
	return u, err
}

// Audit returns audit entries, newest first.
func (db *DB) Audit(ctx context.Context, f geo.AuditFilter) ([]geo.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	rows, err := db.pool.Query(ctx, `SELECT id, at, actor, address, table_name, row_id, action, before, after FROM audit_log
		WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR table_name = $2) AND ($3::timestamptz IS NULL OR at >= $3)
		  AND ($4::timestamptz IS NULL OR at < $4)
		ORDER BY id DESC LIMIT $5`, f.Actor, f.Table, from, to, f.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[geo.AuditEntry])
}

// DistrictID returns the id of the district with a code; KindNotFound if
// there is none.
func (db *DB) DistrictID(ctx context.Context, code string) (int, error) {
	var id int
	err := db.pool.QueryRow(ctx, "SELECT id FROM districts WHERE code = $1", code).Scan(&id)
	return id, notFound(err, "县区")
}
