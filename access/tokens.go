package access

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// maxTokenDays bounds an API token's lifetime in days.
const maxTokenDays = 3650

// NewToken is an API token to make.
type NewToken struct {
	Name string
	// Roles scope the token to some of its holder's roles; nil: all of
	// them.
	Roles []string
	// ExpiresInDays is the token's lifetime, 0 for none.
	ExpiresInDays int
}

// CreateToken makes an API token for principal by's account and returns
// it (the only time it is seen) with its listing. KindInvalid for a bad
// name, bad roles or a lifetime beyond 0 to 3650 days, KindForbidden for
// a role that by does not hold.
func (s *Service) CreateToken(ctx context.Context, by geo.Principal, nt NewToken) (string, Token, error) {
	name := strings.TrimSpace(nt.Name)
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return "", Token{}, geo.Invalid("bad_name", "令牌名称需为 1–64 个字", "a token name has 1 to 64 characters")
	}
	rs := by.Roles
	if nt.Roles != nil {
		var err error
		if rs, err = geo.ParseRoles(nt.Roles); err != nil {
			return "", Token{}, err
		}
		for _, r := range rs {
			if !by.Has(r) {
				return "", Token{}, geo.Errorf(geo.KindForbidden, "forbidden", "不能授予自己没有的角色：%s", "you cannot grant a role you do not hold: %s", r)
			}
		}
	}
	if nt.ExpiresInDays < 0 || nt.ExpiresInDays > maxTokenDays {
		return "", Token{}, geo.Invalid("bad_expiry", "有效期需为 0–%d 天（0 为不过期）", "expiry must be 0 to %d days (0: never)", maxTokenDays)
	}
	t := Token{UserID: by.UserID, Name: name, Roles: geo.RoleNames(rs)}
	if nt.ExpiresInDays > 0 {
		e := s.set.Now().AddDate(0, 0, nt.ExpiresInDays)
		t.ExpiresAt = &e
	}
	token, hash, err := randomToken(apiTokenPrefix)
	if err != nil {
		return "", Token{}, err
	}
	t, err = s.st.Tokens.CreateToken(ctx, by, t, hash)
	if err != nil {
		return "", Token{}, err
	}
	return token, t, nil
}

// Tokens lists principal by's API tokens.
func (s *Service) Tokens(ctx context.Context, by geo.Principal) ([]Token, error) {
	return s.st.Tokens.Tokens(ctx, by.UserID)
}

// RevokeToken revokes an API token of principal by (any user's for an
// admin); KindNotFound if there is no such token of theirs.
func (s *Service) RevokeToken(ctx context.Context, by geo.Principal, id geo.ID) error {
	return s.st.Tokens.RevokeToken(ctx, by, id)
}
