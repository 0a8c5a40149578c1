package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// firmFilter reads the firms' filter from the query: tag, industry and
// stage (comma separated lists), responsible and q.
func firmFilter(c echo.Context) invest.FirmFilter {
	list := func(name string) []string { return queryList(c, name) }
	return invest.FirmFilter{Tags: list("tag"), Industries: list("industry"), Stages: list("stage"),
		Responsible: strings.TrimSpace(c.QueryParam("responsible")), Query: strings.TrimSpace(c.QueryParam("q"))}
}

// renderFirm answers a firm's view as p may see it, with its ETag.
func (s *Server) renderFirm(c echo.Context, p geo.Principal, code int, v invest.FirmView) error {
	m, err := s.redact(p, "firms", v)
	if err != nil {
		return err
	}
	return versioned(c, code, v.Version, m)
}

func (s *Server) listFirms(c echo.Context) error {
	p := principal(c)
	vs, err := s.Firms.List(c.Request().Context(), p, firmFilter(c))
	if err != nil {
		return err
	}
	out, err := redactAll(s, p, "firms", vs)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) firm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Firms.Firm(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return s.renderFirm(c, p, http.StatusOK, v)
}

func (s *Server) createFirm(c echo.Context) error {
	var in invest.FirmInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Firms.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/firms/"+v.ID.String())
	return s.renderFirm(c, p, http.StatusCreated, v)
}

func (s *Server) updateFirm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, "企业", "firm")
	if err != nil {
		return err
	}
	var in invest.FirmInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Firms.Update(c.Request().Context(), p, id, version, in)
	if err != nil {
		return err
	}
	return s.renderFirm(c, p, http.StatusOK, v)
}

func (s *Server) firmStages(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	es, err := s.Firms.Stages(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, es)
}

// firmsMap answers the national view of the filter's firms as GeoJSON:
// each firm's headquarters as a point (kind "hq"), and a line (kind
// "proposal") from it to each park or parcel proposed to it.
func (s *Server) firmsMap(c echo.Context) error {
	fps, err := s.Firms.Places(c.Request().Context(), principal(c), firmFilter(c))
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, f := range fps {
		hq := geojson.NewFeature(f.HQ)
		hq.Properties = geojson.Properties{"kind": "hq", "id": f.ID, "name": f.Name, "tags": f.Tags,
			"industries": strings.Join(f.Industries, "、"), "hq_city": f.HQCity, "stage": f.Stage}
		fc.Append(hq)
		for _, site := range f.Sites {
			l := geojson.NewFeature(orb.LineString{f.HQ, site.At})
			l.Properties = geojson.Properties{"kind": "proposal", "firm_id": f.ID, "firm": f.Name, "stage": f.Stage,
				"site_kind": site.Kind, "site_id": site.ID, "site": site.Name}
			fc.Append(l)
		}
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, fc)
}

// exportFirms answers the filter's firms as an Excel workbook: the
// columns are the registry's firm fields with an Excel header that the
// reader may see; tags and stages by their Chinese names.
func (s *Server) exportFirms(c echo.Context) error {
	p := principal(c)
	vs, err := s.Firms.List(c.Request().Context(), p, firmFilter(c))
	if err != nil {
		return err
	}
	a, _ := s.Registry.Aggregate("firms")
	sh := bulletinSheet{name: "目标企业"}
	var cols []string
	for _, f := range a.Fields {
		if f.Excel != "" && s.Registry.Visible(p, "firms", f.Name) {
			cols = append(cols, f.Name)
			sh.header = append(sh.header, f.Excel)
		}
	}
	zh := func(labels []geo.Label, ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = geo.LabelZH(labels, id)
		}
		return strings.Join(out, "、")
	}
	for _, v := range vs {
		cells := map[string]any{"id": int64(v.ID), "name": neutral(v.Name), "tags": zh(geo.FirmTags(), v.Tags),
			"industries": neutral(strings.Join(v.Industries, "、")), "hq_city": neutral(v.HQCity),
			"stage": zh(geo.FirmStages(), []string{v.Stage}), "contact_name": neutral(v.ContactName),
			"contact_phone": neutral(v.ContactPhone), "responsible": neutral(v.Responsible), "lon": v.Lon, "lat": v.Lat}
		row := make([]any, len(cols))
		for i, col := range cols {
			row[i] = cells[col]
		}
		sh.rows = append(sh.rows, row)
	}
	day := time.Now().In(geo.CityZone()).Format("20060102")
	return sendWorkbook(c, []bulletinSheet{sh}, "firms.xlsx", "目标企业-"+day+".xlsx")
}

// chainsBody is a park's industry chains as PUT takes them.
type chainsBody struct {
	Chains []invest.Chain `json:"chains"`
}

func (s *Server) parkChains(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.Firms.Chains(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, chainsBody{Chains: cs})
}

func (s *Server) putParkChains(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var b chainsBody
	if err := bind(c, &b); err != nil {
		return err
	}
	cs, err := s.Firms.SetChains(c.Request().Context(), principal(c), id, b.Chains)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, chainsBody{Chains: cs})
}

// siteFirms answers the firms ranked for a park or a parcel (the route's
// first segment after /api/ says which).
func (s *Server) siteFirms(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	kind := "parks"
	if strings.HasPrefix(c.Path(), "/api/parcels/") {
		kind = "parcels"
	}
	m, err := s.Firms.Match(c.Request().Context(), principal(c), kind, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
