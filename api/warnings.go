package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// lagging answers the yellow and red projects with the reason, red first;
// none to a reader who may not see the warning levels.
func (s *Server) lagging(c echo.Context) error {
	p := principal(c)
	out := []map[string]json.RawMessage{}
	if !s.Registry.Visible(p, "projects", "warning_level") {
		return c.JSON(http.StatusOK, out)
	}
	ws, err := s.Projects.Lagging(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out = make([]map[string]json.RawMessage, len(ws))
	for i, w := range ws {
		if out[i], err = s.redact(p, "projects", w); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) warningThresholds(c echo.Context) error {
	t, err := s.Projects.Thresholds(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) putWarningThresholds(c echo.Context) error {
	var t project.Thresholds
	if err := bind(c, &t); err != nil {
		return err
	}
	if err := s.Projects.PutThresholds(c.Request().Context(), principal(c), t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) blockers(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	bs, err := s.Projects.Blockers(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, bs)
}

// saveBlocker adds a blocker (POST) or changes one (PUT, with :bid).
func (s *Server) saveBlocker(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	var bid geo.ID
	if c.Param("bid") != "" {
		if bid, err = idParam(c, "bid"); err != nil {
			return err
		}
		status = http.StatusOK
	}
	var in project.BlockerInput
	if err := bind(c, &in); err != nil {
		return err
	}
	b, err := s.Projects.SaveBlocker(c.Request().Context(), principal(c), id, bid, in)
	if err != nil {
		return err
	}
	return c.JSON(status, b)
}

func (s *Server) deleteBlocker(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	bid, err := idParam(c, "bid")
	if err != nil {
		return err
	}
	if err := s.Projects.DeleteBlocker(c.Request().Context(), principal(c), id, bid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
