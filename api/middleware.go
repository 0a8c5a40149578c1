package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// recover turns a panic in a handler into an internal error.
func (s *Server) recover(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; worker-src 'self' blob:; "+
			"child-src blob:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "+
			"connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// accessLog logs every request at debug level, and slow or failed ones at
// info level.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		d := time.Since(start)
		st := c.Response().Status
		level := slog.LevelDebug
		if st >= 500 || d > time.Second {
			level = slog.LevelInfo
		}
		// Most requests are tiles from the cache: build no record for a
		// level nobody logs.
		if ctx := c.Request().Context(); s.log.Enabled(ctx, level) {
			s.log.Log(ctx, level, "request", "method", c.Request().Method,
				"path", c.Request().URL.Path, "status", st, "bytes", c.Response().Size,
				"ms", float64(d.Microseconds())/1000, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		return nil
	}
}
