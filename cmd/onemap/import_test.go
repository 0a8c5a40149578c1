package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luohe/onemap/ogr/ogrtest"
)

// TestImportCommand imports the bureau's zipped GBK Shapefile without
// .cpg in EPSG:4547 with onemap import over the demo data, and refuses an
// archive whose entry points outside it.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	url := demoURL(t)
	file := ogrtest.GBKShapefile(t, t.TempDir(), ogrtest.Plan()...)
	var out bytes.Buffer
	err := run(t.Context(), []string{"import", "--database-url", url, "--layer", "landuse", "--file", file, "--map", "code=DLBM,name=DLMC"}, &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"reading 5/5", "imported 2", "repaired 1, rejected 3", "encoding GBK (guessed)",
		"repaired feature 2: Self-intersection", "rejected feature 3: outside_city (不在本市范围内)", "rejected feature 4: unknown_code (分类代码不存在) 9999"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	evil := filepath.Join(t.TempDir(), "evil.zip")
	f, err := os.Create(evil)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("../../plan.shp")
	_, _ = w.Write([]byte("x"))
	_ = zw.Close()
	_ = f.Close()
	err = run(t.Context(), []string{"import", "--database-url", url, "--layer", "landuse", "--file", evil, "--map", "code=DLBM"}, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "zip_path_escape") || !strings.Contains(err.Error(), "压缩包被拒绝") {
		t.Fatalf("err %v, want the archive refused (zip_path_escape)", err)
	}
}

// TestImportInChromium has the land user import a zipped GBK Shapefile
// in headless Chromium (frontend/e2e/import.mjs): the upload with its
// progress bar, the fields mapped, the job's progress and report, and the
// new zone in the map's tiles; screenshots go to
// frontend/test-results/import.
func TestImportInChromium(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "frontend", "test-results", "import")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(ogrtest.GBKShapefile(t, t.TempDir(), ogrtest.Plan()...))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.zip"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	inChromium(t, "import.mjs", "import")
}
