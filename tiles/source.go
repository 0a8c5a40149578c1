package tiles

import (
	"context"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// Query asks for one layer's features in one tile, for a principal.
type Query struct {
	Principal geo.Principal
	Layer     string
	Address   Address
	// Bound is the tile's bound in lon/lat with the buffer.
	Bound orb.Bound
	// Filters holds the layer's filters, by name, each with one or more
	// values already checked against the catalogue.
	Filters map[string][]string
}

// Feature is one feature of a layer, in lon/lat.
type Feature struct {
	ID         *uint64
	Geometry   orb.Geometry
	Properties map[string]any
}

// Source fetches features. The PostGIS adapter implements it.
type Source interface {
	// Features returns the features of q.Layer whose geometry meets
	// q.Bound.
	Features(ctx context.Context, q Query) ([]Feature, error)
}
