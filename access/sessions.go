package access

import (
	"context"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
)

// Login is an attempt to sign in.
type Login struct {
	Username string
	Password string
	Address  string // the client's, for throttling
	// Previous is the session token the client already holds, if any: it
	// ends, and is never promoted (session fixation).
	Previous string
}

// Session is a new session: the token for the client's cookie, the CSRF
// token its pages send back, when it ends at the latest, and whose it is.
type Session struct {
	Token   string
	CSRF    string
	Expires time.Time
	User    User
}

// Login checks a user's password and starts a session. KindInvalid
// without a user name or password, KindTooMany after too many attempts
// (at the account, or from the address) within the throttle window,
// KindUnavailable if the server is too busy to check the password now,
// KindUnauthorized for an unknown user, a wrong password or a disabled
// account alike: each stays counted as a failure, and an unknown user
// costs the time of a real check, so that timing tells nothing.
func (s *Service) Login(ctx context.Context, in Login) (Session, error) {
	username := strings.TrimSpace(in.Username)
	if username == "" || in.Password == "" || len(username) > 64 || len(in.Password) > 256 {
		return Session{}, geo.Invalid("bad_login", "请输入用户名和密码", "user name and password are required")
	}
	id, err := s.attempt(ctx, Attempt{Kind: LoginAttempt, Key: username, Address: in.Address,
		PerKey: s.set.ThrottlePerUser, PerAddress: s.set.ThrottlePerAddress},
		"登录失败次数过多，请 %d 分钟后再试", "too many failed logins; try again in %d minutes")
	if err != nil {
		return Session{}, err
	}
	u, ok, err := s.checkLogin(ctx, username, in.Password)
	if err == nil && (!ok || u.Disabled) {
		return Session{}, geo.Errorf(geo.KindUnauthorized, "bad_credentials", "用户名或密码错误", "wrong user name or password")
	}
	// Not a failure: the attempt no longer counts.
	if ferr := s.forget(ctx, id); err == nil {
		err = ferr
	}
	if err != nil {
		return Session{}, err
	}
	if in.Previous != "" {
		if err := s.st.Sessions.RevokeSession(ctx, HashToken(in.Previous)); err != nil {
			return Session{}, err
		}
	}
	token, hashed, err := randomToken("")
	if err != nil {
		return Session{}, err
	}
	csrf, _, err := randomToken("")
	if err != nil {
		return Session{}, err
	}
	expires := s.set.Now().Add(s.set.SessionLifetime)
	if err := s.st.Sessions.CreateSession(ctx, u.ID, hashed, csrf, in.Address, expires); err != nil {
		return Session{}, err
	}
	return Session{Token: token, CSRF: csrf, Expires: expires, User: u}, nil
}

// checkLogin returns the account of a user name and whether password is
// its password; false for an unknown user, after checking the password
// against a dummy hash.
func (s *Service) checkLogin(ctx context.Context, username, password string) (User, bool, error) {
	u, hash, err := s.st.Users.UserByName(ctx, username)
	if geo.KindOf(err) == geo.KindNotFound {
		_, err := s.verify(ctx, s.dummyHash, password)
		return User{}, false, err
	}
	if err != nil {
		return User{}, false, err
	}
	ok, err := s.verify(ctx, hash, password)
	return u, ok, err
}

// Logout ends the session of a token (none: nothing to end).
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.st.Sessions.RevokeSession(ctx, HashToken(token))
}

// AuthenticateSession returns the principal of a live session at address
// and its CSRF token; KindUnauthorized ("session_expired") for a session
// that is unknown, revoked, expired or idle too long, or of a disabled
// account.
func (s *Service) AuthenticateSession(ctx context.Context, token, address string) (geo.Principal, string, error) {
	if token == "" {
		return geo.Principal{}, "", sessionExpired()
	}
	u, csrf, err := s.st.Sessions.SessionUser(ctx, HashToken(token), s.set.SessionIdle)
	if geo.KindOf(err) == geo.KindNotFound {
		return geo.Principal{}, "", sessionExpired()
	}
	if err != nil {
		return geo.Principal{}, "", err
	}
	return u.Principal(address), csrf, nil
}

func sessionExpired() error {
	return geo.Errorf(geo.KindUnauthorized, "session_expired", "登录已过期，请重新登录", "session expired or ended; log in again")
}

// AuthenticateToken returns the principal of a live API token at address,
// with the token's roles that its user still holds; KindUnauthorized
// ("bad_token") for a malformed, unknown, expired or revoked token, or one
// of a disabled account.
func (s *Service) AuthenticateToken(ctx context.Context, token, address string) (geo.Principal, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) {
		return geo.Principal{}, geo.Errorf(geo.KindUnauthorized, "bad_token", "API 令牌格式无效", "malformed API token")
	}
	u, err := s.st.Tokens.TokenUser(ctx, HashToken(token))
	if geo.KindOf(err) == geo.KindNotFound || err == nil && len(u.Roles) == 0 {
		return geo.Principal{}, geo.Errorf(geo.KindUnauthorized, "bad_token", "API 令牌无效、已过期或已撤销", "API token invalid, expired or revoked")
	}
	if err != nil {
		return geo.Principal{}, err
	}
	p := u.Principal(address)
	p.Kind = geo.APIToken
	return p, nil
}
