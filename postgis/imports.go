package postgis

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

var _ land.ImportStore = (*DB)(nil)

//go:embed sql/land/import_*.sql
var importSQL embed.FS

//go:embed sql/land/import_reap.sql
var importReapSQL string

// importStatement returns sql/land/import_<name>.sql.
func importStatement(name string) (string, error) {
	b, err := importSQL.ReadFile("sql/land/import_" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("import statement %s: %w", name, err)
	}
	return string(b), nil
}

// importExec runs sql/land/import_<name>.sql.
func importExec(ctx context.Context, tx pgx.Tx, name string, args ...any) error {
	q, err := importStatement(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	return nil
}

// CreateImport records an uploaded file waiting for its mapping.
func (db *DB) CreateImport(ctx context.Context, p geo.Principal, imp land.Import) (land.Import, error) {
	info, err := json.Marshal(imp.Info)
	if err != nil {
		return imp, err
	}
	imp.CreatedBy = p.Username
	err = db.pool.QueryRow(ctx, `INSERT INTO land_imports (file_name, status, total, info, dir, created_by)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
		imp.FileName, imp.Status, imp.Total, info, imp.Dir, imp.CreatedBy).Scan(&imp.ID, &imp.CreatedAt)
	return imp, dbError(err, "导入", "import")
}

// Import returns import id. Errors: KindNotFound.
func (db *DB) Import(ctx context.Context, id geo.ID) (land.Import, error) {
	var imp land.Import
	var info, options, report, fail []byte
	var phase *string
	err := db.pool.QueryRow(ctx, `SELECT id, file_name, status, phase, done, total, info, options, report, error,
		dir, created_by, created_at, finished_at FROM land_imports WHERE id = $1`, id).Scan(
		&imp.ID, &imp.FileName, &imp.Status, &phase, &imp.Done, &imp.Total, &info, &options, &report, &fail,
		&imp.Dir, &imp.CreatedBy, &imp.CreatedAt, &imp.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return imp, geo.NotFound("import_not_found", "没有编号为 %d 的导入", "no import %d", id)
	}
	if err != nil {
		return imp, dbError(err, "导入", "import")
	}
	if phase != nil {
		imp.Phase = *phase
	}
	for _, x := range []struct {
		b []byte
		v any
	}{{info, &imp.Info}, {options, &imp.Options}, {report, &imp.Report}, {fail, &imp.Error}} {
		if x.b != nil {
			if err := json.Unmarshal(x.b, x.v); err != nil {
				return imp, fmt.Errorf("import %d: %w", id, err)
			}
		}
	}
	return imp, nil
}

// importLock is the class of the advisory lock (importLock, id) by which
// the server running import id holds it (migrations/0017_import_jobs.sql).
const importLock = 4

// StartImport holds import id for this process, on a connection of its
// own, and moves it from uploaded to running; release lets go of it once
// its end is recorded. Should the process die, the hold goes with its
// connection and ReapImports fails the import. Errors: KindConflict if it
// is not waiting for its mapping.
func (db *DB) StartImport(ctx context.Context, id geo.ID, o land.ImportOptions) (release func(), err error) {
	opts, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, dbError(err, "导入", "import")
	}
	release = func() {
		// A connection that cannot let go is closed: the lock goes with it.
		if _, err := conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1, $2::int)", importLock, id); err != nil {
			_ = conn.Conn().Close(context.Background())
		}
		conn.Release()
	}
	var held bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, $2::int)", importLock, id).Scan(&held); err != nil {
		conn.Release()
		return nil, dbError(err, "导入", "import")
	}
	if !held {
		conn.Release()
		return nil, geo.Errorf(geo.KindConflict, "import_started", "该导入已开始", "this import has already started")
	}
	host, _ := os.Hostname()
	tag, err := conn.Exec(ctx, `UPDATE land_imports SET status = 'running', phase = 'reading', done = 0, options = $2,
		runner = $3, started_at = now(), progress_at = now() WHERE id = $1 AND status = 'uploaded'`,
		id, opts, fmt.Sprintf("%s pid %d", host, os.Getpid()))
	if err == nil && tag.RowsAffected() == 0 {
		err = geo.Errorf(geo.KindConflict, "import_started", "该导入已开始或不存在", "this import has already started or does not exist")
	}
	if err != nil {
		release()
		return nil, dbError(err, "导入", "import")
	}
	return release, nil
}

// ImportProgress records a running import's phase and progress.
func (db *DB) ImportProgress(ctx context.Context, id geo.ID, phase string, done int) error {
	_, err := db.pool.Exec(ctx, `UPDATE land_imports SET phase = $2, done = $3, progress_at = now() WHERE id = $1 AND status = 'running'`, id, phase, done)
	return dbError(err, "导入", "import")
}

// FinishImport records how an import ended.
func (db *DB) FinishImport(ctx context.Context, id geo.ID, rep *land.ImportReport, fail *land.ImportError) error {
	status := land.ImportDone
	var report, failure []byte
	var err error
	if rep != nil {
		if report, err = json.Marshal(rep); err != nil {
			return err
		}
	}
	if fail != nil {
		status = land.ImportFailed
		if failure, err = json.Marshal(fail); err != nil {
			return err
		}
	}
	_, err = db.pool.Exec(ctx, `UPDATE land_imports SET status = $2, phase = NULL, report = $3, error = $4, finished_at = now()
		WHERE id = $1`, id, status, report, failure)
	return dbError(err, "导入", "import")
}

// ReapImports marks failed the running imports no server holds (their
// server died; their transaction rolled back with it) and returns the
// folders of their files.
func (db *DB) ReapImports(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, importReapSQL)
	if err != nil {
		return nil, dbError(err, "导入", "import")
	}
	dirs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return dirs, dbError(err, "导入", "import")
}

// importTable is the table of a layer an import replaces ("" for none).
func importTable(l land.Layer) string {
	switch {
	case l == land.LayerLanduse:
		return "landuse"
	case l == land.LayerControlZones:
		return "control_zones"
	case l.ControlLine():
		return "control_lines"
	}
	return ""
}

// ReplaceLayer replaces the layer's rows by rows in one transaction (see
// land.ImportStore). The transaction is a bulk one: the per-row audit and
// triggers stay quiet, and it writes one audit row, recomputes the
// generalised land use of the replaced extent and sends one tile
// notification over the old and new extent itself.
func (db *DB) ReplaceLayer(ctx context.Context, p geo.Principal, layer land.Layer, rows iter.Seq2[land.Row, error],
	progress func(phase string, done int)) (land.ImportReport, error) {
	var rep land.ImportReport
	table := importTable(layer)
	if table == "" {
		return rep, geo.Invalid("bad_layer", "未知的图层", "unknown layer")
	}
	err := db.loadTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queuePrincipal(b, p, p.Address)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if err := importExec(ctx, tx, "stage"); err != nil {
			return err
		}
		last, err := importCopy(ctx, tx, rows)
		if err != nil {
			return err
		}
		// The rows are checked and inserted in batches, each batch's end
		// recorded as the phase's progress.
		batches := func(phase, name string, each func(lo, hi int) error) error {
			progress(phase, 0)
			for lo := 0; lo < last; lo += importBatch {
				hi := min(lo+importBatch, last)
				if err := each(lo, hi); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				progress(phase, hi)
			}
			return nil
		}
		if _, err := tx.Exec(ctx, "CREATE INDEX ON import_rows (n)"); err != nil {
			return err
		}
		if err := batches(land.PhaseChecking, "check", func(lo, hi int) error {
			return importExec(ctx, tx, "check", string(layer), lo, hi)
		}); err != nil {
			return err
		}
		if err := importProblems(ctx, tx, &rep); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "CREATE INDEX ON import_checked (n) WHERE problem IS NULL"); err != nil {
			return err
		}
		// One import of a table at a time; readers (ACCESS SHARE) go on.
		if _, err := tx.Exec(ctx, "LOCK TABLE "+pgx.Identifier{table}.Sanitize()+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		var old *string
		if err := importQuery(ctx, tx, "delete", []any{string(layer)}, &rep.Replaced, &old); err != nil {
			return err
		}
		if err := batches(land.PhaseReplacing, "insert", func(lo, hi int) error {
			var n int
			err := importQuery(ctx, tx, "insert", []any{string(layer), lo, hi}, &n)
			rep.Imported += n
			return err
		}); err != nil {
			return err
		}
		var ext *string
		if err := tx.QueryRow(ctx, `SELECT onemap_box_union($1::box2d,
			(SELECT ST_Extent(geom)::box2d FROM import_checked WHERE problem IS NULL))::text`, old).Scan(&ext); err != nil {
			return fmt.Errorf("extent: %w", err)
		}
		if err := tx.QueryRow(ctx, "SELECT coalesce(sum(area), 0) FROM import_checked WHERE problem IS NULL").Scan(&rep.AreaM2); err != nil {
			return fmt.Errorf("area: %w", err)
		}
		return importFinish(ctx, tx, p, layer, table, ext, rep)
	})
	if err != nil {
		var ge *geo.Error
		if errors.As(err, &ge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return rep, err
		}
		return rep, dbError(err, "导入", "import")
	}
	return rep, nil
}

// importBatch is the rows of a batch of the checking and of the insert.
const importBatch = 10000

// importQuery runs sql/land/import_<name>.sql and scans its one row into
// dest.
func importQuery(ctx context.Context, tx pgx.Tx, name string, args []any, dest ...any) error {
	q, err := importStatement(name)
	if err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, q, args...).Scan(dest...); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	return nil
}

// importCopy streams the rows into import_rows and returns the number (N)
// of the last.
func importCopy(ctx context.Context, tx pgx.Tx, rows iter.Seq2[land.Row, error]) (int, error) {
	next, stop := iter.Pull2(rows)
	defer stop()
	var readErr error
	last := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		r, err, ok := next()
		if !ok {
			return nil, nil
		}
		if err != nil {
			readErr = err
			return nil, err
		}
		last = r.N
		g, err := loadWKB(r.Geom)
		if err != nil {
			return nil, err
		}
		return []any{r.N, r.Code, r.System, r.Name, r.Plan, g}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, []string{"n", "code", "system", "name", "plan", "geom"}, src)
	if readErr != nil {
		return 0, readErr
	}
	if err != nil {
		return 0, fmt.Errorf("copy: %w", err)
	}
	return last, nil
}

// importProblems reads the repairs and rejections into the report.
func importProblems(ctx context.Context, tx pgx.Tx, rep *land.ImportReport) error {
	rows, err := tx.Query(ctx, `SELECT n, code, reason, area_before, area, problem FROM import_checked
		WHERE reason IS NOT NULL OR problem IS NOT NULL ORDER BY n`)
	if err != nil {
		return fmt.Errorf("problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var code string
		var reason, problem *string
		var before *float64
		var after float64
		if err := rows.Scan(&n, &code, &reason, &before, &after, &problem); err != nil {
			return err
		}
		if problem != nil {
			x := land.Rejection{N: n, Reason: *problem}
			if *problem == land.RejectUnknownCode {
				x.Code = code
			}
			rep.Reject(x)
			continue
		}
		rep.RepairedCount++
		if len(rep.Repaired) < land.MaxListed {
			rep.Repaired = append(rep.Repaired, land.Repair{N: n, Reason: *reason, AreaBefore: *before, AreaAfter: after})
		}
	}
	return rows.Err()
}

// importFinish recomputes the generalised land use of the changed extent,
// writes the import's audit row and invalidates the tiles of the extent.
func importFinish(ctx context.Context, tx pgx.Tx, p geo.Principal, layer land.Layer, table string, ext *string, rep land.ImportReport) error {
	if ext != nil && layer == land.LayerLanduse {
		if _, err := tx.Exec(ctx, "SELECT onemap_landuse_generalise($1::box2d)", *ext); err != nil {
			return fmt.Errorf("generalise land use: %w", err)
		}
	}
	after, err := json.Marshal(map[string]any{"layer": layer, "imported": rep.Imported, "replaced": rep.Replaced,
		"repaired": rep.RepairedCount, "rejected": rep.RejectedCount, "at": time.Now().UTC()})
	if err != nil {
		return err
	}
	actor := p.Username
	if actor == "" {
		actor = SeedActor
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (actor, address, table_name, action, after)
		VALUES ($1, nullif($2, ''), $3, 'insert', $4::jsonb)`, actor, p.Address, table, string(after)); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if ext != nil {
		if _, err := tx.Exec(ctx, "SELECT onemap_notify_layers($1::text[], $2::box2d)", []string{layer.TileLayer()}, *ext); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return nil
}
