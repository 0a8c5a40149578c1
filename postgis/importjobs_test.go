package postgis_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
)

// TestImportJobs follows an import job through the job table: held by the
// process that starts it (a second start is refused, a server starting
// meanwhile leaves it running), its progress recorded, and once its
// process is gone without recording an end (released unfinished, as a
// killed server's connection is), marked failed by the next read, its
// files deleted. A job that ends records its failure and is left alone.
func TestImportJobs(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	ctx := t.Context()
	newJob := func() land.Import {
		t.Helper()
		dir := filepath.Join(f.root, "0123456789abcdef01234567")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		imp, err := f.db.CreateImport(ctx, f.admin, land.Import{FileName: "plan.zip", Status: land.ImportUploaded, Total: 9000, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	status := func(id geo.ID) land.Import {
		t.Helper()
		imp, err := f.imp.Import(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	o := land.ImportOptions{Layer: land.LayerLanduse, Map: land.FieldMap{"code": "DLBM"}}

	imp := newJob()
	release, err := f.db.StartImport(ctx, imp.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.StartImport(ctx, imp.ID, o); geo.KindOf(err) != geo.KindConflict {
		t.Errorf("second start: %v, want a conflict", err)
	}
	if err := f.db.ImportProgress(ctx, imp.ID, land.PhaseReading, 4500); err != nil {
		t.Fatal(err)
	}
	if err := f.imp.Reap(ctx); err != nil {
		t.Fatal(err)
	}
	if got := status(imp.ID); got.Status != land.ImportRunning || got.Phase != land.PhaseReading || got.Done != 4500 {
		t.Fatalf("held job: %s %s %d/%d, want running reading 4500", got.Status, got.Phase, got.Done, got.Total)
	}
	release() // the process is gone without recording an end
	if got := status(imp.ID); got.Status != land.ImportFailed || got.Error == nil || got.Error.Code != "interrupted" || got.FinishedAt == nil {
		t.Fatalf("job of a dead process: %+v, want failed (interrupted)", got)
	}
	assertNoFiles(t, f.root)

	imp = newJob()
	if release, err = f.db.StartImport(ctx, imp.ID, o); err != nil {
		t.Fatal(err)
	}
	fail := &land.ImportError{Code: "bad_file", Message: "坏文件", MessageEN: "bad file"}
	if err := f.db.FinishImport(ctx, imp.ID, nil, fail); err != nil {
		t.Fatal(err)
	}
	release()
	if got := status(imp.ID); got.Status != land.ImportFailed || got.Error == nil || got.Error.Code != "bad_file" {
		t.Fatalf("failed job: %+v, want failed (bad_file)", got)
	}
}
