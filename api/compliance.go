package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
)

// checkRequest is the body of POST /api/land/check: a GeoJSON Polygon or
// MultiPolygon in CGCS2000 (EPSG:4490) or WGS84 (EPSG:4326) longitude and
// latitude, taken as equal, and optionally the intended land use.
type checkRequest struct {
	Geometry json.RawMessage `json:"geometry"`
	Intended *land.Code      `json:"intended"`
}

// checkSite answers POST /api/land/check with the compliance report, and
// POST /api/land/check.xlsx with it as a workbook.
func (s *Server) checkSite(c echo.Context) error {
	var req checkRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if len(req.Geometry) == 0 || string(req.Geometry) == "null" {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_geometry", Field: "geometry",
			Message: "缺少用地范围（geometry）", MessageEN: "the site (geometry) is missing"}
	}
	gj, err := geojson.UnmarshalGeometry(req.Geometry)
	if err != nil || gj.Geometry() == nil {
		return &geo.Error{Kind: geo.KindInvalid, Code: "bad_geometry", Field: "geometry",
			Message: "geometry 不是有效的 GeoJSON 几何", MessageEN: "geometry is not a valid GeoJSON geometry"}
	}
	if req.Intended != nil && (req.Intended.System == "" || req.Intended.Code == "") {
		req.Intended = nil
	}
	r, err := s.Land.CheckSite(c.Request().Context(), gj.Geometry(), req.Intended)
	if err != nil {
		return err
	}
	if strings.HasSuffix(c.Path(), ".xlsx") {
		return sendComplianceXLSX(c, "用地合规审查（绘制范围）", r)
	}
	return c.JSON(http.StatusOK, r)
}

// projectCompliance answers GET /api/projects/:id/compliance (and
// compliance.xlsx: the report as a workbook).
func (s *Server) projectCompliance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Land.ProjectCompliance(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	if strings.HasSuffix(c.Path(), ".xlsx") {
		return sendComplianceXLSX(c, "用地合规审查（项目 "+id.String()+"）", r)
	}
	return c.JSON(http.StatusOK, r)
}

// complianceSettings is GET /api/settings/compliance's answer: the
// settings with the rules and verdicts to choose from.
type complianceSettings struct {
	land.CheckSettings
	Rules    []land.NamedRule    `json:"rules"`
	Verdicts []land.NamedVerdict `json:"verdicts"`
}

func (s *Server) complianceSettings(c echo.Context) error {
	set, err := s.Land.CheckSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, complianceSettings{CheckSettings: set, Rules: land.Rules(), Verdicts: land.Verdicts()})
}

func (s *Server) putComplianceSettings(c echo.Context) error {
	var set land.CheckSettings
	if err := bind(c, &set); err != nil {
		return err
	}
	if err := s.Land.PutCheckSettings(c.Request().Context(), principal(c), set); err != nil {
		return err
	}
	return s.complianceSettings(c)
}

// verdicts answers GET /api/land/verdicts: every project's latest verdict
// the caller may see, the most severe first.
func (s *Server) verdicts(c echo.Context) error {
	vs, err := s.Land.Verdicts(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []land.ProjectVerdict{}
	}
	return c.JSON(http.StatusOK, vs)
}

// complianceSheet is the sheet of a compliance report.
const complianceSheet = "用地合规审查"

// complianceXLSX writes a compliance report as a workbook: the site and
// its verdict, the rules that fired, then every overlap of every layer;
// text from the land layers (names, plans) neutralised as in the ledger.
func complianceXLSX(title string, r land.Report) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", complianceSheet); err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	pct, err := x.NewStyle(&excelize.Style{NumFmt: 10})
	if err != nil {
		return nil, err
	}
	rows := [][]any{
		{excelize.Cell{StyleID: bold, Value: neutral(title)}},
		{"用地面积(m²)", r.Site.AreaM2, "公顷", r.Site.Hectares, "亩", r.Site.Mu},
		{"审查结论", r.VerdictName + "（" + string(r.Verdict) + "）", "碎片容差(m²)", r.ToleranceM2, "碎片数", r.Slivers},
		{"城镇开发边界外(m²)", r.OutsideUrban.AreaM2, "亩", r.OutsideUrban.Mu},
		{},
		{excelize.Cell{StyleID: bold, Value: "触发规则"}, "结论", "说明", "面积(m²)", "亩"},
	}
	for _, f := range r.Rules {
		rows = append(rows, []any{f.Name, string(f.Verdict), f.Detail, f.AreaM2, f.Mu})
	}
	rows = append(rows, []any{}, []any{excelize.Cell{StyleID: bold, Value: "图层"}, "编号", "代码", "类型", "名称", "规划",
		"重叠面积(m²)", "公顷", "亩", "占用地比例"})
	for _, l := range r.Layers {
		for _, z := range l.Zones {
			class := z.Class
			if l.Layer == land.LayerControlZones {
				class = land.ControlZoneName(z.Code)
			}
			rows = append(rows, []any{l.Name, int64(z.ID), neutral(z.Code), neutral(class), neutral(z.Name), neutral(z.Plan),
				z.AreaM2, z.Hectares, z.Mu, excelize.Cell{StyleID: pct, Value: z.Share}})
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(complianceSheet, cell, &row); err != nil {
			return nil, err
		}
	}
	if err := x.SetColWidth(complianceSheet, "A", "F", 18); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendComplianceXLSX answers a report as an .xlsx download.
func sendComplianceXLSX(c echo.Context, title string, r land.Report) error {
	b, err := complianceXLSX(title, r)
	if err != nil {
		return err
	}
	name := "用地合规审查-" + time.Now().Format("20060102") + ".xlsx"
	c.Response().Header().Set("Content-Disposition", "attachment; filename=\"compliance.xlsx\"; filename*=UTF-8''"+urlEscape(name))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, xlsxType, b)
}
