package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/paulmach/orb"
)

// parkPlan is a park as the generator lays it out: a turned rectangle cut
// by a grid of roads into blocks, each block with one land-use class and
// cut into parcels.
type parkPlan struct {
	id         geo.ID
	short      string
	name       string
	level      string
	district   geo.ID
	industries []string
	model      string
	centre     orb.Point
	w, h, rot  float64 // metres, degrees
	main       string  // land-use code of most blocks
	frame      frame
	ring       orb.Ring
	bound      orb.Bound
	xs, ys     []float64 // block edges in the park's local metres
	blocks     []*block
}

// block is a block of a park between its roads.
type block struct {
	park     *parkPlan
	col, row int
	ring     orb.Ring
	landuse  land.Code
	parcels  []int // indexes into Dataset.Parcels
	taken    bool  // a project uses the whole block
	enclave  bool
}

// The road width inside parks, in metres.
const parkRoad = 30.0

// parkSpecs are the demo's parks.
func parkSpecs() []parkPlan {
	return []parkPlan{
		{short: "JKSP", name: "漯河经济技术开发区食品产业园", level: "national", district: ETDZ,
			industries: []string{"肉制品加工", "休闲食品", "饮料", "食品装备"}, model: "主体企业开发",
			centre: orb.Point{114.068, 33.549}, w: 3000, h: 2200, rot: 0, main: "100102"},
		{short: "JKLL", name: "漯河经济技术开发区冷链物流产业园", level: "national", district: ETDZ,
			industries: []string{"冷链物流", "仓储配送", "中央厨房"}, model: "政企联合",
			centre: orb.Point{114.097, 33.553}, w: 1400, h: 1600, rot: 6, main: "110101"},
		{short: "GXQ", name: "漯河市高新技术产业开发区", level: "provincial", district: Yancheng,
			industries: []string{"电子信息", "生物医药", "新材料"}, model: "政府主导",
			centre: orb.Point{114.045, 33.635}, w: 2800, h: 2000, rot: -5, main: "100101"},
		{short: "XCKJ", name: "西城区科技产业园", level: "city", district: Xicheng,
			industries: []string{"电子商务", "科技研发", "现代服务业"}, model: "政企联合",
			centre: orb.Point{113.935, 33.566}, w: 1800, h: 1300, rot: 0, main: "100101"},
		{short: "YHCJ", name: "源汇区产业集聚区", level: "provincial", district: Yuanhui,
			industries: []string{"新材料", "纺织服装", "食品包装"}, model: "政府主导",
			centre: orb.Point{113.985, 33.515}, w: 1700, h: 1300, rot: 4, main: "100102"},
		{short: "ZLCJ", name: "召陵区产业集聚区", level: "provincial", district: Shaoling,
			industries: []string{"食品加工", "装备制造", "医疗器械"}, model: "政府主导",
			centre: orb.Point{114.138, 33.565}, w: 2600, h: 1800, rot: 10, main: "100102"},
		{short: "LGWL", name: "城乡一体化示范区临港物流园", level: "provincial", district: URDZ,
			industries: []string{"港口物流", "粮食仓储", "建材"}, model: "政企联合",
			centre: orb.Point{114.150, 33.628}, w: 1800, h: 1200, rot: 8, main: "110101"},
		{short: "YCCJ", name: "郾城区产业集聚区", level: "provincial", district: Yancheng,
			industries: []string{"智能装备", "食品", "电子信息"}, model: "主体企业开发",
			centre: orb.Point{114.030, 33.670}, w: 2400, h: 1700, rot: 0, main: "100102"},
		{short: "LYXX", name: "临颍县产业集聚区（休闲食品产业园）", level: "provincial", district: Linying,
			industries: []string{"休闲食品", "饮料", "食品包装"}, model: "主体企业开发",
			centre: orb.Point{113.988, 33.806}, w: 3600, h: 2400, rot: 0, main: "100102"},
		{short: "WYYH", name: "舞阳县产业集聚区（盐化工产业园）", level: "provincial", district: Wuyang,
			industries: []string{"盐化工", "精细化工", "新材料"}, model: "政府主导",
			centre: orb.Point{113.642, 33.446}, w: 3000, h: 2000, rot: 0, main: "100103"},
	}
}

// planParks places the parks and checks that each lies in the city, in its
// county, and clear of the rivers and of the other parks.
func (b *builder) planParks() error {
	specs := parkSpecs()
	for i := range specs {
		p := &specs[i]
		p.id = geo.ID(i + 1)
		p.frame = newFrame(p.centre)
		p.ring = quad(p.frame, 0, 0, p.w, p.h, p.rot)
		p.bound = p.ring.Bound()
		if !b.ringInCity(p.ring) {
			return fmt.Errorf("park %s reaches outside the city", p.name)
		}
		for _, rv := range b.rivers {
			if ringsMeet(p.ring, rv.riparian) {
				return fmt.Errorf("park %s reaches into the %s", p.name, rv.name)
			}
		}
		for _, t := range transportLines() {
			if lineMeetsRing(t.line, p.ring) {
				return fmt.Errorf("park %s is crossed by %s", p.name, t.name)
			}
		}
		for _, q := range b.parks {
			if ringsMeet(p.ring, q.ring) {
				return fmt.Errorf("parks %s and %s overlap", p.name, q.name)
			}
		}
		b.parks = append(b.parks, p)
		b.ds.Parks = append(b.ds.Parks, invest.Park{
			ID: p.id, Name: p.name, Level: p.level, DistrictID: p.district,
			LeadingIndustries: slices.Clone(p.industries), Model: p.model, Geom: multi(p.ring),
		})
	}
	return nil
}

// ringsMeet reports whether two rings overlap or one holds the other.
func ringsMeet(a, c orb.Ring) bool {
	if !a.Bound().Intersects(c.Bound()) {
		return false
	}
	if inside(c, a[0]) || inside(a, c[0]) {
		return true
	}
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(c); j++ {
			if _, _, _, ok, err := segInter(a[i], a[i+1], c[j], c[j+1]); ok || err != nil {
				return true
			}
		}
	}
	return false
}

// lineMeetsRing reports whether the line crosses or enters the ring.
func lineMeetsRing(l orb.LineString, r orb.Ring) bool {
	if !l.Bound().Intersects(r.Bound()) {
		return false
	}
	for _, p := range l {
		if inside(r, p) {
			return true
		}
	}
	for i := 0; i+1 < len(l); i++ {
		for j := 0; j+1 < len(r); j++ {
			if _, _, _, ok, err := segInter(l[i], l[i+1], r[j], r[j+1]); ok || err != nil {
				return true
			}
		}
	}
	return false
}

// edges splits length into n blocks with roads between them; the block
// widths vary by up to ±15%.
func edges(r *rand.Rand, length float64, n int) []float64 {
	ws := make([]float64, n)
	var sum float64
	for i := range ws {
		ws[i] = between(r, 0.85, 1.15)
		sum += ws[i]
	}
	free := length - float64(n-1)*parkRoad
	xs := []float64{-length / 2}
	x := -length / 2
	for i, w := range ws {
		x += w / sum * free
		if i == n-1 {
			x = length / 2
		}
		xs = append(xs, x)
		if i < n-1 {
			x += parkRoad
			xs = append(xs, x)
		}
	}
	return xs // block i spans xs[2i] .. xs[2i+1]
}

// localRing returns the rectangle [x0, x1] × [y0, y1] of the park's local
// metres as a counter-clockwise ring.
func (p *parkPlan) localRing(x0, y0, x1, y1 float64) orb.Ring {
	s, c := math.Sincos(p.rot * math.Pi / 180)
	pt := func(x, y float64) orb.Point { return p.frame.pt(x*c-y*s, x*s+y*c) }
	return orb.Ring{pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1), pt(x0, y0)}
}

// localPath returns the ring through the given local points, closed.
func (p *parkPlan) localPath(xy [][2]float64) orb.Ring {
	s, c := math.Sincos(p.rot * math.Pi / 180)
	r := make(orb.Ring, 0, len(xy)+1)
	for _, q := range xy {
		r = append(r, p.frame.pt(q[0]*c-q[1]*s, q[0]*s+q[1]*c))
	}
	return append(r, r[0])
}

func (b *builder) buildParcels() error {
	r := rng(streamParcels)
	for _, p := range b.parks {
		nx := max(2, int(math.Round(p.w/290)))
		ny := max(2, int(math.Round(p.h/240)))
		if p.main == "100103" {
			nx, ny = max(2, int(math.Round(p.w/400))), max(2, int(math.Round(p.h/320)))
		}
		p.xs, p.ys = edges(r, p.w, nx), edges(r, p.h, ny)
		origin := [2]float64{-p.w / 2, -p.h / 2} // the park grew from this corner
		if r.IntN(2) == 0 {
			origin[0] = p.w / 2
		}
		for row := range ny {
			for col := range nx {
				x0, x1 := p.xs[2*col], p.xs[2*col+1]
				y0, y1 := p.ys[2*row], p.ys[2*row+1]
				bl := &block{park: p, col: col, row: row, ring: p.localRing(x0, y0, x1, y1)}
				bl.landuse = land.Code{System: land.SystemGTKJ2023, Code: blockCode(r, p.main)}
				p.blocks = append(p.blocks, bl)
				if !parcelled(bl.landuse.Code) {
					continue
				}
				cx, cy := (x0+x1)/2, (y0+y1)/2
				u := math.Hypot(cx-origin[0], cy-origin[1]) / math.Hypot(p.w, p.h)
				b.cutBlock(r, bl, x0, y0, x1, y1, u)
			}
		}
	}
	b.legacyParcels()
	return nil
}

// blockCode returns the land-use code of a new block of a park whose main
// class is main: mostly main, with some storage, services, housing for
// the workforce, utilities and protective green.
func blockCode(r *rand.Rand, main string) string {
	codes := []string{main, "110101", "0901", "070102", "1303", "1402"}
	w := []float64{80, 7, 5, 3, 1.5, 3.5}
	if main == "110101" {
		codes[1] = "100101"
	}
	return codes[weighted(r, w)]
}

// parcelled reports whether blocks of the class are offered as parcels.
func parcelled(code string) bool { return code != "1303" && code != "1402" }

// cutBlock cuts a block into parcels: whole, halves, thirds, quarters or
// sixths, with cuts moved by up to ±12%.
func (b *builder) cutBlock(r *rand.Rand, bl *block, x0, y0, x1, y1, u float64) {
	p := bl.park
	patterns := [][2]int{{1, 1}, {2, 1}, {1, 2}, {3, 1}, {2, 2}, {3, 2}, {2, 3}}
	weights := []float64{8, 14, 12, 10, 24, 18, 14}
	if p.main == "100103" {
		weights = []float64{30, 25, 20, 10, 15, 0, 0}
	}
	pat := patterns[weighted(r, weights)]
	cuts := func(a0, a1 float64, n int) []float64 {
		xs := []float64{a0}
		for k := 1; k < n; k++ {
			xs = append(xs, a0+(a1-a0)*(float64(k)+between(r, -0.12, 0.12))/float64(n))
		}
		return append(xs, a1)
	}
	xs, ys := cuts(x0, x1, pat[0]), cuts(y0, y1, pat[1])
	letter := string(rune('A' + bl.row))
	for j := 0; j+1 < len(ys); j++ {
		for i := 0; i+1 < len(xs); i++ {
			ring := p.localRing(xs[i], ys[j], xs[i+1], ys[j+1])
			n := len(bl.parcels) + 1
			code := fmt.Sprintf("%s-%s%02d-%d", p.short, letter, bl.col+1, n)
			parcel := invest.Parcel{
				ID:         geo.ID(len(b.ds.Parcels) + 1),
				Code:       code,
				Name:       fmt.Sprintf("%s%s%02d-%d号地块", shortName(p.name), letter, bl.col+1, n),
				DistrictID: p.district,
				ParkID:     p.id,
				Landuse:    bl.landuse,
				Geom:       multi(ring),
			}
			fillParcel(r, &parcel, u)
			bl.parcels = append(bl.parcels, len(b.ds.Parcels))
			b.ds.Parcels = append(b.ds.Parcels, parcel)
		}
	}
}

// shortName returns a park's name without the city's and district's
// prefixes, for parcel names.
func shortName(name string) string {
	for _, pre := range []string{"漯河经济技术开发区", "漯河市", "城乡一体化示范区", "西城区"} {
		if len(name) > len(pre) && name[:len(pre)] == pre {
			return name[len(pre):]
		}
	}
	return name
}

// fillParcel sets a parcel's supply status and the fields a firm asks
// about; u in [0, 1] is how far the parcel lies from where its park began.
func fillParcel(r *rand.Rand, p *invest.Parcel, u float64) {
	x := u + between(r, -0.18, 0.18)
	switch {
	case x < 0.42:
		p.SupplyStatus = "supplied"
	case x < 0.55:
		p.SupplyStatus = pick(r, []string{"ready", "ready", "reserved"})
	case x < 0.68:
		p.SupplyStatus = pick(r, []string{"ready", "reserved", "acquired"})
	case x < 0.82:
		p.SupplyStatus = "acquired"
	default:
		p.SupplyStatus = "planned"
	}
	dec := func(lo, hi float64) *geo.Dec { return geo.DecPtr(geo.Dec(math.Round(between(r, lo, hi)) * 100)) }
	cents := func(lo, hi float64) *geo.Dec { return geo.DecPtr(geo.Dec(math.Round(between(r, lo, hi) * 100))) }
	tenths := func(lo, hi float64) geo.Dec { return geo.Dec(math.Round(between(r, lo, hi)*10) * 10) }
	code := p.Landuse.Code
	switch {
	case code == "0901":
		p.Price = cents(85, 180)
		lo := tenths(1.5, 2.2)
		p.PlotRatioMin, p.PlotRatioMax = geo.DecPtr(lo), geo.DecPtr(lo+tenths(0.8, 1.6))
		p.BuildingDensity, p.GreenRatio = dec(35, 45), dec(25, 35)
		p.InvestmentIntensity, p.TaxPerMu = dec(350, 600), cents(20, 45)
	case code == "070102" || code == "0701":
		p.Price = cents(150, 280)
		lo := tenths(1.8, 2.2)
		p.PlotRatioMin, p.PlotRatioMax = geo.DecPtr(lo), geo.DecPtr(lo+tenths(0.4, 0.8))
		p.BuildingDensity, p.GreenRatio = dec(22, 28), dec(30, 35)
		p.InvestmentIntensity, p.TaxPerMu = dec(400, 700), cents(10, 25)
	case code == "110101" || code == "1101":
		p.Price = cents(14, 20)
		lo := tenths(0.8, 1.0)
		p.PlotRatioMin, p.PlotRatioMax = geo.DecPtr(lo), geo.DecPtr(lo+tenths(0.4, 0.8))
		p.BuildingDensity, p.GreenRatio = dec(40, 55), dec(10, 15)
		p.InvestmentIntensity, p.TaxPerMu = dec(200, 280), cents(8, 18)
	default: // industrial
		p.Price = cents(15, 24)
		lo := tenths(1.0, 1.2)
		p.PlotRatioMin, p.PlotRatioMax = geo.DecPtr(lo), geo.DecPtr(lo+tenths(0.4, 0.9))
		p.BuildingDensity, p.GreenRatio = dec(40, 60), dec(10, 15)
		p.InvestmentIntensity, p.TaxPerMu = dec(250, 420), cents(15, 35)
	}
	all := []string{"road", "power", "water", "telecom", "drainage", "gas", "heat", "levelled"}
	switch p.SupplyStatus {
	case "supplied", "ready", "reserved":
		n := 6 + r.IntN(3) // 七通一平 or close to it
		p.Utilities = slices.Clone(all[:n])
		if n < 8 {
			p.Utilities = append(p.Utilities, "levelled")
		}
	case "acquired":
		p.Utilities = slices.Clone(all[:2+r.IntN(3)])
	default:
		if r.IntN(2) == 0 {
			p.Utilities = []string{"road"}
		} else {
			p.Utilities = []string{}
		}
	}
}

// legacyParcels recodes the parcels of the oldest blocks of 源汇区产业集聚区
// in the 三调 classification (GB/T 21010-2017), as older records keep
// them: 0601 工业用地 and 0604 仓储用地. They show the clash of codes between
// systems: 1001 is 工业用地 in 用地用海 but 铁路用地 in 三调.
func (b *builder) legacyParcels() {
	for _, p := range b.parks {
		if p.short != "YHCJ" {
			continue
		}
		n := 0
		for _, bl := range p.blocks {
			if bl.row > 0 || n >= 14 {
				continue
			}
			for _, i := range bl.parcels {
				pc := &b.ds.Parcels[i]
				switch pc.Landuse.Code {
				case "100102", "100101":
					pc.Landuse = land.Code{System: land.SystemGBT21010, Code: "0601"}
				case "110101":
					pc.Landuse = land.Code{System: land.SystemGBT21010, Code: "0604"}
				default:
					continue
				}
				pc.SupplyStatus = "supplied"
				n++
			}
		}
	}
}
