package tiles

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

// FuzzParseAddress checks that a tile address from outside either parses
// into a tile that exists, which reads back the same, or is refused with
// KindInvalid.
func FuzzParseAddress(f *testing.F) {
	for _, s := range [][3]string{{"10", "836", "410"}, {"0", "0", "0"}, {"14", "16383", "16383"}, {"15", "0", "0"},
		{"2", "4", "0"}, {"1", "+1", "0"}, {"01", "1", "1"}, {"a", "", "-1"}, {"3", "99999999999999999999", "0"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		a, err := ParseAddress(z, x, y)
		if err != nil {
			if geo.KindOf(err) != geo.KindInvalid {
				t.Fatalf("%s/%s/%s: %v, want KindInvalid", z, x, y, err)
			}
			return
		}
		if a.Z > MaxZoom || uint64(a.X) >= 1<<a.Z || uint64(a.Y) >= 1<<a.Z {
			t.Fatalf("%s/%s/%s gave %v, no such tile", z, x, y, a)
		}
		parts := strings.Split(a.String(), "/")
		if again, err := ParseAddress(parts[0], parts[1], parts[2]); err != nil || again != a {
			t.Fatalf("%v reads back as %v, %v", a, again, err)
		}
	})
}

// FuzzParseRequest checks that a tile request from outside (the layer
// list, the address and the query) is refused with KindInvalid or
// KindNotFound, or gives a request within the catalogue's limits: known
// layers in range of the zoom, filters of those layers with values that
// the filters take, in the canonical order of the cache key.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []struct {
		layers, z, query string
		share            bool
	}{
		{"projects", "10", "", false},
		{"projects", "10", "stage=building,preparing&district=411102", false},
		{"projects", "10", "leader=%00", false},
		{"projects", "10", "district=1%20OR%201%3D1", false},
		{"landuse,controls,districts,parks,enclaves,parcels,transport,firms", "12", "kind=basic_farmland&supply_status=ready&tag=fortune500", false},
		{"parcels,parks", "14", "", true},
		{"parcels", "5", "supply_status=ready", true},
		{"projects,projects", "3", "stage=", false},
	} {
		f.Add(s.layers, s.z, "3", "3", s.query, s.share)
	}
	cat := testCatalogue(f)
	share := geo.Principal{Kind: geo.ShareLink, Share: &geo.ShareScope{LinkID: 1, ParcelIDs: []geo.ID{1}, Fields: []string{"code"}}}
	f.Fuzz(func(t *testing.T, layers, z, x, y, query string, shared bool) {
		p := admin
		if shared {
			p = share
		}
		q, _ := url.ParseQuery(query) // what parsed: a server takes the same
		req, err := cat.ParseRequest(p, layers, z, x, y, q)
		if err != nil {
			if k := geo.KindOf(err); k != geo.KindInvalid && k != geo.KindNotFound {
				t.Fatalf("%q %q: %v, want KindInvalid or KindNotFound", layers, query, err)
			}
			return
		}
		if len(req.Layers) == 0 || len(req.Layers) > MaxLayersPerTile {
			t.Fatalf("%q: %d layers", layers, len(req.Layers))
		}
		for _, l := range req.Layers {
			if _, ok := cat.Layer(l.Name); !ok || int(req.Address.Z) < l.MinZoom || int(req.Address.Z) > l.MaxZoom {
				t.Fatalf("%q: layer %s at zoom %d", layers, l.Name, req.Address.Z)
			}
			if shared && !slices.Contains(shareLayers, l.Name) {
				t.Fatalf("a share link gets layer %s", l.Name)
			}
		}
		for name, values := range req.Filters {
			if len(values) == 0 || !slices.IsSorted(values) || len(slices.Compact(slices.Clone(values))) != len(values) {
				t.Fatalf("filter %s: values %q, want some, sorted, none twice (the cache key takes them in order)", name, values)
			}
			owners := 0
			for n := range strings.SplitSeq(layers, ",") {
				l, _ := cat.Layer(n)
				fl, ok := l.Filter(name)
				if !ok || !p.Sees(fl.Sensitive) {
					continue
				}
				owners++
				for _, v := range values {
					if !selectable(cat, fl, v) || !geo.ValidText(v) {
						t.Fatalf("filter %s of %s takes %q", name, n, v)
					}
				}
			}
			if owners == 0 {
				t.Fatalf("filter %s of none of %q", name, layers)
			}
		}
		if !strings.Contains(req.key(), "/"+strconv.Itoa(int(req.Address.Z))+"/") {
			t.Fatalf("key %q without the zoom", req.key())
		}
	})
}

// selectable reports whether a value of filter f can be selected: one of
// its fixed list, or a stored value of its domain.
func selectable(cat *Catalogue, f Filter, v string) bool {
	if f.Values != nil {
		return geo.Has(f.Values, v)
	}
	return slices.ContainsFunc(cat.Choices(f.Domain), func(c Choice) bool { return slices.Contains(c.Stored, v) })
}
