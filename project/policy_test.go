package project

import (
	"testing"
	"time"
)

func TestParseQuarter(t *testing.T) {
	for s, want := range map[string]string{"2025-Q3": "2025-07-01..2025-09-30", "2024-Q1": "2024-01-01..2024-03-31", "2025-Q4": "2025-10-01..2025-12-31",
		"2025-Q5": "", "2025-q3": "", "1999-Q1": "", "2025-Q3 ": "", "25-Q3": ""} {
		q, err := ParseQuarter(s)
		got := ""
		if err == nil {
			got = dayString(q.First()) + ".." + dayString(q.Last())
		}
		if got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
	if p := (Quarter{2026, 1}).Prev(); p != (Quarter{2025, 4}) {
		t.Errorf("the quarter before 2026-Q1 is %v", p)
	}
}

// TestReviewOpen: a quarter's decisions are taken during it and the
// quarter after, not later and not before.
func TestReviewOpen(t *testing.T) {
	today := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for q, want := range map[Quarter]bool{{2026, 1}: true, {2025, 4}: true, {2025, 3}: false, {2026, 2}: false} {
		if got := open(q, today); got != want {
			t.Errorf("%v open on %s: %v", q, dayString(today), got)
		}
	}
}

// TestDefaultWaves: the first wave starts on the 8th day of the lunar
// year; the three windows follow each other within the year.
func TestDefaultWaves(t *testing.T) {
	for y, first := range map[int]string{2024: "2024-02-17", 2025: "2025-02-05", 2026: "2026-02-24"} {
		ws, ok := DefaultWaves(y)
		if !ok || dayString(ws[0].Starts) != first {
			t.Fatalf("%d: %v %v", y, ws, ok)
		}
		in := WavesInput{}
		for _, w := range ws {
			in.Waves = append(in.Waves, WindowInput{Starts: dayString(w.Starts), Ends: dayString(w.Ends)})
		}
		if _, err := in.parse(y); err != nil {
			t.Errorf("%d: the defaults are refused: %v", y, err)
		}
	}
	if _, ok := DefaultWaves(2023); ok {
		t.Error("defaults for 2023, whose waves came before onemap")
	}
}

func TestWaveOf(t *testing.T) {
	ws, _ := DefaultWaves(2025)
	day := func(s string) *string { return &s }
	two := 2
	for _, tc := range []struct {
		start    *string
		assigned *int
		want     int
	}{
		{day("2025-02-05"), nil, 0}, {day("2025-04-30"), nil, 0}, {day("2025-05-01"), nil, -1},
		{day("2025-07-31"), nil, 1}, {day("2025-10-07"), nil, -1}, {day("2025-10-08"), nil, 2},
		{day("2025-03-01"), &two, 1}, {nil, &two, 1}, {nil, nil, -1},
	} {
		if got := waveOf(WaveProject{PolicyProject: PolicyProject{ActualStart: tc.start}, Assigned: tc.assigned}, ws); got != tc.want {
			t.Errorf("start %v assigned %v: wave index %d, want %d", tc.start, tc.assigned, got, tc.want)
		}
	}
}

func TestParseSeason(t *testing.T) {
	for s, want := range map[string]int{"2025-2026": 2025, "2024-2025": 2024, "2025-2027": 0, "2025": 0, "2100-2101": 0, "2025/2026": 0} {
		got, err := ParseSeason(s)
		if err != nil {
			got = 0
		}
		if got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
	for d, want := range map[string]int{"2025-11-20": 2025, "2026-03-01": 2025, "2026-07-01": 2026, "2026-06-30": 2025} {
		day, _ := time.Parse(time.DateOnly, d)
		if got := CurrentSeason(day); got != want {
			t.Errorf("the season of %s is %d, want %d", d, got, want)
		}
	}
}
