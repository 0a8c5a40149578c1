package geo

import (
	"slices"
	"strconv"
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

// Readers lists the roles that may see the sensitive group s (and filter
// by its fields).
func Readers(s Sensitive) []Role {
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
	UserID      ID
	Username    string
	DisplayName string
	Roles       []Role
	DistrictID  ID     // a district user's district
	Address     string // the client's address
	// Share is the scope of a share link.
	Share *ShareScope
}

// ShareScope is what a share link shows: the chosen parcels and parks and
// their chosen fields.
type ShareScope struct {
	LinkID    ID
	ParcelIDs []ID
	ParkIDs   []ID
	Fields    []string
	// AroundParkIDs are the parks that hold the shared parcels, other
	// than the shared parks: the link shows their outline and name only.
	AroundParkIDs []ID
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
	return p.Share == nil && p.Has(Readers(s)...)
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
