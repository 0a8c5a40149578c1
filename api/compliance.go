package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb/geojson"
)

// checkRequest is the body of POST /api/land/check: a GeoJSON Polygon or
// MultiPolygon in CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326) longitude and
// latitude, taken as equal, and optionally the intended land use.
type checkRequest struct {
	Geometry json.RawMessage `json:"geometry"`
	Intended *land.Code      `json:"intended"`
}

// checkSite answers POST /api/land/check with the compliance report.
func (s *Server) checkSite(c echo.Context) error {
	var req checkRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if len(req.Geometry) == 0 || string(req.Geometry) == "null" {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_geometry", Field: "geometry",
			Message: "缺少用地范围（geometry）", MessageEN: "the site (geometry) is missing"}
	}
	gj, err := geojson.UnmarshalGeometry(req.Geometry)
	if err != nil || gj.Geometry() == nil {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_geometry", Field: "geometry",
			Message: "geometry 不是有效的 GeoJSON 几何", MessageEN: "geometry is not a valid GeoJSON geometry"}
	}
	if req.Intended != nil && (req.Intended.System == "" || req.Intended.Code == "") {
		req.Intended = nil
	}
	r, err := s.Land.CheckSite(c.Request().Context(), gj.Geometry(), req.Intended)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// projectCompliance answers GET /api/projects/:id/compliance.
func (s *Server) projectCompliance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Land.ProjectCompliance(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// complianceSettings is GET /api/settings/compliance's answer: the
// settings with the rules and verdicts to choose from.
type complianceSettings struct {
	land.CheckSettings
	Rules    []land.NamedRule    `json:"rules"`
	Verdicts []land.NamedVerdict `json:"verdicts"`
}

func (s *Server) complianceSettings(c echo.Context) error {
	set, err := s.Land.CheckSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, complianceSettings{CheckSettings: set, Rules: land.Rules(), Verdicts: land.Verdicts()})
}

func (s *Server) putComplianceSettings(c echo.Context) error {
	var set land.CheckSettings
	if err := bind(c, &set); err != nil {
		return err
	}
	if err := s.Land.PutCheckSettings(c.Request().Context(), principal(c), set); err != nil {
		return err
	}
	return s.complianceSettings(c)
}

// verdicts answers GET /api/land/verdicts: every project's latest verdict
// the caller may see, the most severe first.
func (s *Server) verdicts(c echo.Context) error {
	vs, err := s.Land.Verdicts(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []land.ProjectVerdict{}
	}
	return c.JSON(http.StatusOK, vs)
}
