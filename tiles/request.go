package tiles

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// Limits on a tile request, checked before any query.
const (
	MaxLayersPerTile = 12
	maxFilterValues  = 20
	maxFilterValue   = 64
)

// Request is a checked tile request: who asks, the layers to draw (those
// whose zoom range holds the tile), the address, and the filters by name.
type Request struct {
	Principal geo.Principal
	Layers    []Layer
	Address   Address
	Filters   map[string][]string
}

// shareLayers are the layers whose shared features a share link shows;
// it shows the base layers too.
var shareLayers = []string{"parks", "parcels"}

// ParseRequest checks the tile request of principal p: the comma-separated
// layer list, the address and the query parameters (the layers' filters;
// each may be repeated or carry comma-separated values). Errors are of
// kind KindInvalid (a malformed list, address or filter) or KindNotFound
// (an unknown layer — or one p may not see —, or a zoom outside every
// requested layer's range).
func (c *Catalogue) ParseRequest(p geo.Principal, layerList, z, x, y string, query url.Values) (Request, error) {
	addr, err := ParseAddress(z, x, y)
	if err != nil {
		return Request{}, err
	}
	names := strings.Split(layerList, ",")
	if layerList == "" {
		return Request{}, geo.Invalid("bad_layer_list", "未指定图层", "no layer given")
	}
	if len(names) > MaxLayersPerTile {
		return Request{}, geo.Invalid("too_many_layers", "一次最多请求 %d 个图层", "at most %d layers per tile", MaxLayersPerTile)
	}
	req := Request{Principal: p, Address: addr, Layers: make([]Layer, 0, len(names))}
	all := make([]Layer, 0, len(names))
	for i, n := range names {
		if slices.Contains(names[:i], n) {
			return Request{}, geo.Invalid("duplicate_layer", "图层重复：%q", "layer %q is repeated", clip(n))
		}
		l, ok := c.Layer(n)
		if p.Share != nil && !l.Base && !slices.Contains(shareLayers, n) {
			ok = false
		}
		if !ok {
			return Request{}, geo.NotFound("unknown_layer", "未知图层：%q", "unknown layer %q", clip(n))
		}
		all = append(all, l)
		if int(addr.Z) >= l.MinZoom && int(addr.Z) <= l.MaxZoom {
			req.Layers = append(req.Layers, l)
		}
	}
	if req.Filters, err = c.parseFilters(p, all, query); err != nil {
		return Request{}, err
	}
	if len(req.Layers) == 0 {
		l := all[0]
		return Request{}, geo.NotFound("zoom_out_of_range", "图层 %s 在层级 %d 无数据（范围 %d–%d）",
			"layer %s has no tiles at zoom %d (range %d–%d)", l.Name, addr.Z, l.MinZoom, l.MaxZoom)
	}
	return req, nil
}

// parseFilters checks the query parameters of principal p's request of
// layers: each names a filter of one of them that p may use, and each of
// its values is one the filter takes. It answers, by filter, the values
// they select (Catalogue.selects: a leader's name selects the stored
// leaders of that name).
func (c *Catalogue) parseFilters(p geo.Principal, layers []Layer, query url.Values) (map[string][]string, error) {
	if len(query) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for name, raw := range query {
		var owners []Filter
		for _, l := range layers {
			if f, ok := l.Filter(name); ok && p.Sees(f.Sensitive) {
				owners = append(owners, f)
			}
		}
		if len(owners) == 0 {
			return nil, geo.Invalid("unknown_filter", "未知的筛选参数：%q", "unknown filter %q", clip(name))
		}
		var given, values []string
		for _, r := range raw {
			for v := range strings.SplitSeq(r, ",") {
				v = strings.TrimSpace(v)
				if v == "" {
					return nil, geo.Invalid("bad_filter_value", "筛选参数 %s 的值为空", "filter %s has an empty value", name)
				}
				if len(v) > maxFilterValue || !geo.ValidText(v) {
					return nil, geo.Invalid("bad_filter_value", "筛选参数 %s 的值无效", "filter %s has an invalid value", name)
				}
				if slices.Contains(given, v) {
					continue
				}
				given = append(given, v)
				for _, f := range owners {
					stored, ok := c.selects(f, v)
					if !ok {
						return nil, geo.Invalid("bad_filter_value", "筛选参数 %s 的值无效：%q", "filter %s: invalid value %q",
							name, clip(v))
					}
					for _, s := range stored {
						if !slices.Contains(values, s) {
							values = append(values, s)
						}
					}
				}
			}
		}
		if len(given) > maxFilterValues {
			return nil, geo.Invalid("bad_filter_value", "筛选参数 %s 最多 %d 个值", "filter %s takes at most %d values", name, maxFilterValues)
		}
		slices.Sort(values)
		out[name] = values
	}
	return out, nil
}

// clip shortens user text quoted back in an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	for i := 40; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

// key is the cache key of the request: its layers, address and filters
// in a canonical order.
func (r Request) key() string {
	b := make([]byte, 0, 96)
	b = r.Principal.AppendVisibility(b)
	b = append(b, '|')
	for i, l := range r.Layers {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, l.Name...)
	}
	b = append(b, '/')
	b = r.Address.appendTo(b)
	if len(r.Filters) == 0 {
		return string(b)
	}
	names := make([]string, 0, len(r.Filters))
	for n := range r.Filters {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		if i == 0 {
			b = append(b, '?')
		} else {
			b = append(b, '&')
		}
		b = append(b, url.QueryEscape(n)...)
		b = append(b, '=')
		for j, v := range r.Filters[n] {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, url.QueryEscape(v)...)
		}
	}
	return string(b)
}
