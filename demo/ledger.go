package demo

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/xuri/excelize/v2"
)

// LedgerImport makes a workbook of n rows for POST /api/projects/import
// from export, a ledger exported by GET /api/projects.xlsx (with the 编号,
// 版本, 项目代码, 项目名称, 总投资 and 年度计划 columns): as many as half
// of the rows change the annual plan of projects spread evenly over the
// export, the rest are new projects, each a copy of a project that is not
// withdrawn, without its 编号, 版本 and 项目代码, placed at its longitude
// and latitude and named as its second phase. The result depends only on
// export and n. Rows with an actual start or finish after today are left
// out: they could not be imported on that day.
func LedgerImport(export []byte, n int, reg *geo.Registry, today time.Time) ([]byte, error) {
	in, err := excelize.OpenReader(bytes.NewReader(export))
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	defer in.Close()
	sheets := in.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the export has no sheet")
	}
	rows, err := in.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	agg, _ := reg.Aggregate("projects")
	header := rows[0]
	col := map[string]int{}
	numeric := make([]bool, len(header))
	for i, h := range header {
		for _, f := range agg.Fields {
			if f.Excel == h {
				col[f.Name] = i
				numeric[i] = f.Type == geo.TypeNumber || strings.HasSuffix(f.Name, "_start") || strings.HasSuffix(f.Name, "_finish")
			}
		}
	}
	for _, name := range []string{"id", "version", "code", "name", "stage", "total_investment", "annual_plan", "lon", "lat"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("the export has no column %s", name)
		}
	}
	cell := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	var projects [][]string
	for _, r := range rows[1:] {
		future := false
		for _, name := range []string{"actual_start", "actual_finish"} {
			if f, err := strconv.ParseFloat(cell(r, name), 64); err == nil {
				d, err := excelize.ExcelDateToTime(f, false)
				future = future || err != nil || d.After(today)
			}
		}
		if !future {
			projects = append(projects, r)
		}
	}
	if len(projects) == 0 {
		return nil, errors.New("the export holds no project that can be imported today")
	}
	var out [][]string
	changes := min(n/2, len(projects))
	for k := range changes {
		r := padded(projects[k*len(projects)/changes], len(header))
		total, err := strconv.ParseFloat(cell(r, "total_investment"), 64)
		if err != nil {
			return nil, fmt.Errorf("row %d: total investment %q", k*len(projects)/changes+2, cell(r, "total_investment"))
		}
		r[col["annual_plan"]] = strconv.FormatFloat(float64(int64(total*float64(20+5*(k%5))))/100, 'f', 2, 64)
		out = append(out, r)
	}
	var sources [][]string
	for _, r := range projects {
		if st := cell(r, "stage"); st != "退库" && st != string(geo.StageWithdrawn) {
			sources = append(sources, r)
		}
	}
	if len(sources) == 0 && n > changes {
		return nil, errors.New("the export holds no project to copy")
	}
	for k := range n - changes {
		r := padded(sources[k%len(sources)], len(header))
		r[col["id"]], r[col["version"]], r[col["code"]] = "", "", ""
		r[col["name"]] += fmt.Sprintf("（二期%d）", k+1)
		out = append(out, r)
	}
	return ledgerWorkbook(sheets[0], header, numeric, out)
}

// padded returns a copy of row with n cells.
func padded(row []string, n int) []string {
	r := make([]string, max(n, len(row)))
	copy(r, row)
	return r
}

// ledgerWorkbook writes a sheet of a header row and rows, the numeric
// columns' cells as numbers.
func ledgerWorkbook(sheet string, header []string, numeric []bool, rows [][]string) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	values := func(r []string) []any {
		out := make([]any, len(r))
		for i, v := range r {
			out[i] = v
			if i < len(numeric) && numeric[i] {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					out[i] = f
				}
			}
		}
		return out
	}
	hs := make([]any, len(header))
	for i, h := range header {
		hs[i] = h
	}
	if err := sw.SetRow("A1", hs); err != nil {
		return nil, err
	}
	for i, r := range rows {
		c, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(c, values(r)); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
