// Package access owns who may come in: accounts and their rules, sessions
// (login with throttling, logout, CSRF tokens), API tokens scoped to their
// holder's roles, share links that show chosen parcels and parks to a firm,
// and the reading of the audit log. Credentials are argon2id password
// hashes and random tokens stored only as their SHA-256 (secret.go).
//
// The Service holds the rules; the stores it is built with (small
// interfaces defined here) keep the data, and the API and the command line
// both call the Service. Errors are geo's domain errors.
package access

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// User is an account.
type User struct {
	ID              geo.ID     `json:"id"`
	Username        string     `json:"username"`
	DisplayName     string     `json:"display_name"`
	Roles           []geo.Role `json:"roles"`
	DistrictID      geo.ID     `json:"district_id,omitempty"`
	Disabled        bool       `json:"disabled"`
	DefaultPassword bool       `json:"default_password"`
	CreatedAt       time.Time  `json:"created_at"`
}

// Principal returns the principal of a user's session.
func (u User) Principal(address string) geo.Principal {
	return geo.Principal{Kind: geo.UserSession, UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		Roles: u.Roles, DistrictID: u.DistrictID, Address: address}
}

// Check checks a new or changed account: KindInvalid with what is wrong
// (a district id out of the districts' range is "unknown_district"; the
// store finds one that does not exist).
func (u User) Check() error {
	switch {
	case !validUsername(u.Username):
		return geo.Invalid("bad_username", "用户名需为 2–32 位小写字母、数字或 . _ -，以字母或数字开头",
			"a user name has 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	case u.DisplayName == "" || utf8.RuneCountInString(u.DisplayName) > 64:
		return geo.Invalid("bad_display_name", "姓名不能为空且不超过 64 个字", "a display name has 1 to 64 characters")
	case len(u.Roles) == 0:
		return geo.Invalid("bad_roles", "至少需要一个角色", "at least one role is needed")
	case u.DistrictID < 0 || u.DistrictID > geo.MaxDistrictID:
		return unknownDistrict(u.DistrictID)
	case slices.Contains(u.Roles, geo.RoleDistrict) != (u.DistrictID > 0):
		return geo.Invalid("bad_district", "县区用户必须且只能属于一个县区", "a district user belongs to exactly one district, and only they do")
	}
	return nil
}

// unknownDistrict is the error of an account's district that does not
// exist: out of the districts' id range here, not in the table in the
// store.
func unknownDistrict(id geo.ID) error {
	return geo.Invalid("unknown_district", "县区不存在：%d", "no district %d", id)
}

func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for i, c := range s {
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// Token is an API token as listed (never the token itself).
type Token struct {
	ID         geo.ID     `json:"id"`
	UserID     geo.ID     `json:"user_id"`
	Name       string     `json:"name"`
	Roles      []string   `json:"roles"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// Share is a share link: chosen parcels and parks with chosen fields, for
// a firm, until it expires or is revoked.
type Share struct {
	ID          geo.ID     `json:"id"`
	Title       string     `json:"title"`
	CreatedBy   string     `json:"created_by"`
	ParcelIDs   []geo.ID   `json:"parcel_ids"`
	ParkIDs     []geo.ID   `json:"park_ids"`
	Fields      []string   `json:"fields"`
	HasPassword bool       `json:"has_password"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
	Opens       int        `json:"opens"`

	// ConfirmUnofferedPrices: its maker confirmed that it shows the
	// prices of parcels not on offer, which are sensitive.
	ConfirmUnofferedPrices bool `json:"confirm_unoffered_prices"`

	// AroundParkIDs are the parks that hold its parcels, other than its
	// parks, shown as outline and name around them (geo.ShareScope).
	AroundParkIDs []geo.ID `json:"-"`
}

// Scope returns what the share link shows.
func (s Share) Scope() *geo.ShareScope {
	return &geo.ShareScope{LinkID: s.ID, ParcelIDs: s.ParcelIDs, ParkIDs: s.ParkIDs, Fields: s.Fields, AroundParkIDs: s.AroundParkIDs}
}

// Principal returns the principal of a visitor of the share link.
func (s Share) Principal(address string) geo.Principal {
	return geo.Principal{Kind: geo.ShareLink, Share: s.Scope(), Address: address}
}

// ShareOpen is one opening of a share link.
type ShareOpen struct {
	At        time.Time `json:"at"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Address *string   `json:"address"`
	Table   string    `json:"table"`
	RowID   *string   `json:"row_id"`
	Action  string    `json:"action"`
	Before  any       `json:"before"`
	After   any       `json:"after"`
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Actor    string
	Table    string
	From, To time.Time
	Limit    int
}
