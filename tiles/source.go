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
	Properties []Property // each key once; written to tiles in this order
}

// Property is one field of a feature.
type Property struct {
	Key   string
	Value any
}

// Prop returns the value of the field key, or nil.
func (f Feature) Prop(key string) any {
	for _, p := range f.Properties {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}

// Source fetches features. The PostGIS adapter implements it.
type Source interface {
	// Features returns the features of q.Layer whose geometry meets
	// q.Bound.
	Features(ctx context.Context, q Query) ([]Feature, error)
}
