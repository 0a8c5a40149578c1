package invest

import (
	"context"
	"slices"

	"github.com/luohe/onemap/geo"
)

// Shared is a parcel or a park as a share link shows it to a firm. The
// store fills every field; the service keeps the link's chosen ones (nil:
// not shown, or no value).
type Shared struct {
	Layer        string   `json:"layer"` // "parcels" or "parks"
	ID           geo.ID   `json:"id"`
	Lon          float64  `json:"lon"` // a point on the feature, for the list's "show on map"
	Lat          float64  `json:"lat"`
	Code         *string  `json:"code,omitempty"`
	Name         *string  `json:"name,omitempty"`
	SupplyStatus *string  `json:"supply_status,omitempty"`
	LanduseCode  *string  `json:"landuse_code,omitempty"`
	LanduseName  *string  `json:"landuse_name,omitempty"`
	Park         *string  `json:"park,omitempty"`
	AreaMu       *float64 `json:"area_mu,omitempty"`
	Price        *float64 `json:"price,omitempty"` // 万元/亩
	PlotRatio    *string  `json:"plot_ratio,omitempty"`
	Utilities    *string  `json:"utilities,omitempty"`
	Level        *string  `json:"level,omitempty"`
	District     *string  `json:"district,omitempty"`
	Industries   *string  `json:"industries,omitempty"`
}

// keep clears the fields not named in fields.
func (s *Shared) keep(fields []string) {
	for name, clear := range map[string]func(){
		"code": func() { s.Code = nil }, "name": func() { s.Name = nil },
		"supply_status": func() { s.SupplyStatus = nil }, "landuse_code": func() { s.LanduseCode = nil },
		"landuse_name": func() { s.LanduseName = nil }, "park": func() { s.Park = nil },
		"area_mu": func() { s.AreaMu = nil }, "price": func() { s.Price = nil },
		"plot_ratio": func() { s.PlotRatio = nil }, "utilities": func() { s.Utilities = nil },
		"level": func() { s.Level = nil }, "district": func() { s.District = nil },
		"industries": func() { s.Industries = nil },
	} {
		if !slices.Contains(fields, name) {
			clear()
		}
	}
}

// Store reads investment data.
type Store interface {
	// Shared returns the parcels and parks of a share link's scope with
	// all their fields, parcels first, each by id.
	Shared(ctx context.Context, scope geo.ShareScope) ([]Shared, error)
}

// Service is investment promotion's operations, for the API, the command
// line and jobs.
type Service struct {
	store Store
}

// NewService returns the service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Shared returns what a share link shows: its parcels and parks with only
// its chosen fields.
func (s *Service) Shared(ctx context.Context, scope geo.ShareScope) ([]Shared, error) {
	fs, err := s.store.Shared(ctx, scope)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		fs[i].keep(scope.Fields)
	}
	return fs, nil
}
