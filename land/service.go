package land

import (
	"context"
)

// Classification is the land-use classification systems with their
// classes.
type Classification struct {
	Systems []System
	Classes []Class
}

// Store reads the land bureau's data.
type Store interface {
	// Classification returns every system and class, classes ordered by
	// system and code.
	Classification(ctx context.Context) (Classification, error)
}

// Service is the land bureau's operations, for the API, the command line
// and jobs.
type Service struct {
	store Store
}

// NewService returns the service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Classification returns the land-use classification systems and classes
// (codes clash between systems, so a class is known by both).
func (s *Service) Classification(ctx context.Context) (Classification, error) {
	return s.store.Classification(ctx)
}
