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

// The kinds of attempts at a password, each counted apart.
const (
	LoginAttempt  = "login" // keyed by user name
	UnlockAttempt = "share" // of a share link, keyed by the link
)

// Attempt is an attempt at a password, counted before the password is
// checked.
type Attempt struct {
	Kind    string // LoginAttempt or UnlockAttempt
	Key     string // a user name, or a share link's
	Address string
	// Since is when the throttle window began; within it, the key may
	// have PerKey attempts of the kind and the address PerAddress.
	Since      time.Time
	PerKey     int
	PerAddress int
}

// FailureStore counts the attempts at a password by kind, key and
// address: an attempt counts from before its password is checked until
// it is forgotten, so that those that stay are the failures and those
// still being checked.
type FailureStore interface {
	// Attempt records an attempt, unless its key or its address already
	// has its limit of attempts of the kind since a.Since: then it
	// records nothing and returns false. Counting and recording are one
	// step, so that concurrent attempts cannot pass a limit together.
	Attempt(ctx context.Context, a Attempt) (id int64, ok bool, err error)
	// ForgetAttempt removes an attempt that did not fail.
	ForgetAttempt(ctx context.Context, id int64) error
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
	// ParcelSupply returns the supply status of those of the parcels
	// that exist.
	ParcelSupply(ctx context.Context, ids []geo.ID) (map[geo.ID]string, error)
	UnlockShare(ctx context.Context, linkID geo.ID, tokenHash []byte, expires time.Time) error
	ShareUnlocked(ctx context.Context, linkID geo.ID, tokenHash []byte) (bool, error)
}

// AuditStore reads the audit log, newest first.
type AuditStore interface {
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
