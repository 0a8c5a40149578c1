package api

import (
	"errors"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// appSections are the first path segments of the web app's routes
// (frontend/src/router.js): a deep link or a reload there gets the app,
// which routes it. Other unknown paths stay 404.
func appSections() []string {
	return []string{"dashboard", "bulletins", "projects", "supervision", "tours", "assessment", "land", "invest", "admin", "brochures"}
}

// web serves the built web app: files by path, index.html for "/" and the
// app's routes. Vite's hashed assets are cached for a year; the rest
// revalidates.
func (s *Server) web(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if !fs.ValidPath(p) && p != "" {
		return geo.NotFound("not_found", "请求的地址不存在", "no such endpoint")
	}
	if section, _, _ := strings.Cut(p, "/"); p == "" || slices.Contains(appSections(), section) {
		p = "index.html"
	}
	f, err := s.Web.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return geo.NotFound("not_found", "请求的地址不存在", "no such endpoint")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return geo.NotFound("not_found", "请求的地址不存在", "no such endpoint")
	}
	if strings.HasPrefix(p, "assets/") {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(c.Response(), c.Request(), s.Web, p)
	return nil
}
