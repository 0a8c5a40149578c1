// Package tiles owns onemap's vector tiles: tile addresses and their
// checks, the catalogue of layers with their zoom ranges, fields and
// filters, encoding features into Mapbox Vector Tiles in Go, and the
// in-memory tile cache with its invalidation.
package tiles

import (
	"slices"

	"github.com/luohe/onemap/geo"
)

// MaxZoom is the deepest zoom any layer serves; maps overzoom past it.
const MaxZoom = 14

// Extent is the MVT tile extent in tile units.
const Extent = 4096

// Field is one attribute of a layer's features.
type Field struct {
	Name      string
	Type      string // "String", "Number" or "Boolean", as in TileJSON
	ZH        string // Chinese label
	EN        string
	Sensitive geo.Sensitive // who may see it; none: everyone who sees the layer
}

// Filter is a query parameter that narrows a layer's features.
type Filter struct {
	Name      string
	Values    []geo.Label   // allowed values; nil: any non-empty text
	Sensitive geo.Sensitive // who may filter by it
}

// Layer describes one tile layer.
type Layer struct {
	Name        string
	ZH, EN      string
	MinZoom     int
	MaxZoom     int
	GeomTypes   []string // geometry types its features may have
	Fields      []Field
	Filters     []Filter
	Description string
	// GridBelow: below this zoom the layer's features are a generalised
	// grid, each feature the rectangles of its grid cells, which a source
	// dissolves into their outlines with DissolveRectangles. 0: no grid.
	GridBelow int
}

// Catalogue is the set of layers onemap serves, in drawing order (bottom
// first). It is the allow-list of layer names and filter names.
type Catalogue struct {
	layers []Layer
}

// NewCatalogue returns onemap's layer catalogue; which fields and filters
// are sensitive comes from geo.SensitiveField.
func NewCatalogue() *Catalogue {
	c := newLayers()
	for i := range c.layers {
		l := &c.layers[i]
		for j := range l.Fields {
			l.Fields[j].Sensitive = geo.SensitiveField(l.Name, l.Fields[j].Name)
		}
		for j := range l.Filters {
			l.Filters[j].Sensitive = geo.SensitiveField(l.Name, l.Filters[j].Name)
		}
	}
	return c
}

func newLayers() *Catalogue {
	str := func(name, zh, en string) Field { return Field{name, "String", zh, en, geo.SensitiveNone} }
	num := func(name, zh, en string) Field { return Field{name, "Number", zh, en, geo.SensitiveNone} }
	return &Catalogue{layers: []Layer{
		{
			Name: "landuse", ZH: "国土空间规划用地", EN: "Land-use plan", MinZoom: 8, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Land-use plan zones (用地用海分类); below zoom 13 a grid of cells with the dominant class",
			GridBelow:   13,
			Fields: []Field{
				num("id", "编号", "ID"), str("system", "分类体系", "Classification system"),
				str("code", "用地代码", "Land-use code"), str("name", "用地类型", "Land-use class"),
				str("level1", "一级类", "First-level class"), str("plan", "所属规划", "Plan"),
			},
		},
		{
			Name: "controls", ZH: "三区三线与管制区", EN: "Control lines and zones", MinZoom: 8, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "三区三线 control lines and legacy construction-control zones",
			Fields: []Field{
				num("id", "编号", "ID"), str("kind", "类型", "Kind"), str("kind_name", "类型名称", "Kind name"),
				str("name", "名称", "Name"),
			},
			Filters: []Filter{{Name: "kind", Values: geo.ControlKinds()}},
		},
		{
			Name: "districts", ZH: "县区与功能区", EN: "Districts", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon", "Point"},
			Description: "The five county-level units and the three function zones, with a label point at the seat",
			Fields: []Field{
				num("id", "编号", "ID"), str("code", "区划代码", "Code"), str("name", "名称", "Name"),
				str("kind", "类型", "Kind"), num("area_km2", "面积(平方公里)", "Area (km²)"),
			},
		},
		{
			Name: "parks", ZH: "园区", EN: "Parks", MinZoom: 6, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Industrial parks with their leading industries",
			Fields: []Field{
				num("id", "编号", "ID"), str("name", "园区名称", "Name"), str("level", "级别", "Level"),
				str("district", "所在县区", "District"), str("industries", "主导产业", "Leading industries"),
				num("area_mu", "面积(亩)", "Area (mu)"),
			},
		},
		{
			Name: "enclaves", ZH: "飞地园区", EN: "Enclaves", MinZoom: 6, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Enclave zones with home and host districts",
			Fields: []Field{
				num("id", "编号", "ID"), str("name", "名称", "Name"), str("home", "飞出地", "Home district"),
				str("host", "飞入地", "Host district"), str("model", "管理模式", "Management model"),
				str("agreement_no", "协议编号", "Agreement"), num("area_mu", "面积(亩)", "Area (mu)"),
			},
		},
		{
			Name: "parcels", ZH: "招商地块", EN: "Parcels", MinZoom: 10, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Polygon"},
			Description: "Parcels for investment with supply status, land use and price",
			Fields: []Field{
				num("id", "编号", "ID"), str("code", "地块编号", "Code"), str("name", "地块名称", "Name"),
				str("supply_status", "供应状态", "Supply status"), str("landuse_code", "用地代码", "Land-use code"),
				str("landuse_name", "用地类型", "Land-use class"), str("park", "所属园区", "Park"),
				num("area_mu", "面积(亩)", "Area (mu)"), num("price", "起始价(万元/亩)", "Starting price (10k yuan/mu)"),
				str("plot_ratio", "容积率", "Plot ratio"), str("utilities", "七通一平", "Utilities"),
			},
			Filters: []Filter{{Name: "supply_status", Values: geo.SupplyStatuses()}},
		},
		{
			Name: "transport", ZH: "交通", EN: "Transport", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"LineString", "Point", "Polygon"},
			Description: "Rivers, expressways, railways, stations, expressway exits and the port; minor kinds from zoom 10",
			Fields: []Field{
				num("id", "编号", "ID"), str("kind", "类型", "Kind"), str("name", "名称", "Name"), str("ref", "编号", "Reference"),
			},
		},
		{
			Name: "firms", ZH: "目标企业", EN: "Target firms", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Point"},
			Description: "Target firms at their headquarters",
			Fields: []Field{
				num("id", "编号", "ID"), str("name", "企业名称", "Name"), str("tags", "标签", "Tags"),
				str("industries", "产业", "Industries"), str("hq_city", "总部", "Headquarters"),
				str("stage", "对接阶段", "Stage"),
			},
			Filters: []Filter{{Name: "stage", Values: geo.FirmStages()}, {Name: "tag", Values: geo.FirmTags()}},
		},
		{
			Name: "projects", ZH: "重点项目", EN: "Key projects", MinZoom: 0, MaxZoom: MaxZoom,
			GeomTypes:   []string{"Point", "Polygon"},
			Description: "Key projects: points below zoom 13, sites and points from zoom 13",
			Fields: []Field{
				num("id", "编号", "ID"), str("code", "项目代码", "Project code"), str("name", "项目名称", "Name"),
				str("stage", "项目阶段", "Stage"), str("category", "项目类别", "Category"),
				num("district_id", "县区编号", "District ID"), str("district", "县区", "District"),
				str("leader", "分包领导", "Leader in charge"),
				str("responsible_unit", "责任单位", "Responsible unit"), str("owner", "业主单位", "Owner"),
				num("total_investment", "总投资(万元)", "Total investment (10k yuan)"),
				num("annual_plan", "年度计划(万元)", "Annual plan (10k yuan)"),
				num("invested", "本年完成投资(万元)", "Invested this year (10k yuan)"),
				str("planned_start", "计划开工", "Planned start"), str("planned_finish", "计划竣工", "Planned finish"),
				str("actual_start", "实际开工", "Actual start"), str("geom_kind", "图形", "Geometry"),
			},
			Filters: []Filter{
				{Name: "stage", Values: geo.Stages()},
				{Name: "category", Values: geo.Categories()},
				{Name: "district"},
				{Name: "leader"},
			},
		},
	}}
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
