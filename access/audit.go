package access

import (
	"context"
	"slices"

	"github.com/luohe/onemap/geo"
)

// AuditTable is a table whose writes the audit log records, named in
// Chinese and English, with the labels of its columns: what the audit
// log's filter offers and its before/after diff shows.
type AuditTable struct {
	Name    string        `json:"name"`
	ZH      string        `json:"zh"`
	EN      string        `json:"en"`
	Columns []AuditColumn `json:"columns"`
}

// AuditColumn is a column of an audited table with its labels (with the
// unit, as geo.Field.Label composes it).
type AuditColumn struct {
	Name string `json:"name"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
	// Enum is the list of GET /api/meta that names the column's values
	// (stages, roles, districts, …); empty: the values are shown as they
	// are.
	Enum string `json:"enum,omitempty"`
	// Geometry columns hold an outline or a point, which a diff shows as
	// changed rather than as its hex.
	Geometry bool `json:"geometry,omitempty"`
}

// AuditTables lists the audited tables, in the order of their kinds
// (projects, base map, land, investment, accounts). Columns that are
// fields of an aggregate of the registry take the field's labels; the
// others are labelled here. The tables' audit triggers come from
// migrations/repeatable/60_protect.sql; a test holds the two lists and
// every column's label together.
func AuditTables(reg *geo.Registry) []AuditTable {
	col := func(name, zh, en string) AuditColumn { return AuditColumn{Name: name, ZH: zh, EN: en} }
	enum := func(c AuditColumn, list string) AuditColumn { c.Enum = list; return c }
	shape := func(name, zh, en string) AuditColumn { c := col(name, zh, en); c.Geometry = true; return c }
	id := col("id", "编号", "ID")
	district := enum(col("district_id", "县区", "District"), "districts")
	geom := shape("geom", "图形", "Geometry")
	area := col("area_m2", "面积(m²)", "Area (m²)")
	created, expires, revoked := col("created_at", "创建时间", "Created"), col("expires_at", "过期时间", "Expires"), col("revoked_at", "撤销时间", "Revoked")
	roles := enum(col("roles", "角色", "Roles"), "roles")
	specs := []struct {
		name, kind, zh, en string // kind: the aggregate whose fields label columns; "": none
		cols               []AuditColumn
	}{
		{"projects", "projects", "重点项目", "Key projects", []AuditColumn{district,
			enum(col("stage", "项目阶段", "Stage"), "stages"), enum(col("category", "项目类别", "Category"), "categories"),
			col("intended_system", "拟用地分类体系", "Intended land-use system"), col("intended_code", "拟用地代码", "Intended land-use code"),
			shape("site", "用地范围", "Site"), shape("point", "点位", "Point"), col("site_area_m2", "用地面积(m²)", "Site area (m²)")}},
		{"project_progress", "", "项目月度进度", "Monthly progress", []AuditColumn{col("project_id", "项目编号", "Project ID"),
			col("month", "月份", "Month"), col("planned", "本月计划投资(万元)", "Planned this month (10k yuan)"),
			col("invested", "本月完成投资(万元)", "Invested this month (10k yuan)"), col("progress_note", "形象进度", "Progress note"),
			col("photos", "照片", "Photos")}},
		{"project_blockers", "", "项目协调问题", "Project blockers", []AuditColumn{id, col("project_id", "项目编号", "Project ID"),
			col("kind", "问题类型", "Kind"), col("note", "问题描述", "Note"), col("raised_on", "提出日期", "Raised on"),
			col("resolved_on", "解决日期", "Resolved on"), col("responsible_unit", "责任单位", "Responsible unit"),
			col("due_on", "办结时限", "Due on"), col("status", "状态", "Status"), col("resolution", "解决情况", "Resolution")}},
		{"warning_thresholds", "", "预警阈值", "Warning thresholds", []AuditColumn{id,
			col("red_points", "红色预警落后百分点", "Red: points behind"), col("red_months", "红色预警延期开工月数", "Red: months late to start"),
			col("updated_at", "修改时间", "Updated")}},
		{"project_stages", "", "项目阶段记录", "Project stage history", []AuditColumn{id, col("project_id", "项目编号", "Project ID"),
			enum(col("from_stage", "原阶段", "From stage"), "stages"), enum(col("to_stage", "新阶段", "To stage"), "stages"),
			col("reason", "退库原因", "Reason"), col("actor", "操作人", "By"), col("at", "时间", "At")}},
		{"project_approval_steps", "", "项目联审联批环节", "Project approval steps", []AuditColumn{col("project_id", "项目编号", "Project ID"),
			col("step", "审批环节", "Step"), col("started", "开始日期", "Started"), col("finished", "办结日期", "Finished"),
			col("note", "备注", "Note")}},
		{"pool_decisions", "", "储备库季度调整决定", "Reserve pool decisions", []AuditColumn{col("year", "年度", "Year"),
			col("quarter", "季度", "Quarter"), col("project_id", "项目编号", "Project ID"), col("decision", "决定", "Decision"),
			col("reason", "原因", "Reason"), col("actor", "操作人", "By"), col("at", "时间", "At")}},
		{"waves", "", "集中开工批次", "Groundbreaking waves", []AuditColumn{col("year", "年度", "Year"), col("wave", "批次", "Wave"),
			col("starts", "开始日期", "Starts"), col("ends", "结束日期", "Ends"), col("updated_at", "修改时间", "Updated")}},
		{"project_waves", "", "项目所属集中开工批次", "Projects' groundbreaking waves", []AuditColumn{col("project_id", "项目编号", "Project ID"),
			col("year", "年度", "Year"), col("wave", "批次", "Wave")}},
		{"heating_seasons", "", "采暖季", "Heating seasons", []AuditColumn{col("year", "采暖季起始年度", "Season (start year)"),
			col("starts", "开始日期", "Starts"), col("ends", "结束日期", "Ends"), col("updated_at", "修改时间", "Updated")}},
		{"project_heating", "", "采暖季施工状态", "Heating-season construction", []AuditColumn{col("project_id", "项目编号", "Project ID"),
			col("season", "采暖季起始年度", "Season (start year)"), col("status", "施工状态", "Status"), col("permit_no", "特许施工许可编号", "Permit number"),
			col("scope", "许可施工范围", "Permitted scope"), col("actor", "操作人", "By"), col("updated_at", "修改时间", "Updated")}},
		{"project_cameras", "", "项目视频监控", "Project cameras", []AuditColumn{id, col("project_id", "项目编号", "Project ID"),
			col("name", "名称", "Name"), enum(col("kind", "类型", "Kind"), "camera_kinds"), col("url", "视频地址", "Stream URL"), created}},
		{"camera_snapshots", "", "监控抓拍", "Camera snapshots", []AuditColumn{id, col("camera_id", "摄像头编号", "Camera ID"),
			col("project_id", "项目编号", "Project ID"), col("taken_at", "抓拍时间", "Taken at"), col("content_type", "格式", "Format"),
			col("width", "宽(像素)", "Width (px)"), col("height", "高(像素)", "Height (px)"), col("size", "大小(字节)", "Size (bytes)")}},
		{"assessment_weights", "", "考核权重", "Assessment weights", []AuditColumn{col("year", "年度", "Year"),
			col("planning", "谋划(%)", "Planning (%)"), col("attraction", "招商(%)", "Attraction (%)"), col("approvals", "审批(%)", "Approvals (%)"),
			col("construction", "建设(%)", "Construction (%)"), col("completion", "竣工(%)", "Completion (%)"), col("updated_at", "修改时间", "Updated")}},
		{"assessment_overrides", "", "考核得分调整", "Assessment score overrides", []AuditColumn{col("year", "年度", "Year"), district,
			enum(col("item", "考核项", "Item"), "assessment_items"), col("score", "得分", "Score"), col("reason", "调整理由", "Reason"),
			col("actor", "操作人", "By"), col("updated_at", "修改时间", "Updated")}},
		{"road_speeds", "", "路网车速", "Road speeds", []AuditColumn{col("kind", "道路等级", "Road class"),
			col("kmh", "车速(km/h)", "Speed (km/h)")}},
		{"tours", "", "观摩活动", "Observation tours", []AuditColumn{id, col("name", "活动名称", "Name"), col("day", "观摩日期", "Day"),
			col("start_time", "出发时间", "Start time"), col("start_name", "出发地", "Start"), shape("start_point", "出发地点位", "Start point"),
			col("dwell_minutes", "每站停留(分钟)", "Dwell (minutes)"), col("version", "版本", "Version"), col("created_by", "创建人", "Created by"),
			col("updated_at", "修改时间", "Updated")}},
		{"tour_stops", "", "观摩点位", "Tour stops", []AuditColumn{col("tour_id", "观摩活动编号", "Tour ID"),
			col("project_id", "项目编号", "Project ID"), col("position", "观摩顺序", "Position")}},
		{"tour_scores", "", "观摩评分", "Tour scores", []AuditColumn{col("tour_id", "观摩活动编号", "Tour ID"),
			col("project_id", "项目编号", "Project ID"), col("judge", "评委", "Judge"), col("score", "得分", "Score"),
			col("scored_at", "评分时间", "Scored at")}},
		{"project_photos", "", "项目月度进度照片", "Monthly progress photos", []AuditColumn{id, col("project_id", "项目编号", "Project ID"),
			col("month", "月份", "Month"), col("media_type", "图片格式", "Image type"), col("width", "宽度(像素)", "Width (px)"),
			col("height", "高度(像素)", "Height (px)"), col("bytes", "大小(字节)", "Size (bytes)"), col("sha256", "SHA-256 校验值", "SHA-256"),
			col("caption", "照片说明", "Caption"), shape("location", "拍摄位置", "Taken at (place)"), col("taken_at", "拍摄时间", "Taken at (time)"),
			col("created_by", "上传人", "Uploaded by"), col("created_at", "上传时间", "Uploaded")}},
		{"calendar_years", "", "节假日日历年度", "Holiday calendar years", []AuditColumn{col("year", "年度", "Year"),
			col("notice", "放假通知", "Notice"), col("updated_at", "修改时间", "Updated")}},
		{"calendar_days", "", "节假日与调休上班日", "Holidays and make-up working days", []AuditColumn{col("day", "日期", "Date"),
			col("year", "年度", "Year"), col("kind", "类型", "Kind"), col("name", "节日", "Festival")}},
		{"districts", "districts", "县区与功能区", "Districts", []AuditColumn{shape("seat", "驻地", "Seat"), geom, area}},
		{"transport", "transport", "交通", "Transport", []AuditColumn{enum(col("kind", "类型", "Kind"), "transport_kinds"), geom}},
		{"basemap_provinces", "", "底图省级行政区", "Base map provinces", []AuditColumn{id, col("name", "名称", "Name"),
			col("name_en", "英文名称", "English name"), geom, shape("label", "注记点", "Label point")}},
		{"basemap_prefectures", "", "底图地级行政区", "Base map prefectures", []AuditColumn{id, col("name", "名称", "Name"),
			col("province", "所属省份", "Province"), geom, shape("label", "注记点", "Label point")}},
		{"landuse_systems", "", "用地分类体系", "Land-use classification systems", []AuditColumn{col("system", "分类体系", "System"),
			col("name", "名称", "Name")}},
		{"landuse_classes", "", "用地分类", "Land-use classes", []AuditColumn{col("system", "分类体系", "System"),
			col("code", "用地代码", "Code"), col("name", "用地类型", "Class"), col("parent", "上级代码", "Parent code"),
			col("construction", "建设用地", "Construction land")}},
		{"landuse", "landuse", "国土空间规划用地", "Land-use plan", []AuditColumn{geom}},
		{"control_lines", "controls", "三区三线", "Control lines", []AuditColumn{enum(col("kind", "类型", "Kind"), "control_kinds"),
			district, geom}},
		{"control_zones", "", "建设用地管制区", "Construction control zones", []AuditColumn{id, col("code", "管制区代码", "Zone code"),
			col("plan", "所属规划", "Plan"), geom}},
		{"compliance_settings", "", "用地合规审查设置", "Land compliance check settings", []AuditColumn{id,
			col("severity", "严重程度表", "Severity table"), col("tolerance_m2", "碎片容差(m²)", "Sliver tolerance (m²)"),
			col("tolerance_share", "碎片容差比例", "Sliver tolerance share"), col("updated_at", "修改时间", "Updated")}},
		{"quotas", "", "年度建设用地指标", "Annual construction-land quotas", []AuditColumn{district, col("year", "年度", "Year"),
			col("quota_mu", "指标(亩)", "Quota (mu)")}},
		{"parks", "parks", "园区", "Parks", []AuditColumn{district, col("leading_industries", "主导产业", "Leading industries"),
			col("model", "开发模式", "Development model"), geom, area}},
		{"parcels", "parcels", "招商地块", "Parcels", []AuditColumn{district, col("park_id", "所属园区编号", "Park ID"),
			enum(col("supply_status", "供应状态", "Supply status"), "supply_statuses"), enum(col("utilities", "七通一平", "Utilities"), "utilities"),
			col("landuse_system", "用地分类体系", "Land-use system"), col("plot_ratio_min", "容积率下限", "Plot ratio from"),
			col("plot_ratio_max", "容积率上限", "Plot ratio to"), geom, area}},
		{"enclaves", "enclaves", "飞地园区", "Enclaves", []AuditColumn{enum(col("home_district_id", "飞出地", "Home district"), "districts"),
			enum(col("host_district_id", "飞入地", "Host district"), "districts"), col("agreement_date", "协议日期", "Agreement date"),
			col("term_years", "期限(年)", "Term (years)"), enum(col("quota_district_id", "使用指标的县区", "Quota of district"), "districts"),
			geom, area, col("version", "版本", "Version")}},
		{"enclave_shares", "", "飞地分成比例", "Enclave shares", []AuditColumn{col("enclave_id", "飞地编号", "Enclave ID"),
			col("item", "分成事项", "Item"), col("from_year", "起始年度", "From year"), col("home_pct", "飞出地分成(%)", "Home share (%)"),
			col("host_pct", "飞入地分成(%)", "Host share (%)")}},
		{"project_figures", "", "项目年度增加值与税收", "Projects' annual value added and tax", []AuditColumn{
			col("project_id", "项目编号", "Project ID"), col("year", "年度", "Year"), col("value_added", "增加值(万元)", "Value added (10k yuan)"),
			col("tax", "税收(万元)", "Tax (10k yuan)"), col("actor", "操作人", "By"), col("updated_at", "修改时间", "Updated")}},
		{"firms", "firms", "目标企业", "Target firms", []AuditColumn{enum(col("tags", "标签", "Tags"), "firm_tags"),
			enum(col("stage", "对接阶段", "Stage"), "firm_stages"), shape("geom", "位置", "Location")}},
		{"firm_parks", "", "企业关联园区", "Firms' parks", []AuditColumn{col("firm_id", "企业编号", "Firm ID"), col("park_id", "园区编号", "Park ID")}},
		{"firm_parcels", "", "企业关联地块", "Firms' parcels", []AuditColumn{col("firm_id", "企业编号", "Firm ID"),
			col("parcel_id", "地块编号", "Parcel ID")}},
		{"firm_stages", "", "企业对接阶段记录", "Firm stage history", []AuditColumn{id, col("firm_id", "企业编号", "Firm ID"),
			enum(col("from_stage", "原阶段", "From stage"), "firm_stages"), enum(col("to_stage", "新阶段", "To stage"), "firm_stages"),
			col("note", "说明", "Note"), col("actor", "操作人", "By"), col("at", "时间", "At")}},
		{"industry_chains", "", "园区产业链", "Parks' industry chains", []AuditColumn{id, col("park_id", "园区编号", "Park ID"),
			col("name", "产业链", "Chain")}},
		{"chain_links", "", "产业链环节", "Industry chain links", []AuditColumn{col("chain_id", "产业链编号", "Chain ID"),
			col("position", "环节顺序", "Position"), col("industry", "产业环节", "Industry"), col("mark", "强链/补链/延链", "Mark")}},
		{"users", "", "用户", "Users", []AuditColumn{id, col("username", "用户名", "User name"), col("display_name", "姓名", "Name"),
			roles, district, col("disabled", "已停用", "Disabled"), col("default_password", "默认密码", "Default password"), created,
			col("password_changed_at", "密码修改时间", "Password changed")}},
		{"api_tokens", "", "API 令牌", "API tokens", []AuditColumn{id, col("user_id", "用户编号", "User ID"), col("name", "名称", "Name"),
			roles, created, expires, revoked, col("last_used_at", "最近使用时间", "Last used")}},
		{"share_links", "", "分享链接", "Share links", []AuditColumn{id, col("title", "标题", "Title"), col("created_by", "创建人编号", "Created by"),
			col("parcel_ids", "地块", "Parcels"), col("park_ids", "园区", "Parks"), col("fields", "展示字段", "Fields"), created, expires, revoked,
			col("confirm_unoffered_prices", "确认展示未公开价格", "Unoffered prices confirmed")}},
	}
	out := make([]AuditTable, 0, len(specs))
	for _, s := range specs {
		t := AuditTable{Name: s.name, ZH: s.zh, EN: s.en, Columns: s.cols}
		a, _ := reg.Aggregate(s.kind)
		for _, f := range a.Fields {
			if !slices.ContainsFunc(t.Columns, func(c AuditColumn) bool { return c.Name == f.Name }) {
				t.Columns = append(t.Columns, col(f.Name, f.Label(), f.LabelEN()))
			}
		}
		out = append(out, t)
	}
	return out
}

// AuditTables lists the audited tables with their labels.
func (s *Service) AuditTables() []AuditTable { return AuditTables(s.set.Registry) }

// Audit returns entries of the audit log, newest first: at most
// f.Limit, 200 if it is not 1 to 1000. A table that is not one of
// AuditTables is KindInvalid ("unknown_table").
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Table != "" && !slices.ContainsFunc(s.AuditTables(), func(t AuditTable) bool { return t.Name == f.Table }) {
		return nil, geo.Invalid("unknown_table", "审计日志不记录数据表 %q", "the audit log records no table %q", f.Table)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.st.Audit.Audit(ctx, f)
}
