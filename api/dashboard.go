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
// completion rate, the lagging projects, the new starts and the
// completions. Amounts are numbers of 万元, text never starts a formula.
func bulletinSheets(b project.Bulletin) []bulletinSheet {
	money := func(d geo.Dec) float64 { return float64(d) / 100 }
	totals := bulletinSheet{name: "汇总", header: []string{"项目", "数值"}, rows: [][]any{
		{"通报月份", b.Month},
		{"项目个数", b.Total.Count},
		{"总投资(万元)", money(b.Total.Total)},
		{"年度计划投资(万元)", money(b.Total.Plan)},
		{"年内累计完成投资(万元)", money(b.Total.Invested)},
		{"年度计划完成率(%)", b.Total.Rate()},
		{"本月新开工项目(个)", len(b.Starts)},
		{"本月竣工投产项目(个)", len(b.Finishes)},
		{"滞后项目(个)", len(b.Lagging)},
	}}
	ranking := bulletinSheet{name: "县区排名", header: []string{"排名", "县区", "项目个数", "总投资(万元)", "年度计划投资(万元)", "年内累计完成投资(万元)", "完成率(%)"}}
	for i, g := range b.Districts {
		ranking.rows = append(ranking.rows, []any{i + 1, neutral(g.Label), g.Count, money(g.Total), money(g.Plan), money(g.Invested), g.Rate})
	}
	lag := bulletinSheet{name: "滞后项目", header: []string{"项目名称", "县区", "分包领导", "累计计划投资(万元)", "累计完成投资(万元)", "进度比(%)", "预警等级", "预警原因"}}
	levels := map[project.Level]string{project.Yellow: "黄色预警", project.Red: "红色预警"}
	for _, st := range b.Lagging {
		lag.rows = append(lag.rows, []any{neutral(st.Name), neutral(st.District), neutral(st.Leader), money(st.Planned), money(st.Invested), st.Ratio,
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
	return []bulletinSheet{totals, ranking, lag,
		events("新开工项目", "实际开工", b.Starts, func(e project.Event) *string { return e.ActualStart }),
		events("竣工投产项目", "实际竣工", b.Finishes, func(e project.Event) *string { return e.ActualFinish })}
}

func (s *Server) bulletin(c echo.Context) error {
	month, ok := strings.CutSuffix(c.Param("file"), ".xlsx")
	if !ok {
		return geo.Errorf(geo.KindNotFound, "not_found", "通报须以 .xlsx 下载，如 /api/bulletins/2026-11.xlsx", "a bulletin is a .xlsx download, e.g. /api/bulletins/2026-11.xlsx")
	}
	b, err := s.Projects.Bulletin(c.Request().Context(), principal(c), month)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	header, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	for i, sh := range bulletinSheets(b) {
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
		if err := x.SetColWidth(sh.name, "A", "G", 18); err != nil {
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
	name := "重点项目月度通报-" + b.Month + ".xlsx"
	c.Response().Header().Set("Content-Disposition", "attachment; filename=\"bulletin-"+b.Month+".xlsx\"; filename*=UTF-8''"+urlEscape(name))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, xlsxType, buf.Bytes())
}
