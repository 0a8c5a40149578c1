package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/tiles"
)

// maxTilePath bounds the layer list before it is split.
const maxTilePath = 256

func (s *Server) tile(c echo.Context) error {
	return s.serveTile(c, principal(c))
}

// serveTile answers a tile request for principal p.
func (s *Server) serveTile(c echo.Context, p geo.Principal) error {
	layers, y := c.Param("layers"), c.Param("y")
	if len(layers) > maxTilePath {
		return geo.Invalid("too_many_layers", "图层列表过长", "layer list too long")
	}
	y, ok := strings.CutSuffix(y, ".mvt")
	if !ok {
		return geo.NotFound("bad_tile_format", "瓦片格式仅支持 .mvt", "tiles are served as .mvt only")
	}
	// Most tile URLs have no query: parse none.
	var query url.Values
	if c.Request().URL.RawQuery != "" {
		query = c.QueryParams()
	}
	req, err := s.Catalogue.ParseRequest(p, layers, c.Param("z"), c.Param("x"), y, query)
	if err != nil {
		return err
	}
	t, err := s.Tiles.Tile(c.Request().Context(), req)
	if err != nil {
		return err
	}
	// Headers go in under their canonical names, values shared where they
	// never change: most requests are tiles from the cache.
	h := c.Response().Header()
	h["Etag"] = []string{t.ETag}
	// Tiles differ by who reads them: no shared cache may hold them.
	h["Cache-Control"] = privateNoCache
	h["Vary"] = varyEncoding
	if etagMatch(c.Request().Header.Get("If-None-Match"), t.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	h["Content-Type"] = mvtType
	if acceptsGzip(c.Request().Header.Get("Accept-Encoding")) {
		h["Content-Encoding"] = gzipEncoding
		// A known length spares the chunked encoding.
		h["Content-Length"] = []string{strconv.Itoa(len(t.Gzip))}
		return writeWhole(c, t.Gzip)
	}
	zr, err := gzip.NewReader(bytes.NewReader(t.Gzip))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	h["Content-Length"] = []string{strconv.Itoa(len(raw))}
	return writeWhole(c, raw)
}

var (
	mvtType        = []string{"application/vnd.mapbox-vector-tile"}
	privateNoCache = []string{"private, no-cache"}
	varyEncoding   = []string{"Accept-Encoding"}
	gzipEncoding   = []string{"gzip"}
)

// etagMatch implements If-None-Match's weak comparison over a list.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for part := range strings.SplitSeq(header, ",") {
		p := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if p == "*" || p == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			q := strings.TrimSpace(params)
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// leaderInfo is a leader in charge in GET /api/leaders: the name that the
// projects' leader filter takes, and the titles stored with it.
type leaderInfo struct {
	Name   string   `json:"name"`
	Titles []string `json:"titles"`
}

// leaders is GET /api/leaders: the leaders in charge of projects, from
// the data (the values the projects' leader filter takes, held in
// memory), for the roles that may see them (the policy).
func (s *Server) leaders(c echo.Context) error {
	out := []leaderInfo{}
	for _, ch := range s.Catalogue.Choices(tiles.Leaders) {
		li := leaderInfo{Name: ch.Key, Titles: []string{}}
		for _, stored := range ch.Stored {
			if t := geo.ParseLeader(stored).Title; t != "" && !slices.Contains(li.Titles, t) {
				li.Titles = append(li.Titles, t)
			}
		}
		out = append(out, li)
	}
	c.Response().Header()["Cache-Control"] = privateNoCache
	return c.JSON(http.StatusOK, map[string]any{"leaders": out})
}

// layerInfo is a layer in GET /tiles.
type layerInfo struct {
	Name     string      `json:"name"`
	Title    string      `json:"title"`
	TitleEN  string      `json:"title_en"`
	MinZoom  int         `json:"minzoom"`
	MaxZoom  int         `json:"maxzoom"`
	TileJSON string      `json:"tilejson"`
	Tiles    string      `json:"tiles"`
	Fields   []fieldInfo `json:"fields"`
	Filters  []string    `json:"filters,omitempty"`
}

type fieldInfo struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Label string `json:"label"`
	EN    string `json:"label_en"`
}

func (s *Server) tileList(c echo.Context) error {
	origin := s.urlBase(c)
	var out []layerInfo
	for _, l := range s.Catalogue.Layers() {
		li := layerInfo{Name: l.Name, Title: l.ZH, TitleEN: l.EN, MinZoom: l.MinZoom, MaxZoom: l.MaxZoom,
			TileJSON: origin + "/tiles/" + l.Name + ".json", Tiles: origin + "/tiles/" + l.Name + "/{z}/{x}/{y}.mvt"}
		for _, f := range l.Fields {
			li.Fields = append(li.Fields, fieldInfo{f.Name, string(f.Type), f.Label(), f.LabelEN()})
		}
		for _, f := range l.Filters {
			li.Filters = append(li.Filters, f.Name)
		}
		out = append(out, li)
	}
	return c.JSON(http.StatusOK, map[string]any{"layers": out, "max_layers_per_tile": tiles.MaxLayersPerTile})
}

func (s *Server) tileJSON(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("layer"), ".json")
	if !ok {
		return geo.NotFound("not_found", "请求的地址不存在", "no such endpoint")
	}
	l, ok := s.Catalogue.Layer(name)
	if !ok {
		return geo.NotFound("unknown_layer", "未知图层：%q", "unknown layer %q", name)
	}
	fields := map[string]string{}
	for _, f := range l.Fields {
		fields[f.Name] = string(f.Type)
	}
	ci, _, err := s.whereabouts(c.Request().Context())
	if err != nil {
		return err
	}
	center := [3]float64{ci.Center[0], ci.Center[1], max(float64(l.MinZoom), ci.Zoom)}
	return c.JSON(http.StatusOK, map[string]any{
		"tilejson":    "3.0.0",
		"name":        l.ZH,
		"description": l.Description,
		"version":     "1.0.0",
		"scheme":      "xyz",
		"tiles":       []string{s.urlBase(c) + "/tiles/" + l.Name + "/{z}/{x}/{y}.mvt"},
		"minzoom":     l.MinZoom,
		"maxzoom":     l.MaxZoom,
		"bounds":      ci.Bounds,
		"center":      center,
		"attribution": ci.Name + "一张图 onemap",
		"vector_layers": []map[string]any{{
			"id": l.Name, "description": l.ZH + " " + l.EN, "minzoom": l.MinZoom, "maxzoom": l.MaxZoom, "fields": fields,
		}},
	})
}

// origin is the scheme://host the client used.
func origin(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}

// urlBase is the scheme://host that absolute URLs in the answer start
// with: the public URL if one is configured. Without one it is the
// request's own, from the Host header, which any client can write; so the
// answer is then marked private: no shared cache keeps a forged Host's
// URLs to hand to others.
func (s *Server) urlBase(c echo.Context) string {
	if s.PublicURL != "" {
		return s.PublicURL
	}
	c.Response().Header()["Cache-Control"] = privateNoCache
	scheme := "http"
	if c.Scheme() == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host
}

// style serves the style template with its URLs made absolute.
func (s *Server) style(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	// In JSON text: net/http lets no quote or backslash into a Host, but
	// the style need not count on it.
	base, err := json.Marshal(s.urlBase(c))
	if err != nil {
		return err
	}
	body := bytes.ReplaceAll(s.Style, []byte("{origin}"), base[1:len(base)-1])
	return c.Blob(http.StatusOK, "application/json", body)
}

func (s *Server) glyphs(c echo.Context) error {
	r, ok := strings.CutSuffix(c.Param("range"), ".pbf")
	first, last, ok2 := strings.Cut(r, "-")
	start, err1 := strconv.Atoi(first)
	end, err2 := strconv.Atoi(last)
	if !ok || !ok2 || err1 != nil || err2 != nil || end != start+255 {
		return geo.Invalid("bad_glyph_range", "字形范围无效：%q", "invalid glyph range %q", c.Param("range"))
	}
	b, err := s.Glyphs.Range(c.Param("stack"), start)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "application/x-protobuf", b)
}
