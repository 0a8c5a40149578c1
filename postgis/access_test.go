package postgis_test

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/migrations"
)

// sqlLiteral matches a string literal in deparsed SQL.
var sqlLiteral = regexp.MustCompile(`'((?:[^']|'')*)'`)

// literals returns the string literals of SQL text, with the elements of
// array literals ('{admin,land}') as literals of their own.
func literals(sql string) []string {
	var out []string
	for _, m := range sqlLiteral.FindAllStringSubmatch(sql, -1) {
		v := strings.ReplaceAll(m[1], "''", "'")
		if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
			out = append(out, strings.Split(strings.Trim(v, "{}"), ",")...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// TestSQLRoles checks that the roles the migrated database names equal the
// roles of geo.Roles(): those users.roles may hold, and those the access
// rules (the policies, and the functions that read the principal's roles)
// mention.
func TestSQLRoles(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	var goRoles []string
	for _, r := range geo.Roles() {
		goRoles = append(goRoles, r.ID)
	}
	slices.Sort(goRoles)
	texts := func(sql string) map[string]string {
		t.Helper()
		rows, err := conn.Query(t.Context(), sql)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		var name, text string
		if _, err := pgx.ForEachRow(rows, []any{&name, &text}, func() error {
			out[name] = text
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 {
			t.Fatalf("nothing from %s", sql)
		}
		return out
	}
	set := func(texts map[string]string) []string {
		var all []string
		for _, text := range texts {
			all = append(all, literals(text)...)
		}
		slices.Sort(all)
		return slices.Compact(all)
	}

	check := texts(`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'users'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%roles <@%'`)
	if got := set(check); !slices.Equal(got, goRoles) {
		t.Errorf("users.roles may hold %v, geo.Roles() has %v", got, goRoles)
	}
	rules := texts(`SELECT tablename || '.' || policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '')
		FROM pg_policies WHERE schemaname = 'public'`)
	maps.Copy(rules, texts(`SELECT proname, prosrc FROM pg_proc
		WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%onemap_roles()%'`))
	for name, text := range rules {
		for _, r := range literals(text) {
			if !slices.Contains(goRoles, r) {
				t.Errorf("%s names %q, not a role of geo.Roles(): %s", name, r, text)
			}
		}
	}
	if got := set(rules); !slices.Equal(got, goRoles) {
		t.Errorf("the access rules name %v, geo.Roles() has %v", got, goRoles)
	}
}

// TestEveryTableProtected checks that each table of the migrated database
// has its onemap_protect line, which says what guards it.
func TestEveryTableProtected(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	body, err := fs.ReadFile(migrations.FS(), "repeatable/60_protect.sql")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, m := range regexp.MustCompile(`(?m)^SELECT onemap_protect\('(\w+)'`).FindAllStringSubmatch(string(body), -1) {
		lines = append(lines, m[1])
	}
	slices.Sort(lines)
	rows, err := conn.Query(t.Context(), `SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('spatial_ref_sys', 'schema_migrations', 'schema_repeatables') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lines, tables) {
		t.Fatalf("onemap_protect lines for %v, tables %v", lines, tables)
	}
}

// accessState describes the policies and triggers of the public tables.
func accessState(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(t.Context(), `
		SELECT format('%s %s %s %s / %s', c.relname, p.polname, p.polcmd,
		              pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
		  FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid
		UNION ALL
		SELECT pg_get_triggerdef(g.oid) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		 WHERE c.relnamespace = 'public'::regnamespace AND NOT g.tgisinternal
		UNION ALL
		SELECT c.relname || ' rls ' || c.relrowsecurity FROM pg_class c
		 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	state, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// TestRepeatablesApplyAgain applies every repeatable file a second time:
// none fails, and the policies and triggers stay as they were.
func TestRepeatablesApplyAgain(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	before := accessState(t, conn)
	paths, err := fs.Glob(migrations.FS(), "repeatable/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		body, err := fs.ReadFile(migrations.FS(), p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(t.Context(), string(body)); err != nil {
			t.Fatalf("%s applied again: %v", p, err)
		}
	}
	if after := accessState(t, conn); !slices.Equal(before, after) {
		t.Fatalf("applied again, the policies and triggers changed:\nbefore %q\nafter  %q", before, after)
	}
}

// TestProtectTakesAway calls onemap_protect with less than a table had:
// the policies, audit trigger and tile triggers it no longer asks for go.
func TestProtectTakesAway(t *testing.T) {
	t.Parallel()
	conn := loadConn(t, loadSrv.DB(t))
	count := func(sql string) int64 {
		t.Helper()
		return loadCount(t, conn, sql)
	}
	policies := "SELECT count(*) FROM pg_policy WHERE polrelid = 'parcels'::regclass"
	// onemap_protect's triggers, not the site search's (parcels_sites_*).
	triggers := "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'parcels'::regclass AND tgname LIKE 'parcels\\_%' AND tgname NOT LIKE 'parcels\\_sites\\_%'"
	if p, g := count(policies), count(triggers); p != 4 || g != 4 {
		t.Fatalf("parcels: %d policies, %d triggers; want 4 and 4 (audit, tiles ins, upd, del)", p, g)
	}
	if _, err := conn.Exec(t.Context(), "SELECT onemap_protect('parcels', writers => ARRAY['admin'], layers => 'parcels')"); err != nil {
		t.Fatal(err)
	}
	if n, all := count("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'parcels'::regclass AND tgname = 'parcels_tiles'"),
		count(triggers); n != 1 || all != 2 {
		t.Fatalf("without geoms: %d triggers; want 2, the audit and parcels_tiles", all)
	}
	if _, err := conn.Exec(t.Context(), "SELECT onemap_protect('parcels', audit => false)"); err != nil {
		t.Fatal(err)
	}
	var rls bool
	if err := conn.QueryRow(t.Context(), "SELECT relrowsecurity FROM pg_class WHERE oid = 'parcels'::regclass").Scan(&rls); err != nil {
		t.Fatal(err)
	}
	if p, g := count(policies), count(triggers); p != 0 || g != 0 || rls {
		t.Fatalf("unprotected: %d policies, %d triggers, row security %v", p, g, rls)
	}
	for _, bad := range []string{
		"SELECT onemap_protect('parcels', writers => ARRAY['admin'], district => 'district_id')",
		"SELECT onemap_protect('parcels', geoms => ARRAY['geom'])",
		"SELECT onemap_protect('parcels', layers => 'parcels', geoms => ARRAY['shape'])",
		"SELECT onemap_protect('no_such_table')",
	} {
		if _, err := conn.Exec(t.Context(), bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}
