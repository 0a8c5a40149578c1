package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/luohe/onemap/land"
	"github.com/luohe/onemap/project"
	"github.com/paulmach/orb"
)

// Key projects: about 300 across the eight districts and all stages, each
// with a site — a parcel or a block of a park, a zone of the town plan, a
// field in the countryside (some sites do not comply, so that the
// compliance check has something to say) or a corridor along a road or a
// river — monthly progress for those under construction, and blockers.

// leader is a city leader in charge of projects (分包领导).
func leaders() []string {
	return []string{
		"刘建国 市委书记", "王志强 市长", "陈卫东 常务副市长", "张丽华 副市长", "李明远 副市长",
		"赵国庆 副市长", "孙海涛 副市长", "周晓燕 市委常委、统战部部长", "吴振宇 市委常委、经开区党工委书记",
		"郑伟 市人大常委会副主任", "冯秀兰 市政协副主席",
	}
}

// districtUnits returns each district's government or committee, by ID.
func districtUnits() []string {
	return []string{"",
		"源汇区人民政府", "郾城区人民政府", "召陵区人民政府", "舞阳县人民政府", "临颍县人民政府",
		"漯河经济技术开发区管委会", "城乡一体化示范区管委会", "西城区管委会"}
}

// owner is an enterprise that owns projects, with the parks it builds in.
type owner struct {
	name     string
	short    string
	industry string // 国民经济行业 field of the project
	code     string // 2-digit industry code of the project code
	products []string
	parks    []string // park shorts
}

func owners() []owner {
	food := []string{"JKSP", "ZLCJ", "YCCJ"}
	return []owner{
		{"河南双汇投资发展股份有限公司", "双汇", "农副食品加工", "13", []string{"高温肉制品", "低温肉制品", "中式菜肴", "预制菜", "调理肉制品"}, []string{"JKSP", "JKLL"}},
		{"中粮面业（漯河）有限公司", "中粮", "农副食品加工", "13", []string{"专用面粉", "挂面", "食用植物油"}, []string{"JKSP", "LGWL"}},
		{"可口可乐装瓶商生产（漯河）有限公司", "可口可乐", "饮料制造", "15", []string{"碳酸饮料", "果汁饮料", "瓶装水"}, []string{"JKSP"}},
		{"漯河旺旺食品有限公司", "旺旺", "食品制造", "14", []string{"米果", "乳饮品", "休闲零食"}, []string{"JKSP"}},
		{"嘉吉饲料（漯河）有限公司", "嘉吉", "农副食品加工", "13", []string{"畜禽饲料", "预混料"}, []string{"JKSP", "ZLCJ"}},
		{"漯河统一企业有限公司", "统一", "食品制造", "14", []string{"方便面", "茶饮料", "调味品"}, []string{"JKSP"}},
		{"漯河卫龙食品有限公司", "卫龙", "食品制造", "14", []string{"调味面制品", "魔芋制品", "豆制品"}, []string{"JKSP", "YCCJ"}},
		{"今麦郎食品（漯河）有限公司", "今麦郎", "食品制造", "14", []string{"方便面", "挂面", "饮用水"}, []string{"JKSP", "ZLCJ"}},
		{"临颍盼盼食品有限公司", "盼盼", "食品制造", "14", []string{"烘焙食品", "膨化食品", "饮料"}, []string{"LYXX"}},
		{"亲亲食品（临颍）有限公司", "亲亲", "食品制造", "14", []string{"果冻", "虾条", "坚果"}, []string{"LYXX"}},
		{"养元智汇饮品（河南）有限公司", "养元", "饮料制造", "15", []string{"核桃乳", "植物蛋白饮料"}, []string{"LYXX"}},
		{"颐海（漯河）食品有限公司", "颐海", "食品制造", "14", []string{"火锅底料", "复合调味料", "方便速食"}, []string{"LYXX"}},
		{"华润怡宝饮料（临颍）有限公司", "怡宝", "饮料制造", "15", []string{"包装饮用水", "茶饮料"}, []string{"LYXX"}},
		{"河南南街村（集团）有限公司", "南街村", "食品制造", "14", []string{"方便面", "调味品", "啤酒"}, []string{"LYXX"}},
		{"中盐舞阳盐化有限公司", "中盐舞阳", "化学原料和化学制品制造", "26", []string{"真空制盐", "元明粉", "氯化钙"}, []string{"WYYH"}},
		{"河南金大地化工有限责任公司", "金大地", "化学原料和化学制品制造", "26", []string{"纯碱", "氯化铵", "芒硝"}, []string{"WYYH"}},
		{"舞阳县盐化工业园投资有限公司", "舞阳盐化投资", "化学原料和化学制品制造", "26", []string{"盐化工标准化厂房", "氯碱"}, []string{"WYYH"}},
		{"平煤神马舞阳盐化有限公司", "平煤神马", "化学原料和化学制品制造", "26", []string{"烧碱", "聚氯乙烯", "精细化学品"}, []string{"WYYH"}},
		{"漯河银鸽纸业有限公司", "银鸽", "造纸和纸制品", "22", []string{"食品包装纸", "生活用纸"}, []string{"YHCJ"}},
		{"漯河利通液压科技股份有限公司", "利通", "通用设备制造", "34", []string{"液压胶管", "智能装备"}, []string{"YHCJ", "YCCJ"}},
		{"漯河恒信新材料有限公司", "恒信", "橡胶和塑料制品", "29", []string{"食品包装材料", "功能薄膜"}, []string{"YHCJ", "GXQ"}},
		{"漯河锦程纺织服饰有限公司", "锦程", "纺织服装", "18", []string{"针织服装", "功能面料"}, []string{"YHCJ"}},
		{"河南瑞丰生物医药有限公司", "瑞丰生物", "医药制造", "27", []string{"生物制剂", "原料药"}, []string{"GXQ"}},
		{"漯河华兴电子科技有限公司", "华兴电子", "计算机、通信和其他电子设备制造", "39", []string{"电子元器件", "智能终端"}, []string{"GXQ", "YCCJ"}},
		{"漯河中原智能装备有限公司", "中原智能", "专用设备制造", "35", []string{"食品机械", "智能包装设备"}, append([]string{"GXQ"}, food...)},
		{"漯河康华医疗器械有限公司", "康华医疗", "专用设备制造", "35", []string{"医用耗材", "医疗器械"}, []string{"ZLCJ"}},
		{"漯河亚太食品有限公司", "亚太食品", "食品制造", "14", []string{"速冻食品", "烘焙食品"}, food},
		{"河南万纬冷链物流有限公司", "万纬冷链", "装卸搬运和仓储", "59", []string{"冷链仓储", "分拨中心"}, []string{"JKLL"}},
		{"京东物流（漯河）有限公司", "京东物流", "装卸搬运和仓储", "59", []string{"智能分拣中心", "仓储配送"}, []string{"JKLL", "LGWL"}},
		{"漯河港务集团有限公司", "漯河港务", "水上运输", "55", []string{"集装箱码头", "散货泊位", "港口物流"}, []string{"LGWL"}},
		{"中储粮漯河直属库有限公司", "中储粮", "装卸搬运和仓储", "59", []string{"粮食仓储", "粮食烘干"}, []string{"LGWL"}},
		{"漯河中联建材有限公司", "中联建材", "非金属矿物制品", "30", []string{"装配式建材", "商品混凝土"}, []string{"LGWL"}},
		{"漯河数字经济产业园运营有限公司", "数字经济", "软件和信息技术服务", "65", []string{"数据中心", "电商直播基地"}, []string{"XCKJ"}},
		{"河南中科创新科技有限公司", "中科创新", "科技推广和应用服务", "75", []string{"检验检测中心", "研发中试基地"}, []string{"XCKJ", "GXQ"}},
	}
}

// publicWork is a kind of government project in town: its class, names
// and unit.
type publicWork struct {
	code     string // intended land-use class
	industry string
	icode    string
	unit     string // 责任单位; empty: the district's government
	names    []string
	lo, hi   float64 // total investment, 万元
	weight   float64
}

func publicWorks() []publicWork {
	return []publicWork{
		{"080403", "教育", "83", "市教育局", []string{"%s第%s实验学校建设项目", "%s第%s初级中学新建项目", "%s九年一贯制学校建设项目"}, 12000, 45000, 10},
		{"080402", "教育", "83", "市教育局", []string{"%s职业教育园区建设项目", "漯河食品职业学院%s新校区项目"}, 60000, 180000, 2},
		{"080601", "卫生", "84", "市卫生健康委", []string{"%s人民医院新院区建设项目", "%s中医院综合病房楼项目", "漯河市%s妇幼保健院迁建项目"}, 40000, 160000, 5},
		{"070102", "房地产", "70", "市住房和城乡建设局", []string{"%s%s片区城市更新项目", "%s保障性租赁住房项目", "%s老旧小区改造提升项目"}, 20000, 120000, 12},
		{"1401", "公共设施管理", "78", "市城市管理局", []string{"%s%s公园建设项目", "%s口袋公园及绿道建设项目"}, 5000, 30000, 5},
		{"0901", "商务服务", "72", "", []string{"漯河%s城市综合体项目", "%s特色商业街区改造项目", "%s农产品批发市场升级项目"}, 50000, 250000, 6},
		{"0902", "商务服务", "72", "市商务局", []string{"%s总部经济大厦项目", "%s金融商务中心项目"}, 40000, 150000, 3},
		{"0803", "文化", "88", "市文化广电和旅游局", []string{"漯河市%s文化艺术中心项目", "%s图书馆和档案馆项目"}, 30000, 90000, 2},
		{"0805", "体育", "89", "市体育局", []string{"%s全民健身中心项目", "%s体育公园建设项目"}, 15000, 60000, 2},
		{"0807", "卫生", "84", "市民政局", []string{"%s养老服务中心建设项目", "%s社会福利院迁建项目"}, 8000, 30000, 2},
		{"1302", "水的生产和供应", "46", "市城市管理局", []string{"%s第%s污水处理厂建设项目", "%s污水处理厂提标改造项目"}, 10000, 50000, 3},
		{"1301", "水的生产和供应", "46", "市水利局", []string{"%s城乡供水一体化水厂项目"}, 15000, 60000, 2},
		{"1303", "电力、热力生产和供应", "44", "国网漯河供电公司", []string{"220千伏%s输变电工程", "110千伏%s变电站新建工程"}, 8000, 40000, 3},
		{"1208", "道路运输", "54", "市交通运输局", []string{"%s公交枢纽站建设项目", "%s客运综合枢纽项目"}, 10000, 80000, 2},
		{"16", "公共设施管理", "78", "", []string{"%s%s片区综合开发项目"}, 30000, 120000, 1},
	}
}

// Place names for project names.
func placeNames() []string {
	return []string{"沙澧", "嵩山", "黄河", "长江", "淮河", "太行", "泰山", "人民", "交通", "滨河", "龙江", "天山",
		"银杏", "翠柳", "澧滨", "牡丹", "金山", "芙蓉", "湘江", "珠江", "漓江", "海河", "燕山", "岷江"}
}

func ordinals() []string {
	return []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}
}

// projectPlan is a project while the generator builds it.
type projectPlan struct {
	p       project.Project
	lagging float64 // actual ÷ plan of the year so far
}

// stage weights: reserve, preparing, building, operating, withdrawn.
func stageWeights() []float64 { return []float64{20, 20, 43, 13, 4} }

func stageIDs() []string {
	return []string{"reserve", "preparing", "building", "operating", "withdrawn"}
}

func (b *builder) buildProjects() error {
	r := rng(streamProjects)
	perDistrict := []int{0, 38, 40, 38, 34, 44, 52, 30, 24}
	used := map[string]bool{} // project codes
	ls := leaders()
	plans := b.linearProjects(r)
	for d := geo.ID(1); d <= 8; d++ {
		n := perDistrict[d]
		for _, lp := range plans {
			if lp.p.DistrictID == d {
				n--
			}
		}
		for range n {
			pp, err := b.newProject(r, d)
			if err != nil {
				return err
			}
			if pp.p.Stage == "reserve" {
				// The pool holds the big ideas of the years ahead.
				pp.p.TotalInvestment = roundWan(float64(pp.p.TotalInvestment) / 100 * between(r, 2, 3.5))
			}
			plans = append(plans, pp)
		}
	}
	for i, pp := range plans {
		p := &pp.p
		p.ID = geo.ID(i + 1)
		if p.Leader == "" {
			p.Leader = ls[r.IntN(len(ls))]
			if p.TotalInvestment >= geo.DecOf(300000, 0) {
				p.Leader = ls[r.IntN(3)] // the largest go to the top three
			}
		}
		b.schedule(r, pp)
		if p.Stage != "reserve" || r.IntN(2) == 0 {
			p.Code = b.projectCode(r, p, used)
		}
		b.progress(r, pp)
		b.ds.Projects = append(b.ds.Projects, *p)
	}
	b.blockers(r)
	return nil
}

// newProject makes a project in district d: in one of its parks when it
// has any (mostly), else on a town zone, sometimes in the countryside.
func (b *builder) newProject(r *rand.Rand, d geo.ID) (*projectPlan, error) {
	stage := geo.Stage(stageIDs()[weighted(r, stageWeights())])
	pp := &projectPlan{p: project.Project{Stage: stage, DistrictID: d, ResponsibleUnit: districtUnits()[d]}}
	var parks []*parkPlan
	for _, pk := range b.parks {
		if pk.district == d {
			parks = append(parks, pk)
		}
	}
	x := r.Float64()
	switch {
	case len(parks) > 0 && x < 0.62 && b.parkProject(r, pp, parks):
	case x > 0.95 && b.fieldProject(r, pp):
	case b.townProject(r, pp):
	default:
		if !b.fieldProject(r, pp) {
			return nil, fmt.Errorf("no site left for a project in district %d", d)
		}
	}
	return pp, nil
}

// parkProject puts an enterprise project on a parcel or a whole block of
// one of the parks.
func (b *builder) parkProject(r *rand.Rand, pp *projectPlan, parks []*parkPlan) bool {
	pk := parks[r.IntN(len(parks))]
	var cands []*invest.Parcel
	want := map[string][]string{
		"building":  {"supplied"},
		"operating": {"supplied"},
		"preparing": {"reserved", "ready"},
		"reserve":   {"ready", "acquired", "planned"},
		"withdrawn": {"ready", "acquired", "planned"},
	}[string(pp.p.Stage)]
	var blocks []*block
	for _, bl := range pk.blocks {
		if bl.taken || len(bl.parcels) == 0 {
			continue
		}
		free := true
		for _, i := range bl.parcels {
			pc := &b.ds.Parcels[i]
			if pc.Landuse.System != land.SystemGTKJ2023 || b.parcelUsed[i] {
				free = false
				continue
			}
			industrial := strings.HasPrefix(pc.Landuse.Code, "10") || strings.HasPrefix(pc.Landuse.Code, "11")
			if industrial && slices.Contains(want, pc.SupplyStatus) && areaM2(pc.Geom[0][0]) >= 20*geo.SquareMetresPerMu {
				cands = append(cands, pc)
			}
		}
		if free && len(bl.parcels) >= 2 {
			blocks = append(blocks, bl)
		}
	}
	if len(cands) == 0 {
		return false
	}
	var ow []owner
	for _, o := range owners() {
		if slices.Contains(o.parks, pk.short) {
			ow = append(ow, o)
		}
	}
	if len(ow) == 0 {
		return false
	}
	o := ow[r.IntN(len(ow))]
	p := &pp.p
	big := r.IntN(5) == 0 && len(blocks) > 0
	if big {
		bl := blocks[r.IntN(len(blocks))]
		bl.taken = true
		p.Site = multi(bl.ring)
		p.IntendedUse = &land.Code{System: bl.landuse.System, Code: bl.landuse.Code}
		for _, i := range bl.parcels {
			b.parcelUsed[i] = true
			b.setSupply(&b.ds.Parcels[i], p.Stage)
		}
	} else {
		pc := cands[r.IntN(len(cands))]
		b.parcelUsed[int(pc.ID-1)] = true
		p.Site = pc.Geom
		p.IntendedUse = &land.Code{System: pc.Landuse.System, Code: pc.Landuse.Code}
		b.setSupply(pc, p.Stage)
	}
	p.Point = interiorPoint(p.Site[0][0])
	p.Owner = o.name
	p.Industry = o.industry
	pp.p.Category = "industry"
	if !strings.HasPrefix(o.name, "漯河") && !strings.HasPrefix(o.name, "临颍") && !strings.HasPrefix(o.name, "舞阳") && r.IntN(4) > 0 {
		pp.p.Category = "attraction"
	}
	area := areaM2(p.Site[0][0]) / geo.SquareMetresPerMu
	product := pick(r, o.products)
	intensity := between(r, 260, 520) // 万元/亩
	total := area * intensity
	if big {
		total *= between(r, 1.1, 1.6)
	}
	p.TotalInvestment = roundWan(total)
	switch {
	case strings.HasPrefix(p.IntendedUse.Code, "11") && (o.code == "59" || o.code == "55"):
		p.Name = o.short + pick(r, []string{product + "项目", product + "二期项目", "智能仓储物流园项目"})
	case strings.HasPrefix(p.IntendedUse.Code, "11"):
		p.Name = o.short + product + pick(r, []string{"原料及成品仓储项目", "物流配送中心项目"})
	case big:
		p.Name = fmt.Sprintf("%s%s产业园项目", o.short, product)
	default:
		names := []string{product + "扩建项目", product + "二期项目"}
		switch o.code {
		case "13", "14", "15", "22", "26", "29", "30":
			names = append(names, fmt.Sprintf("年产%d万吨%s项目", 2+r.IntN(29), product),
				product+"智能工厂建设项目", product+"生产线技术改造项目")
		case "18", "27", "34", "35", "39":
			names = append(names, fmt.Sprintf("年产%d万台（套）%s项目", 1+r.IntN(50), product),
				product+"智能工厂建设项目", product+"生产线技术改造项目")
		default:
			names = append(names, product+"建设项目")
		}
		p.Name = o.short + pick(r, names)
	}
	p.OwnerContact = contact(r)
	p.ResponsibleUnit = pick(r, []string{p.ResponsibleUnit, p.ResponsibleUnit, "市工业和信息化局", "市商务局"})
	return true
}

// setSupply makes a parcel's supply status agree with its project.
func (b *builder) setSupply(pc *invest.Parcel, stage geo.Stage) {
	switch stage {
	case "building", "operating":
		pc.SupplyStatus = "supplied"
	case "preparing":
		pc.SupplyStatus = "reserved"
	}
	switch pc.SupplyStatus {
	case "supplied", "reserved", "ready":
		pc.Utilities = []string{"road", "power", "water", "telecom", "drainage", "gas", "heat", "levelled"}
	}
}

// townProject puts a public work on an uncut cell of the district's town
// plan, and designates the cell for it.
func (b *builder) townProject(r *rand.Rand, pp *projectPlan) bool {
	d := pp.p.DistrictID
	works := publicWorks()
	var w []float64
	for _, pw := range works {
		w = append(w, pw.weight)
	}
	pw := works[weighted(r, w)]
	var cands []*zonePiece
	for _, z := range b.zones {
		if z.plain && !z.used && !z.park && z.urban >= 0 && z.district == d {
			cands = append(cands, z)
		}
	}
	if len(cands) == 0 {
		return false
	}
	// Prefer a cell already designated for this use.
	var same []*zonePiece
	for _, z := range cands {
		if z.code == pw.code {
			same = append(same, z)
		}
	}
	z := cands[r.IntN(len(cands))]
	if len(same) > 0 && r.IntN(4) > 0 {
		z = same[r.IntN(len(same))]
	}
	z.used = true
	if r.IntN(10) > 0 {
		z.code, z.system = pw.code, land.SystemGTKJ2023 // the plan designates the site
	}
	p := &pp.p
	p.Site = multi(shrink(z.ring, between(r, 0.55, 0.9)))
	p.Point = interiorPoint(p.Site[0][0])
	p.IntendedUse = &land.Code{System: land.SystemGTKJ2023, Code: pw.code}
	p.Category = "planning"
	if pw.code == "0901" || pw.code == "0902" {
		p.Category = "attraction"
		p.Owner = fmt.Sprintf("漯河%s置业有限公司", pick(r, placeNames()))
	} else {
		p.Owner = b.ds.Districts[d-1].Name + "城市建设投资有限公司"
	}
	p.Industry = pw.industry
	if pw.unit != "" && r.IntN(2) == 0 {
		p.ResponsibleUnit = pw.unit
	}
	dn := b.ds.Districts[d-1].Name
	name := pick(r, pw.names)
	if strings.HasPrefix(dn, "漯河") {
		name = strings.TrimPrefix(name, "漯河市")
	}
	switch strings.Count(name, "%s") {
	case 1:
		p.Name = fmt.Sprintf(name, dn)
	default:
		second := pick(r, placeNames())
		if strings.Contains(name, "第%s") {
			second = pick(r, ordinals())
		}
		p.Name = fmt.Sprintf(name, dn, second)
	}
	p.TotalInvestment = roundWan(between(r, pw.lo, pw.hi))
	p.OwnerContact = contact(r)
	return true
}

// fieldProject puts a project on a field in the countryside: 单独选址
// projects and projects whose siting still has to be sorted out. Their
// sites overlap farmland, so the compliance check flags them.
func (b *builder) fieldProject(r *rand.Rand, pp *projectPlan) bool {
	d := pp.p.DistrictID
	var cands []*zonePiece
	for _, z := range b.zones {
		if z.plain && !z.used && z.urban < 0 && !z.village && z.district == d {
			cands = append(cands, z)
		}
	}
	if len(cands) == 0 {
		return false
	}
	z := cands[r.IntN(len(cands))]
	z.used = true
	p := &pp.p
	scale := 0.35
	if areaM2(z.ring) < 400000 {
		scale = 0.7
	}
	p.Site = multi(shrink(z.ring, scale))
	p.Point = interiorPoint(p.Site[0][0])
	kinds := []struct {
		name, code, industry, owner string
		lo, hi                      float64
	}{
		{"%s生猪屠宰及冷链加工项目", "100102", "农副食品加工", "漯河%s牧业有限公司", 20000, 80000},
		{"%s现代农业产业园冷链仓储项目", "110101", "装卸搬运和仓储", "漯河%s农业发展有限公司", 10000, 40000},
		{"%s农光互补光伏发电项目", "1303", "电力、热力生产和供应", "漯河%s新能源有限公司", 30000, 120000},
		{"%s畜禽养殖小区建设项目", "0603", "畜牧业", "漯河%s牧业有限公司", 8000, 30000},
		{"%s物流园项目", "110101", "装卸搬运和仓储", "漯河%s物流有限公司", 20000, 90000},
	}
	k := kinds[r.IntN(len(kinds))]
	place := pick(r, placeNames())
	p.Name = fmt.Sprintf(k.name, b.ds.Districts[d-1].Name)
	p.Owner = fmt.Sprintf(k.owner, place)
	p.Industry = k.industry
	p.IntendedUse = &land.Code{System: land.SystemGTKJ2023, Code: k.code}
	p.Category = "industry"
	p.TotalInvestment = roundWan(between(r, k.lo, k.hi))
	p.OwnerContact = contact(r)
	return true
}

// linearProjects are corridors along rivers and roads: they cross many
// zones and control lines, as such projects do.
func (b *builder) linearProjects(r *rand.Rand) []*projectPlan {
	specs := []struct {
		name, line      string
		from, to        orb.Point
		half            float64
		code, industry  string
		category, stage string
		owner, unit     string
		total           float64
	}{
		{"沙澧河二期综合治理工程", "沙河", orb.Point{113.925, 33.595}, orb.Point{113.975, 33.585}, 35, "1401", "水利管理", "planning", "building",
			"漯河市沙澧河建设运行保障中心", "市水利局", 186000},
		{"107国道临颍段改线工程", "107国道", orb.Point{113.952, 33.86}, orb.Point{113.958, 33.92}, 30, "1202", "道路运输", "planning", "building",
			"临颍县交通投资有限公司", "市交通运输局", 128000},
		{"漯河港二期航道整治工程", "沙颍河", orb.Point{114.14, 33.650}, orb.Point{114.21, 33.640}, 50, "1204", "水上运输", "planning", "preparing",
			"漯河港务集团有限公司", "市交通运输局", 96000},
		{"宁洛高速漯河西互通立交改造工程", "宁洛高速", orb.Point{113.90, 33.488}, orb.Point{113.95, 33.489}, 40, "1202", "道路运输", "planning", "building",
			"河南交投漯河高速公路有限公司", "市交通运输局", 58000},
		{"澧河舞阳段生态治理工程", "澧河", orb.Point{113.65, 33.468}, orb.Point{113.70, 33.475}, 30, "1401", "水利管理", "planning", "preparing",
			"舞阳县水利投资有限公司", "市水利局", 42000},
		{"漯河东站至经开区快速通道工程", "燕山路", orb.Point{114.086, 33.570}, orb.Point{114.087, 33.630}, 25, "1207", "道路运输", "planning", "building",
			"漯河市城市投资控股集团有限公司", "市住房和城乡建设局", 75000},
	}
	var out []*projectPlan
	for _, s := range specs {
		line := b.lines[s.line]
		seg := subLine(line, s.from, s.to)
		site := band(seg, s.half)
		p := project.Project{
			Name: s.name, Stage: geo.Stage(s.stage), Category: geo.Category(s.category), Owner: s.owner, ResponsibleUnit: s.unit,
			Industry: s.industry, TotalInvestment: roundWan(s.total),
			IntendedUse: &land.Code{System: land.SystemGTKJ2023, Code: s.code},
			Site:        multi(site), Point: alongLine(seg, 0.5),
		}
		p.DistrictID = b.districtAt(p.Point)
		p.OwnerContact = contact(r)
		out = append(out, &projectPlan{p: p})
	}
	return out
}

// subLine returns the part of line between the points on it nearest to a
// and c.
func subLine(line orb.LineString, a, c orb.Point) orb.LineString {
	ia, pa := nearestSegment(line, a)
	ic, pc := nearestSegment(line, c)
	if ia > ic {
		ia, ic, pa, pc = ic, ia, pc, pa
	}
	out := orb.LineString{pa}
	for i := ia + 1; i <= ic; i++ {
		if line[i] != out[len(out)-1] {
			out = append(out, line[i])
		}
	}
	if pc != out[len(out)-1] {
		out = append(out, pc)
	}
	return out
}

// alongLine returns the point at fraction t of line's length.
func alongLine(line orb.LineString, t float64) orb.Point {
	f := newFrame(line[0])
	var total float64
	for i := 0; i+1 < len(line); i++ {
		total += f.dist(line[i], line[i+1])
	}
	want := t * total
	for i := 0; i+1 < len(line); i++ {
		d := f.dist(line[i], line[i+1])
		if want <= d && d > 0 {
			return lerp(line[i], line[i+1], want/d)
		}
		want -= d
	}
	return line[len(line)-1]
}

// nearestSegment returns the index of the segment of line nearest to p
// and the nearest point on it.
func nearestSegment(line orb.LineString, p orb.Point) (int, orb.Point) {
	best, bp, bd := 0, line[0], math.Inf(1)
	for i := 0; i+1 < len(line); i++ {
		q := nearestOnLine(line[i:i+2], p)
		if d := newFrame(p).dist(p, q); d < bd {
			best, bp, bd = i, q, d
		}
	}
	return best, bp
}

// shrink scales a ring about its centroid.
func shrink(r orb.Ring, s float64) orb.Ring {
	c := centroid(r)
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = orb.Point{c[0] + (p[0]-c[0])*s, c[1] + (p[1]-c[1])*s}
	}
	return out
}

// roundWan rounds an amount in 万元 to whole 万元 below 10 000 and to tens
// above, as plans are written.
func roundWan(x float64) geo.Dec {
	if x >= 10000 {
		return geo.DecOf(int64(math.Round(x/10)*10), 0)
	}
	return geo.DecOf(int64(math.Round(x)), 0)
}

// contact returns a fictional contact with a masked mobile number.
func contact(r *rand.Rand) string {
	return fmt.Sprintf("%s %s", personName(r), maskedPhone(r))
}

func personName(r *rand.Rand) string {
	family := []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}
	given := []string{"伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "红梅", "国强", "文博", "子轩", "雨婷", "浩然"}
	return pick(r, family) + pick(r, given)
}

// maskedPhone returns a mobile number with its middle digits masked, as
// Chinese systems show them: no real number is ever made up.
func maskedPhone(r *rand.Rand) string {
	return fmt.Sprintf("1%d%d****%04d", pick(r, []int{3, 5, 7, 8, 9}), r.IntN(10), r.IntN(10000))
}

// waveMonths are the months of the three groundbreaking waves: after the
// Spring Festival, after the wheat harvest and after the autumn harvest.
func waveMonths() []time.Month { return []time.Month{time.March, time.June, time.October} }

// schedule sets a project's dates and annual plan from its stage.
func (b *builder) schedule(r *rand.Rand, pp *projectPlan) {
	p := &pp.p
	y, m := b.year, b.through
	total := float64(p.TotalInvestment) / 100
	months := func(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) }
	duration := 12 + r.IntN(25)
	switch p.Stage {
	case "reserve":
		p.PlannedStart = date(y+1+r.IntN(2), time.Month(1+r.IntN(12)), 1)
		p.PlannedFinish = months(p.PlannedStart, duration)
	case "preparing":
		// Planned to start later this year or next, or already overdue.
		switch {
		case r.IntN(4) == 0 && m > time.January:
			p.PlannedStart = date(y, time.Month(1+r.IntN(int(m)-1)), 1)
		case m < time.December && r.IntN(3) > 0:
			p.PlannedStart = date(y, m+1+time.Month(r.IntN(int(12-m))), 1)
		default:
			p.PlannedStart = date(y+1, time.Month(1+r.IntN(12)), 1)
		}
		p.PlannedFinish = months(p.PlannedStart, duration)
		if p.PlannedStart.Year() == y {
			p.AnnualPlan = roundWan(total * between(r, 0.03, 0.10))
		}
	case "building":
		var waves []time.Month
		for _, wm := range waveMonths() {
			if wm <= m {
				waves = append(waves, wm)
			}
		}
		if len(waves) > 0 && r.IntN(5) < 2 {
			// 新开工: started this year in a groundbreaking wave.
			wm := pick(r, waves)
			p.ActualStart = date(y, wm, 8+r.IntN(15))
			p.PlannedStart = date(y, wm, 1)
			if r.IntN(5) == 0 && wm > time.January {
				p.PlannedStart = date(y, wm-time.Month(1+r.IntN(min(3, int(wm)-1))), 1) // late
			}
			p.AnnualPlan = roundWan(total * between(r, 0.2, 0.4))
		} else {
			p.ActualStart = date(y-1-r.IntN(2), time.Month(1+r.IntN(12)), 1+r.IntN(28))
			p.PlannedStart = date(p.ActualStart.Year(), p.ActualStart.Month(), 1)
			p.AnnualPlan = roundWan(total * between(r, 0.25, 0.45))
		}
		p.PlannedFinish = months(p.PlannedStart, max(duration, 16))
		if p.PlannedFinish.Before(date(y, m, 1)) {
			p.PlannedFinish = date(y+1, time.Month(1+r.IntN(12)), 1)
		}
		pp.lagging = []float64{between(r, 0.95, 1.2), between(r, 0.75, 0.95), between(r, 0.25, 0.6)}[weighted(r, []float64{58, 27, 15})]
	case "operating":
		p.ActualStart = date(y-3+r.IntN(2), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		p.PlannedStart = date(p.ActualStart.Year(), p.ActualStart.Month(), 1)
		finishYear := y - 1
		if m > time.February && r.IntN(2) == 0 {
			finishYear = y
		}
		fm := time.Month(1 + r.IntN(12))
		if finishYear == y {
			fm = time.Month(1 + r.IntN(int(m)))
		}
		p.ActualFinish = date(finishYear, fm, 1+r.IntN(28))
		p.PlannedFinish = date(finishYear, fm, 1)
		if p.ActualFinish.Before(p.ActualStart) {
			p.ActualFinish = p.ActualStart.AddDate(1, 0, 0)
			p.PlannedFinish = date(p.ActualFinish.Year(), p.ActualFinish.Month(), 1)
		}
		if finishYear == y {
			p.AnnualPlan = roundWan(total * between(r, 0.05, 0.15))
		}
	case "withdrawn":
		p.PlannedStart = date(y-1+r.IntN(2), time.Month(1+r.IntN(12)), 1)
		p.PlannedFinish = months(p.PlannedStart, duration)
		p.WithdrawnReason = pick(r, []string{
			"企业投资意向变化，项目终止，调出储备库",
			"选址涉及永久基本农田，无法调整规划，项目退库",
			"项目资金未落实，经季度评审调出储备库",
			"与国土空间总体规划不符，项目另行选址",
			"企业经营困难，暂缓实施，调出储备库",
		})
	}
}

// projectCode returns a unique 项目代码: year of registration, 6-digit
// division code, industry code, project type, serial.
func (b *builder) projectCode(r *rand.Rand, p *project.Project, used map[string]bool) string {
	yr := p.PlannedStart.Year() - r.IntN(2)
	if !p.ActualStart.IsZero() {
		yr = p.ActualStart.Year() - r.IntN(2)
	}
	yr = min(yr, b.year)
	div := b.ds.Districts[b.countyAt(p.Point)-1].Code
	ind := "78"
	for _, o := range owners() {
		if o.name == p.Owner {
			ind = o.code
		}
	}
	for _, pw := range publicWorks() {
		if p.IntendedUse != nil && p.IntendedUse.Code == pw.code && p.Category == "planning" {
			ind = pw.icode
		}
	}
	typ := "03" // 备案
	switch {
	case p.Category == "planning":
		typ = "01" // 审批
	case p.Industry == "化学原料和化学制品制造" || p.Industry == "电力、热力生产和供应":
		typ = "02" // 核准
	}
	for {
		code := fmt.Sprintf("%04d-%s-%s-%s-%06d", yr, div, ind, typ, r.IntN(1000000))
		if !used[code] {
			used[code] = true
			return code
		}
	}
}

// monthWeights spreads a year's plan over the months: little around the
// Spring Festival and in the heating season, most in spring and autumn.
func monthWeights() []float64 { return []float64{4, 3, 8, 10, 11, 10, 8, 8, 10, 11, 9, 8} }

// progress writes the monthly rows of a project under construction, from
// January (or its start) to the month the data stands at.
func (b *builder) progress(r *rand.Rand, pp *projectPlan) {
	p := &pp.p
	if p.Stage != "building" {
		return
	}
	plannedFrom, startMonth := time.January, time.January
	if p.PlannedStart.Year() == b.year {
		plannedFrom = p.PlannedStart.Month()
	}
	if p.ActualStart.Year() == b.year {
		startMonth = p.ActualStart.Month()
	}
	first := min(plannedFrom, startMonth)
	w := monthWeights()
	var sum float64
	for mo := plannedFrom; mo <= time.December; mo++ {
		sum += w[mo-1]
	}
	annual := float64(p.AnnualPlan) / 100
	notes := progressNotes(p)
	for mo := first; mo <= b.through; mo++ {
		var planned float64
		if mo >= plannedFrom {
			planned = annual * w[mo-1] / sum
		}
		var invested float64
		note := ""
		if mo >= startMonth {
			invested = planned * pp.lagging * between(r, 0.8, 1.2)
			k := int(float64(len(notes)-1) * float64(mo-first+1) / float64(b.through-first+1))
			note = notes[min(k, len(notes)-1)]
			if pp.lagging < 0.6 && r.IntN(2) == 0 {
				note = pick(r, lagNotes())
			}
			if mo >= time.November || mo <= time.February {
				if r.IntN(3) == 0 {
					note += "；采暖季管控期间按特许施工范围组织作业"
				}
			}
		} else {
			note = "尚未开工：" + pick(r, []string{"施工许可证办理中", "征地拆迁扫尾", "施工单位招标中"})
		}
		p.Progress = append(p.Progress, project.Progress{
			Month:    date(b.year, mo, 1),
			Planned:  geo.Dec(math.Round(planned * 100)),
			Invested: geo.Dec(math.Round(invested * 100)),
			Note:     note,
			Photos:   []string{},
		})
	}
}

// progressNotes are a project's image progress from start to finish.
func progressNotes(p *project.Project) []string {
	code := ""
	if p.IntendedUse != nil {
		code = p.IntendedUse.Code
	}
	switch {
	case code == "1202" || code == "1207":
		return []string{"施工便道及临时设施完成", "路基土方施工", "桥涵下部结构施工", "路基完成70%，桥梁上部结构施工", "路面底基层铺筑", "沥青面层施工，附属工程同步推进"}
	case code == "1401" || code == "1204":
		return []string{"围堰及清淤施工", "护岸工程施工", "生态护坡及景观绿化施工", "慢行步道及配套设施施工", "收尾及竣工验收准备"}
	case strings.HasPrefix(code, "10") || strings.HasPrefix(code, "11"):
		return []string{"场地平整及临时设施搭建完成", "桩基施工", "基础及地下管网施工", "钢结构厂房吊装", "主体结构封顶，屋面及墙面围护施工", "设备进场安装", "生产线设备安装调试", "室外道路及配套工程施工，准备试生产"}
	default:
		return []string{"场地平整及临时设施搭建完成", "桩基及基础施工", "地下室结构施工", "主体结构施工至第3层", "主体结构施工至第8层", "主体结构封顶", "二次结构及机电安装", "外立面及室外工程施工"}
	}
}

func lagNotes() []string {
	return []string{
		"受资金到位滞后影响，施工进度放缓",
		"因征地拆迁遗留问题，部分区域未能施工",
		"施工图审查意见整改中，部分工程暂缓",
		"受连续降雨影响，土方作业停工",
		"主要设备到货延迟，安装工序后移",
	}
}

// blockers raises coordination problems on about thirty projects, lagging
// ones first.
func (b *builder) blockers(r *rand.Rand) {
	kinds := blockerKinds()
	var ids []int
	for i, p := range b.ds.Projects {
		if p.Stage == "building" || p.Stage == "preparing" {
			ids = append(ids, i)
		}
	}
	var next geo.ID = 1
	for _, i := range ids {
		p := &b.ds.Projects[i]
		behind := false
		var plan, inv geo.Dec
		for _, pr := range p.Progress {
			plan += pr.Planned
			inv += pr.Invested
		}
		if plan > 0 && inv*10 < plan*7 {
			behind = true
		}
		chance := 10
		if behind {
			chance = 2
		}
		if r.IntN(chance) != 0 {
			continue
		}
		bl := newBlocker(r, kinds, p, date(b.year, time.January, 1), int(b.through), date(b.year, b.through, 28))
		bl.ID = next
		next++
		p.Blockers = append(p.Blockers, bl)
	}
}

// blockerKind is a kind of blocker with notes of its kind.
type blockerKind struct {
	kind  string
	notes []string
}

func blockerKinds() []blockerKind {
	return []blockerKind{
		{"land", []string{"项目用地%d亩尚未完成征收，需属地加快推进", "用地指标不足，需申请市级统筹新增建设用地指标", "地块涉及永久基本农田%d亩，需调整选址或规划"}},
		{"funds", []string{"银行贷款审批未完成，资金缺口%d万元", "地方政府专项债券资金尚未下达", "企业自筹资金到位率不足%d%%"}},
		{"planning", []string{"规划设计条件未出具", "施工图审查未通过，需修改消防设计", "规划方案需调整，待市规委会审议"}},
		{"environment", []string{"环评批复待省生态环境厅审批", "节能审查意见未出具", "排污许可手续办理中"}},
		{"other", []string{"高压线迁改需供电公司配合", "天然气管道接入需协调燃气公司", "施工许可证办理中，需住建部门加快审批"}},
	}
}

// newBlocker raises a blocker of one of kinds on p, on a day of the months
// months from first on, due a month later with the project's responsible
// unit (the open ones of earlier months are overdue); a third are
// resolved when that falls before until.
func newBlocker(r *rand.Rand, kinds []blockerKind, p *project.Project, first time.Time, months int, until time.Time) project.Blocker {
	k := kinds[r.IntN(len(kinds))]
	note := pick(r, k.notes)
	if strings.Contains(note, "%d") {
		switch k.kind {
		case "land":
			note = fmt.Sprintf(note, 5+r.IntN(120))
		case "funds":
			if strings.Contains(note, "%%") {
				note = fmt.Sprintf(note, 40+r.IntN(30))
			} else {
				note = fmt.Sprintf(note, 1000*(2+r.IntN(30)))
			}
		}
	}
	raised := first.AddDate(0, r.IntN(months), r.IntN(28))
	bl := project.Blocker{Kind: k.kind, Note: note, RaisedOn: raised, DueOn: raised.AddDate(0, 1, 0), ResponsibleUnit: p.ResponsibleUnit}
	if r.IntN(3) == 0 {
		resolved := raised.AddDate(0, 0, 10+r.IntN(60))
		if resolved.Before(until) {
			bl.ResolvedOn, bl.Resolution = resolved, "经协调已解决"
		}
	}
	return bl
}
