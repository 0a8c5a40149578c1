package access

import (
	"context"
	"time"

	"github.com/luohe/onemap/geo"
)

// The stores keep what the Service decides. Writes take the principal
// that makes them, for the audit log and row-level security. A missing
// row is KindNotFound; no store error carries database text.

// UserStore keeps the accounts.
type UserStore interface {
	// UserByName returns an account and its password hash.
	UserByName(ctx context.Context, username string) (User, string, error)
	User(ctx context.Context, id geo.ID) (User, error)
	Users(ctx context.Context) ([]User, error)
	// CreateUser adds a checked account with a password hash;
	// KindConflict if the name is taken, KindInvalid ("unknown_district")
	// if its district does not exist.
	CreateUser(ctx context.Context, by geo.Principal, u User, hash string) (User, error)
	// UpdateUser changes an account's display name, roles, district and
	// whether it is disabled; disabling ends its sessions and tokens.
	// KindInvalid ("unknown_district") if the district does not exist.
	UpdateUser(ctx context.Context, by geo.Principal, u User) (User, error)
	// SetPassword changes a password hash and ends the account's sessions
	// and tokens.
	SetPassword(ctx context.Context, by geo.Principal, id geo.ID, hash string, isDefault bool) error
	// DefaultPasswordUsers lists the names of the enabled accounts that
	// still have a published default password.
	DefaultPasswordUsers(ctx context.Context) ([]string, error)
}

// FailureStore counts failed logins and share-link unlocks, by key (a user
// name, or a share link's) and by address.
type FailureStore interface {
	LoginFailures(ctx context.Context, key, address string, since time.Time) (byKey, byAddress int, err error)
	RecordLoginFailure(ctx context.Context, key, address string) error
}

// SessionStore keeps the sessions, under their tokens' hashes.
type SessionStore interface {
	CreateSession(ctx context.Context, userID geo.ID, tokenHash []byte, csrf, address string, expires time.Time) error
	// SessionUser returns the user and CSRF token of a live session: not
	// revoked, not expired, used within idle, of an enabled account;
	// KindNotFound otherwise. It notes the use.
	SessionUser(ctx context.Context, tokenHash []byte, idle time.Duration) (User, string, error)
	RevokeSession(ctx context.Context, tokenHash []byte) error
}

// TokenStore keeps the API tokens, under their hashes.
type TokenStore interface {
	// CreateToken stores a token of principal by's user.
	CreateToken(ctx context.Context, by geo.Principal, t Token, hash []byte) (Token, error)
	Tokens(ctx context.Context, userID geo.ID) ([]Token, error)
	// RevokeToken revokes a token of by's user, or any user's for an
	// admin; KindNotFound otherwise.
	RevokeToken(ctx context.Context, by geo.Principal, id geo.ID) error
	// TokenUser returns the user of a live token (not revoked, not
	// expired, of an enabled account) with the token's roles that the user
	// still holds; KindNotFound otherwise. It notes the use.
	TokenUser(ctx context.Context, hash []byte) (User, error)
}

// ShareStore keeps the share links, under their tokens' hashes, their
// openings and the unlocks of their passwords.
type ShareStore interface {
	// CreateShare stores a share link; KindInvalid if a parcel or park
	// does not exist.
	CreateShare(ctx context.Context, by geo.Principal, s Share, tokenHash []byte, passwordHash string) (Share, error)
	Shares(ctx context.Context) ([]Share, error)
	RevokeShare(ctx context.Context, by geo.Principal, id geo.ID) error
	// ShareByToken returns a live share link and its password hash (empty:
	// none); KindNotFound for a revoked or expired link, or none.
	ShareByToken(ctx context.Context, tokenHash []byte) (Share, string, error)
	RecordShareOpen(ctx context.Context, linkID geo.ID, address, userAgent string) error
	ShareOpens(ctx context.Context, linkID geo.ID) ([]ShareOpen, error)
	UnlockShare(ctx context.Context, linkID geo.ID, tokenHash []byte, expires time.Time) error
	ShareUnlocked(ctx context.Context, linkID geo.ID, tokenHash []byte) (bool, error)
}

// AuditStore reads the audit log, newest first.
type AuditStore interface {
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
