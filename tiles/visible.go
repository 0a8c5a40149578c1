package tiles

import (
	"slices"

	"github.com/luohe/onemap/geo"
)

// visible strips from features what principal p may not see: fields
// outside the catalogue, sensitive fields, the prices of parcels not on
// offer, and for a share link everything but the shared features and
// fields.
func visible(p geo.Principal, l Layer, features []Feature) []Feature {
	out := features[:0]
	for _, f := range features {
		if p.Share != nil && !shared(p.Share, l.Name, f) {
			continue
		}
		for k := range f.Properties {
			if !fieldVisible(p, l, k, f.Properties) {
				delete(f.Properties, k)
			}
		}
		out = append(out, f)
	}
	return out
}

func shared(s *geo.ShareScope, layer string, f Feature) bool {
	if f.ID == nil {
		return false
	}
	id := int64(*f.ID)
	switch layer {
	case "parcels":
		return slices.Contains(s.ParcelIDs, id)
	case "parks":
		return slices.Contains(s.ParkIDs, id)
	}
	return false
}

func fieldVisible(p geo.Principal, l Layer, name string, props map[string]any) bool {
	i := slices.IndexFunc(l.Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return false
	}
	if p.Share != nil {
		return name == "id" || slices.Contains(p.Share.Fields, name)
	}
	f := l.Fields[i]
	if f.Sensitive == geo.SensitivePrice {
		status, _ := props["supply_status"].(string)
		return geo.OfferedSupply(status) || p.Sees(f.Sensitive)
	}
	return p.Sees(f.Sensitive)
}
