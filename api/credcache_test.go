package api

import (
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// TestCredCacheKeepsNothingStale checks that what the database answered
// before a forget is not kept: the answer may predate the change that
// made the forget.
func TestCredCacheKeepsNothingStale(t *testing.T) {
	s := &Server{creds: newCredCache(time.Minute)}
	c := s.creds
	p := geo.Principal{Kind: geo.UserSession, Username: "flip", Roles: []geo.Role{geo.RoleAdmin}}
	for _, forget := range []func(){func() { c.forget("other") }, s.ForgetCredentials} {
		_, gen, ok := c.get("s1")
		if ok {
			t.Fatal("an entry before any put")
		}
		forget()
		c.put("s1", gen, p, "csrf")
		if _, _, ok := c.get("s1"); ok {
			t.Fatal("an answer from before a forget was kept")
		}
	}
	_, gen, _ := c.get("s1")
	c.put("s1", gen, p, "csrf")
	if e, _, ok := c.get("s1"); !ok || e.csrf != "csrf" || e.p.Username != "flip" {
		t.Fatalf("a fresh answer was not kept: %+v %v", e, ok)
	}
	s.ForgetCredentials()
	if _, _, ok := c.get("s1"); ok {
		t.Fatal("kept after ForgetCredentials")
	}
}
