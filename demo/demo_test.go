package demo

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/postgis"
	"github.com/paulmach/orb"
)

// The demo of 2026 is built once and shared by the tests that only read
// it.
var testDataset = sync.OnceValue(func() *postgis.Dataset { return Generate(2026) })

func datasetHash(t *testing.T, ds *postgis.Dataset) string {
	t.Helper()
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func TestDeterministic(t *testing.T) {
	a := datasetHash(t, testDataset())
	b := datasetHash(t, Generate(2026))
	if a != b {
		t.Fatalf("two runs differ: %s and %s", a, b)
	}
	if c := datasetHash(t, GenerateAsOf(2026, time.June)); c == a {
		t.Error("the data as of June equals the data of the whole year")
	}
}

func TestCounts(t *testing.T) {
	ds := testDataset()
	counts := []struct {
		what   string
		n      int
		lo, hi int
	}{
		{"districts", len(ds.Districts), 8, 8},
		{"parks", len(ds.Parks), 8, 12},
		{"parcels", len(ds.Parcels), 1800, 2300},
		{"projects", len(ds.Projects), 290, 310},
		{"land-use zones", len(ds.Landuse), 3000, 20000},
		{"control lines", len(ds.ControlLines), 100, 5000},
		{"control zones", len(ds.ControlZones), 20, 400},
		{"quotas", len(ds.Quotas), 16, 16},
		{"enclaves", len(ds.Enclaves), 3, 4},
		{"firms", len(ds.Firms), 190, 210},
		{"transport", len(ds.Transport), 30, 60},
	}
	for _, c := range counts {
		if c.n < c.lo || c.n > c.hi {
			t.Errorf("%d %s, want %d to %d", c.n, c.what, c.lo, c.hi)
		}
	}
	want := []struct{ code, name, kind string }{
		{"411102", "源汇区", "county"}, {"411103", "郾城区", "county"}, {"411104", "召陵区", "county"},
		{"411121", "舞阳县", "county"}, {"411122", "临颍县", "county"},
		{"LHETDZ", "漯河经济技术开发区", "zone"}, {"LHURDZ", "城乡一体化示范区", "zone"}, {"LHXCQ", "西城区", "zone"},
	}
	for i, w := range want {
		d := ds.Districts[i]
		if d.ID != geo.ID(i+1) || d.Code != w.code || d.Name != w.name || d.Kind != w.kind {
			t.Errorf("district %d is %d %s %s %s, want %s %s %s", i, d.ID, d.Code, d.Name, d.Kind, w.code, w.name, w.kind)
		}
	}
	byStage := map[string]int{}
	byDistrict := map[geo.ID]int{}
	for _, p := range ds.Projects {
		byStage[string(p.Stage)]++
		byDistrict[p.DistrictID]++
	}
	for _, s := range geo.Stages() {
		if byStage[s.ID] == 0 {
			t.Errorf("no project in stage %s", s.ID)
		}
	}
	for d := geo.ID(1); d <= 8; d++ {
		if byDistrict[d] < 10 {
			t.Errorf("district %d has %d projects", d, byDistrict[d])
		}
	}
	kinds := map[string]bool{}
	for _, tr := range ds.Transport {
		kinds[tr.Kind] = true
	}
	for _, k := range geo.TransportKinds() {
		if !kinds[k.ID] {
			t.Errorf("no transport feature of kind %s", k.ID)
		}
	}
	lines := map[string]bool{}
	for _, c := range ds.ControlLines {
		lines[c.Kind] = true
	}
	for _, k := range []string{"basic_farmland", "eco_redline", "urban_boundary"} {
		if !lines[k] {
			t.Errorf("no control line of kind %s", k)
		}
	}
	zones := map[string]bool{}
	for _, c := range ds.ControlZones {
		zones[c.Code] = true
	}
	for _, k := range []string{"010", "020", "030", "040"} {
		if !zones[k] {
			t.Errorf("no control zone %s", k)
		}
	}
}

func TestCodesAndValues(t *testing.T) {
	ds := testDataset()
	classes := map[land.Code]land.Class{}
	for _, c := range ds.Classes {
		classes[land.Code{System: c.System, Code: c.Code}] = c
	}
	for _, c := range ds.Classes {
		if c.Parent != "" {
			if _, ok := classes[land.Code{System: c.System, Code: c.Parent}]; !ok {
				t.Errorf("class %s %s: no parent %s", c.System, c.Code, c.Parent)
			}
		}
	}
	for _, code := range []string{"07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "1001", "100101"} {
		if !classes[land.Code{System: land.SystemGTKJ2023, Code: code}].Construction {
			t.Errorf("用地用海 %s is not construction land", code)
		}
	}
	for _, code := range []string{"01", "0103", "03", "06", "17"} {
		if classes[land.Code{System: land.SystemGTKJ2023, Code: code}].Construction {
			t.Errorf("用地用海 %s is construction land", code)
		}
	}
	if classes[land.Code{System: land.SystemGBT21010, Code: "1001"}].Name != "铁路用地" ||
		classes[land.Code{System: land.SystemGTKJ2023, Code: "1001"}].Name != "工业用地" ||
		classes[land.Code{System: land.SystemGBT21010, Code: "0601"}].Name != "工业用地" {
		t.Error("the clash of 1001 between 三调 and 用地用海 is missing")
	}
	known := func(what string, lc land.Code) {
		if _, ok := classes[lc]; !ok {
			t.Errorf("%s: unknown land-use class %s %s", what, lc.System, lc.Code)
		}
	}
	for _, z := range ds.Landuse {
		known(fmt.Sprintf("zone %d", z.ID), z.Landuse)
		if z.Plan == "" {
			t.Errorf("zone %d has no plan", z.ID)
		}
	}
	legacy := 0
	unique := func(what string) func(string) {
		seen := map[string]bool{}
		return func(s string) {
			if seen[s] {
				t.Errorf("%s %q twice", what, s)
			}
			seen[s] = true
		}
	}
	parcelCode := unique("parcel code")
	for _, p := range ds.Parcels {
		known("parcel "+p.Code, p.Landuse)
		parcelCode(p.Code)
		if p.Landuse.System == land.SystemGBT21010 {
			legacy++
		}
		if !geo.Has(geo.SupplyStatuses(), p.SupplyStatus) {
			t.Errorf("parcel %s: supply status %q", p.Code, p.SupplyStatus)
		}
		for _, u := range p.Utilities {
			if !geo.Has(geo.Utilities(), u) {
				t.Errorf("parcel %s: utility %q", p.Code, u)
			}
		}
		if p.PlotRatioMin == nil || p.PlotRatioMax == nil || *p.PlotRatioMax < *p.PlotRatioMin || *p.PlotRatioMax >= 10000 {
			t.Errorf("parcel %s: plot ratio %v–%v", p.Code, p.PlotRatioMin, p.PlotRatioMax)
		}
		for _, pct := range []*geo.Dec{p.BuildingDensity, p.GreenRatio} {
			if pct == nil || *pct < 0 || *pct > geo.DecOf(100, 0) {
				t.Errorf("parcel %s: percentage %v", p.Code, pct)
			}
		}
		if p.ParkID < 1 || int(p.ParkID) > len(ds.Parks) {
			t.Errorf("parcel %s: park %d", p.Code, p.ParkID)
		}
	}
	if legacy == 0 {
		t.Error("no parcel keeps a 三调 code")
	}
	codeRE := regexp.MustCompile(`^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$`)
	projectCode := unique("project code")
	lagging := 0
	building := 0
	for _, p := range ds.Projects {
		where := fmt.Sprintf("project %d %s", p.ID, p.Name)
		if p.Code != "" {
			projectCode(p.Code)
			if !codeRE.MatchString(p.Code) {
				t.Errorf("%s: code %q", where, p.Code)
			}
			div := strings.Split(p.Code, "-")[1]
			if !slices.ContainsFunc(ds.Districts[:5], func(d geo.District) bool { return d.Code == div }) {
				t.Errorf("%s: division %s in its code", where, div)
			}
		} else if p.Stage != "reserve" {
			t.Errorf("%s: no code", where)
		}
		if !p.Stage.Valid() || !p.Category.Valid() {
			t.Errorf("%s: stage %q category %q", where, p.Stage, p.Category)
		}
		if p.IntendedUse == nil {
			t.Errorf("%s: no intended use", where)
		} else {
			known(where, *p.IntendedUse)
		}
		if p.Leader == "" || p.Owner == "" || p.ResponsibleUnit == "" || p.TotalInvestment <= 0 || p.AnnualPlan < 0 {
			t.Errorf("%s: leader %q owner %q unit %q total %s plan %s", where, p.Leader, p.Owner, p.ResponsibleUnit, p.TotalInvestment, p.AnnualPlan)
		}
		if p.PlannedStart.IsZero() || p.PlannedFinish.Before(p.PlannedStart) {
			t.Errorf("%s: planned %v to %v", where, p.PlannedStart, p.PlannedFinish)
		}
		switch p.Stage {
		case "building":
			building++
			if p.ActualStart.IsZero() || !p.ActualFinish.IsZero() || p.ActualStart.Year() > 2026 {
				t.Errorf("%s: building with start %v finish %v", where, p.ActualStart, p.ActualFinish)
			}
			if len(p.Progress) == 0 {
				t.Errorf("%s: no progress", where)
			}
			var plan, inv geo.Dec
			for _, pr := range p.Progress {
				if pr.Month.Year() != 2026 || pr.Month.Day() != 1 || pr.Planned < 0 || pr.Invested < 0 || pr.Note == "" {
					t.Errorf("%s: progress %+v", where, pr)
				}
				plan += pr.Planned
				inv += pr.Invested
			}
			if plan > 0 && inv*10 < plan*7 {
				lagging++
			}
		case "operating":
			if p.ActualStart.IsZero() || p.ActualFinish.IsZero() || p.ActualFinish.Before(p.ActualStart) {
				t.Errorf("%s: operating with start %v finish %v", where, p.ActualStart, p.ActualFinish)
			}
		case "withdrawn":
			if p.WithdrawnReason == "" {
				t.Errorf("%s: withdrawn without a reason", where)
			}
		default:
			if !p.ActualStart.IsZero() {
				t.Errorf("%s: %s but started", where, p.Stage)
			}
		}
		if p.Stage != "building" && len(p.Progress) > 0 {
			t.Errorf("%s: progress while %s", where, p.Stage)
		}
		for _, bl := range p.Blockers {
			if !slices.Contains([]string{"land", "funds", "planning", "environment", "other"}, bl.Kind) || bl.Note == "" {
				t.Errorf("%s: blocker %+v", where, bl)
			}
		}
		if area := siteMu(p.Site); area < 15 || area > 1000 {
			t.Errorf("%s: site of %.0f 亩", where, area)
		}
	}
	if lagging*20 < building {
		t.Errorf("%d of %d projects under construction lag by more than 30 points; want at least 5%%", lagging, building)
	}
	firmName := unique("firm name")
	for _, f := range ds.Firms {
		firmName(f.Name)
		if !geo.Has(geo.FirmStages(), f.Stage) || f.ContactName == "" || !strings.Contains(f.ContactPhone, "****") {
			t.Errorf("firm %s: stage %q contact %q %q", f.Name, f.Stage, f.ContactName, f.ContactPhone)
		}
		for _, tag := range f.Tags {
			if !geo.Has(geo.FirmTags(), tag) {
				t.Errorf("firm %s: tag %q", f.Name, tag)
			}
		}
		for _, id := range f.ParcelIDs {
			if id < 1 || int(id) > len(ds.Parcels) {
				t.Errorf("firm %s: parcel %d", f.Name, id)
			}
		}
	}
	parkName := unique("park name")
	for _, p := range ds.Parks {
		parkName(p.Name)
	}
	for _, q := range ds.Quotas {
		if q.Mu <= 0 {
			t.Errorf("quota %+v", q)
		}
	}
}

func siteMu(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		a += areaM2(p[0])
	}
	return a / geo.SquareMetresPerMu
}

func TestShares(t *testing.T) {
	for _, e := range testDataset().Enclaves {
		if e.HomeDistrictID == e.HostDistrictID || e.TermYears <= 0 || e.AgreementNo == "" {
			t.Errorf("enclave %s: %+v", e.Name, e)
		}
		for _, item := range []string{"gdp", "fixed_investment", "tax", "land_revenue"} {
			prev := 0
			for _, s := range e.Shares {
				if s.Item != item {
					continue
				}
				if s.HomePct+s.HostPct != geo.DecOf(100, 0) || s.HomePct < 0 || s.HostPct < 0 {
					t.Errorf("enclave %s %s from %d: %s + %s", e.Name, item, s.FromYear, s.HomePct, s.HostPct)
				}
				if s.FromYear <= prev {
					t.Errorf("enclave %s %s: steps out of order", e.Name, item)
				}
				if prev == 0 && s.FromYear != e.AgreementDate.Year() {
					t.Errorf("enclave %s %s: schedule starts %d, agreement %d", e.Name, item, s.FromYear, e.AgreementDate.Year())
				}
				prev = s.FromYear
			}
			if prev == 0 {
				t.Errorf("enclave %s: no %s schedule", e.Name, item)
			}
		}
	}
}

// checkRing reports what is wrong with a polygon ring: open, too short,
// outside the box, without area or crossing itself.
func checkRing(r orb.Ring, box orb.Bound, simple bool) string {
	switch {
	case len(r) < 4:
		return fmt.Sprintf("%d points", len(r))
	case r[0] != r[len(r)-1]:
		return "not closed"
	case math.Abs(signedArea(r)) == 0:
		return "no area"
	}
	for _, p := range r {
		if !box.Contains(p) || math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			return fmt.Sprintf("point %v outside %v", p, box)
		}
	}
	if simple && !simpleRing(r) {
		return "crosses itself"
	}
	return ""
}

func checkPolygons(t *testing.T, what string, mp orb.MultiPolygon, box orb.Bound) {
	t.Helper()
	if len(mp) == 0 {
		t.Errorf("%s: empty", what)
	}
	for _, p := range mp {
		for k, r := range p {
			if msg := checkRing(r, box, true); msg != "" {
				t.Errorf("%s: ring %d: %s", what, k, msg)
				return
			}
			if (k == 0) != (signedArea(r) > 0) {
				t.Errorf("%s: ring %d has the wrong orientation", what, k)
			}
			if k > 0 && !inside(p[0], interiorPoint(r)) {
				t.Errorf("%s: hole %d outside its shell", what, k)
			}
		}
	}
}

func TestGeometries(t *testing.T) {
	ds := testDataset()
	// Luohe's extent (113°27′–114°16′E, 33°24′–33°59′N) as the county
	// outlines have it: they reach 114.29°E in 召陵区's east.
	box := orb.Bound{Min: orb.Point{113.44, 33.40}, Max: orb.Point{114.30, 33.99}}
	var city orb.MultiPolygon
	for _, d := range ds.Districts {
		checkPolygons(t, "district "+d.Name, d.Geom, box)
		if !box.Contains(d.Seat) || !insideMulti(d.Geom, d.Seat) {
			t.Errorf("district %s: seat %v outside", d.Name, d.Seat)
		}
		if d.Kind == "county" {
			city = append(city, d.Geom...)
		}
	}
	inCity := func(what string, mp orb.MultiPolygon) {
		for _, p := range mp {
			if !insideMulti(city, interiorPoint(p[0])) {
				t.Errorf("%s lies outside the city", what)
			}
		}
	}
	for _, p := range ds.Parks {
		checkPolygons(t, "park "+p.Name, p.Geom, box)
		inCity("park "+p.Name, p.Geom)
	}
	for _, p := range ds.Parcels {
		checkPolygons(t, "parcel "+p.Code, p.Geom, box)
	}
	for _, p := range ds.Projects {
		checkPolygons(t, "site of "+p.Name, p.Site, box)
		if !insideMulti(p.Site, p.Point) {
			t.Errorf("project %s: point outside its site", p.Name)
		}
	}
	var zoneArea float64
	for _, z := range ds.Landuse {
		checkPolygons(t, fmt.Sprintf("zone %d", z.ID), z.Geom, box)
		for _, p := range z.Geom {
			zoneArea += areaM2(p[0])
		}
	}
	var cityArea float64
	for _, p := range city {
		cityArea += areaM2(p[0])
	}
	// The zones tile the city: their areas add up to its area (slivers
	// under 20 m² are dropped).
	if math.Abs(zoneArea-cityArea)/cityArea > 0.001 {
		t.Errorf("zones cover %.1f km², the city %.1f km²", zoneArea/1e6, cityArea/1e6)
	}
	for _, c := range ds.ControlLines {
		checkPolygons(t, "control line "+c.Name, c.Geom, box)
	}
	for _, c := range ds.ControlZones {
		checkPolygons(t, "control zone "+c.Code, c.Geom, box)
	}
	for _, e := range ds.Enclaves {
		checkPolygons(t, "enclave "+e.Name, e.Geom, box)
	}
	for _, tr := range ds.Transport {
		var pts []orb.Point
		switch g := tr.Geom.(type) {
		case orb.Point:
			pts = []orb.Point{g}
		case orb.LineString:
			pts = g
		case orb.MultiLineString:
			for _, l := range g {
				if len(l) < 2 {
					t.Errorf("%s: a part of %d points", tr.Name, len(l))
				}
				pts = append(pts, l...)
			}
		default:
			t.Errorf("%s: geometry %T", tr.Name, tr.Geom)
		}
		for _, p := range pts {
			if !box.Contains(p) {
				t.Errorf("%s: %v outside the extent", tr.Name, p)
				break
			}
		}
	}
	for _, f := range ds.Firms {
		if f.HQ[0] < -180 || f.HQ[0] > 180 || f.HQ[1] < -90 || f.HQ[1] > 90 {
			t.Errorf("firm %s at %v", f.Name, f.HQ)
		}
	}
}

func TestParcelsDoNotOverlap(t *testing.T) {
	ps := testDataset().Parcels
	for i := range ps {
		a := ps[i].Geom[0][0]
		ab := a.Bound()
		inner := shrink(a, 0.98)
		for j := range ps {
			if i == j {
				continue
			}
			b := ps[j].Geom[0][0]
			if !ab.Intersects(b.Bound()) {
				continue
			}
			for _, p := range append(inner[:4:4], centroid(a)) {
				if inside(b, p) {
					t.Fatalf("parcels %s and %s overlap", ps[i].Code, ps[j].Code)
				}
			}
		}
	}
}

func TestCounties(t *testing.T) {
	cs, err := loadCounties()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"411102": "源汇区", "411103": "郾城区", "411104": "召陵区", "411121": "舞阳县", "411122": "临颍县"}
	var total float64
	for _, c := range cs {
		if want[c.adcode] != c.name {
			t.Errorf("county %s %s", c.adcode, c.name)
		}
		for _, p := range c.geom {
			total += areaM2(p[0])
		}
	}
	// Luohe covers about 2 617 km² (the outlines of the data file, drawn
	// at 1/1024 degree, give a little more).
	if total < 2550e6 || total > 2750e6 {
		t.Errorf("the counties cover %.0f km²", total/1e6)
	}
}

func TestScale(t *testing.T) {
	const n = 20000
	hash := func() (string, int) {
		h := sha256.New()
		count := 0
		for z, err := range ScaleLanduse(n, 7) {
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s %v\n", z.Landuse.Code, z.Geom)
			count++
		}
		return fmt.Sprintf("%x", h.Sum(nil)), count
	}
	a, count := hash()
	b, _ := hash()
	if a != b || count != n {
		t.Fatalf("%d zones, hashes %s and %s", count, a, b)
	}
	box := ScaleExtent()
	g := newScaleGrid(n)
	i := 0
	for z := range ScaleLanduse(n, 7) {
		if msg := checkRing(z.Geom[0][0], box, true); msg != "" {
			t.Fatalf("zone %d: %s", i, msg)
		}
		// Each polygon stays in its own cell, so none overlap.
		c := g.centre(i)
		cell := orb.Bound{Min: orb.Point{c[0] - g.dLon/2, c[1] - g.dLat/2}, Max: orb.Point{c[0] + g.dLon/2, c[1] + g.dLat/2}}
		for _, p := range z.Geom[0][0] {
			if !cell.Contains(p) {
				t.Fatalf("zone %d leaves its cell", i)
			}
		}
		i++
	}
	np := 0
	codes := map[string]bool{}
	for p := range ScaleParcels(n, 7) {
		if codes[p.Code] || checkRing(p.Geom[0][0], box, true) != "" {
			t.Fatalf("parcel %s", p.Code)
		}
		codes[p.Code] = true
		np++
	}
	if np != n/100 {
		t.Errorf("%d parcels, want %d", np, n/100)
	}
	// For a million zones, a zoom-14 tile holds about 950.
	big := newScaleGrid(1_000_000)
	if big.spacing < 60 || big.spacing > 80 {
		t.Errorf("a million zones are %.0f m apart", big.spacing)
	}
}

func TestAsOf(t *testing.T) {
	for _, m := range []time.Month{time.January, time.July} {
		ds := GenerateAsOf(2025, m)
		end := date(2025, m+1, 1)
		for _, p := range ds.Projects {
			for _, pr := range p.Progress {
				if !pr.Month.Before(end) || pr.Month.Year() != 2025 {
					t.Errorf("as of %s: %s reports %s", m, p.Name, pr.Month.Format("2006-01"))
				}
			}
			if !p.ActualStart.IsZero() && !p.ActualStart.Before(end) {
				t.Errorf("as of %s: %s started %s", m, p.Name, p.ActualStart.Format(time.DateOnly))
			}
			if !p.ActualFinish.IsZero() && !p.ActualFinish.Before(end) {
				t.Errorf("as of %s: %s finished %s", m, p.Name, p.ActualFinish.Format(time.DateOnly))
			}
			if p.Stage == "building" && len(p.Progress) == 0 {
				t.Errorf("as of %s: %s has no progress", m, p.Name)
			}
		}
	}
}
