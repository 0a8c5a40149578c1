package postgis_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/postgis"
)

// accessDB returns the server's connection (as onemap_app, under row
// security) to a fresh database holding a district, a park and a parcel.
func accessDB(t *testing.T) *postgis.DB {
	t.Helper()
	db := loadSrv.DB(t)
	if _, err := loadConn(t, db).Exec(t.Context(), `
		INSERT INTO districts (id, code, name, kind, geom) VALUES
		  (1, '411102', '源汇区', 'county', ST_Multi(ST_MakeEnvelope(113.9, 33.5, 114.05, 33.65, 4490)));
		INSERT INTO landuse_systems VALUES ('gtkj2023', '国土空间调查、规划、用途管制用地用海分类');
		INSERT INTO landuse_classes VALUES ('gtkj2023', '100101', '一类工业用地', '1001', true);
		INSERT INTO parks (id, name, level, district_id, leading_industries, geom) VALUES
		  (7, '漯河经济技术开发区食品产业园', 'national', 1, '{食品加工}', ST_Multi(ST_MakeEnvelope(113.99, 33.57, 114.01, 33.59, 4490)));
		INSERT INTO parcels (id, code, park_id, district_id, supply_status, landuse_system, landuse_code, geom) VALUES
		  (5, 'JK-2026-05', 7, 1, 'ready', 'gtkj2023', '100101', ST_Multi(ST_MakeEnvelope(113.995, 33.575, 113.998, 33.578, 4490)));`); err != nil {
		t.Fatal(err)
	}
	app, err := postgis.Open(t.Context(), db.URL(), postgis.Options{MaxConns: 4, Role: postgis.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return app
}

var tester = geo.Principal{Kind: geo.UserSession, Username: "test", Roles: []geo.Role{geo.RoleAdmin}, Address: "10.0.0.1"}

// wantKind fails unless err is a domain error of kind k and code whose
// messages hold no database text.
func wantKind(t *testing.T, err error, k geo.Kind, code string) {
	t.Helper()
	var de *geo.Error
	if !errors.As(err, &de) || de.Kind != k || de.Code != code {
		t.Fatalf("error %v, want kind %d, code %q", err, k, code)
	}
	for _, m := range []string{de.Message, de.MessageEN} {
		if strings.Contains(m, "SQLSTATE") || strings.Contains(m, "violates") || strings.Contains(m, "users_") {
			t.Fatalf("database text in %q", m)
		}
	}
}

func TestUserStore(t *testing.T) {
	t.Parallel()
	db := accessDB(t)
	ctx := t.Context()
	u, err := db.CreateUser(ctx, tester, access.User{Username: "yuanhui", DisplayName: "源汇区", Roles: []geo.Role{geo.RoleDistrict},
		DistrictID: 1, DefaultPassword: true}, "hash")
	if err != nil || u.ID == 0 || u.DistrictID != 1 || !u.DefaultPassword {
		t.Fatalf("create: %v %+v", err, u)
	}
	got, hash, err := db.UserByName(ctx, "yuanhui")
	if err != nil || got.ID != u.ID || hash != "hash" || !slices.Equal(got.Roles, u.Roles) {
		t.Fatalf("by name: %v %+v %q", err, got, hash)
	}
	_, err = db.CreateUser(ctx, tester, access.User{Username: "yuanhui", DisplayName: "重名", Roles: []geo.Role{geo.RoleViewer}}, "hash")
	wantKind(t, err, geo.KindConflict, "duplicate")
	_, err = db.CreateUser(ctx, tester, access.User{Username: "county", DisplayName: "县区", Roles: []geo.Role{geo.RoleDistrict},
		DistrictID: 99}, "hash")
	wantKind(t, err, geo.KindInvalid, "unknown_district")
	_, err = db.UpdateUser(ctx, tester, access.User{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Roles: u.Roles, DistrictID: 99})
	wantKind(t, err, geo.KindInvalid, "unknown_district")
	_, err = db.User(ctx, u.ID+1000)
	wantKind(t, err, geo.KindNotFound, "not_found")
	_, _, err = db.UserByName(ctx, "nobody")
	wantKind(t, err, geo.KindNotFound, "not_found")
	_, err = db.UpdateUser(ctx, tester, access.User{ID: u.ID + 1000, Username: "x", DisplayName: "x", Roles: []geo.Role{geo.RoleViewer}})
	wantKind(t, err, geo.KindNotFound, "not_found")
	wantKind(t, db.SetPassword(ctx, tester, u.ID+1000, "hash", false), geo.KindNotFound, "not_found")
	_, err = db.DistrictID(ctx, "000000")
	wantKind(t, err, geo.KindNotFound, "not_found")
	if names, err := db.DefaultPasswordUsers(ctx); err != nil || !slices.Equal(names, []string{"yuanhui"}) {
		t.Fatalf("default passwords: %v %v", err, names)
	}

	t.Run("disabling ends sessions and tokens", func(t *testing.T) {
		session, token := []byte("session-hash"), []byte("token-hash")
		if err := db.CreateSession(ctx, u.ID, session, "csrf", "10.0.0.1", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(ctx, u.Principal("10.0.0.1"), access.Token{UserID: u.ID, Name: "同步", Roles: []string{"district"}}, token); err != nil {
			t.Fatal(err)
		}
		if su, csrf, err := db.SessionUser(ctx, session, time.Hour); err != nil || su.ID != u.ID || csrf != "csrf" {
			t.Fatalf("session: %v %+v", err, su)
		}
		if tu, err := db.TokenUser(ctx, token); err != nil || !slices.Equal(tu.Roles, []geo.Role{geo.RoleDistrict}) {
			t.Fatalf("token: %v %+v", err, tu)
		}
		u.Disabled = true
		if _, err := db.UpdateUser(ctx, tester, u); err != nil {
			t.Fatal(err)
		}
		_, _, err := db.SessionUser(ctx, session, time.Hour)
		wantKind(t, err, geo.KindNotFound, "not_found")
		_, err = db.TokenUser(ctx, token)
		wantKind(t, err, geo.KindNotFound, "not_found")
	})
}

func TestShareStore(t *testing.T) {
	t.Parallel()
	db := accessDB(t)
	ctx := t.Context()
	by, err := db.CreateUser(ctx, tester, access.User{Username: "invest", DisplayName: "招商", Roles: []geo.Role{geo.RoleInvestment}}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	p := by.Principal("10.0.0.2")
	expires := time.Now().Add(24 * time.Hour).Truncate(time.Microsecond)
	sh := access.Share{Title: "考察", ParcelIDs: []geo.ID{5}, ParkIDs: []geo.ID{7}, Fields: []string{"code"}, ExpiresAt: expires,
		ConfirmUnofferedPrices: true}
	for _, bad := range [][2][]geo.ID{{{6}, nil}, {nil, {8}}, {{geo.MaxID + 1}, nil}, {nil, {geo.MaxID + 1}}} {
		s := sh
		s.ParcelIDs, s.ParkIDs = bad[0], bad[1]
		_, err := db.CreateShare(ctx, p, s, []byte("bad"), "")
		wantKind(t, err, geo.KindInvalid, "unknown_feature")
	}
	created, err := db.CreateShare(ctx, p, sh, []byte("share-hash"), "pw-hash")
	if err != nil || created.ID == 0 || created.CreatedBy != "invest" || !created.HasPassword {
		t.Fatalf("create: %v %+v", err, created)
	}
	got, pw, err := db.ShareByToken(ctx, []byte("share-hash"))
	if err != nil || pw != "pw-hash" || got.ID != created.ID || !slices.Equal(got.ParcelIDs, []geo.ID{5}) ||
		!slices.Equal(got.ParkIDs, []geo.ID{7}) || !got.ExpiresAt.Equal(expires) || !got.ConfirmUnofferedPrices {
		t.Fatalf("by token: %v %q %+v", err, pw, got)
	}
	features, err := db.Shared(ctx, *got.Scope())
	if err != nil || len(features) != 2 || features[0].Layer != "parcels" || features[0].ID != 5 || features[1].Layer != "parks" || features[1].ID != 7 {
		t.Fatalf("features: %v %+v", err, features)
	}
	if err := db.RecordShareOpen(ctx, got.ID, "10.0.0.3", "Mozilla/5.0"); err != nil {
		t.Fatal(err)
	}
	if opens, err := db.ShareOpens(ctx, got.ID); err != nil || len(opens) != 1 || opens[0].UserAgent != "Mozilla/5.0" {
		t.Fatalf("opens: %v %+v", err, opens)
	}
	if err := db.UnlockShare(ctx, got.ID, []byte("unlock-hash"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link geo.ID
		hash string
		want bool
	}{{got.ID, "unlock-hash", true}, {got.ID, "other", false}, {got.ID + 1, "unlock-hash", false}} {
		if ok, err := db.ShareUnlocked(ctx, c.link, []byte(c.hash)); err != nil || ok != c.want {
			t.Fatalf("unlocked %d %s: %v %v", c.link, c.hash, ok, err)
		}
	}
	if err := db.RevokeShare(ctx, p, got.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.ShareByToken(ctx, []byte("share-hash"))
	wantKind(t, err, geo.KindNotFound, "not_found")
	wantKind(t, db.RevokeShare(ctx, p, got.ID+1000), geo.KindNotFound, "not_found")
	if list, err := db.Shares(ctx); err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].Opens != 1 {
		t.Fatalf("list: %v %+v", err, list)
	}
}

// TestAttempts checks that concurrent attempts at a password cannot pass
// the limits together, that kinds count apart, and that a forgotten
// attempt no longer counts.
func TestAttempts(t *testing.T) {
	t.Parallel()
	db := accessDB(t)
	ctx := t.Context()
	since := time.Now().Add(-15 * time.Minute)
	attempt := func(kind, key, addr string) bool {
		_, ok, err := db.Attempt(ctx, access.Attempt{Kind: kind, Key: key, Address: addr, Since: since, PerKey: 5, PerAddress: 20})
		if err != nil {
			t.Error(err)
		}
		return ok
	}
	count := func(n int, key func(i int) string, addr string) int {
		var passed atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				if attempt(access.LoginAttempt, key(i), addr) {
					passed.Add(1)
				}
			})
		}
		wg.Wait()
		return int(passed.Load())
	}
	if n := count(40, func(int) string { return "admin" }, "10.0.0.1"); n != 5 {
		t.Fatalf("40 concurrent attempts at one account: %d passed, want 5", n)
	}
	if n := count(40, func(i int) string { return fmt.Sprint("user", i) }, "10.0.0.2"); n != 20 {
		t.Fatalf("40 concurrent attempts from one address: %d passed, want 20", n)
	}
	if !attempt(access.UnlockAttempt, "admin", "10.0.0.2") {
		t.Fatal("a share unlock counted with logins")
	}
	one := access.Attempt{Kind: access.LoginAttempt, Key: "viewer", Address: "10.0.0.3", Since: since, PerKey: 1, PerAddress: 1}
	id, ok, err := db.Attempt(ctx, one)
	if err != nil || !ok {
		t.Fatalf("first attempt: %v %v", ok, err)
	}
	if _, ok, err := db.Attempt(ctx, one); err != nil || ok {
		t.Fatalf("a second attempt passed a limit of one: %v %v", ok, err)
	}
	if err := db.ForgetAttempt(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.Attempt(ctx, one); err != nil || !ok {
		t.Fatalf("a forgotten attempt still counts: %v %v", ok, err)
	}
	if st, err := db.ParcelSupply(ctx, []geo.ID{5, 6}); err != nil || len(st) != 1 || st[5] != "ready" {
		t.Fatalf("supply: %v %v", err, st)
	}
}
