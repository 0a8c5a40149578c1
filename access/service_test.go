package access

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// fakeStore keeps the Service's data in memory, as the PostGIS stores do
// in tables: only the rules under test are the Service's.
type fakeStore struct {
	now      func() time.Time
	nextID   geo.ID
	users    map[geo.ID]User
	hashes   map[geo.ID]string
	failures []failure
	attempts int64             // the last attempt's id
	supply   map[geo.ID]string // parcels' supply status
	sessions map[string]*fakeSession
	tokens   map[string]*Token
	shares   map[string]*fakeShare
	unlocks  map[string]fakeUnlock
	opens    map[geo.ID][]ShareOpen
}

type failure struct {
	id                 int64
	kind, key, address string
	at                 time.Time
}

type fakeSession struct {
	userID  geo.ID
	csrf    string
	expires time.Time
	revoked bool
}

type fakeShare struct {
	Share
	password string
}

type fakeUnlock struct {
	linkID  geo.ID
	expires time.Time
}

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{now: now, users: map[geo.ID]User{}, hashes: map[geo.ID]string{}, sessions: map[string]*fakeSession{},
		tokens: map[string]*Token{}, shares: map[string]*fakeShare{}, unlocks: map[string]fakeUnlock{}, opens: map[geo.ID][]ShareOpen{},
		supply: map[geo.ID]string{1: "ready", 2: "planned"}}
}

func (f *fakeStore) id() geo.ID {
	f.nextID++
	return f.nextID
}

func noSuch(what string) error { return geo.NotFound("not_found", "%s不存在", "no such %s", what) }

func (f *fakeStore) UserByName(_ context.Context, username string) (User, string, error) {
	for _, u := range f.users {
		if u.Username == username {
			return u, f.hashes[u.ID], nil
		}
	}
	return User{}, "", noSuch("user")
}

func (f *fakeStore) User(_ context.Context, id geo.ID) (User, error) {
	u, ok := f.users[id]
	if !ok {
		return User{}, noSuch("user")
	}
	return u, nil
}

func (f *fakeStore) Users(context.Context) ([]User, error) {
	var out []User
	for _, u := range f.users {
		out = append(out, u)
	}
	return out, nil
}

func (f *fakeStore) CreateUser(_ context.Context, _ geo.Principal, u User, hash string) (User, error) {
	if _, _, err := f.UserByName(context.Background(), u.Username); err == nil {
		return User{}, geo.Errorf(geo.KindConflict, "duplicate", "用户已存在", "user already exists")
	}
	u.ID, u.CreatedAt = f.id(), f.now()
	f.users[u.ID], f.hashes[u.ID] = u, hash
	return u, nil
}

func (f *fakeStore) UpdateUser(_ context.Context, _ geo.Principal, u User) (User, error) {
	if _, ok := f.users[u.ID]; !ok {
		return User{}, noSuch("user")
	}
	f.users[u.ID] = u
	if u.Disabled {
		f.endSessions(u.ID)
	}
	return u, nil
}

func (f *fakeStore) SetPassword(_ context.Context, _ geo.Principal, id geo.ID, hash string, isDefault bool) error {
	u, ok := f.users[id]
	if !ok {
		return noSuch("user")
	}
	u.DefaultPassword = isDefault
	f.users[id], f.hashes[id] = u, hash
	f.endSessions(id)
	return nil
}

func (f *fakeStore) endSessions(id geo.ID) {
	for _, s := range f.sessions {
		if s.userID == id {
			s.revoked = true
		}
	}
}

func (f *fakeStore) DefaultPasswordUsers(context.Context) ([]string, error) {
	var out []string
	for _, u := range f.users {
		if u.DefaultPassword && !u.Disabled {
			out = append(out, u.Username)
		}
	}
	return out, nil
}

func (f *fakeStore) Attempt(_ context.Context, a Attempt) (int64, bool, error) {
	var byKey, byAddress int
	for _, x := range f.failures {
		if x.kind == a.Kind && x.at.After(a.Since) && x.key == a.Key {
			byKey++
		}
		if x.kind == a.Kind && x.at.After(a.Since) && x.address == a.Address {
			byAddress++
		}
	}
	if byKey >= a.PerKey || byAddress >= a.PerAddress {
		return 0, false, nil
	}
	f.attempts++
	f.failures = append(f.failures, failure{f.attempts, a.Kind, a.Key, a.Address, f.now()})
	return f.attempts, true, nil
}

func (f *fakeStore) ForgetAttempt(_ context.Context, id int64) error {
	f.failures = slices.DeleteFunc(f.failures, func(x failure) bool { return x.id == id })
	return nil
}

func (f *fakeStore) CreateSession(_ context.Context, userID geo.ID, tokenHash []byte, csrf, _ string, expires time.Time) error {
	f.sessions[string(tokenHash)] = &fakeSession{userID: userID, csrf: csrf, expires: expires}
	return nil
}

func (f *fakeStore) SessionUser(_ context.Context, tokenHash []byte, _ time.Duration) (User, string, error) {
	s, ok := f.sessions[string(tokenHash)]
	if !ok || s.revoked || !s.expires.After(f.now()) || f.users[s.userID].Disabled {
		return User{}, "", noSuch("session")
	}
	return f.users[s.userID], s.csrf, nil
}

func (f *fakeStore) RevokeSession(_ context.Context, tokenHash []byte) error {
	if s, ok := f.sessions[string(tokenHash)]; ok {
		s.revoked = true
	}
	return nil
}

func (f *fakeStore) CreateToken(_ context.Context, _ geo.Principal, t Token, hash []byte) (Token, error) {
	t.ID, t.CreatedAt = f.id(), f.now()
	f.tokens[string(hash)] = &t
	return t, nil
}

func (f *fakeStore) Tokens(_ context.Context, userID geo.ID) ([]Token, error) {
	var out []Token
	for _, t := range f.tokens {
		if t.UserID == userID {
			out = append(out, *t)
		}
	}
	return out, nil
}

func (f *fakeStore) RevokeToken(_ context.Context, by geo.Principal, id geo.ID) error {
	for _, t := range f.tokens {
		if t.ID == id && (t.UserID == by.UserID || by.Has(geo.RoleAdmin)) {
			now := f.now()
			t.RevokedAt = &now
			return nil
		}
	}
	return noSuch("token")
}

func (f *fakeStore) TokenUser(_ context.Context, hash []byte) (User, error) {
	t, ok := f.tokens[string(hash)]
	if !ok {
		return User{}, noSuch("token")
	}
	u := f.users[t.UserID]
	if t.RevokedAt != nil || t.ExpiresAt != nil && !t.ExpiresAt.After(f.now()) || u.Disabled {
		return User{}, noSuch("token")
	}
	var roles []geo.Role
	for _, r := range u.Roles {
		if slices.Contains(t.Roles, string(r)) {
			roles = append(roles, r)
		}
	}
	u.Roles = roles
	return u, nil
}

func (f *fakeStore) CreateShare(_ context.Context, by geo.Principal, s Share, tokenHash []byte, passwordHash string) (Share, error) {
	s.ID, s.CreatedAt, s.CreatedBy, s.HasPassword = f.id(), f.now(), by.Username, passwordHash != ""
	f.shares[string(tokenHash)] = &fakeShare{s, passwordHash}
	return s, nil
}

func (f *fakeStore) Shares(context.Context) ([]Share, error) {
	var out []Share
	for _, s := range f.shares {
		out = append(out, s.Share)
	}
	return out, nil
}

func (f *fakeStore) RevokeShare(_ context.Context, _ geo.Principal, id geo.ID) error {
	for _, s := range f.shares {
		if s.ID == id {
			now := f.now()
			s.RevokedAt = &now
			return nil
		}
	}
	return noSuch("share link")
}

func (f *fakeStore) ShareByToken(_ context.Context, tokenHash []byte) (Share, string, error) {
	s, ok := f.shares[string(tokenHash)]
	if !ok || s.RevokedAt != nil || !s.ExpiresAt.After(f.now()) {
		return Share{}, "", noSuch("share link")
	}
	return s.Share, s.password, nil
}

func (f *fakeStore) RecordShareOpen(_ context.Context, linkID geo.ID, address, userAgent string) error {
	f.opens[linkID] = append(f.opens[linkID], ShareOpen{At: f.now(), Address: address, UserAgent: userAgent})
	return nil
}

func (f *fakeStore) ShareOpens(_ context.Context, linkID geo.ID) ([]ShareOpen, error) {
	return f.opens[linkID], nil
}

func (f *fakeStore) ParcelSupply(_ context.Context, ids []geo.ID) (map[geo.ID]string, error) {
	out := map[geo.ID]string{}
	for _, id := range ids {
		if st, ok := f.supply[id]; ok {
			out[id] = st
		}
	}
	return out, nil
}

func (f *fakeStore) UnlockShare(_ context.Context, linkID geo.ID, tokenHash []byte, expires time.Time) error {
	f.unlocks[string(tokenHash)] = fakeUnlock{linkID, expires}
	return nil
}

func (f *fakeStore) ShareUnlocked(_ context.Context, linkID geo.ID, tokenHash []byte) (bool, error) {
	u, ok := f.unlocks[string(tokenHash)]
	return ok && u.linkID == linkID && u.expires.After(f.now()), nil
}

func (f *fakeStore) Audit(context.Context, AuditFilter) ([]AuditEntry, error) { return nil, nil }

// clock is the tests' time, moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

const password = "luohe2026test"

// fixture is a Service over a fakeStore, with users in a few roles, all
// with password.
type fixture struct {
	svc   *Service
	store *fakeStore
	clock *clock
	admin geo.Principal
	inv   geo.Principal // an investment user
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local)}
	st := newFakeStore(c.now)
	svc, err := New(Stores{Users: st, Failures: st, Sessions: st, Tokens: st, Shares: st, Audit: st},
		Settings{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, store: st, clock: c}
	f.admin = f.user(t, "admin1", geo.RoleAdmin).Principal("10.0.0.1")
	f.inv = f.user(t, "invest1", geo.RoleInvestment).Principal("10.0.0.2")
	return f
}

func (f *fixture) user(t *testing.T, username string, roles ...geo.Role) User {
	t.Helper()
	u, err := f.svc.CreateUser(t.Context(), geo.Principal{Username: "test"}, NewUser{
		Username: username, DisplayName: username, Password: password, Roles: geo.RoleNames(roles),
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// code returns the code of err's domain error, or "" if it is not one.
func code(err error) string {
	var e *geo.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// retryAfter returns the wait that err's domain error asks for.
func retryAfter(err error) time.Duration {
	var e *geo.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func wantError(t *testing.T, err error, kind geo.Kind, errCode string) {
	t.Helper()
	if err == nil || geo.KindOf(err) != kind || code(err) != errCode {
		t.Fatalf("error %v, want kind %d code %q", err, kind, errCode)
	}
}

func (f *fixture) login(username, pw, address string) (Session, error) {
	return f.svc.Login(context.Background(), Login{Username: username, Password: pw, Address: address})
}

func TestLogin(t *testing.T) {
	t.Run("a right password starts a session", func(t *testing.T) {
		f := newFixture(t)
		s, err := f.login(" admin1 ", password, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if s.User.Username != "admin1" || s.Token == "" || s.CSRF == "" || !s.Expires.Equal(f.clock.t.Add(12*time.Hour)) {
			t.Fatalf("session %+v", s)
		}
		p, csrf, err := f.svc.AuthenticateSession(t.Context(), s.Token, "10.0.0.9")
		if err != nil || p.Kind != geo.UserSession || p.UserID != s.User.ID || p.Address != "10.0.0.9" || csrf != s.CSRF {
			t.Fatalf("session principal %+v %q %v", p, csrf, err)
		}
	})
	t.Run("no user name or password", func(t *testing.T) {
		f := newFixture(t)
		for _, in := range [][2]string{{"", password}, {"admin1", ""}, {"  ", password}} {
			_, err := f.login(in[0], in[1], "10.0.0.1")
			wantError(t, err, geo.KindInvalid, "bad_login")
		}
	})
	t.Run("a wrong password records a failure", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.login("admin1", "wrong-password-1", "10.0.0.7")
		wantError(t, err, geo.KindUnauthorized, "bad_credentials")
		if len(f.store.failures) != 1 || f.store.failures[0].key != "admin1" || f.store.failures[0].address != "10.0.0.7" {
			t.Fatalf("failures %+v", f.store.failures)
		}
		if len(f.store.sessions) != 0 {
			t.Fatal("a session was made")
		}
	})
	t.Run("an unknown user looks like a wrong password", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.login("nobody", password, "10.0.0.7")
		wantError(t, err, geo.KindUnauthorized, "bad_credentials")
		if len(f.store.failures) != 1 {
			t.Fatalf("failures %+v", f.store.failures)
		}
	})
	t.Run("a disabled account is refused", func(t *testing.T) {
		f := newFixture(t)
		off := true
		if _, err := f.svc.UpdateUser(t.Context(), f.admin, f.inv.UserID, UserChange{Disabled: &off}); err != nil {
			t.Fatal(err)
		}
		_, err := f.login("invest1", password, "10.0.0.2")
		wantError(t, err, geo.KindUnauthorized, "bad_credentials")
		if len(f.store.sessions) != 0 || len(f.store.failures) != 1 {
			t.Fatalf("%d sessions, %d failures", len(f.store.sessions), len(f.store.failures))
		}
	})
	t.Run("throttled per account", func(t *testing.T) {
		f := newFixture(t)
		for i := range 5 {
			if _, err := f.login("admin1", "wrong-password-1", "10.0.1."+geo.ID(i).String()); geo.KindOf(err) != geo.KindUnauthorized {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// The right password, from yet another address.
		_, err := f.login("admin1", password, "10.0.2.1")
		wantError(t, err, geo.KindTooMany, "throttled")
		if retryAfter(err) != 15*time.Minute {
			t.Fatalf("retry after %v", retryAfter(err))
		}
		if _, err := f.login("invest1", password, "10.0.2.1"); err != nil {
			t.Fatalf("another account: %v", err)
		}
		f.clock.t = f.clock.t.Add(15*time.Minute + time.Second)
		if _, err := f.login("admin1", password, "10.0.2.1"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
	t.Run("throttled per address", func(t *testing.T) {
		f := newFixture(t)
		for i := range 20 {
			if _, err := f.login("guess"+geo.ID(i).String(), "wrong-password-1", "10.0.0.66"); geo.KindOf(err) != geo.KindUnauthorized {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		_, err := f.login("admin1", password, "10.0.0.66")
		wantError(t, err, geo.KindTooMany, "throttled")
		if _, err := f.login("admin1", password, "10.0.0.67"); err != nil {
			t.Fatalf("another address: %v", err)
		}
	})
	t.Run("a right password does not count", func(t *testing.T) {
		f := newFixture(t)
		for range 10 {
			if _, err := f.login("admin1", password, "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
		if len(f.store.failures) != 0 {
			t.Fatalf("failures %+v", f.store.failures)
		}
	})
	t.Run("busy: no slot for the hash", func(t *testing.T) {
		f := newFixture(t)
		f.svc.set.HashWait = 10 * time.Millisecond
		for range cap(f.svc.slots) {
			f.svc.slots <- struct{}{}
		}
		for _, user := range []string{"admin1", "nobody"} {
			_, err := f.login(user, password, "10.0.0.1")
			wantError(t, err, geo.KindUnavailable, "busy")
			if retryAfter(err) <= 0 {
				t.Fatalf("%s: no Retry-After", user)
			}
		}
		if len(f.store.failures) != 0 {
			t.Fatalf("a busy answer counts as a failure: %+v", f.store.failures)
		}
		<-f.svc.slots
		if _, err := f.login("admin1", password, "10.0.0.1"); err != nil {
			t.Fatalf("a free slot: %v", err)
		}
	})
	t.Run("session fixation: the previous session ends", func(t *testing.T) {
		f := newFixture(t)
		old, err := f.login("admin1", password, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.svc.Login(t.Context(), Login{Username: "admin1", Password: password, Address: "10.0.0.1", Previous: old.Token})
		if err != nil {
			t.Fatal(err)
		}
		if s.Token == old.Token || s.CSRF == old.CSRF {
			t.Fatal("the session token was kept")
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), old.Token, "10.0.0.1")
		wantError(t, err, geo.KindUnauthorized, "session_expired")
		if _, _, err := f.svc.AuthenticateSession(t.Context(), s.Token, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		// A planted token that was never a session is not promoted.
		planted := "attacker-chosen-value"
		s, err = f.svc.Login(t.Context(), Login{Username: "admin1", Password: password, Address: "10.0.0.1", Previous: planted})
		if err != nil || s.Token == planted {
			t.Fatalf("planted token: %v", err)
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), planted, "10.0.0.1")
		wantError(t, err, geo.KindUnauthorized, "session_expired")
	})
	t.Run("logout ends the session", func(t *testing.T) {
		f := newFixture(t)
		s, err := f.login("admin1", password, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Logout(t.Context(), s.Token); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), s.Token, "10.0.0.1")
		wantError(t, err, geo.KindUnauthorized, "session_expired")
	})
}

func TestUsers(t *testing.T) {
	t.Run("self-disable is refused", func(t *testing.T) {
		f := newFixture(t)
		off := true
		_, err := f.svc.UpdateUser(t.Context(), f.admin, f.admin.UserID, UserChange{Disabled: &off})
		wantError(t, err, geo.KindInvalid, "self_disable")
		if f.store.users[f.admin.UserID].Disabled {
			t.Fatal("the admin disabled themselves")
		}
		u, err := f.svc.UpdateUser(t.Context(), f.admin, f.inv.UserID, UserChange{Disabled: &off})
		if err != nil || !u.Disabled {
			t.Fatalf("disable another: %v %+v", err, u)
		}
	})
	t.Run("leaving the district role leaves the district", func(t *testing.T) {
		f := newFixture(t)
		d, err := f.svc.CreateUser(t.Context(), f.admin, NewUser{Username: "yuanhui", DisplayName: "源汇区", Password: password,
			Roles: []string{"district"}, DistrictID: 3})
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.svc.UpdateUser(t.Context(), f.admin, d.ID, UserChange{Roles: []string{"viewer"}})
		if err != nil || u.DistrictID != 0 {
			t.Fatalf("%v %+v", err, u)
		}
		_, err = f.svc.UpdateUser(t.Context(), f.admin, d.ID, UserChange{Roles: []string{"district"}})
		wantError(t, err, geo.KindInvalid, "bad_district")
	})
	t.Run("a new account's checks", func(t *testing.T) {
		f := newFixture(t)
		for _, c := range []struct {
			name string
			nu   NewUser
			code string
		}{
			{"weak password", NewUser{Username: "weak", DisplayName: "弱", Password: "short1", Roles: []string{"viewer"}}, "weak_password"},
			{"unknown role", NewUser{Username: "x1", DisplayName: "x", Password: password, Roles: []string{"boss"}}, "bad_roles"},
			{"district user without a district", NewUser{Username: "county", DisplayName: "县区", Password: password, Roles: []string{"district"}}, "bad_district"},
			{"bad user name", NewUser{Username: "Admin", DisplayName: "x", Password: password, Roles: []string{"viewer"}}, "bad_username"},
		} {
			_, err := f.svc.CreateUser(t.Context(), f.admin, c.nu)
			if code(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		_, err := f.svc.CreateUser(t.Context(), f.admin, NewUser{Username: "admin1", DisplayName: "重名", Password: password, Roles: []string{"viewer"}})
		wantError(t, err, geo.KindConflict, "duplicate")
	})
	t.Run("changing one's own password needs the current one", func(t *testing.T) {
		f := newFixture(t)
		err := f.svc.ChangeOwnPassword(t.Context(), f.inv, "wrong-password-1", "luohe2026newpass")
		wantError(t, err, geo.KindInvalid, "bad_credentials")
		err = f.svc.ChangeOwnPassword(t.Context(), f.inv, password, "weak")
		wantError(t, err, geo.KindInvalid, "weak_password")
		if err := f.svc.ChangeOwnPassword(t.Context(), f.inv, password, "luohe2026newpass"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.login("invest1", "luohe2026newpass", "10.0.0.2"); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}

func TestUserCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		u    User
		code string
	}{
		{"a district user in a district", User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict}, DistrictID: 1}, ""},
		{"a district user without a district", User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict}}, "bad_district"},
		{"a district for someone else", User{Username: "viewer", DisplayName: "浏览", Roles: []geo.Role{geo.RoleViewer}, DistrictID: 1}, "bad_district"},
		{"a district user who is also a viewer", User{Username: "both", DisplayName: "两者", Roles: []geo.Role{geo.RoleDistrict, geo.RoleViewer}, DistrictID: 2}, ""},
		{"no roles", User{Username: "none", DisplayName: "无"}, "bad_roles"},
		{"a user name with a capital", User{Username: "Admin", DisplayName: "x", Roles: []geo.Role{geo.RoleAdmin}}, "bad_username"},
		{"a user name starting with a dot", User{Username: ".admin", DisplayName: "x", Roles: []geo.Role{geo.RoleAdmin}}, "bad_username"},
		{"a long display name", User{Username: "admin", DisplayName: strings.Repeat("长", 65), Roles: []geo.Role{geo.RoleAdmin}}, "bad_display_name"},
		{"the last district id", User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict}, DistrictID: 32767}, ""},
		{"a district id beyond smallint", User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict}, DistrictID: 32768}, "unknown_district"},
		{"a huge district id", User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict}, DistrictID: 1 << 40}, "unknown_district"},
		{"a negative district id", User{Username: "viewer", DisplayName: "浏览", Roles: []geo.Role{geo.RoleViewer}, DistrictID: -1}, "unknown_district"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := code(c.u.Check()); got != c.code {
				t.Fatalf("code %q, want %q", got, c.code)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	t.Run("a token cannot grant a role its maker does not hold", func(t *testing.T) {
		f := newFixture(t)
		_, _, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "GIS 同步", Roles: []string{"admin"}})
		wantError(t, err, geo.KindForbidden, "forbidden")
		_, tok, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "GIS 同步", Roles: []string{"investment"}})
		if err != nil || !slices.Equal(tok.Roles, []string{"investment"}) || tok.UserID != f.inv.UserID {
			t.Fatalf("%v %+v", err, tok)
		}
		_, tok, err = f.svc.CreateToken(t.Context(), f.admin, NewToken{Name: "全部"})
		if err != nil || !slices.Equal(tok.Roles, []string{"admin"}) {
			t.Fatalf("all roles: %v %+v", err, tok)
		}
	})
	t.Run("expiry bounds", func(t *testing.T) {
		f := newFixture(t)
		for _, days := range []int{-1, 3651} {
			_, _, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "x", ExpiresInDays: days})
			wantError(t, err, geo.KindInvalid, "bad_expiry")
		}
		_, never, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "x"})
		if err != nil || never.ExpiresAt != nil {
			t.Fatalf("no expiry: %v %+v", err, never)
		}
		_, month, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "x", ExpiresInDays: 30})
		if err != nil || month.ExpiresAt == nil || !month.ExpiresAt.Equal(f.clock.t.AddDate(0, 0, 30)) {
			t.Fatalf("30 days: %v %+v", err, month)
		}
		_, _, err = f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "  "})
		wantError(t, err, geo.KindInvalid, "bad_name")
	})
	t.Run("a token authenticates until it expires or is revoked", func(t *testing.T) {
		f := newFixture(t)
		token, tok, err := f.svc.CreateToken(t.Context(), f.inv, NewToken{Name: "x", ExpiresInDays: 1})
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.AuthenticateToken(t.Context(), token, "10.0.0.5")
		if err != nil || p.Kind != geo.APIToken || p.UserID != f.inv.UserID || p.Address != "10.0.0.5" {
			t.Fatalf("%v %+v", err, p)
		}
		_, err = f.svc.AuthenticateToken(t.Context(), strings.TrimPrefix(token, "om_"), "10.0.0.5")
		wantError(t, err, geo.KindUnauthorized, "bad_token")
		_, err = f.svc.AuthenticateToken(t.Context(), "om_forged", "10.0.0.5")
		wantError(t, err, geo.KindUnauthorized, "bad_token")
		f.clock.t = f.clock.t.Add(25 * time.Hour)
		_, err = f.svc.AuthenticateToken(t.Context(), token, "10.0.0.5")
		wantError(t, err, geo.KindUnauthorized, "bad_token")
		err = f.svc.RevokeToken(t.Context(), f.admin, tok.ID+100)
		wantError(t, err, geo.KindNotFound, "not_found")
	})
}

func TestCreateShare(t *testing.T) {
	f := newFixture(t)
	ok := NewShare{Title: "双汇集团考察地块", ParcelIDs: []geo.ID{1}, ParkIDs: []geo.ID{1}, Fields: []string{"code", "area_mu"}, ExpiresInDays: 7}
	many := make([]geo.ID, 201)
	for _, c := range []struct {
		name   string
		change func(*NewShare)
		code   string
	}{
		{"no title", func(s *NewShare) { s.Title = " " }, "bad_title"},
		{"no features", func(s *NewShare) { s.ParcelIDs, s.ParkIDs = nil, nil }, "no_features"},
		{"too many features", func(s *NewShare) { s.ParcelIDs = many }, "too_many_features"},
		{"no expiry", func(s *NewShare) { s.ExpiresInDays = 0 }, "bad_expiry"},
		{"too late an expiry", func(s *NewShare) { s.ExpiresInDays = 181 }, "bad_expiry"},
		{"no fields", func(s *NewShare) { s.Fields = nil }, "no_fields"},
		{"an unshareable field", func(s *NewShare) { s.Fields = []string{"code", "leader"} }, "bad_field"},
		{"a short password", func(s *NewShare) { s.Password = "12345" }, "bad_password"},
		{"a long password", func(s *NewShare) { s.Password = strings.Repeat("x", 129) }, "bad_password"},
		{"a park id beyond integer", func(s *NewShare) { s.ParkIDs = []geo.ID{1<<63 - 1} }, "unknown_feature"},
		{"a parcel id beyond integer", func(s *NewShare) { s.ParcelIDs = []geo.ID{geo.MaxID + 1} }, "unknown_feature"},
		{"a zero id", func(s *NewShare) { s.ParkIDs = []geo.ID{0} }, "unknown_feature"},
		{"a negative id", func(s *NewShare) { s.ParcelIDs = []geo.ID{1, -1} }, "unknown_feature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ns := ok
			c.change(&ns)
			_, _, err := f.svc.CreateShare(t.Context(), f.inv, ns)
			wantError(t, err, geo.KindInvalid, c.code)
		})
	}
	if len(f.store.shares) != 0 {
		t.Fatal("a refused share link was stored")
	}
	token, sh, err := f.svc.CreateShare(t.Context(), f.inv, ok)
	if err != nil || !strings.HasPrefix(token, "sh_") || sh.HasPassword || !sh.ExpiresAt.Equal(f.clock.t.AddDate(0, 0, 7)) {
		t.Fatalf("%v %q %+v", err, token, sh)
	}
	got, err := f.svc.OpenShare(t.Context(), token, "")
	if err != nil || got.ID != sh.ID {
		t.Fatalf("open: %v %+v", err, got)
	}
	p := got.Principal("10.9.9.9")
	if p.Kind != geo.ShareLink || p.Share.LinkID != sh.ID || !slices.Equal(p.Share.ParcelIDs, []geo.ID{1}) || p.Address != "10.9.9.9" {
		t.Fatalf("principal %+v", p)
	}
	if unlock, _, err := f.svc.UnlockShare(t.Context(), token, "anything", "10.9.9.9"); err != nil || unlock != "" {
		t.Fatalf("unlocking a link without a password: %q %v", unlock, err)
	}
}

func TestUnofferedPrices(t *testing.T) {
	f := newFixture(t)
	// Parcel 1 is on offer (ready), parcel 2 is not (planned).
	ns := NewShare{Title: "中粮考察", ParcelIDs: []geo.ID{1, 2}, ParkIDs: []geo.ID{1}, Fields: []string{"code", "price"}, ExpiresInDays: 3}
	_, _, err := f.svc.CreateShare(t.Context(), f.inv, ns)
	wantError(t, err, geo.KindInvalid, "unoffered_price")
	var e *geo.Error
	if !errors.As(err, &e) || !strings.HasSuffix(e.MessageEN, ": 2") || !strings.HasSuffix(e.Message, "：2") {
		t.Fatalf("the parcels are not named: %q %q", e.Message, e.MessageEN)
	}
	if len(f.store.shares) != 0 {
		t.Fatal("a refused share link was stored")
	}
	ns.ConfirmUnofferedPrices = true
	_, sh, err := f.svc.CreateShare(t.Context(), f.inv, ns)
	if err != nil || !sh.ConfirmUnofferedPrices {
		t.Fatalf("confirmed: %v %+v", err, sh)
	}
	for _, c := range []struct {
		name string
		ns   NewShare
	}{
		{"offered prices", NewShare{Title: "双汇", ParcelIDs: []geo.ID{1}, Fields: []string{"price"}, ExpiresInDays: 3, ConfirmUnofferedPrices: true}},
		{"no prices", NewShare{Title: "双汇", ParcelIDs: []geo.ID{1, 2}, Fields: []string{"code"}, ExpiresInDays: 3}},
	} {
		_, sh, err := f.svc.CreateShare(t.Context(), f.inv, c.ns)
		if err != nil || sh.ConfirmUnofferedPrices {
			t.Fatalf("%s: %v %+v", c.name, err, sh)
		}
	}
}

func TestSharePassword(t *testing.T) {
	f := newFixture(t)
	token, sh, err := f.svc.CreateShare(t.Context(), f.inv, NewShare{Title: "中粮考察", ParcelIDs: []geo.ID{2},
		Fields: []string{"code", "price"}, ExpiresInDays: 3, Password: "zl2026", ConfirmUnofferedPrices: true})
	if err != nil || !sh.HasPassword {
		t.Fatalf("%v %+v", err, sh)
	}
	other, _, err := f.svc.CreateShare(t.Context(), f.inv, NewShare{Title: "其他", ParcelIDs: []geo.ID{1},
		Fields: []string{"code"}, ExpiresInDays: 3, Password: "other2026"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("locked without an unlock", func(t *testing.T) {
		for _, unlock := range []string{"", "made-up"} {
			got, err := f.svc.OpenShare(t.Context(), token, unlock)
			wantError(t, err, geo.KindUnauthorized, "share_locked")
			if got.Title != "中粮考察" {
				t.Fatalf("title %q", got.Title)
			}
		}
	})
	t.Run("unknown links", func(t *testing.T) {
		for _, tok := range []string{"sh_nothing", "om_" + token[3:], token + strings.Repeat("x", 100)} {
			_, err := f.svc.OpenShare(t.Context(), tok, "")
			wantError(t, err, geo.KindNotFound, "share_unavailable")
			_, _, err = f.svc.UnlockShare(t.Context(), tok, "zl2026", "10.0.0.9")
			wantError(t, err, geo.KindNotFound, "share_unavailable")
		}
	})
	t.Run("a wrong password", func(t *testing.T) {
		n := len(f.store.failures)
		_, _, err := f.svc.UnlockShare(t.Context(), token, "wrong!", "10.0.0.9")
		wantError(t, err, geo.KindUnauthorized, "bad_credentials")
		if len(f.store.failures) != n+1 || f.store.failures[n].key != "share:"+sh.ID.String() {
			t.Fatalf("failures %+v", f.store.failures)
		}
	})
	t.Run("unlocked", func(t *testing.T) {
		unlock, expires, err := f.svc.UnlockShare(t.Context(), token, "zl2026", "10.0.0.9")
		if err != nil || unlock == "" || !expires.Equal(f.clock.t.Add(12*time.Hour)) {
			t.Fatalf("%v %q %v", err, unlock, expires)
		}
		if _, err := f.svc.OpenShare(t.Context(), token, unlock); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.OpenShare(t.Context(), other, unlock)
		wantError(t, err, geo.KindUnauthorized, "share_locked")
	})
	t.Run("an unlock ends with the link", func(t *testing.T) {
		f.clock.t = sh.ExpiresAt.Add(-time.Hour)
		_, expires, err := f.svc.UnlockShare(t.Context(), token, "zl2026", "10.0.0.9")
		if err != nil || !expires.Equal(sh.ExpiresAt) {
			t.Fatalf("%v %v, want %v", err, expires, sh.ExpiresAt)
		}
	})
}

func TestUnlockThrottled(t *testing.T) {
	f := newFixture(t)
	token, _, err := f.svc.CreateShare(t.Context(), f.inv, NewShare{Title: "中粮考察", ParcelIDs: []geo.ID{2},
		Fields: []string{"code"}, ExpiresInDays: 3, Password: "zl2026"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		// From many addresses: the link's own count refuses.
		if _, _, err := f.svc.UnlockShare(t.Context(), token, "wrong!", "10.0.3."+geo.ID(i).String()); geo.KindOf(err) != geo.KindUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, _, err = f.svc.UnlockShare(t.Context(), token, "zl2026", "10.0.4.1")
	wantError(t, err, geo.KindTooMany, "throttled")
	if retryAfter(err) != 15*time.Minute {
		t.Fatalf("retry after %v", retryAfter(err))
	}
	f.clock.t = f.clock.t.Add(16 * time.Minute)
	if unlock, _, err := f.svc.UnlockShare(t.Context(), token, "zl2026", "10.0.4.1"); err != nil || unlock == "" {
		t.Fatalf("after the window: %v", err)
	}
}

// TestUnlocksApartFromLogins checks that wrong share-link passwords and
// wrong logins from one address count apart: neither locks out the other.
func TestUnlocksApartFromLogins(t *testing.T) {
	f := newFixture(t)
	var tokens []string
	for range 2 {
		token, _, err := f.svc.CreateShare(t.Context(), f.inv, NewShare{Title: "中粮考察", ParcelIDs: []geo.ID{1},
			Fields: []string{"code"}, ExpiresInDays: 3, Password: "zl2026"})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	const firm, office = "10.0.5.1", "10.0.5.2"
	for i := range 20 {
		if _, _, err := f.svc.UnlockShare(t.Context(), tokens[i%2], "wrong!", firm); geo.KindOf(err) != geo.KindUnauthorized {
			t.Fatalf("unlock %d: %v", i, err)
		}
		if _, err := f.login("guess"+geo.ID(i).String(), "wrong-password-1", office); geo.KindOf(err) != geo.KindUnauthorized {
			t.Fatalf("login %d: %v", i, err)
		}
	}
	_, _, err := f.svc.UnlockShare(t.Context(), tokens[0], "zl2026", firm)
	wantError(t, err, geo.KindTooMany, "throttled")
	_, err = f.login("guess0", "wrong-password-1", office)
	wantError(t, err, geo.KindTooMany, "throttled")
	if _, err := f.login("admin1", password, firm); err != nil {
		t.Fatalf("login behind the firm's address: %v", err)
	}
	if unlock, _, err := f.svc.UnlockShare(t.Context(), tokens[0], "zl2026", office); err != nil || unlock == "" {
		t.Fatalf("unlock behind the office's address: %v", err)
	}
}

func TestRecordShareOpen(t *testing.T) {
	f := newFixture(t)
	ua := strings.Repeat("a", 299) + "漯河"
	if err := f.svc.RecordShareOpen(t.Context(), 1, "10.0.0.1", ua); err != nil {
		t.Fatal(err)
	}
	got := f.store.opens[1][0].UserAgent
	if len(got) > 300 || !utf8.ValidString(got) || !strings.HasPrefix(got, strings.Repeat("a", 299)) {
		t.Fatalf("user agent %q", got)
	}
	// PostgreSQL takes no NUL in text: a header that holds one (net/http
	// refuses it, a test client or another front end may not) is cleaned.
	if err := f.svc.RecordShareOpen(t.Context(), 1, "10.0.0.1", "Mozilla\x00/5.0\xff\x1b"); err != nil {
		t.Fatal(err)
	}
	if got := f.store.opens[1][1].UserAgent; got != "Mozilla/5.0" {
		t.Fatalf("user agent %q", got)
	}
}
