package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/api"
	"github.com/luohe/onemap/fonts"
	"github.com/luohe/onemap/frontend"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/migrations"
	"github.com/luohe/onemap/ogr"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/project"
	"github.com/luohe/onemap/tiles"
)

// Main is the program: the configuration and what it opened. Tests start
// the real program through it.
type Main struct {
	Config  Config
	log     *slog.Logger
	cluster *postgis.Cluster
	db      *postgis.DB // the owner: migrations, bulk loads, LISTEN
	app     *postgis.DB // the server's role: every request
	appURL  string
	out     io.Writer // where development notices go
	// timeouts of the HTTP server; tests shorten them.
	timeouts httpTimeouts
	// domains serialises the reloads of the filter domains (loadDomains),
	// from the listener and from writing requests: a reload that read
	// before a change must not land after one that read it.
	domains sync.Mutex
	// domainsDue asks reloadDomains for a reload of the filter domains on
	// the listener's behalf: the announcements that come while one runs
	// are answered by one more, not one each.
	domainsDue chan struct{}
}

// NewMain returns a Main logging to w.
func NewMain(cfg Config, w io.Writer) *Main {
	return &Main{Config: cfg, log: cfg.logger(w), out: w, timeouts: defaultTimeouts(cfg.StatementTimeout)}
}

// Open starts the embedded database unless a URL is configured, connects
// and applies the migrations.
func (m *Main) Open(ctx context.Context) error {
	url := m.Config.DatabaseURL
	if url == "" {
		m.log.Info("starting the embedded database", "data", m.Config.Data)
		c, err := postgis.StartCluster(ctx, postgis.ClusterOptions{
			Dir: m.Config.Data, BinDir: m.Config.PGBin, Log: &logWriter{m.log.With("source", "postgres")}, Notes: m.log,
		})
		if err != nil {
			return err
		}
		m.cluster = c
		if err := postgis.CreateDatabase(ctx, c.URL("postgres"), postgis.Database, ""); err != nil {
			return err
		}
		url = c.URL(postgis.Database)
		m.appURL = c.URLAs(postgis.AppRole, postgis.Database)
	}
	db, err := postgis.Open(ctx, url, postgis.Options{MaxConns: 4, StatementTimeout: m.Config.StatementTimeout, Cluster: m.cluster})
	if err != nil {
		return err
	}
	m.db = db
	applied, err := db.Migrate(ctx, migrations.FS())
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		m.log.Info("migrations applied", "versions", applied)
	}
	return nil
}

// checkAccounts refuses a production start while an account has a
// published default password, and in development prints the demo
// accounts.
func (m *Main) checkAccounts(ctx context.Context, acc *access.Service) error {
	names, err := acc.DefaultPasswordUsers(ctx)
	if err != nil {
		return err
	}
	if m.Config.Production {
		if len(names) > 0 {
			return fmt.Errorf("production start refused: accounts %s still have their default passwords "+
				"(change them with \"onemap user passwd NAME\" or disable them)", strings.Join(names, ", "))
		}
		return nil
	}
	return printDemoAccounts(ctx, acc, m.out)
}

// openApp opens the pool of the server's requests: logged in as the
// server's role on the embedded database, or taking it on (SET ROLE) over
// a configured URL.
func (m *Main) openApp(ctx context.Context) error {
	o := postgis.Options{MaxConns: int32(m.Config.MaxConns), StatementTimeout: m.Config.StatementTimeout, Cluster: m.cluster}
	url := m.appURL
	if url == "" {
		url, o.Role = m.db.URL(), postgis.AppRole
	}
	app, err := postgis.Open(ctx, url, o)
	if err != nil {
		return err
	}
	m.app = app
	return nil
}

// Serve opens the database and serves HTTP until ctx ends, then shuts down
// gracefully. If ready is not nil it receives the listening address.
func (m *Main) Serve(ctx context.Context, ready chan<- string) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.openApp(ctx); err != nil {
		return err
	}
	reg := geo.NewRegistry()
	acc, err := newAccess(m.app, reg)
	if err != nil {
		return err
	}
	if err := m.checkAccounts(ctx, acc); err != nil {
		return err
	}
	// The filters' domains (district codes, leaders) are the whole data's:
	// read by the owner, whom row-level security does not narrow.
	cat := tiles.NewCatalogue(reg, m.db)
	if err := cat.LoadDomains(ctx); err != nil {
		return err
	}
	src, err := m.app.NewTileSource(cat)
	if err != nil {
		return err
	}
	var cache *tiles.Cache
	if m.Config.CacheMB > 0 {
		cache = tiles.NewCache(int64(m.Config.CacheMB) << 20)
	}
	// A write is in the tiles it answers: its own cached tiles are dropped
	// before the answer, not when its notification comes back (follow).
	m.app.OnTilesChanged(func(payload string) {
		m.tilesChanged(cat, cache, payload, func() { m.loadDomains(ctx, cat) })
	})
	glyphs, err := fonts.New()
	if err != nil {
		return err
	}
	web, err := frontend.Dist()
	if err != nil {
		return err
	}
	projects := project.NewService(m.app)
	limits := land.DefaultLimits()
	imports := land.NewImporter(m.app, ogr.New(limits), filepath.Join(m.Config.Data, "imports"), limits, m.log)
	defer imports.Close()
	// Imports left running by a server that died rolled back with it.
	if err := imports.Reap(ctx); err != nil {
		return err
	}
	approvals := project.NewApprovals(m.app)
	ls := land.NewService(m.app)
	srv, err := api.New(api.Config{
		Imports:   imports,
		Catalogue: cat, Tiles: tiles.NewService(src, cache), Health: m.app, Access: acc, Invest: invest.NewService(m.app), Glyphs: glyphs,
		Firms:    invest.NewFirms(m.app),
		Projects: projects, Approvals: approvals, Policies: project.NewPolicies(m.app, projects), Tours: project.NewTours(m.app, projects), Land: ls, Places: m.app, Registry: reg,
		Cameras: project.NewCameras(m.app), Assessments: project.NewAssessments(m.app, approvals), Enclaves: invest.NewEnclaves(m.app),
		City: api.City{Name: m.Config.CityName, NameEN: m.Config.CityNameEN},
		Web:  web, Style: frontend.Style(), Log: m.log, CredentialTTL: 30 * time.Second,
		TrustedProxies: m.Config.TrustedProxies, PublicURL: m.Config.PublicURL,
		Sites: invest.NewSites(m.app),
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	lctx, stopListen := context.WithCancel(ctx)
	defer stopListen()
	// The warning levels are brought up to date before the cache follows
	// the database: the cache is empty, and a level written later would
	// drop the first tiles served.
	m.refreshLevels(ctx, projects)
	// So are the stale compliance verdicts (a fresh demo database has
	// every project's), for the same reason: each one stored announces a
	// change of the projects' tiles, which carry it.
	m.recheckVerdicts(ctx, ls)
	listening := make(chan struct{})
	m.domainsDue = make(chan struct{}, 1)
	go m.reloadDomains(lctx, cat)
	go m.follow(lctx, cat, cache, srv, listening)
	go m.reassess(lctx, projects)
	go m.recheck(lctx, ls)
	select {
	case <-listening:
	case <-ctx.Done():
		return nil
	}
	m.log.Info("onemap is serving", "addr", "http://"+ln.Addr().String(), "public_url", m.Config.PublicURL, "trusted_proxies", m.Config.TrustedProxies.String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	return newHTTPServer(srv, m.timeouts, m.log).serve(ctx, ln)
}

// follow listens to the database's announcements until ctx ends: changed
// tiled data drops the tiles it touches from cache (nil: no cache) and
// reloads the catalogue's filter domains if it may touch them, changed
// credentials make srv forget the ones it holds. listening is closed once
// the first LISTEN is in place.
func (m *Main) follow(ctx context.Context, cat *tiles.Catalogue, cache *tiles.Cache, srv *api.Server, listening chan struct{}) {
	first, down := true, false
	_ = m.db.Listen(ctx, []string{postgis.TileChannel, postgis.AuthChannel}, postgis.Listener{
		Connected: func() {
			down = false
			// Also the first time: a change between the load at start and
			// the LISTEN would go unheard.
			m.loadDomains(ctx, cat)
			if first {
				first = false
				close(listening)
				return
			}
			srv.ForgetCredentials()
			if cache != nil {
				n := cache.Invalidate(nil, nil)
				m.log.Info("notifications reconnected: caches cleared", "tiles", n)
			}
		},
		Notify: func(channel, payload string) {
			if channel == postgis.AuthChannel {
				srv.ForgetCredentials()
				return
			}
			m.tilesChanged(cat, cache, payload, m.askDomains)
		},
		Lost: func(err error) {
			// Once per outage: Listen tries again until it is over.
			level := slog.LevelWarn
			if down {
				level = slog.LevelDebug
			}
			down = true
			m.log.Log(ctx, level, "database notifications lost; reconnecting", "err", err)
		},
	})
}

// tilesChanged drops the tiles a change touches from cache (nil: no
// cache) and calls reload if the change may touch the catalogue's filter
// domains. payload is the change's invalidation: a notification of
// another server's write (or of this one's, again), or this server's own
// write before it answers.
func (m *Main) tilesChanged(cat *tiles.Catalogue, cache *tiles.Cache, payload string, reload func()) {
	inv, err := tiles.ParseInvalidation(payload)
	if err != nil {
		m.log.Error("tile notification", "err", err)
		reload()
		if cache != nil {
			cache.Invalidate(nil, nil)
		}
		return
	}
	if cat.DomainsTouched(inv) {
		reload()
	}
	if cache == nil {
		return
	}
	n := cache.Apply(inv)
	m.log.Debug("tiles invalidated", "layers", inv.Layers, "bbox", inv.BBox, "tiles", n)
}

// askDomains asks reloadDomains for a reload of the filter domains, unless
// one is asked for already.
func (m *Main) askDomains() {
	select {
	case m.domainsDue <- struct{}{}:
	default:
	}
}

// reloadDomains reloads the catalogue's filter domains when askDomains
// asks, until ctx ends.
func (m *Main) reloadDomains(ctx context.Context, cat *tiles.Catalogue) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.domainsDue:
			m.loadDomains(ctx, cat)
		}
	}
}

// loadDomains reloads the catalogue's filter domains; on a failure the
// values held stay, and the next announcement tries again.
func (m *Main) loadDomains(ctx context.Context, cat *tiles.Catalogue) {
	m.domains.Lock()
	defer m.domains.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := cat.LoadDomains(ctx); err != nil {
		m.log.Warn("filter values not reloaded", "err", err)
	}
}

// Close closes the database and stops the embedded cluster if this
// process started it.
func (m *Main) Close() {
	if m.app != nil {
		m.app.Close()
		m.app = nil
	}
	if m.db != nil {
		m.db.Close()
		m.db = nil
	}
	if m.cluster != nil {
		m.cluster.Stop()
		m.cluster = nil
	}
}

// logWriter turns PostgreSQL's output lines into log records: problems
// at warning level, the rest at debug level.
type logWriter struct{ log *slog.Logger }

func (w *logWriter) Write(p []byte) (int, error) {
	for line := range strings.SplitSeq(strings.TrimRight(string(p), "\n"), "\n") {
		level := slog.LevelDebug
		problem := strings.Contains(line, "FATAL:") || strings.Contains(line, "PANIC:") || strings.Contains(line, "ERROR:")
		expected := strings.Contains(line, "the database system is starting up") ||
			strings.Contains(line, "the database system is not yet accepting connections") ||
			strings.Contains(line, "terminating connection due to administrator command")
		if problem && !expected {
			level = slog.LevelWarn
		}
		w.log.Log(context.Background(), level, line)
	}
	return len(p), nil
}

// reassess keeps the warning levels the project tiles colour by current
// until ctx ends, every hour after the start's refreshLevels, for the
// months and due dates that pass without a write.
func (m *Main) reassess(ctx context.Context, projects *project.Service) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.refreshLevels(ctx, projects)
		}
	}
}

// recheckEvery is how often the server looks for stale compliance
// verdicts (a changed site, an imported land layer): a re-check of the
// demo ledger's sites takes well under a second.
const recheckEvery = 10 * time.Second

// recheck checks the stale compliance verdicts again every recheckEvery
// until ctx ends; a failure is logged and tried again at the next round.
func (m *Main) recheck(ctx context.Context, ls *land.Service) {
	t := time.NewTicker(recheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		m.recheckVerdicts(ctx, ls)
	}
}

// recheckVerdicts checks every stale compliance verdict again; a failure
// is logged.
func (m *Main) recheckVerdicts(ctx context.Context, ls *land.Service) {
	p := geo.Principal{Kind: geo.UserSession, Username: "onemap serve", Roles: []geo.Role{geo.RoleAdmin}}
	if n, err := ls.Recheck(ctx, p); err != nil && ctx.Err() == nil {
		m.log.Error("compliance verdicts", "err", err)
	} else if n > 0 {
		m.log.Info("compliance verdicts rechecked", "projects", n)
	}
}

// refreshLevels assesses every project's warning level, writing those
// that changed; a failure is logged.
func (m *Main) refreshLevels(ctx context.Context, projects *project.Service) {
	p := geo.Principal{Kind: geo.UserSession, Username: "onemap serve", Roles: []geo.Role{geo.RoleAdmin}}
	if err := projects.Refresh(ctx, p, nil); err != nil && ctx.Err() == nil {
		m.log.Error("warning levels", "err", err)
	}
}
