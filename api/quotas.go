package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
)

// quotas answers GET /api/quotas?year=: every district's construction-
// land quota of the year (this year without one) with what is allocated,
// reserved and left.
func (s *Server) quotas(c echo.Context) error {
	l, err := s.Land.QuotaLedger(c.Request().Context(), principal(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// renderQuota answers a district's quota with its history and, once one
// is set, its ETag.
func renderQuota(c echo.Context, code int, h land.QuotaHistory) error {
	if h.Version > 0 {
		return versioned(c, code, h.Version, h)
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(code, h)
}

// quota answers GET /api/quotas/:year/:district: the district's quota of
// the year with every change of it.
func (s *Server) quota(c echo.Context) error {
	d, err := idParam(c, "district")
	if err != nil {
		return err
	}
	h, err := s.Land.QuotaHistory(c.Request().Context(), principal(c), d, c.Param("year"))
	if err != nil {
		return err
	}
	return renderQuota(c, http.StatusOK, h)
}

// putQuota answers PUT /api/quotas/:year/:district: the land bureau sets
// a quota ({"quota_mu", "reason"}), with If-Match once one is set.
func (s *Server) putQuota(c echo.Context) error {
	d, err := idParam(c, "district")
	if err != nil {
		return err
	}
	version := 0
	if strings.TrimSpace(c.Request().Header.Get("If-Match")) != "" {
		if version, err = ifMatch(c, "建设用地指标", "quota"); err != nil {
			return err
		}
	}
	var in land.QuotaInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx, p := c.Request().Context(), principal(c)
	h, err := s.Land.PutQuota(ctx, p, d, c.Param("year"), version, in)
	var ge *geo.Error
	if errors.As(err, &ge) && (ge.Kind == geo.KindPreconditionFailed || ge.Kind == geo.KindConflict) {
		// Who lost the race gets the quota as it is now, to start again.
		if cur, cerr := s.Land.QuotaHistory(ctx, p, d, c.Param("year")); cerr == nil {
			out := *ge
			out.Details = map[string]any{"current": cur}
			if cur.Version > 0 {
				c.Response().Header().Set("ETag", etag(cur.Version))
			}
			return &out
		}
	}
	if err != nil {
		return err
	}
	return renderQuota(c, http.StatusOK, h)
}

// renderSavedProject answers a project just created or changed, as
// renderProject, and when the change saved a site that takes a district
// over its construction-land quota, the warnings (quota_warnings): the
// save stands, the warning only tells. A failure to work them out is
// logged and leaves them out, since the change is made.
func (s *Server) renderSavedProject(c echo.Context, p geo.Principal, code int, e project.Edit, v project.View) error {
	m, err := s.redact(p, "projects", v)
	if err != nil {
		return err
	}
	switch e.Geometry.(type) {
	case orb.Polygon, orb.MultiPolygon:
		ws, err := s.Land.QuotaWarnings(c.Request().Context(), p, v.ID)
		if err != nil {
			s.log.Error("quota warnings", "project", v.ID, "err", err)
			break
		}
		if len(ws) > 0 {
			b, err := json.Marshal(ws)
			if err != nil {
				return err
			}
			m["quota_warnings"] = b
		}
	}
	return versioned(c, code, v.Version, m)
}
