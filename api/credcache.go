package api

import (
	"sync"
	"time"

	"github.com/luohe/onemap/geo"
)

// credCache keeps live sessions and API tokens in memory for a short
// while, so that a request costs no database round trip. The database
// announces every revocation, expiry change or account change (channel
// onemap_auth) and the server then forgets them all; the time limit is the
// backstop.
type credCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]credEntry
}

type credEntry struct {
	p       geo.Principal // without the address, which is the request's
	csrf    string
	expires time.Time // of the cache entry
}

func newCredCache(ttl time.Duration) *credCache {
	return &credCache{ttl: ttl, m: map[string]credEntry{}}
}

func (c *credCache) get(key string) (credEntry, bool) {
	if c.ttl <= 0 {
		return credEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Now().After(e.expires) {
		delete(c.m, key)
		return credEntry{}, false
	}
	return e, true
}

func (c *credCache) put(key string, p geo.Principal, csrf string) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 100_000 {
		clear(c.m)
	}
	c.m[key] = credEntry{p: p, csrf: csrf, expires: time.Now().Add(c.ttl)}
}

func (c *credCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// ForgetCredentials drops every cached session and token: call it when
// the database announces a change to them.
func (s *Server) ForgetCredentials() {
	s.creds.mu.Lock()
	defer s.creds.mu.Unlock()
	clear(s.creds.m)
}
