package access

import (
	"context"
	"slices"
	"strings"

	"github.com/luohe/onemap/geo"
)

// User returns an account; KindNotFound if there is none.
func (s *Service) User(ctx context.Context, id geo.ID) (User, error) {
	return s.st.Users.User(ctx, id)
}

// UserByName returns the account with a user name; KindNotFound if there
// is none.
func (s *Service) UserByName(ctx context.Context, username string) (User, error) {
	u, _, err := s.st.Users.UserByName(ctx, username)
	return u, err
}

// Users lists the accounts.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	return s.st.Users.Users(ctx)
}

// DefaultPasswordUsers lists the names of the enabled accounts that still
// have a published default password.
func (s *Service) DefaultPasswordUsers(ctx context.Context) ([]string, error) {
	return s.st.Users.DefaultPasswordUsers(ctx)
}

// NewUser is an account to make.
type NewUser struct {
	Username    string
	DisplayName string
	Password    string
	Roles       []string
	DistrictID  geo.ID // a district user's district
	// DefaultPassword marks a published password (the demo accounts'),
	// which a production start refuses.
	DefaultPassword bool
}

// CreateUser makes an account, made by principal by. KindInvalid for bad
// roles, a bad account (User.Check) or a weak password, KindConflict if
// the user name is taken.
func (s *Service) CreateUser(ctx context.Context, by geo.Principal, nu NewUser) (User, error) {
	rs, err := geo.ParseRoles(nu.Roles)
	if err != nil {
		return User{}, err
	}
	u := User{Username: strings.TrimSpace(nu.Username), DisplayName: strings.TrimSpace(nu.DisplayName), Roles: rs,
		DistrictID: nu.DistrictID, DefaultPassword: nu.DefaultPassword}
	if err := u.Check(); err != nil {
		return User{}, err
	}
	if err := checkPassword(nu.Password); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, nu.Password)
	if err != nil {
		return User{}, err
	}
	return s.st.Users.CreateUser(ctx, by, u, hash)
}

// UserChange is a change to an account; zero fields stay as they are.
type UserChange struct {
	DisplayName string
	// Roles replace the account's roles; without the district role the
	// account leaves its district.
	Roles      []string
	DistrictID geo.ID
	Disabled   *bool
}

// UpdateUser changes an account, by principal by; disabling it ends its
// sessions and tokens. KindNotFound if there is none, KindInvalid for bad
// roles, a bad account (User.Check) or principal by disabling their own
// account.
func (s *Service) UpdateUser(ctx context.Context, by geo.Principal, id geo.ID, ch UserChange) (User, error) {
	u, err := s.st.Users.User(ctx, id)
	if err != nil {
		return User{}, err
	}
	if ch.DisplayName != "" {
		u.DisplayName = strings.TrimSpace(ch.DisplayName)
	}
	if ch.Roles != nil {
		if u.Roles, err = geo.ParseRoles(ch.Roles); err != nil {
			return User{}, err
		}
		if !slices.Contains(u.Roles, geo.RoleDistrict) {
			u.DistrictID = 0
		}
	}
	if ch.DistrictID != 0 {
		u.DistrictID = ch.DistrictID
	}
	if ch.Disabled != nil {
		if *ch.Disabled && id == by.UserID {
			return User{}, geo.Invalid("self_disable", "不能停用自己的账号", "you cannot disable your own account")
		}
		u.Disabled = *ch.Disabled
	}
	if err := u.Check(); err != nil {
		return User{}, err
	}
	return s.st.Users.UpdateUser(ctx, by, u)
}

// SetPassword sets an account's password, by principal by (an admin, or
// the command line), and ends the account's sessions and tokens.
// KindInvalid for a weak password, KindNotFound if there is no account.
func (s *Service) SetPassword(ctx context.Context, by geo.Principal, id geo.ID, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.st.Users.SetPassword(ctx, by, id, hash, false)
}

// ChangeOwnPassword is principal by changing their own password, which
// needs the current one (KindInvalid "bad_credentials" if it is wrong);
// see SetPassword.
func (s *Service) ChangeOwnPassword(ctx context.Context, by geo.Principal, current, password string) error {
	_, hash, err := s.st.Users.UserByName(ctx, by.Username)
	if err != nil {
		return err
	}
	ok, err := s.verify(ctx, hash, current)
	if err != nil {
		return err
	}
	if !ok {
		return geo.Invalid("bad_credentials", "当前密码错误", "the current password is wrong")
	}
	return s.SetPassword(ctx, by, by.UserID, password)
}
