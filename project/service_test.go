package project

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// memStore keeps one project in memory and records what reached it, so
// that a rule the service enforces shows as a call that never arrived.
type memStore struct {
	Ledger  // the ledger's writes: not called by these tests
	view    View
	reports []time.Time
}

func (m *memStore) Project(_ context.Context, _ geo.Principal, id geo.ID) (View, error) {
	if id != m.view.ID {
		return View{}, geo.NotFound("not_found", "项目不存在", "no such project")
	}
	return m.view, nil
}

func (m *memStore) PutProgress(_ context.Context, _ geo.Principal, _ geo.ID, month time.Time, _ Report) error {
	m.reports = append(m.reports, month)
	return nil
}

func TestReportRules(t *testing.T) {
	for _, tc := range []struct {
		name, month string
		r           Report
		code        string
	}{
		{"a report", "2026-10", Report{Planned: "1200.50", Invested: "980", ProgressNote: "主体结构封顶"}, ""},
		{"month 13", "2026-13", Report{Planned: "1", Invested: "1"}, "bad_month"},
		{"a day, not a month", "2026-10-01", Report{Planned: "1", Invested: "1"}, "bad_month"},
		{"before 2000", "1999-12", Report{Planned: "1", Invested: "1"}, "bad_month"},
		{"negative amount", "2026-10", Report{Planned: "-1", Invested: "1"}, "bad_amount"},
		{"empty amount", "2026-10", Report{Planned: "", Invested: "1"}, "bad_amount"},
		{"note too long", "2026-10", Report{Planned: "1", Invested: "1", ProgressNote: strings.Repeat("字", 2001)}, "too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &memStore{view: View{ID: 7, Version: 1}}
			err := NewService(st).PutProgress(t.Context(), geo.Principal{}, 7, tc.month, tc.r)
			if tc.code == "" {
				if err != nil || len(st.reports) != 1 || !st.reports[0].Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
					t.Fatalf("refused or wrong month: %v %v", err, st.reports)
				}
				return
			}
			var e *geo.Error
			if !asError(err, &e) || e.Code != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if len(st.reports) != 0 {
				t.Fatal("a refused report reached the store")
			}
		})
	}
}

func asError(err error, e **geo.Error) bool {
	var ge *geo.Error
	ok := errors.As(err, &ge)
	*e = ge
	return ok
}

// month is the grammar of a report's month: YYYY-MM from 2000-01 to
// 2100-12.
var month = regexp.MustCompile(`^(20\d\d|2100)-(0[1-9]|1[0-2])$`)

// FuzzParseMonth checks that ParseMonth takes exactly the months of the
// grammar, as the first day of the month in UTC that reads back the same,
// and refuses everything else with KindInvalid.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-11", "2000-01", "2100-12", "1999-12", "2101-01", "2026-13", "2026-1", "+026-01", "2026-11-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			if geo.KindOf(err) != geo.KindInvalid || month.MatchString(s) {
				t.Fatalf("ParseMonth(%q): %v", s, err)
			}
			return
		}
		if !month.MatchString(s) || m.Format("2006-01") != s || m.Day() != 1 || m.Location() != time.UTC || m.Hour() != 0 {
			t.Fatalf("ParseMonth(%q) = %v", s, m)
		}
	})
}
