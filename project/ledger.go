package project

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// Values are a project's fields as they come from outside, by the field
// registry's names (as GET /api/projects/{id} answers them): a GeoJSON
// Feature's properties or a row of the ledger's Excel workbook. A nil
// value, or one of blanks only, empties the field. Stages and categories
// may be given by id (building) or by Chinese name (在建); "district"
// names a district by its name or code, "district_id" by its id; "lon"
// and "lat" place a project that has no site.
type Values map[string]*string

// editable lists, in the order their errors are reported, the fields
// that Values may set.
func editable() []string {
	return []string{"code", "name", "stage", "category", "district_id", "district", "leader", "responsible_unit",
		"owner", "owner_contact", "industry", "total_investment", "annual_plan", "planned_start", "planned_finish",
		"actual_start", "actual_finish", "withdrawn_reason", "intended_system", "intended_code", "lon", "lat"}
}

// FieldError is what is wrong with one field.
type FieldError = geo.FieldError

func fieldError(field, code, zh, en string, args ...any) FieldError {
	return geo.NewFieldError(field, code, zh, en, args...)
}

// fromError is the FieldError of field for err, a *geo.Error of a check.
func fromError(field string, err error) *FieldError {
	e := err.(*geo.Error)
	return &FieldError{Field: field, Code: e.Code, Message: e.Message, MessageEN: e.MessageEN}
}

// Limits of a project's values.
const (
	maxText   = 200 // characters of a name, a unit, a leader, …
	maxReason = 500 // characters of a reason for withdrawal
)

// code is the grammar of the national approval platform's project code
// (项目代码): year, the 6-digit division code, the 2-digit industry code,
// the 2-digit project type and a 6-digit serial, e.g.
// 2018-411102-13-03-012345.
var code = regexp.MustCompile(`^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$`)

// CheckCode checks a project code of the national approval platform:
// KindInvalid ("bad_code") with what is wrong.
func CheckCode(s string) error {
	m := code.FindStringSubmatch(s)
	if m == nil {
		return geo.Invalid("bad_code", "项目代码格式应为“年份-6位区划代码-2位行业代码-2位项目类型-6位流水号”，如 2018-411102-13-03-012345",
			"a project code reads year-division-industry-type-serial, e.g. 2018-411102-13-03-012345")
	}
	year, _ := strconv.Atoi(m[1])
	prov, _ := strconv.Atoi(m[2][:2])
	switch {
	case year < 2000 || year > 2100:
		return geo.Invalid("bad_code", "项目代码的年份 %s 无效（2000–2100）", "the project code's year %s is not from 2000 to 2100", m[1])
	case prov < 11 || prov > 82 || m[2][2:] == "0000" && prov == 0:
		return geo.Invalid("bad_code", "项目代码的区划代码 %s 无效", "the project code's division %s is not a division code", m[2])
	case m[5] == "000000":
		return geo.Invalid("bad_code", "项目代码的流水号不能为 000000", "the project code's serial cannot be 000000")
	}
	return nil
}

// text reads a text value: trimmed, at most limit characters.
func text(field string, v *string, limit int) (string, *FieldError) {
	return geo.FieldText(field, v, limit)
}

// ParseDate parses a date of the ledger, YYYY-MM-DD from 2000 to 2100;
// the empty string is no date (the zero time).
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, geo.Invalid("bad_date", "日期 %q 无效（格式 2026-01-31，2000–2100 年）", "invalid date %q (2026-01-31, 2000 to 2100)", s)
	}
	return d, nil
}

// apply sets the fields that v gives on pr, with the districts ds to
// resolve a district by; it reports each value that cannot be read.
// moved tells whether v placed the project by lon and lat.
func (pr *Project) apply(v Values, ds []geo.District) (errs []FieldError, moved bool) {
	for name := range v {
		if !slices.Contains(editable(), name) {
			errs = append(errs, fieldError(name, "read_only", "不能修改（只读字段或未知字段）", "cannot be set (read-only or unknown)"))
		}
	}
	for _, name := range editable() {
		raw, ok := v[name]
		if !ok {
			continue
		}
		limit := maxText
		if name == "withdrawn_reason" {
			limit = maxReason
		}
		s, fe := text(name, raw, limit)
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		if e := pr.set(name, s, ds); e != nil {
			errs = append(errs, *e)
		}
		moved = moved || name == "lon" || name == "lat"
	}
	if u := pr.IntendedUse; u != nil && *u == (land.Code{}) {
		pr.IntendedUse = nil
	}
	return errs, moved
}

// set sets one field from its text s (trimmed, "" for none).
func (pr *Project) set(name, s string, ds []geo.District) *FieldError {
	bad := func(code, zh, en string, args ...any) *FieldError {
		fe := fieldError(name, code, zh, en, args...)
		return &fe
	}
	switch name {
	case "code":
		if s != "" {
			if err := CheckCode(s); err != nil {
				return fromError(name, err)
			}
		}
		pr.Code = s
	case "name":
		pr.Name = s
	case "stage":
		id, ok := geo.LabelID(geo.Stages(), s)
		if !ok {
			return bad("bad_stage", "项目阶段 %q 无效，应为储备、前期、在建、竣工投产或退库", "invalid stage %q", s)
		}
		pr.Stage = geo.Stage(id)
	case "category":
		id, ok := geo.LabelID(geo.Categories(), s)
		if !ok {
			return bad("bad_category", "项目类别 %q 无效，应为重大规划建设、重大招商引资或重大产业发展", "invalid category %q", s)
		}
		pr.Category = geo.Category(id)
	case "district_id", "district":
		i := slices.IndexFunc(ds, func(d geo.District) bool {
			if name == "district_id" {
				return d.ID.String() == s
			}
			return d.Name == s || d.Code == s
		})
		if i < 0 {
			return bad("bad_district", "县区 %q 不存在", "no district %q", s)
		}
		pr.DistrictID = ds[i].ID
	case "leader":
		pr.Leader = s
	case "responsible_unit":
		pr.ResponsibleUnit = s
	case "owner":
		pr.Owner = s
	case "owner_contact":
		pr.OwnerContact = s
	case "industry":
		pr.Industry = s
	case "total_investment", "annual_plan":
		d := geo.Dec(0)
		if s != "" {
			s = strings.ReplaceAll(s, ",", "")
			zh, en := "总投资", "The total investment"
			if name == "annual_plan" {
				zh, en = "年度计划", "The annual plan"
			}
			if err := amount(name, zh, en, s); err != nil {
				return fromError(name, err)
			}
			d, _ = geo.ParseDec(s)
		}
		if name == "total_investment" {
			pr.TotalInvestment = d
		} else {
			pr.AnnualPlan = d
		}
	case "planned_start", "planned_finish", "actual_start", "actual_finish":
		d, err := ParseDate(s)
		if err != nil {
			return fromError(name, err)
		}
		*map[string]*time.Time{"planned_start": &pr.PlannedStart, "planned_finish": &pr.PlannedFinish,
			"actual_start": &pr.ActualStart, "actual_finish": &pr.ActualFinish}[name] = d
	case "withdrawn_reason":
		pr.WithdrawnReason = s
	case "intended_system", "intended_code":
		if pr.IntendedUse == nil {
			pr.IntendedUse = &land.Code{}
		}
		if name == "intended_system" {
			pr.IntendedUse.System = s
		} else {
			pr.IntendedUse.Code = s
		}
	case "lon", "lat":
		f, err := strconv.ParseFloat(s, 64)
		lim := map[string]float64{"lon": 180, "lat": 90}[name]
		if err != nil || math.IsNaN(f) || math.Abs(f) > lim {
			return bad("bad_location", "坐标 %q 无效：须为经纬度（CGCS2000）", "coordinate %q must be a longitude or latitude (CGCS2000)", s)
		}
		if name == "lon" {
			pr.Point[0] = f
		} else {
			pr.Point[1] = f
		}
	}
	return nil
}

// check checks the whole project as it would be kept, on day today:
// what is missing, what cannot be, and what the stage requires.
func (pr *Project) check(today time.Time) []FieldError {
	var errs []FieldError
	add := func(field, code, zh, en string, args ...any) {
		errs = append(errs, fieldError(field, code, zh, en, args...))
	}
	for _, r := range []struct {
		field, value string
	}{{"name", pr.Name}, {"stage", string(pr.Stage)}, {"category", string(pr.Category)},
		{"leader", pr.Leader}, {"responsible_unit", pr.ResponsibleUnit}, {"owner", pr.Owner}} {
		if r.value == "" {
			add(r.field, "required", "必填", "is required")
		}
	}
	if pr.DistrictID == 0 {
		add("district_id", "required", "必填", "is required")
	}
	if pr.TotalInvestment <= 0 {
		add("total_investment", "required", "须大于 0", "must be more than 0")
	}
	if pr.AnnualPlan > pr.TotalInvestment && pr.TotalInvestment > 0 {
		add("annual_plan", "bad_amount", "年度计划（%s 万元）不能超过总投资（%s 万元）", "the annual plan (%s) exceeds the total investment (%s)", pr.AnnualPlan, pr.TotalInvestment)
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	if !pr.PlannedStart.IsZero() && !pr.PlannedFinish.IsZero() && pr.PlannedFinish.Before(pr.PlannedStart) {
		add("planned_finish", "bad_date", "计划竣工（%s）早于计划开工（%s）", "the planned finish (%s) is before the planned start (%s)", day(pr.PlannedFinish), day(pr.PlannedStart))
	}
	if !pr.ActualStart.IsZero() && !pr.ActualFinish.IsZero() && pr.ActualFinish.Before(pr.ActualStart) {
		add("actual_finish", "bad_date", "实际竣工（%s）早于实际开工（%s）", "the actual finish (%s) is before the actual start (%s)", day(pr.ActualFinish), day(pr.ActualStart))
	}
	for _, d := range []struct {
		field string
		t     time.Time
	}{{"actual_start", pr.ActualStart}, {"actual_finish", pr.ActualFinish}} {
		if d.t.After(today) {
			add(d.field, "bad_date", "实际日期 %s 晚于今天", "the actual date %s is in the future", day(d.t))
		}
	}
	if pr.ActualStart.IsZero() && !pr.ActualFinish.IsZero() {
		add("actual_start", "required", "已填实际竣工，须填实际开工", "an actual finish needs an actual start")
	}
	if pr.Stage == geo.StageWithdrawn && pr.WithdrawnReason == "" {
		add("withdrawn_reason", "required", "退库须填写原因", "a withdrawn project needs a reason")
	}
	if pr.Stage != geo.StageWithdrawn && pr.WithdrawnReason != "" && pr.Stage != "" {
		add("withdrawn_reason", "not_withdrawn", "只有退库的项目填写退库原因", "only a withdrawn project has a reason for withdrawal")
	}
	if u := pr.IntendedUse; u != nil && (u.System == "") != (u.Code == "") {
		add("intended_code", "required", "拟用地分类体系与类型代码须同时填写", "the intended land-use system and code go together")
	}
	if pr.Site == nil && pr.Point == (orb.Point{}) {
		add("site", "required", "须给出项目位置：在地图上绘制用地范围、上传 GeoJSON 或填写经纬度", "the project needs a place: a site drawn or uploaded, or a longitude and latitude")
	}
	return errs
}

// stageNeeds checks what a project entering its stage needs: an actual
// start under construction, an actual finish in operation, a reason
// when withdrawn. (Kept rows that entered their stage before these rules
// are not held to them by an edit that leaves the stage alone.)
func (pr *Project) stageNeeds() []FieldError {
	var errs []FieldError
	add := func(field, code, zh, en string, args ...any) {
		errs = append(errs, fieldError(field, code, zh, en, args...))
	}
	switch pr.Stage {
	case geo.StageBuilding, geo.StageOperating:
		if pr.ActualStart.IsZero() {
			add("actual_start", "required", "在建或投产的项目须填实际开工日期", "a project under construction or in operation needs its actual start")
		}
	}
	if pr.Stage == geo.StageOperating && pr.ActualFinish.IsZero() {
		add("actual_finish", "required", "竣工投产的项目须填实际竣工日期", "a project in operation needs its actual finish")
	}
	if (pr.Stage == geo.StageReserve || pr.Stage == geo.StagePreparing) && !pr.ActualFinish.IsZero() {
		add("actual_finish", "bad_date", "尚未开工的项目不能有实际竣工日期", "a project not yet started has no actual finish")
	}
	return errs
}

// CheckTransition checks a stage change: stages move one step along
// 储备 → 前期 → 在建 → 投产, a project may be withdrawn (退库) from any
// stage, and a withdrawn project moves no more. KindInvalid
// ("bad_transition") otherwise.
func CheckTransition(from, to geo.Stage) error {
	if from == to {
		return nil
	}
	order := []geo.Stage{geo.StageReserve, geo.StagePreparing, geo.StageBuilding, geo.StageOperating}
	i, j := slices.Index(order, from), slices.Index(order, to)
	switch {
	case from == geo.StageWithdrawn:
		return geo.Invalid("bad_transition", "项目已退库，阶段不能再变更", "a withdrawn project's stage cannot change")
	case to == geo.StageWithdrawn || i >= 0 && j == i+1:
		return nil
	}
	return geo.Invalid("bad_transition", "项目阶段须依次推进：储备 → 前期 → 在建 → 投产（或退库）；不能从%s改为%s",
		"stages move one step at a time, 储备 → 前期 → 在建 → 投产 (or 退库); not from %s to %s", stageZH(from), stageZH(to))
}
