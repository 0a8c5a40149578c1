package api

import (
	"strings"

	"github.com/luohe/onemap/geo"
)

// rule is who may call an endpoint.
type rule struct {
	public  bool       // anyone, anonymous included
	session bool       // a signed-in user, by session (not an API token)
	roles   []geo.Role // any of these roles; nil: any signed-in principal
}

var (
	public     = rule{public: true}
	signedIn   = rule{}
	ownSession = rule{session: true}
)

func roles(rs ...geo.Role) rule { return rule{roles: rs} }

// allows checks principal p against the rule: KindUnauthorized for nobody
// where someone is needed, KindForbidden for someone without the role.
func (r rule) allows(p geo.Principal) error {
	if r.public {
		return nil
	}
	if p.Kind == geo.Anonymous || p.Kind == geo.ShareLink {
		return geo.Errorf(geo.KindUnauthorized, "unauthenticated", "请先登录", "log in first")
	}
	if r.session && p.Kind != geo.UserSession {
		return geo.Errorf(geo.KindForbidden, "forbidden", "该操作需要登录会话", "this needs a signed-in session")
	}
	if r.roles != nil && !p.Has(r.roles...) {
		return geo.Errorf(geo.KindForbidden, "forbidden", "您的角色无权执行该操作", "your role may not do this")
	}
	return nil
}

// newPolicy is the permission policy: every route of the server, by
// method and path pattern, with who may call it; HEAD has the rule of GET.
// A route without an entry is refused (and the policy test fails).
func newPolicy() map[string]rule {
	p := map[string]rule{}
	for route, r := range getPolicy() {
		p[route] = r
		if path, ok := strings.CutPrefix(route, "GET "); ok {
			p["HEAD "+path] = r
		}
	}
	return p
}

// getPolicy is the policy without HEAD.
func getPolicy() map[string]rule {
	admin := roles(geo.RoleAdmin)
	// Observation tours are run, and scored, by the major-projects office
	// (admins) and the city's leaders.
	tours := roles(geo.RoleAdmin, geo.RoleLeader)
	return map[string]rule{
		"GET /healthz":                public,
		"GET /readyz":                 public,
		"GET /*":                      public, // the web app's files; data comes from the API
		"GET /style.json":             public,
		"GET /fonts/:stack/:range":    public,
		"POST /api/login":             public,
		"GET /api/session":            public,
		"GET /api/meta":               public, // labels and districts: the login page and share links need them
		"POST /api/logout":            ownSession,
		"PUT /api/me/password":        ownSession,
		"GET /tiles":                  signedIn,
		"GET /tiles/:layer":           signedIn,
		"GET " + tilePath:             signedIn,
		"GET /api/leaders":            roles(geo.Readers(geo.SensitiveLeader)...),
		"GET /api/users":              admin,
		"POST /api/users":             admin,
		"PATCH /api/users/:id":        admin,
		"PUT /api/users/:id/password": admin,
		"GET /api/tokens":             ownSession,
		"POST /api/tokens":            ownSession,
		"DELETE /api/tokens/:id":      ownSession,
		"GET /api/audit":              admin,
		"GET /api/shares":             roles(geo.RoleAdmin, geo.RoleInvestment),
		"POST /api/shares":            roles(geo.RoleAdmin, geo.RoleInvestment),
		"DELETE /api/shares/:id":      roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/shares/:id/opens":   roles(geo.RoleAdmin, geo.RoleInvestment),
		"POST /api/sites/search":      roles(geo.RoleAdmin, geo.RoleInvestment),
		// Share links: anyone with the link; the handlers check the link.
		"GET /s/:token":                           public,
		"GET /s/:token/info":                      public,
		"POST /s/:token/unlock":                   public,
		"GET " + shareTilePath:                    public,
		"GET /api/projects":                       signedIn,
		"GET /api/projects.xlsx":                  signedIn,
		"POST /api/projects":                      roles(geo.RoleAdmin, geo.RoleDistrict),
		"POST /api/projects/import":               roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/projects/:id/stages":            signedIn,
		"GET /api/projects/:id":                   signedIn,
		"PATCH /api/projects/:id":                 roles(geo.RoleAdmin, geo.RoleDistrict),
		"PUT /api/projects/:id/progress/:month":   roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/projects/:id/approval":          signedIn,
		"PUT /api/projects/:id/approval/:step":    roles(geo.RoleAdmin, geo.RoleDistrict),
		"DELETE /api/projects/:id/approval/:step": roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/calendar":                       signedIn,
		"GET /api/calendar/workdays":              signedIn,
		"GET /api/calendar/:year":                 signedIn,
		"PUT /api/calendar/:year/notice":          admin,
		"PUT /api/calendar/:year/days/:date":      admin,
		"DELETE /api/calendar/:year/days/:date":   admin,
		"GET /api/dashboard":                      signedIn,
		"GET /api/bulletins/:file":                roles(geo.RoleAdmin, geo.RoleLeader, geo.RoleDistrict),
		"GET /api/projects/lagging":               signedIn,
		"GET /api/projects/:id/blockers":          signedIn,
		"POST /api/projects/:id/blockers":         roles(geo.RoleAdmin, geo.RoleDistrict),
		"PUT /api/projects/:id/blockers/:bid":     roles(geo.RoleAdmin, geo.RoleDistrict),
		"DELETE /api/projects/:id/blockers/:bid":  roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/settings/warnings":              admin,
		"PUT /api/settings/warnings":              admin,
		"GET /api/imports/options":                roles(geo.RoleAdmin, geo.RoleLand),
		"POST /api/imports":                       roles(geo.RoleAdmin, geo.RoleLand),
		"POST /api/imports/:id/start":             roles(geo.RoleAdmin, geo.RoleLand),
		"GET /api/imports/:id":                    roles(geo.RoleAdmin, geo.RoleLand),
		// The policy's rhythms: their lists show projects' investment.
		"GET /api/pool/reviews/:quarter":            roles(geo.Readers(geo.SensitiveInvestment)...),
		"POST /api/pool/reviews/:quarter/decisions": admin,
		"GET /api/waves":                            roles(geo.Readers(geo.SensitiveInvestment)...),
		"PUT /api/waves/:year":                      admin,
		"PUT /api/projects/:id/wave":                roles(geo.RoleAdmin, geo.RoleDistrict),
		"DELETE /api/projects/:id/wave":             roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/heating":                          roles(geo.Readers(geo.SensitiveInvestment)...),
		"GET /api/heating/:season":                  roles(geo.Readers(geo.SensitiveInvestment)...),
		"PUT /api/heating/:season":                  admin,
		"GET /api/projects/:id/heating/:season":     roles(geo.Readers(geo.SensitiveInvestment)...),
		"PUT /api/projects/:id/heating/:season":     roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/projects/:id/cameras":             signedIn,
		"POST /api/projects/:id/cameras":            roles(geo.RoleAdmin, geo.RoleDistrict),
		"DELETE /api/projects/:id/cameras/:cid":     roles(geo.RoleAdmin, geo.RoleDistrict),
		// A camera system posts with an API token of a district user (row
		// security keeps it to the district's projects) or an admin.
		"POST /api/cameras/:id/snapshots": roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/cameras/:id/snapshot":   signedIn,
		"GET /api/cameras/coverage":       signedIn,
		// The assessment ranks every district: the city's leaders and
		// admins read it, admins set it.
		"GET /api/assessment":                                    roles(geo.RoleAdmin, geo.RoleLeader),
		"PUT /api/assessment/:year/weights":                      admin,
		"PUT /api/assessment/:year/overrides/:district/:item":    admin,
		"DELETE /api/assessment/:year/overrides/:district/:item": admin,
		"GET /api/tours":                                         tours,
		"POST /api/tours":                                        tours,
		"GET /api/tours/key-projects":                            tours,
		"GET /api/tours/:id":                                     tours,
		"PUT /api/tours/:id":                                     tours,
		"DELETE /api/tours/:id":                                  tours,
		"PUT /api/tours/:id/scores":                              tours,
		"GET /api/tours/:id/ranking":                             tours,
		// Photos of the monthly reports: read as the project is (share
		// links see no project), added and deleted as reports are made.
		"POST /api/projects/:id/progress/:month/photos": roles(geo.RoleAdmin, geo.RoleDistrict),
		"GET /api/projects/:id/progress/:month":         signedIn,
		"GET /api/projects/:id/photos":                  signedIn,
		"GET /api/projects/:id/photos/:pid":             signedIn,
		"GET /api/projects/:id/photos/:pid/thumb":       signedIn,
		"DELETE /api/projects/:id/photos/:pid":          roles(geo.RoleAdmin, geo.RoleDistrict),
		"POST /api/land/check":                          signedIn,
		"POST /api/land/check.xlsx":                     signedIn,
		"GET /api/projects/:id/compliance.xlsx":         signedIn,
		"GET /api/land/verdicts":                        signedIn,
		"GET /api/projects/:id/compliance":              signedIn,
		"GET /api/settings/compliance":                  roles(geo.RoleAdmin, geo.RoleLand),
		"PUT /api/settings/compliance":                  admin,
		// Firm targeting: read by everyone signed in (the contacts only
		// by the registry's readers), worked by the investment team.
		"GET /api/firms":             signedIn,
		"GET /api/firms.xlsx":        signedIn,
		"GET /api/firms/map":         signedIn,
		"POST /api/firms":            roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/firms/:id":         signedIn,
		"PATCH /api/firms/:id":       roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/firms/:id/stages":  signedIn,
		"GET /api/parks/:id/chains":  signedIn,
		"PUT /api/parks/:id/chains":  roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/parks/:id/firms":   signedIn,
		"GET /api/parcels/:id/firms": signedIn,
		// Enclaves: read by who reads projects' investment, kept by the
		// investment teams.
		"GET /api/enclaves":                   roles(enclaveReaders...),
		"POST /api/enclaves":                  roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/enclaves/districts":         roles(enclaveReaders...),
		"GET /api/enclaves/:id":               roles(enclaveReaders...),
		"PUT /api/enclaves/:id":               roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/enclaves/:id/split":         roles(enclaveReaders...),
		"PUT /api/projects/:id/figures/:year": roles(geo.RoleAdmin, geo.RoleInvestment),
		// The construction-land quotas: the land bureau sets them; the
		// city's leaders read them with the bureau.
		"GET /api/quotas":                 roles(geo.RoleAdmin, geo.RoleLeader, geo.RoleLand),
		"GET /api/quotas/:year/:district": roles(geo.RoleAdmin, geo.RoleLeader, geo.RoleLand),
		"PUT /api/quotas/:year/:district": roles(geo.RoleAdmin, geo.RoleLand),

		// Parks and parcels: read by anyone signed in (prices and contacts
		// as the registry says), kept by the investment teams; a share
		// link's brochures, for anyone with the link (the handler checks it).
		"GET /api/parks":                     signedIn,
		"POST /api/parks":                    roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/parks/:id":                 signedIn,
		"PATCH /api/parks/:id":               roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/parks/:id/brochure":        signedIn,
		"GET /api/parcels":                   signedIn,
		"POST /api/parcels":                  roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/parcels/:id":               signedIn,
		"PATCH /api/parcels/:id":             roles(geo.RoleAdmin, geo.RoleInvestment),
		"GET /api/parcels/:id/supply":        signedIn,
		"GET /api/parcels/:id/brochure":      signedIn,
		"GET /s/:token/info/:layer/:id":      public,
		"GET /s/:token/brochures/:layer/:id": public,
	}
}
