package directory

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that adapters can translate it: the web layer
// maps a Kind to an HTTP status, stores map driver errors to a Kind.
type Kind int

// The error kinds. The zero value is KindInternal so that an unclassified
// error is never mistaken for a user's mistake.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindForbidden
	KindUnauthorized
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindForbidden:
		return "forbidden"
	case KindUnauthorized:
		return "unauthorized"
	default:
		return "internal"
	}
}

// Error is the domain's error. Message is safe to show to the person who
// made the request; Err, when set, is the underlying cause for logs.
type Error struct {
	Kind    Kind
	Field   string // the input field at fault, for KindInvalid
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Invalidf reports bad input in the named field.
func Invalidf(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports that the thing asked for does not exist.
func NotFoundf(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports that the change clashes with what is stored.
func Conflictf(field, format string, args ...any) error {
	return &Error{Kind: KindConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf reports that the caller may not do this.
func Forbiddenf(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorizedf reports missing or unknown credentials.
func Unauthorizedf(format string, args ...any) error {
	return &Error{Kind: KindUnauthorized, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; its detail is for logs only.
func Internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *Error
	if errors.As(err, &de) {
		return err
	}
	return &Error{Kind: KindInternal, Message: op, Err: err}
}

// KindOf returns the kind of err, KindInternal for errors of other origins.
func KindOf(err error) Kind {
	var de *Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return KindInternal
}

// SafeMessage is the text that may be shown to the requester: the message
// with its field for domain errors, a generic sentence otherwise.
func SafeMessage(err error) string {
	var de *Error
	if errors.As(err, &de) && de.Kind != KindInternal {
		if de.Field != "" {
			return de.Field + ": " + de.Message
		}
		return de.Message
	}
	return "internal error"
}
