package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
)

// redact renders v (an aggregate's view) as a JSON object without the
// fields of kind that principal p may not see, as the field registry
// says.
func (s *Server) redact(p geo.Principal, kind string, v any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k := range m {
		if !s.Registry.Visible(p, kind, k) {
			delete(m, k)
		}
	}
	return m, nil
}

// renderProject answers a project's view as p may see it.
func (s *Server) renderProject(c echo.Context, p geo.Principal, v project.View) error {
	m, err := s.redact(p, "projects", v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) project(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Projects.Project(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return s.renderProject(c, p, v)
}

func (s *Server) updateProject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var ch project.Change
	if err := bind(c, &ch); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Projects.Update(c.Request().Context(), p, id, ch)
	if err != nil {
		return err
	}
	return s.renderProject(c, p, v)
}

func (s *Server) putProgress(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var r project.Report
	if err := bind(c, &r); err != nil {
		return err
	}
	if err := s.Projects.PutProgress(c.Request().Context(), principal(c), id, c.Param("month"), r); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
