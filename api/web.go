package api

import (
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
)

// web serves the built web app: files by path, index.html for "/".
// Vite's hashed assets are cached for a year; the rest revalidates.
func (s *Server) web(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if p == "" {
		p = "index.html"
	}
	if !fs.ValidPath(p) {
		return geo.NotFound("not_found", "请求的地址不存在", "no such endpoint")
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
