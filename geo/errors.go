// Package geo is onemap's domain: the glossary's types and enumerations,
// units of area and money, coordinate conversions, and the error kinds that
// every other package wraps and the API maps to HTTP statuses once.
package geo

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for callers; the API maps each kind to one HTTP
// status.
type Kind int

// The error kinds.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindForbidden
	KindUnauthorized
	KindUnavailable
	KindTooMany
	// KindPreconditionRequired: a change that must name the version it
	// was made on (If-Match) did not.
	KindPreconditionRequired
	// KindPreconditionFailed: the version a change was made on is no
	// longer the current one.
	KindPreconditionFailed
)

// Error is a domain error with a stable English code and a message for the
// user in Chinese (Message) and English (MessageEN).
type Error struct {
	Kind      Kind
	Code      string
	Message   string
	MessageEN string
	// RetryAfter, if not zero, is how long the caller should wait before
	// trying again (KindTooMany, KindUnavailable).
	RetryAfter time.Duration
	// Field, if set, names the input field at fault (e.g. "invested"),
	// for a form to mark it.
	Field string
	// Details, if not nil, is what the caller needs to mend the request,
	// sent along as JSON: the fields or rows at fault, a repaired shape,
	// what changed since the caller's version.
	Details any
	Err     error
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.MessageEN
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of kind k with the code, a Chinese message and an
// English message; formatting verbs in both messages take the same args.
func Errorf(k Kind, code, zh, en string, args ...any) *Error {
	return &Error{Kind: k, Code: code, Message: fmt.Sprintf(zh, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Invalid is an Errorf of KindInvalid.
func Invalid(code, zh, en string, args ...any) *Error {
	return Errorf(KindInvalid, code, zh, en, args...)
}

// NotFound is an Errorf of KindNotFound.
func NotFound(code, zh, en string, args ...any) *Error {
	return Errorf(KindNotFound, code, zh, en, args...)
}

// KindOf returns the kind of the first *Error in err's chain, or
// KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
