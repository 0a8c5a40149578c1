package project

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/luohe/onemap/geo"
)

// The kinds of a blocker (协调问题).
var blockerKinds = []geo.Label{
	{ID: "land", ZH: "用地", EN: "Land"},
	{ID: "funds", ZH: "资金", EN: "Funds"},
	{ID: "planning", ZH: "规划", EN: "Planning"},
	{ID: "environment", ZH: "环评", EN: "Environment"},
	{ID: "other", ZH: "其他", EN: "Other"},
}

// The statuses of a blocker.
var blockerStatuses = []geo.Label{
	{ID: "open", ZH: "待协调", EN: "Open"},
	{ID: "in_progress", ZH: "协调中", EN: "In progress"},
	{ID: "resolved", ZH: "已解决", EN: "Resolved"},
}

// BlockerKinds are the kinds of a blocker, with their labels.
func BlockerKinds() []geo.Label { return slices.Clone(blockerKinds) }

// BlockerStatuses are the statuses of a blocker, with their labels.
func BlockerStatuses() []geo.Label { return slices.Clone(blockerStatuses) }

// MaxBlockerText bounds a blocker's note, unit and resolution, in
// characters.
const MaxBlockerText = 1000

// BlockerInput is a blocker as the API takes it; dates are YYYY-MM-DD.
type BlockerInput struct {
	Kind            string `json:"kind"`
	Note            string `json:"note"`
	ResponsibleUnit string `json:"responsible_unit"`
	RaisedOn        string `json:"raised_on"`
	DueOn           string `json:"due_on"`
	Status          string `json:"status"`
	Resolution      string `json:"resolution"`
	ResolvedOn      string `json:"resolved_on"`
}

// BlockerView is a blocker as its readers see it; Overdue: not resolved
// and past its due date.
type BlockerView struct {
	ID              geo.ID  `json:"id"`
	ProjectID       geo.ID  `json:"project_id"`
	Kind            string  `json:"kind"`
	Note            string  `json:"note"`
	ResponsibleUnit *string `json:"responsible_unit"`
	RaisedOn        string  `json:"raised_on"`
	DueOn           *string `json:"due_on"`
	Status          string  `json:"status"`
	Resolution      *string `json:"resolution"`
	ResolvedOn      *string `json:"resolved_on"`
	Overdue         bool    `json:"overdue"`
}

// BlockerRecord is a checked blocker, as the store keeps it.
type BlockerRecord struct {
	Kind, Note, ResponsibleUnit, Status, Resolution string
	RaisedOn, DueOn, ResolvedOn                     time.Time // zero: none
}

// BlockerStore keeps blockers; row security as for the project.
type BlockerStore interface {
	Blockers(ctx context.Context, p geo.Principal, project geo.ID) ([]BlockerView, error)
	// SaveBlocker adds (id 0) or changes a blocker of project.
	SaveBlocker(ctx context.Context, p geo.Principal, project, id geo.ID, b BlockerRecord) (BlockerView, error)
	DeleteBlocker(ctx context.Context, p geo.Principal, project, id geo.ID) error
}

func blockerText(name, zh, en, v string, required bool) (string, error) {
	return inputText(name, zh, en, v, required, MaxBlockerText)
}

// inputText checks the text v of the input field name, labelled zh and
// en, trimmed: valid text, given if required, at most limit characters.
func inputText(name, zh, en, v string, required bool, limit int) (string, error) {
	s := strings.TrimSpace(v)
	switch {
	case !geo.ValidText(s):
		return "", inputError(name, "bad_text", zh+"含有无效字符", en+" is not valid text")
	case required && s == "":
		return "", inputError(name, "required", "请填写"+zh, en+" is required")
	case utf8.RuneCountInString(s) > limit:
		return "", inputError(name, "too_long", fmt.Sprintf("%s不能超过 %d 字", zh, limit),
			fmt.Sprintf("%s has at most %d characters", en, limit))
	}
	return s, nil
}

func blockerDate(name, zh, en, v string) (time.Time, error) {
	d, err := ParseDate(strings.TrimSpace(v))
	if err != nil {
		return d, inputError(name, "bad_date", zh+"须为 2000–2100 年的日期，如 2026-01-31", en+" must be a date from 2000 to 2100, e.g. 2026-01-31")
	}
	return d, nil
}

// Check checks a blocker: KindInvalid naming the field. The status is open
// unless given; a resolved one needs its resolution, and its date
// (today, in the city, unless given).
func (in BlockerInput) Check(today time.Time) (BlockerRecord, error) {
	var r BlockerRecord
	var err error
	if !geo.Has(blockerKinds, in.Kind) {
		return r, inputError("kind", "bad_kind", "问题类型须为用地、资金、规划、环评或其他", "kind must be land, funds, planning, environment or other")
	}
	r.Kind = in.Kind
	r.Status = in.Status
	if r.Status == "" {
		r.Status = "open"
	}
	if !geo.Has(blockerStatuses, r.Status) {
		return r, inputError("status", "bad_status", "状态须为待协调、协调中或已解决", "status must be open, in_progress or resolved")
	}
	if r.Note, err = blockerText("note", "问题描述", "The note", in.Note, true); err != nil {
		return r, err
	}
	if r.ResponsibleUnit, err = blockerText("responsible_unit", "责任单位", "The responsible unit", in.ResponsibleUnit, true); err != nil {
		return r, err
	}
	if r.Resolution, err = blockerText("resolution", "解决情况", "The resolution", in.Resolution, r.Status == "resolved"); err != nil {
		return r, err
	}
	if r.RaisedOn, err = blockerDate("raised_on", "提出日期", "raised_on", in.RaisedOn); err != nil {
		return r, err
	}
	if r.RaisedOn.IsZero() {
		r.RaisedOn = today
	}
	if r.DueOn, err = blockerDate("due_on", "办结时限", "due_on", in.DueOn); err != nil {
		return r, err
	}
	if r.DueOn.IsZero() {
		return r, inputError("due_on", "required", "请填写办结时限", "due_on is required")
	}
	if r.DueOn.Before(r.RaisedOn) {
		return r, inputError("due_on", "due_before_raised", "办结时限不能早于提出日期", "due_on cannot be before raised_on")
	}
	if r.ResolvedOn, err = blockerDate("resolved_on", "解决日期", "resolved_on", in.ResolvedOn); err != nil {
		return r, err
	}
	if r.Status != "resolved" {
		r.ResolvedOn, r.Resolution = time.Time{}, ""
	} else if r.ResolvedOn.IsZero() {
		r.ResolvedOn = today
	}
	return r, nil
}

// Overdue reports whether a blocker of status, due on due (YYYY-MM-DD;
// nil: no date), is overdue on today: not resolved and due before today.
func Overdue(status string, due *string, today time.Time) bool {
	return status != "resolved" && due != nil && *due < today.Format(time.DateOnly)
}

// today is the current day in the city.
func (s *Service) today() time.Time { return cityDay(s.now()) }

func (s *Service) flag(bs []BlockerView) []BlockerView {
	for i := range bs {
		bs[i].Overdue = Overdue(bs[i].Status, bs[i].DueOn, s.today())
	}
	return bs
}

// Blockers lists a project's blockers, oldest first, overdue ones flagged.
func (s *Service) Blockers(ctx context.Context, p geo.Principal, project geo.ID) ([]BlockerView, error) {
	bs, err := s.store.Blockers(ctx, p, project)
	return s.flag(bs), err
}

// SaveBlocker checks and keeps a new (id 0) or changed blocker.
func (s *Service) SaveBlocker(ctx context.Context, p geo.Principal, project, id geo.ID, in BlockerInput) (BlockerView, error) {
	r, err := in.Check(s.today())
	if err != nil {
		return BlockerView{}, err
	}
	b, err := s.store.SaveBlocker(ctx, p, project, id, r)
	if err != nil {
		return b, err
	}
	return s.flag([]BlockerView{b})[0], nil
}

// DeleteBlocker removes a blocker.
func (s *Service) DeleteBlocker(ctx context.Context, p geo.Principal, project, id geo.ID) error {
	return s.store.DeleteBlocker(ctx, p, project, id)
}
