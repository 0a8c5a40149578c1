package geo

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Role is what a person may do; a user may hold several.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"      // users, settings, everything
	RoleLeader     Role = "leader"     // reads everything
	RoleLand       Role = "land"       // land bureau: land use, control lines, quotas, compliance
	RoleInvestment Role = "investment" // parks, parcels, firms, enclaves, share links
	RoleDistrict   Role = "district"   // one district's projects and monthly reports
	RoleViewer     Role = "viewer"     // the non-sensitive map
)

// Roles lists the roles with their names.
func Roles() []Label {
	return []Label{
		{string(RoleAdmin), "系统管理员", "Administrator"},
		{string(RoleLeader), "市领导", "City leader"},
		{string(RoleLand), "自然资源和规划局", "Land bureau"},
		{string(RoleInvestment), "招商部门", "Investment promotion"},
		{string(RoleDistrict), "县区", "District"},
		{string(RoleViewer), "浏览用户", "Viewer"},
	}
}

// ParseRoles checks a list of role names.
func ParseRoles(names []string) ([]Role, error) {
	if len(names) == 0 {
		return nil, Invalid("bad_roles", "至少需要一个角色", "at least one role is needed")
	}
	var out []Role
	for _, n := range names {
		if !Has(Roles(), n) {
			return nil, Invalid("bad_roles", "未知角色：%q", "unknown role %q", n)
		}
		if !slices.Contains(out, Role(n)) {
			out = append(out, Role(n))
		}
	}
	slices.Sort(out)
	return out, nil
}

// Sensitive groups of fields: data that only some roles may see.
type Sensitive string

// The sensitive groups.
const (
	SensitiveNone       Sensitive = ""
	SensitiveInvestment Sensitive = "investment_amounts" // projects' money
	SensitiveLeader     Sensitive = "leaders"            // leaders in charge
	SensitiveOwner      Sensitive = "owner_contacts"     // project owners' contacts
	SensitiveFirm       Sensitive = "firm_contacts"      // target firms' contacts
	SensitivePrice      Sensitive = "unoffered_prices"   // prices of parcels not on offer
)

// readers lists, for each sensitive group, the roles that may see it.
func readers(s Sensitive) []Role {
	switch s {
	case SensitiveInvestment:
		return []Role{RoleAdmin, RoleLeader, RoleDistrict, RoleInvestment}
	case SensitiveLeader:
		return []Role{RoleAdmin, RoleLeader, RoleDistrict, RoleLand, RoleInvestment}
	case SensitiveOwner:
		return []Role{RoleAdmin, RoleLeader, RoleDistrict}
	case SensitiveFirm:
		return []Role{RoleAdmin, RoleLeader, RoleInvestment}
	case SensitivePrice:
		return []Role{RoleAdmin, RoleLeader, RoleLand, RoleInvestment}
	}
	return nil
}

// SensitiveGroups lists every sensitive group.
func SensitiveGroups() []Sensitive {
	return []Sensitive{SensitiveInvestment, SensitiveLeader, SensitiveOwner, SensitiveFirm, SensitivePrice}
}

// OfferedSupply reports whether a parcel's supply status puts it on offer,
// so that its price is public.
func OfferedSupply(status string) bool { return status == "ready" || status == "reserved" }

// PrincipalKind tells how a request was authenticated.
type PrincipalKind int

// The principal kinds.
const (
	Anonymous PrincipalKind = iota
	UserSession
	APIToken
	ShareLink
)

// Principal is who makes a request, and what they may do.
type Principal struct {
	Kind        PrincipalKind
	UserID      int
	Username    string
	DisplayName string
	Roles       []Role
	DistrictID  int    // a district user's district
	Address     string // the client's address
	// Share is the scope of a share link.
	Share *ShareScope
}

// ShareScope is what a share link shows: the chosen parcels and parks and
// their chosen fields.
type ShareScope struct {
	LinkID    int
	ParcelIDs []int64
	ParkIDs   []int64
	Fields    []string
}

// Has reports whether the principal holds any of roles.
func (p Principal) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(p.Roles, r) {
			return true
		}
	}
	return false
}

// Sees reports whether the principal may see the sensitive group s.
func (p Principal) Sees(s Sensitive) bool {
	if s == SensitiveNone {
		return true
	}
	return p.Share == nil && p.Has(readers(s)...)
}

// AppendVisibility appends to b the name of the principal's class of field
// visibility: principals of one class see the same fields, so they may
// share cached tiles. It appends, not returns, because it is part of every
// tile request's cache key.
func (p Principal) AppendVisibility(b []byte) []byte {
	if p.Share != nil {
		return strconv.AppendInt(append(b, "share"...), int64(p.Share.LinkID), 10)
	}
	b = append(b, 'v')
	for i, s := range SensitiveGroups() {
		if p.Sees(s) {
			b = strconv.AppendInt(b, int64(i), 10)
		}
	}
	if p.Has(RoleDistrict) && !p.Has(RoleAdmin, RoleLeader, RoleLand, RoleInvestment, RoleViewer) {
		// A district user sees only their district's projects.
		b = strconv.AppendInt(append(b, 'd'), int64(p.DistrictID), 10)
	}
	return b
}

// RoleNames returns roles as strings.
func RoleNames(roles []Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// User is an account.
type User struct {
	ID              int       `json:"id"`
	Username        string    `json:"username"`
	DisplayName     string    `json:"display_name"`
	Roles           []Role    `json:"roles"`
	DistrictID      int       `json:"district_id,omitempty"`
	Disabled        bool      `json:"disabled"`
	DefaultPassword bool      `json:"default_password"`
	CreatedAt       time.Time `json:"created_at"`
}

// Principal returns the principal of a user's session.
func (u User) Principal(address string) Principal {
	return Principal{Kind: UserSession, UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		Roles: u.Roles, DistrictID: u.DistrictID, Address: address}
}

// Check checks a new or changed account.
func (u User) Check() error {
	switch {
	case !validUsername(u.Username):
		return Invalid("bad_username", "用户名需为 2–32 位小写字母、数字或 . _ -，以字母或数字开头",
			"a user name has 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	case u.DisplayName == "" || utf8.RuneCountInString(u.DisplayName) > 64:
		return Invalid("bad_display_name", "姓名不能为空且不超过 64 个字", "a display name has 1 to 64 characters")
	case len(u.Roles) == 0:
		return Invalid("bad_roles", "至少需要一个角色", "at least one role is needed")
	case slices.Contains(u.Roles, RoleDistrict) != (u.DistrictID > 0):
		return Invalid("bad_district", "县区用户必须且只能属于一个县区", "a district user belongs to exactly one district, and only they do")
	}
	return nil
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
	ID         int        `json:"id"`
	UserID     int        `json:"user_id"`
	Name       string     `json:"name"`
	Roles      []string   `json:"roles"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
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

// Share is a share link: chosen parcels and parks with chosen fields, for
// a firm, until it expires or is revoked.
type Share struct {
	ID          int        `json:"id"`
	Title       string     `json:"title"`
	CreatedBy   string     `json:"created_by"`
	ParcelIDs   []int64    `json:"parcel_ids"`
	ParkIDs     []int64    `json:"park_ids"`
	Fields      []string   `json:"fields"`
	HasPassword bool       `json:"has_password"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
	Opens       int        `json:"opens"`
}

// ShareOpen is one opening of a share link.
type ShareOpen struct {
	At        time.Time `json:"at"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
}

// Scope returns what the share link shows.
func (s Share) Scope() *ShareScope {
	return &ShareScope{LinkID: s.ID, ParcelIDs: s.ParcelIDs, ParkIDs: s.ParkIDs, Fields: s.Fields}
}
