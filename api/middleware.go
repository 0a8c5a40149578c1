package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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

// routed answers a request that matches no route, before anyone is
// authenticated: a path the server has not (404), or a method its path
// does not take (405, with Allow). Anyone may send these; they are the
// client's mistakes, logged at debug level like any other answer below
// 500. Only a routed request reaches the policy, where a route without an
// entry is the server's mistake.
func (s *Server) routed(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		methods, ok := s.methods[c.Path()]
		if literal, isRoute := s.methods[c.Request().URL.Path]; isRoute && c.Path() != c.Request().URL.Path {
			// A route's own path that echo matched to a pattern beside
			// it (POST /api/projects/import taken as /api/projects/:id):
			// the path's methods rule.
			methods, ok = literal, true
		}
		if slices.Contains(methods, c.Request().Method) {
			return next(c)
		}
		if !ok {
			return echo.ErrNotFound
		}
		c.Response().Header()[echo.HeaderAllow] = []string{strings.Join(methods, ", ")}
		return echo.ErrMethodNotAllowed
	}
}

// routeMethods maps each path pattern of routes to its methods, sorted.
func routeMethods(routes []*echo.Route) map[string][]string {
	m := map[string][]string{}
	for _, r := range routes {
		m[r.Path] = append(m[r.Path], r.Method)
	}
	for _, methods := range m {
		slices.Sort(methods)
	}
	return m
}

// securityHeaders sets the headers every answer carries, and on all but
// tiles (protobuf, never shown as a page) those that only govern pages. The
// values are shared and never changed; assigning them under their
// canonical names skips net/http's canonicalisation and allocation on
// every request, and a tile's eight headers keep its header map small (most
// requests are tiles from the cache).
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["X-Content-Type-Options"] = nosniff
		if p := c.Path(); p != tilePath && p != shareTilePath {
			h["Referrer-Policy"] = sameOrigin
			h["Content-Security-Policy"] = csp
			h["X-Frame-Options"] = deny
		}
		return next(c)
	}
}

var (
	nosniff    = []string{"nosniff"}
	sameOrigin = []string{"same-origin"}
	deny       = []string{"DENY"}
	// media-src lets a project's HLS camera stream (an .m3u8 link on the
	// camera system's own host) play in a plain <video>; media runs no
	// script.
	csp = []string{"default-src 'self'; script-src 'self'; worker-src 'self' blob:; " +
		"child-src blob:; img-src 'self' data: blob:; media-src 'self' http: https:; style-src 'self' 'unsafe-inline'; " +
		"connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"}
)

// requestIDs numbers the requests for the logs and error answers: a
// random prefix per server, then a counter. A client's own X-Request-Id is
// not taken: the ID is the server's.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &requestIDs{prefix: hex.EncodeToString(b[:]) + "-"}
}

func (r *requestIDs) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var buf [32]byte
		id := strconv.AppendUint(append(buf[:0], r.prefix...), r.n.Add(1), 36)
		c.Response().Header()[echo.HeaderXRequestID] = []string{string(id)}
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
