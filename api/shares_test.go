package api_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

func TestShareLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inv := f.users[geo.RoleInvestment]
	var created struct {
		Share struct{ ID int }
		URL   string `json:"url"`
		QR    []byte `json:"qr_png"`
	}
	res := inv.do(t, "POST", "/api/shares", map[string]any{
		"title": "双汇集团考察地块", "parcel_ids": []int{1}, "park_ids": []int{1}, "fields": []string{"code", "area_mu", "name"}, "expires_in_days": 7,
	})
	decodeJSON(t, res, &created)
	if res.StatusCode != 201 || !strings.HasPrefix(created.URL, f.ts.URL+"/s/sh_") || len(created.QR) < 100 || string(created.QR[1:4]) != "PNG" {
		t.Fatalf("create: %d %+v", res.StatusCode, created.URL)
	}
	path := strings.TrimPrefix(created.URL, f.ts.URL)
	firm := f.newClient(t) // a firm: no account

	var info struct {
		Title    string
		Features []map[string]any
	}
	decodeJSON(t, firm.do(t, "GET", path+"/info", nil), &info)
	if info.Title != "双汇集团考察地块" || len(info.Features) != 2 {
		t.Fatalf("info %+v", info)
	}
	for _, ft := range info.Features {
		for k := range ft {
			if !slices.Contains([]string{"layer", "id", "lon", "lat", "code", "area_mu", "name"}, k) {
				t.Fatalf("share shows field %s", k)
			}
		}
		if ft["layer"] == "parcels" && ft["id"] != float64(1) {
			t.Fatalf("share shows parcel %v", ft["id"])
		}
	}
	t.Run("tiles hold only the shared features and fields", func(t *testing.T) {
		res := firm.do(t, "GET", path+"/tiles/parcels,parks/14/13380/6567.mvt", nil, "Accept-Encoding", "gzip")
		if res.StatusCode != 200 {
			t.Fatalf("tile %d", res.StatusCode)
		}
		// The shared parcel and park, each with the shared fields it has
		// and nothing else.
		want := map[string]string{"parcels": "1: area_mu code", "parks": "1: area_mu name"}
		got := map[string]string{}
		for _, l := range decodeTile(t, res) {
			for _, ft := range l.Features {
				keys := slices.Sorted(maps.Keys(ft.Properties))
				got[l.Name] += fmt.Sprintf("%v: %s", ft.ID, strings.Join(keys, " "))
			}
		}
		if !maps.Equal(got, want) {
			t.Fatalf("the share's tile holds %q, want %q", got, want)
		}
		if res := firm.do(t, "GET", path+"/tiles/projects"+tileZ10, nil); res.StatusCode != 404 {
			t.Fatalf("share reaches projects: %d", res.StatusCode)
		}
		if res := firm.do(t, "GET", "/tiles/parcels/14/13380/6567.mvt", nil); res.StatusCode != 401 {
			t.Fatalf("share visitor reaches the map: %d", res.StatusCode)
		}
	})
	t.Run("tiles take no filters", func(t *testing.T) {
		// A filter on a field the link does not show (supply_status)
		// would tell its value by which parcels come back.
		for _, q := range []string{"?supply_status=planned", "?supply_status=ready", "?code=JK-2026-01", "?&"} {
			res := firm.do(t, "GET", path+"/tiles/parcels/14/13380/6567.mvt"+q, nil)
			if res.StatusCode != 400 || errorCode(t, res) != "share_filter" {
				t.Fatalf("%s: %d", q, res.StatusCode)
			}
		}
	})
	t.Run("openings are logged", func(t *testing.T) {
		var opens struct{ Opens []struct{ Address string } }
		decodeJSON(t, inv.do(t, "GET", "/api/shares/"+itoa(created.Share.ID)+"/opens", nil), &opens)
		if len(opens.Opens) != 1 || opens.Opens[0].Address == "" {
			t.Fatalf("opens %+v", opens)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		if res := inv.do(t, "DELETE", "/api/shares/"+itoa(created.Share.ID), nil); res.StatusCode != 204 {
			t.Fatalf("revoke %d", res.StatusCode)
		}
		if res := firm.do(t, "GET", path+"/info", nil); res.StatusCode != 404 {
			t.Fatalf("revoked link: %d", res.StatusCode)
		}
		if res := firm.do(t, "GET", path+"/tiles/parcels/14/13380/6567.mvt", nil); res.StatusCode != 404 {
			t.Fatalf("revoked link tiles: %d", res.StatusCode)
		}
	})
	t.Run("password", func(t *testing.T) {
		var locked struct{ URL string }
		decodeJSON(t, inv.do(t, "POST", "/api/shares", map[string]any{
			"title": "中粮考察", "parcel_ids": []int{2}, "fields": []string{"code", "price"}, "expires_in_days": 3, "password": "zl2026",
			"confirm_unoffered_prices": true,
		}), &locked)
		p := strings.TrimPrefix(locked.URL, f.ts.URL)
		visitor := f.newClient(t)
		if res := visitor.do(t, "GET", p+"/info", nil); res.StatusCode != 401 || errorCode(t, res) != "share_locked" {
			t.Fatalf("locked link: %d", res.StatusCode)
		}
		if res := visitor.do(t, "POST", p+"/unlock", map[string]string{"password": "wrong!"}); res.StatusCode != 401 {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		if res := visitor.do(t, "POST", p+"/unlock", map[string]string{"password": "zl2026"}); res.StatusCode != http.StatusNoContent {
			t.Fatalf("unlock: %d", res.StatusCode)
		}
		var info struct{ Features []map[string]any }
		decodeJSON(t, visitor.do(t, "GET", p+"/info", nil), &info)
		if len(info.Features) != 1 || info.Features[0]["price"] != float64(22) {
			t.Fatalf("unlocked info %+v", info)
		}
	})
	t.Run("prices of parcels not on offer need a confirmation", func(t *testing.T) {
		// Parcel 1 is ready (on offer), parcel 2 planned (not).
		share := map[string]any{"title": "中粮考察", "parcel_ids": []int{1, 2}, "fields": []string{"code", "price"}, "expires_in_days": 3}
		res := inv.do(t, "POST", "/api/shares", share)
		var refused struct {
			Error struct {
				Code      string
				MessageEN string `json:"message_en"`
			}
		}
		decodeJSON(t, res, &refused)
		if res.StatusCode != 400 || refused.Error.Code != "unoffered_price" || !strings.HasSuffix(refused.Error.MessageEN, ": 2") {
			t.Fatalf("unconfirmed: %d %+v", res.StatusCode, refused.Error)
		}
		share["confirm_unoffered_prices"] = true
		var confirmed struct {
			Share struct {
				ID                     int
				ConfirmUnofferedPrices bool `json:"confirm_unoffered_prices"`
			}
		}
		res = inv.do(t, "POST", "/api/shares", share)
		decodeJSON(t, res, &confirmed)
		if res.StatusCode != 201 || !confirmed.Share.ConfirmUnofferedPrices {
			t.Fatalf("confirmed: %d %+v", res.StatusCode, confirmed)
		}
		var audit struct {
			Entries []struct{ After map[string]any }
		}
		decodeJSON(t, f.get(t, "/api/audit?table=share_links&limit=1"), &audit)
		if len(audit.Entries) != 1 || audit.Entries[0].After["id"] != float64(confirmed.Share.ID) ||
			audit.Entries[0].After["confirm_unoffered_prices"] != true {
			t.Fatalf("audit %+v", audit)
		}
		offered := map[string]any{"title": "双汇", "parcel_ids": []int{1}, "fields": []string{"code", "price"}, "expires_in_days": 3}
		if res := inv.do(t, "POST", "/api/shares", offered); res.StatusCode != 201 {
			t.Fatalf("the price of a parcel on offer: %d", res.StatusCode)
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		for _, body := range []map[string]any{
			{"title": "", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 7},
			{"title": "x", "parcel_ids": []int{999}, "fields": []string{"code"}, "expires_in_days": 7},
			{"title": "x", "parcel_ids": []int{1}, "fields": []string{"leader"}, "expires_in_days": 7},
			{"title": "x", "parcel_ids": []int{1}, "fields": []string{"code"}, "expires_in_days": 0},
			{"title": "x", "fields": []string{"code"}, "expires_in_days": 7},
		} {
			if res := inv.do(t, "POST", "/api/shares", body); res.StatusCode != 400 {
				t.Errorf("%v: %d", body, res.StatusCode)
			}
		}
	})
}
