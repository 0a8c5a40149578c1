package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/auth"
	"github.com/luohe/onemap/geo"
)

// Accounts is what the API needs of the account store.
type Accounts interface {
	UserByName(ctx context.Context, username string) (geo.User, string, error)
	User(ctx context.Context, id int) (geo.User, error)
	Users(ctx context.Context) ([]geo.User, error)
	CreateUser(ctx context.Context, by geo.Principal, u geo.User, hash string) (geo.User, error)
	UpdateUser(ctx context.Context, by geo.Principal, u geo.User) (geo.User, error)
	SetPassword(ctx context.Context, by geo.Principal, userID int, hash string, isDefault bool) error
	LoginFailures(ctx context.Context, username, address string, since time.Time) (byUser, byAddress int, err error)
	RecordLoginFailure(ctx context.Context, username, address string) error
	CreateSession(ctx context.Context, userID int, tokenHash []byte, csrf, address string, expires time.Time) error
	SessionPrincipal(ctx context.Context, tokenHash []byte, idle time.Duration) (geo.User, string, error)
	RevokeSession(ctx context.Context, tokenHash []byte) error
	CreateToken(ctx context.Context, by geo.Principal, name string, roles []geo.Role, hash []byte, expires *time.Time) (geo.Token, error)
	Tokens(ctx context.Context, userID int) ([]geo.Token, error)
	RevokeToken(ctx context.Context, by geo.Principal, id int) error
	TokenPrincipal(ctx context.Context, hash []byte) (geo.User, error)
	Audit(ctx context.Context, f geo.AuditFilter) ([]geo.AuditEntry, error)
}

// Session settings.
const (
	sessionCookie   = "onemap_session"
	sessionLifetime = 12 * time.Hour
	sessionIdle     = 2 * time.Hour
	csrfHeader      = "X-CSRF-Token"
	tokenPrefix     = "om_"
	// Login throttling: failures within the window, per account and per
	// address.
	throttleWindow     = 15 * time.Minute
	throttlePerUser    = 5
	throttlePerAddress = 20
)

// principal returns who makes the request.
func principal(c echo.Context) geo.Principal {
	p, _ := c.Get("principal").(geo.Principal)
	return p
}

// authenticate finds the request's principal: an API token (Bearer), a
// session cookie, or nobody. A bad or ended credential is refused.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		addr := c.RealIP()
		p := geo.Principal{Kind: geo.Anonymous, Address: addr}
		if h := c.Request().Header.Get("Authorization"); h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || !strings.HasPrefix(tok, tokenPrefix) {
				return geo.Errorf(geo.KindUnauthorized, "bad_token", "API 令牌格式无效", "malformed API token")
			}
			hash := auth.HashToken(tok)
			key := "t" + string(hash)
			e, ok := s.creds.get(key)
			if !ok {
				u, err := s.Accounts.TokenPrincipal(ctx, hash)
				if err != nil {
					return err
				}
				e.user = u
				s.creds.put(key, u, "")
			}
			p = e.user.Principal(addr)
			p.Kind = geo.APIToken
		} else if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			hash := auth.HashToken(ck.Value)
			key := "s" + string(hash)
			e, ok := s.creds.get(key)
			if !ok {
				u, csrf, err := s.Accounts.SessionPrincipal(ctx, hash, sessionIdle)
				if geo.KindOf(err) == geo.KindUnauthorized {
					s.clearSessionCookie(c)
					c.Set("session_ended", true)
				} else if err != nil {
					return err
				} else {
					e, ok = credEntry{user: u, csrf: csrf}, true
					s.creds.put(key, u, csrf)
				}
			}
			if ok {
				p = e.user.Principal(addr)
				c.Set("csrf", e.csrf)
			}
		}
		c.Set("principal", p)
		return next(c)
	}
}

// authorize checks the request against the policy: the route's rule, and
// for a state-changing request made with a session cookie, the CSRF token
// and the origin.
func (s *Server) authorize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		rule, ok := s.policy[c.Request().Method+" "+c.Path()]
		if !ok {
			s.log.Error("route without a policy entry", "method", c.Request().Method, "path", c.Path())
			return geo.Errorf(geo.KindForbidden, "forbidden", "无权访问", "forbidden")
		}
		p := principal(c)
		if err := rule.allows(p); err != nil {
			if p.Kind == geo.Anonymous && c.Get("session_ended") == true {
				return geo.Errorf(geo.KindUnauthorized, "session_expired", "登录已过期，请重新登录", "session expired or ended; log in again")
			}
			return err
		}
		if unsafeMethod(c.Request().Method) {
			if err := s.checkOrigin(c); err != nil {
				return err
			}
			if p.Kind == geo.UserSession {
				want, _ := c.Get("csrf").(string)
				got := c.Request().Header.Get(csrfHeader)
				if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
					return geo.Errorf(geo.KindForbidden, "csrf", "请求缺少有效的 CSRF 令牌，请刷新页面", "missing or wrong CSRF token; reload the page")
				}
			}
		}
		return next(c)
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkOrigin refuses a state-changing request sent by a page of another
// site (the browser says so in Origin or Sec-Fetch-Site).
func (s *Server) checkOrigin(c echo.Context) error {
	h := c.Request().Header
	if site := h.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return geo.Errorf(geo.KindForbidden, "cross_origin", "拒绝来自其他网站的请求", "cross-origin request refused")
	}
	if o := h.Get("Origin"); o != "" && o != origin(c) {
		return geo.Errorf(geo.KindForbidden, "cross_origin", "拒绝来自其他网站的请求", "cross-origin request refused")
	}
	return nil
}

func (s *Server) setSessionCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionInfo is the answer of login and GET /api/session.
type sessionInfo struct {
	Authenticated bool      `json:"authenticated"`
	User          *geo.User `json:"user,omitempty"`
	CSRF          string    `json:"csrf,omitempty"`
	Via           string    `json:"via,omitempty"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	addr := c.RealIP()
	req.Username = strings.TrimSpace(req.Username)
	if req.Username == "" || req.Password == "" || len(req.Username) > 64 || len(req.Password) > 256 {
		return geo.Invalid("bad_login", "请输入用户名和密码", "user name and password are required")
	}
	byUser, byAddr, err := s.Accounts.LoginFailures(ctx, req.Username, addr, time.Now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if byUser >= throttlePerUser || byAddr >= throttlePerAddress {
		c.Response().Header().Set("Retry-After", "900")
		return geo.Errorf(geo.KindTooMany, "throttled", "登录失败次数过多，请 15 分钟后再试", "too many failed logins; try again in 15 minutes")
	}
	u, hash, err := s.Accounts.UserByName(ctx, req.Username)
	ok := false
	switch geo.KindOf(err) {
	case geo.KindNotFound:
		// Spend the same time as a real check, so timing tells nothing.
		_, _ = auth.VerifyPassword(s.dummyHash, req.Password)
	case geo.KindInternal:
		if err != nil {
			return err
		}
		if ok, err = auth.VerifyPassword(hash, req.Password); err != nil {
			return err
		}
	}
	if !ok || u.Disabled {
		if err := s.Accounts.RecordLoginFailure(ctx, req.Username, addr); err != nil {
			return err
		}
		s.log.Info("login failed", "user", req.Username, "address", addr)
		return geo.Errorf(geo.KindUnauthorized, "bad_credentials", "用户名或密码错误", "wrong user name or password")
	}
	// A new session every time: a token planted before login is never
	// promoted (session fixation), and the old session ends.
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.Accounts.RevokeSession(ctx, auth.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	token, hashed, err := auth.NewToken("")
	if err != nil {
		return err
	}
	csrf, _, err := auth.NewToken("")
	if err != nil {
		return err
	}
	expires := time.Now().Add(sessionLifetime)
	if err := s.Accounts.CreateSession(ctx, u.ID, hashed, csrf, addr, expires); err != nil {
		return err
	}
	s.setSessionCookie(c, token, expires)
	s.log.Info("login", "user", u.Username, "address", addr)
	return c.JSON(http.StatusOK, sessionInfo{Authenticated: true, User: &u, CSRF: csrf, Via: "session"})
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		s.creds.forget("s" + string(auth.HashToken(ck.Value)))
		if err := s.Accounts.RevokeSession(c.Request().Context(), auth.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) session(c echo.Context) error {
	p := principal(c)
	if p.Kind == geo.Anonymous {
		return c.JSON(http.StatusOK, sessionInfo{})
	}
	u, err := s.Accounts.User(c.Request().Context(), p.UserID)
	if err != nil {
		return err
	}
	u.Roles = p.Roles
	info := sessionInfo{Authenticated: true, User: &u, Via: "token"}
	if p.Kind == geo.UserSession {
		info.CSRF, _ = c.Get("csrf").(string)
		info.Via = "session"
	}
	return c.JSON(http.StatusOK, info)
}
