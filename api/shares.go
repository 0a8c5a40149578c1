package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
	qrcode "github.com/skip2/go-qrcode"
)

// shareCookie holds the token of a share link's unlock.
const shareCookie = "onemap_share"

type shareRequest struct {
	Title     string   `json:"title"`
	ParcelIDs []geo.ID `json:"parcel_ids"`
	ParkIDs   []geo.ID `json:"park_ids"`
	Fields    []string `json:"fields"`
	ExpiresIn int      `json:"expires_in_days"`
	Password  string   `json:"password"`
	// ConfirmUnofferedPrices confirms sharing the prices of parcels not
	// on offer.
	ConfirmUnofferedPrices bool `json:"confirm_unoffered_prices"`
}

// createShare makes a share link; its address (with the token) is in this
// answer only.
func (s *Server) createShare(c echo.Context) error {
	var req shareRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	token, sh, err := s.Access.CreateShare(c.Request().Context(), principal(c), access.NewShare{
		Title: req.Title, ParcelIDs: req.ParcelIDs, ParkIDs: req.ParkIDs, Fields: req.Fields,
		ExpiresInDays: req.ExpiresIn, Password: req.Password, ConfirmUnofferedPrices: req.ConfirmUnofferedPrices,
	})
	if err != nil {
		return err
	}
	link := s.urlBase(c) + "/s/" + token
	png, err := qrcode.Encode(link, qrcode.Medium, 256)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"share": sh, "url": link, "qr_png": png})
}

func (s *Server) shares(c echo.Context) error {
	list, err := s.Access.Shares(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"shares": list, "fields": s.Access.ShareFields()})
}

func (s *Server) revokeShare(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.Access.RevokeShare(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) shareOpens(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	opens, err := s.Access.ShareOpens(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"opens": opens})
}

// shareOf opens the share link of the request's path, with this visitor's
// unlock if it has a password.
func (s *Server) shareOf(c echo.Context) (access.Share, error) {
	unlock := ""
	if ck, err := c.Cookie(shareCookie); err == nil {
		unlock = ck.Value
	}
	return s.Access.OpenShare(c.Request().Context(), c.Param("token"), unlock)
}

// shareInfo answers what a share link shows; each call is an opening and
// is logged.
func (s *Server) shareInfo(c echo.Context) error {
	sh, err := s.shareOf(c)
	if geo.KindOf(err) == geo.KindUnauthorized {
		return c.JSON(http.StatusUnauthorized, map[string]any{"error": errorDetail{Code: "share_locked",
			Message: "该分享链接需要访问密码", MessageEN: "this share link needs its password"}, "title": sh.Title})
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.Access.RecordShareOpen(ctx, sh.ID, c.RealIP(), c.Request().UserAgent()); err != nil {
		return err
	}
	features, err := s.Invest.Shared(ctx, *sh.Scope())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"title": sh.Title, "expires_at": sh.ExpiresAt, "fields": sh.Fields, "features": features})
}

type unlockRequest struct {
	Password string `json:"password"`
}

// unlockShare checks a share link's password and remembers the visitor
// with a cookie.
func (s *Server) unlockShare(c echo.Context) error {
	var req unlockRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	token := c.Param("token")
	unlock, expires, err := s.Access.UnlockShare(c.Request().Context(), token, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	if unlock != "" {
		c.SetCookie(&http.Cookie{Name: shareCookie, Value: unlock, Path: "/s/" + token, Expires: expires, HttpOnly: true,
			Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	}
	return c.NoContent(http.StatusNoContent)
}

// shareTile serves the tiles of a share link: its parcels and parks, its
// fields. It takes no filters: a filter on a field the link does not
// show would tell that field's values by which features come back.
func (s *Server) shareTile(c echo.Context) error {
	if c.Request().URL.RawQuery != "" {
		return geo.Invalid("share_filter", "分享链接的瓦片不支持筛选", "share link tiles take no filters")
	}
	sh, err := s.shareOf(c)
	if err != nil {
		return err
	}
	return s.serveTile(c, sh.Principal(c.RealIP()))
}

// sharePage serves the web app, which shows the link's map.
func (s *Server) sharePage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	http.ServeFileFS(c.Response(), c.Request(), s.Web, "index.html")
	return nil
}
