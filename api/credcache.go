package api

import (
	"sync"
	"time"

	"github.com/luohe/onemap/geo"
)

// credCache keeps live sessions and API tokens in memory for a short
// while, so that a request costs no database round trip.
//
// A change to them takes effect before it is acknowledged on the server
// that makes it: its handler forgets every cached credential before
// answering, and an answer the database gave before a forget is never
// kept (the generation). Other servers hear of the change from the
// database, which announces every revocation, expiry change or account
// change (channel onemap_auth), and then forget them all: within the
// notification's delivery, normally milliseconds after the commit. While
// a server's listening connection is down, the time limit bounds how
// long it may still trust a changed credential; it forgets them all when
// the connection is back.
type credCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]credEntry
	gen uint64 // counts the forgets
}

type credEntry struct {
	p       geo.Principal // without the address, which is the request's
	csrf    string
	expires time.Time // of the cache entry
}

func newCredCache(ttl time.Duration) *credCache {
	return &credCache{ttl: ttl, m: map[string]credEntry{}}
}

// get returns the entry of key; on a miss, the generation to give put
// with what the database answers.
func (c *credCache) get(key string) (credEntry, uint64, bool) {
	if c.ttl <= 0 {
		return credEntry{}, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Now().After(e.expires) {
		delete(c.m, key)
		return credEntry{}, c.gen, false
	}
	return e, c.gen, true
}

// put keeps a credential that the database checked since get returned
// gen, unless something was forgotten meanwhile: the answer may predate
// the change that made the forget.
func (c *credCache) put(key string, gen uint64, p geo.Principal, csrf string) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) > 100_000 {
		clear(c.m)
	}
	c.m[key] = credEntry{p: p, csrf: csrf, expires: time.Now().Add(c.ttl)}
}

func (c *credCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
	c.gen++
}

// ForgetCredentials drops every cached session and token: call it when
// the database announces a change to them. The handlers that change them
// call it before they answer.
func (s *Server) ForgetCredentials() {
	s.creds.mu.Lock()
	defer s.creds.mu.Unlock()
	clear(s.creds.m)
	s.creds.gen++
}
