package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/project"
)

// The working-day calendar and the projects' joint approval (联审联批).

func (s *Server) calendarYears(c echo.Context) error {
	ys, err := s.Approvals.Years(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"years": ys, "limit": project.ApprovalLimit})
}

func (s *Server) workdays(c echo.Context) error {
	n, err := s.Approvals.Workdays(c.Request().Context(), principal(c), c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"workdays": n})
}

func (s *Server) calendarYear(c echo.Context) error {
	y, err := s.Approvals.Year(c.Request().Context(), principal(c), c.Param("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, y)
}

func (s *Server) putCalendarYear(c echo.Context) error {
	var in project.YearInput
	if err := bind(c, &in); err != nil {
		return err
	}
	y, err := s.Approvals.PutYear(c.Request().Context(), principal(c), c.Param("year"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, y)
}

func (s *Server) putCalendarDay(c echo.Context) error {
	var in project.DayInput
	if err := bind(c, &in); err != nil {
		return err
	}
	y, err := s.Approvals.PutDay(c.Request().Context(), principal(c), c.Param("year"), c.Param("date"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, y)
}

func (s *Server) deleteCalendarDay(c echo.Context) error {
	y, err := s.Approvals.DeleteDay(c.Request().Context(), principal(c), c.Param("year"), c.Param("date"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, y)
}

func (s *Server) approval(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.Approvals.Approval(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) putApprovalStep(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in project.StepInput
	if err := bind(c, &in); err != nil {
		return err
	}
	a, err := s.Approvals.PutStep(c.Request().Context(), principal(c), id, c.Param("step"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) deleteApprovalStep(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.Approvals.DeleteStep(c.Request().Context(), principal(c), id, c.Param("step"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
