package demo

import (
	"strings"

	"github.com/luohe/onemap/land"
)

// Land-use classes of the two classification systems the demo uses.
//
// 用地用海 (gtkj2023): the first-level classes and the second- and
// third-level classes the demo's plan and parcels use. Construction land
// (建设用地) is 07–16: 07 居住, 08 公共管理与公共服务, 09 商业服务业, 10 工矿,
// 11 仓储, 12 交通运输, 13 公用设施, 14 绿地与开敞空间, 15 特殊 and 16 留白;
// this follows the guide's mapping onto the three land categories
// (三大类), where 14 green space and open space counts as urban
// construction land and 06 农业设施建设用地 as agricultural land.
//
// 三调 (gbt21010-2017): enough of GB/T 21010-2017 to show the clash of
// codes — 0601 is 工业用地 and 1001 铁路用地 there.

// classRow is code, name, construction.
type classRow struct {
	code, name string
	build      bool
}

func gtkjClasses() []classRow {
	return []classRow{
		{"01", "耕地", false}, {"0101", "水田", false}, {"0102", "水浇地", false}, {"0103", "旱地", false},
		{"02", "园地", false}, {"0201", "果园", false}, {"0204", "其他园地", false},
		{"03", "林地", false}, {"0301", "乔木林地", false}, {"0303", "灌木林地", false}, {"0304", "其他林地", false},
		{"04", "草地", false}, {"0403", "其他草地", false},
		{"05", "湿地", false}, {"0506", "内陆滩涂", false},
		{"06", "农业设施建设用地", false}, {"0601", "乡村道路用地", false}, {"0602", "种植设施建设用地", false},
		{"0603", "畜禽养殖设施建设用地", false},
		{"07", "居住用地", true}, {"0701", "城镇住宅用地", true}, {"070101", "一类城镇住宅用地", true},
		{"070102", "二类城镇住宅用地", true}, {"070103", "三类城镇住宅用地", true},
		{"0702", "城镇社区服务设施用地", true}, {"0703", "农村宅基地", true}, {"070301", "一类农村宅基地", true},
		{"070302", "二类农村宅基地", true}, {"0704", "农村社区服务设施用地", true},
		{"08", "公共管理与公共服务用地", true}, {"0801", "机关团体用地", true}, {"0802", "科研用地", true},
		{"0803", "文化用地", true}, {"0804", "教育用地", true}, {"080401", "高等教育用地", true},
		{"080402", "中等职业教育用地", true}, {"080403", "中小学用地", true}, {"080404", "幼儿园用地", true},
		{"0805", "体育用地", true}, {"0806", "医疗卫生用地", true}, {"080601", "医院用地", true},
		{"0807", "社会福利用地", true},
		{"09", "商业服务业用地", true}, {"0901", "商业用地", true}, {"090101", "零售商业用地", true},
		{"090102", "批发市场用地", true}, {"090104", "旅馆用地", true}, {"0902", "商务金融用地", true},
		{"0903", "娱乐康体用地", true}, {"0904", "其他商业服务业用地", true},
		{"10", "工矿用地", true}, {"1001", "工业用地", true}, {"100101", "一类工业用地", true},
		{"100102", "二类工业用地", true}, {"100103", "三类工业用地", true}, {"1002", "采矿用地", true},
		{"11", "仓储用地", true}, {"1101", "物流仓储用地", true}, {"110101", "一类物流仓储用地", true},
		{"110102", "二类物流仓储用地", true}, {"110103", "三类物流仓储用地", true}, {"1102", "储备库用地", true},
		{"12", "交通运输用地", true}, {"1201", "铁路用地", true}, {"1202", "公路用地", true},
		{"1204", "港口码头用地", true}, {"1207", "城镇村道路用地", true}, {"1208", "交通场站用地", true},
		{"13", "公用设施用地", true}, {"1301", "供水用地", true}, {"1302", "排水用地", true}, {"1303", "供电用地", true},
		{"1304", "供燃气用地", true}, {"1305", "供热用地", true}, {"1309", "环卫用地", true}, {"1310", "消防用地", true},
		{"1311", "水工设施用地", true},
		{"14", "绿地与开敞空间用地", true}, {"1401", "公园绿地", true}, {"1402", "防护绿地", true}, {"1403", "广场用地", true},
		{"15", "特殊用地", true}, {"1503", "宗教用地", true}, {"1504", "文物古迹用地", true}, {"1506", "殡葬用地", true},
		{"16", "留白用地", true},
		{"17", "陆地水域", false}, {"1701", "河流水面", false}, {"1702", "湖泊水面", false}, {"1703", "水库水面", false},
		{"1704", "坑塘水面", false}, {"1705", "沟渠", false},
		{"23", "其他土地", false}, {"2301", "空闲地", false}, {"2302", "后备耕地", false}, {"2303", "田坎", false},
	}
}

func gbtClasses() []classRow {
	return []classRow{
		{"01", "耕地", false}, {"0101", "水田", false}, {"0102", "水浇地", false}, {"0103", "旱地", false},
		{"03", "林地", false}, {"0301", "乔木林地", false},
		{"05", "商服用地", true}, {"0501", "零售商业用地", true},
		{"06", "工矿仓储用地", true}, {"0601", "工业用地", true}, {"0602", "采矿用地", true}, {"0604", "仓储用地", true},
		{"07", "住宅用地", true}, {"0701", "城镇住宅用地", true}, {"0702", "农村宅基地", true},
		{"10", "交通运输用地", true}, {"1001", "铁路用地", true}, {"1003", "公路用地", true},
		{"1004", "城镇村道路用地", true}, {"1006", "农村道路", false},
		{"11", "水域及水利设施用地", false}, {"1101", "河流水面", false},
	}
}

// parentOf returns the parent code of a 用地用海 or 三调 code: the code
// two digits shorter; empty at the first level.
func parentOf(code string) string {
	if len(code) <= 2 {
		return ""
	}
	return code[:len(code)-2]
}

// Classes returns the land-use classification systems and classes of the
// demo: 用地用海 (2023) and part of 三调 (GB/T 21010-2017).
func Classes() ([]land.System, []land.Class) {
	systems := []land.System{
		{ID: land.SystemGTKJ2023, Name: "国土空间调查、规划、用途管制用地用海分类"},
		{ID: land.SystemGBT21010, Name: "土地利用现状分类（GB/T 21010-2017）"},
	}
	var classes []land.Class
	for _, sys := range []struct {
		id   string
		rows []classRow
	}{{land.SystemGTKJ2023, gtkjClasses()}, {land.SystemGBT21010, gbtClasses()}} {
		for _, r := range sys.rows {
			classes = append(classes, land.Class{
				System: sys.id, Code: r.code, Name: r.name, Parent: parentOf(r.code), Construction: r.build,
			})
		}
	}
	return systems, classes
}

func (b *builder) buildClasses() error {
	b.ds.Systems, b.ds.Classes = Classes()
	return nil
}

// isFarmland reports whether a 用地用海 code is cropland (01).
func isFarmland(code string) bool { return strings.HasPrefix(code, "01") }
