package postgis

import (
	"context"
	"embed"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

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
	args["share_parcels"], args["share_parks"] = []geo.ID(nil), []geo.ID(nil)
	if sh := q.Principal.Share; sh != nil {
		args["share_parcels"], args["share_parks"] = append([]geo.ID{}, sh.ParcelIDs...), append(append([]geo.ID{}, sh.ParkIDs...), sh.AroundParkIDs...)
	}
	// One round trip: the principal's settings, then the query, in the
	// batch's implicit transaction, so that row-level security sees them.
	b := &pgx.Batch{}
	queuePrincipal(b, q.Principal, "")
	var out []tiles.Feature
	b.Queue(tq.sql, args).Query(func(rows pgx.Rows) error {
		// The rows of a query the database refused hold only the error:
		// no field descriptions.
		if err := rows.Err(); err != nil {
			return err
		}
		fields := rows.FieldDescriptions()
		// Text values repeat from row to row (classes, stages, names):
		// one string each.
		texts := map[string]string{}
		for rows.Next() {
			f, err := feature(fields, rows.RawValues(), texts)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err := s.db.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, dbError(err, "瓦片", "tile")
	}
	return out, nil
}

// feature turns a raw row (id, geom, properties…) into a feature; NULL
// properties are left out, and text values are taken from texts when seen
// before. Decoding the few column types of the tile queries here, instead
// of through pgx's generic Values, saves most of a tile's allocations.
func feature(fields []pgconn.FieldDescription, raw [][]byte, texts map[string]string) (tiles.Feature, error) {
	var f tiles.Feature
	if len(raw) < 2 || raw[1] == nil {
		return f, fmt.Errorf("row without geometry")
	}
	if raw[0] != nil {
		id, err := decodeValue(fields[0], raw[0], nil)
		if err != nil {
			return f, err
		}
		if n, ok := id.(int64); ok && n >= 0 {
			u := uint64(n)
			f.ID = &u
		}
	}
	g, err := wkb.Unmarshal(raw[1])
	if err != nil {
		return f, err
	}
	f.Geometry = g
	f.Properties = make([]tiles.Property, 0, len(raw)-2)
	for i := 2; i < len(raw); i++ {
		if raw[i] == nil {
			continue
		}
		v, err := decodeValue(fields[i], raw[i], texts)
		if err != nil {
			return f, err
		}
		f.Properties = append(f.Properties, tiles.Property{Key: fields[i].Name, Value: v})
	}
	return f, nil
}

// PostgreSQL type OIDs of the tile queries' columns.
const (
	oidBool    = 16
	oidInt8    = 20
	oidInt2    = 21
	oidInt4    = 23
	oidText    = 25
	oidFloat4  = 700
	oidFloat8  = 701
	oidVarchar = 1043
)

// decodeValue decodes one column of the tile queries: text, integers,
// floats and booleans, in binary or text format. Text values are kept in
// texts, if given, and taken from there when seen again.
func decodeValue(fd pgconn.FieldDescription, b []byte, texts map[string]string) (any, error) {
	bin := fd.Format == pgx.BinaryFormatCode
	switch fd.DataTypeOID {
	case oidText, oidVarchar:
		if texts == nil {
			return string(b), nil
		}
		if s, ok := texts[string(b)]; ok {
			return s, nil
		}
		s := string(b)
		texts[s] = s
		return s, nil
	case oidInt8, oidInt4, oidInt2:
		if !bin {
			return strconv.ParseInt(string(b), 10, 64)
		}
		switch len(b) {
		case 8:
			return int64(binary.BigEndian.Uint64(b)), nil
		case 4:
			return int64(int32(binary.BigEndian.Uint32(b))), nil
		case 2:
			return int64(int16(binary.BigEndian.Uint16(b))), nil
		}
	case oidFloat8, oidFloat4:
		if !bin {
			return strconv.ParseFloat(string(b), 64)
		}
		switch len(b) {
		case 8:
			return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
		case 4:
			return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
		}
	case oidBool:
		if len(b) == 1 {
			return b[0] == 1 || b[0] == 't', nil
		}
	}
	return nil, fmt.Errorf("tile column %s: unsupported type %d", fd.Name, fd.DataTypeOID)
}

var _ tiles.Source = (*TileSource)(nil)
