package geo

// Label is an identifier of the glossary with its Chinese and English names.
type Label struct {
	ID string `json:"id"`
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Stage is where a key project is in its life: 储备 → 前期 → 在建 → 投产,
// or 退库 from any stage.
type Stage string

// The stages, in the order a project moves through them.
const (
	StageReserve   Stage = "reserve"   // 储备
	StagePreparing Stage = "preparing" // 前期
	StageBuilding  Stage = "building"  // 在建
	StageOperating Stage = "operating" // 竣工投产
	StageWithdrawn Stage = "withdrawn" // 退库
)

// Stages lists the stages with their names, in the order a project moves
// through them.
func Stages() []Label {
	return []Label{
		{string(StageReserve), "储备", "Reserve"},
		{string(StagePreparing), "前期", "Preparing"},
		{string(StageBuilding), "在建", "Under construction"},
		{string(StageOperating), "竣工投产", "In operation"},
		{string(StageWithdrawn), "退库", "Withdrawn"},
	}
}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return Has(Stages(), string(s)) }

// Category is the kind of a key project.
type Category string

// The categories.
const (
	CategoryPlanning   Category = "planning"   // 重大规划建设
	CategoryAttraction Category = "attraction" // 重大招商引资
	CategoryIndustry   Category = "industry"   // 重大产业发展
)

// Categories lists the categories with their names.
func Categories() []Label {
	return []Label{
		{string(CategoryPlanning), "重大规划建设", "Major planning and construction"},
		{string(CategoryAttraction), "重大招商引资", "Major investment attraction"},
		{string(CategoryIndustry), "重大产业发展", "Major industrial development"},
	}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool { return Has(Categories(), string(c)) }

// WarningLevels lists a project's warning levels (预警等级), from the
// schedule ratio (project.Assess), in rising order.
func WarningLevels() []Label {
	return []Label{
		{"green", "正常", "On schedule"},
		{"yellow", "黄色预警", "Yellow warning"},
		{"red", "红色预警", "Red warning"},
	}
}

// SupplyStatuses of a parcel.
func SupplyStatuses() []Label {
	return []Label{
		{"planned", "规划储备", "Planned reserve"},
		{"acquired", "已征待拆", "Acquired, awaiting clearance"},
		{"ready", "净地可供", "Serviced, available"},
		{"reserved", "意向预留", "Reserved for a firm"},
		{"supplied", "已供", "Supplied"},
	}
}

// ControlKinds are the 三区三线 control lines and the legacy
// construction-control zones (建设用地管制区).
func ControlKinds() []Label {
	return []Label{
		{"basic_farmland", "永久基本农田", "Permanent basic farmland"},
		{"eco_redline", "生态保护红线", "Ecological red line"},
		{"urban_boundary", "城镇开发边界", "Urban development boundary"},
		{"zone_010", "允许建设区", "Construction allowed"},
		{"zone_020", "有条件建设区", "Conditional construction"},
		{"zone_030", "限制建设区", "Restricted construction"},
		{"zone_040", "禁止建设区", "Construction prohibited"},
	}
}

// FirmTags mark target firms.
func FirmTags() []Label {
	return []Label{
		{"fortune500", "世界500强", "Fortune Global 500"},
		{"china500", "中国500强", "China Top 500"},
		{"industry_top30", "行业前30", "Industry top 30"},
		{"central_soe", "央企", "Central SOE"},
	}
}

// FirmStages are a firm's stages with the city.
func FirmStages() []Label {
	return []Label{
		{"contact", "接洽", "First contact"},
		{"negotiating", "洽谈", "Negotiating"},
		{"signed", "签约", "Signed"},
		{"landed", "落地", "Landed"},
	}
}

// Utilities are the items of 七通一平.
func Utilities() []Label {
	return []Label{
		{"road", "通路", "Road"},
		{"power", "通电", "Power"},
		{"water", "通水", "Water"},
		{"telecom", "通讯", "Telecom"},
		{"drainage", "排水", "Drainage"},
		{"gas", "通气", "Gas"},
		{"heat", "通热", "Heat"},
		{"levelled", "场地平整", "Levelled"},
	}
}

// TransportKinds are the kinds of transport features.
func TransportKinds() []Label {
	return []Label{
		{"expressway", "高速公路", "Expressway"},
		{"highway", "国省道", "Highway"},
		{"road", "城市道路", "Road"},
		{"railway", "普速铁路", "Railway"},
		{"high_speed_rail", "高速铁路", "High-speed rail"},
		{"station", "火车站", "Railway station"},
		{"high_speed_station", "高铁站", "High-speed rail station"},
		{"highway_exit", "高速出入口", "Expressway exit"},
		{"port", "港口", "Port"},
		{"river", "河流", "River"},
	}
}

// LabelID finds a label by its id or its Chinese name and answers its id.
func LabelID(labels []Label, s string) (string, bool) {
	for _, l := range labels {
		if s == l.ID || s == l.ZH {
			return l.ID, true
		}
	}
	return "", false
}

// LabelZH is the Chinese name of the label id (id itself if unknown).
func LabelZH(labels []Label, id string) string {
	for _, l := range labels {
		if l.ID == id {
			return l.ZH
		}
	}
	return id
}

// Has reports whether id is one of the labels.
func Has(labels []Label, id string) bool {
	for _, l := range labels {
		if l.ID == id {
			return true
		}
	}
	return false
}
