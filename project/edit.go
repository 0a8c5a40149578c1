package project

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Edit is a new project or a change to one: the fields it gives and, if
// not nil, its place in CGCS2000 longitude and latitude: a point, or a
// site (a polygon or multipolygon).
type Edit struct {
	Values   Values
	Geometry orb.Geometry
}

// Idempotency makes a create safe to retry: a second create with the same
// key by the same user answers the project the first made. Fingerprint
// tells the requests apart: the same key with another request is refused.
type Idempotency struct {
	Key         string
	Fingerprint []byte
}

// check checks an Idempotency-Key: 1 to 255 visible ASCII characters.
func (k Idempotency) check() error {
	if k.Key == "" || len(k.Key) > 255 || strings.IndexFunc(k.Key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return geo.Invalid("bad_idempotency_key", "Idempotency-Key 须为 1–255 个可见 ASCII 字符", "an Idempotency-Key is 1 to 255 visible ASCII characters")
	}
	return nil
}

// SiteCheck is what the database finds of a project's place.
type SiteCheck struct {
	// Problem is why the geometry is not valid, as PostGIS says it
	// (e.g. "Self-intersection[113.95 33.6]"); "": valid.
	Problem string
	// Repaired is the valid shape nearest an invalid site.
	Repaired orb.MultiPolygon
	// InCity: inside the districts' outlines (a site may stick out by 1%
	// of its area).
	InCity bool
	// Districts are the districts the place's representative point lies
	// in (their ID and Name).
	Districts []geo.District
}

// StageChange is a move of a project's stage, for its history.
type StageChange struct {
	From   geo.Stage // "": a new project
	To     geo.Stage
	Reason string // why a project was withdrawn
}

// StageEntry is one line of a project's stage history: when, by whom.
type StageEntry struct {
	From   *geo.Stage `json:"from"`
	To     geo.Stage  `json:"to"`
	Reason *string    `json:"reason"`
	Actor  string     `json:"actor"`
	At     time.Time  `json:"at"`
}

// Stale is what a change made on an old version finds: the project as it
// is now and the fields changed since the version the change was made
// on (nil: not known).
type Stale struct {
	Current View     `json:"current"`
	Changed []string `json:"changed"`
}

// Filter narrows the ledger: empty parts take every project.
type Filter struct {
	Stages     []geo.Stage
	Categories []geo.Category
	Districts  []string // district codes
	Leaders    []string
	// Levels are warning levels, as last assessed (none: green).
	Levels []string
	// Started and Finished are years (YYYY) of the actual start and
	// finish.
	Started, Finished []string
	// Query finds projects by a part of the name or the start of the
	// project code.
	Query string
	// Limit bounds the number of projects; 0: MaxList.
	Limit int
}

// MaxList bounds a listing or an export of the ledger.
const MaxList = 20000

// Check checks a filter: KindInvalid with what is wrong.
func (f Filter) Check() error {
	for _, s := range f.Stages {
		if !s.Valid() {
			return geo.Invalid("bad_stage", "项目阶段无效：%q", "invalid stage %q", s)
		}
	}
	for _, c := range f.Categories {
		if !c.Valid() {
			return geo.Invalid("bad_category", "项目类别无效：%q", "invalid category %q", c)
		}
	}
	for _, l := range f.Levels {
		if !geo.Has(geo.WarningLevels(), l) {
			return geo.Invalid("bad_filter", "预警等级无效：%q", "invalid warning level %q", l)
		}
	}
	for _, y := range slices.Concat(f.Started, f.Finished) {
		if _, err := ParseYear(y); err != nil {
			return err
		}
	}
	if len(f.Stages) > 20 || len(f.Categories) > 20 || len(f.Districts) > 20 || len(f.Leaders) > 20 ||
		len(f.Levels) > 20 || len(f.Started) > 20 || len(f.Finished) > 20 {
		return geo.Invalid("bad_filter", "筛选条件过多（每项最多 20 个）", "too many filter values (20 each at most)")
	}
	if utf8.RuneCountInString(f.Query) > 100 {
		return geo.Invalid("bad_filter", "搜索词不超过 100 个字", "the search has at most 100 characters")
	}
	if f.Limit < 0 || f.Limit > MaxList {
		return geo.Invalid("bad_filter", "条数须为 1–%d", "the limit is 1 to %d", MaxList)
	}
	return nil
}

// Write is one write of an import: a new project (Version 0) or a
// change to one made on Version, with its stage change if any.
type Write struct {
	Project Project
	Version int
	Stage   *StageChange
}

// WriteError is the failure of the write at Index of an import.
type WriteError struct {
	Index int
	Err   error
}

func (e *WriteError) Error() string { return fmt.Sprintf("write %d: %v", e.Index, e.Err) }
func (e *WriteError) Unwrap() error { return e.Err }

// Ledger is the store of the ledger's writes. Row security limits every
// call to what the principal may see and change.
type Ledger interface {
	// Districts returns the districts (see postgis.DB.Districts).
	Districts(ctx context.Context) ([]geo.District, orb.Bound, bool, error)
	// ProjectRecord returns a project's aggregate with its version;
	// KindNotFound if p may not see it.
	ProjectRecord(ctx context.Context, p geo.Principal, id geo.ID) (Project, error)
	// ProjectRecords returns the aggregates with their versions of the
	// projects of ids that p may see, by id.
	ProjectRecords(ctx context.Context, p geo.Principal, ids []geo.ID) ([]Project, error)
	// CheckSites checks places: their validity and the districts they
	// are in.
	CheckSites(ctx context.Context, gs []orb.Geometry) ([]SiteCheck, error)
	// CreateProject keeps a new checked project; with a key, once per key
	// and user: a retry answers the first project and created false.
	// KindConflict for a key given with another request or a project
	// code in use, KindForbidden where p may not create it.
	CreateProject(ctx context.Context, p geo.Principal, pr Project, key *Idempotency) (v View, created bool, err error)
	// SaveProject keeps a checked project changed on version;
	// KindPreconditionFailed if it changed since, KindNotFound,
	// KindForbidden, KindConflict for a project code in use.
	SaveProject(ctx context.Context, p geo.Principal, pr Project, version int, stage *StageChange) (View, error)
	// ProjectChanges lists the fields of a project changed since a
	// version (nil: not known).
	ProjectChanges(ctx context.Context, p geo.Principal, id geo.ID, since int) ([]string, error)
	// ListProjects lists the projects of a checked filter, by id.
	ListProjects(ctx context.Context, p geo.Principal, f Filter) ([]View, error)
	// ProjectStages returns a project's stage history, oldest first.
	ProjectStages(ctx context.Context, p geo.Principal, id geo.ID) ([]StageEntry, error)
	// ImportProjects makes the writes in one transaction, all or none; a
	// failing write is a *WriteError.
	ImportProjects(ctx context.Context, p geo.Principal, ws []Write) error
}

// cityDay is the day of t in the city, at midnight UTC as the ledger's,
// the blockers' and the approval steps' dates are.
func cityDay(t time.Time) time.Time {
	y, m, d := t.In(geo.CityZone()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// fieldsError is the KindInvalid error of field errors (geo.FieldsError).
func fieldsError(errs []FieldError) error { return geo.FieldsError(errs) }

// place sets the project's place from a GeoJSON geometry: a point, or a
// site whose point the store puts on it.
func place(pr *Project, g orb.Geometry) *FieldError {
	bad := fieldError("site", "bad_geometry", "项目位置须为点、面（Polygon）或多面（MultiPolygon），坐标为 CGCS2000 经纬度",
		"a project's place is a Point, Polygon or MultiPolygon in CGCS2000 longitude and latitude")
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Point:
		if !lonLat(g) {
			return &bad
		}
		pr.Site, pr.Point = nil, g
		return nil
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return &bad
	}
	if len(mp) == 0 {
		return &bad
	}
	for _, poly := range mp {
		if len(poly) == 0 {
			return &bad
		}
		for _, ring := range poly {
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				fe := fieldError("site", "bad_geometry", "用地范围的每个环须至少 4 个点且首尾相同（闭合）", "each ring of a site has at least 4 points and is closed")
				return &fe
			}
			for _, pt := range ring {
				if !lonLat(pt) {
					return &bad
				}
			}
		}
	}
	pr.Site, pr.Point = mp, orb.Point{}
	return nil
}

// lonLat reports whether pt is a longitude and a latitude.
func lonLat(pt orb.Point) bool {
	return !math.IsNaN(pt[0]) && !math.IsNaN(pt[1]) && math.Abs(pt[0]) <= 180 && math.Abs(pt[1]) <= 90 && pt != orb.Point{}
}

// checkPlace checks a project's place with the database: a valid shape
// (or the repaired one offered), inside the city, in its district.
func (s *Service) checkPlace(ctx context.Context, pr Project, ds []geo.District) (*FieldError, map[string]any, error) {
	scs, err := s.store.CheckSites(ctx, []orb.Geometry{placeOf(pr)})
	if err != nil {
		return nil, nil, err
	}
	fe, details := placeFault(pr, scs[0], ds)
	return fe, details, nil
}

// placeOf is the geometry of a project's place: its site, or its point.
func placeOf(pr Project) orb.Geometry {
	if pr.Site != nil {
		return pr.Site
	}
	return pr.Point
}

// placeFault is what is wrong with a project's place as sc found it, or
// nil.
func placeFault(pr Project, sc SiteCheck, ds []geo.District) (*FieldError, map[string]any) {
	if sc.Problem != "" {
		fe := FieldError{Field: "site", Code: "bad_site",
			Message:   "用地范围图形无效：" + geo.GeometryProblemZH(sc.Problem) + "。可改用系统修复后的图形（见 repaired）",
			MessageEN: "the site is not a valid shape: " + sc.Problem + "; the repaired shape is offered"}
		return &fe, map[string]any{"repaired": geojson.NewGeometry(sc.Repaired), "problem": sc.Problem}
	}
	if !sc.InCity {
		fe := fieldError("site", "outside_city", "项目位置超出本市行政区范围", "the project's place lies outside the city")
		return &fe, nil
	}
	if !slices.ContainsFunc(sc.Districts, func(d geo.District) bool { return d.ID == pr.DistrictID }) {
		chosen, in := pr.DistrictID.String(), make([]string, len(sc.Districts))
		for _, d := range ds {
			if d.ID == pr.DistrictID {
				chosen = d.Name
			}
		}
		for i, d := range sc.Districts {
			in[i] = d.Name
		}
		fe := fieldError("district_id", "wrong_district", "项目位置位于%s，不在所填县区%s内", "the project lies in %s, not in %s", strings.Join(in, "、"), chosen)
		return &fe, nil
	}
	return nil, nil
}

// Create makes a new project from an edit; with a key, once. KindInvalid
// with every field at fault ("fields" in Details; a repaired shape as
// "repaired" for an invalid site), else as Ledger.CreateProject.
func (s *Service) Create(ctx context.Context, p geo.Principal, e Edit, key *Idempotency) (View, bool, error) {
	if key != nil {
		if err := key.check(); err != nil {
			return View{}, false, err
		}
	}
	ds, _, _, err := s.store.Districts(ctx)
	if err != nil {
		return View{}, false, err
	}
	var pr Project
	errs, _ := pr.apply(e.Values, ds)
	if e.Geometry != nil {
		if fe := place(&pr, e.Geometry); fe != nil {
			errs = append(errs, *fe)
		}
	}
	errs = append(errs, pr.check(s.today())...)
	errs = append(errs, pr.stageNeeds()...)
	if pr.Stage == geo.StageWithdrawn {
		errs = append(errs, fieldError("stage", "bad_transition", "新项目不能直接退库", "a new project cannot be withdrawn"))
	}
	if len(errs) > 0 {
		return View{}, false, fieldsError(errs)
	}
	fe, details, err := s.checkPlace(ctx, pr, ds)
	if err != nil {
		return View{}, false, err
	}
	if fe != nil {
		return View{}, false, placeError(*fe, details)
	}
	v, created, err := s.store.CreateProject(ctx, p, pr, key)
	if err != nil {
		return v, created, err
	}
	v, err = s.assessed(ctx, p, v)
	return v, created, err
}

// placeError is the error of a place at fault, with its details.
func placeError(fe FieldError, details map[string]any) error {
	err := fieldsError([]FieldError{fe}).(*geo.Error)
	if details != nil {
		details["fields"] = []FieldError{fe}
		err.Details = details
	}
	return err
}

// Update changes a project made on version: KindPreconditionFailed (with
// Stale in Details) if it changed since, KindInvalid as Create and for a
// stage that cannot follow, KindNotFound, KindForbidden.
func (s *Service) Update(ctx context.Context, p geo.Principal, id geo.ID, version int, e Edit) (View, error) {
	cur, err := s.store.ProjectRecord(ctx, p, id)
	if err != nil {
		return View{}, err
	}
	if cur.Version != version {
		return View{}, s.stale(ctx, p, id, version)
	}
	ds, _, _, err := s.store.Districts(ctx)
	if err != nil {
		return View{}, err
	}
	next := clone(cur)
	errs, moved := next.apply(e.Values, ds)
	if moved && next.Site != nil && e.Geometry == nil {
		errs = append(errs, fieldError("site", "site_decides", "已有用地范围的项目，位置由用地范围决定", "a project with a site is placed by its site"))
	}
	if e.Geometry != nil {
		if fe := place(&next, e.Geometry); fe != nil {
			errs = append(errs, *fe)
		}
	}
	errs = append(errs, next.check(s.today())...)
	errs = append(errs, transition(cur, next)...)
	if len(errs) > 0 {
		return View{}, fieldsError(errs)
	}
	if e.Geometry != nil || moved || next.DistrictID != cur.DistrictID {
		fe, details, err := s.checkPlace(ctx, next, ds)
		if err != nil {
			return View{}, err
		}
		if fe != nil {
			return View{}, placeError(*fe, details)
		}
	}
	v, err := s.store.SaveProject(ctx, p, next, version, stageChange(cur, next))
	if geo.KindOf(err) == geo.KindPreconditionFailed {
		return View{}, s.stale(ctx, p, id, version)
	}
	if err != nil {
		return v, err
	}
	return s.assessed(ctx, p, v)
}

// transition checks a change of stage from cur to next: the move itself
// and what the new stage needs.
func transition(cur, next Project) []FieldError {
	if cur.Stage == next.Stage {
		return nil
	}
	if err := CheckTransition(cur.Stage, next.Stage); err != nil {
		ge := err.(*geo.Error)
		return []FieldError{{Field: "stage", Code: ge.Code, Message: ge.Message, MessageEN: ge.MessageEN}}
	}
	return next.stageNeeds()
}

// clone copies a project so that changing the copy leaves it alone.
func clone(pr Project) Project {
	c := pr
	if pr.IntendedUse != nil {
		u := *pr.IntendedUse
		c.IntendedUse = &u
	}
	return c
}

// stageChange is the stage change from cur to next, if any.
func stageChange(cur, next Project) *StageChange {
	if cur.Version != 0 && cur.Stage == next.Stage {
		return nil
	}
	sc := &StageChange{From: cur.Stage, To: next.Stage}
	if next.Stage == geo.StageWithdrawn {
		sc.Reason = next.WithdrawnReason
	}
	return sc
}

// stale is the KindPreconditionFailed error of a change made on version
// since: the project as it is and what changed.
func (s *Service) stale(ctx context.Context, p geo.Principal, id geo.ID, since int) error {
	v, err := s.store.Project(ctx, p, id)
	if err != nil {
		return err
	}
	changed, err := s.store.ProjectChanges(ctx, p, id, since)
	if err != nil {
		return err
	}
	what := "（变更内容未知）"
	if len(changed) > 0 {
		what = "，变更的字段：" + strings.Join(changed, "、")
	}
	return &geo.Error{Kind: geo.KindPreconditionFailed, Code: "stale",
		Message:   fmt.Sprintf("项目已被他人修改（您编辑的是版本 %d，当前为版本 %d）%s。请核对后重新保存", since, v.Version, what),
		MessageEN: fmt.Sprintf("the project changed since version %d (now version %d); check and save again", since, v.Version),
		Details:   Stale{Current: v, Changed: changed}}
}

// List lists the projects of a filter: KindInvalid for a bad filter.
func (s *Service) List(ctx context.Context, p geo.Principal, f Filter) ([]View, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	if f.Limit == 0 {
		f.Limit = MaxList
	}
	return s.store.ListProjects(ctx, p, f)
}

// Stages returns a project's stage history; KindNotFound if p may not
// see the project.
func (s *Service) Stages(ctx context.Context, p geo.Principal, id geo.ID) ([]StageEntry, error) {
	if _, err := s.store.Project(ctx, p, id); err != nil {
		return nil, err
	}
	return s.store.ProjectStages(ctx, p, id)
}

// Row is a row of an imported ledger: its line in the sheet and its
// values by field name; "id" names the project a row changes (none: a
// new project) and "version" the version it was exported at.
type Row struct {
	Line   int
	Values Values
}

// Sheet is an imported ledger: its rows and, by field name, how its
// columns are named to the user (e.g. "C 列（总投资（万元））").
type Sheet struct {
	Rows    []Row
	Columns map[string]string
}

// RowError is what is wrong in one cell of an imported ledger.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// MaxImportRows bounds the rows of an import.
const MaxImportRows = 20000

// Import checks every row of a sheet and, when every row is good, makes
// all its writes at once; otherwise it changes nothing and answers
// KindInvalid ("bad_rows") with each error by row and column ("rows" in
// Details).
func (s *Service) Import(ctx context.Context, p geo.Principal, sh Sheet) (ImportResult, error) {
	var res ImportResult
	if len(sh.Rows) > MaxImportRows {
		return res, geo.Invalid("too_many_rows", "一次最多导入 %d 行", "at most %d rows at a time", MaxImportRows)
	}
	ds, _, _, err := s.store.Districts(ctx)
	if err != nil {
		return res, err
	}
	var (
		errs   []RowError
		writes []Write
		lines  []int
	)
	col := func(field string) string {
		if c, ok := sh.Columns[field]; ok {
			return c
		}
		for _, alt := range map[string][]string{"site": {"lon", "lat"}, "district_id": {"district"}, "intended_code": {"intended_system"}}[field] {
			if c, ok := sh.Columns[alt]; ok {
				return c
			}
		}
		return field
	}
	addAll := func(line int, fes []FieldError) {
		for _, fe := range fes {
			errs = append(errs, RowError{Row: line, Column: col(fe.Field), Field: fe.Field, Message: fe.Message, MessageEN: fe.MessageEN})
		}
	}
	// The projects the rows change, read at once.
	var want []geo.ID
	for _, r := range sh.Rows {
		if v := r.Values["id"]; v != nil {
			if n, err := strconv.Atoi(strings.TrimSpace(*v)); err == nil && n > 0 && n <= int(geo.MaxID) {
				want = append(want, geo.ID(n))
			}
		}
	}
	records, err := s.store.ProjectRecords(ctx, p, want)
	if err != nil {
		return res, err
	}
	current := make(map[geo.ID]Project, len(records))
	for _, pr := range records {
		current[pr.ID] = pr
	}
	codes, ids := map[string]int{}, map[geo.ID]int{}
	// The rows whose places the database checks, all at once after the
	// other checks.
	type placed struct {
		line  int
		write int // index in writes
	}
	var places []placed
	var geoms []orb.Geometry
	for _, r := range sh.Rows {
		w, changed, fes, check := s.importRow(r, ds, current)
		if c := w.Project.Code; c != "" && len(fes) == 0 {
			if first, ok := codes[c]; ok {
				fes = append(fes, fieldError("code", "duplicate_code", "项目代码 %s 与第 %d 行重复", "project code %s is also in row %d", c, first))
			}
			codes[c] = r.Line
		}
		if id := w.Project.ID; id != 0 {
			if first, ok := ids[id]; ok {
				fes = append(fes, fieldError("id", "duplicate_id", "编号 %d 与第 %d 行重复", "id %d is also in row %d", id, first))
			}
			ids[id] = r.Line
		}
		addAll(r.Line, fes)
		switch {
		case len(fes) > 0:
		case !changed:
			res.Unchanged++
		default:
			if check {
				places, geoms = append(places, placed{r.Line, len(writes)}), append(geoms, placeOf(w.Project))
			}
			writes, lines = append(writes, w), append(lines, r.Line)
		}
	}
	scs, err := s.store.CheckSites(ctx, geoms)
	if err != nil {
		return res, err
	}
	for i, pl := range places {
		if fe, _ := placeFault(writes[pl.write].Project, scs[i], ds); fe != nil {
			addAll(pl.line, []FieldError{*fe})
		}
	}
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	if len(errs) == 0 {
		err := s.store.ImportProjects(ctx, p, writes)
		var we *WriteError
		switch {
		case errors.As(err, &we):
			msg, msgEN := "保存失败", "could not be saved"
			var ge *geo.Error
			if errors.As(we.Err, &ge) && ge.Kind != geo.KindInternal {
				msg, msgEN = ge.Message, ge.MessageEN
			} else {
				return res, err
			}
			field := "id"
			if ge.Code == "duplicate_code" {
				field = "code"
			}
			errs = append(errs, RowError{Row: lines[we.Index], Column: col(field), Field: field, Message: msg, MessageEN: msgEN})
		case err != nil:
			return res, err
		}
	}
	if len(errs) > 0 {
		return res, rowsError(errs)
	}
	for _, w := range writes {
		if w.Version == 0 {
			res.Created++
		} else {
			res.Updated++
		}
	}
	return res, nil
}

// rowsError is the KindInvalid error of an import's errors.
func rowsError(errs []RowError) error {
	var zh, en []string
	for i, e := range errs {
		if i == 5 {
			zh, en = append(zh, fmt.Sprintf("等共 %d 处", len(errs))), append(en, fmt.Sprintf("%d in all", len(errs)))
			break
		}
		zh = append(zh, fmt.Sprintf("第 %d 行 %s：%s", e.Row, e.Column, e.Message))
		en = append(en, fmt.Sprintf("row %d, %s: %s", e.Row, e.Column, e.MessageEN))
	}
	return &geo.Error{Kind: geo.KindInvalid, Code: "bad_rows",
		Message:   "导入未完成，未做任何修改。" + strings.Join(zh, "；"),
		MessageEN: "nothing was imported: " + strings.Join(en, "; "),
		Details:   map[string]any{"rows": errs}}
}

// importRow checks one row, with current the projects the rows change:
// the write it makes, whether it changes anything and whether its place
// is still to be checked (checkPlace), or what is wrong with it.
func (s *Service) importRow(r Row, ds []geo.District, current map[geo.ID]Project) (Write, bool, []FieldError, bool) {
	vals := Values{}
	for k, v := range r.Values {
		if slices.Contains(editable(), k) {
			vals[k] = v
		}
	}
	num := func(field string) (int, *FieldError) {
		v := r.Values[field]
		if v == nil || strings.TrimSpace(*v) == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(*v))
		if err != nil || n <= 0 || n > int(geo.MaxID) {
			fe := fieldError(field, "bad_"+field, "%q 不是有效的%s", "%q is not a valid %s", *v, map[string]string{"id": "编号", "version": "版本"}[field])
			return 0, &fe
		}
		return n, nil
	}
	id, fe := num("id")
	if fe != nil {
		return Write{}, false, []FieldError{*fe}, false
	}
	version, fe := num("version")
	if fe != nil {
		return Write{}, false, []FieldError{*fe}, false
	}
	if id == 0 {
		var pr Project
		errs, _ := pr.apply(vals, ds)
		errs = append(errs, pr.check(s.today())...)
		errs = append(errs, pr.stageNeeds()...)
		if pr.Stage == geo.StageWithdrawn {
			errs = append(errs, fieldError("stage", "bad_transition", "新项目不能直接退库", "a new project cannot be withdrawn"))
		}
		return Write{Project: pr, Stage: stageChange(Project{}, pr)}, true, errs, true
	}
	cur, ok := current[geo.ID(id)]
	if !ok {
		return Write{}, false, []FieldError{fieldError("id", "not_found", "编号 %d 的项目不存在或无权查看", "no project %d that you may see", id)}, false
	}
	if version != 0 && version != cur.Version {
		return Write{}, false, []FieldError{fieldError("version", "stale", "该项目已被他人修改（文件中为版本 %d，当前为版本 %d），请重新导出后再改", "the project changed since (version %d in the file, %d now); export again", version, cur.Version)}, false
	}
	next := clone(cur)
	errs, moved := next.apply(vals, ds)
	if moved && next.Site != nil {
		if math.Abs(next.Point[0]-cur.Point[0]) > 1e-6 || math.Abs(next.Point[1]-cur.Point[1]) > 1e-6 {
			errs = append(errs, fieldError("site", "site_decides", "已有用地范围的项目，位置由用地范围决定，不能改经纬度", "a project with a site is placed by its site"))
		}
		next.Point = cur.Point
	}
	errs = append(errs, next.check(s.today())...)
	errs = append(errs, transition(cur, next)...)
	check := next.Point != cur.Point || next.DistrictID != cur.DistrictID
	return Write{Project: next, Version: cur.Version, Stage: stageChange(cur, next)}, !reflect.DeepEqual(cur, next), errs, check
}
