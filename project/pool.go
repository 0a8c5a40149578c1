package project

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luohe/onemap/geo"
)

// The reserve pool (千亿储备库) is reviewed every quarter: a reserve project
// whose preliminary work is done is a candidate for promotion to 前期; the
// office decides for each candidate (promote, keep, withdraw with a
// reason); the review lists the projects added to the pool in the quarter
// and those that left it, and the pool's total investment against its
// target.

// PoolTarget is the pool's target: a total investment of 1000亿元, in 万元.
const PoolTarget = geo.Dec(10_000_000_00)

// PreliminarySteps are the approval steps (ApprovalSteps) whose finish
// makes a reserve project's preliminary work done: the land in hand (the
// land contract signed) and the project filed or approved (备案/核准, which
// gives it its project code). The steps after them (planning, environment,
// design, permits) are the 前期 stage's own work.
func PreliminarySteps() []string { return []string{"land", "filing"} }

// Quarter is a calendar quarter, e.g. 2025-Q3.
type Quarter struct {
	Year int
	Q    int // 1 to 4
}

var quarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// ParseQuarter parses YYYY-Qn, years MinYear to MaxYear; KindInvalid
// "bad_quarter" otherwise.
func ParseQuarter(s string) (Quarter, error) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, inputError("quarter", "bad_quarter", fmt.Sprintf("季度无效：%q（格式 2025-Q3）", s), fmt.Sprintf("invalid quarter %q (2025-Q3)", s))
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < MinYear || y > MaxYear {
		return Quarter{}, inputError("quarter", "bad_quarter", fmt.Sprintf("季度无效：%q（年份 %d–%d）", s, MinYear, MaxYear),
			fmt.Sprintf("invalid quarter %q (years %d to %d)", s, MinYear, MaxYear))
	}
	return Quarter{Year: y, Q: q}, nil
}

// QuarterOf is the quarter of day.
func QuarterOf(day time.Time) Quarter {
	return Quarter{Year: day.Year(), Q: (int(day.Month())-1)/3 + 1}
}

func (q Quarter) String() string { return fmt.Sprintf("%d-Q%d", q.Year, q.Q) }

// First is the quarter's first day, midnight UTC.
func (q Quarter) First() time.Time {
	return time.Date(q.Year, time.Month(3*q.Q-2), 1, 0, 0, 0, 0, time.UTC)
}

// Last is the quarter's last day, midnight UTC.
func (q Quarter) Last() time.Time { return q.First().AddDate(0, 3, -1) }

// Prev is the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{Year: q.Year - 1, Q: 4}
	}
	return Quarter{Year: q.Year, Q: q.Q - 1}
}

// The decisions of a review.
const (
	Promote  = "promote"  // to 前期
	Keep     = "keep"     // stays in the pool
	Withdraw = "withdraw" // 退库, with a reason
)

// Decisions lists the decisions of a review with their names.
func Decisions() []geo.Label {
	return []geo.Label{
		{ID: Promote, ZH: "转入前期", EN: "Promote to preparation"},
		{ID: Keep, ZH: "继续储备", EN: "Keep in the pool"},
		{ID: Withdraw, ZH: "退库", EN: "Withdraw"},
	}
}

// PoolEntry is a reserve project as the review sees it: its preliminary
// steps' finish dates (nil: not finished) and whether its preliminary
// work is done.
type PoolEntry struct {
	PolicyProject
	// Finished are the finish dates of the PreliminarySteps finished, by
	// step.
	Finished map[string]string `json:"finished"`
	Ready    bool              `json:"ready"`
	// Missing names the preliminary steps still to finish, in Chinese.
	Missing []string `json:"missing"`
	// Decision is the quarter's decision on it, if any.
	Decision *PoolDecision `json:"decision"`
}

// PoolDecision is a recorded decision of a review.
type PoolDecision struct {
	ProjectID geo.ID    `json:"project_id"`
	Name      string    `json:"name"`
	Decision  string    `json:"decision"`
	Reason    *string   `json:"reason"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
}

// PoolMove is a project that entered or left the pool, with the line of
// its stage history that says so.
type PoolMove struct {
	PolicyProject
	StageEntry
}

// Review is a quarter's review of the pool.
type Review struct {
	Quarter string `json:"quarter"`
	From    string `json:"from"`
	To      string `json:"to"`
	// Open: decisions may be recorded (the current quarter and, for a
	// review held just after it, the one before).
	Open bool `json:"open"`
	// Target, Total and Progress: the pool's target and total investment
	// (万元) and their ratio; Count: the projects in the pool.
	Target   geo.Dec `json:"target"`
	Total    geo.Dec `json:"total"`
	Progress float64 `json:"progress"`
	Count    int     `json:"count"`
	// Candidates are the reserve projects whose preliminary work is done,
	// Waiting the others, each with the quarter's decision if any.
	Candidates []PoolEntry `json:"candidates"`
	Waiting    []PoolEntry `json:"waiting"`
	// Decisions were recorded in the quarter's review.
	Decisions []PoolDecision `json:"decisions"`
	// Added entered the pool in the quarter, Promoted and Withdrawn left
	// it (to 前期, or 退库 with the reason).
	Added     []PoolMove `json:"added"`
	Promoted  []PoolMove `json:"promoted"`
	Withdrawn []PoolMove `json:"withdrawn"`
}

// PoolStore keeps the pool's reviews.
type PoolStore interface {
	// PoolProjects lists the reserve projects p may see, with the finish
	// dates of their PreliminarySteps, by step.
	PoolProjects(ctx context.Context, p geo.Principal) ([]PoolEntry, error)
	// PoolDecisions lists the decisions of quarter q, oldest first.
	PoolDecisions(ctx context.Context, p geo.Principal, q Quarter) ([]PoolDecision, error)
	// PoolMoves lists the stage changes into and out of the reserve stage
	// from from to to (days in the city, both included), oldest first.
	PoolMoves(ctx context.Context, p geo.Principal, from, to time.Time) ([]PoolMove, error)
	// Decide records decision d of quarter q and, when w is not nil, its
	// stage change, in one transaction: KindConflict "already_decided"
	// if the project has a decision of q, KindPreconditionFailed if the
	// project changed since w's version.
	Decide(ctx context.Context, p geo.Principal, q Quarter, d PoolDecision, w *Write) error
}

// ready sets e's readiness from its finished steps.
func (e *PoolEntry) ready() {
	e.Missing = []string{}
	for _, step := range PreliminarySteps() {
		if _, ok := e.Finished[step]; ok {
			continue
		}
		for _, l := range ApprovalSteps() {
			if l.ID == step {
				e.Missing = append(e.Missing, l.ZH)
			}
		}
	}
	e.Ready = len(e.Missing) == 0
}

// open reports whether decisions of quarter q may be recorded on day
// today: q is today's quarter or the one before.
func open(q Quarter, today time.Time) bool {
	now := QuarterOf(today)
	return q == now || q == now.Prev()
}

// Review returns quarter q's review (YYYY-Qn) of the pool as p sees it:
// KindInvalid for a bad quarter.
func (s *Policies) Review(ctx context.Context, p geo.Principal, quarter string) (Review, error) {
	q, err := ParseQuarter(quarter)
	if err != nil {
		return Review{}, err
	}
	pool, err := s.store.PoolProjects(ctx, p)
	if err != nil {
		return Review{}, err
	}
	ds, err := s.store.PoolDecisions(ctx, p, q)
	if err != nil {
		return Review{}, err
	}
	moves, err := s.store.PoolMoves(ctx, p, q.First(), q.Last())
	if err != nil {
		return Review{}, err
	}
	r := Review{Quarter: q.String(), From: dayString(q.First()), To: dayString(q.Last()), Open: open(q, s.today()),
		Target: PoolTarget, Count: len(pool), Candidates: []PoolEntry{}, Waiting: []PoolEntry{}, Decisions: ds,
		Added: []PoolMove{}, Promoted: []PoolMove{}, Withdrawn: []PoolMove{}}
	for _, e := range pool {
		r.Total += e.TotalInvestment
		e.ready()
		if i := slices.IndexFunc(ds, func(d PoolDecision) bool { return d.ProjectID == e.ID }); i >= 0 {
			e.Decision = &ds[i]
		}
		if e.Ready {
			r.Candidates = append(r.Candidates, e)
		} else {
			r.Waiting = append(r.Waiting, e)
		}
	}
	r.Progress = float64(r.Total) / float64(PoolTarget)
	for _, m := range moves {
		switch {
		case m.To == geo.StageReserve:
			r.Added = append(r.Added, m)
		case m.To == geo.StageWithdrawn:
			r.Withdrawn = append(r.Withdrawn, m)
		default:
			r.Promoted = append(r.Promoted, m)
		}
	}
	return r, nil
}

// DecisionInput is a decision as the API takes it
// (POST /api/pool/reviews/{quarter}/decisions).
type DecisionInput struct {
	ProjectID geo.ID `json:"project_id"`
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
}

// MaxReason bounds a decision's reason, in characters.
const MaxReason = 200

// Decide records a decision of quarter's review (YYYY-Qn) on a reserve
// project and applies its stage change (promote: 前期, withdraw: 退库 with
// the reason) through the lifecycle, with its stage history; then the
// review. KindInvalid for a bad quarter or decision ("bad_decision"), a
// withdrawal without a reason, a quarter whose review is closed
// ("review_closed"), a project not in the pool ("not_in_pool") or a
// promotion of one whose preliminary work is not done ("not_ready");
// KindConflict "already_decided"; KindNotFound, KindForbidden.
func (s *Policies) Decide(ctx context.Context, p geo.Principal, quarter string, in DecisionInput) (Review, error) {
	q, err := ParseQuarter(quarter)
	if err != nil {
		return Review{}, err
	}
	if !slices.ContainsFunc(Decisions(), func(l geo.Label) bool { return l.ID == in.Decision }) {
		return Review{}, inputError("decision", "bad_decision", fmt.Sprintf("决定无效：%q（转入前期 promote、继续储备 keep 或退库 withdraw）", in.Decision),
			fmt.Sprintf("invalid decision %q (promote, keep or withdraw)", in.Decision))
	}
	reason, err := freeText("reason", "原因", "The reason", in.Reason, MaxReason, in.Decision == Withdraw)
	if err != nil {
		return Review{}, err
	}
	if !open(q, s.today()) {
		now := QuarterOf(s.today())
		return Review{}, inputError("quarter", "review_closed", fmt.Sprintf("%s 的季度调整已结束：只能为本季度（%s）或上季度（%s）作出决定", q, now, now.Prev()),
			fmt.Sprintf("the review of %s is closed: only this quarter (%s) or the last (%s) take decisions", q, now, now.Prev()))
	}
	if in.ProjectID <= 0 {
		return Review{}, inputError("project_id", "required", "请选择项目", "choose a project")
	}
	cur, err := s.projects.store.ProjectRecord(ctx, p, in.ProjectID)
	if err != nil {
		return Review{}, err
	}
	if cur.Stage != geo.StageReserve {
		return Review{}, inputError("project_id", "not_in_pool", fmt.Sprintf("项目“%s”不在储备库中（当前阶段：%s）", cur.Name, stageZH(cur.Stage)),
			fmt.Sprintf("project %q is not in the reserve pool (its stage is %s)", cur.Name, cur.Stage))
	}
	if in.Decision == Promote {
		if err := s.promotable(ctx, p, cur); err != nil {
			return Review{}, err
		}
	}
	var w *Write
	if in.Decision != Keep {
		next := clone(cur)
		next.Stage = geo.StagePreparing
		if in.Decision == Withdraw {
			next.Stage, next.WithdrawnReason = geo.StageWithdrawn, reason
		}
		if errs := transition(cur, next); len(errs) > 0 {
			return Review{}, fieldsError(errs)
		}
		w = &Write{Project: next, Version: cur.Version, Stage: stageChange(cur, next)}
	}
	d := PoolDecision{ProjectID: cur.ID, Name: cur.Name, Decision: in.Decision}
	if reason != "" {
		d.Reason = &reason
	}
	if err := s.store.Decide(ctx, p, q, d, w); err != nil {
		return Review{}, err
	}
	if w != nil {
		if err := s.projects.Refresh(ctx, p, []geo.ID{cur.ID}); err != nil {
			return Review{}, err
		}
	}
	return s.Review(ctx, p, quarter)
}

// promotable checks that the preliminary work of reserve project pr is
// done: KindInvalid "not_ready" naming the steps still to finish.
func (s *Policies) promotable(ctx context.Context, p geo.Principal, pr Project) error {
	pool, err := s.store.PoolProjects(ctx, p)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(pool, func(e PoolEntry) bool { return e.ID == pr.ID })
	if i < 0 {
		return geo.NotFound("not_found", "项目不存在", "no such project")
	}
	e := pool[i]
	e.ready()
	if !e.Ready {
		return inputError("decision", "not_ready", fmt.Sprintf("项目“%s”前期工作尚未完成（未办结：%s），不能转入前期", pr.Name, strings.Join(e.Missing, "、")),
			fmt.Sprintf("project %q has not finished its preliminary work (%d steps open) and cannot be promoted", pr.Name, len(e.Missing)))
	}
	return nil
}

// stageZH names a stage in Chinese.
func stageZH(st geo.Stage) string {
	for _, l := range geo.Stages() {
		if l.ID == string(st) {
			return l.ZH
		}
	}
	return string(st)
}
