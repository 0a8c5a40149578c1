package api

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

// The session cookie and the header that carries its CSRF token.
const (
	sessionCookie = "onemap_session"
	csrfHeader    = "X-CSRF-Token"
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
			if !ok {
				tok = ""
			}
			key := "t" + string(access.HashToken(tok))
			e, gen, ok := s.creds.get(key)
			if !ok {
				var err error
				if e.p, err = s.Access.AuthenticateToken(ctx, tok, addr); err != nil {
					return err
				}
				s.creds.put(key, gen, e.p, "")
			}
			p = e.p
			p.Address = addr
		} else if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			key := "s" + string(access.HashToken(ck.Value))
			e, gen, ok := s.creds.get(key)
			if !ok {
				sp, csrf, err := s.Access.AuthenticateSession(ctx, ck.Value, addr)
				if geo.KindOf(err) == geo.KindUnauthorized {
					s.clearSessionCookie(c)
					c.Set("session_ended", true)
				} else if err != nil {
					return err
				} else {
					e, ok = credEntry{p: sp, csrf: csrf}, true
					s.creds.put(key, gen, sp, csrf)
				}
			}
			if ok {
				p = e.p
				p.Address = addr
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
	Authenticated bool         `json:"authenticated"`
	User          *access.User `json:"user,omitempty"`
	CSRF          string       `json:"csrf,omitempty"`
	Via           string       `json:"via,omitempty"`
	// Sees lists the sensitive groups the principal may see, so that the
	// web app offers what needs them (the leader filter) only to those
	// who may use it.
	Sees []geo.Sensitive `json:"sees,omitempty"`
}

// sees lists the sensitive groups p may see.
func sees(p geo.Principal) []geo.Sensitive {
	out := []geo.Sensitive{}
	for _, g := range geo.SensitiveGroups() {
		if p.Sees(g) {
			out = append(out, g)
		}
	}
	return out
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	in := access.Login{Username: req.Username, Password: req.Password, Address: c.RealIP()}
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		in.Previous = ck.Value
		s.creds.forget("s" + string(access.HashToken(ck.Value)))
	}
	sess, err := s.Access.Login(c.Request().Context(), in)
	if geo.KindOf(err) == geo.KindUnauthorized {
		s.log.Info("login failed", "user", in.Username, "address", in.Address)
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(c, sess.Token, sess.Expires)
	s.log.Info("login", "user", sess.User.Username, "address", in.Address)
	return c.JSON(http.StatusOK, sessionInfo{Authenticated: true, User: &sess.User, CSRF: sess.CSRF, Via: "session",
		Sees: sees(sess.User.Principal(in.Address))})
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		s.creds.forget("s" + string(access.HashToken(ck.Value)))
		if err := s.Access.Logout(c.Request().Context(), ck.Value); err != nil {
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
	u, err := s.Access.User(c.Request().Context(), p.UserID)
	if err != nil {
		return err
	}
	u.Roles = p.Roles
	info := sessionInfo{Authenticated: true, User: &u, Via: "token", Sees: sees(p)}
	if p.Kind == geo.UserSession {
		info.CSRF, _ = c.Get("csrf").(string)
		info.Via = "session"
	}
	return c.JSON(http.StatusOK, info)
}
