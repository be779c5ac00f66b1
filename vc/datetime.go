package vc

import (
	"fmt"
	"time"
)

// ParseDateTime parses an XML Schema 1.1 dateTime lexical value of the
// form YYYY-MM-DDThh:mm:ss[.fraction][zone], where zone is "Z" or
// "+hh:mm"/"-hh:mm" (at most 14:00 either way). With requireZone the value
// must be a dateTimeStamp (zone present), as VCDM 2.0 requires for
// validFrom and validUntil; without it a missing zone is read as UTC.
//
// A zone is kept as a fixed offset in the returned time ("Z" as time.UTC).
// Years are 0000–9999; "24:00:00" (with no fraction, or an all-zero one) is
// midnight at the end of the day. The error wraps ErrInvalidDateTime.
func ParseDateTime(s string, requireZone bool) (time.Time, error) {
	bad := func(why string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("%w: %q: %s", ErrInvalidDateTime, s, why)
	}
	if len(s) < 19 {
		return bad("expecting YYYY-MM-DDThh:mm:ss")
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return bad("expecting YYYY-MM-DDThh:mm:ss")
	}
	if month < 1 || month > 12 {
		return bad("month out of range")
	}
	if day < 1 || day > daysIn(year, month) {
		return bad("day out of range")
	}
	if minute > 59 {
		return bad("minute out of range")
	}
	if sec > 59 {
		return bad("second out of range")
	}
	i := 19
	nanos, allZero := 0, true
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if d := int(s[i] - '0'); i-start < 9 {
				nanos = nanos*10 + d
			}
			if s[i] != '0' {
				allZero = false
			}
			i++
		}
		if i == start {
			return bad("expecting digits after '.'")
		}
		for n := i - start; n < 9; n++ {
			nanos *= 10
		}
	}
	if hour > 24 || hour == 24 && (minute != 0 || sec != 0 || !allZero) {
		return bad("hour out of range")
	}
	loc := time.UTC
	switch {
	case i == len(s):
		if requireZone {
			return bad("time zone required (dateTimeStamp)")
		}
	case s[i] == 'Z' && i+1 == len(s):
	case (s[i] == '+' || s[i] == '-') && i+6 == len(s) && s[i+3] == ':':
		zh, okh := num(i+1, 2)
		zm, okm := num(i+4, 2)
		if !okh || !okm || zm > 59 || zh > 14 || zh == 14 && zm != 0 {
			return bad("time zone out of range")
		}
		off := zh*3600 + zm*60
		if s[i] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		return bad("expecting 'Z' or a ±hh:mm time zone at the end")
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nanos, loc), nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
