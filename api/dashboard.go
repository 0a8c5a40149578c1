package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
	"github.com/xuri/excelize/v2"
)

func (s *Server) dashboard(c echo.Context) error {
	p := principal(c)
	d, err := s.Projects.Dashboard(c.Request().Context(), p, c.QueryParam("year"))
	if err != nil {
		return err
	}
	d = d.Redact(func(field string) bool { return s.Registry.Visible(p, "projects", field) })
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, d)
}

// bulletinSheet is one sheet of the bulletin's workbook: its name, its
// column headers and its rows.
type bulletinSheet struct {
	name   string
	header []string
	rows   [][]any
}

// bulletinSheets lays out bulletin b: the totals, the districts ranked by
// completion rate, the lagging projects, the new starts, the completions
// and the open blockers. Amounts are numbers of 万元, text never starts a
// formula.
func bulletinSheets(b project.Bulletin) []bulletinSheet {
	money := func(d geo.Dec) float64 { return float64(d) / 100 }
	totals := bulletinSheet{name: "汇总", header: []string{"项目", "数值"}, rows: [][]any{
		{"通报月份", b.Month},
		{"项目个数", b.Total.Count},
		{"总投资(万元)", money(b.Total.Total)},
		{"年度计划投资(万元)", money(b.Total.Plan)},
		{"年内累计完成投资(万元)", money(b.Total.Invested)},
		{"年度计划完成率(%)", b.Rate},
		{"本月新开工项目(个)", len(b.Starts)},
		{"本月竣工投产项目(个)", len(b.Finishes)},
		{"滞后项目(个)", len(b.Lagging)},
		{"未解决协调问题(个)", len(b.Blockers)},
		{"其中超期(个)", overdue(b.Blockers)},
		{"协调问题统计截至", b.AsOf},
	}}
	ranking := bulletinSheet{name: "县区排名", header: []string{"排名", "县区", "项目个数", "总投资(万元)", "年度计划投资(万元)", "年内累计完成投资(万元)", "完成率(%)"}}
	for i, g := range b.Districts {
		ranking.rows = append(ranking.rows, []any{i + 1, neutral(g.Label), g.Count, money(g.Total), money(g.Plan), money(g.Invested), g.Rate})
	}
	lag := bulletinSheet{name: "滞后项目", header: []string{"项目名称", "县区", "分包领导", "累计计划投资(万元)", "累计完成投资(万元)", "进度比(%)", "预警等级", "预警原因"}}
	levels := map[project.Level]string{project.Yellow: "黄色预警", project.Red: "红色预警"}
	for _, st := range b.Lagging {
		var ratio any = ""
		if st.Ratio != nil {
			ratio = *st.Ratio
		}
		lag.rows = append(lag.rows, []any{neutral(st.Name), neutral(st.District), neutral(st.Leader), money(st.Planned), money(st.Invested), ratio,
			levels[st.Level], neutral(st.Reason)})
	}
	events := func(name, date string, es []project.Event, day func(project.Event) *string) bulletinSheet {
		sh := bulletinSheet{name: name, header: []string{"项目名称", "县区", "项目阶段", "总投资(万元)", date}}
		for _, e := range es {
			d := ""
			if day(e) != nil {
				d = *day(e)
			}
			sh.rows = append(sh.rows, []any{neutral(e.Name), neutral(e.District), labelOf("stage", e.Stage), money(e.Total), d})
		}
		return sh
	}
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return neutral(*s)
	}
	blockers := bulletinSheet{name: "协调问题", header: []string{"项目名称", "县区", "问题类型", "问题描述", "责任单位", "提出日期", "办结时限", "状态", "是否超期"}}
	for _, bl := range b.Blockers {
		late := "否"
		if bl.Overdue {
			late = "超期"
		}
		blockers.rows = append(blockers.rows, []any{neutral(bl.Project), neutral(bl.District), labelOf("blocker_kind", bl.Kind), neutral(bl.Note),
			text(bl.ResponsibleUnit), bl.RaisedOn, text(bl.DueOn), labelOf("blocker_status", bl.Status), late})
	}
	return []bulletinSheet{totals, ranking, lag,
		events("新开工项目", "实际开工", b.Starts, func(e project.Event) *string { return e.ActualStart }),
		events("竣工投产项目", "实际竣工", b.Finishes, func(e project.Event) *string { return e.ActualFinish }),
		blockers}
}

// overdue counts the overdue blockers of bs.
func overdue(bs []project.OpenBlocker) int {
	n := 0
	for _, b := range bs {
		if b.Overdue {
			n++
		}
	}
	return n
}

// bulletin answers the monthly bulletin of a month, /api/bulletins/{YYYY-MM}
// with .json for the web page or .xlsx for the workbook: the same
// service call makes both.
func (s *Server) bulletin(c echo.Context) error {
	file := c.Param("file")
	month, ext, _ := strings.Cut(file, ".")
	if ext != "json" && ext != "xlsx" {
		return geo.Errorf(geo.KindNotFound, "not_found", "通报须为 .json 或 .xlsx，如 /api/bulletins/2026-11.xlsx",
			"a bulletin is .json or .xlsx, e.g. /api/bulletins/2026-11.xlsx")
	}
	b, err := s.Projects.Bulletin(c.Request().Context(), principal(c), month)
	if err != nil {
		return err
	}
	if ext == "json" {
		c.Response().Header().Set("Cache-Control", "private, no-cache")
		return c.JSON(http.StatusOK, b)
	}
	return s.bulletinWorkbook(c, b)
}

// bulletinWorkbook writes bulletin b as its .xlsx workbook.
func (s *Server) bulletinWorkbook(c echo.Context, b project.Bulletin) error {
	return sendWorkbook(c, bulletinSheets(b), "bulletin-"+b.Month+".xlsx", "重点项目月度通报-"+b.Month+".xlsx")
}

// sendWorkbook answers sheets as an .xlsx workbook, a download named
// name (ascii: its name in ASCII), each sheet with a bold frozen header
// row.
func sendWorkbook(c echo.Context, sheets []bulletinSheet, ascii, name string) error {
	x := excelize.NewFile()
	defer x.Close()
	header, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if i == 0 {
			err = x.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = x.NewSheet(sh.name)
		}
		if err != nil {
			return err
		}
		hdr := make([]any, len(sh.header))
		for j, h := range sh.header {
			hdr[j] = h
		}
		for r, row := range append([][]any{hdr}, sh.rows...) {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := x.SetSheetRow(sh.name, cell, &row); err != nil {
				return err
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(sh.header), 1)
		if err := x.SetCellStyle(sh.name, "A1", last, header); err != nil {
			return err
		}
		if err := x.SetColWidth(sh.name, "A", "I", 18); err != nil {
			return err
		}
		if err := x.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", "attachment; filename=\""+ascii+"\"; filename*=UTF-8''"+urlEscape(name))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, xlsxType, buf.Bytes())
}
