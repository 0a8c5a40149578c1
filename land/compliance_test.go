package land

import (
	"slices"
	"testing"
)

func TestAssessRules(t *testing.T) {
	const site = 10000.0
	farmland := Overlap{Layer: LayerBasicFarmland, ID: 1, Name: "农田", AreaM2: 2000}
	zone := func(code string, m2 float64) Overlap {
		return Overlap{Layer: LayerControlZones, ID: 2, Code: code, AreaM2: m2}
	}
	industry := Overlap{Layer: LayerLanduse, ID: 3, System: SystemGTKJ2023, Code: "100101", Class: "一类工业用地", AreaM2: 6000}
	housing := Overlap{Layer: LayerLanduse, ID: 4, System: SystemGTKJ2023, Code: "070102", Class: "二类城镇住宅用地", AreaM2: 4000}
	old := Overlap{Layer: LayerLanduse, ID: 5, System: SystemGBT21010, Code: "0601", Class: "工业用地", AreaM2: 4000}
	for _, c := range []struct {
		name     string
		overlaps []Overlap
		outside  float64
		intended *Code
		verdict  Verdict
		rules    []Rule
	}{
		{"nothing", nil, 0, nil, VerdictCompliant, nil},
		{"farmland and a prohibited zone", []Overlap{farmland, zone("040", 100)}, 0, nil, VerdictBlocking, []Rule{RuleBasicFarmland, RuleProhibitedZone}},
		{"conditional zone", []Overlap{zone("020", 100)}, 0, nil, VerdictConditional, []Rule{RuleConditionalZone}},
		{"allowed zone", []Overlap{zone("010", site)}, 0, nil, VerdictCompliant, nil},
		{"outside the urban boundary", nil, 5000, nil, VerdictWarning, []Rule{RuleOutsideUrban}},
		{"outside by a sliver", nil, 0.5, nil, VerdictCompliant, nil},
		{"farmland sliver", []Overlap{{Layer: LayerBasicFarmland, ID: 1, AreaM2: 0.9}}, 0, nil, VerdictCompliant, nil},
		{"intended parent class matches", []Overlap{industry}, 0, &Code{SystemGTKJ2023, "1001"}, VerdictCompliant, nil},
		{"intended class differs", []Overlap{industry, housing}, 0, &Code{SystemGTKJ2023, "100101"}, VerdictConflict, []Rule{RuleLanduseMismatch}},
		{"another system is not compared", []Overlap{old}, 0, &Code{SystemGTKJ2023, "0701"}, VerdictCompliant, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Assess(SiteOverlaps{AreaM2: site, OutsideUrbanM2: c.outside, Overlaps: c.overlaps}, c.intended, DefaultCheckSettings())
			var rules []Rule
			for _, f := range r.Rules {
				rules = append(rules, f.Rule)
			}
			if r.Verdict != c.verdict || !slices.Equal(rules, c.rules) {
				t.Fatalf("verdict %s rules %v, want %s %v", r.Verdict, rules, c.verdict, c.rules)
			}
		})
	}
}

func TestAssessMeasures(t *testing.T) {
	o := []Overlap{
		{Layer: LayerLanduse, ID: 1, System: SystemGTKJ2023, Code: "100101", Class: "一类工业用地", AreaM2: 3000},
		{Layer: LayerLanduse, ID: 2, System: SystemGTKJ2023, Code: "100101", Class: "一类工业用地", AreaM2: 1000},
		{Layer: LayerLanduse, ID: 3, System: SystemGTKJ2023, Code: "1207", Class: "城镇村道路用地", AreaM2: 30},
		{Layer: LayerLanduse, ID: 4, System: SystemGTKJ2023, Code: "1207", AreaM2: 5},
	}
	set := DefaultCheckSettings()
	set.ToleranceShare = 0.001 // 0.1% of 10 000 m²: 10 m²
	r := Assess(SiteOverlaps{AreaM2: 10000, Overlaps: o}, nil, set)
	lu := r.Layers[0]
	if r.ToleranceM2 != 10 || lu.Slivers != 1 || len(lu.Zones) != 3 || len(lu.Classes) != 2 {
		t.Fatalf("tolerance %v slivers %d zones %d classes %d", r.ToleranceM2, lu.Slivers, len(lu.Zones), len(lu.Classes))
	}
	c := lu.Classes[0]
	if c.Code != "100101" || c.Zones != 2 || c.AreaM2 != 4000 || c.Mu != 6 || c.Hectares != 0.4 || c.Share != 0.4 {
		t.Fatalf("class %+v", c)
	}
	if lu.Total.AreaM2 != 4030 || lu.Zones[0].ID != 1 {
		t.Fatalf("total %+v, first zone %d", lu.Total, lu.Zones[0].ID)
	}
}

func TestCheckSettingsValidate(t *testing.T) {
	if err := DefaultCheckSettings().Validate(); err != nil {
		t.Fatal(err)
	}
	s := DefaultCheckSettings()
	s.Severity[RuleOutsideUrban] = VerdictCompliant
	if err := s.Validate(); err != nil {
		t.Fatalf("compliant is a verdict: %v", err)
	}
	s.Severity[RuleOutsideUrban] = "fine"
	if s.Validate() == nil {
		t.Fatal("an unknown verdict passed")
	}
}
