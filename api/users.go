package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

func (s *Server) users(c echo.Context) error {
	us, err := s.Access.Users(c.Request().Context())
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
	DistrictID  geo.ID   `json:"district_id"`
	Disabled    *bool    `json:"disabled"`
}

func (s *Server) createUser(c echo.Context) error {
	var req userRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.Access.CreateUser(c.Request().Context(), principal(c), access.NewUser{
		Username: req.Username, DisplayName: req.DisplayName, Password: req.Password, Roles: req.Roles, DistrictID: req.DistrictID,
	})
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
	u, err := s.Access.UpdateUser(c.Request().Context(), principal(c), id, access.UserChange{
		DisplayName: req.DisplayName, Roles: req.Roles, DistrictID: req.DistrictID, Disabled: req.Disabled,
	})
	if err != nil {
		return err
	}
	// The change holds from this answer on, here; other servers hear of
	// it from the database (see credCache).
	s.ForgetCredentials()
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
	if err := s.Access.SetPassword(c.Request().Context(), principal(c), id, req.Password); err != nil {
		return err
	}
	s.ForgetCredentials()
	return c.NoContent(http.StatusNoContent)
}

// setMyPassword is a user changing their own password, which needs the
// current one.
func (s *Server) setMyPassword(c echo.Context) error {
	var req passwordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.Access.ChangeOwnPassword(c.Request().Context(), principal(c), req.Current, req.Password); err != nil {
		return err
	}
	s.ForgetCredentials()
	return c.NoContent(http.StatusNoContent)
}

type tokenRequest struct {
	Name      string   `json:"name"`
	Roles     []string `json:"roles"`
	ExpiresIn int      `json:"expires_in_days"`
}

func (s *Server) tokens(c echo.Context) error {
	ts, err := s.Access.Tokens(c.Request().Context(), principal(c))
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
	token, t, err := s.Access.CreateToken(c.Request().Context(), principal(c), access.NewToken{
		Name: req.Name, Roles: req.Roles, ExpiresInDays: req.ExpiresIn,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"token": token, "info": t})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.Access.RevokeToken(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	s.ForgetCredentials()
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) audit(c echo.Context) error {
	q := c.QueryParams()
	for k := range q {
		if !slices.Contains([]string{"user", "table", "from", "to", "limit"}, k) {
			return geo.Invalid("unknown_parameter", "未知参数：%q", "unknown parameter %q", k)
		}
	}
	f := access.AuditFilter{Actor: q.Get("user"), Table: q.Get("table")}
	for _, t := range []struct {
		name string
		dst  *time.Time
		days int // added to a date: "to" a day includes the day
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := q.Get(t.name); v != "" {
			d, err := parseTime(v, t.days)
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
	es, err := s.Access.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": es, "tables": s.Access.AuditTables()})
}

// parseTime parses an RFC 3339 time, or a date (the start of the day in
// the city, days later).
func parseTime(v string, days int) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, geo.CityZone())
	return d.AddDate(0, 0, days), err
}
