package invest

import (
	"math"
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }

// TestSiteScores checks each graded criterion's score at its ends and in
// between, and that the total is the weighted mean.
func TestSiteScores(t *testing.T) {
	q := SiteQuery{AreaMuMin: f64(20), AreaMuMax: f64(60), PriceMax: f64(40), PlotRatioMin: f64(1),
		Utilities: []string{"road"}, MaxDistanceM: map[string]float64{"port": 10000}, Weights: map[string]float64{"price_max": 3}}
	_, w, err := q.check()
	if err != nil {
		t.Fatal(err)
	}
	c := SiteCandidate{Code: "A", AreaMu: 30, Price: f64(10), PlotRatio: f64(2), Utilities: []string{"road", "power"},
		DistanceM: map[string]*float64{"port": f64(2500)}}
	s := grade(q, w, c)
	want := map[string]float64{"area_mu": 0.5, "price_max": 0.75, "plot_ratio_min": 0.5, "utilities": 0.25, "port": 0.75}
	total := 0.0
	for _, r := range s.criteria {
		if math.Abs(r.Score-want[r.Criterion]) > 1e-9 {
			t.Errorf("%s: score %v, want %v", r.Criterion, r.Score, want[r.Criterion])
		}
		total += r.Points
	}
	// (0.5 + 3×0.75 + 0.5 + 0.25 + 0.75) / 7 × 100
	if math.Abs(s.total-60.71) > 0.01 || math.Abs(total-s.total) > 0.02 {
		t.Errorf("total %v, points %v", s.total, total)
	}
}

// TestSiteRanking ranks by score, then code, and explains each place
// against its neighbour.
func TestSiteRanking(t *testing.T) {
	q := SiteQuery{MaxDistanceM: map[string]float64{"highway_exit": 1000, "port": 1000}, Limit: 2}
	_, w, err := q.check()
	if err != nil {
		t.Fatal(err)
	}
	at := func(code string, exit, port float64) SiteCandidate {
		return SiteCandidate{Code: code, DistanceM: map[string]*float64{"highway_exit": f64(exit), "port": f64(port)}}
	}
	a := rank(q, w, SiteRows{Total: 5, Candidates: []SiteCandidate{at("C", 900, 900), at("B", 100, 500), at("A", 500, 100)}})
	if a.Matched != 3 || len(a.Sites) != 2 || a.Sites[0].Code != "A" || a.Sites[1].Code != "B" {
		t.Fatalf("%+v", a.Sites)
	}
	if !strings.HasPrefix(a.Sites[1].Explanation, "第 2 名，综合得分 70.0。") || !strings.Contains(a.Sites[1].Explanation, "与第 1 名同分") {
		t.Errorf("%s", a.Sites[1].Explanation)
	}
}
