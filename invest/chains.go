package invest

import (
	"cmp"
	"context"
	"slices"

	"github.com/luohe/onemap/geo"
)

// Chain is an industry chain (产业链) of a park: its links in chain
// order, each marked by what the park means to do about it.
type Chain struct {
	Name  string      `json:"name"`
	Links []ChainLink `json:"links"`
}

// ChainLink is a link (node) of a chain: an industry and its mark, one
// of ChainMarks.
type ChainLink struct {
	Industry string `json:"industry"`
	Mark     string `json:"mark"`
}

// ChainMarks are what a park means to do about a link of its chain.
func ChainMarks() []geo.Label {
	return []geo.Label{
		{ID: "strengthen", ZH: "强链", EN: "Strengthen"},
		{ID: "fill", ZH: "补链", EN: "Fill (missing link)"},
		{ID: "extend", ZH: "延链", EN: "Extend"},
	}
}

// Limits of a park's chains.
const (
	maxChains = 20
	maxLinks  = 50
)

// CheckChains checks a park's chains: named, each name once, 1 to
// maxLinks links of known marks, each industry once in a chain. Marks may
// be given by Chinese name. KindInvalid ("bad_chain", "bad_mark",
// "bad_text", …).
func CheckChains(cs []Chain) ([]Chain, error) {
	if len(cs) > maxChains {
		return nil, geo.Invalid("bad_chain", "一个园区最多 %d 条产业链", "a park has at most %d chains", maxChains)
	}
	out := make([]Chain, 0, len(cs))
	for _, c := range cs {
		name, err := firmText("name", c.Name, maxFirmName, true)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(out, func(o Chain) bool { return o.Name == name }) {
			return nil, geo.Invalid("bad_chain", "产业链 %q 重复", "the chain %q is given twice", name)
		}
		if len(c.Links) == 0 || len(c.Links) > maxLinks {
			return nil, geo.Invalid("bad_chain", "产业链 %q 须有 1–%d 个环节", "the chain %q has 1 to %d links", name, maxLinks)
		}
		ch := Chain{Name: name, Links: make([]ChainLink, 0, len(c.Links))}
		for _, l := range c.Links {
			ind, err := firmText("industry", l.Industry, maxFirmText, true)
			if err != nil {
				return nil, err
			}
			mark, ok := geo.LabelID(ChainMarks(), l.Mark)
			if !ok {
				if !geo.ValidText(l.Mark) {
					return nil, geo.BadText("mark")
				}
				return nil, geo.Invalid("bad_mark", "环节 %q 的标记 %q 无效：可选 强链、补链、延链",
					"link %q: unknown mark %q (strengthen, fill or extend)", ind, l.Mark)
			}
			if slices.ContainsFunc(ch.Links, func(o ChainLink) bool { return o.Industry == ind }) {
				return nil, geo.Invalid("bad_chain", "产业链 %q 的环节 %q 重复", "the chain %q has the link %q twice", name, ind)
			}
			ch.Links = append(ch.Links, ChainLink{Industry: ind, Mark: mark})
		}
		out = append(out, ch)
	}
	return out, nil
}

// Chains returns a park's industry chains: KindNotFound for no park.
func (s *Firms) Chains(ctx context.Context, p geo.Principal, parkID geo.ID) ([]Chain, error) {
	return s.store.Chains(ctx, p, parkID)
}

// SetChains replaces a park's industry chains with cs and answers them as
// kept: KindInvalid for bad chains, KindNotFound for no park.
func (s *Firms) SetChains(ctx context.Context, p geo.Principal, parkID geo.ID, cs []Chain) ([]Chain, error) {
	cs, err := CheckChains(cs)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetChains(ctx, p, parkID, cs); err != nil {
		return nil, err
	}
	return s.store.Chains(ctx, p, parkID)
}

// Site is what firms are matched to: a park, or a parcel through its park.
type Site struct {
	Kind    string   `json:"kind"` // "parks" or "parcels"
	ID      geo.ID   `json:"id"`
	Name    string   `json:"name"`
	ParkID  geo.ID   `json:"park_id"` // 0: a parcel outside parks
	Park    string   `json:"park"`
	Leading []string `json:"leading_industries"`
	Chains  []Chain  `json:"chains"`
}

// Candidate is a firm that may match a site, with the ellipsoidal
// distance from its headquarters to the site.
type Candidate struct {
	ID         geo.ID   `json:"id"`
	Name       string   `json:"name"`
	Tags       []string `json:"tags"`
	Industries []string `json:"industries"`
	HQCity     string   `json:"hq_city"`
	Stage      string   `json:"stage"`
	DistanceKM float64  `json:"distance_km"`
}

// Reason is why a firm matches a site: one of its industries and how the
// site wants it ("fill", "strengthen", "leading" or "extend").
type Reason struct {
	Industry string `json:"industry"`
	Why      string `json:"why"`
	Points   int    `json:"points"`
}

// Match is a firm matched to a site, with its score and reasons.
type Match struct {
	Candidate
	Score   int      `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Matches is the answer for a site: the site and its ranked firms.
type Matches struct {
	Site  Site    `json:"site"`
	Firms []Match `json:"firms"`
}

// points of a reason: a firm that fills a missing link (补链) is what a
// park lacks most; one in a leading industry or a link to strengthen
// (强链) adds to what the park has; one that extends the chain (延链) is
// welcome but least pressing.
var points = map[string]int{"fill": 3, "strengthen": 2, "leading": 2, "extend": 1}

// Rank matches candidates to a site. Each of a firm's industries counts
// once, by its best reason: 3 points if it fills a missing link (补链),
// 2 if it is a leading industry of the park or a link to strengthen
// (强链), 1 if it extends a chain (延链); industries match by exact name.
// A firm's score is the sum. Firms that score nothing and firms already
// landed (落地, built here) are left out; the rest are ranked by score,
// then by distance from their headquarters (nearer first), then by id.
func Rank(site Site, cands []Candidate) []Match {
	want := map[string]string{}
	offer := func(industry, why string) {
		if points[why] > points[want[industry]] {
			want[industry] = why
		}
	}
	for _, l := range site.Leading {
		offer(l, "leading")
	}
	for _, c := range site.Chains {
		for _, l := range c.Links {
			offer(l.Industry, l.Mark)
		}
	}
	out := []Match{}
	for _, c := range cands {
		if c.Stage == "landed" {
			continue
		}
		m := Match{Candidate: c, Reasons: []Reason{}}
		for _, ind := range c.Industries {
			if why, ok := want[ind]; ok {
				m.Reasons = append(m.Reasons, Reason{Industry: ind, Why: why, Points: points[why]})
				m.Score += points[why]
			}
		}
		if m.Score > 0 {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.DistanceKM, b.DistanceKM), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Match ranks the firms for a park ("parks") or a parcel ("parcels",
// through its park) by Rank: KindNotFound for no such site, KindInvalid
// ("no_park") for a parcel outside parks.
func (s *Firms) Match(ctx context.Context, p geo.Principal, kind string, id geo.ID) (Matches, error) {
	site, cands, err := s.store.MatchSite(ctx, p, kind, id)
	if err != nil {
		return Matches{}, err
	}
	if site.ParkID == 0 {
		return Matches{}, geo.Invalid("no_park", "该地块不在园区内，没有可匹配的主导产业和产业链", "the parcel lies outside parks: no industries to match")
	}
	return Matches{Site: site, Firms: Rank(site, cands)}, nil
}
