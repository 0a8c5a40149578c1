package land

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/luohe/onemap/geo"
)

// Files reads the files the bureau brings: archives unpacked, datasets
// found, inspected and read feature by feature in EPSG:4490.
type Files interface {
	// Prepare unpacks the upload at file (named name by its sender) in
	// dir and returns the path of the dataset it holds. Errors are
	// KindInvalid for archives or files it refuses.
	Prepare(ctx context.Context, file, name, dir string) (string, error)
	// Inspect lists the dataset's fields, features and coordinate system.
	Inspect(ctx context.Context, dataset, srs, encoding string) (FileInfo, error)
	// Read yields the dataset's features in EPSG:4490.
	Read(ctx context.Context, dataset, srs, encoding string) iter.Seq2[Feature, error]
}

// ImportStore keeps import jobs and replaces layers.
type ImportStore interface {
	// CreateImport records a new import and returns it with its ID.
	CreateImport(ctx context.Context, p geo.Principal, imp Import) (Import, error)
	// Import returns import id; KindNotFound if there is none.
	Import(ctx context.Context, id geo.ID) (Import, error)
	// StartImport holds an uploaded import for this process and moves it
	// to running with its options; release lets go of it once its end is
	// recorded. Should the process die before, the hold goes with it and
	// ReapImports fails the import. KindConflict if it is not waiting for
	// its options.
	StartImport(ctx context.Context, id geo.ID, o ImportOptions) (release func(), err error)
	// ReapImports marks failed the running imports that no process holds
	// (their server died, their layer is unchanged) and returns the
	// folders of their files.
	ReapImports(ctx context.Context) ([]string, error)
	// ImportProgress records a running import's phase and progress.
	ImportProgress(ctx context.Context, id geo.ID, phase string, done int) error
	// FinishImport records the end of an import: its report, or why it
	// failed.
	FinishImport(ctx context.Context, id geo.ID, rep *ImportReport, fail *ImportError) error
	// ReplaceLayer replaces every row of the layer by the rows, in one
	// transaction: readers see the old layer or the new one. Rows are
	// checked on the way in (outside the city, unknown codes: rejected;
	// invalid: made valid) and the tiles of the old and new extent are
	// invalidated. progress hears the checking and replacing phases
	// start and each batch of rows checked or written (the reading
	// phase is the rows' own).
	ReplaceLayer(ctx context.Context, p geo.Principal, layer Layer, rows iter.Seq2[Row, error],
		progress func(phase string, done int)) (ImportReport, error)
}

// Limits bound what an import accepts.
type Limits struct {
	Upload   int64         // bytes of the uploaded file
	Unpacked int64         // bytes unpacked from an archive
	Entries  int           // entries of an archive
	Run      time.Duration // GDAL's time to read the file
	// Keep is how long an uploaded file waits for its mapping before it
	// is deleted.
	Keep time.Duration
}

// DefaultLimits are the limits of the server: 200 MB uploads (a county's
// land-use plan as a zipped Shapefile is about 50 MB), 2 GB unpacked,
// 10,000 entries, 10 minutes of GDAL.
func DefaultLimits() Limits {
	return Limits{Upload: 200 << 20, Unpacked: 2 << 30, Entries: 10000, Run: 10 * time.Minute, Keep: time.Hour}
}

// Importer brings the bureau's files into the land layers: upload, mapping,
// a background job with progress, a report.
type Importer struct {
	store  ImportStore
	files  Files
	root   string
	limits Limits
	log    *slog.Logger
	// base is the context of background jobs: cancelled when the server
	// stops (Close), so that a running import rolls back.
	base   context.Context
	cancel context.CancelFunc
	jobs   sync.WaitGroup
}

// NewImporter returns an importer keeping its files under root.
func NewImporter(store ImportStore, files Files, root string, limits Limits, log *slog.Logger) *Importer {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base, cancel := context.WithCancel(context.Background())
	return &Importer{store: store, files: files, root: root, limits: limits, log: log, base: base, cancel: cancel}
}

// Limits returns the importer's limits.
func (im *Importer) Limits() Limits { return im.limits }

// Close cancels the running jobs and waits for them to end.
func (im *Importer) Close() {
	im.cancel()
	im.jobs.Wait()
}

// Upload takes a file (at most Limits.Upload bytes of body) named name,
// unpacks and inspects it, and records an import waiting for its mapping.
// The file is deleted if anything fails. Errors are KindInvalid for files
// it refuses (too large, unsafe archives, unreadable data).
func (im *Importer) Upload(ctx context.Context, p geo.Principal, name string, body io.Reader, srs, encoding string) (Import, error) {
	if err := CheckReadOptions(srs, encoding); err != nil {
		return Import{}, err
	}
	im.sweep()
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "upload"
	}
	dir, err := im.newDir()
	if err != nil {
		return Import{}, err
	}
	imp, err := im.upload(ctx, p, name, body, dir, srs, encoding)
	if err != nil {
		_ = os.RemoveAll(dir)
	}
	return imp, err
}

func (im *Importer) upload(ctx context.Context, p geo.Principal, name string, body io.Reader, dir, srs, encoding string) (Import, error) {
	file := filepath.Join(dir, "upload")
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return Import{}, err
	}
	n, err := io.Copy(f, io.LimitReader(body, im.limits.Upload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Import{}, err
	}
	if n > im.limits.Upload {
		return Import{}, ErrTooLarge(im.limits.Upload)
	}
	dataset, err := im.files.Prepare(ctx, file, name, filepath.Join(dir, "data"))
	if err != nil {
		return Import{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "dataset"), []byte(dataset), 0o600); err != nil {
		return Import{}, err
	}
	info, err := im.files.Inspect(ctx, dataset, srs, encoding)
	if err != nil {
		return Import{}, err
	}
	return im.store.CreateImport(ctx, p, Import{FileName: name, Status: ImportUploaded, Total: info.Count, Info: info, Dir: dir})
}

// ErrTooLarge is the error of an upload over limit bytes.
func ErrTooLarge(limit int64) *geo.Error {
	return geo.Invalid("upload_too_large", "文件太大：上限 %d MB", "the file is too large: at most %d MB", limit>>20)
}

// jobDirBytes is the length of a job folder's random name, in bytes.
const jobDirBytes = 12

// newDir makes a fresh directory for one import's files.
func (im *Importer) newDir() (string, error) {
	if err := os.MkdirAll(im.root, 0o700); err != nil {
		return "", err
	}
	b := make([]byte, jobDirBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	dir := filepath.Join(im.root, hex.EncodeToString(b))
	return dir, os.Mkdir(dir, 0o700)
}

// sweep deletes the files of uploads older than Limits.Keep that were
// never started (a started job deletes its own).
func (im *Importer) sweep() {
	entries, err := os.ReadDir(im.root)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && time.Since(info.ModTime()) > im.limits.Keep {
			_ = os.RemoveAll(filepath.Join(im.root, e.Name()))
		}
	}
}

// Import returns import id. A running import whose server died is marked
// failed first (Reap). Errors: KindNotFound.
func (im *Importer) Import(ctx context.Context, id geo.ID) (Import, error) {
	imp, err := im.store.Import(ctx, id)
	if err != nil || imp.Status != ImportRunning {
		return imp, err
	}
	if err := im.Reap(ctx); err != nil {
		return imp, err
	}
	return im.store.Import(ctx, id)
}

// Reap marks failed the running imports whose server died (a server
// killed mid-import: its transaction rolled back, the layer is the old
// one) and deletes their files, and the files of uploads never started
// (sweep). A server calls it as it starts.
func (im *Importer) Reap(ctx context.Context) error {
	dirs, err := im.store.ReapImports(ctx)
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		im.log.Warn("land import: its server stopped; marked failed", "dir", dir)
		if jobDir(dir) {
			_ = os.RemoveAll(dir)
		}
	}
	im.sweep()
	return nil
}

// jobDir reports whether dir looks like a folder newDir made, so that
// Reap deletes nothing else whatever a row says.
func jobDir(dir string) bool {
	b, err := hex.DecodeString(filepath.Base(dir))
	return err == nil && len(b) == jobDirBytes && filepath.IsAbs(dir)
}

// Start checks the options against the uploaded file and starts the
// import in the background; Import then shows its progress. Errors:
// KindNotFound, KindInvalid for options that do not fit the file,
// KindConflict for an import already started.
func (im *Importer) Start(ctx context.Context, p geo.Principal, id geo.ID, o ImportOptions) (Import, error) {
	imp, err := im.store.Import(ctx, id)
	if err != nil {
		return imp, err
	}
	if imp.Status != ImportUploaded {
		return imp, geo.Errorf(geo.KindConflict, "import_started", "该导入已开始", "this import has already started")
	}
	if err := checkStart(imp, &o); err != nil {
		return imp, err
	}
	release, err := im.store.StartImport(ctx, id, o)
	if err != nil {
		return imp, err
	}
	imp.Status, imp.Options = ImportRunning, &o
	im.jobs.Add(1)
	go func() {
		defer im.jobs.Done()
		defer release()
		im.run(im.base, p, imp, o)
	}()
	return imp, nil
}

// Run imports a file at once, for the command line: upload, start and
// wait. progress, if not nil, hears each phase's progress.
func (im *Importer) Run(ctx context.Context, p geo.Principal, file string, o ImportOptions, progress func(phase string, done, total int)) (Import, error) {
	f, err := os.Open(file)
	if err != nil {
		return Import{}, geo.Invalid("no_file", "无法打开文件 %s", "cannot open file %s", file)
	}
	defer f.Close()
	imp, err := im.Upload(ctx, p, filepath.Base(file), f, o.SRS, o.Encoding)
	if err != nil {
		return imp, err
	}
	var release func()
	err = checkStart(imp, &o)
	if err == nil {
		release, err = im.store.StartImport(ctx, imp.ID, o)
	}
	if err != nil {
		_ = os.RemoveAll(imp.Dir)
		var ge *geo.Error
		fail := &ImportError{Code: "internal", Message: "导入失败", MessageEN: "the import failed"}
		if errors.As(err, &ge) {
			fail = &ImportError{Code: ge.Code, Message: ge.Message, MessageEN: ge.MessageEN}
		}
		_ = im.store.FinishImport(context.WithoutCancel(ctx), imp.ID, nil, fail)
		return imp, err
	}
	err = im.runWith(ctx, p, imp, o, progress)
	release()
	done, ierr := im.store.Import(context.WithoutCancel(ctx), imp.ID)
	if err == nil {
		err = ierr
	}
	return done, err
}

// checkStart checks the options against the uploaded file: fields it has,
// and a coordinate system, its own or chosen (KindInvalid "no_srs").
func checkStart(imp Import, o *ImportOptions) error {
	if err := o.Check(imp.Info.Fields, imp.FileName); err != nil {
		return err
	}
	if imp.Info.SRS == "" && o.SRS == "" {
		return &geo.Error{Kind: geo.KindInvalid, Code: "no_srs", Field: "srs",
			Message: "文件没有坐标系（缺少 .prj），请选择坐标系", MessageEN: "the file has no coordinate system (no .prj): choose one"}
	}
	return nil
}

func (im *Importer) run(ctx context.Context, p geo.Principal, imp Import, o ImportOptions) {
	_ = im.runWith(ctx, p, imp, o, nil) // recorded in the import
}

// A job hears its reading progress every importProgressRows features and
// records it every progressEvery (and at least every second).
const (
	importProgressRows = 500
	progressEvery      = 2000
)

// runWith runs an import to its end, records how it ended and deletes its
// files, whatever happens. It returns why the import failed.
func (im *Importer) runWith(ctx context.Context, p geo.Principal, imp Import, o ImportOptions, progress func(phase string, done, total int)) error {
	defer func() { _ = os.RemoveAll(imp.Dir) }()
	rep, err := im.replace(ctx, p, imp, o, progress)
	// The end is recorded even when ctx was cancelled (the server stops):
	// the job must not look running for ever.
	end := context.WithoutCancel(ctx)
	if err != nil {
		im.log.Warn("land import failed", "import", imp.ID, "file", imp.FileName, "err", err)
		var ge *geo.Error
		fail := &ImportError{Code: "internal", Message: "导入失败（内部错误），原图层未改变", MessageEN: "the import failed (internal error); the layer is unchanged"}
		if errors.As(err, &ge) && ge.Kind != geo.KindInternal {
			fail = &ImportError{Code: ge.Code, Message: ge.Message, MessageEN: ge.MessageEN}
		} else if ctx.Err() != nil {
			fail = &ImportError{Code: "cancelled", Message: "导入被中止，原图层未改变", MessageEN: "the import was cancelled; the layer is unchanged"}
		}
		if ferr := im.store.FinishImport(end, imp.ID, nil, fail); ferr != nil {
			im.log.Error("land import: record failure", "import", imp.ID, "err", ferr)
		}
		return err
	}
	if ferr := im.store.FinishImport(end, imp.ID, &rep, nil); ferr != nil {
		im.log.Error("land import: record report", "import", imp.ID, "err", ferr)
		return ferr
	}
	return nil
}

func (im *Importer) replace(ctx context.Context, p geo.Principal, imp Import, o ImportOptions, progress func(phase string, done, total int)) (ImportReport, error) {
	rctx, cancel := context.WithTimeout(ctx, im.limits.Run)
	defer cancel()
	dataset, err := im.dataset(imp.Dir)
	if err != nil {
		return ImportReport{}, err
	}
	var pre ImportReport // rejections found while mapping
	last := time.Now()
	note := func(phase string, done int) {
		if progress != nil {
			progress(phase, done, imp.Total)
		}
		if done%progressEvery == 0 || done == imp.Total || phase != PhaseReading || time.Since(last) > time.Second {
			last = time.Now()
			if err := im.store.ImportProgress(context.WithoutCancel(ctx), imp.ID, phase, done); err != nil {
				im.log.Warn("land import: progress", "import", imp.ID, "err", err)
			}
		}
	}
	rows := func(yield func(Row, error) bool) {
		n := 0
		for f, err := range im.files.Read(rctx, dataset, o.SRS, o.Encoding) {
			if err != nil {
				yield(Row{}, err)
				return
			}
			n++
			pre.Read = n
			if n%importProgressRows == 0 {
				note(PhaseReading, n)
			}
			r, reject := o.MapFeature(n, f)
			if reject != "" {
				pre.Reject(Rejection{N: n, Reason: reject})
				continue
			}
			if !yield(r, nil) {
				return
			}
		}
		note(PhaseReading, n)
	}
	rep, err := im.store.ReplaceLayer(rctx, p, o.Layer, rows, note)
	if err != nil {
		return rep, err
	}
	rep.Read = pre.Read
	rep.RejectedCount += pre.RejectedCount
	rep.Rejected = append(pre.Rejected, rep.Rejected...)
	slices.SortFunc(rep.Rejected, func(a, b Rejection) int { return a.N - b.N })
	if len(rep.Rejected) > MaxListed {
		rep.Rejected = rep.Rejected[:MaxListed]
	}
	return rep, nil
}

// dataset finds the dataset Prepare placed under dir/data.
func (im *Importer) dataset(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "dataset"))
	if err != nil {
		return "", fmt.Errorf("import files: %w", err)
	}
	return string(b), nil
}
