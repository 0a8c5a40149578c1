package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/auth"
	"github.com/luohe/onemap/geo"
)

func (s *Server) users(c echo.Context) error {
	us, err := s.Accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"users": us})
}

type userRequest struct {
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Password    string   `json:"password"`
	Roles       []string `json:"roles"`
	DistrictID  int      `json:"district_id"`
	Disabled    *bool    `json:"disabled"`
}

func (s *Server) createUser(c echo.Context) error {
	var req userRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	rs, err := geo.ParseRoles(req.Roles)
	if err != nil {
		return err
	}
	if err := auth.CheckPassword(req.Password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		return err
	}
	u, err := s.Accounts.CreateUser(c.Request().Context(), principal(c), geo.User{
		Username: strings.TrimSpace(req.Username), DisplayName: strings.TrimSpace(req.DisplayName), Roles: rs, DistrictID: req.DistrictID,
	}, hash)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) updateUser(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req userRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Username != "" || req.Password != "" {
		return geo.Invalid("bad_field", "用户名不能修改；密码请用修改密码接口", "the user name cannot change; set passwords with the password endpoint")
	}
	ctx := c.Request().Context()
	u, err := s.Accounts.User(ctx, id)
	if err != nil {
		return err
	}
	if req.DisplayName != "" {
		u.DisplayName = strings.TrimSpace(req.DisplayName)
	}
	if req.Roles != nil {
		if u.Roles, err = geo.ParseRoles(req.Roles); err != nil {
			return err
		}
		if !slices.Contains(u.Roles, geo.RoleDistrict) {
			u.DistrictID = 0
		}
	}
	if req.DistrictID != 0 {
		u.DistrictID = req.DistrictID
	}
	if req.Disabled != nil {
		if *req.Disabled && id == principal(c).UserID {
			return geo.Invalid("self_disable", "不能停用自己的账号", "you cannot disable your own account")
		}
		u.Disabled = *req.Disabled
	}
	if u, err = s.Accounts.UpdateUser(ctx, principal(c), u); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

type passwordRequest struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

// setPassword is an admin setting another user's password.
func (s *Server) setPassword(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req passwordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	return s.changePassword(c, id, req.Password)
}

// setMyPassword is a user changing their own password, which needs the
// current one.
func (s *Server) setMyPassword(c echo.Context) error {
	var req passwordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p := principal(c)
	_, hash, err := s.Accounts.UserByName(c.Request().Context(), p.Username)
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(hash, req.Current); err != nil || !ok {
		if err != nil {
			return err
		}
		return geo.Invalid("bad_credentials", "当前密码错误", "the current password is wrong")
	}
	return s.changePassword(c, p.UserID, req.Password)
}

func (s *Server) changePassword(c echo.Context, id int, password string) error {
	if err := auth.CheckPassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.Accounts.SetPassword(c.Request().Context(), principal(c), id, hash, false); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type tokenRequest struct {
	Name      string   `json:"name"`
	Roles     []string `json:"roles"`
	ExpiresIn int      `json:"expires_in_days"`
}

func (s *Server) tokens(c echo.Context) error {
	ts, err := s.Accounts.Tokens(c.Request().Context(), principal(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": ts})
}

// createToken makes an API token for the signed-in user, scoped to some of
// their roles; the token is shown in this answer only.
func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p := principal(c)
	name := strings.TrimSpace(req.Name)
	if name == "" || len([]rune(name)) > 64 {
		return geo.Invalid("bad_name", "令牌名称需为 1–64 个字", "a token name has 1 to 64 characters")
	}
	rs := p.Roles
	if req.Roles != nil {
		var err error
		if rs, err = geo.ParseRoles(req.Roles); err != nil {
			return err
		}
		for _, r := range rs {
			if !p.Has(r) {
				return geo.Errorf(geo.KindForbidden, "forbidden", "不能授予自己没有的角色：%s", "you cannot grant a role you do not hold: %s", r)
			}
		}
	}
	if req.ExpiresIn < 0 || req.ExpiresIn > 3650 {
		return geo.Invalid("bad_expiry", "有效期需为 0–3650 天（0 为不过期）", "expiry must be 0 to 3650 days (0: never)")
	}
	var expires *time.Time
	if req.ExpiresIn > 0 {
		t := time.Now().AddDate(0, 0, req.ExpiresIn)
		expires = &t
	}
	token, hash, err := auth.NewToken(tokenPrefix)
	if err != nil {
		return err
	}
	t, err := s.Accounts.CreateToken(c.Request().Context(), p, name, rs, hash, expires)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"token": token, "info": t})
}

func (s *Server) revokeToken(c echo.Context) error {
	return revoke(c, s.Accounts.RevokeToken)
}

// revoke answers a DELETE of the thing with the path's id.
func revoke(c echo.Context, fn func(ctx context.Context, by geo.Principal, id int) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := fn(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) audit(c echo.Context) error {
	q := c.QueryParams()
	for k := range q {
		if !slices.Contains([]string{"user", "table", "from", "to", "limit"}, k) {
			return geo.Invalid("unknown_parameter", "未知参数：%q", "unknown parameter %q", k)
		}
	}
	f := geo.AuditFilter{Actor: q.Get("user"), Table: q.Get("table")}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(t.name); v != "" {
			d, err := parseTime(v)
			if err != nil {
				return geo.Invalid("bad_time", "时间参数 %s 无效（格式 2026-01-31 或 RFC 3339）", "invalid time %s (2026-01-31 or RFC 3339)", t.name)
			}
			*t.dst = d
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := parsePositive(v, 1000)
		if err != nil {
			return geo.Invalid("bad_limit", "limit 需为 1–1000", "limit must be 1 to 1000")
		}
		f.Limit = n
	}
	es, err := s.Accounts.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": es})
}

func parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", v, time.Local)
}
