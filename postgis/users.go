package postgis

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

var _ access.UserStore = (*DB)(nil)

const userColumns = `id, username, display_name, roles, coalesce(district_id, 0)::int, disabled, default_password, created_at`

func scanUser(row pgx.Row, extra ...any) (access.User, error) {
	var u access.User
	var roles []string
	err := row.Scan(append([]any{&u.ID, &u.Username, &u.DisplayName, &roles, &u.DistrictID, &u.Disabled, &u.DefaultPassword, &u.CreatedAt}, extra...)...)
	for _, r := range roles {
		u.Roles = append(u.Roles, geo.Role(r))
	}
	return u, err
}

// userError translates the errors of the user store: an account's
// district that does not exist is KindInvalid "unknown_district", the
// rest as dbError.
func userError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" && pe.ConstraintName == "users_district_id_fkey" {
		return geo.Invalid("unknown_district", "所选县区不存在", "the chosen district does not exist")
	}
	return dbError(err, "用户", "user")
}

// UserByName returns an account and its password hash; KindNotFound if
// there is none.
func (db *DB) UserByName(ctx context.Context, username string) (access.User, string, error) {
	var hash string
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE username = $1", username), &hash)
	return u, hash, userError(err)
}

// User returns an account; KindNotFound if there is none.
func (db *DB) User(ctx context.Context, id geo.ID) (access.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	return u, userError(err)
}

// Users lists the accounts.
func (db *DB) Users(ctx context.Context) ([]access.User, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY id")
	if err != nil {
		return nil, userError(err)
	}
	us, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.User, error) { return scanUser(r) })
	return us, userError(err)
}

// CreateUser adds an account with a password hash; KindConflict if the
// name is taken, KindInvalid ("unknown_district") if its district does
// not exist.
func (db *DB) CreateUser(ctx context.Context, by geo.Principal, u access.User, hash string) (access.User, error) {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		created, err := scanUser(tx.QueryRow(ctx, `INSERT INTO users (username, display_name, password_hash, roles, district_id, default_password)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+userColumns,
			u.Username, u.DisplayName, hash, geo.RoleNames(u.Roles), districtArg(u.DistrictID), u.DefaultPassword))
		u = created
		return err
	})
	return u, userError(err)
}

// districtArg binds an account's district: NULL for none.
func districtArg(id geo.ID) *geo.ID {
	if id > 0 {
		return &id
	}
	return nil
}

// UpdateUser changes an account's display name, roles, district and
// whether it is disabled; disabling ends its sessions and tokens.
// KindNotFound if there is no such account, KindInvalid
// ("unknown_district") if the district does not exist.
func (db *DB) UpdateUser(ctx context.Context, by geo.Principal, u access.User) (access.User, error) {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		updated, err := scanUser(tx.QueryRow(ctx, `UPDATE users SET display_name = $2, roles = $3, district_id = $4, disabled = $5
			WHERE id = $1 RETURNING `+userColumns, u.ID, u.DisplayName, geo.RoleNames(u.Roles), districtArg(u.DistrictID), u.Disabled))
		if err != nil {
			return err
		}
		u = updated
		if u.Disabled {
			return revokeUserSessions(ctx, tx, u.ID)
		}
		return nil
	})
	return u, userError(err)
}

// SetPassword changes a password and ends the account's sessions and
// tokens; KindNotFound if there is no such account.
func (db *DB) SetPassword(ctx context.Context, by geo.Principal, id geo.ID, hash string, isDefault bool) error {
	err := db.tx(ctx, by, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, default_password = $3, password_changed_at = now() WHERE id = $1`,
			id, hash, isDefault)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return revokeUserSessions(ctx, tx, id)
	})
	return userError(err)
}

func revokeUserSessions(ctx context.Context, tx pgx.Tx, id geo.ID) error {
	if _, err := tx.Exec(ctx, "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", id)
	return err
}

// DefaultPasswordUsers lists the enabled accounts that still have a
// published default password.
func (db *DB) DefaultPasswordUsers(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, "SELECT username FROM users WHERE default_password AND NOT disabled ORDER BY id")
	if err != nil {
		return nil, userError(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return names, userError(err)
}

// DistrictID returns the id of the district with a code (for a district
// user made on the command line); KindNotFound if there is none.
func (db *DB) DistrictID(ctx context.Context, code string) (geo.ID, error) {
	var id geo.ID
	err := db.pool.QueryRow(ctx, "SELECT id FROM districts WHERE code = $1", code).Scan(&id)
	return id, dbError(err, "县区", "district")
}
