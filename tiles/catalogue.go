// Package tiles owns onemap's vector tiles: tile addresses and their
// checks, the catalogue of layers with their zoom ranges, fields and
// filters, encoding features into Mapbox Vector Tiles in Go, and the
// in-memory tile cache with its invalidation.
package tiles

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/luohe/onemap/geo"
)

// MaxZoom is the deepest zoom any layer serves; maps overzoom past it.
const MaxZoom = 14

// Extent is the MVT tile extent in tile units.
const Extent = 4096

// Filter is a query parameter that narrows a layer's features. Its
// allowed values are a fixed list (Values) or those of a domain that the
// data decides (Domain); a value of neither is refused.
type Filter struct {
	Name      string
	Values    []geo.Label   // the allowed values, if a fixed list
	Domain    Domain        // the domain of the allowed values, if the data's
	Sensitive geo.Sensitive // who may filter by it
}

// Domain names a set of values that the data decides, such as the codes
// of the districts that exist. A filter of a domain takes the domain's
// keys: each stands for the stored values that have it as their key.
type Domain string

// The domains of the catalogue's filters.
const (
	DistrictCodes Domain = "district_codes" // the districts' codes, their own keys
	// Leaders are the leaders in charge of projects, keyed by name: the
	// filter takes 张丽华 for the stored 张丽华 副市长 (geo.ParseLeader).
	Leaders Domain = "leaders"
)

// key is the key of a stored value of the domain: what its filter takes.
func (d Domain) key(stored string) string {
	if d == Leaders {
		return geo.ParseLeader(stored).Name
	}
	return stored
}

// Choice is a value a filter of a domain takes, with the stored values it
// stands for.
type Choice struct {
	Key    string
	Stored []string
}

// Domains reads the values of the domains. The PostGIS adapter implements
// it.
type Domains interface {
	// DomainValues returns the values of d that exist.
	DomainValues(ctx context.Context, d Domain) ([]string, error)
}

// Layer describes one tile layer.
type Layer struct {
	Name      string
	ZH, EN    string
	MinZoom   int
	MaxZoom   int
	GeomTypes []string // geometry types its features may have
	// Fields are the attributes its features carry: fields of the
	// registry's aggregate of the layer's name, in the order given.
	Fields      []geo.Field
	Filters     []Filter
	Description string
	// GridBelow: below this zoom the layer's features are a generalised
	// grid, each feature the rectangles of its grid cells, which a source
	// dissolves into their outlines with DissolveRectangles. 0: no grid.
	GridBelow int
	// Base: a layer of the base map (outlines, roads, rivers, names) that
	// holds nothing sensitive, so every principal sees it whole, share
	// links included: a firm sees where the shared parcels lie.
	Base bool
}

// Catalogue is the set of layers onemap serves, in drawing order (bottom
// first). It is the allow-list of layer names, filter names and filter
// values.
type Catalogue struct {
	layers  []Layer
	domains Domains
	// values holds, for each domain as last loaded (LoadDomains), the
	// stored values by key; nil before the first load.
	values atomic.Pointer[map[Domain]map[string][]string]
}

// NewCatalogue returns onemap's layer catalogue; the layers' names and
// their fields' types, labels and sensitivity come from the field
// registry reg, the values of its filters' domains from domains (see
// LoadDomains). A layer field missing from the registry is a programming
// error and panics at start.
func NewCatalogue(reg *geo.Registry, domains Domains) *Catalogue {
	c := &Catalogue{domains: domains, layers: []Layer{
		{
			Name: "provinces", MinZoom: 0, MaxZoom: MaxZoom, Base: true,
			GeomTypes:   []string{"Polygon", "Point"},
			Description: "China's provinces (Natural Earth), with a label point",
			Fields:      fields(reg, "provinces", "id", "name", "name_en"),
		},
		{
			Name: "prefectures", MinZoom: 4, MaxZoom: MaxZoom, Base: true,
			GeomTypes:   []string{"Polygon", "Point"},
			Description: "China's prefecture-level cities, with a label point",
			Fields:      fields(reg, "prefectures", "id", "name", "province"),
		},
		{
			Name: "landuse", MinZoom: 8, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Land-use plan zones (用地用海分类); below zoom 13 a grid of cells with the dominant class",
			GridBelow:   13,
			Fields:      fields(reg, "landuse", "id", "system", "code", "name", "level1", "plan"),
		},
		{
			Name: "controls", MinZoom: 8, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "三区三线 control lines and legacy construction-control zones",
			Fields:      fields(reg, "controls", "id", "kind", "kind_name", "name"),
			Filters:     []Filter{{Name: "kind", Values: geo.ControlKinds()}},
		},
		{
			Name: "districts", MinZoom: 0, MaxZoom: MaxZoom, Base: true,
			GeomTypes:   []string{"Polygon", "Point"},
			Description: "The five county-level units and the three function zones, with a label point at the seat",
			Fields:      fields(reg, "districts", "id", "code", "name", "kind", "area_km2"),
		},
		{
			Name: "parks", MinZoom: 6, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Industrial parks with their leading industries",
			Fields:      fields(reg, "parks", "id", "name", "level", "district", "industries", "area_mu"),
		},
		{
			Name: "enclaves", MinZoom: 6, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Enclave zones with home and host districts",
			Fields:      fields(reg, "enclaves", "id", "name", "home", "host", "model", "agreement_no", "area_mu"),
		},
		{
			Name: "parcels", MinZoom: 10, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Parcels for investment with supply status, land use and price",
			Fields:      fields(reg, "parcels", "id", "code", "name", "supply_status", "landuse_code", "landuse_name", "park", "area_mu", "price", "plot_ratio", "utilities"),
			Filters:     []Filter{{Name: "supply_status", Values: geo.SupplyStatuses()}},
		},
		{
			Name: "transport", MinZoom: 0, MaxZoom: MaxZoom, Base: true,
			GeomTypes:   []string{"LineString", "Point", "Polygon"},
			Description: "Rivers, expressways, railways, stations, expressway exits and the port; minor kinds from zoom 10",
			Fields:      fields(reg, "transport", "id", "kind", "name", "ref"),
		},
		{
			Name: "firms", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Point"},
			Description: "Target firms at their headquarters",
			Fields:      fields(reg, "firms", "id", "name", "tags", "industries", "hq_city", "stage"),
			Filters:     []Filter{{Name: "stage", Values: geo.FirmStages()}, {Name: "tag", Values: geo.FirmTags()}},
		},
		{
			Name: "projects", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Point", "Polygon"},
			Description: "Key projects: points below zoom 13, sites and points from zoom 13",
			Fields:      fields(reg, "projects", "id", "code", "name", "stage", "category", "district_id", "district", "leader", "responsible_unit", "owner", "total_investment", "annual_plan", "invested", "planned_start", "planned_finish", "actual_start", "warning_level", "overdue_blockers", "verdict", "verdict_stale", "geom_kind"),
			Filters: []Filter{
				{Name: "stage", Values: geo.Stages()},
				{Name: "category", Values: geo.Categories()},
				{Name: "district", Domain: DistrictCodes},
				{Name: "leader", Domain: Leaders},
				// The level last assessed; the years of the actual
				// start and finish (the dashboard's new starts and
				// completions of a year).
				{Name: "warning_level", Values: geo.WarningLevels()},
				{Name: "started", Values: years()},
				{Name: "finished", Values: years()},
			},
		},
	}}
	for i := range c.layers {
		l := &c.layers[i]
		a, _ := reg.Aggregate(l.Name)
		l.ZH, l.EN = a.ZH, a.EN
		for j := range l.Filters {
			l.Filters[j].Sensitive = reg.Sensitive(l.Name, l.Filters[j].Name)
		}
		for _, f := range l.Fields {
			if l.Base && f.Sensitive != geo.SensitiveNone {
				panic("tiles: base layer " + l.Name + " has the sensitive field " + f.Name)
			}
		}
	}
	return c
}

// years are the years a project's dates may fall in (2000–2100), as
// filter values.
func years() []geo.Label {
	var out []geo.Label
	for y := 2000; y <= 2100; y++ {
		s := strconv.Itoa(y)
		out = append(out, geo.Label{ID: s, ZH: s + "年", EN: s})
	}
	return out
}

// LoadDomains reads the values of the filters' domains from the
// catalogue's Domains and puts them in place of those held; on an error
// the held values stay. A filter with a domain takes no value before the
// first load. The values are held in memory so that checking a tile
// request costs no query: onemap loads them at start and again whenever
// the database announces a change that may touch them (DomainsTouched)
// or its notifications were lost, rather than on a timer, so a new
// leader can be filtered by as soon as the tiles that show them are
// redrawn.
func (c *Catalogue) LoadDomains(ctx context.Context) error {
	if c.domains == nil {
		return fmt.Errorf("tiles: the catalogue has no domains to load")
	}
	values := map[Domain]map[string][]string{}
	for _, l := range c.layers {
		for _, f := range l.Filters {
			if f.Domain == "" || values[f.Domain] != nil {
				continue
			}
			vs, err := c.domains.DomainValues(ctx, f.Domain)
			if err != nil {
				return fmt.Errorf("domain %s: %w", f.Domain, err)
			}
			byKey := make(map[string][]string, len(vs))
			for _, v := range vs {
				if k := f.Domain.key(v); k != "" && !slices.Contains(byKey[k], v) {
					byKey[k] = append(byKey[k], v)
				}
			}
			values[f.Domain] = byKey
		}
	}
	c.values.Store(&values)
	return nil
}

// DomainsTouched reports whether the change that inv announces may have
// changed a filter's domain: it touches a layer with such a filter (the
// projects layer, which a change of the districts touches too).
func (c *Catalogue) DomainsTouched(inv Invalidation) bool {
	for _, l := range c.layers {
		if len(inv.Layers) > 0 && !slices.Contains(inv.Layers, l.Name) {
			continue
		}
		if slices.ContainsFunc(l.Filters, func(f Filter) bool { return f.Domain != "" }) {
			return true
		}
	}
	return false
}

// selects answers the values that the value v of filter f selects: v
// itself from a fixed list, the stored values that have v as their key
// from a domain; ok is false when f does not take v.
func (c *Catalogue) selects(f Filter, v string) (stored []string, ok bool) {
	if f.Values != nil {
		return []string{v}, geo.Has(f.Values, v)
	}
	values := c.values.Load()
	if f.Domain == "" || values == nil {
		return nil, false
	}
	stored, ok = (*values)[f.Domain][v]
	return stored, ok
}

// Choices lists the values that the filters of domain d take, by key,
// each with the stored values it stands for (sorted); none before the
// domains are first loaded.
func (c *Catalogue) Choices(d Domain) []Choice {
	values := c.values.Load()
	if values == nil {
		return nil
	}
	out := make([]Choice, 0, len((*values)[d]))
	for k, stored := range (*values)[d] {
		out = append(out, Choice{Key: k, Stored: slices.Sorted(slices.Values(stored))})
	}
	slices.SortFunc(out, func(a, b Choice) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// fields looks up names among the registry's fields of kind.
func fields(reg *geo.Registry, kind string, names ...string) []geo.Field {
	out := make([]geo.Field, len(names))
	for i, n := range names {
		f, ok := reg.Field(kind, n)
		if !ok {
			panic("tiles: field " + kind + "." + n + " is not in the field registry")
		}
		out[i] = f
	}
	return out
}

// Layers returns the layers in drawing order.
func (c *Catalogue) Layers() []Layer { return slices.Clone(c.layers) }

// Layer returns the layer named name; ok is false for an unknown name.
func (c *Catalogue) Layer(name string) (Layer, bool) {
	for _, l := range c.layers {
		if l.Name == name {
			return l, true
		}
	}
	return Layer{}, false
}

// Filter returns the layer's filter named name.
func (l Layer) Filter(name string) (Filter, bool) {
	for _, f := range l.Filters {
		if f.Name == name {
			return f, true
		}
	}
	return Filter{}, false
}
