package invest

import (
	"errors"
	"strings"
	"testing"

	"github.com/luohe/onemap/geo"
)

func TestCheckStageMove(t *testing.T) {
	for _, c := range []struct {
		from, to, note, code string // code: "" allowed
	}{
		{"contact", "negotiating", "", ""},
		{"negotiating", "signed", "", ""},
		{"signed", "landed", "", ""},
		{"contact", "contact", "", ""},
		{"contact", "signed", "", "bad_transition"},
		{"contact", "landed", "快", "bad_transition"},
		{"signed", "negotiating", "", "note_required"},
		{"signed", "negotiating", "  ", "note_required"},
		{"signed", "negotiating", "条款重谈", ""},
		{"signed", "contact", "重来", "bad_transition"},
		{"landed", "signed", "撤资", "bad_transition"},
	} {
		err := CheckStageMove(c.from, c.to, c.note)
		var ge *geo.Error
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s → %s (%q): %v", c.from, c.to, c.note, err)
		case c.code != "" && (!errors.As(err, &ge) || ge.Code != c.code || ge.Kind != geo.KindInvalid):
			t.Errorf("%s → %s (%q): %v, want %s", c.from, c.to, c.note, err, c.code)
		}
	}
}

func TestRank(t *testing.T) {
	site := Site{Leading: []string{"食品加工", "冷链物流"}, Chains: []Chain{{Name: "食品", Links: []ChainLink{
		{Industry: "食品加工", Mark: "fill"}, {Industry: "肉制品加工", Mark: "strengthen"}, {Industry: "预制菜", Mark: "extend"}}}}}
	got := Rank(site, []Candidate{
		{ID: 1, Name: "far fill", Industries: []string{"食品加工"}, DistanceKM: 900, Stage: "contact"},
		{ID: 2, Name: "near fill", Industries: []string{"食品加工"}, DistanceKM: 100, Stage: "signed"},
		{ID: 3, Name: "leading+extend", Industries: []string{"冷链物流", "预制菜", "钢铁"}, DistanceKM: 50, Stage: "contact"},
		{ID: 4, Name: "landed", Industries: []string{"食品加工"}, Stage: "landed"},
		{ID: 5, Name: "nothing", Industries: []string{"钢铁"}, Stage: "contact"},
		{ID: 6, Name: "strengthen", Industries: []string{"肉制品加工"}, DistanceKM: 10, Stage: "contact"},
		{ID: 7, Name: "tie by id", Industries: []string{"肉制品加工"}, DistanceKM: 10, Stage: "contact"},
	})
	var names []string
	for _, m := range got {
		names = append(names, m.Name)
	}
	// 食品加工 is both leading (2) and a link to fill (3): it counts once,
	// as 3.
	want := "leading+extend near fill far fill strengthen tie by id"
	if strings.Join(names, " ") != want {
		t.Fatalf("ranked %q, want %q", strings.Join(names, " "), want)
	}
	if got[0].Score != 3 || got[1].Score != 3 || got[3].Score != 2 || len(got[0].Reasons) != 2 || got[1].Reasons[0].Why != "fill" {
		t.Errorf("scores %+v", got)
	}
}

func TestCheckChains(t *testing.T) {
	ok := []Chain{{Name: " 食品 ", Links: []ChainLink{{Industry: "食品包装", Mark: "补链"}, {Industry: "预制菜", Mark: "extend"}}}}
	got, err := CheckChains(ok)
	if err != nil || got[0].Name != "食品" || got[0].Links[0].Mark != "fill" {
		t.Fatalf("%v %v", got, err)
	}
	for name, cs := range map[string][]Chain{
		"bad_mark":  {{Name: "a", Links: []ChainLink{{Industry: "x", Mark: "加链"}}}},
		"bad_chain": {{Name: "a", Links: []ChainLink{{Industry: "x", Mark: "fill"}, {Industry: "x", Mark: "extend"}}}},
		"bad_text":  {{Name: "a\x00", Links: []ChainLink{{Industry: "x", Mark: "fill"}}}},
		"required":  {{Name: "a", Links: []ChainLink{{Industry: " ", Mark: "fill"}}}},
	} {
		var ge *geo.Error
		if _, err := CheckChains(cs); !errors.As(err, &ge) || ge.Code != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}
