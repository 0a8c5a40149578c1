package access

import (
	"strings"
	"testing"
)

func TestPasswordHashes(t *testing.T) {
	h, err := HashPassword("漯河2026secure")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") || strings.Contains(h, "漯河2026secure") {
		t.Fatalf("hash %q", h)
	}
	for pw, want := range map[string]bool{"漯河2026secure": true, "漯河2026Secure": false, "": false} {
		ok, err := verifyPassword(h, pw)
		if err != nil || ok != want {
			t.Fatalf("%q: %v %v", pw, ok, err)
		}
	}
	h2, _ := HashPassword("漯河2026secure")
	if h2 == h {
		t.Fatal("no salt")
	}
	if _, err := verifyPassword("$2a$10$abc", "x"); err == nil {
		t.Fatal("foreign hash accepted")
	}
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{"short1": false, "longenoughbutnodigits": false, "1234567890123": false, "luohe2026map": true} {
		if (checkPassword(pw) == nil) != ok {
			t.Errorf("%q", pw)
		}
	}
}

func TestRandomTokens(t *testing.T) {
	a, ha, err := randomToken("om_")
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := randomToken("om_")
	if a == b || !strings.HasPrefix(a, "om_") || len(a) < 40 || string(HashToken(a)) != string(ha) {
		t.Fatal("tokens")
	}
}
