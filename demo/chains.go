package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/luohe/onemap/invest"
)

// Industry chains (产业链) of the demo parks and the stage histories of
// the target firms. A park strengthens (强链) its leading industries; it
// fills (补链) the links it lacks and extends (延链) the chain up- or
// downstream with industries the target firms are in, so that each chain
// has firms to match. Luohe's chains are those of food processing (食品),
// its first industry; the other parks have their own.

// chainSpec is a chain of a park: its name and links in chain order, each
// "industry:mark" with the mark's Chinese name.
type chainSpec struct {
	park  string
	name  string
	links []string
}

func chainSpecs() []chainSpec {
	return []chainSpec{
		{"JKSP", "肉制品产业链", []string{"畜禽养殖:延链", "饲料:延链", "肉制品加工:强链", "预制菜:补链", "速冻食品:补链", "调味品:补链", "冷链:延链"}},
		{"JKSP", "休闲食品与饮料产业链", []string{"烘焙食品:补链", "休闲食品:强链", "饮料:强链", "乳制品:补链", "食品装备:强链", "包装:补链"}},
		{"JKLL", "冷链物流产业链", []string{"冷链物流:强链", "冷链:补链", "仓储配送:强链", "仓储:补链", "中央厨房:强链", "预制菜:延链", "餐饮:延链"}},
		{"GXQ", "电子信息产业链", []string{"新材料:强链", "电子信息:强链", "智能装备:补链", "数字经济:延链"}},
		{"GXQ", "生物医药产业链", []string{"生物医药:强链", "医疗器械:补链", "保健食品:延链"}},
		{"XCKJ", "数字经济产业链", []string{"科技研发:强链", "电子信息:补链", "数字经济:补链", "电子商务:强链", "现代服务业:强链", "物流:延链"}},
		{"YHCJ", "食品包装产业链", []string{"化工:延链", "新材料:强链", "包装:补链", "食品包装:强链", "休闲食品:延链"}},
		{"YHCJ", "纺织服装产业链", []string{"纺织服装:强链", "电商:延链"}},
		{"ZLCJ", "食品加工产业链", []string{"粮油加工:补链", "食品加工:强链", "方便食品:补链", "速冻食品:补链", "调味品:延链"}},
		{"ZLCJ", "装备与医疗器械产业链", []string{"装备制造:强链", "智能装备:补链", "医疗器械:强链", "生物医药:延链"}},
		{"LGWL", "港口物流产业链", []string{"港口:补链", "港口物流:强链", "物流:补链", "粮食仓储:强链", "粮油加工:延链", "建材:强链", "建筑:延链"}},
		{"YCCJ", "智能装备产业链", []string{"电子信息:强链", "智能装备:强链", "新能源:补链", "家电:延链"}},
		{"YCCJ", "食品产业链", []string{"食品:强链", "乳制品:补链", "方便食品:补链", "调味品:延链"}},
		{"LYXX", "休闲食品产业链", []string{"粮油加工:延链", "烘焙食品:补链", "休闲食品:强链", "饮料:强链", "乳饮品:补链", "食品包装:强链", "包装:补链", "电商:延链"}},
		{"WYYH", "盐化工产业链", []string{"盐化工:强链", "化工:补链", "精细化工:强链", "新材料:强链", "能源:延链"}},
	}
}

// buildChains gives each park its chains.
func (b *builder) buildChains() error {
	marks := map[string]string{}
	for _, m := range invest.ChainMarks() {
		marks[m.ZH] = m.ID
	}
	parks := map[string]int{}
	for i, p := range b.parks {
		parks[p.short] = i
	}
	for _, s := range chainSpecs() {
		i, ok := parks[s.park]
		if !ok {
			return fmt.Errorf("chain %s: no park %s", s.name, s.park)
		}
		c := invest.Chain{Name: s.name}
		for _, l := range s.links {
			ind, zh, _ := strings.Cut(l, ":")
			mark := marks[zh]
			if ind == "" || mark == "" {
				return fmt.Errorf("chain %s: link %q", s.name, l)
			}
			c.Links = append(c.Links, invest.ChainLink{Industry: ind, Mark: mark})
		}
		b.ds.Parks[i].Chains = append(b.ds.Parks[i].Chains, c)
	}
	return nil
}

// investTeam are the people of the investment team (招商专班) in charge
// of the target firms.
var investTeam = []string{"王建华", "李晓燕", "张志强", "刘海燕", "陈国强", "杨文博", "赵红梅", "周晓东"}

// stageNotes are the notes of a firm's forward moves into each stage.
var stageNotes = map[string][]string{
	"contact":     {"首次拜访，介绍园区区位、产业基础和招商政策", "在产业对接会上接触，对方有意在中部布局", "经商协会引荐，建立联系"},
	"negotiating": {"对方来漯考察，就用地和厂房需求交换方案", "进入洽谈：商议用地指标、供地方式和扶持政策", "对方提交投资计划书，进入实质洽谈"},
	"signed":      {"签订投资合作协议", "签订项目入园协议和供地意向书"},
	"landed":      {"项目落地开工", "取得施工许可，项目开工建设"},
}

// backNotes say why a firm went back a stage, by the stage it left.
var backNotes = map[string][]string{
	"negotiating": {"对方投资计划推迟，暂缓洽谈", "用地条件未谈妥，退回接洽"},
	"signed":      {"协议条款需重新商定，退回洽谈"},
}

// buildFirmHistories gives each firm a person responsible and its stage
// history: the stages from 接洽 up to its stage, now and then one step
// back with its reason and forward again, dated a few weeks to a few
// months apart and ending before the end of the data's month. The firms
// already in Luohe (landed with the first rows) came years ago.
func (b *builder) buildFirmHistories() {
	r := rng(streamFirmStages)
	order := []string{"contact", "negotiating", "signed", "landed"}
	end := date(b.year, b.through+1, 1).AddDate(0, 0, -1)
	for i := range b.ds.Firms {
		f := &b.ds.Firms[i]
		f.Responsible = pick(r, investTeam)
		k := slices.Index(order, f.Stage)
		var steps []string
		for j := 0; j <= k; j++ {
			steps = append(steps, order[j])
			if j >= 1 && j < 3 && j == k-1 && r.IntN(6) == 0 {
				steps = append(steps, order[j-1], order[j])
			}
		}
		last := end.AddDate(0, 0, -r.IntN(60))
		if i < localFirms {
			last = end.AddDate(-1-r.IntN(7), 0, -r.IntN(300))
		}
		at := make([]time.Time, len(steps))
		for j := len(steps) - 1; j >= 0; j-- {
			at[j] = last.Add(time.Duration(1+r.IntN(8)) * time.Hour)
			last = last.AddDate(0, 0, -(15 + r.IntN(120)))
		}
		f.History = make([]invest.FirmStageEntry, len(steps))
		for j, to := range steps {
			e := invest.FirmStageEntry{To: to, Actor: f.Responsible, At: at[j]}
			if j > 0 {
				e.From = steps[j-1]
			}
			if e.From != "" && slices.Index(order, to) < slices.Index(order, e.From) {
				e.Note = pick(r, backNotes[e.From])
			} else {
				e.Note = pick(r, stageNotes[to])
			}
			f.History[j] = e
		}
	}
}
