package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/luohe/onemap/geo"
)

// NoReportTag is the entity tag of a month not reported yet.
const NoReportTag = `"r0"`

// Tag is a stored report's entity tag: its amounts and note as the store
// answers them, hashed. A report written on a phone without a connection
// carries the tag it was written on, so that a report changed on the
// server meanwhile is not overwritten unasked.
func (r Report) Tag() string {
	sum := sha256.Sum256([]byte(r.Planned + "\x00" + r.Invested + "\x00" + r.ProgressNote))
	return `"r` + hex.EncodeToString(sum[:8]) + `"`
}

// Same tells whether r and o say the same: equal amounts and note. A
// report sent again after its answer was lost is the same as the one
// stored, and no conflict.
func (r Report) Same(o Report) bool {
	eq := func(a, b string) bool {
		x, errX := geo.ParseDec(a)
		y, errY := geo.ParseDec(b)
		return errX == nil && errY == nil && x == y
	}
	return eq(r.Planned, o.Planned) && eq(r.Invested, o.Invested) && r.ProgressNote == o.ProgressNote
}

// ReportStore reads a month's report and changes it only if it is still
// as it was read.
type ReportStore interface {
	// Progress returns the report of a month (its first day) and whether
	// there is one (a zero Report and false if not).
	Progress(ctx context.Context, p geo.Principal, id geo.ID, month time.Time) (Report, bool, error)
	// PutProgressIf records the report of a month if its tag is still
	// tag (NoReportTag: there is none yet), and returns it as stored;
	// KindPreconditionFailed "report_changed" otherwise.
	PutProgressIf(ctx context.Context, p geo.Principal, id geo.ID, month time.Time, r Report, tag string) (Report, error)
}

// ReportChanged is the error of a report changed since it was read.
func ReportChanged() *geo.Error {
	return geo.Errorf(geo.KindPreconditionFailed, "report_changed",
		"该月报在服务器上已被修改：请查看最新内容后再提交", "the report was changed on the server meanwhile: look at it before sending yours")
}

// Progress returns a project's report of month (YYYY-MM) as p may read
// it, with its tag (NoReportTag for none); KindInvalid for a bad month,
// KindNotFound for a project p may not see.
func (s *Service) Progress(ctx context.Context, p geo.Principal, id geo.ID, month string) (Report, string, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return Report{}, "", err
	}
	r, ok, err := s.store.Progress(ctx, p, id, m)
	if err != nil || !ok {
		return r, NoReportTag, err
	}
	return r, r.Tag(), nil
}

// PutProgressIf records a project's report of month as PutProgress does,
// if the report is still as tag says (KindPreconditionFailed
// "report_changed" otherwise), and returns the new tag.
func (s *Service) PutProgressIf(ctx context.Context, p geo.Principal, id geo.ID, month string, r Report, tag string) (string, error) {
	m, err := s.checkProgress(ctx, p, id, month, r)
	if err != nil {
		return "", err
	}
	stored, err := s.store.PutProgressIf(ctx, p, id, m, r, tag)
	if err != nil {
		return "", err
	}
	return stored.Tag(), s.Refresh(ctx, p, []geo.ID{id})
}
