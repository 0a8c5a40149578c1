package project

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/project/photo/phototest"
)

// memStore keeps one project in memory and records what reached it, so
// that a rule the service enforces shows as a call that never arrived.
type memStore struct {
	Ledger       // the ledger's writes: not called by these tests
	Figurer      // the dashboard's sums: not called by these tests
	BlockerStore // blockers: not called by these tests
	PhotoStore   // photos: memStore.AddPhoto records them
	ReportStore  // conditional reports: not called by these tests
	photos       []PhotoRecord
	view         View
	reports      []time.Time
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

func (m *memStore) AddPhoto(_ context.Context, _ geo.Principal, id geo.ID, r PhotoRecord, _ int) (PhotoView, error) {
	m.photos = append(m.photos, r)
	return PhotoView{ProjectID: id, Month: r.Month.Format("2006-01")}, nil
}

func (m *memStore) Thresholds(context.Context) (Thresholds, error) { return DefaultThresholds, nil }

func (m *memStore) PutThresholds(context.Context, geo.Principal, Thresholds) error { return nil }

func (m *memStore) Schedules(context.Context, geo.Principal, time.Time, time.Time, []geo.ID) ([]Schedule, error) {
	return nil, nil
}

func (m *memStore) PutWarnings(context.Context, geo.Principal, time.Time, []Warning) error {
	return nil
}

func TestReportRules(t *testing.T) {
	for _, tc := range []struct {
		name, month string
		r           Report
		code, field string
	}{
		{"a report", "2026-10", Report{Planned: "1200.50", Invested: "980", ProgressNote: "主体结构封顶"}, "", ""},
		{"month 13", "2026-13", Report{Planned: "1", Invested: "1"}, "bad_month", ""},
		{"a day, not a month", "2026-10-01", Report{Planned: "1", Invested: "1"}, "bad_month", ""},
		{"before 2000", "1999-12", Report{Planned: "1", Invested: "1"}, "bad_month", ""},
		{"negative amount", "2026-10", Report{Planned: "-1", Invested: "1"}, "bad_amount", "planned"},
		{"empty amount", "2026-10", Report{Planned: "", Invested: "1"}, "bad_amount", "planned"},
		{"invested over the limit", "2026-10", Report{Planned: "1", Invested: "100000000.01"}, "amount_too_large", "invested"},
		{"invested of 20 digits", "2026-10", Report{Planned: "1", Invested: "99999999999999999999"}, "amount_too_large", "invested"},
		{"amounts at the limit", "2026-10", Report{Planned: "100000000", Invested: "100000000.00"}, "", ""},
		{"note too long", "2026-10", Report{Planned: "1", Invested: "1", ProgressNote: strings.Repeat("字", 2001)}, "too_long", "progress_note"},
		{"note at the limit", "2026-10", Report{Planned: "1", Invested: "1", ProgressNote: strings.Repeat("字", 2000)}, "", ""},
		// Issue 14: a district user filed 2030-05 for a project planned for
		// 2028, and the panel added it into 本年完成投资.
		{"a month still to come", "2030-05", Report{Planned: "1", Invested: "2100"}, "month_in_future", "month"},
		{"next month", "2026-12", Report{Planned: "1", Invested: "1"}, "month_in_future", "month"},
		{"before the project's start", "2026-02", Report{Planned: "1", Invested: "1"}, "month_before_start", "month"},
		{"the month of the start", "2026-03", Report{Planned: "1", Invested: "1"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &memStore{view: View{ID: 7, Version: 1, PlannedStart: ptr("2026-03-15")}}
			svc := NewService(st)
			// 2026-11-30 20:00 UTC is already December 1 in Luohe.
			svc.now = func() time.Time { return time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) }
			err := svc.PutProgress(t.Context(), geo.Principal{}, 7, tc.month, tc.r)
			if tc.code == "" {
				want, _ := ParseMonth(tc.month)
				if err != nil || len(st.reports) != 1 || !st.reports[0].Equal(want) {
					t.Fatalf("refused or wrong month: %v %v", err, st.reports)
				}
				return
			}
			var e *geo.Error
			if !asError(err, &e) || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("got %v (field %q), want %s (field %q)", err, fieldOf(e), tc.code, tc.field)
			}
			if len(st.reports) != 0 {
				t.Fatal("a refused report reached the store")
			}
		})
	}
}

func fieldOf(e *geo.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

// TestReportMonths checks the months a project may be reported for: from
// the earlier of its planned and actual start to the current month in
// Luohe, whose day begins eight hours before UTC's.
func TestReportMonths(t *testing.T) {
	luohe := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, geo.CityZone())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name                 string
		planned, actual      *string
		now                  time.Time
		first, last, allowed string // first "": no bound
	}{
		{"planned only", ptr("2026-03-15"), nil, luohe("2026-11-29 14:03"), "2026-03", "2026-11", "2026-03"},
		{"started before the plan", ptr("2026-05-01"), ptr("2026-02-20"), luohe("2026-11-29 14:03"), "2026-02", "2026-11", "2026-02"},
		{"started after the plan", ptr("2026-05-01"), ptr("2026-07-20"), luohe("2026-11-29 14:03"), "2026-05", "2026-11", "2026-05"},
		{"no dates", nil, nil, luohe("2026-11-29 14:03"), "", "2026-11", "2001-01"},
		{"the first minutes of a month in Luohe", nil, nil, luohe("2026-12-01 00:05"), "", "2026-12", "2026-12"},
		{"planned for 2028", ptr("2028-04-01"), nil, luohe("2026-11-29 14:03"), "2028-04", "2026-11", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rm := ReportMonthsOf(View{PlannedStart: tc.planned, ActualStart: tc.actual}, tc.now)
			first := ""
			if !rm.First.IsZero() {
				first = rm.First.Format("2006-01")
			}
			if first != tc.first || rm.Last.Format("2006-01") != tc.last {
				t.Fatalf("got %s..%s, want %s..%s", first, rm.Last.Format("2006-01"), tc.first, tc.last)
			}
			if tc.allowed != "" {
				m, _ := ParseMonth(tc.allowed)
				if err := rm.Allows(m); err != nil {
					t.Fatalf("%s refused: %v", tc.allowed, err)
				}
			}
			if err := rm.Allows(rm.Last.AddDate(0, 1, 0)); geo.KindOf(err) != geo.KindInvalid {
				t.Fatalf("the month after %s allowed: %v", tc.last, err)
			}
		})
	}
}

// TestServiceGivesReportMonths checks that a project's view says which
// months the web form may offer.
func TestServiceGivesReportMonths(t *testing.T) {
	st := &memStore{view: View{ID: 7, Version: 1, PlannedStart: ptr("2026-03-15")}}
	svc := NewService(st)
	svc.now = func() time.Time { return time.Date(2026, 11, 29, 6, 3, 0, 0, time.UTC) }
	v, err := svc.Project(t.Context(), geo.Principal{}, 7)
	if err != nil || v.ReportFirst == nil || *v.ReportFirst != "2026-03" || v.ReportLast != "2026-11" {
		t.Fatalf("%v %+v", err, v)
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

// TestPhotoRulesBeforeTheStore: an upload that breaks a rule never
// reaches the store; one that keeps them reaches it cleaned.
func TestPhotoRulesBeforeTheStore(t *testing.T) {
	good := phototest.JPEG(16, 16, phototest.EXIF{GPS: true, Lat: 33.58, Lon: 114.0, Serial: "SN-1"})
	for _, tc := range []struct {
		name, month string
		u           Upload
		code, field string
	}{
		{"a photo", "2026-10", Upload{Data: good, Caption: "基础施工"}, "", ""},
		{"a month still to come", "2026-12", Upload{Data: good}, "month_in_future", "month"},
		{"before the project's start", "2026-02", Upload{Data: good}, "month_before_start", "month"},
		{"not an image", "2026-10", Upload{Data: []byte("文本")}, "not_an_image", "photo"},
		{"nothing", "2026-10", Upload{}, "photo_required", "photo"},
		{"over the size", "2026-10", Upload{Data: append(good, make([]byte, MaxPhotoBytes)...)}, "photo_too_large", "photo"},
		{"a caption with NUL", "2026-10", Upload{Data: good, Caption: "a\x00b"}, "bad_text", "caption"},
		{"a caption of bad UTF-8", "2026-10", Upload{Data: good, Caption: "\xc3\x28"}, "bad_text", "caption"},
		{"a caption too long", "2026-10", Upload{Data: good, Caption: strings.Repeat("照", MaxCaption+1)}, "too_long", "caption"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &memStore{view: View{ID: 7, Version: 1, PlannedStart: ptr("2026-03-15")}}
			svc := NewService(st)
			svc.now = func() time.Time { return time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC) }
			_, err := svc.AddPhoto(t.Context(), geo.Principal{}, 7, tc.month, tc.u)
			if tc.code == "" {
				if err != nil || len(st.photos) != 1 || st.photos[0].Location == nil || bytes.Contains(st.photos[0].Image, []byte("SN-1")) {
					t.Fatalf("refused or not cleaned: %v %d", err, len(st.photos))
				}
				return
			}
			var e *geo.Error
			if !asError(err, &e) || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("got %v (field %q), want %s (field %q)", err, fieldOf(e), tc.code, tc.field)
			}
			if len(st.photos) != 0 {
				t.Fatal("a refused photo reached the store")
			}
		})
	}
}
