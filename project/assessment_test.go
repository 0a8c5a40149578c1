package project

import (
	"testing"

	"github.com/luohe/onemap/geo"
)

// TestScore: the computed scores, the weighted total, shared ranks for
// equal totals, the last place flagged, an override counting instead.
func TestScore(t *testing.T) {
	figs := []DistrictFigures{
		{DistrictID: 1, District: "源汇区", PoolAdded: geo.DecOf(500, 0), Reported: 2, RatioSum: 1.5, Due: 2, Done: 1},
		{DistrictID: 2, District: "郾城区", PoolAdded: geo.DecOf(1000, 0), Reported: 1, RatioSum: 1, Due: 0},
		{DistrictID: 3, District: "召陵区", Reported: 1, RatioSum: 1},
	}
	approvals := map[geo.ID]approvalShare{1: {counted: 4, within: 3}}
	got := ScoreDistricts(DefaultWeights, figs, approvals, nil)
	// 1: planning 50, approvals 75, construction 75, completion 50 → 50;
	// 2: planning 100, construction 100 → 40; 3: planning 0,
	// construction 100 → 20.
	want := []struct {
		id    geo.ID
		total float64
		rank  int
		last  bool
	}{{1, 50, 1, false}, {2, 40, 2, false}, {3, 20, 3, true}}
	for i, w := range want {
		d := got[i]
		if d.DistrictID != w.id || d.Total != w.total || d.Rank != w.rank || d.Last != w.last {
			t.Errorf("place %d: %d total %v rank %d last %v, want %+v", i, d.DistrictID, d.Total, d.Rank, d.Last, w)
		}
	}
	if s := got[1].Scores[4]; s.Item != ItemCompletion || s.Computed != nil || s.Score != nil {
		t.Errorf("郾城区 completion without projects due: %+v", s)
	}

	t.Run("equal totals share a rank and none is last alone", func(t *testing.T) {
		got := ScoreDistricts(DefaultWeights, figs, approvals, []Override{{Year: 2026, DistrictID: 3, Item: ItemPlanning, Score: 100, Reason: "核定"},
			{Year: 2026, DistrictID: 3, Item: ItemCompletion, Score: 50, Reason: "核定"}})
		// 3: 100 + 100 + 50 → 50, equal to 1.
		if got[0].Rank != 1 || got[1].Rank != 1 || got[2].Rank != 3 || !got[2].Last || got[0].Last {
			t.Fatalf("%+v", got)
		}
		if s := got[1].Scores[0]; got[1].DistrictID != 3 || s.Override == nil || *s.Score != 100 || *s.Computed != 0 || s.Reason != "核定" {
			t.Fatalf("override: %+v", got[1])
		}
	})
	t.Run("all equal: no last place", func(t *testing.T) {
		for _, d := range ScoreDistricts(DefaultWeights, figs[2:], nil, nil) {
			if d.Last {
				t.Fatalf("a single district flagged: %+v", d)
			}
		}
		got := ScoreDistricts(Weights{Completion: 100}, figs, nil, nil)
		for _, d := range got {
			if d.DistrictID != 1 && (d.Rank != 2 || !d.Last) {
				t.Fatalf("%+v", got)
			}
		}
	})
}

func TestHLS(t *testing.T) {
	for url, want := range map[string]bool{
		"https://cam.example.cn/live/1.m3u8":    true,
		"http://10.0.0.8/hls/INDEX.M3U8?t=1":    true,
		"rtsp://10.0.0.8/live.m3u8":             false,
		"https://cam.example.cn/live/1.mp4":     false,
		"https://cam.example.cn/m3u8/index.flv": false,
	} {
		if got := HLS(url); got != want {
			t.Errorf("HLS(%q) = %v", url, got)
		}
	}
}
