package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
)

// Enclaves (飞地): their agreements and share schedules, the split of the
// statistics of the projects inside them, and the district table.

func (s *Server) enclaves(c echo.Context) error {
	es, err := s.Enclaves.List(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, es)
}

func (s *Server) enclave(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Enclaves.Enclave(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, v.Version, v)
}

func (s *Server) createEnclave(c echo.Context) error {
	var in invest.EnclaveInput
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := s.Enclaves.Save(c.Request().Context(), principal(c), 0, 0, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/enclaves/"+v.ID.String())
	return versioned(c, http.StatusCreated, v.Version, v)
}

func (s *Server) updateEnclave(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, "飞地", "enclave")
	if err != nil {
		return err
	}
	var in invest.EnclaveInput
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := s.Enclaves.Save(c.Request().Context(), principal(c), id, version, in)
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, v.Version, v)
}

func (s *Server) enclaveSplit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sp, err := s.Enclaves.Split(c.Request().Context(), principal(c), id, c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sp)
}

func (s *Server) enclaveTable(c echo.Context) error {
	t, err := s.Enclaves.Table(c.Request().Context(), principal(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) putProjectFigures(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in invest.FiguresInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.Enclaves.PutFigures(c.Request().Context(), principal(c), id, c.Param("year"), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// enclaveReaders may read the enclaves' splits: who reads projects'
// investment.
var enclaveReaders = geo.Readers(geo.SensitiveInvestment)
