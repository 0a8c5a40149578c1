package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
)

// endpoint is a sample request of a route and the roles this test expects
// the policy to let through: "public" (anyone), "any" (anyone signed in)
// or a list of roles.
type endpoint struct {
	method, path string
	body         any
	allowed      []string
}

// endpoints has one sample request for every route of the server. A route
// added to the server without a line here fails TestPolicyMatrix.
var endpoints = map[string]endpoint{
	"GET /healthz":                              {"GET", "/healthz", nil, []string{"public"}},
	"GET /readyz":                               {"GET", "/readyz", nil, []string{"public"}},
	"GET /*":                                    {"GET", "/", nil, []string{"public"}},
	"GET /style.json":                           {"GET", "/style.json", nil, []string{"public"}},
	"GET /fonts/:stack/:range":                  {"GET", "/fonts/x/1-2.pbf", nil, []string{"public"}},
	"POST /api/login":                           {"POST", "/api/login", map[string]string{}, []string{"public"}},
	"GET /api/session":                          {"GET", "/api/session", nil, []string{"public"}},
	"GET /api/meta":                             {"GET", "/api/meta", nil, []string{"public"}},
	"POST /api/logout":                          {"POST", "/api/logout", nil, []string{"any"}},
	"PUT /api/me/password":                      {"PUT", "/api/me/password", map[string]string{}, []string{"any"}},
	"GET /tiles":                                {"GET", "/tiles", nil, []string{"any"}},
	"GET /tiles/:layer":                         {"GET", "/tiles/projects.json", nil, []string{"any"}},
	"GET /tiles/:layers/:z/:x/:y":               {"GET", "/tiles/projects" + tileZ10, nil, []string{"any"}},
	"GET /api/users":                            {"GET", "/api/users", nil, []string{"admin"}},
	"POST /api/users":                           {"POST", "/api/users", map[string]string{}, []string{"admin"}},
	"PATCH /api/users/:id":                      {"PATCH", "/api/users/999", map[string]string{}, []string{"admin"}},
	"PUT /api/users/:id/password":               {"PUT", "/api/users/999/password", map[string]string{}, []string{"admin"}},
	"GET /api/tokens":                           {"GET", "/api/tokens", nil, []string{"any"}},
	"POST /api/tokens":                          {"POST", "/api/tokens", map[string]string{}, []string{"any"}},
	"DELETE /api/tokens/:id":                    {"DELETE", "/api/tokens/999", nil, []string{"any"}},
	"GET /api/audit":                            {"GET", "/api/audit", nil, []string{"admin"}},
	"GET /api/projects":                         {"GET", "/api/projects", nil, []string{"any"}},
	"GET /api/projects.xlsx":                    {"GET", "/api/projects.xlsx", nil, []string{"any"}},
	"POST /api/projects":                        {"POST", "/api/projects", map[string]string{}, []string{"admin", "district"}},
	"POST /api/projects/import":                 {"POST", "/api/projects/import", nil, []string{"admin", "district"}},
	"GET /api/projects/:id/stages":              {"GET", "/api/projects/1/stages", nil, []string{"any"}},
	"GET /api/projects/:id":                     {"GET", "/api/projects/1", nil, []string{"any"}},
	"PATCH /api/projects/:id":                   {"PATCH", "/api/projects/1", map[string]string{}, []string{"admin", "district"}},
	"PUT /api/projects/:id/progress/:month":     {"PUT", "/api/projects/1/progress/2026-11", map[string]string{}, []string{"admin", "district"}},
	"GET /api/shares":                           {"GET", "/api/shares", nil, []string{"admin", "investment"}},
	"POST /api/shares":                          {"POST", "/api/shares", map[string]string{}, []string{"admin", "investment"}},
	"DELETE /api/shares/:id":                    {"DELETE", "/api/shares/999", nil, []string{"admin", "investment"}},
	"GET /api/shares/:id/opens":                 {"GET", "/api/shares/999/opens", nil, []string{"admin", "investment"}},
	"POST /api/sites/search":                    {"POST", "/api/sites/search", map[string]string{}, []string{"admin", "investment"}},
	"GET /s/:token":                             {"GET", "/s/sh_nothing", nil, []string{"public"}},
	"GET /s/:token/info":                        {"GET", "/s/sh_nothing/info", nil, []string{"public"}},
	"POST /s/:token/unlock":                     {"POST", "/s/sh_nothing/unlock", map[string]string{}, []string{"public"}},
	"GET /s/:token/tiles/:layers/:z/:x/:y":      {"GET", "/s/sh_nothing/tiles/parcels" + tileZ10, nil, []string{"public"}},
	"GET /api/projects/:id/approval":            {"GET", "/api/projects/1/approval", nil, []string{"any"}},
	"PUT /api/projects/:id/approval/:step":      {"PUT", "/api/projects/1/approval/land", map[string]string{}, []string{"admin", "district"}},
	"DELETE /api/projects/:id/approval/:step":   {"DELETE", "/api/projects/1/approval/land", nil, []string{"admin", "district"}},
	"GET /api/calendar":                         {"GET", "/api/calendar", nil, []string{"any"}},
	"GET /api/calendar/workdays":                {"GET", "/api/calendar/workdays?from=2025-01-01&to=2025-01-31", nil, []string{"any"}},
	"GET /api/calendar/:year":                   {"GET", "/api/calendar/2025", nil, []string{"any"}},
	"PUT /api/calendar/:year/notice":            {"PUT", "/api/calendar/2025/notice", map[string]string{}, []string{"admin"}},
	"PUT /api/calendar/:year/days/:date":        {"PUT", "/api/calendar/2025/days/2025-01-02", map[string]string{}, []string{"admin"}},
	"DELETE /api/calendar/:year/days/:date":     {"DELETE", "/api/calendar/2025/days/2025-01-02", nil, []string{"admin"}},
	"GET /api/leaders":                          {"GET", "/api/leaders", nil, []string{"admin", "leader", "land", "investment", "district"}},
	"GET /api/dashboard":                        {"GET", "/api/dashboard?year=2026", nil, []string{"any"}},
	"GET /api/bulletins/:file":                  {"GET", "/api/bulletins/2026-01.xlsx", nil, []string{"admin", "leader", "district"}},
	"GET /api/projects/lagging":                 {"GET", "/api/projects/lagging", nil, []string{"any"}},
	"GET /api/projects/:id/blockers":            {"GET", "/api/projects/1/blockers", nil, []string{"any"}},
	"POST /api/projects/:id/blockers":           {"POST", "/api/projects/1/blockers", map[string]string{}, []string{"admin", "district"}},
	"PUT /api/projects/:id/blockers/:bid":       {"PUT", "/api/projects/1/blockers/999", map[string]string{}, []string{"admin", "district"}},
	"DELETE /api/projects/:id/blockers/:bid":    {"DELETE", "/api/projects/1/blockers/999", nil, []string{"admin", "district"}},
	"GET /api/settings/warnings":                {"GET", "/api/settings/warnings", nil, []string{"admin"}},
	"PUT /api/settings/warnings":                {"PUT", "/api/settings/warnings", map[string]string{}, []string{"admin"}},
	"GET /api/imports/options":                  {"GET", "/api/imports/options", nil, []string{"admin", "land"}},
	"POST /api/imports":                         {"POST", "/api/imports", nil, []string{"admin", "land"}},
	"POST /api/imports/:id/start":               {"POST", "/api/imports/999/start", map[string]string{}, []string{"admin", "land"}},
	"GET /api/imports/:id":                      {"GET", "/api/imports/999", nil, []string{"admin", "land"}},
	"GET /api/pool/reviews/:quarter":            {"GET", "/api/pool/reviews/2025-Q3", nil, []string{"admin", "leader", "district", "investment"}},
	"POST /api/pool/reviews/:quarter/decisions": {"POST", "/api/pool/reviews/2025-Q3/decisions", map[string]string{}, []string{"admin"}},
	"GET /api/waves":                            {"GET", "/api/waves?year=2025", nil, []string{"admin", "leader", "district", "investment"}},
	"PUT /api/waves/:year":                      {"PUT", "/api/waves/2025", map[string]string{}, []string{"admin"}},
	"PUT /api/projects/:id/wave":                {"PUT", "/api/projects/1/wave", map[string]string{}, []string{"admin", "district"}},
	"DELETE /api/projects/:id/wave":             {"DELETE", "/api/projects/1/wave", nil, []string{"admin", "district"}},
	"GET /api/heating":                          {"GET", "/api/heating", nil, []string{"admin", "leader", "district", "investment"}},
	"GET /api/heating/:season":                  {"GET", "/api/heating/2025-2026", nil, []string{"admin", "leader", "district", "investment"}},
	"PUT /api/heating/:season":                  {"PUT", "/api/heating/2025-2026", map[string]string{}, []string{"admin"}},
	"GET /api/projects/:id/heating/:season":     {"GET", "/api/projects/1/heating/2025-2026", nil, []string{"admin", "leader", "district", "investment"}},
	"PUT /api/projects/:id/heating/:season":     {"PUT", "/api/projects/1/heating/2025-2026", map[string]string{}, []string{"admin", "district"}},
	"GET /api/projects/:id/cameras":             {"GET", "/api/projects/1/cameras", nil, []string{"any"}},
	"POST /api/projects/:id/cameras":            {"POST", "/api/projects/1/cameras", map[string]string{}, []string{"admin", "district"}},
	"DELETE /api/projects/:id/cameras/:cid":     {"DELETE", "/api/projects/1/cameras/999", nil, []string{"admin", "district"}},
	"POST /api/cameras/:id/snapshots":           {"POST", "/api/cameras/999/snapshots", nil, []string{"admin", "district"}},
	"GET /api/cameras/:id/snapshot":             {"GET", "/api/cameras/999/snapshot", nil, []string{"any"}},
	"GET /api/cameras/coverage":                 {"GET", "/api/cameras/coverage", nil, []string{"any"}},
	"GET /api/assessment":                       {"GET", "/api/assessment?year=2026", nil, []string{"admin", "leader"}},
	"PUT /api/assessment/:year/weights":         {"PUT", "/api/assessment/2026/weights", map[string]string{}, []string{"admin"}},
	"PUT /api/assessment/:year/overrides/:district/:item": {"PUT", "/api/assessment/2026/overrides/1/planning", map[string]string{},
		[]string{"admin"}},
	"DELETE /api/assessment/:year/overrides/:district/:item": {"DELETE", "/api/assessment/2026/overrides/1/planning", nil,
		[]string{"admin"}},
	"GET /api/tours":                                {"GET", "/api/tours", nil, []string{"admin", "leader"}},
	"POST /api/tours":                               {"POST", "/api/tours", map[string]string{}, []string{"admin", "leader"}},
	"GET /api/tours/key-projects":                   {"GET", "/api/tours/key-projects?per_district=2", nil, []string{"admin", "leader"}},
	"GET /api/tours/:id":                            {"GET", "/api/tours/999", nil, []string{"admin", "leader"}},
	"PUT /api/tours/:id":                            {"PUT", "/api/tours/999", map[string]string{}, []string{"admin", "leader"}},
	"DELETE /api/tours/:id":                         {"DELETE", "/api/tours/999", nil, []string{"admin", "leader"}},
	"PUT /api/tours/:id/scores":                     {"PUT", "/api/tours/999/scores", map[string]string{}, []string{"admin", "leader"}},
	"GET /api/tours/:id/ranking":                    {"GET", "/api/tours/999/ranking", nil, []string{"admin", "leader"}},
	"GET /api/enclaves":                             {"GET", "/api/enclaves", nil, []string{"admin", "leader", "district", "investment"}},
	"POST /api/enclaves":                            {"POST", "/api/enclaves", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/enclaves/districts":                   {"GET", "/api/enclaves/districts?year=2025", nil, []string{"admin", "leader", "district", "investment"}},
	"GET /api/enclaves/:id":                         {"GET", "/api/enclaves/1", nil, []string{"admin", "leader", "district", "investment"}},
	"PUT /api/enclaves/:id":                         {"PUT", "/api/enclaves/1", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/enclaves/:id/split":                   {"GET", "/api/enclaves/1/split?year=2025", nil, []string{"admin", "leader", "district", "investment"}},
	"PUT /api/projects/:id/figures/:year":           {"PUT", "/api/projects/1/figures/2025", map[string]string{}, []string{"admin", "investment"}},
	"POST /api/projects/:id/progress/:month/photos": {"POST", "/api/projects/1/progress/2026-11/photos", map[string]string{}, []string{"admin", "district"}},
	"GET /api/projects/:id/progress/:month":         {"GET", "/api/projects/1/progress/2026-11", nil, []string{"any"}},
	"GET /api/projects/:id/photos":                  {"GET", "/api/projects/1/photos", nil, []string{"any"}},
	"GET /api/projects/:id/photos/:pid":             {"GET", "/api/projects/1/photos/999", nil, []string{"any"}},
	"GET /api/projects/:id/photos/:pid/thumb":       {"GET", "/api/projects/1/photos/999/thumb", nil, []string{"any"}},
	"DELETE /api/projects/:id/photos/:pid":          {"DELETE", "/api/projects/1/photos/999", nil, []string{"admin", "district"}},
	"POST /api/land/check":                          {"POST", "/api/land/check", map[string]string{}, []string{"any"}},
	"POST /api/land/check.xlsx":                     {"POST", "/api/land/check.xlsx", map[string]string{}, []string{"any"}},
	"GET /api/projects/:id/compliance.xlsx":         {"GET", "/api/projects/1/compliance.xlsx", nil, []string{"any"}},
	"GET /api/land/verdicts":                        {"GET", "/api/land/verdicts", nil, []string{"any"}},
	"GET /api/projects/:id/compliance":              {"GET", "/api/projects/1/compliance", nil, []string{"any"}},
	"GET /api/settings/compliance":                  {"GET", "/api/settings/compliance", nil, []string{"admin", "land"}},
	"PUT /api/settings/compliance":                  {"PUT", "/api/settings/compliance", map[string]string{}, []string{"admin"}},
	"GET /api/firms":                                {"GET", "/api/firms", nil, []string{"any"}},
	"GET /api/firms.xlsx":                           {"GET", "/api/firms.xlsx", nil, []string{"any"}},
	"GET /api/firms/map":                            {"GET", "/api/firms/map", nil, []string{"any"}},
	"POST /api/firms":                               {"POST", "/api/firms", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/firms/:id":                            {"GET", "/api/firms/999", nil, []string{"any"}},
	"PATCH /api/firms/:id":                          {"PATCH", "/api/firms/999", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/firms/:id/stages":                     {"GET", "/api/firms/999/stages", nil, []string{"any"}},
	"GET /api/parks/:id/chains":                     {"GET", "/api/parks/1/chains", nil, []string{"any"}},
	"PUT /api/parks/:id/chains":                     {"PUT", "/api/parks/999/chains", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/parks/:id/firms":                      {"GET", "/api/parks/1/firms", nil, []string{"any"}},
	"GET /api/parcels/:id/firms":                    {"GET", "/api/parcels/1/firms", nil, []string{"any"}},
	"GET /api/quotas":                               {"GET", "/api/quotas?year=2026", nil, []string{"admin", "leader", "land"}},
	"GET /api/quotas/:year/:district":               {"GET", "/api/quotas/2026/1", nil, []string{"admin", "leader", "land"}},
	"PUT /api/quotas/:year/:district":               {"PUT", "/api/quotas/2026/1", map[string]string{}, []string{"admin", "land"}},

	"GET /api/parks":                     {"GET", "/api/parks", nil, []string{"any"}},
	"POST /api/parks":                    {"POST", "/api/parks", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/parks/:id":                 {"GET", "/api/parks/1", nil, []string{"any"}},
	"PATCH /api/parks/:id":               {"PATCH", "/api/parks/1", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/parks/:id/brochure":        {"GET", "/api/parks/1/brochure", nil, []string{"any"}},
	"GET /api/parcels":                   {"GET", "/api/parcels", nil, []string{"any"}},
	"POST /api/parcels":                  {"POST", "/api/parcels", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/parcels/:id":               {"GET", "/api/parcels/1", nil, []string{"any"}},
	"PATCH /api/parcels/:id":             {"PATCH", "/api/parcels/1", map[string]string{}, []string{"admin", "investment"}},
	"GET /api/parcels/:id/supply":        {"GET", "/api/parcels/1/supply", nil, []string{"any"}},
	"GET /api/parcels/:id/brochure":      {"GET", "/api/parcels/1/brochure", nil, []string{"any"}},
	"GET /s/:token/info/:layer/:id":      {"GET", "/s/sh_nothing/info/parcels/1", nil, []string{"public"}},
	"GET /s/:token/brochures/:layer/:id": {"GET", "/s/sh_nothing/brochures/parcels/1", nil, []string{"public"}},
}

// TestPolicyMatrix walks every route with every role and anonymously:
// an allowed call answers its expected status (never a 5xx), a refused
// one 401 (nobody) or 403 (a role without the right). Each role signs in
// once (the fixture's sessions); logout, which ends the session, is
// walked last with a session of its own.
func TestPolicyMatrix(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	routes := slices.Clone(f.api.Routes())
	slices.SortStableFunc(routes, func(a, b string) int {
		return cmpBool(a == "POST /api/logout", b == "POST /api/logout")
	})
	for _, route := range routes {
		ep, ok := endpoints[route]
		if path, head := strings.CutPrefix(route, "HEAD "); head {
			// HEAD is GET without the body: GET's sample and rule.
			ep, ok = endpoints["GET "+path]
			ep.method = http.MethodHead
		}
		want, known := allowedStatus[strings.TrimPrefix(route, "HEAD ")]
		if strings.HasPrefix(route, "HEAD ") {
			want, known = allowedStatus["GET "+strings.TrimPrefix(route, "HEAD ")]
		}
		if !ok || !known {
			t.Errorf("route %s has no line in the matrix test", route)
			continue
		}
		if !f.api.Policy(route) {
			t.Errorf("route %s has no entry in the permission policy", route)
		}
		who := append([]string{"anonymous"}, roleNames()...)
		for _, w := range who {
			t.Run(route+" as "+w, func(t *testing.T) {
				c := f.newClient(t)
				if w != "anonymous" {
					c = f.users[geo.Role(w)]
					if route == "POST /api/logout" {
						c = f.login(t, w+"1", testPassword)
					}
				}
				res := c.do(t, ep.method, ep.path, ep.body)
				allowed := slices.Contains(ep.allowed, "public") || w != "anonymous" && (slices.Contains(ep.allowed, "any") || slices.Contains(ep.allowed, w))
				switch {
				case allowed && res.StatusCode != want(w):
					t.Fatalf("allowed call answered %d, want %d", res.StatusCode, want(w))
				case !allowed && w == "anonymous" && res.StatusCode != 401:
					t.Fatalf("anonymous got %d, want 401", res.StatusCode)
				case !allowed && w != "anonymous" && res.StatusCode != 403:
					t.Fatalf("got %d, want 403", res.StatusCode)
				}
			})
		}
	}
	for route := range endpoints {
		if !slices.Contains(f.api.Routes(), route) {
			t.Errorf("the matrix tests %s, which the server does not have", route)
		}
	}
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// status is the answer an allowed caller gets: the same for everyone.
func status(code int) func(string) int { return func(string) int { return code } }

// allowedStatus is what each sample request answers a caller the policy
// lets through (by role: "anonymous" or a role's id). The samples with an
// empty body are refused as bad input (400) or name nothing (404); none
// may fail inside the server.
var allowedStatus = map[string]func(string) int{
	"GET /healthz":                                           status(200),
	"GET /readyz":                                            status(200),
	"GET /*":                                                 status(200),
	"GET /style.json":                                        status(200),
	"GET /fonts/:stack/:range":                               status(400),
	"POST /api/login":                                        status(400),
	"GET /api/session":                                       status(200),
	"GET /api/meta":                                          status(200),
	"POST /api/logout":                                       status(204),
	"PUT /api/me/password":                                   status(400),
	"GET /tiles":                                             status(200),
	"GET /tiles/:layer":                                      status(200),
	"GET /tiles/:layers/:z/:x/:y":                            status(200),
	"GET /api/users":                                         status(200),
	"POST /api/users":                                        status(400),
	"PATCH /api/users/:id":                                   status(404),
	"PUT /api/users/:id/password":                            status(400),
	"GET /api/tokens":                                        status(200),
	"POST /api/tokens":                                       status(400),
	"DELETE /api/tokens/:id":                                 status(404),
	"GET /api/audit":                                         status(200),
	"GET /api/projects":                                      status(200),
	"GET /api/projects.xlsx":                                 status(200),
	"POST /api/projects":                                     status(400),
	"POST /api/projects/import":                              status(400),
	"GET /api/projects/:id/stages":                           status(200),
	"GET /api/projects/:id":                                  status(200),
	"PATCH /api/projects/:id":                                status(428),
	"PUT /api/projects/:id/progress/:month":                  status(400),
	"GET /api/shares":                                        status(200),
	"POST /api/shares":                                       status(400),
	"DELETE /api/shares/:id":                                 status(404),
	"GET /api/shares/:id/opens":                              status(200),
	"POST /api/sites/search":                                 status(200),
	"GET /s/:token":                                          status(200),
	"GET /s/:token/info":                                     status(404),
	"POST /s/:token/unlock":                                  status(404),
	"GET /s/:token/tiles/:layers/:z/:x/:y":                   status(404),
	"GET /api/projects/:id/approval":                         status(200),
	"PUT /api/projects/:id/approval/:step":                   status(400),
	"DELETE /api/projects/:id/approval/:step":                status(404),
	"GET /api/calendar":                                      status(200),
	"GET /api/calendar/workdays":                             status(200),
	"GET /api/calendar/:year":                                status(200),
	"PUT /api/calendar/:year/notice":                         status(400),
	"PUT /api/calendar/:year/days/:date":                     status(400),
	"DELETE /api/calendar/:year/days/:date":                  status(404),
	"GET /api/leaders":                                       status(200),
	"GET /api/dashboard":                                     status(200),
	"GET /api/bulletins/:file":                               status(200),
	"GET /api/projects/lagging":                              status(200),
	"GET /api/projects/:id/blockers":                         status(200),
	"POST /api/projects/:id/blockers":                        status(400),
	"PUT /api/projects/:id/blockers/:bid":                    status(400),
	"DELETE /api/projects/:id/blockers/:bid":                 status(404),
	"GET /api/settings/warnings":                             status(200),
	"PUT /api/settings/warnings":                             status(400),
	"GET /api/imports/options":                               status(200),
	"POST /api/imports":                                      status(400),
	"POST /api/imports/:id/start":                            status(404),
	"GET /api/imports/:id":                                   status(404),
	"GET /api/pool/reviews/:quarter":                         status(200),
	"POST /api/pool/reviews/:quarter/decisions":              status(400),
	"GET /api/waves":                                         status(200),
	"PUT /api/waves/:year":                                   status(400),
	"PUT /api/projects/:id/wave":                             status(400),
	"DELETE /api/projects/:id/wave":                          status(404),
	"GET /api/heating":                                       status(200),
	"GET /api/heating/:season":                               status(200),
	"PUT /api/heating/:season":                               status(400),
	"GET /api/projects/:id/heating/:season":                  status(200),
	"PUT /api/projects/:id/heating/:season":                  status(400),
	"GET /api/projects/:id/cameras":                          status(200),
	"POST /api/projects/:id/cameras":                         status(400),
	"DELETE /api/projects/:id/cameras/:cid":                  status(404),
	"POST /api/cameras/:id/snapshots":                        status(400),
	"GET /api/cameras/:id/snapshot":                          status(404),
	"GET /api/cameras/coverage":                              status(200),
	"GET /api/assessment":                                    status(200),
	"PUT /api/assessment/:year/weights":                      status(400),
	"PUT /api/assessment/:year/overrides/:district/:item":    status(400),
	"DELETE /api/assessment/:year/overrides/:district/:item": status(404),
	"GET /api/tours":                                         status(200),
	"POST /api/tours":                                        status(400),
	"GET /api/tours/key-projects":                            status(200),
	"GET /api/tours/:id":                                     status(404),
	"PUT /api/tours/:id":                                     status(428),
	"DELETE /api/tours/:id":                                  status(428),
	"PUT /api/tours/:id/scores":                              status(404),
	"GET /api/tours/:id/ranking":                             status(404),
	"GET /api/enclaves":                                      status(200),
	"POST /api/enclaves":                                     status(400),
	"GET /api/enclaves/districts":                            status(200),
	"GET /api/enclaves/:id":                                  status(404),
	"PUT /api/enclaves/:id":                                  status(428),
	"GET /api/enclaves/:id/split":                            status(404),
	"PUT /api/projects/:id/figures/:year":                    status(400),
	"POST /api/projects/:id/progress/:month/photos":          status(400),
	"GET /api/projects/:id/progress/:month":                  status(200),
	"GET /api/projects/:id/photos":                           status(200),
	"GET /api/projects/:id/photos/:pid":                      status(404),
	"GET /api/projects/:id/photos/:pid/thumb":                status(404),
	"DELETE /api/projects/:id/photos/:pid":                   status(404),
	"POST /api/land/check":                                   status(400),
	"POST /api/land/check.xlsx":                              status(400),
	"GET /api/projects/:id/compliance.xlsx":                  status(400),
	"GET /api/land/verdicts":                                 status(200),
	"GET /api/projects/:id/compliance":                       status(400),
	"GET /api/settings/compliance":                           status(200),
	"PUT /api/settings/compliance":                           status(400),
	"GET /api/firms":                                         status(200),
	"GET /api/firms.xlsx":                                    status(200),
	"GET /api/firms/map":                                     status(200),
	"POST /api/firms":                                        status(400),
	"GET /api/firms/:id":                                     status(404),
	"PATCH /api/firms/:id":                                   status(428),
	"GET /api/firms/:id/stages":                              status(404),
	"GET /api/parks/:id/chains":                              status(200),
	"PUT /api/parks/:id/chains":                              status(404),
	"GET /api/parks/:id/firms":                               status(200),
	"GET /api/parcels/:id/firms":                             status(200),
	"GET /api/quotas":                                        status(200),
	"GET /api/quotas/:year/:district":                        status(200),
	"PUT /api/quotas/:year/:district":                        status(400),

	"GET /api/parks":                     status(200),
	"POST /api/parks":                    status(400),
	"GET /api/parks/:id":                 status(200),
	"PATCH /api/parks/:id":               status(428),
	"GET /api/parks/:id/brochure":        status(200),
	"GET /api/parcels":                   status(200),
	"POST /api/parcels":                  status(400),
	"GET /api/parcels/:id":               status(200),
	"PATCH /api/parcels/:id":             status(428),
	"GET /api/parcels/:id/supply":        status(200),
	"GET /api/parcels/:id/brochure":      status(200),
	"GET /s/:token/info/:layer/:id":      status(404),
	"GET /s/:token/brochures/:layer/:id": status(200),
}

func roleNames() []string {
	var out []string
	for _, r := range geo.Roles() {
		out = append(out, r.ID)
	}
	return out
}

func decodeJSON(t *testing.T, res *http.Response, v any) {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("status %d, not JSON: %s", res.StatusCode, b)
	}
}

func errorCode(t *testing.T, res *http.Response) string {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	decodeJSON(t, res, &body)
	if body.Error.Message == "" {
		t.Fatalf("error without a message (status %d)", res.StatusCode)
	}
	return body.Error.Code
}

func TestSessions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	t.Run("session fixation: a planted token is never promoted", func(t *testing.T) {
		c := f.newClient(t)
		planted := &http.Cookie{Name: "onemap_session", Value: "attacker-chosen-value", Path: "/"}
		req, _ := http.NewRequest("GET", f.ts.URL+"/", nil)
		c.http.Jar.SetCookies(req.URL, []*http.Cookie{planted})
		res := c.do(t, "POST", "/api/login", map[string]string{"username": "viewer1", "password": testPassword})
		if res.StatusCode != 200 {
			t.Fatalf("login %d", res.StatusCode)
		}
		for _, ck := range c.http.Jar.Cookies(req.URL) {
			if ck.Name == "onemap_session" && ck.Value == planted.Value {
				t.Fatal("the planted session token survived login")
			}
		}
		a := f.newClient(t)
		a.http.Jar.SetCookies(req.URL, []*http.Cookie{planted})
		if res := a.do(t, "GET", "/tiles", nil); res.StatusCode != 401 {
			t.Fatalf("planted token gives %d", res.StatusCode)
		}
	})
	t.Run("cookie flags", func(t *testing.T) {
		c := f.newClient(t)
		res := c.do(t, "POST", "/api/login", map[string]string{"username": "viewer1", "password": testPassword})
		sc := res.Header.Get("Set-Cookie")
		if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
			t.Fatalf("cookie %q", sc)
		}
	})
	t.Run("CSRF", func(t *testing.T) {
		c := f.login(t, "admin1", testPassword)
		good := c.csrf
		c.csrf = ""
		if res := c.do(t, "POST", "/api/tokens", map[string]string{"name": "x"}); res.StatusCode != 403 || errorCode(t, res) != "csrf" {
			t.Fatalf("no token: %d", res.StatusCode)
		}
		c.csrf = "wrong"
		if res := c.do(t, "POST", "/api/tokens", map[string]string{"name": "x"}); res.StatusCode != 403 {
			t.Fatalf("wrong token: %d", res.StatusCode)
		}
		c.csrf = good
		if res := c.do(t, "POST", "/api/tokens", map[string]string{"name": "x"}, "Origin", "http://evil.example"); res.StatusCode != 403 || errorCode(t, res) != "cross_origin" {
			t.Fatalf("cross origin: %d", res.StatusCode)
		}
		if res := c.do(t, "POST", "/api/tokens", map[string]string{"name": "x"}, "Origin", f.ts.URL); res.StatusCode != 201 {
			t.Fatalf("good request: %d", res.StatusCode)
		}
	})
	t.Run("logout ends the session", func(t *testing.T) {
		c := f.login(t, "leader1", testPassword)
		old := c.http.Jar
		if res := c.do(t, "POST", "/api/logout", nil); res.StatusCode != 204 {
			t.Fatalf("logout %d", res.StatusCode)
		}
		c.http.Jar = old
		if res := c.do(t, "GET", "/tiles", nil); res.StatusCode != 401 {
			t.Fatalf("after logout %d", res.StatusCode)
		}
	})
	t.Run("revoked and expired sessions", func(t *testing.T) {
		c := f.login(t, "land1", testPassword)
		exec(t, f, "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE username = 'land1')")
		res := c.do(t, "GET", "/tiles", nil)
		if res.StatusCode != 401 || errorCode(t, res) != "session_expired" {
			t.Fatalf("expired session: %d", res.StatusCode)
		}
		c = f.login(t, "land1", testPassword)
		exec(t, f, "UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE username = 'land1')")
		if res := c.do(t, "GET", "/tiles", nil); res.StatusCode != 401 {
			t.Fatalf("revoked session: %d", res.StatusCode)
		}
	})
	t.Run("throttled login", func(t *testing.T) {
		c := f.newClient(t)
		for range 5 {
			if res := c.do(t, "POST", "/api/login", map[string]string{"username": "investment1", "password": "wrong-password-1"}); res.StatusCode != 401 {
				t.Fatalf("wrong password: %d", res.StatusCode)
			}
		}
		res := c.do(t, "POST", "/api/login", map[string]string{"username": "investment1", "password": testPassword})
		if res.StatusCode != 429 || errorCode(t, res) != "throttled" {
			t.Fatalf("6th attempt: %d", res.StatusCode)
		}
	})
	t.Run("unknown user and wrong password look alike", func(t *testing.T) {
		c := f.newClient(t)
		a := c.do(t, "POST", "/api/login", map[string]string{"username": "nobody", "password": "x"})
		b := c.do(t, "POST", "/api/login", map[string]string{"username": "viewer1", "password": "x"})
		if a.StatusCode != 401 || b.StatusCode != 401 || errorCode(t, a) != errorCode(t, b) {
			t.Fatal("login answers differ")
		}
	})
}

// TestClientAddress checks whose address login throttling and the audit
// log record: the connection's, unless it is a trusted proxy, which names
// the client in X-Forwarded-For.
func TestClientAddress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		proxies []netip.Prefix
		xff     string
		want    string
	}{
		{"no proxy: the header is the client's to write", nil, "10.0.0.9", "127.0.0.1"},
		{"behind a proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, "10.0.0.9", "10.0.0.9"},
		{"the nearest untrusted address", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("192.168.1.0/24")},
			"203.0.113.7, 10.0.0.9, 192.168.1.20", "10.0.0.9"},
		{"a proxy that is not trusted", []netip.Prefix{netip.MustParsePrefix("192.168.1.0/24")}, "10.0.0.9", "127.0.0.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureWith(t, slog.LevelDebug, 0, c.proxies...)
			res := f.newClient(t).do(t, "POST", "/api/login", map[string]string{"username": "viewer1", "password": "wrong-password-1"},
				"X-Forwarded-For", c.xff)
			if res.StatusCode != 401 {
				t.Fatalf("wrong password: %d", res.StatusCode)
			}
			conn, err := pgx.Connect(t.Context(), f.db.URL())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(t.Context())
			var got string
			if err := conn.QueryRow(t.Context(), "SELECT address FROM login_failures ORDER BY at DESC LIMIT 1").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("address %q, want %q", got, c.want)
			}
		})
	}
}

func exec(t *testing.T, f *fixture, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.users[geo.RoleInvestment]
	res := c.do(t, "POST", "/api/tokens", map[string]any{"name": "GIS 同步", "roles": []string{"admin"}})
	if res.StatusCode != 403 {
		t.Fatalf("token with a role not held: %d", res.StatusCode)
	}
	res = c.do(t, "POST", "/api/tokens", map[string]any{"name": "GIS 同步", "expires_in_days": 30})
	var created struct {
		Token string
		Info  struct{ ID int }
	}
	decodeJSON(t, res, &created)
	t.Run("no secrets in the logs", func(t *testing.T) {
		logs := f.logs.String()
		if !strings.Contains(logs, "login") {
			t.Fatal("the server logged no login")
		}
		for _, secret := range []string{testPassword, created.Token, "wrong-password"} {
			if strings.Contains(logs, secret) {
				t.Fatalf("the log holds a secret: %q", secret)
			}
		}
		for _, c := range f.users {
			if strings.Contains(logs, c.csrf) {
				t.Fatal("the log holds a CSRF token")
			}
			for _, ck := range c.http.Jar.Cookies(mustURL(f.ts.URL)) {
				if strings.Contains(logs, ck.Value) {
					t.Fatal("the log holds a session token")
				}
			}
		}
	})
	t.Run("no secrets in the audit log", func(t *testing.T) {
		conn, err := pgx.Connect(t.Context(), f.db.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(t.Context())
		var users, secrets int
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FILTER (WHERE table_name IN ('users', 'api_tokens')),
			count(*) FILTER (WHERE before ? 'password_hash' OR after ? 'password_hash' OR before ? 'token_hash' OR after ? 'token_hash')
			FROM audit_log`).Scan(&users, &secrets); err != nil {
			t.Fatal(err)
		}
		if users == 0 || secrets != 0 {
			t.Fatalf("%d audit rows of accounts, %d with secrets", users, secrets)
		}
	})
	bearer := func() int {
		anon := f.newClient(t)
		return anon.do(t, "GET", "/tiles", nil, "Authorization", "Bearer "+created.Token).StatusCode
	}
	if bearer() != 200 {
		t.Fatal("token refused")
	}
	var list struct{ Tokens []map[string]any }
	decodeJSON(t, c.do(t, "GET", "/api/tokens", nil), &list)
	if b, _ := json.Marshal(list); len(list.Tokens) != 1 || bytes.Contains(b, []byte(created.Token)) {
		t.Fatalf("token list %s", b)
	}
	anon := f.newClient(t)
	if res := anon.do(t, "GET", "/tiles", nil, "Authorization", "Bearer om_not-a-real-token"); res.StatusCode != 401 {
		t.Fatalf("forged token: %d", res.StatusCode)
	}
	exec(t, f, "UPDATE api_tokens SET expires_at = now() - interval '1 second'")
	if bearer() != 401 {
		t.Fatal("expired token accepted")
	}
	exec(t, f, "UPDATE api_tokens SET expires_at = NULL")
	if res := c.do(t, "DELETE", "/api/tokens/"+itoa(created.Info.ID), nil); res.StatusCode != 204 {
		t.Fatalf("revoke %d", res.StatusCode)
	}
	if bearer() != 401 {
		t.Fatal("revoked token accepted")
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// rename is the PATCH body that renames a project.
func rename(name string) map[string]any {
	return map[string]any{"properties": map[string]any{"name": name}}
}

func TestRowScopeAndAudit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.users[geo.RoleDistrict] // district 1
	var own, other struct{ ID, Version int }
	conn, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if err := conn.QueryRow(t.Context(), "SELECT id, version FROM projects WHERE district_id = 1 ORDER BY id LIMIT 1").Scan(&own.ID, &own.Version); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(t.Context(), "SELECT id, version FROM projects WHERE district_id = 2 LIMIT 1").Scan(&other.ID, &other.Version); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/projects/" + itoa(other.ID)} {
		if res := d.do(t, "GET", path, nil); res.StatusCode != 404 {
			t.Fatalf("district user reads another district's project: %d", res.StatusCode)
		}
		if res := d.do(t, "PATCH", path, rename("改名"), "If-Match", `"v`+itoa(other.Version)+`"`); res.StatusCode != 404 {
			t.Fatalf("district user changes another district's project: %d", res.StatusCode)
		}
		if res := d.do(t, "PUT", path+"/progress/2026-10", map[string]any{"planned": "1", "invested": "1"}); res.StatusCode != 404 {
			t.Fatalf("district user reports for another district's project: %d", res.StatusCode)
		}
	}
	res := d.do(t, "PATCH", "/api/projects/"+itoa(own.ID), rename("漯河食品产业园扩建项目（一期）"),
		"X-Forwarded-For", "10.1.2.3", "If-Match", `"v`+itoa(own.Version)+`"`)
	var p map[string]any
	decodeJSON(t, res, &p)
	if res.StatusCode != 200 || p["name"] != "漯河食品产业园扩建项目（一期）" {
		t.Fatalf("own project: %d %v", res.StatusCode, p)
	}
	if res := d.do(t, "PATCH", "/api/projects/"+itoa(own.ID), rename("旧版本"), "If-Match", `"v`+itoa(own.Version)+`"`); res.StatusCode != 412 {
		t.Fatalf("stale version: %d", res.StatusCode)
	}
	if res := d.do(t, "PUT", "/api/projects/"+itoa(own.ID)+"/progress/2026-10", map[string]any{"planned": "1200.50", "invested": "980", "progress_note": "主体结构封顶"}); res.StatusCode != 204 {
		t.Fatalf("progress: %d", res.StatusCode)
	}
	var actor, action string
	var before, after map[string]any
	if err := conn.QueryRow(t.Context(), "SELECT actor, action, before, after FROM audit_log WHERE table_name = 'projects' ORDER BY id DESC LIMIT 1").Scan(&actor, &action, &before, &after); err != nil {
		t.Fatal(err)
	}
	if actor != "district1" || action != "update" || before["name"] == after["name"] {
		t.Fatalf("audit %s %s %v → %v", actor, action, before["name"], after["name"])
	}
	t.Run("the admin reads the audit log", func(t *testing.T) {
		var out struct {
			Entries []struct{ Actor, Table string }
		}
		decodeJSON(t, f.get(t, "/api/audit?user=district1&table=project_progress"), &out)
		if len(out.Entries) != 1 {
			t.Fatalf("audit entries %+v", out.Entries)
		}
	})
	t.Run("the database holds the scope without the API", func(t *testing.T) {
		tx, err := conn.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(t.Context())
		if _, err := tx.Exec(t.Context(), `SET LOCAL ROLE onemap_app; SELECT set_config('onemap.roles', 'district', true), set_config('onemap.district', '1', true)`); err != nil {
			t.Fatal(err)
		}
		tag, err := tx.Exec(t.Context(), "UPDATE projects SET name = 'x' WHERE district_id = 2")
		if err != nil || tag.RowsAffected() != 0 {
			t.Fatalf("row security let an update through: %v %v", tag, err)
		}
		if _, err := tx.Exec(t.Context(), "UPDATE audit_log SET actor = 'x'"); err == nil {
			t.Fatal("the server's role rewrote the audit log")
		}
	})
}

func TestFieldVisibility(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for role, sees := range map[geo.Role]bool{geo.RoleViewer: false, geo.RoleLeader: true, geo.RoleLand: false} {
		c := f.users[role]
		var p map[string]any
		decodeJSON(t, c.do(t, "GET", "/api/projects/1", nil), &p)
		if _, ok := p["total_investment"]; ok != sees {
			t.Errorf("%s sees total_investment in JSON: %v", role, ok)
		}
		res := c.do(t, "GET", "/tiles/projects"+tileZ10, nil, "Accept-Encoding", "gzip")
		for _, ft := range decodeTile(t, res)[0].Features {
			if _, ok := ft.Properties["total_investment"]; ok != sees {
				t.Errorf("%s sees total_investment in tiles: %v", role, ok)
			}
		}
	}
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.newClient(t).do(t, "GET", "/", nil)
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	scriptSrc := ""
	for part := range strings.SplitSeq(csp, ";") {
		if strings.HasPrefix(strings.TrimSpace(part), "script-src") {
			scriptSrc = part
		}
	}
	if scriptSrc == "" || strings.Contains(scriptSrc, "unsafe-inline") || strings.Contains(scriptSrc, "unsafe-eval") ||
		!strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Fatalf("headers %v", h)
	}
	// A tile is never shown as a page: it carries nosniff and its own
	// type, without the page-only headers.
	tile := f.users[geo.RoleViewer].do(t, "GET", "/tiles/projects"+tileZ10, nil, "Accept-Encoding", "gzip")
	tile.Body.Close()
	if h := tile.Header; tile.StatusCode != 200 || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Type") != "application/vnd.mapbox-vector-tile" || h.Get("Content-Security-Policy") != "" || h.Get("X-Request-Id") == "" {
		t.Fatalf("tile: %d %v", tile.StatusCode, h)
	}
	admin := f.users[geo.RoleAdmin]
	body := map[string]any{"username": "viewer1", "display_name": "重名", "password": "luohe2026abcd", "roles": []string{"viewer"}}
	res = admin.do(t, "POST", "/api/users", body)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 409 || bytes.Contains(b, []byte("duplicate key")) || bytes.Contains(b, []byte("SQLSTATE")) || bytes.Contains(b, []byte("users_")) {
		t.Fatalf("duplicate user: %d %s", res.StatusCode, b)
	}
	for _, bad := range []struct{ method, path, body string }{
		{"POST", "/api/users", "{not json"},
		{"POST", "/api/users", `{"username":"a"} {"x":1}`},
		{"POST", "/api/users", `{"unknown_field":1}`},
		{"PATCH", "/api/users/abc", `{}`},
		{"PATCH", "/api/projects/99999999999", `{}`},
		{"PUT", "/api/projects/1/progress/2026-13", `{"planned":"1","invested":"1"}`},
		{"PATCH", "/api/projects/1", `{"properties":{"stage":"done"}}`},
		{"PATCH", "/api/projects/1", `{"properties":{"annual_plan":"12.345"}}`},
		{"GET", "/api/audit?from=yesterday", ""},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), bad.method, f.ts.URL+bad.path, strings.NewReader(bad.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", admin.csrf)
		req.Header.Set("If-Match", `"v1"`)
		res, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 400 || !bytes.Contains(b, []byte(`"code"`)) || bytes.Contains(b, []byte("SQLSTATE")) {
			t.Errorf("%s %s: %d %s", bad.method, bad.path, res.StatusCode, b)
		}
	}
}
