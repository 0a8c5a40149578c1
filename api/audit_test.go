package api_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// TestAuditFilter is issue 14's "the audit filter uses invented table
// names": "progress" found nothing while project_progress had entries.
// The log answers the audited tables with Chinese names and column
// labels, refuses a table it does not record, and takes days in Luohe,
// the "to" day included.
func TestAuditFilter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	month := time.Now().In(geo.CityZone()).Format("2006-01")
	if res := f.users[geo.RoleDistrict].do(t, "PUT", "/api/projects/1/progress/"+month, map[string]string{"planned": "1", "invested": "2"}); res.StatusCode != 204 {
		t.Fatalf("report: %d", res.StatusCode)
	}
	res := f.get(t, "/api/audit?table=progress")
	if e := errorOf(t, res); res.StatusCode != 400 || e.Code != "unknown_table" || !strings.Contains(e.Message, "progress") {
		t.Fatalf("table=progress: %d %+v", res.StatusCode, e)
	}
	today := time.Now().In(geo.CityZone()).Format(time.DateOnly)
	type label struct{ Name, ZH string }
	type table struct {
		Name, ZH string
		Columns  []label
	}
	var out struct {
		Entries []struct{ Table, Action string }
		Tables  []table
	}
	decodeJSON(t, f.get(t, "/api/audit?table=project_progress&from="+today+"&to="+today), &out)
	if len(out.Entries) != 1 || out.Entries[0].Table != "project_progress" || out.Entries[0].Action != "insert" {
		t.Fatalf("entries of today: %+v", out.Entries)
	}
	i := slices.IndexFunc(out.Tables, func(tb table) bool { return tb.Name == "project_progress" })
	if i < 0 || out.Tables[i].ZH != "项目月度进度" || !slices.Contains(out.Tables[i].Columns, label{"invested", "本月完成投资(万元)"}) {
		t.Fatalf("tables: %+v", out.Tables)
	}
}
