package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project"
	"github.com/xuri/excelize/v2"
)

// The ledger's workbook: one sheet, a frozen header row of the field
// registry's Excel headers, one row per project.
const (
	ledgerSheet = "重点项目台账"
	xlsxType    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	// maxImport bounds an imported workbook.
	maxImport = 16 << 20
)

// ledgerColumns are the project fields of the workbook that p may see:
// those with an Excel header that a project's view holds.
func (s *Server) ledgerColumns(p geo.Principal) ([]geo.Field, error) {
	held, err := s.redact(p, "projects", project.View{Site: json.RawMessage("null")})
	if err != nil {
		return nil, err
	}
	a, _ := s.Registry.Aggregate("projects")
	var out []geo.Field
	for _, f := range a.Fields {
		if _, ok := held[f.Name]; ok && f.Excel != "" {
			out = append(out, f)
		}
	}
	return out, nil
}

// neutral keeps a text cell from being read as a formula: text starting
// with =, +, -, @ (or a tab or carriage return, which some programs skip)
// gets a leading apostrophe, which the import takes off again.
func neutral(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// isDate tells the ledger's date fields.
func isDate(name string) bool {
	return strings.HasPrefix(name, "planned_") && name != "planned" || strings.HasPrefix(name, "actual_")
}

// labelOf is the Chinese name of a stage or a category, or v.
func labelOf(field, v string) string {
	var ls []geo.Label
	switch field {
	case "stage":
		ls = geo.Stages()
	case "category":
		ls = geo.Categories()
	case "blocker_kind":
		ls = project.BlockerKinds()
	case "blocker_status":
		ls = project.BlockerStatuses()
	}
	for _, l := range ls {
		if l.ID == v {
			return l.ZH
		}
	}
	return v
}

func (s *Server) exportProjects(c echo.Context) error {
	p, vs, err := s.ledger(c)
	if err != nil {
		return err
	}
	cols, err := s.ledgerColumns(p)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", ledgerSheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(ledgerSheet)
	if err != nil {
		return err
	}
	header, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	formats := map[string]string{"万元": "#,##0.00", "亩": "0.00", "date": "yyyy-mm-dd", "coord": "0.000000"}
	styles := map[string]int{}
	for k, nf := range formats {
		if styles[k], err = x.NewStyle(&excelize.Style{CustomNumFmt: &nf}); err != nil {
			return err
		}
	}
	row := make([]any, len(cols))
	for i, col := range cols {
		row[i] = excelize.Cell{StyleID: header, Value: col.Excel}
		width := float64(max(10, min(40, 2*len([]rune(col.Excel))+2)))
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	// The columns are the fields p may see (ledgerColumns): each row's
	// cells come straight from the view's fields, found once by their
	// JSON names.
	index := make([]int, len(cols))
	for i, col := range cols {
		index[i] = viewFields()[col.Name]
	}
	for n, v := range vs {
		rv := reflect.ValueOf(v)
		row := make([]any, len(cols))
		for i, col := range cols {
			row[i] = ledgerCell(col, rv.Field(index[i]), styles)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	name := "重点项目台账-" + time.Now().Format("20060102") + ".xlsx"
	h := c.Response().Header()
	h.Set("Content-Disposition", "attachment; filename=\"projects.xlsx\"; filename*=UTF-8''"+urlEscape(name))
	h.Set("Cache-Control", "private, no-store")
	h.Set(echo.HeaderContentType, xlsxType)
	// The workbook streams out as it is zipped; a failure from here on
	// can only cut the answer short.
	c.Response().WriteHeader(http.StatusOK)
	_, err = x.WriteTo(c.Response())
	return err
}

// viewFields maps the JSON names of project.View's fields to their
// indexes.
var viewFields = sync.OnceValue(func() map[string]int {
	t := reflect.TypeFor[project.View]()
	m := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
})

// urlEscape percent-encodes a file name for Content-Disposition.
func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c), 16)))
		}
	}
	return b.String()
}

// ledgerCell is the cell of a field's value, as its JSON has it: numbers
// as numbers in their format, dates as dates, stages and categories by
// their Chinese names, text neutralised.
func ledgerCell(f geo.Field, v reflect.Value, styles map[string]int) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	var s string
	if tm, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		if err != nil {
			return nil
		}
		s = string(b)
	} else {
		switch v.Kind() {
		case reflect.String:
			s = v.String()
		case reflect.Int, reflect.Int16, reflect.Int32, reflect.Int64:
			s = strconv.FormatInt(v.Int(), 10)
		case reflect.Float64:
			s = strconv.FormatFloat(v.Float(), 'f', -1, 64)
		default:
			return nil
		}
	}
	switch {
	case isDate(f.Name):
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return excelize.Cell{StyleID: styles["date"], Value: d}
		}
	case f.Type == geo.TypeNumber:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			break
		}
		switch {
		case f.Unit == "万元" || f.Unit == "亩":
			return excelize.Cell{StyleID: styles[f.Unit], Value: n}
		case f.Name == "lon" || f.Name == "lat":
			return excelize.Cell{StyleID: styles["coord"], Value: n}
		}
		return n
	case f.Name == "stage" || f.Name == "category":
		return labelOf(f.Name, s)
	}
	return neutral(s)
}

func (s *Server) importProjects(c echo.Context) error {
	ct := strings.TrimSpace(strings.Split(c.Request().Header.Get("Content-Type"), ";")[0])
	if ct != xlsxType && ct != "application/octet-stream" {
		return geo.Invalid("bad_content_type", "请上传 Excel 工作簿（.xlsx）", "upload an Excel workbook (.xlsx)")
	}
	body, err := readBody(c, maxImport)
	if err != nil {
		return err
	}
	sh, err := s.readLedger(body)
	if err != nil {
		return err
	}
	res, err := s.Projects.Import(c.Request().Context(), principal(c), sh)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// readLedger reads an imported workbook in the export's layout: its first
// sheet's header row names the columns (the registry's Excel headers, in
// any order); each further row that is not empty is a project.
func (s *Server) readLedger(body []byte) (project.Sheet, error) {
	sh := project.Sheet{Columns: map[string]string{}}
	bad := geo.Invalid("bad_xlsx", "无法读取该文件：请上传由本系统导出格式的 Excel 工作簿（.xlsx）", "not a readable .xlsx workbook in the export's layout")
	x, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{UnzipSizeLimit: 256 << 20})
	if err != nil {
		return sh, bad
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return sh, bad
	}
	rows, err := x.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return sh, bad
	}
	a, _ := s.Registry.Aggregate("projects")
	fields := make([]*geo.Field, len(rows[0]))
	for i, h := range rows[0] {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		colName, _ := excelize.ColumnNumberToName(i + 1)
		var found bool
		for j := range a.Fields {
			if f := a.Fields[j]; f.Excel != "" && f.Excel == h {
				fields[i], found = &a.Fields[j], true
				sh.Columns[f.Name] = colName + " 列（" + h + "）"
			}
		}
		if !found {
			return sh, &geo.Error{Kind: geo.KindInvalid, Code: "bad_rows",
				Message:   "导入未完成，未做任何修改。第 1 行 " + colName + " 列：未知的列名「" + h + "」",
				MessageEN: "nothing was imported: row 1, column " + colName + ": unknown header",
				Details: map[string]any{"rows": []project.RowError{{Row: 1, Column: colName + " 列（" + h + "）",
					Message: "未知的列名", MessageEN: "unknown header"}}}}
		}
	}
	for n, r := range rows[1:] {
		vals := project.Values{}
		empty := true
		for i, f := range fields {
			if f == nil {
				continue
			}
			v := ""
			if i < len(r) {
				v = cellText(*f, r[i])
			}
			if strings.TrimSpace(v) != "" {
				empty = false
			}
			vals[f.Name] = &v
		}
		if !empty {
			sh.Rows = append(sh.Rows, project.Row{Line: n + 2, Values: vals})
		}
	}
	return sh, nil
}

// cellText is a raw cell's value as the ledger's text: dates as
// YYYY-MM-DD, amounts with at most two decimals where Excel's floating
// point added more, text without the apostrophe that neutral added.
func cellText(f geo.Field, raw string) string {
	v := strings.TrimSpace(raw)
	n, err := strconv.ParseFloat(v, 64)
	switch {
	case v == "":
	case isDate(f.Name) && err == nil:
		if d, err := excelize.ExcelDateToTime(n, false); err == nil {
			return d.Format(time.DateOnly)
		}
	case f.Unit == "万元" && err == nil:
		if c := math.Round(n * 100); math.Abs(n*100-c) < 1e-6 {
			return geo.Dec(int64(c)).String()
		}
	case len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])):
		return raw[strings.IndexByte(raw, '\'')+1:]
	}
	return v
}
