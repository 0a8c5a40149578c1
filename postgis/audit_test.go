package postgis_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/luohe/onemap/access"
	"github.com/luohe/onemap/geo"
)

// TestAuditTablesLabelled checks that the tables the audit log's filter
// offers are exactly those with an audit trigger, and that every column
// the log can record (all but the secrets and images, which the trigger
// leaves out) has a label: issue 14 found the filter offering invented names
// ("progress") and the diff showing raw column names.
func TestAuditTablesLabelled(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	rows, err := conn.Query(t.Context(), `SELECT c.relname::text, coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}')
		FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE g.tgname = c.relname || '_audit' AND a.attname NOT IN ('password_hash', 'token_hash', 'image')
		GROUP BY c.relname ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	audited := map[string][]string{}
	for rows.Next() {
		var table string
		var cols []string
		if err := rows.Scan(&table, &cols); err != nil {
			t.Fatal(err)
		}
		audited[table] = cols
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	tables := access.AuditTables(geo.NewRegistry())
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
		if tb.ZH == "" || tb.EN == "" {
			t.Errorf("%s has no name", tb.Name)
		}
		for _, c := range audited[tb.Name] {
			i := slices.IndexFunc(tb.Columns, func(l access.AuditColumn) bool { return l.Name == c })
			if i < 0 || tb.Columns[i].ZH == "" || tb.Columns[i].EN == "" {
				t.Errorf("column %s.%s has no label", tb.Name, c)
			}
		}
	}
	slices.Sort(names)
	want := slices.Sorted(maps.Keys(audited))
	if !slices.Equal(names, want) {
		t.Fatalf("the filter offers %v, the audited tables are %v", names, want)
	}
}
