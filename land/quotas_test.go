package land

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/luohe/onemap/geo"
)

// TestQuotaTally: allocated, reserved and remaining in 亩 from the sites'
// m², the over and near flags, and the order of the sites behind the
// numbers (allocated, then 前期, then 储备, the largest first).
func TestQuotaTally(t *testing.T) {
	m2 := func(mu float64) float64 { return mu / muPerM2 }
	sites := []QuotaSite{
		{DistrictID: 1, ProjectID: 1, Stage: geo.StageReserve, Status: QuotaReserved, AreaM2: m2(50)},
		{DistrictID: 1, ProjectID: 2, Stage: geo.StageBuilding, Status: QuotaAllocated, AreaM2: m2(100)},
		{DistrictID: 1, ProjectID: 3, Stage: geo.StagePreparing, Status: QuotaReserved, AreaM2: m2(10)},
		{DistrictID: 2, ProjectID: 4, Stage: geo.StageBuilding, Status: QuotaAllocated, AreaM2: m2(999)},
		{DistrictID: 1, ProjectID: 5, Stage: geo.StageReserve, Status: QuotaAllocated, AreaM2: m2(200)},
	}
	for _, c := range []struct {
		name       string
		quota      *geo.Dec
		left       float64
		over, near bool
	}{
		{"plenty left", geo.DecPtr(geo.DecOf(1000, 0)), 640, false, false},
		{"under 10% left", geo.DecPtr(geo.DecOf(380, 0)), 20, false, true},
		{"none left", geo.DecPtr(geo.DecOf(360, 0)), 0, false, true},
		{"over", geo.DecPtr(geo.DecOf(359, 50)), -0.5, true, false},
		{"a quota of 0", geo.DecPtr(0), -360, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := DistrictQuota{DistrictID: 1, QuotaMu: c.quota}
			q.tally(sites)
			near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
			if !near(q.AllocatedMu, 300) || !near(q.ReservedMu, 60) || !near(*q.RemainingMu, c.left) || q.Over != c.over || q.Near != c.near {
				t.Fatalf("allocated %v reserved %v remaining %v over %v near %v", q.AllocatedMu, q.ReservedMu, *q.RemainingMu, q.Over, q.Near)
			}
			var ids []geo.ID
			for _, s := range q.Projects {
				ids = append(ids, s.ProjectID)
			}
			if want := []geo.ID{5, 2, 3, 1}; !slices.Equal(ids, want) {
				t.Fatalf("order %v, want %v", ids, want)
			}
		})
	}
	q := DistrictQuota{DistrictID: 1}
	q.tally(sites)
	if q.RemainingMu != nil || q.Over || q.Near {
		t.Fatalf("no quota: %+v", q)
	}
}

// TestQuotaInput: the quota's bounds and the reason, each fault with its
// code and field.
func TestQuotaInput(t *testing.T) {
	for _, c := range []struct {
		name, body, code string
		mu               geo.Dec
	}{
		{"a number", `{"quota_mu": 1200.5, "reason": " 下达 "}`, "", geo.DecOf(1200, 50)},
		{"text", `{"quota_mu": "0", "reason": "清零"}`, "", 0},
		{"the largest", `{"quota_mu": 1000000, "reason": "上限"}`, "", MaxQuotaMu},
		{"negative", `{"quota_mu": -1, "reason": "调减"}`, "negative_quota", 0},
		{"three decimals", `{"quota_mu": 1.125, "reason": "调整"}`, "bad_quota", 0},
		{"an exponent", `{"quota_mu": 1e3, "reason": "调整"}`, "bad_quota", 0},
		{"too large", `{"quota_mu": 1000000.01, "reason": "调整"}`, "quota_too_large", 0},
		{"missing", `{"reason": "调整"}`, "bad_quota", 0},
		{"no reason", `{"quota_mu": 1}`, "reason_required", 0},
		{"NUL in the reason", `{"quota_mu": 1, "reason": "a\u0000"}`, "bad_text", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var in QuotaInput
			if err := json.Unmarshal([]byte(c.body), &in); err != nil {
				t.Fatal(err)
			}
			mu, reason, err := in.parse()
			var ge *geo.Error
			switch {
			case c.code == "" && (err != nil || mu != c.mu || reason == "" || reason[0] == ' '):
				t.Fatalf("%v %q %v, want %v", mu, reason, err, c.mu)
			case c.code != "" && (!errors.As(err, &ge) || ge.Code != c.code || ge.Kind != geo.KindInvalid || ge.Message == ""):
				t.Fatalf("%v, want %s", err, c.code)
			}
		})
	}
	for _, y := range []string{"1999", "2101", "20261", "２０２６", "+2026", "abcd"} {
		if _, err := ParseQuotaYear(y); geo.KindOf(err) != geo.KindInvalid {
			t.Errorf("year %q: %v", y, err)
		}
	}
	if y, err := ParseQuotaYear("2026"); y != 2026 || err != nil {
		t.Errorf("2026: %d %v", y, err)
	}
}
