package vc

import (
	"errors"
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	ok := []struct {
		in          string
		requireZone bool
		want        time.Time
		offset      int
	}{
		{"2023-02-26T01:02:58Z", true, time.Date(2023, 2, 26, 1, 2, 58, 0, time.UTC), 0},
		{"2023-02-26T01:02:58.447Z", true, time.Date(2023, 2, 26, 1, 2, 58, 447e6, time.UTC), 0},
		{"2023-02-25T19:10:39-06:00", true, time.Date(2023, 2, 26, 1, 10, 39, 0, time.UTC), -6 * 3600},
		{"2023-02-25T19:10:39+05:30", true, time.Date(2023, 2, 25, 13, 40, 39, 0, time.UTC), 5*3600 + 1800},
		{"2023-02-25T19:10:39+14:00", true, time.Date(2023, 2, 25, 5, 10, 39, 0, time.UTC), 14 * 3600},
		{"2023-02-25T19:10:39-00:00", true, time.Date(2023, 2, 25, 19, 10, 39, 0, time.UTC), 0},
		{"4023-02-26T01:02:58.447Z", true, time.Date(4023, 2, 26, 1, 2, 58, 447e6, time.UTC), 0},
		{"2024-02-29T00:00:00Z", true, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 0},
		{"2000-02-29T00:00:00Z", true, time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), 0},
		{"2024-12-31T24:00:00Z", true, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"2024-12-31T24:00:00.000Z", true, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"2024-01-01T00:00:00.123456789123Z", true, time.Date(2024, 1, 1, 0, 0, 0, 123456789, time.UTC), 0},
		{"2024-01-01T00:00:00.1Z", true, time.Date(2024, 1, 1, 0, 0, 0, 1e8, time.UTC), 0},
		{"0000-01-01T00:00:00Z", true, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"2010-01-01T19:23:24", false, time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC), 0},
	}
	for _, tt := range ok {
		got, err := ParseDateTime(tt.in, tt.requireZone)
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseDateTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if _, off := got.Zone(); off != tt.offset {
			t.Errorf("ParseDateTime(%q) offset %d, want %d", tt.in, off, tt.offset)
		}
	}
	bad := []struct {
		in          string
		requireZone bool
	}{
		{"2010-01-01T19:23:24", true},
		{"Sat 25 Feb 2023 07:16:31 PM CST", false},
		{"Sun, 26 Feb 2023 01:22:14 +0000", false},
		{"2023-02-26", false},
		{"2023-02-26T01:02Z", false},
		{"2023-02-26 01:02:58Z", false},
		{"2023-02-26t01:02:58Z", false},
		{"2023-02-26T01:02:58z", false},
		{"2023-02-26T01:02:58.Z", false},
		{"2023-02-26T01:02:60Z", false},
		{"2023-02-26T01:60:00Z", false},
		{"2023-02-26T25:00:00Z", false},
		{"2023-02-26T24:00:01Z", false},
		{"2023-02-26T24:00:00.5Z", false},
		{"2023-13-01T00:00:00Z", false},
		{"2023-00-01T00:00:00Z", false},
		{"2023-02-29T00:00:00Z", false},
		{"1900-02-29T00:00:00Z", false},
		{"2023-04-31T00:00:00Z", false},
		{"2023-01-00T00:00:00Z", false},
		{"2023-01-01T00:00:00+15:00", false},
		{"2023-01-01T00:00:00+14:30", false},
		{"2023-01-01T00:00:00+01:60", false},
		{"2023-01-01T00:00:00+0100", false},
		{"2023-01-01T00:00:00+01", false},
		{"2023-01-01T00:00:00Z ", false},
		{"2023-01-01T00:00:00ZZ", false},
		{"-2023-01-01T00:00:00Z", false},
		{"12023-01-01T00:00:00Z", false},
		{"2023-1-01T00:00:00Z", false},
		{"２０２３-01-01T00:00:00Z", false},
		{"", false},
	}
	for _, tt := range bad {
		if got, err := ParseDateTime(tt.in, tt.requireZone); !errors.Is(err, ErrInvalidDateTime) {
			t.Errorf("ParseDateTime(%q, %v) = %v, %v; want ErrInvalidDateTime", tt.in, tt.requireZone, got, err)
		}
	}
}

func TestIsURL(t *testing.T) {
	for _, s := range []string{
		"https://example.org/x", "did:example:123", "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
		"did:key:z6Mk#z6Mk", "https://example.org/a%20b?q=1&r=[2]#frag", "mailto:a@example.org",
		"https://bücher.example/ü", "x-y.z+w:1", "http://[::1]:8080/",
	} {
		if !IsURL(s) {
			t.Errorf("IsURL(%q) = false", s)
		}
	}
	for _, s := range []string{
		"", "fake-issuer", "https ://not-a-url/x", "https://exa mple.org", ":x", "1http://x", "http:",
		"http://x/\n", "http://x/<y>", `http://x/"`, "http://x/a%2", "http://x/a%zz", "http://x#a#b",
		"http://x/{y}", "http://x/a|b", "http://x/\\", "http://x/^", "http://x/`", "http://x/\x7f",
		"https://x/\xff", "/relative/path", "//example.org/x",
	} {
		if IsURL(s) {
			t.Errorf("IsURL(%q) = true", s)
		}
	}
}
