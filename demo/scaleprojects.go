package demo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
)

// Synthetic key projects in any number, for load tests and benchmarks
// (onemap seed --projects): spread over the districts of a database as
// the demo's are, each on a small rectangular site inside its district,
// with the demo's owners, public works, leaders and amounts, and monthly
// reports for the twelve months up to the month the data stands at, their
// actual investment ahead of or behind the plan so that warning levels
// vary.

// ProjectScale says which synthetic projects ScaleProjects makes.
type ProjectScale struct {
	N    int
	Seed uint64
	// Year and Through: the data stands at the end of month Through of
	// Year; the reports cover the twelve months up to it.
	Year    int
	Through time.Month
	// Districts are the districts with their outlines; each project lies
	// inside one of them.
	Districts []geo.District
	// CodeUsed tells the project codes (项目代码) already taken; nil:
	// none.
	CodeUsed func(string) bool
}

// scaleStage are the stages of synthetic projects and their weights:
// mostly under construction, which is what a city supervises month by
// month.
func scaleStage() ([]geo.Stage, []float64) {
	return []geo.Stage{geo.StageReserve, geo.StagePreparing, geo.StageBuilding, geo.StageOperating, geo.StageWithdrawn},
		[]float64{6, 10, 72, 9, 3}
}

// districtWeight is a district's share of the projects: the demo's
// numbers by name, 30 for a district the demo does not know.
func districtWeight(name string) float64 {
	w := map[string]float64{"源汇区": 38, "郾城区": 40, "召陵区": 38, "舞阳县": 34, "临颍县": 44,
		"漯河经济技术开发区": 52, "城乡一体化示范区": 30, "西城区": 24}[name]
	if w == 0 {
		return 30
	}
	return w
}

// districtShape is a district's outline prepared for placing sites.
type districtShape struct {
	d     geo.District
	bound orb.Bound
	segs  [][2]orb.Point // every edge of its rings
	unit  string         // its government or committee
}

func newDistrictShape(d geo.District) districtShape {
	s := districtShape{d: d, bound: d.Geom.Bound(), unit: d.Name + "人民政府"}
	if d.Kind == geo.DistrictZone {
		s.unit = d.Name + "管委会"
	}
	for _, poly := range d.Geom {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				s.segs = append(s.segs, [2]orb.Point{r[i], r[i+1]})
			}
		}
	}
	return s
}

// holds reports whether ring r lies inside the district: its corners
// inside, and no edge of the district's outline crossing it.
func (s districtShape) holds(r orb.Ring) bool {
	for _, p := range r {
		if !insideMulti(s.d.Geom, p) {
			return false
		}
	}
	rb := r.Bound()
	for _, e := range s.segs {
		if !rb.Intersects(segBound(e[0], e[1])) {
			continue
		}
		for i := 0; i+1 < len(r); i++ {
			if _, _, _, ok, err := segInter(r[i], r[i+1], e[0], e[1]); ok || err != nil {
				return false
			}
		}
	}
	return true
}

// site returns a rectangular site of about mu 亩 inside the district.
func (s districtShape) site(r *rand.Rand, mu float64) (orb.Ring, bool) {
	side := math.Sqrt(mu * geo.SquareMetresPerMu)
	aspect := between(r, 0.6, 1.6)
	for range 200 {
		c := orb.Point{between(r, s.bound.Min[0], s.bound.Max[0]), between(r, s.bound.Min[1], s.bound.Max[1])}
		if !insideMulti(s.d.Geom, c) {
			continue
		}
		ring := ccw(rect(c, side*math.Sqrt(aspect), side/math.Sqrt(aspect), between(r, -30, 30)))
		if s.holds(ring) {
			return ring, true
		}
	}
	return nil, false
}

// ScaleProjects returns o.N synthetic projects; the result depends only
// on o (and CodeUsed's answers). The projects have no IDs yet.
func ScaleProjects(o ProjectScale) ([]project.Project, error) {
	var shapes []districtShape
	var weights []float64
	var counties []districtShape
	for _, d := range o.Districts {
		if len(d.Geom) == 0 {
			continue
		}
		s := newDistrictShape(d)
		shapes, weights = append(shapes, s), append(weights, districtWeight(d.Name))
		if d.Kind == geo.DistrictCounty {
			counties = append(counties, s)
		}
	}
	if len(shapes) == 0 {
		return nil, errors.New("no districts with outlines to put projects in")
	}
	if o.Through < time.January || o.Through > time.December {
		o.Through = time.December
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x9e0ec7))
	g := scaleGen{o: o, r: r, used: map[string]bool{}, counties: counties, works: publicWorks(), owners: owners(), leaders: leaders(), kinds: blockerKinds()}
	for _, pw := range g.works {
		g.workWeights = append(g.workWeights, pw.weight)
	}
	stages, sw := scaleStage()
	out := make([]project.Project, 0, o.N)
	for range o.N {
		ds := shapes[weighted(r, weights)]
		p, err := g.project(ds, stages[weighted(r, sw)])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// scaleGen is ScaleProjects' state.
type scaleGen struct {
	o           ProjectScale
	r           *rand.Rand
	used        map[string]bool
	counties    []districtShape
	works       []publicWork
	workWeights []float64
	owners      []owner
	leaders     []string
	kinds       []blockerKind
}

// project makes one project of stage st in district ds.
func (g *scaleGen) project(ds districtShape, st geo.Stage) (project.Project, error) {
	r := g.r
	p := project.Project{Stage: st, DistrictID: ds.d.ID, ResponsibleUnit: ds.unit, OwnerContact: contact(r)}
	var mu float64
	if r.IntN(100) < 55 {
		// An enterprise's project: a plant, a warehouse, a line.
		ow := g.owners[r.IntN(len(g.owners))]
		product := pick(r, ow.products)
		mu = between(r, 30, 260)
		p.Category = geo.Category(pick(r, []string{"industry", "industry", "attraction"}))
		p.Owner, p.Industry = ow.name, ow.industry
		p.Name = ow.short + pick(r, []string{product + "扩建项目", product + "二期项目", product + "智能工厂建设项目",
			fmt.Sprintf("年产%d万吨%s项目", 2+r.IntN(29), product), product + "生产线技术改造项目"})
		code := pick(r, []string{"100101", "100102", "110101"})
		p.IntendedUse = &land.Code{System: land.SystemGTKJ2023, Code: code}
		p.TotalInvestment = roundWan(mu * between(r, 260, 520))
	} else {
		// A public work or a development in town.
		pw := g.works[weighted(r, g.workWeights)]
		mu = between(r, 15, 150)
		p.Category = "planning"
		p.Owner = ds.d.Name + "城市建设投资有限公司"
		if pw.code == "0901" || pw.code == "0902" {
			p.Category = "attraction"
			p.Owner = fmt.Sprintf("漯河%s置业有限公司", pick(r, placeNames()))
		}
		if pw.unit != "" && r.IntN(2) == 0 {
			p.ResponsibleUnit = pw.unit
		}
		p.Industry = pw.industry
		p.IntendedUse = &land.Code{System: land.SystemGTKJ2023, Code: pw.code}
		name := pick(r, pw.names)
		second := pick(r, placeNames())
		if strings.Contains(name, "第%s") {
			second = pick(r, ordinals())
		}
		args := []any{ds.d.Name, second}
		p.Name = fmt.Sprintf(name, args[:strings.Count(name, "%s")]...)
		p.TotalInvestment = roundWan(between(r, pw.lo, pw.hi))
	}
	ring, ok := ds.site(r, mu)
	if !ok {
		return p, fmt.Errorf("no room for a site of %.0f 亩 in %s", mu, ds.d.Name)
	}
	p.Site = orb.MultiPolygon{{ring}}
	p.Point = interiorPoint(ring)
	p.Leader = g.leaders[r.IntN(len(g.leaders))]
	if p.TotalInvestment >= geo.DecOf(300000, 0) {
		p.Leader = g.leaders[r.IntN(3)]
	}
	g.schedule(&p)
	if p.Stage != geo.StageReserve || r.IntN(2) == 0 {
		p.Code = g.code(&p)
	}
	return p, nil
}

// months returns the twelve months the reports cover, oldest first.
func (g *scaleGen) months() []time.Time {
	last := date(g.o.Year, g.o.Through, 1)
	out := make([]time.Time, 12)
	for i := range out {
		out[i] = last.AddDate(0, i-11, 0)
	}
	return out
}

// schedule sets a project's dates and annual plan from its stage, and its
// reports.
func (g *scaleGen) schedule(p *project.Project) {
	r := g.r
	ms := g.months()
	first, last := ms[0], ms[len(ms)-1]
	total := float64(p.TotalInvestment) / 100
	duration := 14 + r.IntN(24)
	monthIn := func(from time.Time, n int) time.Time { return from.AddDate(0, r.IntN(n), 0) }
	lag := 1.0
	switch p.Stage {
	case geo.StageReserve:
		p.PlannedStart = monthIn(last.AddDate(0, 2, 0), 24)
		p.PlannedFinish = p.PlannedStart.AddDate(0, duration, 0)
		p.TotalInvestment = roundWan(total * between(r, 1.5, 3))
		return
	case geo.StageWithdrawn:
		p.PlannedStart = monthIn(first, 18)
		p.PlannedFinish = p.PlannedStart.AddDate(0, duration, 0)
		p.WithdrawnReason = pick(r, []string{"企业投资意向变化，项目终止，调出储备库", "项目资金未落实，经季度评审调出储备库",
			"与国土空间总体规划不符，项目另行选址"})
		return
	case geo.StagePreparing:
		// Planned to start in the last months (and late) or in the months
		// to come.
		if r.IntN(2) == 0 {
			p.PlannedStart = monthIn(last.AddDate(0, -5, 0), 6)
		} else {
			p.PlannedStart = monthIn(last.AddDate(0, 1, 0), 12)
		}
		p.PlannedFinish = p.PlannedStart.AddDate(0, duration, 0)
		p.AnnualPlan = roundWan(total * between(r, 0.03, 0.1))
	case geo.StageBuilding:
		if r.IntN(4) == 0 {
			// Started within the twelve months, some after their plan.
			p.PlannedStart = monthIn(first.AddDate(0, 1, 0), 10)
			p.ActualStart = p.PlannedStart.AddDate(0, r.IntN(2), 3+r.IntN(20))
			if p.ActualStart.After(last) {
				p.ActualStart = last
			}
		} else {
			p.ActualStart = first.AddDate(0, -1-r.IntN(24), r.IntN(28))
			p.PlannedStart = date(p.ActualStart.Year(), p.ActualStart.Month(), 1)
		}
		p.PlannedFinish = last.AddDate(0, 2+r.IntN(24), 0)
		p.AnnualPlan = roundWan(total * between(r, 0.25, 0.45))
		lag = []float64{between(r, 0.95, 1.2), between(r, 0.72, 0.95), between(r, 0.25, 0.65)}[weighted(r, []float64{58, 27, 15})]
	case geo.StageOperating:
		p.ActualStart = first.AddDate(0, -12-r.IntN(24), r.IntN(28))
		p.PlannedStart = date(p.ActualStart.Year(), p.ActualStart.Month(), 1)
		p.ActualFinish = monthIn(first, 11).AddDate(0, 0, r.IntN(28))
		p.PlannedFinish = date(p.ActualFinish.Year(), p.ActualFinish.Month(), 1)
		p.AnnualPlan = roundWan(total * between(r, 0.05, 0.15))
	}
	g.reports(p, ms, lag)
}

// reports writes a project's monthly reports: the months of the twelve
// that are in its life (from its planned or actual start, whichever is
// earlier, to its finish), the plan spread by the seasons, the actual
// investment the plan times lag, nothing before the actual start. One in
// twelve reporting projects has a blocker, one in two of those far behind.
func (g *scaleGen) reports(p *project.Project, ms []time.Time, lag float64) {
	r := g.r
	begin := firstOf(p.PlannedStart)
	if !p.ActualStart.IsZero() && p.ActualStart.Before(begin) {
		begin = firstOf(p.ActualStart)
	}
	w := monthWeights()
	var sum float64
	for _, m := range ms {
		sum += w[m.Month()-1]
	}
	notes := progressNotes(p)
	for i, m := range ms {
		if m.Before(begin) || !p.ActualFinish.IsZero() && m.After(p.ActualFinish) {
			continue
		}
		planned := float64(p.AnnualPlan) / 100 * w[m.Month()-1] / sum
		if m.Before(firstOf(p.PlannedStart)) {
			planned = 0
		}
		pr := project.Progress{Month: m, Planned: geo.Dec(math.Round(planned * 100)), Photos: []string{}}
		if p.ActualStart.IsZero() || m.Before(firstOf(p.ActualStart)) {
			pr.Note = "尚未开工：" + pick(r, []string{"施工许可证办理中", "征地拆迁扫尾", "施工单位招标中"})
		} else {
			pr.Invested = geo.Dec(math.Round(planned * lag * between(r, 0.8, 1.2) * 100))
			pr.Note = notes[min(len(notes)-1, i*len(notes)/len(ms))]
			if lag < 0.65 && r.IntN(2) == 0 {
				pr.Note = pick(r, lagNotes())
			}
		}
		p.Progress = append(p.Progress, pr)
	}
	chance := 12
	if lag < 0.75 {
		chance = 2
	}
	if len(p.Progress) > 0 && r.IntN(chance) == 0 {
		p.Blockers = append(p.Blockers, newBlocker(r, g.kinds, p, ms[0], len(ms), ms[len(ms)-1].AddDate(0, 0, 27)))
	}
}

// firstOf is the first day of t's month.
func firstOf(t time.Time) time.Time { return date(t.Year(), t.Month(), 1) }

// code returns a new project code (项目代码) for p: year, the division code
// of the county its point is in, industry code, project type, serial.
func (g *scaleGen) code(p *project.Project) string {
	r := g.r
	start := p.PlannedStart
	if !p.ActualStart.IsZero() {
		start = p.ActualStart
	}
	yr := min(start.Year()-r.IntN(2), g.o.Year)
	div := "411100"
	for _, c := range g.counties {
		if insideMulti(c.d.Geom, p.Point) && len(c.d.Code) == 6 {
			div = c.d.Code
		}
	}
	ind := "78"
	for _, o := range g.owners {
		if o.name == p.Owner {
			ind = o.code
		}
	}
	typ := "03"
	if p.Category == "planning" {
		typ = "01"
	}
	for {
		c := fmt.Sprintf("%04d-%s-%s-%s-%06d", yr, div, ind, typ, 1+r.IntN(999999))
		if !g.used[c] && (g.o.CodeUsed == nil || !g.o.CodeUsed(c)) {
			g.used[c] = true
			return c
		}
	}
}
