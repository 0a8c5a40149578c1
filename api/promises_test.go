package api_test

import (
	"testing"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

// TestTokenScope checks that an API token scoped to some of its owner's
// roles acts with those roles only.
func TestTokenScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	hash, err := access.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := access.User{Username: "twohats", DisplayName: "两职", Roles: []geo.Role{geo.RoleLeader, geo.RoleInvestment}}
	if _, err := f.db.CreateUser(t.Context(), geo.Principal{Username: "test"}, u, hash); err != nil {
		t.Fatal(err)
	}
	c := f.login(t, "twohats", testPassword)
	if res := c.do(t, "GET", "/api/shares", nil); res.StatusCode != 200 {
		t.Fatalf("the owner's session, with the investment role: %d", res.StatusCode)
	}
	var created struct{ Token string }
	res := c.do(t, "POST", "/api/tokens", map[string]any{"name": "只读", "roles": []string{"leader"}})
	if res.StatusCode != 201 {
		t.Fatalf("token: %d", res.StatusCode)
	}
	decodeJSON(t, res, &created)
	bearer := func(path string) int {
		return f.newClient(t).do(t, "GET", path, nil, "Authorization", "Bearer "+created.Token).StatusCode
	}
	if got := bearer("/tiles"); got != 200 {
		t.Fatalf("the token's own role: %d", got)
	}
	if got := bearer("/api/shares"); got != 403 {
		t.Fatalf("a role of the owner's left out of the token: %d, want 403", got)
	}
}
