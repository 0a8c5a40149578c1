package land

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/luohe/onemap/geo"
)

// ProjectVerdict is a project's latest stored compliance verdict.
type ProjectVerdict struct {
	ProjectID geo.ID     `json:"project_id"`
	Name      string     `json:"name"`
	District  string     `json:"district"`
	Verdict   Verdict    `json:"verdict"` // "": no site, or not checked yet
	Rules     []Fired    `json:"rules"`
	CheckedAt *time.Time `json:"checked_at"`
	Stale     bool       `json:"stale"` // to be checked again
	// Layers is the import id of each land layer the check saw (0 or
	// missing: the layer as seeded).
	Layers map[Layer]geo.ID `json:"layers"`
}

// StaleVerdict is a verdict to check again, at its generation: the
// result is stored only if no change came since.
type StaleVerdict struct {
	ProjectID geo.ID
	Gen       int
}

// VerdictStore keeps the projects' verdicts.
type VerdictStore interface {
	// StaleVerdicts returns up to limit stale verdicts.
	StaleVerdicts(ctx context.Context, limit int) ([]StaleVerdict, error)
	// SaveVerdict stores project v.ProjectID's report (nil: no verdict)
	// unless its generation moved on; it reports whether it stored it.
	SaveVerdict(ctx context.Context, v StaleVerdict, r *Report) (bool, error)
	// Verdicts lists the verdicts of the projects p may see.
	Verdicts(ctx context.Context, p geo.Principal) ([]ProjectVerdict, error)
}

// Recheck checks again every stale verdict as p (who must see every
// project: the server's own principal), in batches, until none is left
// or ctx ends; it answers how many it stored. A project whose site can no
// longer be checked (none drawn, outside the city) gets no verdict.
func (s *Service) Recheck(ctx context.Context, p geo.Principal) (int, error) {
	n := 0
	for {
		stale, err := s.store.StaleVerdicts(ctx, 50)
		if err != nil || len(stale) == 0 {
			return n, err
		}
		for _, v := range stale {
			r, err := s.ProjectCompliance(ctx, p, v.ProjectID)
			var rp *Report
			switch k := geo.KindOf(err); {
			case err == nil:
				rp = &r
			case ctx.Err() != nil:
				return n, ctx.Err()
			case k != geo.KindInvalid && k != geo.KindNotFound:
				return n, err
			}
			ok, err := s.store.SaveVerdict(ctx, v, rp)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
}

// Verdicts lists the projects' verdicts as p may see them, the most
// severe first (blocking, conflict, …), then projects without one.
func (s *Service) Verdicts(ctx context.Context, p geo.Principal) ([]ProjectVerdict, error) {
	vs, err := s.store.Verdicts(ctx, p)
	if err != nil {
		return nil, err
	}
	rank := func(v Verdict) int {
		if r := v.severity(); r >= 0 {
			return r
		}
		return len(Verdicts())
	}
	slices.SortFunc(vs, func(a, b ProjectVerdict) int {
		return cmp.Or(cmp.Compare(rank(a.Verdict), rank(b.Verdict)), cmp.Compare(a.ProjectID, b.ProjectID))
	})
	return vs, nil
}
