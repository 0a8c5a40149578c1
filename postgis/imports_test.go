package postgis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/ogr"
	"github.com/luohe/onemap/ogr/ogrtest"
	"github.com/luohe/onemap/postgis"
	"github.com/paulmach/orb"
)

// importFixture is a database with one district around (114°E, 33.6°N),
// the classification, an old land-use plan of oldZones zones (plan "old"),
// an old basic-farmland line and an eco red line; an importer over the
// server's role.
type importFixture struct {
	db    *postgis.DB // the server's role
	conn  *pgx.Conn
	imp   *land.Importer
	root  string
	admin geo.Principal
}

const oldZones = 300

func newImportFixture(t *testing.T) *importFixture {
	t.Helper()
	owner := loadSrv.DB(t)
	systems, classes := demo.Classes()
	box := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	ds := &postgis.Dataset{Systems: systems, Classes: classes,
		Districts: []geo.District{{ID: 1, Code: "411102", Name: "源汇区", Kind: geo.DistrictCounty, Seat: orb.Point{114, 33.6}, Geom: box(113.8, 33.4, 114.2, 33.8)}},
		ControlLines: []land.ControlLine{
			{ID: 1, Kind: "basic_farmland", Name: "旧农田", DistrictID: 1, Geom: box(113.9, 33.5, 113.91, 33.51)},
			{ID: 2, Kind: "eco_redline", Name: "红线", DistrictID: 1, Geom: box(113.92, 33.5, 113.93, 33.51)},
		},
	}
	for i := range oldZones {
		x := 113.85 + float64(i%20)*0.001
		y := 33.45 + float64(i/20)*0.001
		ds.Landuse = append(ds.Landuse, land.Zone{ID: geo.ID(i + 1), Landuse: land.Code{System: land.SystemGTKJ2023, Code: "0101"}, Plan: "old",
			Geom: box(x, y, x+0.0009, y+0.0009)})
	}
	if err := owner.LoadDataset(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), owner.URL(), postgis.Options{Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	f := &importFixture{db: app, conn: loadConn(t, owner), root: t.TempDir(),
		admin: geo.Principal{Kind: geo.UserSession, Username: "land1", Roles: []geo.Role{geo.RoleLand}, Address: "127.0.0.1"}}
	limits := land.DefaultLimits()
	f.imp = land.NewImporter(app, ogr.New(limits), f.root, limits, nil)
	t.Cleanup(f.imp.Close)
	return f
}

func TestImportGBKShapefile(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	file := ogrtest.GBKShapefile(t, t.TempDir(), ogrtest.Plan()...)
	dbf, err := os.ReadFile(filepath.Join(filepath.Dir(file), "plan", "plan.dbf"))
	if err != nil || !strings.Contains(string(dbf), "\xb3\xc7\xd5\xf2") { // 城镇 in GBK
		t.Fatalf("the DBF does not hold GBK text (%v)", err)
	}
	listen, err := pgx.Connect(t.Context(), f.db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer listen.Close(context.Background())
	if _, err := listen.Exec(t.Context(), "LISTEN onemap_tiles"); err != nil {
		t.Fatal(err)
	}
	m, err := land.ParseFieldMap("code=DLBM,name=DLMC")
	if err != nil {
		t.Fatal(err)
	}
	var phases []string
	imp, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerLanduse, Map: m},
		func(phase string, done, total int) {
			if len(phases) == 0 || phases[len(phases)-1] != phase {
				phases = append(phases, phase)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Status != land.ImportDone || imp.Report == nil {
		t.Fatalf("import %+v", imp)
	}
	if !imp.Info.EncodingGuessed || imp.Info.Encoding != "GBK" || !strings.Contains(imp.Info.SRS, "114E") {
		t.Errorf("file info %+v: want GBK guessed and the CM 114E projection", imp.Info)
	}
	if strings.Join(phases, ",") != "reading,checking,replacing" {
		t.Errorf("phases %v", phases)
	}
	rep := imp.Report
	if rep.Read != 5 || rep.Imported != 2 || rep.Replaced != oldZones || rep.RepairedCount != 1 || rep.RejectedCount != 3 {
		t.Errorf("report %+v: want 5 read, 2 imported, %d replaced, 1 repaired, 3 rejected", rep, oldZones)
	}
	reasons := map[int]string{}
	for _, r := range rep.Rejected {
		reasons[r.N] = r.Reason
	}
	if want := map[int]string{3: land.RejectOutside, 4: land.RejectUnknownCode, 5: land.RejectEmpty}; fmt.Sprint(reasons) != fmt.Sprint(want) {
		t.Errorf("rejections %v, want %v", reasons, want)
	}
	if len(rep.Repaired) != 1 || rep.Repaired[0].N != 2 || math.Abs(rep.Repaired[0].AreaAfter-20000) > 20 || rep.Repaired[0].AreaBefore > 100 {
		t.Errorf("repairs %+v: want feature 2, from about 0 to 20000 m²", rep.Repaired)
	}
	// Names decoded from GBK, codes with their system, areas and places
	// as PostGIS computes them from the EPSG:4547 input.
	rows, err := f.conn.Query(t.Context(), `SELECT l.code, l.system, l.name, l.plan, ST_Area(l.geom::geography), ST_IsValid(l.geom),
		ST_Distance(ST_Centroid(l.geom)::geography, ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4547), 4490)::geography)
		FROM landuse l ORDER BY code`, 500050.0, 3716050.0)
	if err != nil {
		t.Fatal(err)
	}
	type zone struct {
		Code, System, Name, Plan string
		Area                     float64
		Valid                    bool
		Off                      float64
	}
	zones, err := pgx.CollectRows(rows, pgx.RowToStructByPos[zone])
	if err != nil {
		t.Fatal(err)
	}
	if len(zones) != 2 {
		t.Fatalf("zones %+v", zones)
	}
	home, works := zones[0], zones[1]
	if home.Code != "0701" || home.System != land.SystemGTKJ2023 || home.Name != "城镇住宅用地" || home.Plan != "plan" || !home.Valid {
		t.Errorf("zone %+v", home)
	}
	// 100 m × 100 m on the central meridian (scale 1): 1 ha.
	if math.Abs(home.Area-10000)/10000 > 0.0005 {
		t.Errorf("area %.2f m², want 10000 within 0.05%%", home.Area)
	}
	if home.Off > 0.05 {
		t.Errorf("centroid %.3f m from where PostGIS puts the EPSG:4547 centre", home.Off)
	}
	if works.Code != "1001" || works.Name != "工业用地" || math.Abs(works.Area-20000)/20000 > 0.0005 || !works.Valid {
		t.Errorf("repaired zone %+v: want 工业用地, 20000 m², valid", works)
	}
	// The generalised land use follows, one audit row, tiles invalidated
	// over the old and new extent.
	if n := loadCount(t, f.conn, "SELECT count(*) FROM landuse_gen WHERE code = '0101'"); n != 0 {
		t.Errorf("%d cells of the old plan left in the generalised land use", n)
	}
	if n := loadCount(t, f.conn, "SELECT count(*) FROM landuse_gen WHERE code = '0701'"); n == 0 {
		t.Error("the new plan is not in the generalised land use")
	}
	if n := loadCount(t, f.conn, "SELECT count(*) FROM audit_log WHERE table_name = 'landuse' AND actor = 'land1' AND after->>'imported' = '2'"); n != 1 {
		t.Errorf("%d audit rows, want 1", n)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	note, err := listen.WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Layers []string  `json:"layers"`
		BBox   []float64 `json:"bbox"`
	}
	if err := json.Unmarshal([]byte(note.Payload), &msg); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(msg.Layers) != "[landuse]" || len(msg.BBox) != 4 || msg.BBox[0] > 113.85 || msg.BBox[2] < 114.005 {
		t.Errorf("notification %s: want landuse over the old plan (from 113.85°E) and the new (to 114.005°E)", note.Payload)
	}
	assertNoFiles(t, f.root)
}

// assertNoFiles checks that the importer left no file behind.
func assertNoFiles(t *testing.T, root string) {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Errorf("%d folders left in the importer's folder", len(entries))
	}
}

// TestImportFormats imports a GeoPackage (EPSG:4326, a line among the
// polygons), a FileGDB (control lines, EPSG:4547) and a GeoJSON file
// (control zones, EPSG:4490).
func TestImportFormats(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	t.Run("geopackage", func(t *testing.T) {
		tmp := t.TempDir()
		src := ogrtest.GeoJSON(t, tmp, "urn:ogc:def:crs:OGC:1.3:CRS84",
			ogrtest.Feature(`{"ydyh":"0901","mc":"商业用地","gh":"2035规划"}`, `{"type":"Polygon","coordinates":[[[114.01,33.61],[114.011,33.61],[114.011,33.611],[114.01,33.611],[114.01,33.61]],[[114.0104,33.6104],[114.0106,33.6104],[114.0106,33.6106],[114.0104,33.6106],[114.0104,33.6104]]]}`),
			ogrtest.Feature(`{"ydyh":"0701","mc":"道路","gh":"2035规划"}`, `{"type":"LineString","coordinates":[[114.0,33.6],[114.01,33.6]]}`))
		file := filepath.Join(tmp, "plan.gpkg")
		ogrtest.OGR2OGR(t, "-f", "GPKG", "-nlt", "GEOMETRY", file, src)
		imp, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerLanduse,
			Map: land.FieldMap{"code": "ydyh", "name": "mc", "plan": "gh"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Report.Imported != 1 || imp.Report.RejectedCount != 1 || imp.Report.Rejected[0].Reason != land.RejectGeometryType {
			t.Fatalf("report %+v", imp.Report)
		}
		var name, plan string
		var holes int
		if err := f.conn.QueryRow(t.Context(), "SELECT name, plan, ST_NumInteriorRings(ST_GeometryN(geom, 1)) FROM landuse").Scan(&name, &plan, &holes); err != nil {
			t.Fatal(err)
		}
		if name != "商业用地" || plan != "2035规划" || holes != 1 {
			t.Errorf("zone %s %s with %d holes", name, plan, holes)
		}
	})
	t.Run("filegdb", func(t *testing.T) {
		tmp := t.TempDir()
		src := ogrtest.GeoJSON(t, tmp, "urn:ogc:def:crs:EPSG::4547",
			ogrtest.Feature(`{"MC":"永久基本农田一号"}`, `{"type":"Polygon","coordinates":`+ogrtest.GKSquare(500000, 3716000, 300)+`}`),
			ogrtest.Feature(`{"MC":"永久基本农田二号"}`, `{"type":"Polygon","coordinates":`+ogrtest.GKSquare(501000, 3716000, 300)+`}`))
		gdb := filepath.Join(tmp, "farmland.gdb")
		ogrtest.OGR2OGR(t, "-f", "OpenFileGDB", "-nln", "farmland", gdb, src)
		file := filepath.Join(tmp, "farmland.zip")
		ogrtest.Zip(t, gdb, file)
		imp, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerBasicFarmland,
			Map: land.FieldMap{"name": "MC"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Info.Driver != ogr.DriverFileGDB || imp.Report.Imported != 2 || imp.Report.Replaced != 1 || math.Abs(imp.Report.AreaM2-180000)/180000 > 0.001 {
			t.Fatalf("import %+v, report %+v", imp.Info, imp.Report)
		}
		got := loadCount(t, f.conn, "SELECT count(*) FROM control_lines WHERE kind = 'basic_farmland' AND name LIKE '永久基本农田_号' AND district_id = 1")
		if got != 2 {
			t.Errorf("%d farmland lines with their names and district, want 2", got)
		}
		if n := loadCount(t, f.conn, "SELECT count(*) FROM control_lines WHERE kind = 'eco_redline'"); n != 1 {
			t.Errorf("%d eco red lines: the import replaced another kind", n)
		}
	})
	t.Run("geojson", func(t *testing.T) {
		tmp := t.TempDir()
		src := ogrtest.GeoJSON(t, tmp, "urn:ogc:def:crs:EPSG::4490",
			ogrtest.Feature(`{"GZQLXDM":"010","GH":"土地利用总体规划"}`, `{"type":"Polygon","coordinates":[[[114.0,33.6],[114.01,33.6],[114.01,33.61],[114.0,33.6]]]}`),
			ogrtest.Feature(`{"GZQLXDM":40,"GH":"土地利用总体规划"}`, `{"type":"Polygon","coordinates":[[[114.02,33.6],[114.03,33.6],[114.03,33.61],[114.02,33.6]]]}`),
			ogrtest.Feature(`{"GZQLXDM":"050","GH":"土地利用总体规划"}`, `{"type":"Polygon","coordinates":[[[114.04,33.6],[114.05,33.6],[114.05,33.61],[114.04,33.6]]]}`))
		imp, err := f.imp.Run(t.Context(), f.admin, src, land.ImportOptions{Layer: land.LayerControlZones,
			Map: land.FieldMap{"code": "GZQLXDM", "plan": "GH"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Report.Imported != 2 || imp.Report.RejectedCount != 1 || imp.Report.Rejected[0].Code != "050" {
			t.Fatalf("report %+v", imp.Report)
		}
		if n := loadCount(t, f.conn, "SELECT count(*) FROM control_zones WHERE code IN ('010', '040')"); n != 2 {
			t.Errorf("%d zones 010 and 040", n)
		}
	})
	t.Run("no coordinate system", func(t *testing.T) {
		tmp := t.TempDir()
		dir := filepath.Join(tmp, "plan")
		_ = os.Mkdir(dir, 0o700)
		src := ogrtest.GeoJSON(t, tmp, "urn:ogc:def:crs:EPSG::4547", ogrtest.Plan()[0])
		ogrtest.OGR2OGR(t, "-f", "ESRI Shapefile", filepath.Join(dir, "plan.shp"), src)
		_ = os.Remove(filepath.Join(dir, "plan.prj"))
		file := filepath.Join(tmp, "plan.zip")
		ogrtest.Zip(t, dir, file)
		before := loadCount(t, f.conn, "SELECT count(*) FROM landuse")
		_, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerLanduse, Map: land.FieldMap{"code": "DLBM"}}, nil)
		if geo.KindOf(err) != geo.KindInvalid || !strings.Contains(err.Error(), "no_srs") {
			t.Fatalf("err %v, want no_srs", err)
		}
		if n := loadCount(t, f.conn, "SELECT count(*) FROM landuse"); n != before {
			t.Errorf("landuse %d rows, was %d", n, before)
		}
		// With the coordinate system chosen it imports.
		imp, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerLanduse, SRS: "EPSG:4547", Map: land.FieldMap{"code": "DLBM"}}, nil)
		if err != nil || imp.Report.Imported != 1 {
			t.Fatalf("%v, %+v", err, imp.Report)
		}
	})
	assertNoFiles(t, f.root)
}

// TestImportAtomic checks that readers see the old land use or the new,
// never a mix and never none, while imports replace it; and that an import
// stopped in its last phase leaves the old layer.
func TestImportAtomic(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	var features []string
	for i := range 2000 {
		x, y := 500000+float64(i%50)*60, 3716000+float64(i/50)*60
		features = append(features, ogrtest.Feature(`{"DLBM":"0701","DLMC":"城镇住宅用地"}`, `{"type":"Polygon","coordinates":`+ogrtest.GKSquare(x, y, 50)+`}`))
	}
	file := ogrtest.GBKShapefile(t, t.TempDir(), features...)
	m := land.FieldMap{"code": "DLBM", "name": "DLMC"}

	t.Run("stopped", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		imp, err := f.imp.Run(ctx, f.admin, file, land.ImportOptions{Layer: land.LayerLanduse, Map: m}, func(phase string, done, total int) {
			if phase == land.PhaseReplacing {
				cancel()
			}
		})
		if err == nil || imp.Status != land.ImportFailed || imp.Error == nil || imp.Error.Code != "cancelled" {
			t.Fatalf("err %v, import %+v", err, imp)
		}
		if n := loadCount(t, f.conn, "SELECT count(*) FROM landuse WHERE plan = 'old'"); n != oldZones {
			t.Errorf("%d old zones left, want %d", n, oldZones)
		}
		if n := loadCount(t, f.conn, "SELECT count(*) FROM landuse"); n != oldZones {
			t.Errorf("%d zones, want the %d old ones", n, oldZones)
		}
		assertNoFiles(t, f.root)
	})

	t.Run("readers", func(t *testing.T) {
		reader, err := pgx.Connect(t.Context(), f.db.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer reader.Close(context.Background())
		stop := make(chan struct{})
		var wg sync.WaitGroup
		seen := map[string]int{}
		var readErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var all, old int
				if err := reader.QueryRow(context.Background(), "SELECT count(*), count(*) FILTER (WHERE plan = 'old') FROM landuse").Scan(&all, &old); err != nil {
					readErr = err
					return
				}
				seen[fmt.Sprintf("%d/%d", all, old)]++
			}
		}()
		for range 2 {
			if _, err := f.imp.Run(t.Context(), f.admin, file, land.ImportOptions{Layer: land.LayerLanduse, Map: m}, nil); err != nil {
				t.Fatal(err)
			}
		}
		close(stop)
		wg.Wait()
		if readErr != nil {
			t.Fatal(readErr)
		}
		old, imported := fmt.Sprintf("%d/%d", oldZones, oldZones), "2000/0"
		for s, n := range seen {
			if s != old && s != imported {
				t.Errorf("a reader saw %s (%d times): neither the old layer (%s) nor the new (%s)", s, n, old, imported)
			}
		}
		if seen[old] == 0 || seen[imported] == 0 {
			t.Errorf("readers saw %v: want both the old and the new layer", seen)
		}
	})
}
