// Package api is onemap's HTTP interface: echo routes and handlers,
// request parsing, wire formats (TileJSON, the MapLibre style), health
// checks, the embedded web app, and the one place where error kinds become
// HTTP statuses.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/tiles"
)

// Health tells whether the database is reachable and migrated.
type Health interface {
	Ready(ctx context.Context) error
}

// Glyphs serves MapLibre glyph ranges.
type Glyphs interface {
	Range(stack string, start int) ([]byte, error)
}

// Config is what the API serves.
type Config struct {
	Catalogue *tiles.Catalogue
	Tiles     *tiles.Service
	Health    Health
	Access    *access.Service
	Projects  *project.Service
	// Approvals is the joint approval (联审联批) and its working-day
	// calendar.
	Approvals *project.Approvals
	// Policies are the reserve pool's reviews, the groundbreaking waves
	// and heating-season construction.
	Policies *project.Policies
	// Cameras is on-site visual supervision: cameras, snapshots, coverage.
	Cameras *project.Cameras
	// Assessments is the district assessment (考核).
	Assessments *project.Assessments
	// Tours is the observation tours (观摩).
	Tours *project.Tours
	Land  *land.Service
	// Imports brings the land bureau's files into the land layers.
	Imports *land.Importer
	Places  Places
	// Registry is the field registry: labels, sensitivity, share fields.
	Registry *geo.Registry
	// Enclaves is the enclaves (飞地) and their share schedules.
	Enclaves *invest.Enclaves
	// City names the city; its extent comes from Places.
	City   City
	Invest *invest.Service
	// Firms is firm targeting (精准招商): target firms, industry chains.
	Firms  *invest.Firms
	Sites  *invest.Sites // parks, parcels, their brochures and the site search (智能选址)
	Glyphs Glyphs
	// Web is the built web app (index.html and assets).
	Web fs.FS
	// CredentialTTL is how long a checked session or API token is trusted
	// without asking the database again (0: always ask). Call
	// ForgetCredentials when the database announces a change.
	CredentialTTL time.Duration
	// Style is the MapLibre style template; "{origin}" stands for the
	// server's scheme://host.
	Style []byte
	Log   *slog.Logger
	// TrustedProxies are the reverse proxies in front of onemap: a request
	// from one of them names its client in X-Forwarded-For (the nearest
	// address from the right that is not a trusted proxy). Empty: the
	// connection's address is the client's, whatever the headers say.
	TrustedProxies []netip.Prefix
	// PublicURL is the scheme://host[:port] clients reach onemap at: the
	// absolute URLs of the style, TileJSON, the layer list and share links
	// start with it. Empty: with the request's own scheme and Host, which
	// the client writes, in answers no shared cache may keep.
	PublicURL string
}

// Server is the HTTP server.
type Server struct {
	Config
	echo   *echo.Echo
	log    *slog.Logger
	policy map[string]rule
	creds  *credCache
	// methods lists the methods of each route's path pattern, for the
	// requests that match no route.
	methods map[string][]string
}

// The routes that answer with tiles.
const (
	tilePath      = "/tiles/:layers/:z/:x/:y"
	shareTilePath = "/s/:token/tiles/:layers/:z/:x/:y"
)

// clientAddress finds a request's client: the connection's address, or
// behind trusted proxies the nearest untrusted address in X-Forwarded-For.
func clientAddress(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	// Nothing but the given ranges: echo would trust private and loopback
	// addresses too.
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	s := &Server{Config: cfg, echo: echo.New(), log: cfg.Log, policy: newPolicy(), creds: newCredCache(cfg.CredentialTTL)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	// The client's address feeds login throttling and the audit log:
	// X-Forwarded-For is believed only from a trusted proxy, since a client
	// can write it.
	e.IPExtractor = clientAddress(cfg.TrustedProxies)
	e.Use(newRequestIDs().middleware)
	e.Use(s.recover)
	e.Use(securityHeaders)
	e.Use(s.accessLog)
	e.Use(s.routed)
	e.Use(s.authenticate)
	e.Use(s.authorize)
	e.Use(checkQuery)

	// HEAD is GET without the body (net/http drops what a handler writes
	// for HEAD), so every GET route takes HEAD too: here, in one place, and
	// the policy gives HEAD the rule of GET.
	get := func(path string, h echo.HandlerFunc) { e.Match([]string{http.MethodGet, http.MethodHead}, path, h) }
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)
	get("/tiles", s.tileList)
	get("/tiles/:layer", s.tileJSON)
	get(tilePath, s.tile)
	get("/style.json", s.style)
	get("/fonts/:stack/:range", s.glyphs)
	get("/*", s.web)

	e.POST("/api/login", s.login)
	e.POST("/api/logout", s.logout)
	get("/api/session", s.session)
	get("/api/meta", s.meta)
	get("/api/leaders", s.leaders)
	e.PUT("/api/me/password", s.setMyPassword)
	get("/api/users", s.users)
	e.POST("/api/users", s.createUser)
	e.PATCH("/api/users/:id", s.updateUser)
	e.PUT("/api/users/:id/password", s.setPassword)
	get("/api/tokens", s.tokens)
	e.POST("/api/tokens", s.createToken)
	e.DELETE("/api/tokens/:id", s.revokeToken)
	get("/api/audit", s.audit)
	get("/api/projects", s.listProjects)
	e.POST("/api/projects", s.createProject)
	get("/api/projects.xlsx", s.exportProjects)
	e.POST("/api/projects/import", s.importProjects)
	get("/api/projects/:id", s.project)
	get("/api/projects/:id/stages", s.projectStages)
	e.PATCH("/api/projects/:id", s.updateProject)
	e.PUT("/api/projects/:id/progress/:month", s.putProgress)
	e.GET("/api/projects/:id/progress/:month", s.getProgress)
	e.POST("/api/projects/:id/progress/:month/photos", s.addPhoto)
	get("/api/projects/:id/photos", s.photos)
	get("/api/projects/:id/photos/:pid", s.photoFile(false))
	get("/api/projects/:id/photos/:pid/thumb", s.photoFile(true))
	e.DELETE("/api/projects/:id/photos/:pid", s.deletePhoto)
	get("/api/projects/:id/approval", s.approval)
	e.PUT("/api/projects/:id/approval/:step", s.putApprovalStep)
	e.DELETE("/api/projects/:id/approval/:step", s.deleteApprovalStep)
	get("/api/calendar", s.calendarYears)
	get("/api/calendar/workdays", s.workdays)
	get("/api/calendar/:year", s.calendarYear)
	e.PUT("/api/calendar/:year/notice", s.putCalendarYear)
	e.PUT("/api/calendar/:year/days/:date", s.putCalendarDay)
	e.DELETE("/api/calendar/:year/days/:date", s.deleteCalendarDay)
	get("/api/dashboard", s.dashboard)
	get("/api/bulletins/:file", s.bulletin)
	get("/api/projects/lagging", s.lagging)
	get("/api/projects/:id/blockers", s.blockers)
	e.POST("/api/projects/:id/blockers", s.saveBlocker)
	e.PUT("/api/projects/:id/blockers/:bid", s.saveBlocker)
	e.DELETE("/api/projects/:id/blockers/:bid", s.deleteBlocker)
	get("/api/settings/warnings", s.warningThresholds)
	get("/api/tours", s.tours)
	e.POST("/api/tours", s.createTour)
	get("/api/tours/key-projects", s.keyProjects)
	get("/api/tours/:id", s.tour)
	e.PUT("/api/tours/:id", s.updateTour)
	e.DELETE("/api/tours/:id", s.deleteTour)
	e.PUT("/api/tours/:id/scores", s.putTourScores)
	get("/api/tours/:id/ranking", s.tourRanking)
	get("/api/enclaves", s.enclaves)
	e.POST("/api/enclaves", s.createEnclave)
	get("/api/enclaves/districts", s.enclaveTable)
	get("/api/enclaves/:id", s.enclave)
	e.PUT("/api/enclaves/:id", s.updateEnclave)
	get("/api/enclaves/:id/split", s.enclaveSplit)
	e.PUT("/api/projects/:id/figures/:year", s.putProjectFigures)
	e.PUT("/api/settings/warnings", s.putWarningThresholds)
	get("/api/pool/reviews/:quarter", s.poolReview)
	e.POST("/api/pool/reviews/:quarter/decisions", s.poolDecide)
	get("/api/waves", s.waves)
	e.PUT("/api/waves/:year", s.putWaves)
	e.PUT("/api/projects/:id/wave", s.assignWave)
	e.DELETE("/api/projects/:id/wave", s.unassignWave)
	get("/api/heating", s.heating)
	get("/api/heating/:season", s.heating)
	e.PUT("/api/heating/:season", s.putHeatingSeason)
	get("/api/projects/:id/heating/:season", s.projectHeating)
	e.PUT("/api/projects/:id/heating/:season", s.putProjectHeating)
	get("/api/projects/:id/cameras", s.cameras)
	e.POST("/api/projects/:id/cameras", s.addCamera)
	e.DELETE("/api/projects/:id/cameras/:cid", s.deleteCamera)
	e.POST("/api/cameras/:id/snapshots", s.addSnapshot)
	get("/api/cameras/:id/snapshot", s.latestSnapshot)
	get("/api/cameras/coverage", s.coverage)
	get("/api/assessment", s.assessment)
	e.PUT("/api/assessment/:year/weights", s.putAssessmentWeights)
	e.PUT("/api/assessment/:year/overrides/:district/:item", s.putAssessmentOverride)
	e.DELETE("/api/assessment/:year/overrides/:district/:item", s.deleteAssessmentOverride)
	get("/api/shares", s.shares)
	e.POST("/api/shares", s.createShare)
	e.DELETE("/api/shares/:id", s.revokeShare)
	get("/api/shares/:id/opens", s.shareOpens)
	get("/api/parks", s.listParks)
	e.POST("/api/parks", s.createPark)
	get("/api/parks/:id", s.park)
	e.PATCH("/api/parks/:id", s.updatePark)
	get("/api/parks/:id/brochure", s.parkBrochure)
	get("/api/parcels", s.listParcels)
	e.POST("/api/parcels", s.createParcel)
	get("/api/parcels/:id", s.parcel)
	e.PATCH("/api/parcels/:id", s.updateParcel)
	get("/api/parcels/:id/supply", s.parcelSupply)
	get("/api/parcels/:id/brochure", s.parcelBrochure)
	get("/s/:token/info/:layer/:id", s.shareBrochure)
	get("/s/:token/brochures/:layer/:id", s.sharePage)
	e.POST("/api/sites/search", s.searchSites)
	get("/s/:token", s.sharePage)
	get("/s/:token/info", s.shareInfo)
	e.POST("/s/:token/unlock", s.unlockShare)
	get(shareTilePath, s.shareTile)
	get("/api/imports/options", s.importOptions)
	e.POST("/api/imports", s.uploadImport)
	e.POST("/api/imports/:id/start", s.startImport)
	get("/api/imports/:id", s.getImport)
	e.POST("/api/land/check", s.checkSite)
	e.POST("/api/land/check.xlsx", s.checkSite)
	get("/api/projects/:id/compliance.xlsx", s.projectCompliance)
	get("/api/land/verdicts", s.verdicts)
	get("/api/projects/:id/compliance", s.projectCompliance)
	get("/api/settings/compliance", s.complianceSettings)
	e.PUT("/api/settings/compliance", s.putComplianceSettings)
	get("/api/firms", s.listFirms)
	get("/api/firms.xlsx", s.exportFirms)
	get("/api/firms/map", s.firmsMap)
	e.POST("/api/firms", s.createFirm)
	get("/api/firms/:id", s.firm)
	e.PATCH("/api/firms/:id", s.updateFirm)
	get("/api/firms/:id/stages", s.firmStages)
	get("/api/parks/:id/chains", s.parkChains)
	e.PUT("/api/parks/:id/chains", s.putParkChains)
	get("/api/parks/:id/firms", s.siteFirms)
	get("/api/parcels/:id/firms", s.siteFirms)
	get("/api/quotas", s.quotas)
	get("/api/quotas/:year/:district", s.quota)
	e.PUT("/api/quotas/:year/:district", s.putQuota)
	s.methods = routeMethods(e.Routes())
	return s, nil
}

// Routes lists the server's routes as "METHOD /path/:param", for the
// policy test.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.echo.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Policy reports whether the permission policy has an entry for a route.
func (s *Server) Policy(route string) bool {
	_, ok := s.policy[route]
	return ok
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.Health.Ready(ctx); err != nil {
		// Probes ask every few seconds: an outage would flood the log.
		s.log.Debug("not ready", "err", err)
		return &geo.Error{Kind: geo.KindUnavailable, Code: "not_ready", Message: "数据库不可用或未完成迁移",
			MessageEN: "database unreachable or not migrated", Err: err}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
