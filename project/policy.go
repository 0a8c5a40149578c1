package project

import (
	"time"

	"github.com/luohe/onemap/geo"
)

// Policies are the policy's rhythms over the ledger (DOMAIN.md,
// "Key-project supervision"): the reserve pool's quarterly review, the
// groundbreaking waves and heating-season construction, for the API, the
// command line and jobs.
type Policies struct {
	store    PolicyStore
	projects *Service
	now      func() time.Time
}

// PolicyStore keeps what the policies record. Row security limits every
// call to what the principal may see and change: a project p may not see
// is KindNotFound, one p may see but not change KindForbidden; the waves'
// and heating seasons' dates are changed by an admin only.
type PolicyStore interface {
	PoolStore
	WaveStore
	HeatingStore
}

// NewPolicies returns the policies over store; projects reassesses the
// warnings of a project whose stage a review changed.
func NewPolicies(store PolicyStore, projects *Service) *Policies {
	return &Policies{store: store, projects: projects, now: time.Now}
}

// today is the day in the city, as midnight UTC.
func (s *Policies) today() time.Time { return cityDay(s.now()) }

// PolicyProject is a project as the policies' lists show it.
type PolicyProject struct {
	ID              geo.ID    `json:"id"`
	Name            string    `json:"name"`
	Code            *string   `json:"code"`
	Stage           geo.Stage `json:"stage"`
	District        string    `json:"district"`
	TotalInvestment geo.Dec   `json:"total_investment"`
	ActualStart     *string   `json:"actual_start"`
	Lon             float64   `json:"lon"`
	Lat             float64   `json:"lat"`
}

// freeText reads the free text v of field name, labelled zh and en, as
// text does (trimmed; "bad_text", "too_long"); required: not empty
// ("required").
func freeText(name, zh, en, v string, limit int, required bool) (string, error) {
	s, fe := text(name, &v, limit)
	if fe != nil {
		return "", inputError(name, fe.Code, zh+fe.Message, en+" "+fe.MessageEN)
	}
	if required && s == "" {
		return "", inputError(name, "required", "请填写"+zh, en+" is required")
	}
	return s, nil
}

// dayString is t as YYYY-MM-DD.
func dayString(t time.Time) string { return t.Format(time.DateOnly) }
