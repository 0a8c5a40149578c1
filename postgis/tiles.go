package postgis

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/tiles"
	"github.com/paulmach/orb/encoding/wkb"
)

//go:embed sql/tile_*.sql
var tileSQL embed.FS

// tileQuery is the SQL of one layer and the filters it binds by name.
type tileQuery struct {
	sql     string
	filters []string
}

// TileSource answers tile queries with one SQL statement per layer: rows
// by the tile's bound through the spatial index, geometry as WKB, the
// other columns as feature properties. Encoding happens in package tiles.
type TileSource struct {
	db      *DB
	queries map[string]tileQuery
}

// NewTileSource prepares the queries of every layer of the catalogue; a
// layer without SQL is an error.
func (db *DB) NewTileSource(cat *tiles.Catalogue) (*TileSource, error) {
	s := &TileSource{db: db, queries: map[string]tileQuery{}}
	for _, l := range cat.Layers() {
		b, err := tileSQL.ReadFile("sql/tile_" + l.Name + ".sql")
		if err != nil {
			return nil, fmt.Errorf("layer %s has no SQL: %w", l.Name, err)
		}
		q := tileQuery{sql: string(b)}
		for _, f := range l.Filters {
			q.filters = append(q.filters, f.Name)
		}
		s.queries[l.Name] = q
	}
	return s, nil
}

// Features implements tiles.Source.
func (s *TileSource) Features(ctx context.Context, q tiles.Query) ([]tiles.Feature, error) {
	tq, ok := s.queries[q.Layer]
	if !ok {
		return nil, geo.NotFound("unknown_layer", "未知图层：%q", "unknown layer %q", q.Layer)
	}
	args := pgx.NamedArgs{
		"xmin": q.Bound.Min[0], "ymin": q.Bound.Min[1], "xmax": q.Bound.Max[0], "ymax": q.Bound.Max[1],
		"zoom": int(q.Address.Z),
	}
	for _, f := range tq.filters {
		args[f] = q.Filters[f] // nil: NULL, no filter
	}
	// A share link's scope; NULL: no share link.
	args["share_parcels"], args["share_parks"] = []int64(nil), []int64(nil)
	if sh := q.Principal.Share; sh != nil {
		args["share_parcels"], args["share_parks"] = append([]int64{}, sh.ParcelIDs...), append([]int64{}, sh.ParkIDs...)
	}
	// One round trip: the principal's settings, then the query, in the
	// batch's implicit transaction, so that row-level security sees them.
	b := &pgx.Batch{}
	queuePrincipal(b, q.Principal, "")
	var out []tiles.Feature
	b.Queue(tq.sql, args).Query(func(rows pgx.Rows) error {
		fields := rows.FieldDescriptions()
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				return err
			}
			f, err := feature(fields, vals)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err := s.db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// feature turns a row (id, geom, properties…) into a feature; NULL
// properties are left out.
func feature(fields []pgconn.FieldDescription, vals []any) (tiles.Feature, error) {
	var f tiles.Feature
	if id, ok := vals[0].(int64); ok && id >= 0 {
		u := uint64(id)
		f.ID = &u
	}
	b, ok := vals[1].([]byte)
	if !ok {
		return f, fmt.Errorf("row without geometry")
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return f, err
	}
	f.Geometry = g
	f.Properties = make(map[string]any, len(vals)-2)
	for i := 2; i < len(vals); i++ {
		if vals[i] != nil {
			f.Properties[fields[i].Name] = vals[i]
		}
	}
	return f, nil
}

var _ tiles.Source = (*TileSource)(nil)
