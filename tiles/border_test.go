package tiles_test

import (
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/postgis/postgistest"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/maptile"
)

var srv *postgistest.Server

func TestMain(m *testing.M) { os.Exit(postgistest.Main(m, &srv)) }

// TestSharedBorderSurvivesTheEncoder passes two construction-control
// zones that share a winding border of many vertices through what the
// server does for a tile below the deepest zoom (the layer's SQL, the
// PostGIS source, the encoder and its simplification): the border loses
// vertices, and both zones keep exactly the same ones, so no gap or
// overlap opens between them.
func TestSharedBorderSurvivesTheEncoder(t *testing.T) {
	t.Parallel()
	const z = 13
	tile := maptile.At(orb.Point{114.0, 33.58}, z)
	b := tile.Bound()
	// The zones fill the middle of the tile: west of the border and east
	// of it.
	w, e := b.Min[0]+(b.Max[0]-b.Min[0])/4, b.Max[0]-(b.Max[0]-b.Min[0])/4
	s, n := b.Min[1]+(b.Max[1]-b.Min[1])/4, b.Max[1]-(b.Max[1]-b.Min[1])/4
	mid, unit := (w+e)/2, (b.Max[0]-b.Min[0])/tiles.Extent
	const vertices = 400
	border := make(orb.LineString, vertices) // north to south
	for i := range border {
		// Wiggles of about a tile unit, which simplification removes, on
		// bends of tens of units, which it keeps.
		x := mid + unit*(1.5*math.Sin(float64(i)*2.1)+40*math.Sin(float64(i)/25))
		border[i] = orb.Point{x, n - (n-s)*float64(i)/(vertices-1)}
	}
	west := append(orb.Ring{{w, s}, {w, n}}, border...)
	west = append(west, west[0])
	east := orb.Ring{{e, n}, {e, s}}
	for i := range border {
		east = append(east, border[len(border)-1-i])
	}
	east = append(east, east[0])

	owner := srv.DB(t)
	conn, err := pgx.Connect(t.Context(), owner.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	_, err = conn.Exec(t.Context(), `
		INSERT INTO control_zones (id, code, plan, geom) VALUES
		  (1, '010', '总体规划', ST_Multi(ST_GeomFromText($1, 4490))),
		  (2, '020', '总体规划', ST_Multi(ST_GeomFromText($2, 4490)))`, wkt.MarshalString(orb.Polygon{west}), wkt.MarshalString(orb.Polygon{east}))
	if err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), owner.URL(), postgis.Options{MaxConns: 4, Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	cat := tiles.NewCatalogue(geo.NewRegistry(), app)
	if err := cat.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	src, err := app.NewTileSource(cat)
	if err != nil {
		t.Fatal(err)
	}
	land := geo.Principal{Kind: geo.UserSession, Username: "land1", Roles: []geo.Role{geo.RoleLand}}
	req, err := cat.ParseRequest(land, "controls", fmt.Sprint(z), fmt.Sprint(tile.X), fmt.Sprint(tile.Y), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tiles.NewService(src, nil).Tile(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	layers := tiles.DecodeTile(t, got)
	rings := map[float64]orb.Ring{}
	for _, l := range layers {
		for _, f := range l.Features {
			id, _ := f.ID.(float64) // as orb decodes it
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				rings[id] = g[0]
			case orb.MultiPolygon:
				if len(g) == 1 {
					rings[id] = g[0][0]
				}
			}
		}
	}
	// The layer's ids of control zones are theirs plus 1000000.
	westTile, eastTile := rings[1000001], rings[1000002]
	if len(rings) != 2 || westTile == nil || eastTile == nil {
		t.Fatalf("want the two zones as one polygon each, got %d", len(rings))
	}
	// In tile units the west zone's outer edge is its least x, the east
	// zone's its greatest: every other vertex lies on the border.
	westBorder := borderOf(westTile, westTile.Bound().Min[0])
	eastBorder := borderOf(eastTile, eastTile.Bound().Max[0])
	if len(westBorder) < 6 || len(westBorder) >= vertices*3/4 {
		t.Fatalf("%d of the border's %d vertices kept: simplification did not act, or left no shape", len(westBorder), vertices)
	}
	if !slices.Equal(westBorder, eastBorder) {
		t.Fatalf("the shared border differs between the zones:\nwest %v\neast %v", westBorder, eastBorder)
	}
}

// borderOf returns the vertices of ring r off its outer edge x = edge,
// sorted.
func borderOf(r orb.Ring, edge float64) []orb.Point {
	var out []orb.Point
	for _, p := range r {
		if p[0] != edge && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b orb.Point) int {
		if a[1] != b[1] {
			return int(a[1] - b[1])
		}
		return int(a[0] - b[0])
	})
	return out
}
