package invest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/luohe/onemap/geo"
)

// TestSplitRounding checks the rounding rule of split: home and host add
// up to the whole, and the 0.01 万元 left over goes by the larger
// remainder, to the host on a tie.
func TestSplitRounding(t *testing.T) {
	for _, c := range []struct {
		amount, home, wantHome geo.Dec
	}{
		{geo.DecOf(1, 0), geo.DecOf(33, 33), geo.DecOf(0, 33)},
		{geo.DecOf(1, 0), geo.DecOf(66, 67), geo.DecOf(0, 67)},
		{geo.DecOf(0, 1), geo.DecOf(50, 0), 0}, // a tie: the host's
		{geo.DecOf(0, 3), geo.DecOf(50, 0), 1}, // 1.5 : 1.5 hundredths, the host takes the tie
		{geo.DecOf(0, 1), geo.DecOf(50, 1), 1}, // 0.5001 : 0.4999
		{geo.DecOf(100, 0), geo.DecOf(100, 0), geo.DecOf(100, 0)},
		{geo.DecOf(100, 0), 0, 0},
		{geo.DecOf(999_999_999_999, 99), geo.DecOf(33, 33), geo.DecOf(333_299_999_999, 100)}, // numeric(14, 2)'s largest
	} {
		p := split(c.amount, c.home)
		if p.Home != c.wantHome || p.Home+p.Host != c.amount || p.Whole != c.amount {
			t.Errorf("split(%s, %s%%) = %s : %s, want home %s", c.amount, c.home, p.Home, p.Host, c.wantHome)
		}
	}
}

// TestDistrictTableAddsUp splits many projects' awkward figures by
// stepped schedules with awkward percentages and checks that every column
// of the district table, with and without the split, adds up to the city
// total exactly, that the city total is the projects' sum, and that only
// the enclaves' districts differ between the two.
func TestDistrictTableAddsUp(t *testing.T) {
	ds := []geo.District{{ID: 1, Name: "源汇区"}, {ID: 2, Name: "郾城区"}, {ID: 3, Name: "舞阳县"}, {ID: 4, Name: "经开区"}}
	pct := func(home geo.Dec) (geo.Dec, geo.Dec) { return home, geo.DecOf(100, 0) - home }
	step := func(item string, year int, home geo.Dec) EnclaveShare {
		h, s := pct(home)
		return EnclaveShare{Item: item, FromYear: year, HomePct: h, HostPct: s}
	}
	es := []EnclaveRecord{
		{Enclave: Enclave{ID: 1, HomeDistrictID: 3, HostDistrictID: 4, AgreementDate: time.Date(2021, 6, 18, 0, 0, 0, 0, time.UTC), TermYears: 20,
			Shares: []EnclaveShare{step("fixed_investment", 2021, geo.DecOf(33, 33)), step("fixed_investment", 2024, geo.DecOf(66, 67)),
				step("gdp", 2021, geo.DecOf(12, 34)), step("gdp", 2025, geo.DecOf(0, 1)), step("tax", 2021, geo.DecOf(99, 99))}}},
		{Enclave: Enclave{ID: 2, HomeDistrictID: 1, HostDistrictID: 2, AgreementDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), TermYears: 3,
			Shares: []EnclaveShare{step("fixed_investment", 2023, geo.DecOf(50, 0)), step("gdp", 2023, geo.DecOf(14, 29)), step("tax", 2023, geo.DecOf(57, 14))}}},
	}
	r := rand.New(rand.NewPCG(17, 922))
	var pys []ProjectYear
	var city Stats[geo.Dec]
	for i := range 5000 {
		// A project inside an enclave lies in its host district.
		py := ProjectYear{ProjectID: geo.ID(i + 1), DistrictID: geo.ID(r.IntN(4) + 1), EnclaveID: geo.ID(r.IntN(3))}
		if py.EnclaveID > 0 {
			py.DistrictID = es[py.EnclaveID-1].HostDistrictID
		}
		py.Investment, py.ValueAdded, py.Tax = geo.Dec(r.Int64N(1_000_000_00)), geo.Dec(r.Int64N(100_01)), geo.Dec(r.Int64N(7))
		pys = append(pys, py)
		city.Investment += py.Investment
		city.ValueAdded += py.ValueAdded
		city.Tax += py.Tax
	}
	for _, year := range []int{2020, 2021, 2023, 2024, 2025, 2026, 2041} {
		tb, err := districtTable(year, ds, es, pys)
		if err != nil {
			t.Fatal(err)
		}
		if tb.City != city {
			t.Fatalf("%d: city %+v, the projects add up to %+v", year, tb.City, city)
		}
		var with, without Stats[geo.Dec]
		for _, row := range tb.Rows {
			for i, f := range with.fields() {
				*f += *row.With.fields()[i]
				*without.fields()[i] += *row.Without.fields()[i]
			}
		}
		if with != city || without != city {
			t.Errorf("%d: with the split %+v, without %+v, city %+v", year, with, without, city)
		}
		// District 1 is home of enclave 2 (2023–2025) only; the
		// projects registered in it count whole without the split.
		moved := tb.Rows[0].With != tb.Rows[0].Without
		if moved != (year >= 2023 && year <= 2025) {
			t.Errorf("%d: 源汇区 with %+v, without %+v", year, tb.Rows[0].With, tb.Rows[0].Without)
		}
	}
}

// TestStepIn checks which step of a schedule is in force: the last that
// started, and none before the agreement's year or after its term.
func TestStepIn(t *testing.T) {
	e := Enclave{AgreementDate: time.Date(2021, 6, 18, 0, 0, 0, 0, time.UTC), TermYears: 10, Shares: []EnclaveShare{
		{Item: "gdp", FromYear: 2021, HomePct: geo.DecOf(70, 0)}, {Item: "gdp", FromYear: 2024, HomePct: geo.DecOf(60, 0)},
		{Item: "tax", FromYear: 2021, HomePct: geo.DecOf(80, 0)}}}
	for year, want := range map[int]geo.Dec{2020: -1, 2021: geo.DecOf(70, 0), 2023: geo.DecOf(70, 0), 2024: geo.DecOf(60, 0),
		2030: geo.DecOf(60, 0), 2031: -1} {
		st, ok := e.StepIn("gdp", year)
		if ok != (want >= 0) || ok && st.HomePct != want {
			t.Errorf("%d: %+v %v, want %s", year, st, ok, want)
		}
	}
}
