package project

import (
	"cmp"
	"context"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/luohe/onemap/geo"
	"github.com/paulmach/orb"
)

// TourView is a tour as its readers see it: the stops in visiting order
// with their times and briefing, the legs of the route, the scores and
// the districts' ranking.
type TourView struct {
	ID           geo.ID    `json:"id"`
	Name         string    `json:"name"`
	Day          string    `json:"day"`
	StartTime    string    `json:"start_time"`
	DwellMinutes int       `json:"dwell_minutes"`
	Start        TourStart `json:"start"`
	Version      int       `json:"version"`
	CreatedBy    string    `json:"created_by"`
	UpdatedAt    time.Time `json:"updated_at"`
	// Route is RouteRoads or RouteStraight; RouteNote says how a straight
	// route is estimated, at AssumedKmh.
	Route        string         `json:"route"`
	RouteNote    string         `json:"route_note,omitempty"`
	AssumedKmh   float64        `json:"assumed_kmh,omitempty"`
	TotalMetres  float64        `json:"total_metres"`
	TotalSeconds float64        `json:"total_seconds"`
	ReturnAt     string         `json:"return_at"`
	Stops        []TourStopView `json:"stops"`
	Legs         []TourLeg      `json:"legs"`
	Ranking      []DistrictRank `json:"ranking"`
}

// TourStopView is a stop: the project, the times there and its briefing
// card's facts, its judges' scores and their mean.
type TourStopView struct {
	Position     int           `json:"position"`
	Project      View          `json:"project"`
	Arrive       string        `json:"arrive"`
	Depart       string        `json:"depart"`
	Invested     geo.Dec       `json:"invested"`
	ProgressNote *string       `json:"progress_note"`
	NoteMonth    *string       `json:"note_month"`
	Blockers     []BlockerView `json:"blockers"`
	Scores       []Score       `json:"scores"`
	Score        *float64      `json:"score"`
}

// TourLeg is a leg of the route from the stop at position From (0: the
// start) to To (0: back to the start), with its way as GeoJSON.
type TourLeg struct {
	From    int             `json:"from"`
	To      int             `json:"to"`
	Metres  float64         `json:"metres"`
	Seconds float64         `json:"seconds"`
	Way     json.RawMessage `json:"way"`
}

// DistrictRank is a district's line in a tour's ranking: its visited
// projects, how many are scored, its score (nil: none scored yet), its
// rank (0: unranked) and whether it is last (末位表态).
type DistrictRank struct {
	District string   `json:"district"`
	Projects int      `json:"projects"`
	Scored   int      `json:"scored"`
	Score    *float64 `json:"score"`
	Rank     int      `json:"rank"`
	Last     bool     `json:"last"`
}

// RankingModel says how a tour's districts are ranked, for the answer
// and the UI.
const RankingModel = "每位评委对每个观摩项目打分（0–100）；项目得分为各评委得分的平均，区县得分为其已评分项目得分的平均；" +
	"按区县得分从高到低排名，得分相同名次相同；至少两个区县有得分时，得分最低的区县为末位，须作表态发言。"

// Tour returns a tour with its route, times, briefing, scores and
// ranking; KindNotFound if there is none.
func (s *Tours) Tour(ctx context.Context, p geo.Principal, id geo.ID) (TourView, error) {
	rec, err := s.store.Tour(ctx, p, id)
	if err != nil {
		return TourView{}, err
	}
	t := rec.Plan
	v := TourView{ID: rec.ID, Name: t.Name, Day: t.Day.Format(time.DateOnly), StartTime: t.StartTime, DwellMinutes: t.DwellMinutes,
		Start: t.Start, Version: rec.Version, CreatedBy: rec.CreatedBy, UpdatedAt: rec.UpdatedAt,
		Stops: []TourStopView{}, Legs: []TourLeg{}}
	places := []orb.Point{{t.Start.Lon, t.Start.Lat}}
	for _, f := range rec.Stops {
		places = append(places, f.Point)
	}
	r, err := s.store.Route(ctx, places, false)
	if err != nil {
		return TourView{}, err
	}
	v.Route = RouteStraight
	if r.Roads {
		v.Route = RouteRoads
	} else {
		v.RouteNote, v.AssumedKmh = StraightNote, StraightKmh
	}
	scores := map[geo.ID][]Score{}
	for _, sc := range rec.Scores {
		scores[sc.ProjectID] = append(scores[sc.ProjectID], sc)
	}
	for i, f := range rec.Stops {
		pv, err := s.projects.Project(ctx, p, f.ProjectID)
		if err != nil {
			return TourView{}, err
		}
		bs, err := s.projects.Blockers(ctx, p, f.ProjectID)
		if err != nil {
			return TourView{}, err
		}
		open := []BlockerView{}
		for _, b := range bs {
			if b.Status != "resolved" {
				open = append(open, b)
			}
		}
		sv := TourStopView{Position: i + 1, Project: pv, Invested: f.Invested, ProgressNote: f.ProgressNote, NoteMonth: f.NoteMonth,
			Blockers: open, Scores: append([]Score{}, scores[f.ProjectID]...)}
		sv.Score = mean(sv.Scores)
		v.Stops = append(v.Stops, sv)
	}
	schedule(&v, t, r.Legs)
	v.Ranking = Rank(v.Stops)
	return v, nil
}

// schedule sets the legs, the times at each stop and the totals of a
// tour from its route's legs: leaving the start at the start time,
// staying the dwell time at each stop, and back.
func schedule(v *TourView, t TourPlan, legs []Leg) {
	hm, _ := time.Parse("15:04", t.StartTime)
	at := time.Date(t.Day.Year(), t.Day.Month(), t.Day.Day(), hm.Hour(), hm.Minute(), 0, 0, time.UTC)
	dwell := time.Duration(t.DwellMinutes) * time.Minute
	for i, l := range legs {
		to := i + 1
		if to > len(v.Stops) {
			to = 0
		}
		v.Legs = append(v.Legs, TourLeg{From: i, To: to, Metres: math.Round(l.Metres), Seconds: math.Round(l.Seconds), Way: json.RawMessage(l.Way)})
		v.TotalMetres += math.Round(l.Metres)
		v.TotalSeconds += math.Round(l.Seconds)
		at = at.Add(time.Duration(math.Round(l.Seconds)) * time.Second)
		if to == 0 {
			v.ReturnAt = at.Round(time.Minute).Format("15:04")
			continue
		}
		v.Stops[i].Arrive = at.Round(time.Minute).Format("15:04")
		at = at.Add(dwell)
		v.Stops[i].Depart = at.Round(time.Minute).Format("15:04")
	}
}

// mean is the mean of the scores, to two decimals; nil for none.
func mean(scores []Score) *float64 {
	var sum float64
	n := 0
	for _, s := range scores {
		if s.Score != nil {
			sum += *s.Score
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := math.Round(sum/float64(n)*100) / 100
	return &m
}

// Rank ranks the districts of a tour's stops by RankingModel.
func Rank(stops []TourStopView) []DistrictRank {
	var out []DistrictRank
	sums := map[string][]Score{}
	for _, s := range stops {
		i := slices.IndexFunc(out, func(d DistrictRank) bool { return d.District == s.Project.District })
		if i < 0 {
			out = append(out, DistrictRank{District: s.Project.District})
			i = len(out) - 1
		}
		out[i].Projects++
		if s.Score != nil {
			out[i].Scored++
			sums[s.Project.District] = append(sums[s.Project.District], Score{Score: s.Score})
		}
	}
	for i := range out {
		out[i].Score = mean(sums[out[i].District])
	}
	slices.SortStableFunc(out, func(a, b DistrictRank) int {
		switch {
		case a.Score == nil && b.Score == nil:
			return 0
		case a.Score == nil:
			return 1
		case b.Score == nil:
			return -1
		}
		return cmp.Compare(*b.Score, *a.Score)
	})
	ranked := 0
	for i := range out {
		if out[i].Score == nil {
			break
		}
		ranked++
		out[i].Rank = i + 1
		if i > 0 && *out[i].Score == *out[i-1].Score {
			out[i].Rank = out[i-1].Rank
		}
	}
	if ranked >= 2 {
		low := *out[ranked-1].Score
		for i := 0; i < ranked; i++ {
			out[i].Last = *out[i].Score == low && *out[0].Score != low
		}
	}
	if out == nil {
		out = []DistrictRank{}
	}
	return out
}
