package postgis_test

import (
	"math/rand/v2"
	"testing"

	"github.com/luohe/onemap/demo"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/maptile"
)

// TestGridOutlines checks dissolved grid runs against PostGIS: random
// grids come out valid and equal to the union GEOS computes, and the land
// use of a loaded plan below z13 comes out of the source as one feature
// per class whose runs dissolve into valid outlines of their union.
func TestGridOutlines(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	check := func(t *testing.T, g, want orb.Geometry) {
		t.Helper()
		var valid, equal bool
		var reason string
		if err := conn.QueryRow(t.Context(), `SELECT ST_IsValid(d), ST_IsValidReason(d), $2::bytea IS NULL OR ST_Equals(d, ST_UnaryUnion(ST_GeomFromWKB($2)))
			FROM ST_GeomFromWKB($1) d`, wkbOf(t, g), wkbOf(t, want)).Scan(&valid, &reason, &equal); err != nil {
			t.Fatal(err)
		}
		if !valid || !equal {
			t.Fatalf("valid %v (%s), equal to the union %v: %v", valid, reason, equal, g)
		}
	}
	t.Run("random grids", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 200 {
			runs := randomRuns(rng)
			check(t, tiles.DissolveRectangles(runs), runs)
		}
	})
	t.Run("land-use tiles", func(t *testing.T) {
		systems, classes := demo.Classes()
		if _, err := db.LoadStream(t.Context(), postgis.StreamLoad{Actor: "load test", Systems: systems, Classes: classes,
			Landuse: demo.ScaleLanduse(3000, 11), Parcels: demo.ScaleParcels(0, 11)}); err != nil {
			t.Fatal(err)
		}
		var centre orb.Point
		if err := conn.QueryRow(t.Context(), "SELECT ST_X(c), ST_Y(c) FROM ST_Centroid((SELECT ST_Extent(geom)::geometry FROM landuse)) c").
			Scan(&centre[0], &centre[1]); err != nil {
			t.Fatal(err)
		}
		cat := tiles.NewCatalogue(geo.NewRegistry(), db)
		src, err := db.NewTileSource(cat)
		if err != nil {
			t.Fatal(err)
		}
		admin := geo.Principal{Kind: geo.UserSession, Username: "test", Roles: []geo.Role{geo.RoleAdmin}}
		for _, z := range []maptile.Zoom{9, 10, 12} {
			mt := maptile.At(centre, z)
			a := tiles.Address{Z: tiles.Zoom(z), X: mt.X, Y: mt.Y}
			fs, err := src.Features(t.Context(), tiles.Query{Principal: admin, Layer: "landuse", Address: a, Bound: a.Bound(tiles.Buffer)})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) == 0 {
				t.Fatalf("z%d: no land use", z)
			}
			holes := 0
			for _, f := range fs {
				mp, ok := f.Geometry.(orb.MultiPolygon)
				if !ok || f.ID != nil {
					t.Fatalf("z%d: a %T feature with id %v", z, f.Geometry, f.ID)
				}
				// The source answers a class's grid runs; tiles dissolves
				// them into the outlines of their union.
				outline := tiles.DissolveRectangles(mp)
				for _, p := range outline {
					holes += len(p) - 1
				}
				check(t, outline, mp)
			}
			t.Logf("z%d: %d classes, %d holes", z, len(fs), holes)
		}
	})
}

// randomRuns returns the row runs of a random grid of cells 0.01° wide,
// cut every 4 cells as the stored runs are.
func randomRuns(rng *rand.Rand) orb.MultiPolygon {
	n := 2 + rng.IntN(14)
	var mp orb.MultiPolygon
	for y := range n {
		for x := 0; x < n; {
			if rng.IntN(100) >= 55 {
				x++
				continue
			}
			x0 := x
			for x++; x < n && x%4 != 0 && rng.IntN(100) < 70; x++ {
			}
			mp = append(mp, orb.Polygon{orb.Bound{Min: orb.Point{113.5 + float64(x0)*0.01, 33.5 + float64(y)*0.01},
				Max: orb.Point{113.5 + float64(x)*0.01, 33.5 + float64(y+1)*0.01}}.ToRing()})
		}
	}
	return mp
}

func wkbOf(t *testing.T, g orb.Geometry) []byte {
	t.Helper()
	if g == nil {
		return nil
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTileQueryErrors checks that a tile query the database refuses comes
// back as an error (it panicked in the batch's callback: the failed query's
// rows have no field descriptions), and a value the database cannot take
// as KindInvalid.
func TestTileQueryErrors(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	src, err := db.NewTileSource(tiles.NewCatalogue(geo.NewRegistry(), db))
	if err != nil {
		t.Fatal(err)
	}
	admin := geo.Principal{Kind: geo.UserSession, Username: "test", Roles: []geo.Role{geo.RoleAdmin}}
	a := tiles.Address{Z: 10, X: 836, Y: 410}
	for _, leader := range []string{"\x00", "a\x00b", "\xff"} {
		_, err := src.Features(t.Context(), tiles.Query{Principal: admin, Layer: "projects", Address: a, Bound: a.Bound(tiles.Buffer),
			Filters: map[string][]string{"leader": {leader}}})
		if geo.KindOf(err) != geo.KindInvalid {
			t.Errorf("leader %q: %v, want KindInvalid", leader, err)
		}
	}
}
