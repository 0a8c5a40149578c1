package postgis

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/big"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Bulk loading: a whole dataset (onemap seed) or streams of synthetic
// features (onemap seed --scale) in one transaction with onemap.bulk on,
// so that the per-row audit, tile notifications and land-use triggers
// stay quiet (onemap_bulk, migrations/repeatable/10_principal.sql). Rows
// go in through COPY; geometries arrive as WKB in staging tables and are
// made valid on their way into the real tables. At the end the loader
// regenerates the generalised land use, writes one audit row and sends one
// notification for every layer.

//go:embed sql/load_*.sql
var loadSQL embed.FS

// loadStatement returns the SQL of sql/load_<name>.sql.
func loadStatement(name string) (string, error) {
	b, err := loadSQL.ReadFile("sql/load_" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("load statement %s: %w", name, err)
	}
	return string(b), nil
}

// Dataset is a whole city's data, as the demo generator makes it and the
// bulk loader writes it.
type Dataset struct {
	Systems      []land.System
	Classes      []land.Class
	Districts    []geo.District
	Parks        []invest.Park
	Parcels      []invest.Parcel
	Projects     []project.Project
	Landuse      []land.Zone
	ControlLines []land.ControlLine
	ControlZones []land.ControlZone
	Quotas       []land.Quota
	Enclaves     []invest.Enclave
	Firms        []invest.Firm
	Transport    []geo.Transport
}

// SeedActor is the audit log's actor of a bulk load when none is given.
const SeedActor = "onemap seed"

// loadLayers are the tile layers a bulk load can change: all of them.
func loadLayers() []string {
	return []string{"landuse", "controls", "districts", "parks", "enclaves", "parcels", "transport", "firms", "projects"}
}

// LoadCount is the number of rows a bulk load wrote into one table.
type LoadCount struct {
	Table string
	Rows  int64
}

// LoadReport says what a bulk load did.
type LoadReport struct {
	Counts     []LoadCount   // rows written, per table in load order
	Repaired   int64         // geometries that were invalid and were made valid
	Cells      int64         // cells of the generalised land use written
	Generalise time.Duration // time onemap_landuse_generalise took
	Elapsed    time.Duration // time of the whole load, commit included
}

// Rows returns the rows written into table.
func (r LoadReport) Rows(table string) int64 {
	var n int64
	for _, c := range r.Counts {
		if c.Table == table {
			n += c.Rows
		}
	}
	return n
}

func (r *LoadReport) add(table string, n int64) {
	for i := range r.Counts {
		if r.Counts[i].Table == table {
			r.Counts[i].Rows += n
			return
		}
	}
	r.Counts = append(r.Counts, LoadCount{Table: table, Rows: n})
}

// orSeed is actor, or SeedActor when none is given.
func orSeed(actor string) string {
	if actor == "" {
		return SeedActor
	}
	return actor
}

// loadErrSeeded is returned when a dataset is loaded into a database
// that holds one.
func loadErrSeeded() *geo.Error {
	return geo.Errorf(geo.KindConflict, "already_seeded",
		"数据库中已有数据：演示数据只能载入空数据库",
		"the database already holds data: a dataset loads only into an empty database")
}

// LoadDataset loads a whole dataset into an empty database in one
// transaction, as LoadDatasetAs does with the actor SeedActor. A database
// that already has districts gets an error of kind KindConflict, code
// "already_seeded".
func (db *DB) LoadDataset(ctx context.Context, ds *Dataset) error {
	_, err := db.LoadDatasetAs(ctx, ds, SeedActor)
	return err
}

// LoadDatasetAs loads a whole dataset into an empty database in one
// transaction and reports what it wrote; actor names who loaded it in the
// audit log. The dataset's IDs are kept, and the identity sequences move
// past them.
func (db *DB) LoadDatasetAs(ctx context.Context, ds *Dataset, actor string) (LoadReport, error) {
	start := time.Now()
	var rep LoadReport
	if ds == nil {
		return rep, geo.Invalid("no_dataset", "没有要载入的数据", "no dataset to load")
	}
	actor = orSeed(actor)
	err := db.loadTx(ctx, func(tx pgx.Tx) error {
		// Seeds wait for each other; the second finds the first's data.
		if _, err := tx.Exec(ctx, "LOCK TABLE districts IN EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("lock districts: %w", err)
		}
		var seeded bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM districts)").Scan(&seeded); err != nil {
			return fmt.Errorf("check for data: %w", err)
		}
		if seeded {
			return loadErrSeeded()
		}
		return loadStaged(ctx, tx, ds, []string{"dataset", "projects"}, actor, &rep, true)
	})
	rep.Elapsed = time.Since(start)
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// StreamLoad is a bulk load of features too many to hold in memory, such as
// the synthetic data of demo.ScaleLanduse and demo.ScaleParcels. Zones and
// parcels take their IDs from the database (their ID fields are ignored);
// parcel codes must be new.
type StreamLoad struct {
	Actor   string // the audit log's actor; empty: SeedActor
	Systems []land.System
	Classes []land.Class // added unless there: the features' classes must exist
	Landuse iter.Seq2[land.Zone, error]
	Parcels iter.Seq2[invest.Parcel, error]
	Batch   int // rows per COPY batch; 0: 50 000
}

// LoadStream adds streamed land-use zones and parcels in one transaction,
// batch by batch, then regenerates the generalised land use, writes one
// audit row and sends one notification. A stream that yields an error
// stops the load and nothing is written.
func (db *DB) LoadStream(ctx context.Context, s StreamLoad) (LoadReport, error) {
	start := time.Now()
	var rep LoadReport
	actor := orSeed(s.Actor)
	batch := s.Batch
	if batch <= 0 {
		batch = 50000
	}
	err := db.loadTx(ctx, func(tx pgx.Tx) error {
		if err := loadClasses(ctx, tx, s.Systems, s.Classes); err != nil {
			return err
		}
		if err := loadExec(ctx, tx, "stage"); err != nil {
			return err
		}
		if s.Landuse != nil {
			move, err := loadStatement("stream_landuse")
			if err != nil {
				return err
			}
			n, fixed, err := loadBatches(ctx, tx, s.Landuse, batch, "load_landuse", loadLanduseColumns(), loadLanduseRow, move)
			if err != nil {
				return fmt.Errorf("land use: %w", err)
			}
			rep.add("landuse", n)
			rep.Repaired += fixed
		}
		if s.Parcels != nil {
			move, err := loadStatement("stream_parcels")
			if err != nil {
				return err
			}
			n, fixed, err := loadBatches(ctx, tx, s.Parcels, batch, "load_parcels", loadParcelColumns(), loadParcelRow, move)
			if err != nil {
				return fmt.Errorf("parcels: %w", err)
			}
			rep.add("parcels", n)
			rep.Repaired += fixed
		}
		return loadFinish(ctx, tx, actor, &rep, true)
	})
	rep.Elapsed = time.Since(start)
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// ProjectLoad is a bulk load of projects, such as the synthetic ones of
// demo.ScaleProjects, into a database that holds their districts.
type ProjectLoad struct {
	Actor    string // the audit log's actor; empty: SeedActor
	Systems  []land.System
	Classes  []land.Class // added unless there: the projects' intended classes must exist
	Projects []project.Project
}

// LoadProjects adds projects with their monthly reports and blockers in
// one transaction. Their IDs and their blockers' are ignored: they take
// the next ones after the database's; project codes must be new.
func (db *DB) LoadProjects(ctx context.Context, l ProjectLoad) (LoadReport, error) {
	start := time.Now()
	var rep LoadReport
	actor := orSeed(l.Actor)
	err := db.loadTx(ctx, func(tx pgx.Tx) error {
		if err := loadClasses(ctx, tx, l.Systems, l.Classes); err != nil {
			return err
		}
		// Seeds wait for each other, and each numbers after the other.
		if _, err := tx.Exec(ctx, "LOCK TABLE projects, project_blockers IN EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("lock projects: %w", err)
		}
		var pid, bid geo.ID
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT max(id) FROM projects), 0),
				coalesce((SELECT max(id) FROM project_blockers), 0)`).Scan(&pid, &bid); err != nil {
			return fmt.Errorf("next ids: %w", err)
		}
		ps := make([]project.Project, len(l.Projects))
		for i, p := range l.Projects {
			pid++
			p.ID = pid
			p.Blockers = slices.Clone(p.Blockers)
			for j := range p.Blockers {
				bid++
				p.Blockers[j].ID = bid
			}
			ps[i] = p
		}
		return loadStaged(ctx, tx, &Dataset{Projects: ps}, []string{"projects"}, actor, &rep, false)
	})
	rep.Elapsed = time.Since(start)
	return rep, err
}

// loadStaged copies ds in: its tables with geometries into the staging
// tables, which the statements moves move into the real tables, the rows
// that refer to them after; then it moves the identity sequences past the
// ids and finishes (loadFinish).
func loadStaged(ctx context.Context, tx pgx.Tx, ds *Dataset, moves []string, actor string, rep *LoadReport, generalise bool) error {
	if err := loadExec(ctx, tx, "stage"); err != nil {
		return err
	}
	cs := loadCopies(ds)
	for _, c := range cs {
		if !c.after {
			if err := c.run(ctx, tx, rep); err != nil {
				return err
			}
		}
	}
	q, err := loadStatement("invalid")
	if err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, q).Scan(&rep.Repaired); err != nil {
		return fmt.Errorf("check geometries: %w", err)
	}
	for _, name := range moves {
		if err := loadExec(ctx, tx, name); err != nil {
			return err
		}
	}
	for _, c := range cs {
		if c.after {
			if err := c.run(ctx, tx, rep); err != nil {
				return err
			}
		}
	}
	if err := loadExec(ctx, tx, "sequences"); err != nil {
		return err
	}
	return loadFinish(ctx, tx, actor, rep, generalise)
}

// loadTx runs fn in one transaction with the bulk setting on and no
// statement or idle timeout: a load takes as long as it takes.
func (db *DB) loadTx(ctx context.Context, fn func(pgx.Tx) error) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer conn.Release()
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, set := range []string{
			"SET LOCAL onemap.bulk = 'on'",
			"SET LOCAL statement_timeout = 0",
			"SET LOCAL idle_in_transaction_session_timeout = 0",
		} {
			if _, err := tx.Exec(ctx, set); err != nil {
				return fmt.Errorf("bulk load: %s: %w", set, err)
			}
		}
		return fn(tx)
	})
}

func loadExec(ctx context.Context, tx pgx.Tx, name string) error {
	q, err := loadStatement(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, q); err != nil {
		return fmt.Errorf("load statement %s: %w", name, err)
	}
	return nil
}

// loadFinish refreshes statistics, regenerates the generalised land use
// (if generalise: a load of projects leaves it alone), writes the audit
// row and notifies every layer.
func loadFinish(ctx context.Context, tx pgx.Tx, actor string, rep *LoadReport, generalise bool) error {
	if err := loadExec(ctx, tx, "analyze"); err != nil {
		return err
	}
	if generalise {
		t := time.Now()
		if err := tx.QueryRow(ctx, "SELECT onemap_landuse_generalise(NULL)").Scan(&rep.Cells); err != nil {
			return fmt.Errorf("generalise land use: %w", err)
		}
		rep.Generalise = time.Since(t)
	}
	counts := map[string]int64{"landuse_gen": rep.Cells, "repaired": rep.Repaired}
	for _, c := range rep.Counts {
		counts[c.Table] = c.Rows
	}
	after, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	q, err := loadStatement("audit")
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, q, actor, string(after)); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT onemap_notify_layers($1::text[], NULL)", loadLayers()); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// loadClasses adds classification systems and classes unless they exist.
func loadClasses(ctx context.Context, tx pgx.Tx, systems []land.System, classes []land.Class) error {
	type sys struct {
		System string `json:"system"`
		Name   string `json:"name"`
	}
	type class struct {
		System       string `json:"system"`
		Code         string `json:"code"`
		Name         string `json:"name"`
		Parent       string `json:"parent"`
		Construction bool   `json:"construction"`
	}
	ss := make([]sys, 0, len(systems))
	for _, s := range systems {
		ss = append(ss, sys{s.ID, s.Name})
	}
	cs := make([]class, 0, len(classes))
	for _, c := range classes {
		cs = append(cs, class{c.System, c.Code, c.Name, c.Parent, c.Construction})
	}
	for _, st := range []struct {
		name string
		rows any
	}{{"systems", ss}, {"classes", cs}} {
		b, err := json.Marshal(st.rows)
		if err != nil {
			return fmt.Errorf("land-use %s: %w", st.name, err)
		}
		q, err := loadStatement(st.name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, q, string(b)); err != nil {
			return fmt.Errorf("land-use %s: %w", st.name, err)
		}
	}
	return nil
}

// loadBatches copies a stream into a staging table batch by batch and
// moves each batch into its table with move, which returns the rows
// inserted and the geometries repaired.
func loadBatches[T any](ctx context.Context, tx pgx.Tx, seq iter.Seq2[T, error], batch int, stage string,
	cols []string, row func(T) ([]any, error), move string) (rows, repaired int64, err error) {
	next, stop := iter.Pull2(seq)
	defer stop()
	done := false
	var srcErr error // the stream's own error, which COPY would only quote
	for !done {
		if err := ctx.Err(); err != nil {
			return rows, repaired, err
		}
		n := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if n >= batch {
				return nil, nil
			}
			v, err, ok := next()
			if !ok {
				done = true
				return nil, nil
			}
			if err != nil {
				srcErr = err
				return nil, err
			}
			n++
			r, err := row(v)
			if err != nil {
				srcErr = err
			}
			return r, err
		})
		copied, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, src)
		if srcErr != nil {
			return rows, repaired, srcErr
		}
		if err != nil {
			return rows, repaired, fmt.Errorf("copy: %w", err)
		}
		if copied == 0 {
			break
		}
		var ins, fixed int64
		if err := tx.QueryRow(ctx, move).Scan(&ins, &fixed); err != nil {
			return rows, repaired, fmt.Errorf("insert batch: %w", err)
		}
		rows += ins
		repaired += fixed
		if _, err := tx.Exec(ctx, "TRUNCATE "+pgx.Identifier{stage}.Sanitize()); err != nil {
			return rows, repaired, fmt.Errorf("truncate %s: %w", stage, err)
		}
	}
	return rows, repaired, nil
}

// loadCopy copies rows into one table (a staging table or a real one).
type loadCopy struct {
	table string // as counted in the report
	into  string // the table copied into
	cols  []string
	n     int
	row   func(i int) ([]any, error)
	after bool // copied after the staged tables moved in (foreign keys)
}

func (c loadCopy) run(ctx context.Context, tx pgx.Tx, rep *LoadReport) error {
	if c.n == 0 {
		return nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{c.into}, c.cols, pgx.CopyFromSlice(c.n, c.row))
	if err != nil {
		return fmt.Errorf("load %s: %w", c.table, err)
	}
	rep.add(c.table, n)
	return nil
}

// loadCopies lists the COPYs of a dataset in load order.
func loadCopies(ds *Dataset) []loadCopy {
	type link struct{ a, b geo.ID }
	var progress []struct {
		project geo.ID
		p       project.Progress
	}
	var blockers []struct {
		project geo.ID
		b       project.Blocker
	}
	for _, p := range ds.Projects {
		for _, pr := range p.Progress {
			progress = append(progress, struct {
				project geo.ID
				p       project.Progress
			}{p.ID, pr})
		}
		for _, b := range p.Blockers {
			blockers = append(blockers, struct {
				project geo.ID
				b       project.Blocker
			}{p.ID, b})
		}
	}
	var shares []struct {
		enclave geo.ID
		s       invest.EnclaveShare
	}
	for _, e := range ds.Enclaves {
		for _, s := range e.Shares {
			shares = append(shares, struct {
				enclave geo.ID
				s       invest.EnclaveShare
			}{e.ID, s})
		}
	}
	type chainRow struct {
		id, park geo.ID
		name     string
	}
	type linkRow struct {
		chain geo.ID
		pos   int
		l     invest.ChainLink
	}
	var chains []chainRow
	var links []linkRow
	for _, p := range ds.Parks {
		for _, c := range p.Chains {
			id := geo.ID(len(chains) + 1)
			chains = append(chains, chainRow{id, p.ID, c.Name})
			for i, l := range c.Links {
				links = append(links, linkRow{id, i + 1, l})
			}
		}
	}
	type stageRow struct {
		firm geo.ID
		e    invest.FirmStageEntry
	}
	var stages []stageRow
	var firmParks, firmParcels []link
	for _, f := range ds.Firms {
		for _, e := range f.History {
			stages = append(stages, stageRow{f.ID, e})
		}
		for _, id := range f.ParkIDs {
			firmParks = append(firmParks, link{f.ID, id})
		}
		for _, id := range f.ParcelIDs {
			firmParcels = append(firmParcels, link{f.ID, id})
		}
	}
	return []loadCopy{
		{"landuse_systems", "landuse_systems", []string{"system", "name"}, len(ds.Systems), func(i int) ([]any, error) {
			s := ds.Systems[i]
			return []any{s.ID, s.Name}, nil
		}, false},
		{"landuse_classes", "landuse_classes", []string{"system", "code", "name", "parent", "construction"}, len(ds.Classes), func(i int) ([]any, error) {
			c := ds.Classes[i]
			return []any{c.System, c.Code, c.Name, loadText(c.Parent), c.Construction}, nil
		}, false},
		{"districts", "load_districts", []string{"id", "code", "name", "kind", "seat", "geom"}, len(ds.Districts), func(i int) ([]any, error) {
			d := ds.Districts[i]
			seat, err := loadWKB(d.Seat)
			if err != nil {
				return nil, err
			}
			g, err := loadWKB(d.Geom)
			return []any{d.ID, d.Code, d.Name, d.Kind, seat, g}, err
		}, false},
		{"parks", "load_parks", []string{"id", "name", "level", "district_id", "leading_industries", "model", "geom"}, len(ds.Parks), func(i int) ([]any, error) {
			p := ds.Parks[i]
			g, err := loadWKB(p.Geom)
			return []any{p.ID, p.Name, p.Level, p.DistrictID, loadStrs(p.LeadingIndustries), loadText(p.Model), g}, err
		}, false},
		{"parcels", "load_parcels", append([]string{"id"}, loadParcelColumns()...), len(ds.Parcels), func(i int) ([]any, error) {
			row, err := loadParcelRow(ds.Parcels[i])
			return append([]any{ds.Parcels[i].ID}, row...), err
		}, false},
		{"projects", "load_projects", loadProjectColumns(), len(ds.Projects), func(i int) ([]any, error) {
			return loadProjectRow(ds.Projects[i])
		}, false},
		{"landuse", "load_landuse", append([]string{"id"}, loadLanduseColumns()...), len(ds.Landuse), func(i int) ([]any, error) {
			row, err := loadLanduseRow(ds.Landuse[i])
			return append([]any{ds.Landuse[i].ID}, row...), err
		}, false},
		{"control_lines", "load_control_lines", []string{"id", "kind", "name", "district_id", "geom"}, len(ds.ControlLines), func(i int) ([]any, error) {
			c := ds.ControlLines[i]
			g, err := loadWKB(c.Geom)
			return []any{c.ID, c.Kind, c.Name, loadRef(c.DistrictID), g}, err
		}, false},
		{"control_zones", "load_control_zones", []string{"id", "code", "plan", "geom"}, len(ds.ControlZones), func(i int) ([]any, error) {
			c := ds.ControlZones[i]
			g, err := loadWKB(c.Geom)
			return []any{c.ID, c.Code, c.Plan, g}, err
		}, false},
		{"enclaves", "load_enclaves", []string{"id", "name", "home_district_id", "host_district_id", "agreement_no", "agreement_date",
			"term_years", "model", "quota_district_id", "geom"}, len(ds.Enclaves), func(i int) ([]any, error) {
			e := ds.Enclaves[i]
			g, err := loadWKB(e.Geom)
			return []any{e.ID, e.Name, e.HomeDistrictID, e.HostDistrictID, e.AgreementNo, loadDate(e.AgreementDate),
				e.TermYears, e.Model, e.QuotaDistrictID, g}, err
		}, false},
		{"firms", "load_firms", []string{"id", "name", "tags", "industries", "hq_city", "stage", "responsible", "contact_name", "contact_phone", "geom"},
			len(ds.Firms), func(i int) ([]any, error) {
				f := ds.Firms[i]
				g, err := loadWKB(f.HQ)
				return []any{f.ID, f.Name, loadStrs(f.Tags), loadStrs(f.Industries), f.HQCity, f.Stage, loadText(f.Responsible),
					loadText(f.ContactName), loadText(f.ContactPhone), g}, err
			}, false},
		{"transport", "load_transport", []string{"id", "kind", "name", "ref", "geom"}, len(ds.Transport), func(i int) ([]any, error) {
			t := ds.Transport[i]
			g, err := loadWKB(t.Geom)
			return []any{t.ID, t.Kind, t.Name, loadText(t.Ref), g}, err
		}, false},
		{"project_progress", "project_progress", []string{"project_id", "month", "planned", "invested", "progress_note", "photos"}, len(progress), func(i int) ([]any, error) {
			p := progress[i]
			return []any{p.project, loadDate(p.p.Month), loadDec(p.p.Planned), loadDec(p.p.Invested), loadText(p.p.Note), loadStrs(p.p.Photos)}, nil
		}, true},
		{"project_blockers", "project_blockers", []string{"id", "project_id", "kind", "note", "responsible_unit", "raised_on", "due_on",
			"status", "resolved_on", "resolution"}, len(blockers), func(i int) ([]any, error) {
			b := blockers[i]
			status := "open"
			if !b.b.ResolvedOn.IsZero() {
				status = "resolved"
			}
			return []any{b.b.ID, b.project, b.b.Kind, b.b.Note, loadText(b.b.ResponsibleUnit), loadDate(b.b.RaisedOn), loadDate(b.b.DueOn),
				status, loadDate(b.b.ResolvedOn), loadText(b.b.Resolution)}, nil
		}, true},
		{"quotas", "quotas", []string{"district_id", "year", "quota_mu"}, len(ds.Quotas), func(i int) ([]any, error) {
			q := ds.Quotas[i]
			return []any{q.DistrictID, q.Year, loadDec(q.Mu)}, nil
		}, true},
		{"enclave_shares", "enclave_shares", []string{"enclave_id", "item", "from_year", "home_pct", "host_pct"}, len(shares), func(i int) ([]any, error) {
			s := shares[i]
			return []any{s.enclave, s.s.Item, s.s.FromYear, loadDec(s.s.HomePct), loadDec(s.s.HostPct)}, nil
		}, true},
		{"firm_parks", "firm_parks", []string{"firm_id", "park_id"}, len(firmParks), func(i int) ([]any, error) {
			return []any{firmParks[i].a, firmParks[i].b}, nil
		}, true},
		{"firm_parcels", "firm_parcels", []string{"firm_id", "parcel_id"}, len(firmParcels), func(i int) ([]any, error) {
			return []any{firmParcels[i].a, firmParcels[i].b}, nil
		}, true},
		{"firm_stages", "firm_stages", []string{"firm_id", "from_stage", "to_stage", "note", "actor", "at"}, len(stages), func(i int) ([]any, error) {
			s := stages[i]
			return []any{s.firm, loadText(s.e.From), s.e.To, s.e.Note, s.e.Actor, s.e.At}, nil
		}, true},
		{"industry_chains", "industry_chains", []string{"id", "park_id", "name"}, len(chains), func(i int) ([]any, error) {
			return []any{chains[i].id, chains[i].park, chains[i].name}, nil
		}, true},
		{"chain_links", "chain_links", []string{"chain_id", "position", "industry", "mark"}, len(links), func(i int) ([]any, error) {
			l := links[i]
			return []any{l.chain, l.pos, l.l.Industry, l.l.Mark}, nil
		}, true},
	}
}

func loadLanduseColumns() []string { return []string{"system", "code", "plan", "geom"} }

func loadLanduseRow(z land.Zone) ([]any, error) {
	g, err := loadWKB(z.Geom)
	return []any{z.Landuse.System, z.Landuse.Code, z.Plan, g}, err
}

func loadParcelColumns() []string {
	return []string{"code", "name", "district_id", "park_id", "supply_status", "landuse_system", "landuse_code", "price",
		"plot_ratio_min", "plot_ratio_max", "building_density", "green_ratio", "investment_intensity", "tax_per_mu",
		"utilities", "geom"}
}

func loadParcelRow(p invest.Parcel) ([]any, error) {
	g, err := loadWKB(p.Geom)
	return []any{p.Code, loadText(p.Name), loadRef(p.DistrictID), loadRef(p.ParkID), p.SupplyStatus, p.Landuse.System, p.Landuse.Code,
		loadDecPtr(p.Price), loadDecPtr(p.PlotRatioMin), loadDecPtr(p.PlotRatioMax), loadDecPtr(p.BuildingDensity), loadDecPtr(p.GreenRatio),
		loadDecPtr(p.InvestmentIntensity), loadDecPtr(p.TaxPerMu), loadStrs(p.Utilities), g}, err
}

func loadProjectColumns() []string {
	return []string{"id", "code", "name", "stage", "category", "district_id", "leader", "responsible_unit", "owner",
		"owner_contact", "industry", "total_investment", "annual_plan", "planned_start", "planned_finish", "actual_start",
		"actual_finish", "intended_system", "intended_code", "withdrawn_reason", "site", "point"}
}

func loadProjectRow(p project.Project) ([]any, error) {
	var site []byte
	if len(p.Site) > 0 {
		var err error
		if site, err = loadWKB(p.Site); err != nil {
			return nil, err
		}
	}
	point, err := loadWKB(p.Point)
	if err != nil {
		return nil, err
	}
	var system, code any
	if p.IntendedUse != nil {
		system, code = p.IntendedUse.System, p.IntendedUse.Code
	}
	return []any{p.ID, loadText(p.Code), p.Name, p.Stage, p.Category, p.DistrictID, p.Leader, p.ResponsibleUnit, p.Owner,
		loadText(p.OwnerContact), loadText(p.Industry), loadDec(p.TotalInvestment), loadDec(p.AnnualPlan), loadDate(p.PlannedStart),
		loadDate(p.PlannedFinish), loadDate(p.ActualStart), loadDate(p.ActualFinish), system, code, loadText(p.WithdrawnReason),
		site, point}, nil
}

// loadWKB encodes a geometry as WKB.
func loadWKB(g orb.Geometry) ([]byte, error) {
	if g == nil {
		return nil, errors.New("missing geometry")
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("encode %s as WKB: %w", g.GeoJSONType(), err)
	}
	return b, nil
}

// loadDec is a Dec as a numeric.
func loadDec(d geo.Dec) pgtype.Numeric {
	return pgtype.Numeric{Int: big.NewInt(int64(d)), Exp: -2, Valid: true}
}

// loadDecPtr is an optional Dec as a numeric or NULL.
func loadDecPtr(d *geo.Dec) any {
	if d == nil {
		return nil
	}
	return loadDec(*d)
}

// loadDate is a date, NULL for the zero time.
func loadDate(t time.Time) pgtype.Date {
	return pgtype.Date{Time: t, Valid: !t.IsZero()}
}

// loadText is a string, NULL when empty.
func loadText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// loadRef is an optional reference, NULL when 0.
func loadRef(id geo.ID) any {
	if id == 0 {
		return nil
	}
	return id
}

// loadStrs is a text array, empty (not NULL) when nil.
func loadStrs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
