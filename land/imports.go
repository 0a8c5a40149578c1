package land

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// Layer is a land layer an import replaces as a whole.
type Layer string

// The layers an import can replace.
const (
	LayerLanduse       Layer = "landuse"        // 国土空间规划 land-use zones
	LayerBasicFarmland Layer = "basic_farmland" // 永久基本农田
	LayerEcoRedline    Layer = "eco_redline"    // 生态保护红线
	LayerUrbanBoundary Layer = "urban_boundary" // 城镇开发边界
	LayerControlZones  Layer = "control_zones"  // 建设用地管制区 (legacy)
)

// NamedLayer is a layer with its Chinese name.
type NamedLayer struct {
	Layer Layer  `json:"layer"`
	Name  string `json:"name"`
}

// Layers lists the layers an import can replace, with their Chinese names.
func Layers() []NamedLayer {
	return []NamedLayer{
		{LayerLanduse, "土地利用规划分区"}, {LayerBasicFarmland, "永久基本农田"}, {LayerEcoRedline, "生态保护红线"},
		{LayerUrbanBoundary, "城镇开发边界"}, {LayerControlZones, "建设用地管制区"},
	}
}

// Name returns the layer's Chinese name ("" for no layer).
func (l Layer) Name() string {
	for _, x := range Layers() {
		if x.Layer == l {
			return x.Name
		}
	}
	return ""
}

// ControlLine reports whether the layer is one kind of 三区三线 control
// line (table control_lines, kind = the layer).
func (l Layer) ControlLine() bool {
	return l == LayerBasicFarmland || l == LayerEcoRedline || l == LayerUrbanBoundary
}

// TileLayer is the tile layer that draws the layer.
func (l Layer) TileLayer() string {
	if l == LayerLanduse {
		return "landuse"
	}
	return "controls"
}

// The targets of a field mapping: which field of the file holds what.
const (
	TargetCode   = "code"   // land-use code (landuse) or control-zone code 010..040
	TargetSystem = "system" // classification system of the land-use code
	TargetName   = "name"   // name of the zone or control line
	TargetPlan   = "plan"   // the plan the zone belongs to
)

// FieldMap maps targets (TargetCode, …) to the file's field names.
type FieldMap map[string]string

// ParseFieldMap parses "code=DLBM,name=DLMC". Errors are KindInvalid, code
// "bad_field_map".
func ParseFieldMap(s string) (FieldMap, error) {
	m := FieldMap{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, geo.Invalid("bad_field_map", "字段对应“%s”应写作 目标=字段，如 code=DLBM", "field mapping %q must read target=FIELD, e.g. code=DLBM", part)
		}
		if _, dup := m[k]; dup {
			return nil, geo.Invalid("bad_field_map", "字段对应中“%s”出现了两次", "field mapping names %q twice", k)
		}
		m[k] = v
	}
	return m, nil
}

// ImportOptions say how to read a file and what to replace with it.
type ImportOptions struct {
	Layer Layer `json:"layer"`
	// SRS is the file's coordinate system when it has none or a wrong
	// one: EPSG:4490, EPSG:4326, EPSG:4547 or EPSG:4526. Empty: the
	// file's own (.prj).
	SRS string `json:"srs,omitempty"`
	// Encoding is the text encoding of a Shapefile's DBF without .cpg
	// (UTF-8, GBK, GB18030, Big5); empty: from .cpg, else guessed.
	Encoding string   `json:"encoding,omitempty"`
	Map      FieldMap `json:"map"`
	// System is the classification system of every land-use code when no
	// field holds it (default SystemGTKJ2023).
	System string `json:"system,omitempty"`
	// Plan names the plan of every zone when no field holds it (default:
	// the file's name).
	Plan string `json:"plan,omitempty"`
}

// SRSes are the coordinate systems a user may choose for a file.
func SRSes() []string { return []string{"EPSG:4490", "EPSG:4326", "EPSG:4547", "EPSG:4526"} }

// Encodings are the text encodings a user may choose for a file.
func Encodings() []string { return []string{"UTF-8", "GBK", "GB18030", "BIG5"} }

// CheckReadOptions checks the chosen coordinate system and encoding.
// Errors are KindInvalid with codes "bad_srs", "bad_encoding".
func CheckReadOptions(srs, encoding string) error {
	if srs != "" && !slices.Contains(SRSes(), strings.ToUpper(srs)) {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_srs", Field: "srs",
			Message:   "坐标系只能是 " + strings.Join(SRSes(), "、"),
			MessageEN: "the coordinate system must be one of " + strings.Join(SRSes(), ", ")}
	}
	if encoding != "" && !slices.Contains(Encodings(), strings.ToUpper(encoding)) {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_encoding", Field: "encoding",
			Message:   "编码只能是 " + strings.Join(Encodings(), "、"),
			MessageEN: "the encoding must be one of " + strings.Join(Encodings(), ", ")}
	}
	return nil
}

// Check normalises and checks the options against the file's fields:
// a known layer, a known coordinate system and encoding, mapped targets
// that the layer has and fields the file has, the code mapped where the
// layer needs one. Errors are KindInvalid.
func (o *ImportOptions) Check(fields []string, fileName string) error {
	if o.Layer.Name() == "" {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_layer", Field: "layer",
			Message: "未知的图层，可选：" + strings.Join(layerNames(), "、"), MessageEN: "unknown layer"}
	}
	if err := CheckReadOptions(o.SRS, o.Encoding); err != nil {
		return err
	}
	o.SRS, o.Encoding = strings.ToUpper(o.SRS), strings.ToUpper(o.Encoding)
	allowed := map[Layer][]string{
		LayerLanduse:       {TargetCode, TargetSystem, TargetName, TargetPlan},
		LayerControlZones:  {TargetCode, TargetPlan},
		LayerBasicFarmland: {TargetName}, LayerEcoRedline: {TargetName}, LayerUrbanBoundary: {TargetName},
	}[o.Layer]
	for target, field := range o.Map {
		if !slices.Contains(allowed, target) {
			return &geo.Error{Kind: geo.KindInvalid, Code: "bad_field_map", Field: "map",
				Message:   "图层“" + o.Layer.Name() + "”没有“" + target + "”，可对应：" + strings.Join(allowed, "、"),
				MessageEN: "layer " + string(o.Layer) + " has no " + target + "; it maps " + strings.Join(allowed, ", ")}
		}
		if !slices.Contains(fields, field) {
			return &geo.Error{Kind: geo.KindInvalid, Code: "unknown_field", Field: "map",
				Message:   "文件中没有字段“" + field + "”，文件的字段：" + strings.Join(fields, "、"),
				MessageEN: "the file has no field " + field}
		}
	}
	if (o.Layer == LayerLanduse || o.Layer == LayerControlZones) && o.Map[TargetCode] == "" {
		return &geo.Error{Kind: geo.KindInvalid, Code: "code_not_mapped", Field: "map",
			Message: "请指定哪个字段是用地代码（如 code=DLBM）", MessageEN: "map the field that holds the code (e.g. code=DLBM)"}
	}
	if o.Layer == LayerLanduse && o.Map[TargetSystem] == "" && o.System == "" {
		o.System = SystemGTKJ2023
	}
	if o.Layer != LayerLanduse {
		o.System = ""
	}
	if (o.Layer == LayerLanduse || o.Layer == LayerControlZones) && o.Map[TargetPlan] == "" && o.Plan == "" {
		o.Plan = strings.TrimSuffix(path.Base(fileName), path.Ext(fileName))
	}
	return nil
}

func layerNames() []string {
	var out []string
	for _, l := range Layers() {
		out = append(out, string(l.Layer)+" "+l.Name)
	}
	return out
}

// Feature is one feature as a file holds it: its fields as text and its
// geometry in EPSG:4490 (nil: none).
type Feature struct {
	Fields map[string]string
	Geom   orb.Geometry
}

// Row is a feature mapped for a layer: N is its number in the file (from 1).
type Row struct {
	N      int
	Code   string
	System string
	Name   string
	Plan   string
	Geom   orb.Geometry
}

// Rejection reasons.
const (
	RejectEmpty        = "empty"         // no geometry, or an empty one
	RejectGeometryType = "geometry_type" // not a polygon
	RejectOutside      = "outside_city"  // does not meet the city
	RejectUnknownCode  = "unknown_code"  // code not in the classification
	RejectNoCode       = "no_code"       // the code field is empty
	RejectRepairEmpty  = "repair_empty"  // nothing of it was left once made valid
)

// RejectReasons names each rejection reason in Chinese.
func RejectReasons() map[string]string {
	return map[string]string{
		RejectEmpty: "空图形", RejectGeometryType: "不是面图形", RejectOutside: "不在本市范围内",
		RejectUnknownCode: "分类代码不存在", RejectNoCode: "代码为空", RejectRepairEmpty: "修复后为空",
	}
}

// MapFeature maps feature number n of the file for the import: the mapped
// fields, the constant system and plan where no field holds them, and for
// a control line the layer's name when it has no name. A feature without
// a usable geometry or code is rejected here with a reason (Reject*);
// the database checks the rest.
func (o ImportOptions) MapFeature(n int, f Feature) (Row, string) {
	r := Row{N: n, Geom: f.Geom, System: o.System, Plan: o.Plan}
	get := func(target string) string {
		if field := o.Map[target]; field != "" {
			return strings.TrimSpace(f.Fields[field])
		}
		return ""
	}
	r.Code, r.Name = get(TargetCode), get(TargetName)
	if s := get(TargetSystem); s != "" {
		r.System = s
	}
	if p := get(TargetPlan); p != "" {
		r.Plan = p
	}
	if o.Layer.ControlLine() && r.Name == "" {
		r.Name = o.Layer.Name()
	}
	if o.Layer == LayerControlZones && len(r.Code) < 3 && r.Code != "" {
		r.Code = strings.Repeat("0", 3-len(r.Code)) + r.Code // 10 read as a number is 010
	}
	r.Geom = closeRings(f.Geom)
	switch {
	case r.Geom == nil || geoEmpty(r.Geom):
		return r, RejectEmpty
	case !polygonal(f.Geom):
		return r, RejectGeometryType
	case (o.Layer == LayerLanduse || o.Layer == LayerControlZones) && r.Code == "":
		return r, RejectNoCode
	}
	return r, ""
}

// closeRings closes open rings and drops rings of fewer than four points
// (PostGIS refuses them): a polygon whose outer ring goes is dropped,
// leaving an empty geometry that is rejected as empty.
func closeRings(g orb.Geometry) orb.Geometry {
	poly := func(p orb.Polygon) orb.Polygon {
		var out orb.Polygon
		for i, ring := range p {
			if len(ring) > 0 && ring[0] != ring[len(ring)-1] {
				ring = append(ring[:len(ring):len(ring)], ring[0])
			}
			if len(ring) < 4 {
				if i == 0 {
					return nil
				}
				continue
			}
			out = append(out, ring)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range g {
			if p = poly(p); p != nil {
				out = append(out, p)
			}
		}
		return out
	}
	return g
}

func polygonal(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return true
	}
	return false
}

func geoEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if len(p) > 0 && len(p[0]) > 0 {
				return false
			}
		}
		return true
	case orb.Collection:
		return len(g) == 0
	}
	return false
}

// Repair is a feature whose geometry was invalid and was made valid.
type Repair struct {
	N          int     `json:"n"` // number of the feature in the file, from 1
	Reason     string  `json:"reason"`
	AreaBefore float64 `json:"area_before_m2"` // ellipsoidal area of the invalid shape as given
	AreaAfter  float64 `json:"area_after_m2"`
}

// Rejection is a feature that was left out, with its reason (Reject*).
type Rejection struct {
	N      int    `json:"n"`
	Reason string `json:"reason"`
	Code   string `json:"code,omitempty"` // the feature's code, for unknown_code
}

// MaxListed bounds the repairs and rejections an import report lists;
// the counts count them all.
const MaxListed = 1000

// ImportReport is what an import did.
type ImportReport struct {
	Read     int         `json:"read"`     // features read from the file
	Imported int         `json:"imported"` // rows the layer holds now
	Replaced int         `json:"replaced"` // rows the layer held before
	Repaired []Repair    `json:"repaired"`
	Rejected []Rejection `json:"rejected"`
	// RepairedCount and RejectedCount count all, listed or not.
	RepairedCount int `json:"repaired_count"`
	RejectedCount int `json:"rejected_count"`
	// AreaM2 is the ellipsoidal area of the imported layer.
	AreaM2 float64 `json:"area_m2"`
}

// Reject adds a rejection to the report.
func (r *ImportReport) Reject(x Rejection) {
	r.RejectedCount++
	if len(r.Rejected) < MaxListed {
		r.Rejected = append(r.Rejected, x)
	}
}

// The states of an import.
const (
	ImportUploaded = "uploaded" // file checked, fields listed, waiting for its mapping
	ImportRunning  = "running"
	ImportDone     = "done"
	ImportFailed   = "failed"
)

// The phases of a running import.
const (
	PhaseReading   = "reading"   // features read from the file into the database
	PhaseChecking  = "checking"  // geometries checked and repaired
	PhaseReplacing = "replacing" // the layer replaced, tiles invalidated
)

// FileInfo is what a file holds, as the reader found it.
type FileInfo struct {
	Driver   string   `json:"driver"` // GDAL's driver: ESRI Shapefile, GPKG, GeoJSON, OpenFileGDB
	Layer    string   `json:"layer"`  // the file's layer read
	Fields   []string `json:"fields"`
	Count    int      `json:"count"` // features
	SRS      string   `json:"srs"`   // the file's coordinate system, by name; empty: none
	Encoding string   `json:"encoding,omitempty"`
	// EncodingGuessed is set when a Shapefile without .cpg was read in
	// the encoding its text looked like.
	EncodingGuessed bool `json:"encoding_guessed,omitempty"`
}

// Import is an import job.
type Import struct {
	ID         geo.ID         `json:"id"`
	FileName   string         `json:"file_name"`
	Status     string         `json:"status"`
	Phase      string         `json:"phase,omitempty"`
	Done       int            `json:"done"`  // features handled in this phase
	Total      int            `json:"total"` // features in the file
	Info       FileInfo       `json:"info"`
	Options    *ImportOptions `json:"options,omitempty"`
	Report     *ImportReport  `json:"report,omitempty"`
	Error      *ImportError   `json:"error,omitempty"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
	// Dir is where the job's files are, on the server; never sent.
	Dir string `json:"-"`
}

// ImportError is why an import failed, as its user sees it.
type ImportError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}
