package postgis_test

import (
	"slices"
	"testing"

	"github.com/luohe/onemap/migrations"
)

// TestMigrateSeedsCalendar: Migrate adds the shipped years the calendar
// lacks, and leaves a year it holds as an admin left it.
func TestMigrateSeedsCalendar(t *testing.T) {
	t.Parallel()
	db := loadSrv.DB(t)
	conn := loadConn(t, db)
	count := func(year int) int {
		var n int
		if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM calendar_days WHERE year = $1", year).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// 2024: 1 + 8 + 3 + 5 + 1 + 3 + 7 days off and 8 make-up days.
	if n := count(2024); n != 36 {
		t.Fatalf("2024 has %d listed days", n)
	}
	if _, err := conn.Exec(t.Context(), `DELETE FROM calendar_days WHERE day = '2025-01-01';
		DELETE FROM calendar_years WHERE year = 2026`); err != nil {
		t.Fatal(err)
	}
	applied, err := db.Migrate(t.Context(), migrations.FS())
	if err != nil || !slices.Equal(applied, []string{"calendar/2026"}) {
		t.Fatalf("applied %v, %v", applied, err)
	}
	if n := count(2025); n != 32 {
		t.Fatalf("2025, edited, has %d listed days after Migrate", n)
	}
	if n := count(2026); n != 3+9+3+5+3+3+7+6 {
		t.Fatalf("2026 has %d listed days", n)
	}
}
