package badge

import (
	"strings"
	"time"

	"github.com/microcred/microcred/vc"
)

// DateTime is a date-time property (validFrom, validUntil, awardedDate,
// activityStartDate, …) that keeps the exact string it was read from, so
// that a credential written back carries the same lexical form ("…00Z" is
// not rewritten as "…00+00:00", fractions keep their digits).
//
// A value that is not a valid XML Schema dateTime is kept too (Time is
// then zero and Err says why): reading never fails on a bad date, and
// Check reports it.
type DateTime struct {
	s   string
	t   time.Time
	err error
}

// NewDateTime returns the DateTime for t, written in RFC 3339 form
// ("2024-05-01T12:00:00Z"; fractions of a second only when t has them).
func NewDateTime(t time.Time) DateTime {
	if t.IsZero() {
		return DateTime{}
	}
	return DateTime{s: t.Format(time.RFC3339Nano), t: t}
}

// ParseDateTime reads an XML Schema dateTime lexical value (see
// vc.ParseDateTime; a missing zone is read as UTC). The returned DateTime
// keeps s even when the error is not nil.
func ParseDateTime(s string) (DateTime, error) {
	t, err := vc.ParseDateTime(s, false)
	return DateTime{s: s, t: t, err: err}, err
}

// Time returns the instant, or the zero time when the value is absent or
// invalid.
func (d DateTime) Time() time.Time { return d.t }

// String returns the lexical form as read or as NewDateTime wrote it.
func (d DateTime) String() string { return d.s }

// IsZero reports whether the property is absent.
func (d DateTime) IsZero() bool { return d.s == "" }

// Err returns why the lexical form is not a valid dateTime, or nil.
func (d DateTime) Err() error { return d.err }

// HasZone reports whether the lexical form carries a time zone ("Z" or
// an offset), as VCDM 2.0 requires of validFrom and validUntil.
func (d DateTime) HasZone() bool {
	if len(d.s) < 19 {
		return false
	}
	rest := d.s[19:]
	return strings.HasSuffix(rest, "Z") || strings.ContainsAny(rest, "+-")
}

// MarshalJSON writes the lexical form as a JSON string.
func (d DateTime) MarshalJSON() ([]byte, error) { return marshalTree(d) }

func (d DateTime) encodeTo(e *encoder) error { return e.value(d.s) }

// UnmarshalJSON reads a JSON string. An invalid date-time is kept (see
// Err); a value that is not a string is an error.
func (d *DateTime) UnmarshalJSON(data []byte) error { return unmarshalTree(data, d) }

func (d *DateTime) decodeTree(v any) error {
	switch s := v.(type) {
	case nil:
		*d = DateTime{}
	case string:
		*d, _ = ParseDateTime(s)
	default:
		return wrongKind("a date-time string", v)
	}
	return nil
}

// withZone returns d with "Z" appended when its lexical form is a valid
// date-time without a zone (VCDM 1.1 dates, read as UTC, moving to a VCDM
// 2.0 property that requires a zone).
func (d DateTime) withZone() DateTime {
	if d.err != nil || d.s == "" || d.HasZone() {
		return d
	}
	nd, _ := ParseDateTime(d.s + "Z")
	return nd
}
