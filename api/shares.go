package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/auth"
	"github.com/luohe/onemap/geo"
	qrcode "github.com/skip2/go-qrcode"
)

// Shares is what the API needs of the share-link store.
type Shares interface {
	CreateShare(ctx context.Context, by geo.Principal, s geo.Share, tokenHash []byte, passwordHash string) (geo.Share, error)
	Shares(ctx context.Context) ([]geo.Share, error)
	RevokeShare(ctx context.Context, by geo.Principal, id int) error
	ShareByToken(ctx context.Context, tokenHash []byte) (geo.Share, string, error)
	RecordShareOpen(ctx context.Context, linkID int, address, userAgent string) error
	ShareOpens(ctx context.Context, linkID int) ([]geo.ShareOpen, error)
	UnlockShare(ctx context.Context, linkID int, tokenHash []byte, expires time.Time) error
	ShareUnlocked(ctx context.Context, linkID int, tokenHash []byte) (bool, error)
	ShareFeatures(ctx context.Context, s geo.Share) ([]map[string]any, error)
}

const (
	shareTokenPrefix = "sh_"
	shareCookie      = "onemap_share"
	maxShareFeatures = 200
	maxShareDays     = 180
)

// shareFields are the fields an investment user may put in a share link:
// those of the parcels and parks layers.
func (s *Server) shareFields() []string {
	var out []string
	for _, name := range []string{"parcels", "parks"} {
		l, _ := s.Catalogue.Layer(name)
		for _, f := range l.Fields {
			if f.Name != "id" && !slices.Contains(out, f.Name) {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

type shareRequest struct {
	Title     string   `json:"title"`
	ParcelIDs []int64  `json:"parcel_ids"`
	ParkIDs   []int64  `json:"park_ids"`
	Fields    []string `json:"fields"`
	ExpiresIn int      `json:"expires_in_days"`
	Password  string   `json:"password"`
}

// createShare makes a share link; its address (with the token) is in this
// answer only.
func (s *Server) createShare(c echo.Context) error {
	var req shareRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	title := strings.TrimSpace(req.Title)
	switch {
	case title == "" || len([]rune(title)) > 100:
		return geo.Invalid("bad_title", "标题需为 1–100 个字", "a title has 1 to 100 characters")
	case len(req.ParcelIDs)+len(req.ParkIDs) == 0:
		return geo.Invalid("no_features", "请至少选择一个地块或园区", "choose at least one parcel or park")
	case len(req.ParcelIDs)+len(req.ParkIDs) > maxShareFeatures:
		return geo.Invalid("too_many_features", "一个链接最多分享 %d 个地块和园区", "a link shares at most %d parcels and parks", maxShareFeatures)
	case req.ExpiresIn < 1 || req.ExpiresIn > maxShareDays:
		return geo.Invalid("bad_expiry", "有效期需为 1–%d 天", "the link must expire in 1 to %d days", maxShareDays)
	case len(req.Fields) == 0:
		return geo.Invalid("no_fields", "请至少选择一个要展示的字段", "choose at least one field to show")
	}
	allowed := s.shareFields()
	for _, f := range req.Fields {
		if !slices.Contains(allowed, f) {
			return geo.Invalid("bad_field", "不能分享字段：%q", "field %q cannot be shared", f)
		}
	}
	var pwHash string
	if req.Password != "" {
		if len([]rune(req.Password)) < 6 || len(req.Password) > 128 {
			return geo.Invalid("bad_password", "访问密码需为 6–128 个字符", "a link password has 6 to 128 characters")
		}
		var err error
		if pwHash, err = auth.HashPassword(req.Password); err != nil {
			return err
		}
	}
	token, hash, err := auth.NewToken(shareTokenPrefix)
	if err != nil {
		return err
	}
	sh, err := s.Shares.CreateShare(c.Request().Context(), principal(c), geo.Share{
		Title: title, ParcelIDs: req.ParcelIDs, ParkIDs: req.ParkIDs, Fields: req.Fields,
		ExpiresAt: time.Now().AddDate(0, 0, req.ExpiresIn),
	}, hash, pwHash)
	if err != nil {
		return err
	}
	link := origin(c) + "/s/" + token
	png, err := qrcode.Encode(link, qrcode.Medium, 256)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"share": sh, "url": link, "qr_png": png})
}

func (s *Server) shares(c echo.Context) error {
	list, err := s.Shares.Shares(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"shares": list, "fields": s.shareFields()})
}

func (s *Server) revokeShare(c echo.Context) error {
	return revoke(c, s.Shares.RevokeShare)
}

func (s *Server) shareOpens(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	opens, err := s.Shares.ShareOpens(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"opens": opens})
}

// shareOf checks the share link of the request's path and, if it has a
// password, that this visitor unlocked it. It returns the link.
func (s *Server) shareOf(c echo.Context) (geo.Share, error) {
	token := c.Param("token")
	if !strings.HasPrefix(token, shareTokenPrefix) || len(token) > 100 {
		return geo.Share{}, geo.NotFound("share_unavailable", "分享链接不存在、已过期或已撤销", "the share link does not exist, has expired or was revoked")
	}
	ctx := c.Request().Context()
	sh, pw, err := s.Shares.ShareByToken(ctx, auth.HashToken(token))
	if err != nil {
		return sh, err
	}
	if pw != "" {
		ck, err := c.Cookie(shareCookie)
		ok := false
		if err == nil && ck.Value != "" {
			if ok, err = s.Shares.ShareUnlocked(ctx, sh.ID, auth.HashToken(ck.Value)); err != nil {
				return sh, err
			}
		}
		if !ok {
			return sh, geo.Errorf(geo.KindUnauthorized, "share_locked", "该分享链接需要访问密码", "this share link needs its password")
		}
	}
	return sh, nil
}

func sharePrincipal(c echo.Context, sh geo.Share) geo.Principal {
	return geo.Principal{Kind: geo.ShareLink, Share: sh.Scope(), Address: c.RealIP()}
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
	if err := s.Shares.RecordShareOpen(ctx, sh.ID, c.RealIP(), c.Request().UserAgent()); err != nil {
		return err
	}
	features, err := s.Shares.ShareFeatures(ctx, sh)
	if err != nil {
		return err
	}
	keep := append([]string{"layer", "id", "lon", "lat"}, sh.Fields...)
	for _, f := range features {
		for k := range f {
			if !slices.Contains(keep, k) || f[k] == nil {
				delete(f, k)
			}
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"title": sh.Title, "expires_at": sh.ExpiresAt, "fields": sh.Fields, "features": features})
}

type unlockRequest struct {
	Password string `json:"password"`
}

// unlockShare checks a share link's password and remembers the visitor.
// Wrong passwords are throttled like logins.
func (s *Server) unlockShare(c echo.Context) error {
	var req unlockRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	token := c.Param("token")
	ctx := c.Request().Context()
	sh, pw, err := s.Shares.ShareByToken(ctx, auth.HashToken(token))
	if err != nil {
		return err
	}
	if pw == "" {
		return c.NoContent(http.StatusNoContent)
	}
	key := "share:" + itoa(sh.ID)
	byLink, byAddr, err := s.Accounts.LoginFailures(ctx, key, c.RealIP(), time.Now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if byLink >= throttlePerAddress || byAddr >= throttlePerAddress {
		return geo.Errorf(geo.KindTooMany, "throttled", "尝试次数过多，请 15 分钟后再试", "too many attempts; try again in 15 minutes")
	}
	ok, err := auth.VerifyPassword(pw, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.Accounts.RecordLoginFailure(ctx, key, c.RealIP()); err != nil {
			return err
		}
		return geo.Errorf(geo.KindUnauthorized, "bad_credentials", "访问密码错误", "wrong password")
	}
	unlock, hash, err := auth.NewToken("")
	if err != nil {
		return err
	}
	expires := time.Now().Add(sessionLifetime)
	if sh.ExpiresAt.Before(expires) {
		expires = sh.ExpiresAt
	}
	if err := s.Shares.UnlockShare(ctx, sh.ID, hash, expires); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: shareCookie, Value: unlock, Path: "/s/" + token, Expires: expires, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	return c.NoContent(http.StatusNoContent)
}

// shareTile serves the tiles of a share link: its parcels and parks, its
// fields.
func (s *Server) shareTile(c echo.Context) error {
	sh, err := s.shareOf(c)
	if err != nil {
		return err
	}
	return s.serveTile(c, sharePrincipal(c, sh))
}

// sharePage serves the web app, which shows the link's map.
func (s *Server) sharePage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	http.ServeFileFS(c.Response(), c.Request(), s.Web, "index.html")
	return nil
}
