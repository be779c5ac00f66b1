package vc

import (
	"errors"
	"strconv"
	"strings"

	"github.com/microcred/microcred/internal/jsonx"
)

// Sentinel errors for the kinds of parse failure. A *ParseError wraps one of
// them, so errors.Is(err, vc.ErrDuplicateKey) works on what Parse returns.
var (
	// ErrSyntax means the input is not JSON as RFC 8259 defines it (this
	// includes a leading byte order mark).
	ErrSyntax = jsonx.ErrSyntax
	// ErrDuplicateKey means an object in the input has two members with the
	// same name (compared after JSON unescaping).
	ErrDuplicateKey = jsonx.ErrDuplicateKey
	// ErrInvalidUTF8 means the input holds bytes that are not UTF-8, or a
	// string whose \u escapes leave an unpaired UTF-16 surrogate.
	ErrInvalidUTF8 = jsonx.ErrInvalidUTF8
	// ErrTrailingData means there is something after the credential.
	ErrTrailingData = jsonx.ErrTrailingData
	// ErrTooLarge means the input is longer than ParseOptions.MaxBytes.
	ErrTooLarge = jsonx.ErrTooLarge
	// ErrTooDeep means the input nests deeper than ParseOptions.MaxDepth.
	ErrTooDeep = jsonx.ErrTooDeep
	// ErrTooManyValues means the input has more JSON values than
	// ParseOptions.MaxValues.
	ErrTooManyValues = jsonx.ErrTooManyValues
	// ErrNotObject means the input is JSON but not a JSON object.
	ErrNotObject = errors.New("credential is not a JSON object")
)

// Sentinel errors wrapped by *Problem values.
var (
	// ErrInvalidDateTime means a date-time value is not of the XML Schema
	// form the property requires.
	ErrInvalidDateTime = errors.New("invalid date-time")
	// ErrUnknownVersion means the first @context entry is neither the VCDM
	// 2.0 nor the VCDM 1.1 base context.
	ErrUnknownVersion = errors.New("unknown data model version")
	// ErrInvalidValue means a property is missing or has a value of the
	// wrong shape (a number where a URL belongs, an array of ids, …).
	ErrInvalidValue = errors.New("invalid value")
)

// ParseError is the error Parse and ParseWithOptions return.
type ParseError struct {
	// Pointer is the RFC 6901 JSON Pointer of the problem ("" for the whole
	// input).
	Pointer string
	// Offset is the byte offset in the input where the problem was found,
	// or -1 when it does not apply (the input is too large).
	Offset int
	// Err is the cause; errors.Is(Err, ErrDuplicateKey) and friends tell
	// the kind.
	Err error
}

// Error returns "vc: parse credential: " followed by the cause, which names
// the pointer and offset.
func (e *ParseError) Error() string { return "vc: parse credential: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Problem is one violation of the data model: where it is, which rule it
// breaks and what is wrong. Accessors return it (as *Problem) for bad
// values, CheckDataModel returns a list of them.
type Problem struct {
	// Pointer is the RFC 6901 JSON Pointer of the offending value, or of
	// the member that should be there when a required one is missing
	// ("/issuer", "/credentialStatus/0/type").
	Pointer string
	// Rule is a short stable identifier of the rule, such as "issuer" or
	// "validity.order"; CheckDataModel documents the list.
	Rule string
	// Message says what is wrong in plain words.
	Message string
	// Err is the underlying error: ErrInvalidValue, ErrInvalidDateTime or
	// ErrUnknownVersion, possibly wrapping a more specific one.
	Err error
}

// Error returns "vc: <pointer>: <message>".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString("vc: ")
	if p.Pointer != "" {
		b.WriteString(p.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Unwrap returns p.Err.
func (p Problem) Unwrap() error { return p.Err }

// DataModelError is a list of problems as one error; Validate returns it.
type DataModelError struct {
	// Problems are the violations, in document order of the rules.
	Problems []Problem
}

// Error returns the first problem and how many more there are.
func (e *DataModelError) Error() string {
	if len(e.Problems) == 0 {
		return "vc: data model check failed"
	}
	s := e.Problems[0].Error()
	if n := len(e.Problems) - 1; n > 0 {
		s += " (and " + strconv.Itoa(n) + " more)"
	}
	return s
}

// Unwrap returns the problems (as *Problem), so errors.Is and errors.As
// look at each.
func (e *DataModelError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i := range e.Problems {
		errs[i] = &e.Problems[i]
	}
	return errs
}

func newProblem(ptr, rule string, err error, msg string) *Problem {
	return &Problem{Pointer: ptr, Rule: rule, Message: msg, Err: err}
}
