package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/project"
)

// The policy's rhythms: the reserve pool's quarterly review, the
// groundbreaking waves and heating-season construction.

func (s *Server) poolReview(c echo.Context) error {
	r, err := s.Policies.Review(c.Request().Context(), principal(c), c.Param("quarter"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) poolDecide(c echo.Context) error {
	var in project.DecisionInput
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := s.Policies.Decide(c.Request().Context(), principal(c), c.Param("quarter"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (s *Server) waves(c echo.Context) error {
	w, err := s.Policies.Waves(c.Request().Context(), principal(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (s *Server) putWaves(c echo.Context) error {
	var in project.WavesInput
	if err := bind(c, &in); err != nil {
		return err
	}
	w, err := s.Policies.PutWaves(c.Request().Context(), principal(c), c.Param("year"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (s *Server) assignWave(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in project.AssignInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.Policies.AssignWave(c.Request().Context(), principal(c), id, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) unassignWave(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.Policies.UnassignWave(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// heating answers a heating season with its projects: the one named, or
// the current one.
func (s *Server) heating(c echo.Context) error {
	h, err := s.Policies.Heating(c.Request().Context(), principal(c), c.Param("season"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

func (s *Server) putHeatingSeason(c echo.Context) error {
	var in project.SeasonInput
	if err := bind(c, &in); err != nil {
		return err
	}
	h, err := s.Policies.PutSeason(c.Request().Context(), principal(c), c.Param("season"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

func (s *Server) projectHeating(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	e, err := s.Policies.ProjectHeating(c.Request().Context(), principal(c), id, c.Param("season"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

func (s *Server) putProjectHeating(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in project.HeatingInput
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := s.Policies.PutProjectHeating(c.Request().Context(), principal(c), id, c.Param("season"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}
