package tiles

import (
	"container/list"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Cache keeps encoded tiles in memory within a byte budget, least recently
// used out first. Invalidate drops the tiles of some layers over an area;
// a tile computed while an invalidation happened is not stored.
type Cache struct {
	shards [cacheShards]cacheShard
	seed   maphash.Seed
	gen    atomic.Uint64
}

const cacheShards = 16

type cacheShard struct {
	mu     sync.Mutex
	budget int64
	used   int64
	lru    *list.List // of *Tile, most recent first
	byKey  map[string]*list.Element
}

// Tile is an encoded tile: gzipped MVT bytes and their strong ETag.
type Tile struct {
	Key    string
	Layers []string
	Bound  orb.Bound // lon/lat, buffer included
	Gzip   []byte
	Size   int // bytes of the MVT before gzip
	ETag   string
}

func (t *Tile) size() int64 { return int64(len(t.Gzip) + len(t.Key) + 256) }

// NewCache returns a cache holding at most budget bytes.
func NewCache(budget int64) *Cache {
	c := &Cache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i] = cacheShard{budget: budget / cacheShards, lru: list.New(), byKey: map[string]*list.Element{}}
	}
	return c
}

func (c *Cache) shard(key string) *cacheShard {
	return &c.shards[maphash.String(c.seed, key)%cacheShards]
}

// Generation returns a counter that every invalidation increments; pass
// it to Put.
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// Get returns the cached tile of key.
func (c *Cache) Get(key string) (*Tile, bool) {
	s := c.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byKey[key]
	if !ok {
		return nil, false
	}
	s.lru.MoveToFront(e)
	return e.Value.(*Tile), true
}

// Put stores t unless an invalidation happened since generation gen.
func (c *Cache) Put(t *Tile, gen uint64) {
	s := c.shard(t.Key)
	if t.size() > s.budget {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if e, ok := s.byKey[t.Key]; ok {
		s.remove(e)
	}
	s.byKey[t.Key] = s.lru.PushFront(t)
	s.used += t.size()
	for s.used > s.budget {
		s.remove(s.lru.Back())
	}
}

func (s *cacheShard) remove(e *list.Element) {
	t := s.lru.Remove(e).(*Tile)
	delete(s.byKey, t.Key)
	s.used -= t.size()
}

// Invalidate drops the tiles that show any of layers over bound; a nil
// bound means everywhere, nil layers means every layer.
func (c *Cache) Invalidate(layers []string, bound *orb.Bound) int {
	// Bump under every shard's lock, so that a Put racing with us either
	// lands before (and is dropped below) or sees the new generation.
	for i := range c.shards {
		c.shards[i].mu.Lock()
	}
	c.gen.Add(1)
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		for e := s.lru.Front(); e != nil; {
			next := e.Next()
			t := e.Value.(*Tile)
			if touches(t, layers, bound) {
				s.remove(e)
				n++
			}
			e = next
		}
		s.mu.Unlock()
	}
	return n
}

func touches(t *Tile, layers []string, bound *orb.Bound) bool {
	if layers != nil && !slices.ContainsFunc(t.Layers, func(l string) bool { return slices.Contains(layers, l) }) {
		return false
	}
	return bound == nil || t.Bound.Intersects(*bound)
}

// Stats returns the number of tiles and bytes held.
func (c *Cache) Stats() (tiles int, bytes int64) {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		tiles += len(s.byKey)
		bytes += s.used
		s.mu.Unlock()
	}
	return tiles, bytes
}
