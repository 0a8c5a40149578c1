package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestLedgerRoundTripInChromium takes the ledger out to Excel and back in
// headless Chromium (issue 15). The browser, as the 源汇区 district user,
// filters the projects to those under construction and downloads the
// ledger from 导出 Excel; the workbook here holds exactly the filtered
// projects. It is edited with excelize, as an office would in Excel: one
// copy renames a project, another also spoils a later row's total
// investment. The browser then imports both through 导入 Excel: the
// spoiled one is refused with the row and column in Chinese and changes
// nothing, the good one lands (in the list and the API). Last, two
// browser windows edit the same project: the second save is refused with
// 412 and shows the field, their value and mine, and saves after loading
// the latest. Screenshots and workbooks go to
// frontend/test-results/roundtrip.
func TestLedgerRoundTripInChromium(t *testing.T) {
	t.Parallel()
	base := serve(t, Config{DatabaseURL: demoURL(t), CacheMB: 64, CityName: "漯河市", CityNameEN: "Luohe"})
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "frontend", "test-results", "roundtrip")
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	browser(t, "roundtrip.mjs", base, "roundtrip", "export")

	x, err := excelize.OpenFile(filepath.Join(out, "export.xlsx"))
	if err != nil {
		t.Fatalf("the downloaded ledger: %v", err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, err := x.GetRows(sheet)
	if err != nil || len(rows) < 3 {
		t.Fatalf("the downloaded ledger has %d rows: %v", len(rows), err)
	}
	col := func(prefix string) int {
		i := slices.IndexFunc(rows[0], func(h string) bool { return strings.HasPrefix(h, prefix) })
		if i < 0 {
			t.Fatalf("no column %s in %q", prefix, rows[0])
		}
		return i
	}
	codeCol, nameCol, stageCol, totalCol := col("项目代码"), col("项目名称"), col("项目阶段"), col("总投资")

	// The rows are the filtered projects: those under construction of
	// the district, no more, no fewer.
	s := signIn(t, base, "yuanhui", "luohe-yuanhui-2026")
	list := func(query string) map[string]float64 {
		code, _, body, err := s.do(http.MethodGet, "/api/projects"+query, nil)
		if err != nil || code != 200 {
			t.Fatalf("GET /api/projects%s: %d %v", query, code, err)
		}
		var ps []struct {
			ID   float64 `json:"id"`
			Code string  `json:"code"`
		}
		if err := json.Unmarshal(body, &ps); err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, p := range ps {
			out[p.Code] = p.ID
		}
		return out
	}
	building, all := list("?stage=building"), list("")
	if len(building) == len(all) {
		t.Fatalf("the filter narrows nothing: %d projects under construction of %d", len(building), len(all))
	}
	var codes []string
	for _, r := range rows[1:] {
		cell := func(i int) string {
			if i < len(r) {
				return r[i]
			}
			return ""
		}
		codes = append(codes, cell(codeCol))
		if cell(stageCol) != "在建" {
			t.Errorf("row of %s: stage %q, the filter asked for 在建", cell(codeCol), cell(stageCol))
		}
		if _, ok := building[cell(codeCol)]; !ok {
			t.Errorf("row of %s: not a project under construction of the district", cell(codeCol))
		}
	}
	if len(codes) != len(building) {
		t.Fatalf("%d rows, %d projects under construction", len(codes), len(building))
	}

	// The edits, made as in Excel: a good workbook renames the first
	// row's project; a bad one also spoils the second row's total.
	name, err := x.GetCellValue(sheet, cellName(t, nameCol, 2))
	if err != nil {
		t.Fatal(err)
	}
	renamed := name + "（导入改名）"
	if err := x.SetCellStr(sheet, cellName(t, nameCol, 2), renamed); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(filepath.Join(out, "good.xlsx")); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellStr(sheet, cellName(t, totalCol, 3), "一百万"); err != nil {
		t.Fatal(err)
	}
	if err := x.SaveAs(filepath.Join(out, "bad.xlsx")); err != nil {
		t.Fatal(err)
	}
	totalLetter, _ := excelize.ColumnNumberToName(totalCol + 1)
	edit, err := json.Marshal(map[string]any{
		"id": building[rows[1][codeCol]], "name": name, "renamed": renamed,
		"bad_row": 3, "bad_column": fmt.Sprintf("%s 列（%s）", totalLetter, rows[0][totalCol]),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "edit.json"), edit, 0o644); err != nil {
		t.Fatal(err)
	}
	browser(t, "roundtrip.mjs", base, "roundtrip", "import")
}

// cellName is the name of the cell of 0-based column c in 1-based row r.
func cellName(t *testing.T, c, r int) string {
	t.Helper()
	n, err := excelize.CoordinatesToCellName(c+1, r)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
