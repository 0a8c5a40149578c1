package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// Observation tours (观摩): plans, routes, briefing, scores, ranking.

// renderTour answers a tour with its ETag, each stop's project as p may
// see it (the cumulative investment only with the investment amounts).
func (s *Server) renderTour(c echo.Context, p geo.Principal, code int, v project.TourView) error {
	m, err := asMap(v)
	if err != nil {
		return err
	}
	stops := make([]map[string]json.RawMessage, len(v.Stops))
	for i, st := range v.Stops {
		if stops[i], err = asMap(st); err != nil {
			return err
		}
		pm, err := s.redact(p, "projects", st.Project)
		if err != nil {
			return err
		}
		if stops[i]["project"], err = json.Marshal(pm); err != nil {
			return err
		}
		if !s.Registry.Visible(p, "projects", "total_investment") {
			delete(stops[i], "invested")
		}
	}
	if m["stops"], err = json.Marshal(stops); err != nil {
		return err
	}
	return versioned(c, code, v.Version, m)
}

// tourVersion reads the tour a change is of and the version it was made
// on (If-Match).
func tourVersion(c echo.Context) (geo.ID, int, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, 0, err
	}
	version, err := ifMatch(c, "观摩活动", "tour")
	return id, version, err
}

func (s *Server) tours(c echo.Context) error {
	ts, err := s.Tours.List(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ts)
}

func (s *Server) tour(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Tours.Tour(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return s.renderTour(c, p, http.StatusOK, v)
}

func (s *Server) createTour(c echo.Context) error {
	var in project.TourInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Tours.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/tours/"+v.ID.String())
	return s.renderTour(c, p, http.StatusCreated, v)
}

func (s *Server) updateTour(c echo.Context) error {
	id, version, err := tourVersion(c)
	if err != nil {
		return err
	}
	var in project.TourInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Tours.Update(c.Request().Context(), p, id, version, in)
	if err != nil {
		return err
	}
	return s.renderTour(c, p, http.StatusOK, v)
}

func (s *Server) deleteTour(c echo.Context) error {
	id, version, err := tourVersion(c)
	if err != nil {
		return err
	}
	if err := s.Tours.Delete(c.Request().Context(), principal(c), id, version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) putTourScores(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in project.ScoresInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Tours.PutScores(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return s.renderTour(c, p, http.StatusOK, v)
}

func (s *Server) tourRanking(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Tours.Tour(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ranking": v.Ranking, "model": project.RankingModel})
}

func (s *Server) keyProjects(c echo.Context) error {
	n, err := parsePositive(c.QueryParam("per_district"), project.MaxPerDistrict)
	if err != nil {
		n = -1
	}
	p := principal(c)
	vs, err := s.Tours.KeyProjects(c.Request().Context(), p, n)
	if err != nil {
		return err
	}
	out := make([]map[string]json.RawMessage, len(vs))
	for i, v := range vs {
		if out[i], err = s.redact(p, "projects", v); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}
