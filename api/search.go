package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/invest"
)

// searchSites runs a site search (智能选址): the parcels that meet the
// criteria, ranked, each with how it did on every criterion and why it
// ranks where it does, and how many parcels each criterion left out.
func (s *Server) searchSites(c echo.Context) error {
	var q invest.SiteQuery
	if err := bind(c, &q); err != nil {
		return err
	}
	ans, err := s.Sites.Search(c.Request().Context(), principal(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ans)
}
