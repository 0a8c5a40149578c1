package tiles

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// Invalidation is what the database announces when tiled data changes:
// the layers and the lon/lat box of the rows before and after the change
// (no box: everywhere).
type Invalidation struct {
	Layers []string   `json:"layers"`
	BBox   []float64  `json:"bbox"`
	bound  *orb.Bound `json:"-"`
}

// ParseInvalidation decodes a notification payload.
func ParseInvalidation(payload string) (Invalidation, error) {
	var inv Invalidation
	if err := json.Unmarshal([]byte(payload), &inv); err != nil {
		return inv, fmt.Errorf("tile notification %q: %w", payload, err)
	}
	switch len(inv.BBox) {
	case 0:
	case 4:
		inv.bound = &orb.Bound{Min: orb.Point{inv.BBox[0], inv.BBox[1]}, Max: orb.Point{inv.BBox[2], inv.BBox[3]}}
	default:
		return inv, fmt.Errorf("tile notification %q: bbox needs 4 numbers", payload)
	}
	return inv, nil
}

// Apply drops the cached tiles the change touches and returns how many.
func (c *Cache) Apply(inv Invalidation) int {
	return c.Invalidate(inv.Layers, inv.bound)
}
