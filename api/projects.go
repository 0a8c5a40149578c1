package api

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb/geojson"
)

// redact renders v (an aggregate's view) as a JSON object without the
// fields of kind that principal p may not see, as the field registry
// says.
func (s *Server) redact(p geo.Principal, kind string, v any) (map[string]json.RawMessage, error) {
	m, err := asMap(v)
	if err != nil {
		return nil, err
	}
	for k := range m {
		if !s.Registry.Visible(p, kind, k) {
			delete(m, k)
		}
	}
	return m, nil
}

// redactAll renders views vs of kind as redact does each.
func redactAll[T any](s *Server, p geo.Principal, kind string, vs []T) ([]map[string]json.RawMessage, error) {
	out := make([]map[string]json.RawMessage, len(vs))
	for i, v := range vs {
		var err error
		if out[i], err = s.redact(p, kind, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// asMap renders v as a JSON object, its members still encoded.
func asMap(v any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	err = json.Unmarshal(b, &m)
	return m, err
}

// versioned answers v, of version, with its entity tag, for its reader
// alone.
func versioned(c echo.Context, code, version int, v any) error {
	h := c.Response().Header()
	h.Set("ETag", etag(version))
	h.Set("Cache-Control", "private, no-cache")
	h.Add("Vary", "Cookie, Authorization")
	return c.JSON(code, v)
}

// etag is the entity tag of a project's version.
func etag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// ifMatch reads the version a change was made on from If-Match: one
// strong entity tag of the thing changed, what in Chinese and whatEN in
// English ("项目", "project"): KindPreconditionRequired without one,
// KindInvalid for another.
func ifMatch(c echo.Context, what, whatEN string) (int, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, geo.Errorf(geo.KindPreconditionRequired, "if_match_required",
			"修改%[1]s须带 If-Match 请求头：读取%[1]s时得到的 ETag", "a change to a %[2]s needs If-Match: the ETag the %[2]s was read with", what, whatEN)
	}
	m := regexp.MustCompile(`^"v([1-9][0-9]{0,8})"$`).FindStringSubmatch(h)
	if m == nil {
		return 0, geo.Invalid("bad_if_match", "If-Match 须为读取%[1]s时得到的一个 ETag，如 \"v3\"", `If-Match must be the one ETag the %[2]s was read with, e.g. "v3"`, what, whatEN)
	}
	return strconv.Atoi(m[1])
}

// renderProject answers a project's view as p may see it, with its ETag.
func (s *Server) renderProject(c echo.Context, p geo.Principal, code int, v project.View) error {
	m, err := s.redact(p, "projects", v)
	if err != nil {
		return err
	}
	return versioned(c, code, v.Version, m)
}

func (s *Server) project(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Projects.Project(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return s.renderProject(c, p, http.StatusOK, v)
}

// feature is a project as POST and PATCH take it: a GeoJSON Feature whose
// properties are the fields GET answers; in a PATCH, the fields to change
// and, if given, the new place.
type feature struct {
	Type       string         `json:"type"`
	Geometry   any            `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// edit reads a bound feature: KindInvalid for anything but a Feature
// whose properties are text, numbers or null and whose geometry is
// GeoJSON.
func (f feature) edit(patch bool) (project.Edit, error) {
	var e project.Edit
	if f.Type != "Feature" && (!patch || f.Type != "") {
		return e, geo.Invalid("bad_feature", "请求内容须为 GeoJSON Feature（\"type\": \"Feature\"）", `the body must be a GeoJSON Feature ("type": "Feature")`)
	}
	if len(f.Properties) == 0 && !patch {
		return e, geo.Invalid("bad_feature", "Feature 缺少 properties", "the Feature has no properties")
	}
	e.Values = project.Values{}
	for k, v := range f.Properties {
		switch v := v.(type) {
		case nil:
			e.Values[k] = nil
		case string:
			e.Values[k] = &v
		case float64:
			s := strconv.FormatFloat(v, 'f', -1, 64)
			e.Values[k] = &s
		default:
			return e, geo.Invalid("bad_json", "字段 %s 须为文本、数字或 null", "field %s must be text, a number or null", quote(k))
		}
	}
	if f.Geometry != nil {
		b, err := json.Marshal(f.Geometry)
		if err != nil {
			return e, err
		}
		gj, err := geojson.UnmarshalGeometry(b)
		if err != nil || gj.Geometry() == nil {
			return e, geo.Invalid("bad_geometry", "geometry 不是有效的 GeoJSON 几何", "geometry is not a valid GeoJSON geometry")
		}
		e.Geometry = gj.Geometry()
	} else if !patch {
		if _, ok := f.Properties["lon"]; !ok {
			return e, geo.Invalid("bad_geometry", "须给出项目位置（geometry：点或用地范围）", "the project needs a place (geometry: a point or its site)")
		}
	}
	return e, nil
}

func (s *Server) createProject(c echo.Context) error {
	var f feature
	body, err := bindBody(c, &f)
	if err != nil {
		return err
	}
	e, err := f.edit(false)
	if err != nil {
		return err
	}
	var key *project.Idempotency
	if k, ok := c.Request().Header["Idempotency-Key"]; ok {
		sum := sha256.Sum256(body)
		key = &project.Idempotency{Key: strings.Join(k, ","), Fingerprint: sum[:]}
	}
	p := principal(c)
	v, created, err := s.Projects.Create(c.Request().Context(), p, e, key)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/projects/"+v.ID.String())
	if !created {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return s.renderSavedProject(c, p, http.StatusCreated, e, v)
}

func (s *Server) updateProject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, "项目", "project")
	if err != nil {
		return err
	}
	var f feature
	if err := bind(c, &f); err != nil {
		return err
	}
	e, err := f.edit(true)
	if err != nil {
		return err
	}
	p := principal(c)
	v, err := s.Projects.Update(c.Request().Context(), p, id, version, e)
	var ge *geo.Error
	if errors.As(err, &ge) {
		if st, ok := ge.Details.(project.Stale); ok {
			return s.staleError(c, p, ge, st)
		}
	}
	if err != nil {
		return err
	}
	return s.renderSavedProject(c, p, http.StatusOK, e, v)
}

// staleError answers a change made on an old version: the project as p
// may see it now, with its ETag, and the fields changed that p may see.
func (s *Server) staleError(c echo.Context, p geo.Principal, ge *geo.Error, st project.Stale) error {
	cur, err := s.redact(p, "projects", st.Current)
	if err != nil {
		return err
	}
	var changed []string
	if st.Changed != nil {
		changed = []string{}
	}
	for _, f := range st.Changed {
		if s.Registry.Visible(p, "projects", f) {
			changed = append(changed, f)
		}
	}
	c.Response().Header().Set("ETag", etag(st.Current.Version))
	out := *ge
	out.Details = map[string]any{"current": cur, "changed": changed}
	return &out
}

// filter reads the ledger's filter from the query, as the tile URLs
// write it: stage, category, district (codes), leader (names, as the
// tiles' leader filter takes them, or leaders as stored), warning_level,
// started and finished (years), each a comma separated list, and q, a
// part of a name or the start of a project code. Filtering by a field p
// may not see is KindForbidden.
func (s *Server) filter(c echo.Context) (project.Filter, error) {
	list := func(name string) []string { return queryList(c, name) }
	var f project.Filter
	for _, v := range list("stage") {
		f.Stages = append(f.Stages, geo.Stage(v))
	}
	for _, v := range list("category") {
		f.Categories = append(f.Categories, geo.Category(v))
	}
	f.Districts, f.Leaders = list("district"), list("leader")
	f.Levels, f.Started, f.Finished = list("warning_level"), list("started"), list("finished")
	f.Query = strings.TrimSpace(c.QueryParam("q"))
	if len(f.Leaders) > 0 && !s.Registry.Visible(principal(c), "projects", "leader") {
		return f, geo.Errorf(geo.KindForbidden, "forbidden", "您的角色不能按分包领导筛选", "your role may not filter by leader")
	}
	if len(f.Levels) > 0 && !s.Registry.Visible(principal(c), "projects", "warning_level") {
		return f, geo.Errorf(geo.KindForbidden, "forbidden", "您的角色不能按预警等级筛选", "your role may not filter by warning level")
	}
	for _, ch := range s.Catalogue.Choices(tiles.Leaders) {
		if slices.Contains(f.Leaders, ch.Key) {
			for _, stored := range ch.Stored {
				if !slices.Contains(f.Leaders, stored) {
					f.Leaders = append(f.Leaders, stored)
				}
			}
		}
	}
	if l := c.QueryParam("limit"); l != "" {
		n, err := parsePositive(l, project.MaxList)
		if err != nil {
			return f, geo.Invalid("bad_filter", "limit 须为 1–%d", "limit is 1 to %d", project.MaxList)
		}
		f.Limit = n
	}
	return f, nil
}

// ledger lists the projects of the request's filter that its principal
// may see.
func (s *Server) ledger(c echo.Context) (geo.Principal, []project.View, error) {
	f, err := s.filter(c)
	if err != nil {
		return geo.Principal{}, nil, err
	}
	p := principal(c)
	vs, err := s.Projects.List(c.Request().Context(), p, f)
	return p, vs, err
}

func (s *Server) listProjects(c echo.Context) error {
	p, vs, err := s.ledger(c)
	if err != nil {
		return err
	}
	out, err := redactAll(s, p, "projects", vs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) projectStages(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	es, err := s.Projects.Stages(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, es)
}

func (s *Server) putProgress(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var r project.Report
	if err := bind(c, &r); err != nil {
		return err
	}
	// With If-Match, the report as it was read (its ETag): one changed
	// on the server meanwhile is not overwritten.
	if tag := strings.TrimSpace(c.Request().Header.Get("If-Match")); tag != "" {
		now, err := s.Projects.PutProgressIf(c.Request().Context(), principal(c), id, c.Param("month"), r, tag)
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", now)
		return c.NoContent(http.StatusNoContent)
	}
	if err := s.Projects.PutProgress(c.Request().Context(), principal(c), id, c.Param("month"), r); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// getProgress answers a project's report of a month with its ETag, the
// If-Match of a change that must not overwrite another (an empty report
// for a month not reported yet).
func (s *Server) getProgress(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, tag, err := s.Projects.Progress(c.Request().Context(), principal(c), id, c.Param("month"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, r)
}
