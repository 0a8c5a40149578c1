package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/project"
)

func (s *Server) assessment(c echo.Context) error {
	a, err := s.Assessments.Assessment(c.Request().Context(), principal(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) putAssessmentWeights(c echo.Context) error {
	var w project.Weights
	if err := bind(c, &w); err != nil {
		return err
	}
	a, err := s.Assessments.PutWeights(c.Request().Context(), principal(c), c.Param("year"), w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) putAssessmentOverride(c echo.Context) error {
	var in project.OverrideInput
	if err := bind(c, &in); err != nil {
		return err
	}
	a, err := s.Assessments.PutOverride(c.Request().Context(), principal(c), c.Param("year"), c.Param("district"), c.Param("item"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) deleteAssessmentOverride(c echo.Context) error {
	a, err := s.Assessments.DeleteOverride(c.Request().Context(), principal(c), c.Param("year"), c.Param("district"), c.Param("item"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
