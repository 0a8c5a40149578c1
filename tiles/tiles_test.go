package tiles

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// domains are the filter domains of a test: a map of each domain's
// values, or err.
type domains struct {
	values map[Domain][]string
	err    error
}

func (d *domains) DomainValues(_ context.Context, dom Domain) ([]string, error) {
	return d.values[dom], d.err
}

// testCatalogue returns the catalogue with two districts and three
// leaders (张丽华 stored with two titles) loaded as its filters' domains.
func testCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	cat := NewCatalogue(geo.NewRegistry(), &domains{values: map[Domain][]string{
		DistrictCodes: {"411102", "411121"},
		Leaders:       {"张副市长", "王副市长", "张丽华 副市长", "张丽华 常务副市长"},
	}})
	if err := cat.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestParseAddress(t *testing.T) {
	good := []struct{ z, x, y string }{{"0", "0", "0"}, {"14", "13476", "6600"}, {"1", "1", "1"}}
	for _, c := range good {
		if _, err := ParseAddress(c.z, c.x, c.y); err != nil {
			t.Errorf("%s/%s/%s: %v", c.z, c.x, c.y, err)
		}
	}
	bad := []struct{ name, z, x, y string }{
		{"zoom too deep", "15", "0", "0"},
		{"negative zoom", "-1", "0", "0"},
		{"x past the edge", "2", "4", "0"},
		{"y past the edge", "2", "0", "4"},
		{"not a number", "a", "0", "0"},
		{"plus sign", "1", "+1", "0"},
		{"huge", "3", "99999999999999999999", "0"},
		{"empty", "", "0", "0"},
		{"padded zoom", "007", "0", "0"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseAddress(c.z, c.x, c.y)
			if geo.KindOf(err) != geo.KindInvalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
		})
	}
}

func TestParseRequest(t *testing.T) {
	cat := testCatalogue(t)
	cases := []struct {
		name   string
		layers string
		z      string
		query  string
		kind   geo.Kind
		code   string
	}{
		{"one layer", "projects", "10", "", -1, ""},
		{"filters", "projects", "10", "stage=building,preparing&district=411102", -1, ""},
		{"repeated filter values", "projects", "10", "stage=building&stage=reserve", -1, ""},
		{"unknown layer", "projects,nope", "10", "", geo.KindNotFound, "unknown_layer"},
		{"duplicate layer", "projects,projects", "10", "", geo.KindInvalid, "duplicate_layer"},
		{"too many layers", strings.Repeat("projects,", 12) + "projects", "10", "", geo.KindInvalid, "too_many_layers"},
		{"empty list", "", "10", "", geo.KindInvalid, "bad_layer_list"},
		{"unknown filter", "projects", "10", "colour=red", geo.KindInvalid, "unknown_filter"},
		{"bad stage", "projects", "10", "stage=finished", geo.KindInvalid, "bad_filter_value"},
		{"empty value", "projects", "10", "stage=", geo.KindInvalid, "bad_filter_value"},
		{"value too long", "projects", "10", "leader=" + strings.Repeat("长", 30), geo.KindInvalid, "bad_filter_value"},
		{"a district that exists", "projects", "10", "district=411121,411102", -1, ""},
		{"a district that does not exist", "projects", "10", "district=411199", geo.KindInvalid, "bad_filter_value"},
		{"SQL for a district", "projects", "10", "district=1+OR+1%3D1", geo.KindInvalid, "bad_filter_value"},
		{"a district's name for its code", "projects", "10", "district=源汇区", geo.KindInvalid, "bad_filter_value"},
		{"a leader who exists", "projects", "10", "leader=王副市长", -1, ""},
		{"a leader who does not exist", "projects", "10", "leader=赵副市长", geo.KindInvalid, "bad_filter_value"},
		{"NUL for a leader", "projects", "10", "leader=%00", geo.KindInvalid, "bad_filter_value"},
		{"a leader's name cut short", "projects", "10", "leader=%E7%8E%8B", geo.KindInvalid, "bad_filter_value"},
		{"filter of another layer", "districts", "10", "stage=building", geo.KindInvalid, "unknown_filter"},
		{"zoom below range", "parcels", "5", "", geo.KindNotFound, "zoom_out_of_range"},
		{"some layers below range", "parcels,projects", "5", "", -1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			req, err := cat.ParseRequest(admin, c.layers, c.z, "3", "3", q)
			if c.kind == -1 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if len(req.Layers) == 0 {
					t.Fatal("no layers")
				}
				return
			}
			var e *geo.Error
			if err == nil || geo.KindOf(err) != c.kind || !asError(err, &e) || e.Code != c.code {
				t.Fatalf("got %v, want %s", err, c.code)
			}
			if e.Message == "" || e.MessageEN == "" {
				t.Fatal("error without a message")
			}
		})
	}
}

// TestLeaderFilterTakesNames: the leader filter takes a leader's name
// and selects every stored leader of that name, whatever the title
// (张丽华 found no project while 张丽华 副市长 found 37); the stored text
// with its title, or a part of a name, is no name.
func TestLeaderFilterTakesNames(t *testing.T) {
	cat := testCatalogue(t)
	req, err := cat.ParseRequest(admin, "projects", "10", "3", "3", url.Values{"leader": {"张丽华,王副市长"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"张丽华 副市长", "张丽华 常务副市长", "王副市长"}; !slices.Equal(req.Filters["leader"], want) {
		t.Fatalf("leader=张丽华,王副市长 selects %q, want %q", req.Filters["leader"], want)
	}
	for _, v := range []string{"张丽华 副市长", "张丽", "副市长"} {
		_, err := cat.ParseRequest(admin, "projects", "10", "3", "3", url.Values{"leader": {v}})
		var e *geo.Error
		if !asError(err, &e) || e.Code != "bad_filter_value" || !strings.Contains(e.Message, "筛选参数 leader 的值无效") {
			t.Errorf("leader=%s: %v, want 400 bad_filter_value in Chinese", v, err)
		}
	}
	got := cat.Choices(Leaders)
	want := []Choice{{"张丽华", []string{"张丽华 副市长", "张丽华 常务副市长"}}, {"张副市长", []string{"张副市长"}}, {"王副市长", []string{"王副市长"}}}
	if !slices.EqualFunc(got, want, func(a, b Choice) bool { return a.Key == b.Key && slices.Equal(a.Stored, b.Stored) }) {
		t.Fatalf("Choices(Leaders) = %q, want %q", got, want)
	}
}

// TestFilterDomains checks where the values of the district and leader
// filters come from: none before the domains are loaded, the loaded ones
// after, the new ones after a reload, and the held ones when a reload
// fails.
func TestFilterDomains(t *testing.T) {
	d := &domains{values: map[Domain][]string{DistrictCodes: {"411102"}, Leaders: {"张副市长"}}}
	cat := NewCatalogue(geo.NewRegistry(), d)
	parse := func(query string) error {
		q, err := url.ParseQuery(query)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cat.ParseRequest(admin, "projects", "10", "3", "3", q)
		return err
	}
	if err := parse("district=411102"); geo.KindOf(err) != geo.KindInvalid {
		t.Fatalf("before loading: %v", err)
	}
	if err := cat.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := parse("district=411102&leader=张副市长"); err != nil {
		t.Fatalf("loaded: %v", err)
	}
	d.values[Leaders] = []string{"张副市长", "李副市长"}
	if err := parse("leader=李副市长"); geo.KindOf(err) != geo.KindInvalid {
		t.Fatalf("a new leader before the reload: %v", err)
	}
	if err := cat.LoadDomains(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := parse("leader=李副市长"); err != nil {
		t.Fatalf("a new leader after the reload: %v", err)
	}
	d.err = errors.New("database down")
	if err := cat.LoadDomains(t.Context()); err == nil {
		t.Fatal("a failed load said nothing")
	}
	if err := parse("leader=李副市长"); err != nil {
		t.Fatalf("after a failed reload: %v", err)
	}
	for _, c := range []struct {
		layers []string
		want   bool
	}{
		{[]string{"projects"}, true},
		{[]string{"districts", "projects", "parcels"}, true},
		{[]string{"parcels"}, false},
		{[]string{"landuse", "controls"}, false},
		{nil, true},
	} {
		if got := cat.DomainsTouched(Invalidation{Layers: c.layers}); got != c.want {
			t.Errorf("DomainsTouched(%v) = %v, want %v", c.layers, got, c.want)
		}
	}
}

func asError(err error, e **geo.Error) bool {
	ge, ok := err.(*geo.Error)
	*e = ge
	return ok
}

func TestRequestKeyIsCanonical(t *testing.T) {
	cat := testCatalogue(t)
	a, err := cat.ParseRequest(admin, "projects", "10", "1", "2", url.Values{"stage": {"building,reserve"}, "category": {"industry"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := cat.ParseRequest(admin, "projects", "10", "1", "2", url.Values{"category": {"industry"}, "stage": {"reserve", "building", "reserve"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.key() != b.key() {
		t.Fatalf("keys differ: %q %q", a.key(), b.key())
	}
}

func TestCacheBudgetAndInvalidation(t *testing.T) {
	c := NewCache(cacheShards * 10_000)
	luohe := orb.Bound{Min: orb.Point{113.9, 33.5}, Max: orb.Point{114.1, 33.7}}
	beijing := orb.Bound{Min: orb.Point{116.3, 39.8}, Max: orb.Point{116.5, 40.0}}
	put := func(key string, layers []string, b orb.Bound, size int) {
		c.Put(&Tile{Key: key, Layers: layers, Bound: b, Gzip: make([]byte, size)}, c.Generation())
	}
	put("a", []string{"projects"}, luohe, 100)
	put("b", []string{"projects", "districts"}, beijing, 100)
	put("c", []string{"districts"}, luohe, 100)
	if n := c.Invalidate([]string{"projects"}, &orb.Bound{Min: orb.Point{114, 33.6}, Max: orb.Point{114, 33.6}}); n != 1 {
		t.Fatalf("invalidated %d tiles, want 1", n)
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("tile a survived")
	}
	for _, k := range []string{"b", "c"} {
		if _, ok := c.Get(k); !ok {
			t.Fatalf("tile %s was dropped", k)
		}
	}
	if n := c.Invalidate([]string{"districts"}, nil); n != 2 {
		t.Fatalf("invalidated %d tiles, want 2", n)
	}

	t.Run("stale tile built during an invalidation is not stored", func(t *testing.T) {
		gen := c.Generation()
		c.Invalidate(nil, nil)
		c.Put(&Tile{Key: "late", Bound: luohe, Gzip: []byte{1}}, gen)
		if _, ok := c.Get("late"); ok {
			t.Fatal("stale tile stored")
		}
	})
	t.Run("budget", func(t *testing.T) {
		for i := range 2000 {
			put(strings.Repeat("k", i%7)+string(rune('a'+i%26))+url.QueryEscape(string(rune(i))), nil, luohe, 1000)
		}
		_, used := c.Stats()
		if used > cacheShards*10_000 {
			t.Fatalf("cache holds %d bytes, over its budget", used)
		}
	})
}

func TestParseInvalidation(t *testing.T) {
	inv, err := ParseInvalidation(`{"layers":["projects"],"bbox":[114,33.5,114.1,33.6]}`)
	if err != nil || inv.bound == nil || inv.Layers[0] != "projects" {
		t.Fatalf("%+v %v", inv, err)
	}
	inv, err = ParseInvalidation(`{"layers":["landuse"],"bbox":null}`)
	if err != nil || inv.bound != nil {
		t.Fatalf("%+v %v", inv, err)
	}
	if _, err := ParseInvalidation(`{"bbox":[1,2]}`); err == nil {
		t.Fatal("short bbox accepted")
	}
}

var admin = geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleAdmin}}

func TestVisibility(t *testing.T) {
	cat := testCatalogue(t)
	projects, _ := cat.Layer("projects")
	parcels, _ := cat.Layer("parcels")
	id := uint64(5)
	proj := func() []Feature {
		return []Feature{{ID: &id, Properties: propsOf(map[string]any{
			"name": "项目", "leader": "张副市长", "total_investment": 1.5, "secret_column": "x"})}}
	}
	parcel := func(status string) []Feature {
		return []Feature{{ID: &id, Properties: propsOf(map[string]any{"code": "P1", "supply_status": status, "price": 25.0})}}
	}
	viewer := geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleViewer}}
	land := geo.Principal{Kind: geo.UserSession, Roles: []geo.Role{geo.RoleLand}}
	share := geo.Principal{Kind: geo.ShareLink, Share: &geo.ShareScope{LinkID: 1, ParcelIDs: []geo.ID{5}, Fields: []string{"code"}}}

	cases := []struct {
		name string
		p    geo.Principal
		l    Layer
		fs   []Feature
		want []string
	}{
		{"admin sees all catalogued fields", admin, projects, proj(), []string{"leader", "name", "total_investment"}},
		{"viewer sees no money and no leader", viewer, projects, proj(), []string{"name"}},
		{"land sees leaders but no money", land, projects, proj(), []string{"leader", "name"}},
		{"viewer sees the price of a parcel on offer", viewer, parcels, parcel("ready"), []string{"code", "price", "supply_status"}},
		{"viewer does not see the price of a parcel not on offer", viewer, parcels, parcel("planned"), []string{"code", "supply_status"}},
		{"share link sees chosen fields", share, parcels, parcel("planned"), []string{"code"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := visible(c.p, c.l, c.fs)
			var got []string
			for _, prop := range out[0].Properties {
				got = append(got, prop.Key)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Fatalf("fields %v, want %v", got, c.want)
			}
		})
	}
	other := uint64(6)
	if out := visible(share, parcels, []Feature{{ID: &other, Properties: propsOf(map[string]any{})}}); len(out) != 0 {
		t.Fatal("share link shows a parcel it does not hold")
	}
	vis := func(p geo.Principal) string { return string(p.AppendVisibility(nil)) }
	if vis(viewer) == vis(admin) || vis(share) == vis(viewer) {
		t.Fatal("visibility classes collide")
	}
	if _, err := cat.ParseRequest(viewer, "projects", "10", "1", "1", url.Values{"leader": {"张副市长"}}); geo.KindOf(err) != geo.KindInvalid {
		t.Fatalf("viewer filtered by leader: %v", err)
	}
	if _, err := cat.ParseRequest(share, "projects", "10", "1", "1", nil); geo.KindOf(err) != geo.KindNotFound {
		t.Fatalf("share link reached projects: %v", err)
	}
}
