package invest

import (
	"context"
	"slices"

	"github.com/luohe/onemap/geo"
)

// Distance is the way from a park or a parcel to the nearest transport
// target of a kind, in metres on the ellipsoid.
type Distance struct {
	Kind   string  `json:"kind"` // one of TransportTargets
	Name   string  `json:"name"`
	Metres float64 `json:"metres"`
}

// TransportTargets are the kinds of transport a firm asks the distance to
// (transport kinds, geo.TransportKinds): highway exits, railway stations,
// the high-speed rail station and the port.
func TransportTargets() []geo.Label {
	return []geo.Label{
		{ID: "highway_exit", ZH: "高速出入口", EN: "Highway exit"},
		{ID: "station", ZH: "铁路站", EN: "Railway station"},
		{ID: "high_speed_station", ZH: "高铁站", EN: "High-speed rail station"},
		{ID: "port", ZH: "港口", EN: "Port"},
	}
}

// Brochure is the one-page brochure (招商推介单页) of a parcel or a park:
// the thing with its outline, its park (a parcel's; the park itself for
// a park), and the distances to transport.
type Brochure struct {
	Layer     string      `json:"layer"` // "parcels" or "parks"
	Parcel    *ParcelView `json:"parcel,omitempty"`
	Park      *ParkView   `json:"park,omitempty"`
	Distances []Distance  `json:"distances"`
}

// ParcelBrochure returns the brochure of a parcel; KindNotFound.
func (s *Sites) ParcelBrochure(ctx context.Context, p geo.Principal, id geo.ID) (Brochure, error) {
	pc, err := s.store.Parcel(ctx, p, id)
	if err != nil {
		return Brochure{}, err
	}
	b := Brochure{Layer: "parcels", Parcel: &pc}
	if pc.ParkID != nil {
		pk, err := s.store.Park(ctx, p, *pc.ParkID)
		if err != nil {
			return Brochure{}, err
		}
		pk.Geom = nil
		b.Park = &pk
	}
	b.Distances, err = s.distances(ctx, p, "parcels", id)
	return b, err
}

// ParkBrochure returns the brochure of a park; KindNotFound.
func (s *Sites) ParkBrochure(ctx context.Context, p geo.Principal, id geo.ID) (Brochure, error) {
	pk, err := s.store.Park(ctx, p, id)
	if err != nil {
		return Brochure{}, err
	}
	b := Brochure{Layer: "parks", Park: &pk}
	b.Distances, err = s.distances(ctx, p, "parks", id)
	return b, err
}

// distances are the store's distances in the order of TransportTargets.
func (s *Sites) distances(ctx context.Context, p geo.Principal, layer string, id geo.ID) ([]Distance, error) {
	ds, err := s.store.Distances(ctx, p, layer, id)
	if err != nil {
		return nil, err
	}
	order := func(d Distance) int {
		return slices.IndexFunc(TransportTargets(), func(l geo.Label) bool { return l.ID == d.Kind })
	}
	slices.SortFunc(ds, func(a, b Distance) int { return order(a) - order(b) })
	return ds, nil
}
