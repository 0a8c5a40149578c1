package demo

import (
	"slices"
	"testing"
	"time"

	"github.com/luohe/onemap/invest"
)

// Each park strengthens (强链) exactly its leading industries, every one
// of them; it fills (补链) and extends (延链) only industries it does not
// lead, each of which some target firm is in; and the chains pass the
// checks a park's chains pass when the investment team sets them.
func TestParkChains(t *testing.T) {
	ds := testDataset()
	firmIndustries := map[string]bool{}
	for _, f := range ds.Firms {
		for _, ind := range f.Industries {
			firmIndustries[ind] = true
		}
	}
	food := false
	for _, p := range ds.Parks {
		if len(p.Chains) == 0 {
			t.Errorf("park %s has no industry chain", p.Name)
			continue
		}
		if _, err := invest.CheckChains(p.Chains); err != nil {
			t.Errorf("park %s: %v", p.Name, err)
		}
		strong := map[string]bool{}
		for _, c := range p.Chains {
			for _, l := range c.Links {
				lead := slices.Contains(p.LeadingIndustries, l.Industry)
				switch {
				case l.Mark == "strengthen" && !lead:
					t.Errorf("park %s, chain %s: strengthens %s, not a leading industry", p.Name, c.Name, l.Industry)
				case l.Mark != "strengthen" && lead:
					t.Errorf("park %s, chain %s: marks its leading industry %s %s", p.Name, c.Name, l.Industry, l.Mark)
				case l.Mark != "strengthen" && !firmIndustries[l.Industry]:
					t.Errorf("park %s, chain %s: no target firm is in %s (%s)", p.Name, c.Name, l.Industry, l.Mark)
				}
				if l.Mark == "strengthen" {
					strong[l.Industry] = true
				}
				food = food || l.Industry == "肉制品加工"
			}
		}
		for _, ind := range p.LeadingIndustries {
			if !strong[ind] {
				t.Errorf("park %s: its leading industry %s is in none of its chains", p.Name, ind)
			}
		}
	}
	if !food {
		t.Error("no park has the meat products (肉制品加工) of Luohe's food chain")
	}
}

// Each firm has a person responsible and a stage history that starts at
// 接洽, moves by the rules of the pipeline (a step back has its note),
// is dated in increasing order up to the end of the data's month, and
// ends at the firm's stage.
func TestFirmHistories(t *testing.T) {
	ds := GenerateAsOf(2026, time.June)
	end := date(2026, time.July, 1)
	backs := 0
	for _, f := range ds.Firms {
		h := f.History
		if f.Responsible == "" || len(h) == 0 {
			t.Errorf("firm %s: responsible %q, %d stages", f.Name, f.Responsible, len(h))
			continue
		}
		if h[0].From != "" || h[0].To != "contact" {
			t.Errorf("firm %s starts %q → %q, want 接洽", f.Name, h[0].From, h[0].To)
		}
		if last := h[len(h)-1]; last.To != f.Stage || !last.At.Before(end) {
			t.Errorf("firm %s: history ends at %s on %s, the firm is at %s", f.Name, last.To, last.At, f.Stage)
		}
		for i, e := range h {
			if e.Actor != f.Responsible || e.Note == "" {
				t.Errorf("firm %s, step %d: actor %q, note %q", f.Name, i, e.Actor, e.Note)
			}
			if i == 0 {
				continue
			}
			if e.From != h[i-1].To || !e.At.After(h[i-1].At) {
				t.Errorf("firm %s, step %d: %s → %s on %s after %s on %s", f.Name, i, e.From, e.To, e.At, h[i-1].To, h[i-1].At)
			}
			if err := invest.CheckStageMove(e.From, e.To, e.Note); err != nil || e.From == e.To {
				t.Errorf("firm %s, step %d: %s → %s: %v", f.Name, i, e.From, e.To, err)
			}
			if e.To == "contact" || (e.To == "negotiating" && e.From == "signed") {
				backs++
			}
		}
	}
	if backs == 0 {
		t.Error("no firm ever went back a stage")
	}
}
