package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/luohe/onemap/geo"
	"github.com/luohe/onemap/invest"
	"github.com/paulmach/orb"
)

// Target firms (目标企业): real firm names at their headquarters cities,
// with the city's industries; stages, contacts (fictional, masked) and
// links to parks and parcels are made up for the demo.

// city is a headquarters city with the longitude/latitude of its centre.
type city struct {
	name string
	at   orb.Point
}

func cities() []city {
	return []city{
		{"北京", orb.Point{116.4074, 39.9042}}, {"上海", orb.Point{121.4737, 31.2304}}, {"深圳", orb.Point{114.0579, 22.5431}},
		{"广州", orb.Point{113.2644, 23.1291}}, {"杭州", orb.Point{120.1551, 30.2741}}, {"郑州", orb.Point{113.6254, 34.7466}},
		{"武汉", orb.Point{114.3054, 30.5931}}, {"成都", orb.Point{104.0665, 30.5723}}, {"台北", orb.Point{121.5654, 25.0330}},
		{"台南", orb.Point{120.2270, 22.9999}}, {"东京", orb.Point{139.6917, 35.6895}}, {"大阪", orb.Point{135.5023, 34.6937}},
		{"芝加哥", orb.Point{-87.6298, 41.8781}}, {"明尼阿波利斯", orb.Point{-93.2650, 44.9778}}, {"亚特兰大", orb.Point{-84.3880, 33.7490}},
		{"纽约", orb.Point{-74.0060, 40.7128}}, {"麦克莱恩", orb.Point{-77.1773, 38.9339}}, {"斯普林代尔", orb.Point{-94.1288, 36.1867}},
		{"圣保罗", orb.Point{-46.6333, -23.5505}}, {"伦敦", orb.Point{-0.1278, 51.5074}}, {"巴黎", orb.Point{2.3522, 48.8566}},
		{"沃韦", orb.Point{6.8432, 46.4628}}, {"洛桑", orb.Point{6.6323, 46.5197}}, {"苏黎世", orb.Point{8.5417, 47.3769}},
		{"新加坡", orb.Point{103.8198, 1.3521}}, {"曼谷", orb.Point{100.5018, 13.7563}}, {"香港", orb.Point{114.1694, 22.3193}},
		{"漯河", orb.Point{114.0165, 33.5815}}, {"晋江", orb.Point{118.5521, 24.7814}}, {"衡水", orb.Point{115.6702, 37.7389}},
		{"邢台", orb.Point{114.5048, 37.0706}}, {"呼和浩特", orb.Point{111.7492, 40.8426}}, {"天津", orb.Point{117.2009, 39.0842}},
		{"南阳", orb.Point{112.5283, 32.9908}}, {"云浮", orb.Point{112.0445, 22.9152}}, {"佛山", orb.Point{113.1214, 23.0215}},
		{"厦门", orb.Point{118.0894, 24.4798}}, {"芜湖", orb.Point{118.4331, 31.3526}}, {"长沙", orb.Point{112.9388, 28.2282}},
		{"合肥", orb.Point{117.2272, 31.8206}}, {"泉州", orb.Point{118.6757, 24.8741}}, {"湖州", orb.Point{120.0868, 30.8941}},
		{"南京", orb.Point{118.7969, 32.0603}}, {"临沂", orb.Point{118.3564, 35.1046}}, {"青岛", orb.Point{120.3826, 36.0671}},
		{"石家庄", orb.Point{114.5149, 38.0428}}, {"珠海", orb.Point{113.5767, 22.2707}}, {"平顶山", orb.Point{113.1927, 33.7663}},
		{"烟台", orb.Point{121.4479, 37.4638}}, {"潍坊", orb.Point{119.1619, 36.7069}}, {"宁德", orb.Point{119.5479, 26.6657}},
		{"许昌", orb.Point{113.8526, 34.0357}}, {"新乡", orb.Point{113.9268, 35.3030}}, {"连云港", orb.Point{119.2216, 34.5966}},
		{"新郑", orb.Point{113.7406, 34.3957}}, {"济南", orb.Point{117.1205, 36.6510}}, {"西安", orb.Point{108.9402, 34.3416}},
		{"苏州", orb.Point{120.5853, 31.2989}}, {"宁波", orb.Point{121.5440, 29.8683}}, {"无锡", orb.Point{120.3119, 31.4912}},
	}
}

// firmRow is name | city | tags | industries.
func firmRows() []string {
	return []string{
		"河南双汇投资发展股份有限公司|漯河|china500,industry_top30|肉制品加工,预制菜",
		"中粮集团有限公司|北京|fortune500,china500,central_soe|粮油加工,食品",
		"可口可乐公司|亚特兰大|fortune500|饮料",
		"中国旺旺控股有限公司|上海|industry_top30|休闲食品,乳饮品",
		"嘉吉公司|明尼阿波利斯|industry_top30|粮油加工,饲料",
		"统一企业股份有限公司|台南|industry_top30|方便食品,饮料",
		"卫龙美味全球控股有限公司|漯河|industry_top30|休闲食品",
		"今麦郎食品股份有限公司|邢台|industry_top30|方便食品,饮料",
		"盼盼食品集团有限公司|晋江|industry_top30|烘焙食品,休闲食品",
		"亲亲食品集团股份有限公司|晋江|industry_top30|休闲食品",
		"河北养元智汇饮品股份有限公司|衡水|industry_top30|饮料",
		"颐海国际控股有限公司|上海|industry_top30|调味品,方便食品",
		"华润怡宝饮料（中国）股份有限公司|深圳|industry_top30|饮料",
		"河南南街村（集团）有限公司|漯河|industry_top30|方便食品,调味品",
		"雀巢公司|沃韦|fortune500|乳制品,饮料",
		"百事公司|纽约|fortune500|饮料,休闲食品",
		"达能集团|巴黎|industry_top30|乳制品,饮料",
		"玛氏公司|麦克莱恩|industry_top30|休闲食品",
		"亿滋国际|芝加哥|industry_top30|休闲食品,烘焙食品",
		"益海嘉里金龙鱼粮油食品股份有限公司|上海|china500,industry_top30|粮油加工,调味品",
		"丰益国际有限公司|新加坡|fortune500|粮油加工",
		"内蒙古伊利实业集团股份有限公司|呼和浩特|china500,industry_top30|乳制品",
		"中国蒙牛乳业有限公司|呼和浩特|china500,industry_top30|乳制品",
		"光明乳业股份有限公司|上海|industry_top30|乳制品",
		"三全食品股份有限公司|郑州|industry_top30|速冻食品,预制菜",
		"思念食品有限公司|郑州|industry_top30|速冻食品",
		"白象食品股份有限公司|郑州|industry_top30|方便食品",
		"好想你健康食品股份有限公司|新郑|industry_top30|休闲食品",
		"牧原食品股份有限公司|南阳|china500|畜禽养殖,肉制品加工",
		"温氏食品集团股份有限公司|云浮|china500|畜禽养殖",
		"新希望六和股份有限公司|成都|china500|饲料,肉制品加工",
		"佛山市海天调味食品股份有限公司|佛山|industry_top30|调味品",
		"李锦记有限公司|香港|industry_top30|调味品",
		"安井食品集团股份有限公司|厦门|industry_top30|速冻食品,预制菜",
		"郑州千味央厨食品股份有限公司|郑州|industry_top30|速冻食品,预制菜",
		"三只松鼠股份有限公司|芜湖|industry_top30|休闲食品",
		"良品铺子股份有限公司|武汉|industry_top30|休闲食品",
		"盐津铺子食品股份有限公司|长沙|industry_top30|休闲食品",
		"洽洽食品股份有限公司|合肥|industry_top30|休闲食品",
		"周黑鸭国际控股有限公司|武汉|industry_top30|休闲食品",
		"绝味食品股份有限公司|长沙|industry_top30|休闲食品",
		"杭州娃哈哈集团有限公司|杭州|china500|饮料",
		"农夫山泉股份有限公司|杭州|industry_top30|饮料",
		"元气森林（北京）食品科技集团有限公司|北京|industry_top30|饮料",
		"康师傅控股有限公司|天津|china500|方便食品,饮料",
		"达利食品集团有限公司|泉州|industry_top30|烘焙食品,饮料",
		"香飘飘食品股份有限公司|湖州|industry_top30|饮料",
		"雨润控股集团有限公司|南京|industry_top30|肉制品加工",
		"临沂金锣文瑞食品有限公司|临沂|china500|肉制品加工",
		"正大集团|曼谷|industry_top30|饲料,畜禽养殖,食品",
		"青岛啤酒股份有限公司|青岛|china500|饮料",
		"华润雪花啤酒（中国）有限公司|北京|industry_top30|饮料",
		"百威亚太控股有限公司|上海|industry_top30|饮料",
		"中国飞鹤有限公司|北京|industry_top30|乳制品",
		"君乐宝乳业集团有限公司|石家庄|industry_top30|乳制品",
		"汤臣倍健股份有限公司|珠海|industry_top30|保健食品",
		"中国盐业集团有限公司|北京|central_soe,china500|盐化工",
		"中国平煤神马控股集团有限公司|平顶山|china500|盐化工,新材料",
		"中国化学工程集团有限公司|北京|fortune500,china500,central_soe|化工",
		"中国中化控股有限责任公司|北京|fortune500,china500,central_soe|化工,新材料",
		"万华化学集团股份有限公司|烟台|china500|化工,新材料",
		"河南金大地化工有限责任公司|漯河|industry_top30|盐化工",
		"山东海化集团有限公司|潍坊|industry_top30|盐化工",
		"中国建材集团有限公司|北京|fortune500,china500,central_soe|建材",
		"中国建筑集团有限公司|北京|fortune500,china500,central_soe|建筑",
		"中国中铁股份有限公司|北京|fortune500,china500,central_soe|建筑",
		"国家电网有限公司|北京|fortune500,china500,central_soe|能源",
		"国家电力投资集团有限公司|北京|fortune500,china500,central_soe|新能源",
		"中国储备粮管理集团有限公司|北京|fortune500,china500,central_soe|粮食仓储",
		"京东集团股份有限公司|北京|fortune500,china500|物流,电商",
		"阿里巴巴集团控股有限公司|杭州|fortune500,china500|电商,数字经济",
		"腾讯控股有限公司|深圳|fortune500,china500|数字经济",
		"华为技术有限公司|深圳|fortune500,china500|电子信息,数字经济",
		"顺丰控股股份有限公司|深圳|fortune500,china500|物流,冷链",
		"菜鸟网络科技有限公司|杭州|industry_top30|物流",
		"普洛斯集团|新加坡|industry_top30|物流,仓储",
		"万纬物流发展有限公司|上海|industry_top30|冷链,仓储",
		"中国物流集团有限公司|北京|central_soe,china500|物流",
		"比亚迪股份有限公司|深圳|fortune500,china500|新能源,智能装备",
		"宁德时代新能源科技股份有限公司|宁德|fortune500,china500|新能源",
		"美的集团股份有限公司|佛山|fortune500,china500|家电,智能装备",
		"海尔集团公司|青岛|fortune500,china500|家电,智能装备",
		"珠海格力电器股份有限公司|珠海|china500|家电",
		"三一集团有限公司|长沙|china500|装备制造",
		"中联重科股份有限公司|长沙|china500|装备制造",
		"宇通集团有限公司|郑州|china500|装备制造",
		"许继集团有限公司|许昌|industry_top30|装备制造,能源",
		"郑州安图生物工程股份有限公司|郑州|industry_top30|医疗器械,生物医药",
		"驼人控股集团有限公司|新乡|industry_top30|医疗器械",
		"深圳迈瑞生物医疗电子股份有限公司|深圳|industry_top30|医疗器械",
		"华兰生物工程股份有限公司|新乡|industry_top30|生物医药",
		"江苏恒瑞医药股份有限公司|连云港|china500|生物医药",
		"中国医药集团有限公司|北京|fortune500,china500,central_soe|生物医药",
		"上海医药集团股份有限公司|上海|fortune500,china500|生物医药",
		"利乐公司|洛桑|industry_top30|包装",
		"安姆科集团|苏黎世|industry_top30|包装",
		"奥瑞金科技股份有限公司|北京|industry_top30|包装",
		"日本火腿株式会社|大阪|industry_top30|肉制品加工",
		"味之素株式会社|东京|industry_top30|调味品",
		"日清食品控股株式会社|东京|industry_top30|方便食品",
		"卡夫亨氏公司|芝加哥|industry_top30|调味品,食品",
		"ADM公司|芝加哥|fortune500|粮油加工,饲料",
		"泰森食品公司|斯普林代尔|fortune500|肉制品加工",
		"JBS公司|圣保罗|fortune500|肉制品加工",
		"联合利华|伦敦|fortune500|调味品,饮料",
		"百胜中国控股有限公司|上海|industry_top30|餐饮,预制菜",
		"蜜雪冰城股份有限公司|郑州|industry_top30|饮料,餐饮",
		"锅圈食品（上海）股份有限公司|上海|industry_top30|预制菜",
		"海底捞国际控股有限公司|北京|industry_top30|餐饮,调味品",
		"中国邮政集团有限公司|北京|fortune500,china500,central_soe|物流",
		"招商局集团有限公司|香港|fortune500,china500,central_soe|港口,物流",
		"中国远洋海运集团有限公司|上海|fortune500,china500,central_soe|港口,物流",
		"河南投资集团有限公司|郑州|china500|能源,物流",
		"河南能源集团有限公司|郑州|china500|能源,化工",
	}
}

// parksFor returns the park shorts that host an industry.
func parksFor(industry string) []string {
	switch industry {
	case "肉制品加工", "预制菜", "粮油加工", "饲料", "食品", "速冻食品", "乳制品", "调味品", "方便食品", "畜禽养殖", "保健食品", "餐饮":
		return []string{"JKSP", "ZLCJ", "YCCJ"}
	case "休闲食品", "烘焙食品", "饮料", "乳饮品":
		return []string{"LYXX", "JKSP"}
	case "冷链", "物流", "仓储":
		return []string{"JKLL", "LGWL"}
	case "粮食仓储", "港口", "建材", "建筑":
		return []string{"LGWL"}
	case "盐化工", "化工", "新材料":
		return []string{"WYYH", "YHCJ"}
	case "医疗器械", "生物医药":
		return []string{"GXQ", "ZLCJ"}
	case "电子信息", "数字经济", "电商":
		return []string{"GXQ", "XCKJ"}
	case "装备制造", "智能装备", "新能源", "家电", "能源":
		return []string{"YCCJ", "GXQ", "ZLCJ"}
	case "包装":
		return []string{"YHCJ"}
	}
	return nil
}

// localFirms are the first rows of firmRows: food firms already in Luohe
// (landed).
const localFirms = 14

// syntheticFirms returns made-up mid-sized firms to complete the list.
func syntheticFirms(r *rand.Rand, n int, taken map[string]bool) []string {
	cs := []string{"郑州", "武汉", "成都", "杭州", "苏州", "宁波", "无锡", "济南", "西安", "合肥", "长沙", "厦门", "青岛", "南京", "许昌", "新乡", "广州", "深圳", "上海", "北京"}
	cores := []string{"佳禾", "鑫源", "华美", "康顺", "金穗", "瑞丰", "恒润", "中禾", "天福", "宏达", "汇丰源", "润康", "嘉禾", "新农", "盛世", "丰谷", "禾润", "百川", "富民", "锦华", "安信", "博远", "龙泰", "永盛", "宝隆"}
	kinds := []struct{ suffix, industry string }{
		{"食品股份有限公司", "食品"}, {"食品科技有限公司", "休闲食品"}, {"冷链物流有限公司", "冷链"}, {"生物科技有限公司", "生物医药"},
		{"新材料科技有限公司", "新材料"}, {"智能装备有限公司", "智能装备"}, {"包装科技有限公司", "包装"}, {"调味品有限公司", "调味品"},
		{"饮品有限公司", "饮料"}, {"电子科技有限公司", "电子信息"}, {"供应链管理有限公司", "物流"}, {"化工科技有限公司", "化工"},
	}
	var rows []string
	for len(rows) < n {
		c, core, k := pick(r, cs), pick(r, cores), pick(r, kinds)
		name := c + core + k.suffix
		if taken[name] {
			continue
		}
		taken[name] = true
		tags := ""
		if r.IntN(3) == 0 {
			tags = "industry_top30"
		}
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%s", name, c, tags, k.industry))
	}
	return rows
}

func (b *builder) buildFirms() error {
	r := rng(streamFirms)
	cityAt := map[string]orb.Point{}
	for _, c := range cities() {
		cityAt[c.name] = c.at
	}
	rows := firmRows()
	taken := map[string]bool{}
	for _, row := range rows {
		taken[strings.SplitN(row, "|", 2)[0]] = true
	}
	rows = append(rows, syntheticFirms(r, 200-len(rows), taken)...)
	parkID := map[string]geo.ID{}
	for _, p := range b.parks {
		parkID[p.short] = p.id
	}
	for i, row := range rows {
		f := strings.Split(row, "|")
		if len(f) != 4 {
			return fmt.Errorf("firm row %q", row)
		}
		at, ok := cityAt[f[1]]
		if !ok {
			return fmt.Errorf("firm %s: no city %s", f[0], f[1])
		}
		firm := invest.Firm{
			ID: geo.ID(i + 1), Name: f[0], HQCity: f[1], HQ: at,
			Tags: []string{}, Industries: strings.Split(f[3], ","),
			ContactName: personName(r), ContactPhone: maskedPhone(r),
		}
		if f[2] != "" {
			firm.Tags = strings.Split(f[2], ",")
		}
		firm.Stage = []string{"contact", "negotiating", "signed", "landed"}[weighted(r, []float64{40, 30, 18, 12})]
		if i < localFirms {
			firm.Stage = "landed"
		}
		var parks []string
		for _, ind := range firm.Industries {
			for _, s := range parksFor(ind) {
				if !slices.Contains(parks, s) {
					parks = append(parks, s)
				}
			}
		}
		if firm.Stage != "contact" && len(parks) > 0 {
			n := 1 + r.IntN(min(2, len(parks)))
			for _, s := range parks[:n] {
				firm.ParkIDs = append(firm.ParkIDs, parkID[s])
			}
			if firm.Stage == "negotiating" || firm.Stage == "signed" {
				firm.ParcelIDs = b.offerParcels(r, firm.ParkIDs[0], firm.Stage)
			}
		}
		b.ds.Firms = append(b.ds.Firms, firm)
	}
	b.buildFirmHistories()
	return nil
}

// offerParcels picks one to three free parcels of a park for a firm in
// talks; a signed firm's parcels are reserved for it.
func (b *builder) offerParcels(r *rand.Rand, park geo.ID, stage string) []geo.ID {
	var free []int
	for i, p := range b.ds.Parcels {
		if p.ParkID == park && !b.parcelUsed[i] && !b.parcelOffered[i] && (p.SupplyStatus == "ready" || p.SupplyStatus == "reserved") {
			free = append(free, i)
		}
	}
	var ids []geo.ID
	for range 1 + r.IntN(3) {
		if len(free) == 0 {
			break
		}
		k := r.IntN(len(free))
		i := free[k]
		free = slices.Delete(free, k, k+1)
		b.parcelOffered[i] = true
		if stage == "signed" {
			b.ds.Parcels[i].SupplyStatus = "reserved"
		}
		ids = append(ids, b.ds.Parcels[i].ID)
	}
	slices.Sort(ids)
	return ids
}
