package geo

import "slices"

// FieldType is the type of a field's values, named as TileJSON names them.
type FieldType string

// The field types.
const (
	TypeString  FieldType = "String"
	TypeNumber  FieldType = "Number"
	TypeBoolean FieldType = "Boolean"
)

// Field is one field of an aggregate, declared once for every place that
// shows it: tiles, JSON answers, Excel, share links and the web app's
// labels.
type Field struct {
	Name      string    `json:"name"`
	Type      FieldType `json:"type"`
	ZH        string    `json:"zh"`
	EN        string    `json:"en"`
	Unit      string    `json:"unit"`    // in Chinese, e.g. 万元; empty: none
	UnitEN    string    `json:"unit_en"` // e.g. 10k yuan
	Sensitive Sensitive `json:"sensitive"`
	// Excel is the column header of an Excel export; empty: not exported.
	Excel string `json:"excel"`
	// Shareable fields may be shown by a share link to a firm.
	Shareable bool `json:"shareable"`
}

// Label is the field's Chinese label with its unit, e.g. 总投资(万元).
func (f Field) Label() string {
	if f.Unit == "" {
		return f.ZH
	}
	return f.ZH + "(" + f.Unit + ")"
}

// LabelEN is the field's English label with its unit, e.g. Total
// investment (10k yuan).
func (f Field) LabelEN() string {
	if f.UnitEN == "" {
		return f.EN
	}
	return f.EN + " (" + f.UnitEN + ")"
}

// Aggregate is a kind of thing onemap keeps, with its fields. Kind is the
// name of its tile layer and of its JSON answers' kind ("projects",
// "parcels", …).
type Aggregate struct {
	Kind   string  `json:"kind"`
	ZH     string  `json:"zh"`
	EN     string  `json:"en"`
	Fields []Field `json:"fields"`
}

// Field returns the aggregate's field named name.
func (a Aggregate) Field(name string) (Field, bool) {
	i := slices.IndexFunc(a.Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return a.Fields[i], true
}

// Registry is the field registry: every aggregate's fields, declared once.
// The tile catalogue, JSON redaction, share links, Excel and the web app's
// labels (GET /api/meta) all read it.
type Registry struct {
	aggregates []Aggregate
}

// Aggregates returns the aggregates, in the tile layers' drawing order.
func (r *Registry) Aggregates() []Aggregate { return slices.Clone(r.aggregates) }

// Aggregate returns the aggregate of a kind.
func (r *Registry) Aggregate(kind string) (Aggregate, bool) {
	i := slices.IndexFunc(r.aggregates, func(a Aggregate) bool { return a.Kind == kind })
	if i < 0 {
		return Aggregate{}, false
	}
	return r.aggregates[i], true
}

// Field returns a field of a kind.
func (r *Registry) Field(kind, name string) (Field, bool) {
	a, ok := r.Aggregate(kind)
	if !ok {
		return Field{}, false
	}
	return a.Field(name)
}

// Sensitive returns the sensitive group of a field: the one place that
// says which data is sensitive, for tiles, JSON and exports alike. An
// unknown field is SensitiveNone; callers keep only known fields.
func (r *Registry) Sensitive(kind, name string) Sensitive {
	f, _ := r.Field(kind, name)
	return f.Sensitive
}

// Shareable lists the names of the fields of kinds that a share link may
// show, each once, in declaration order.
func (r *Registry) Shareable(kinds ...string) []string {
	var out []string
	for _, k := range kinds {
		a, _ := r.Aggregate(k)
		for _, f := range a.Fields {
			if f.Shareable && !slices.Contains(out, f.Name) {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// Visible reports whether principal p may see a field of a kind: a known
// field whose sensitive group p sees. A share link sees its chosen fields
// and the id.
func (r *Registry) Visible(p Principal, kind, name string) bool {
	f, ok := r.Field(kind, name)
	switch {
	case !ok:
		return false
	case p.Share != nil:
		return name == "id" || slices.Contains(p.Share.Fields, name)
	}
	return p.Sees(f.Sensitive)
}

// field builds a Field; opts set what most fields leave empty.
func field(name string, t FieldType, zh, en string, opts ...func(*Field)) Field {
	f := Field{Name: name, Type: t, ZH: zh, EN: en}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func unit(zh, en string) func(*Field) { return func(f *Field) { f.Unit, f.UnitEN = zh, en } }

func sensitive(s Sensitive) func(*Field) { return func(f *Field) { f.Sensitive = s } }

// excel exports the field under its label, with the unit in full-width
// brackets as Chinese spreadsheets write it.
func excel(f *Field) {
	f.Excel = f.ZH
	if f.Unit != "" {
		f.Excel += "（" + f.Unit + "）"
	}
}

func shareable(f *Field) { f.Shareable = true }

// NewRegistry returns onemap's field registry.
func NewRegistry() *Registry {
	str := func(name, zh, en string, opts ...func(*Field)) Field { return field(name, TypeString, zh, en, opts...) }
	num := func(name, zh, en string, opts ...func(*Field)) Field { return field(name, TypeNumber, zh, en, opts...) }
	id := num("id", "编号", "ID")
	wanYuan, wanPerMu, mu := unit("万元", "10k yuan"), unit("万元/亩", "10k yuan/mu"), unit("亩", "mu")
	squareKM, percent, taxPerMu := unit("平方公里", "km²"), unit("%", "%"), unit("万元/亩/年", "10k yuan/mu/year")
	return &Registry{aggregates: []Aggregate{
		{Kind: "provinces", ZH: "省级行政区", EN: "Provinces", Fields: []Field{
			id, str("name", "名称", "Name"), str("name_en", "英文名称", "English name"),
		}},
		{Kind: "prefectures", ZH: "地级行政区", EN: "Prefecture-level cities", Fields: []Field{
			id, str("name", "名称", "Name"), str("province", "所属省份", "Province"),
		}},
		{Kind: "landuse", ZH: "国土空间规划用地", EN: "Land-use plan", Fields: []Field{
			id, str("system", "分类体系", "Classification system", excel), str("code", "用地代码", "Land-use code", excel),
			str("name", "用地类型", "Land-use class", excel), str("level1", "一级类", "First-level class"),
			str("plan", "所属规划", "Plan", excel),
		}},
		{Kind: "controls", ZH: "三区三线与管制区", EN: "Control lines and zones", Fields: []Field{
			id, str("kind", "类型", "Kind", excel), str("kind_name", "类型名称", "Kind name"), str("name", "名称", "Name", excel),
		}},
		{Kind: "districts", ZH: "县区与功能区", EN: "Districts", Fields: []Field{
			id, str("code", "区划代码", "Code", excel), str("name", "名称", "Name", excel), str("kind", "类型", "Kind", excel),
			num("area_km2", "面积", "Area", squareKM, excel),
		}},
		{Kind: "parks", ZH: "园区", EN: "Parks", Fields: []Field{
			id, str("name", "园区名称", "Name", excel, shareable), str("level", "级别", "Level", excel, shareable),
			str("district", "所在县区", "District", excel, shareable),
			str("industries", "主导产业", "Leading industries", excel, shareable),
			num("area_mu", "面积", "Area", mu, excel, shareable),
		}},
		{Kind: "enclaves", ZH: "飞地园区", EN: "Enclaves", Fields: []Field{
			id, str("name", "名称", "Name", excel), str("home", "飞出地", "Home district", excel),
			str("host", "飞入地", "Host district", excel), str("model", "管理模式", "Management model", excel),
			str("agreement_no", "协议编号", "Agreement", excel), num("area_mu", "面积", "Area", mu, excel),
		}},
		{Kind: "parcels", ZH: "招商地块", EN: "Parcels", Fields: []Field{
			id, str("code", "地块编号", "Code", excel, shareable), str("name", "地块名称", "Name", excel, shareable),
			str("supply_status", "供应状态", "Supply status", excel, shareable),
			str("landuse_code", "用地代码", "Land-use code", excel, shareable),
			str("landuse_name", "用地类型", "Land-use class", excel, shareable), str("park", "所属园区", "Park", excel, shareable),
			num("area_mu", "面积", "Area", mu, excel, shareable),
			num("price", "起始价", "Starting price", wanPerMu, sensitive(SensitivePrice), excel, shareable),
			str("plot_ratio", "容积率", "Plot ratio", excel, shareable), str("utilities", "七通一平", "Utilities", excel, shareable),
			num("building_density", "建筑密度", "Building density", percent, excel),
			num("green_ratio", "绿地率", "Green ratio", percent, excel),
			num("investment_intensity", "投资强度", "Investment intensity", wanPerMu, excel),
			num("tax_per_mu", "地均税收", "Tax per mu", taxPerMu, excel),
		}},
		{Kind: "transport", ZH: "交通", EN: "Transport", Fields: []Field{
			id, str("kind", "类型", "Kind", excel), str("name", "名称", "Name", excel), str("ref", "编号", "Reference", excel),
		}},
		{Kind: "firms", ZH: "目标企业", EN: "Target firms", Fields: []Field{
			id, str("name", "企业名称", "Name", excel), str("tags", "标签", "Tags", excel),
			str("industries", "产业", "Industries", excel), str("hq_city", "总部", "Headquarters", excel),
			str("stage", "对接阶段", "Stage", excel),
			str("contact_name", "联系人", "Contact", sensitive(SensitiveFirm), excel),
			str("contact_phone", "联系电话", "Contact phone", sensitive(SensitiveFirm), excel),
			str("responsible", "责任人", "Person responsible", excel),
			num("lon", "总部经度", "HQ longitude", excel), num("lat", "总部纬度", "HQ latitude", excel),
			str("park_ids", "推荐园区", "Proposed parks"), str("parcel_ids", "推荐地块", "Proposed parcels"),
			num("version", "版本", "Version"), str("updated_at", "更新时间", "Updated"),
		}},
		{Kind: "projects", ZH: "重点项目", EN: "Key projects", Fields: []Field{
			num("id", "编号", "ID", excel), str("code", "项目代码", "Project code", excel), str("name", "项目名称", "Name", excel),
			str("stage", "项目阶段", "Stage", excel), str("category", "项目类别", "Category", excel),
			num("district_id", "县区编号", "District ID"), str("district", "县区", "District", excel),
			str("leader", "分包领导", "Leader in charge", sensitive(SensitiveLeader), excel),
			str("responsible_unit", "责任单位", "Responsible unit", excel), str("owner", "业主单位", "Owner", excel),
			str("owner_contact", "业主联系方式", "Owner's contact", sensitive(SensitiveOwner), excel),
			str("industry", "所属产业", "Industry", excel),
			num("total_investment", "总投资", "Total investment", wanYuan, sensitive(SensitiveInvestment), excel),
			num("annual_plan", "年度计划", "Annual plan", wanYuan, sensitive(SensitiveInvestment), excel),
			num("invested", "本年完成投资", "Invested this year", wanYuan, sensitive(SensitiveInvestment), excel),
			num("planned", "计划投资", "Planned investment", wanYuan, sensitive(SensitiveInvestment)),
			str("progress", "月度进度", "Monthly progress", sensitive(SensitiveInvestment)),
			str("planned_start", "计划开工", "Planned start", excel), str("planned_finish", "计划竣工", "Planned finish", excel),
			str("actual_start", "实际开工", "Actual start", excel), str("actual_finish", "实际竣工", "Actual finish", excel),
			str("withdrawn_reason", "退库原因", "Reason for withdrawal", excel),
			str("intended_system", "拟用地分类体系", "Intended land-use system", excel),
			str("intended_code", "拟用地类型代码", "Intended land-use code", excel),
			num("site_area_mu", "用地面积", "Site area", mu, excel),
			str("site", "用地范围", "Site"),
			num("lon", "经度", "Longitude", excel), num("lat", "纬度", "Latitude", excel),
			num("version", "版本", "Version", excel), str("updated_at", "更新时间", "Updated"),
			str("report_first", "最早可填报月份", "First month to report"),
			str("report_last", "最晚可填报月份", "Last month to report"),
			// The supervision of the schedule reads the investment
			// reports: shown to those who see the money.
			str("warning_level", "预警等级", "Warning level", sensitive(SensitiveInvestment)),
			num("schedule_ratio", "投资完成率", "Schedule ratio", unit("%", "%"), sensitive(SensitiveInvestment)),
			str("warning_reason", "预警原因", "Reason for the warning", sensitive(SensitiveInvestment)),
			num("overdue_blockers", "超期协调问题", "Overdue blockers", sensitive(SensitiveInvestment)),
			// The latest compliance verdict (land.Verdict; empty: none).
			str("verdict", "用地合规审查结论", "Compliance verdict"),
			// Set while the verdict is stale: a changed site or land layer
			// is being checked again.
			field("verdict_stale", TypeBoolean, "合规审查结论待更新", "Compliance verdict being rechecked"),
			str("geom_kind", "图形", "Geometry"),
		}},
	}}
}
