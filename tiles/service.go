package tiles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/paulmach/orb"

	"golang.org/x/sync/singleflight"
)

// Service answers tile requests from a Source, through the cache if it has
// one.
type Service struct {
	src    Source
	cache  *Cache
	flight singleflight.Group
}

// NewService returns a service over src; cache may be nil (no caching).
func NewService(src Source, cache *Cache) *Service {
	return &Service{src: src, cache: cache}
}

// Cache returns the service's cache, or nil.
func (s *Service) Cache() *Cache { return s.cache }

// Tile returns the tile of req, from the cache or built by querying every
// layer at once. Errors come from the source; a panic while a layer is
// built is an internal error that carries the panic and its stack.
func (s *Service) Tile(ctx context.Context, req Request) (*Tile, error) {
	key := req.key()
	if s.cache != nil {
		if t, ok := s.cache.Get(key); ok {
			return t, nil
		}
	}
	var gen uint64
	if s.cache != nil {
		gen = s.cache.Generation()
	}
	// Requests share a build only within a cache generation: one that
	// comes after an invalidation must not get a tile drawn before it.
	v, err, _ := s.flight.Do(fmt.Sprintf("%s@%d", key, gen), func() (any, error) {
		t, err := s.build(ctx, req, key)
		if err == nil && s.cache != nil {
			s.cache.Put(t, gen)
		}
		return t, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*Tile), nil
}

func (s *Service) build(ctx context.Context, req Request, key string) (*Tile, error) {
	bound := req.Address.Bound(Buffer)
	layers := make([][]byte, len(req.Layers))
	errs := make([]error, len(req.Layers))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{}, len(req.Layers))
	for i, l := range req.Layers {
		go func() {
			defer func() { done <- struct{}{} }()
			// A panic here is out of reach of any handler's recover and
			// would end the process: it becomes this layer's error, with
			// the stack for whoever logs it.
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("layer %s tile %s: panic: %v\n%s", l.Name, req.Address, r, debug.Stack())
					cancel()
				}
			}()
			fs, err := s.src.Features(ctx, Query{Principal: req.Principal, Layer: l.Name, Address: req.Address, Bound: bound, Filters: req.Filters})
			if err != nil {
				errs[i] = fmt.Errorf("layer %s tile %s: %w", l.Name, req.Address, err)
				cancel()
				return
			}
			if int(req.Address.Z) < l.GridBelow {
				dissolveGrid(fs)
			}
			layers[i] = encodeLayer(l.Name, req.Address, visible(req.Principal, l, fs))
		}()
	}
	for range req.Layers {
		<-done
	}
	if err := firstError(errs); err != nil {
		return nil, err
	}
	names := make([]string, len(req.Layers))
	for i, l := range req.Layers {
		names[i] = l.Name
	}
	raw, gz, err := marshalGzip(layers)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	return &Tile{Key: key, Layers: names, Bound: bound, Gzip: gz, Size: len(raw), ETag: `"` + hex.EncodeToString(sum[:16]) + `"`}, nil
}

// firstError returns the error of the first layer that failed on its own,
// rather than one cancelled because another failed; nil if none failed.
func firstError(errs []error) error {
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = err
		}
	}
	return first
}

// dissolveGrid turns each feature of a generalised grid, the rectangles of
// its cells, into the outlines of their union.
func dissolveGrid(fs []Feature) {
	for i, f := range fs {
		if mp, ok := f.Geometry.(orb.MultiPolygon); ok {
			fs[i].Geometry = DissolveRectangles(mp)
		}
	}
}
