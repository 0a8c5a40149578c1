// Package ogrtest writes the files the land bureau brings, for tests:
// GeoJSON written by the test, turned by ogr2ogr into a zipped Shapefile
// with a GBK DBF and no .cpg, a GeoPackage or a FileGDB.
package ogrtest

import (
	"archive/zip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GKSquare is a square of side metres with its south-west corner at
// (x, y) in EPSG:4547, as GeoJSON polygon coordinates.
func GKSquare(x, y, side float64) string {
	return fmt.Sprintf("[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]", x, y, x+side, y, x+side, y+side, x, y+side, x, y)
}

// Feature is a GeoJSON feature of the properties and geometry (JSON).
func Feature(props, geometry string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
}

// GeoJSON writes a FeatureCollection in crs (e.g.
// "urn:ogc:def:crs:EPSG::4547") into dir and returns its path.
func GeoJSON(t testing.TB, dir, crs string, features ...string) string {
	t.Helper()
	p := filepath.Join(dir, "src.geojson")
	doc := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"` + crs + `"}},"features":[` + strings.Join(features, ",") + `]}`
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// OGR2OGR runs ogr2ogr with args.
func OGR2OGR(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ogr2ogr", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %v: %v\n%s", args, err, out)
	}
}

// Zip zips the files under dir, with dir's own name as their folder, into
// file.
func Zip(t testing.TB, dir, file string) {
	t.Helper()
	out, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// GBKShapefile writes the features (EPSG:4547) as a zipped Shapefile
// plan.zip in dir, with a .prj, a GBK DBF and neither a .cpg nor a code
// page in the DBF: the bureau's files as they come. It returns the zip's
// path.
func GBKShapefile(t testing.TB, dir string, features ...string) string {
	t.Helper()
	src := GeoJSON(t, dir, "urn:ogc:def:crs:EPSG::4547", features...)
	shp := filepath.Join(dir, "plan")
	if err := os.Mkdir(shp, 0o700); err != nil {
		t.Fatal(err)
	}
	OGR2OGR(t, "-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", "-nlt", "POLYGON", filepath.Join(shp, "plan.shp"), src)
	if err := os.Remove(filepath.Join(shp, "plan.cpg")); err != nil {
		t.Fatal(err)
	}
	dbf, err := os.ReadFile(filepath.Join(shp, "plan.dbf"))
	if err != nil {
		t.Fatal(err)
	}
	dbf[29] = 0 // no language driver: nothing says GBK
	if err := os.WriteFile(filepath.Join(shp, "plan.dbf"), dbf, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "plan.zip")
	Zip(t, shp, file)
	return file
}

// Plan is a land-use plan of five features in EPSG:4547 (fields DLBM,
// DLMC), for GBKShapefile: 1. a 100 m square of 0701 城镇住宅用地 (1 ha) on
// the central meridian at (500000, 3716000); 2. a bow-tie of 1001 工业用地,
// invalid, two triangles of 1 ha once repaired; 3. a square of 0101 水田
// 100 km east, outside the city; 4. a square of the unknown code 9999;
// 5. 0301 乔木林地 without geometry.
func Plan() []string {
	return []string{
		Feature(`{"DLBM":"0701","DLMC":"城镇住宅用地"}`, `{"type":"Polygon","coordinates":`+GKSquare(500000, 3716000, 100)+`}`),
		Feature(`{"DLBM":"1001","DLMC":"工业用地"}`, `{"type":"Polygon","coordinates":[[[500500,3716000],[500700,3716200],[500700,3716000],[500500,3716200],[500500,3716000]]]}`),
		Feature(`{"DLBM":"0101","DLMC":"水田"}`, `{"type":"Polygon","coordinates":`+GKSquare(600000, 3716000, 100)+`}`),
		Feature(`{"DLBM":"9999","DLMC":"未知用地"}`, `{"type":"Polygon","coordinates":`+GKSquare(501000, 3716000, 100)+`}`),
		Feature(`{"DLBM":"0301","DLMC":"乔木林地"}`, `null`),
	}
}
