package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
)

// redactSite renders a park's or a parcel's view as p may see it: the
// registry's visible fields, the place (outline and point) that the map
// shows anyone who sees the thing, and the price of a parcel on offer
// (geo.OfferedSupply), which is public.
func (s *Server) redactSite(p geo.Principal, kind string, v any) (map[string]json.RawMessage, error) {
	all, err := asMap(v)
	if err != nil {
		return nil, err
	}
	m, err := s.redact(p, kind, v)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"geom", "lon", "lat"} {
		if raw, ok := all[k]; ok {
			m[k] = raw
		}
	}
	if pc, ok := v.(invest.ParcelView); ok && geo.OfferedSupply(pc.SupplyStatus) && p.Share == nil {
		m["price"] = all["price"]
	}
	return m, nil
}

// siteEdit reads a park or a parcel as POST and PATCH take it: a GeoJSON
// Feature as a project's (feature.edit).
func siteEdit(c echo.Context) (invest.Edit, error) {
	var f feature
	if err := bind(c, &f); err != nil {
		return invest.Edit{}, err
	}
	e, err := f.edit(true)
	return invest.Edit{Values: invest.Values(e.Values), Geometry: e.Geometry}, err
}

// renderSite answers a park's or a parcel's view with its ETag.
func (s *Server) renderSite(c echo.Context, kind string, code, version int, v any) error {
	m, err := s.redactSite(principal(c), kind, v)
	if err != nil {
		return err
	}
	return versioned(c, code, version, m)
}

// staleSite answers a change made on an old version: the thing as the
// caller may see it now, with its ETag.
func (s *Server) staleSite(c echo.Context, kind string, err error) error {
	var ge *geo.Error
	if !errors.As(err, &ge) || ge.Kind != geo.KindPreconditionFailed {
		return err
	}
	d, ok := ge.Details.(map[string]any)
	if !ok {
		return err
	}
	var version int
	switch v := d["current"].(type) {
	case invest.ParcelView:
		version = v.Version
	case invest.ParkView:
		version = v.Version
	default:
		return err
	}
	cur, rerr := s.redactSite(principal(c), kind, d["current"])
	if rerr != nil {
		return rerr
	}
	c.Response().Header().Set("ETag", etag(version))
	out := *ge
	out.Details = map[string]any{"current": cur}
	return &out
}

func (s *Server) listParks(c echo.Context) error {
	vs, err := s.Sites.Parks(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return renderList(s, c, "parks", vs)
}

// renderList answers views of a kind as the caller may see them.
func renderList[V any](s *Server, c echo.Context, kind string, vs []V) error {
	out := make([]map[string]json.RawMessage, len(vs))
	for i, v := range vs {
		m, err := s.redactSite(principal(c), kind, v)
		if err != nil {
			return err
		}
		out[i] = m
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) park(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Sites.Park(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.renderSite(c, "parks", http.StatusOK, v.Version, v)
}

func (s *Server) createPark(c echo.Context) error {
	e, err := siteEdit(c)
	if err != nil {
		return err
	}
	v, err := s.Sites.CreatePark(c.Request().Context(), principal(c), e)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/parks/"+v.ID.String())
	return s.renderSite(c, "parks", http.StatusCreated, v.Version, v)
}

func (s *Server) updatePark(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, "园区", "park")
	if err != nil {
		return err
	}
	e, err := siteEdit(c)
	if err != nil {
		return err
	}
	v, err := s.Sites.UpdatePark(c.Request().Context(), principal(c), id, version, e)
	if err != nil {
		return s.staleSite(c, "parks", err)
	}
	return s.renderSite(c, "parks", http.StatusOK, v.Version, v)
}

func (s *Server) listParcels(c echo.Context) error {
	var park geo.ID
	if v := c.QueryParam("park"); v != "" {
		id, err := geo.ParseID(v)
		if err != nil {
			return geo.Invalid("bad_park", "园区编号 %q 无效", "invalid park id %q", v)
		}
		park = id
	}
	vs, err := s.Sites.Parcels(c.Request().Context(), principal(c), park)
	if err != nil {
		return err
	}
	return renderList(s, c, "parcels", vs)
}

func (s *Server) parcel(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Sites.Parcel(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.renderSite(c, "parcels", http.StatusOK, v.Version, v)
}

func (s *Server) createParcel(c echo.Context) error {
	e, err := siteEdit(c)
	if err != nil {
		return err
	}
	v, err := s.Sites.CreateParcel(c.Request().Context(), principal(c), e)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/parcels/"+v.ID.String())
	return s.renderSite(c, "parcels", http.StatusCreated, v.Version, v)
}

func (s *Server) updateParcel(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, "地块", "parcel")
	if err != nil {
		return err
	}
	e, err := siteEdit(c)
	if err != nil {
		return err
	}
	v, err := s.Sites.UpdateParcel(c.Request().Context(), principal(c), id, version, e)
	if err != nil {
		return s.staleSite(c, "parcels", err)
	}
	return s.renderSite(c, "parcels", http.StatusOK, v.Version, v)
}

func (s *Server) parcelSupply(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	es, err := s.Sites.Supply(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, es)
}

// renderBrochure answers a brochure as p may see it.
func (s *Server) renderBrochure(c echo.Context, p geo.Principal, b invest.Brochure) error {
	out := map[string]any{"layer": b.Layer, "distances": b.Distances, "targets": invest.TransportTargets()}
	if b.Parcel != nil {
		m, err := s.redactSite(p, "parcels", *b.Parcel)
		if err != nil {
			return err
		}
		out["parcel"] = m
	}
	if b.Park != nil {
		m, err := s.redactSite(p, "parks", *b.Park)
		if err != nil {
			return err
		}
		out["park"] = m
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) parcelBrochure(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.Sites.ParcelBrochure(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.renderBrochure(c, principal(c), b)
}

func (s *Server) parkBrochure(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.Sites.ParkBrochure(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.renderBrochure(c, principal(c), b)
}

// shareBrochure answers the brochure of a parcel or a park a share link
// shows, with the link's fields: KindNotFound for one it does not show.
// The web app shows it at /s/<token>/brochures/<layer>/<id>.
func (s *Server) shareBrochure(c echo.Context) error {
	sh, err := s.shareOf(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := sh.Principal(c.RealIP())
	ctx := c.Request().Context()
	var b invest.Brochure
	switch layer := c.Param("layer"); {
	case layer == "parcels" && slices.Contains(sh.ParcelIDs, id):
		b, err = s.Sites.ParcelBrochure(ctx, p, id)
	case layer == "parks" && slices.Contains(sh.ParkIDs, id):
		b, err = s.Sites.ParkBrochure(ctx, p, id)
	default:
		return geo.NotFound("not_found", "该分享链接不含此地块或园区", "this share link does not show this %[1]s", strings.TrimSuffix(layer, "s"))
	}
	if err != nil {
		return err
	}
	return s.renderBrochure(c, p, b)
}
