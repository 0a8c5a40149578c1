package postgis_test

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/luohe/onemap/postgis"
	"github.com/paulmach/orb"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files")

// The small known network of the route test: a rectangle of city roads
// (40 km/h) from 114.00 to 114.10°E and 33.60 to 33.65°N with a bar down
// the middle at 114.05°E, so six nodes and seven edges.
const rectangleRoads = `
	DELETE FROM transport;
	INSERT INTO transport (kind, name, geom) VALUES
	  ('road', '南路', ST_GeomFromText('LINESTRING(114.00 33.60, 114.05 33.60, 114.10 33.60)', 4490)),
	  ('road', '北路', ST_GeomFromText('LINESTRING(114.00 33.65, 114.10 33.65)', 4490)),
	  ('road', '西路', ST_GeomFromText('LINESTRING(114.00 33.60, 114.00 33.65)', 4490)),
	  ('road', '中路', ST_GeomFromText('LINESTRING(114.05 33.60, 114.05 33.65)', 4490)),
	  ('road', '东路', ST_GeomFromText('LINESTRING(114.10 33.60, 114.10 33.65)', 4490)),
	  ('railway', '铁路', ST_GeomFromText('LINESTRING(114.00 33.62, 114.10 33.62)', 4490))`

// The places of the route test: the start at the south-west corner, then
// stops at the north-east corner (A), the middle of the south road (B)
// and the north-west corner (C), all on nodes.
var rectanglePlaces = []orb.Point{{114.00, 33.60}, {114.10, 33.65}, {114.05, 33.60}, {114.00, 33.65}}

// routeGolden is what the golden file of a route holds.
type routeGolden struct {
	Roads  bool      `json:"roads"`
	Order  []int     `json:"order"`
	Metres []float64 `json:"metres"`
	Total  float64   `json:"total_metres"`
}

func checkGolden(t *testing.T, name string, got routeGolden) {
	t.Helper()
	path := filepath.Join("testdata", name)
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *updateGolden {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(b)+"\n" {
		t.Errorf("%s: got\n%s\nwant\n%s", name, b, want)
	}
}

// TestTourRoute routes a round trip over the rectangle: the network is
// built from the roads (not the railway) when they are written, pgr_TSP
// orders the stops around the rectangle, whose perimeter the route's
// length is; in the order given the route is longer; with no roads the
// route falls back to straight lines.
func TestTourRoute(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	if _, err := conn.Exec(t.Context(), rectangleRoads); err != nil {
		t.Fatal(err)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM road_nodes"); n != 6 {
		t.Fatalf("%d nodes, want 6", n)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM road_edges"); n != 7 {
		t.Fatalf("%d edges, want 7", n)
	}
	var perimeter float64
	if err := conn.QueryRow(t.Context(), `SELECT ST_Perimeter(ST_MakeEnvelope(114.00, 33.60, 114.10, 33.65, 4490)::geography)`).
		Scan(&perimeter); err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), db.URL(), postgis.Options{MaxConns: 2, Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	route := func(optimize bool) routeGolden {
		t.Helper()
		r, err := app.Route(t.Context(), rectanglePlaces, optimize)
		if err != nil {
			t.Fatal(err)
		}
		g := routeGolden{Roads: r.Roads, Order: r.Order}
		for _, l := range r.Legs {
			g.Metres = append(g.Metres, math.Round(l.Metres))
			g.Total += math.Round(l.Metres)
			var way struct{ Type string }
			if err := json.Unmarshal(l.Way, &way); err != nil || (way.Type != "LineString" && way.Type != "MultiLineString") {
				t.Fatalf("leg way %s: %v", l.Way, err)
			}
		}
		if len(r.Legs) != len(rectanglePlaces) {
			t.Fatalf("%d legs, want %d (there and back)", len(r.Legs), len(rectanglePlaces))
		}
		return g
	}

	best := route(true)
	if !best.Roads {
		t.Fatal("routed along straight lines over a loaded network")
	}
	if !slices.Equal(best.Order, []int{1, 0, 2}) && !slices.Equal(best.Order, []int{2, 0, 1}) {
		t.Errorf("order %v, want around the rectangle: B, A, C or C, A, B", best.Order)
	}
	if math.Abs(best.Total-perimeter) > 5 {
		t.Errorf("optimised round trip %.0f m, want the perimeter %.0f m", best.Total, perimeter)
	}
	checkGolden(t, "tour_route_optimised.json", best)

	given := route(false)
	if !slices.Equal(given.Order, []int{0, 1, 2}) || given.Total <= best.Total+1000 {
		t.Errorf("given order %v: %.0f m, want 0, 1, 2 and longer than %.0f m", given.Order, given.Total, best.Total)
	}
	checkGolden(t, "tour_route_given.json", given)

	if _, err := conn.Exec(t.Context(), "DELETE FROM transport"); err != nil {
		t.Fatal(err)
	}
	if n := loadCount(t, conn, "SELECT count(*) FROM road_edges"); n != 0 {
		t.Fatalf("%d edges left without roads", n)
	}
	straight := route(true)
	if straight.Roads {
		t.Error("no network, yet routed over roads")
	}
	// Straight lines: S→B→A→C→S or its reverse; the diagonal cuts the
	// corner, so shorter than the perimeter.
	if straight.Total >= perimeter || straight.Total < perimeter*0.8 {
		t.Errorf("straight round trip %.0f m, want somewhat less than the perimeter %.0f m", straight.Total, perimeter)
	}
	checkGolden(t, "tour_route_straight.json", straight)
}
