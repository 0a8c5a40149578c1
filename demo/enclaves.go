package demo

import (
	"fmt"
	"math"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
)

// Enclaves (飞地): blocks of a host district's park run for a home
// district, with stepped share schedules.

type enclaveSpec struct {
	name          string
	park          string
	cols, rows    [2]int // blocks, inclusive; negative counts from the end
	home, host    geo.ID
	quota         geo.ID
	no            string
	y             int
	m, d          int
	term          int
	model         string
	gdp, inv, tax [][2]int // from-year offset, home percent
	land          [][2]int
}

func enclaveSpecs() []enclaveSpec {
	return []enclaveSpec{
		{name: "舞阳县—经开区飞地产业园", park: "JKSP", cols: [2]int{-3, -1}, rows: [2]int{0, 2},
			home: Wuyang, host: ETDZ, quota: ETDZ, no: "漯经开〔2021〕18号", y: 2021, m: 6, d: 18, term: 20, model: "飞地工业",
			gdp: [][2]int{{0, 70}, {3, 60}, {6, 50}}, inv: [][2]int{{0, 80}, {4, 60}}, tax: [][2]int{{0, 80}, {5, 60}},
			land: [][2]int{{0, 0}}},
		{name: "临颍县—经开区冷链食品飞地园", park: "JKLL", cols: [2]int{0, 1}, rows: [2]int{0, 2},
			home: Linying, host: ETDZ, quota: Linying, no: "漯经开〔2022〕7号", y: 2022, m: 3, d: 26, term: 15, model: "政企联合",
			gdp: [][2]int{{0, 60}, {3, 50}}, inv: [][2]int{{0, 60}}, tax: [][2]int{{0, 70}, {3, 60}, {6, 50}},
			land: [][2]int{{0, 30}, {5, 20}}},
		{name: "郾城区—示范区临港物流飞地园", park: "LGWL", cols: [2]int{0, 2}, rows: [2]int{0, 1},
			home: Yancheng, host: URDZ, quota: Yancheng, no: "漯示范〔2023〕5号", y: 2023, m: 9, d: 12, term: 20, model: "联合管委会",
			gdp: [][2]int{{0, 50}}, inv: [][2]int{{0, 70}, {2, 50}}, tax: [][2]int{{0, 60}, {4, 50}},
			land: [][2]int{{0, 40}}},
		{name: "源汇区—西城区科创飞地", park: "XCKJ", cols: [2]int{-2, -1}, rows: [2]int{-3, -1},
			home: Yuanhui, host: Xicheng, quota: Xicheng, no: "漯西城〔2024〕3号", y: 2024, m: 5, d: 20, term: 10, model: "第三方运营",
			gdp: [][2]int{{0, 60}, {2, 50}}, inv: [][2]int{{0, 50}}, tax: [][2]int{{0, 70}, {3, 55}},
			land: [][2]int{{0, 0}}},
	}
}

func (b *builder) buildEnclaves() error {
	for i, s := range enclaveSpecs() {
		var pk *parkPlan
		for _, p := range b.parks {
			if p.short == s.park {
				pk = p
			}
		}
		if pk == nil {
			return fmt.Errorf("%s: no park %s", s.name, s.park)
		}
		nx, ny := len(pk.xs)/2, len(pk.ys)/2
		idx := func(k, n int) int {
			if k < 0 {
				k += n
			}
			return max(0, min(k, n-1))
		}
		c0, c1 := idx(s.cols[0], nx), idx(s.cols[1], nx)
		r0, r1 := idx(s.rows[0], ny), idx(s.rows[1], ny)
		ring := pk.localRing(pk.xs[2*c0], pk.ys[2*r0], pk.xs[2*c1+1], pk.ys[2*r1+1])
		for _, bl := range pk.blocks {
			if bl.col >= c0 && bl.col <= c1 && bl.row >= r0 && bl.row <= r1 {
				bl.enclave = true
			}
		}
		e := invest.Enclave{
			ID: geo.ID(i + 1), Name: s.name, HomeDistrictID: s.home, HostDistrictID: s.host,
			AgreementNo: s.no, AgreementDate: date(s.y, time.Month(s.m), s.d), TermYears: s.term,
			Model: s.model, QuotaDistrictID: s.quota, Geom: multi(ring),
		}
		for _, item := range []struct {
			id    string
			steps [][2]int
		}{{"gdp", s.gdp}, {"fixed_investment", s.inv}, {"tax", s.tax}, {"land_revenue", s.land}} {
			for _, st := range item.steps {
				home := geo.DecOf(int64(st[1]), 0)
				e.Shares = append(e.Shares, invest.EnclaveShare{
					Item: item.id, FromYear: s.y + st[0], HomePct: home, HostPct: geo.DecOf(100, 0) - home,
				})
			}
		}
		b.ds.Enclaves = append(b.ds.Enclaves, e)
	}
	return nil
}

// buildQuotas sets each district's construction-land quota for the year
// and the year before, in 亩, from the sites its key projects need: most
// districts have room left, 城乡一体化示范区 is over.
func (b *builder) buildQuotas() error {
	need := make([]float64, 9)
	for _, p := range b.ds.Projects {
		if p.Site == nil || p.Stage == "withdrawn" || p.Stage == "operating" {
			continue
		}
		var a float64
		for _, poly := range p.Site {
			a += areaM2(poly[0])
		}
		need[p.DistrictID] += a / geo.SquareMetresPerMu
	}
	factor := []float64{0, 1.35, 1.5, 1.25, 1.6, 1.4, 1.12, 0.94, 1.3}
	for d := geo.ID(1); d <= 8; d++ {
		q := math.Round(need[d]*factor[d]/10) * 10
		b.ds.Quotas = append(b.ds.Quotas,
			land.Quota{DistrictID: d, Year: b.year - 1, Mu: geo.DecOf(int64(math.Round(q*0.9)), 50)},
			land.Quota{DistrictID: d, Year: b.year, Mu: geo.DecOf(int64(q), 0)},
		)
	}
	return nil
}
