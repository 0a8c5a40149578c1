package tiles

import (
	"slices"

	"github.com/luohe/onemap/geo"
)

// visible strips from features what principal p may not see: fields
// outside the catalogue, sensitive fields, the prices of parcels not on
// offer, and for a share link everything but the base layers, the shared
// features and fields, and the names of the parks around the shared
// parcels.
func visible(p geo.Principal, l Layer, features []Feature) []Feature {
	// What p may see of each field, decided once per field name.
	decided := map[string]fieldRule{}
	out := features[:0]
	for _, f := range features {
		if p.Share != nil && !shared(p.Share, l.Name, f) {
			continue
		}
		context := p.Share != nil && aroundShared(p.Share, l.Name, f)
		kept := f.Properties[:0]
		for _, prop := range f.Properties {
			r, ok := decided[prop.Key]
			if !ok {
				r = fieldVisible(p, l, prop.Key)
				decided[prop.Key] = r
			}
			if context {
				r = fieldHidden
				if prop.Key == "name" {
					r = fieldShown
				}
			}
			if r == fieldShown || r == fieldOnOffer && geo.OfferedSupply(stringValue(f.Prop("supply_status"))) {
				kept = append(kept, prop)
			}
		}
		f.Properties = kept
		out = append(out, f)
	}
	return out
}

func stringValue(v any) string {
	s, _ := v.(string)
	return s
}

// shared reports whether a share link shows feature f of layer: one of
// its parcels or parks, a park around one of its parcels, or any feature
// of a base layer (those the layer's catalogue entry marks Base; the
// caller has checked the layer).
func shared(s *geo.ShareScope, layer string, f Feature) bool {
	if f.ID == nil {
		return layer != "parcels" && layer != "parks"
	}
	id := geo.ID(*f.ID)
	switch layer {
	case "parcels":
		return slices.Contains(s.ParcelIDs, id)
	case "parks":
		return slices.Contains(s.ParkIDs, id) || slices.Contains(s.AroundParkIDs, id)
	}
	return true
}

// aroundShared reports whether f is a park that a share link shows only
// as the outline and name around its parcels.
func aroundShared(s *geo.ShareScope, layer string, f Feature) bool {
	if layer != "parks" || f.ID == nil {
		return false
	}
	id := geo.ID(*f.ID)
	return !slices.Contains(s.ParkIDs, id) && slices.Contains(s.AroundParkIDs, id)
}

// fieldRule is what a principal may see of a field.
type fieldRule int8

const (
	fieldHidden  fieldRule = iota
	fieldShown             // always
	fieldOnOffer           // a parcel's price: when the parcel is on offer
)

func fieldVisible(p geo.Principal, l Layer, name string) fieldRule {
	i := slices.IndexFunc(l.Fields, func(f geo.Field) bool { return f.Name == name })
	switch {
	case i < 0:
		return fieldHidden
	case p.Share != nil && l.Base:
		return fieldShown
	case p.Share != nil:
		if name == "id" || slices.Contains(p.Share.Fields, name) {
			return fieldShown
		}
		return fieldHidden
	case p.Sees(l.Fields[i].Sensitive):
		return fieldShown
	case l.Fields[i].Sensitive == geo.SensitivePrice:
		return fieldOnOffer
	}
	return fieldHidden
}
