package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Text is a human-readable property (name, description, narrative,
// caption, …), usually a plain JSON string but possibly in several
// languages.
//
// Two multilingual forms occur in Open Badges 3.0 credentials, and they
// contradict each other:
//
//   - JSON-LD value objects, {"@value": "…", "@language": "nl"} or an array
//     of them (and of plain strings). This is the only form the OB 3.0.x
//     contexts make meaningful: none of them (3.0.1–3.0.3, the unversioned
//     one) gives name, description or any other term an
//     "@container": "@language", so a language map is read by JSON-LD as a
//     node with undefined properties "en", "nl" — which package ld's safe
//     mode refuses and a plain processor silently drops. But the OB 3.0
//     JSON Schemas (strict and published lenient builds) refuse value
//     objects.
//   - Language maps, {"en": "…", "nl": "…"}. The published (lenient) OB
//     JSON Schema accepts them; JSON-LD accepts them only under a context
//     that declares the term with "@container": "@language".
//
// Text reads all three forms (string, value objects, language map) and
// writes back the form it read: LanguageMap records which multilingual
// form to use. A value object with neither language nor direction is
// written as the plain string it is equivalent to.
type Text struct {
	// Value is the text without a language tag: a plain JSON string.
	Value string
	// Langs are the language-tagged values (and, after the first, any
	// further untagged ones).
	Langs []LangString
	// LanguageMap writes Langs as a language map {"en": "…"} instead of
	// value objects; Value then goes under "@none".
	LanguageMap bool
}

// LangString is one string with its BCP 47 language tag and, optionally,
// its base direction ("ltr" or "rtl").
type LangString struct {
	Value string
	Lang  string
	Dir   string
}

// NewText returns a Text holding the plain string s.
func NewText(s string) Text { return Text{Value: s} }

// IsZero reports whether t holds nothing.
func (t Text) IsZero() bool { return t.Value == "" && len(t.Langs) == 0 }

// String returns the plain value, or else the first language-tagged one.
func (t Text) String() string {
	if t.Value != "" || len(t.Langs) == 0 {
		return t.Value
	}
	return t.Langs[0].Value
}

// In returns the value tagged with language lang (compared exactly), or
// the plain value when there is none with that tag.
func (t Text) In(lang string) string {
	for _, l := range t.Langs {
		if l.Lang == lang {
			return l.Value
		}
	}
	return t.Value
}

// MarshalJSON writes a plain string when there is no language-tagged value;
// otherwise a language map (LanguageMap) or value objects — a single one,
// or an array when there are several values.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t.Langs) == 0 {
		return marshal(t.Value)
	}
	if t.LanguageMap {
		return t.marshalMap()
	}
	var out []any
	if t.Value != "" {
		out = append(out, t.Value)
	}
	for _, l := range t.Langs {
		if l.Lang == "" && l.Dir == "" {
			out = append(out, l.Value)
			continue
		}
		vo := map[string]string{"@value": l.Value}
		if l.Lang != "" {
			vo["@language"] = l.Lang
		}
		if l.Dir != "" {
			vo["@direction"] = l.Dir
		}
		out = append(out, vo)
	}
	if len(out) == 1 {
		return marshal(out[0])
	}
	return marshal(out)
}

func (t Text) marshalMap() ([]byte, error) {
	m := map[string][]string{}
	var keys []string
	add := func(k, v string) {
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = append(m[k], v)
	}
	if t.Value != "" {
		add("@none", t.Value)
	}
	for _, l := range t.Langs {
		if l.Dir != "" {
			return nil, errors.New("badge: Text: a language map cannot carry a direction")
		}
		k := l.Lang
		if k == "" {
			k = "@none"
		}
		add(k, l.Value)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		var vb []byte
		if len(m[k]) == 1 {
			vb, _ = marshal(m[k][0])
		} else {
			vb, _ = marshal(m[k])
		}
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a string, a value object, an array of strings and
// value objects, or a language map (whose values are strings or arrays of
// strings). null reads as the zero Text.
func (t *Text) UnmarshalJSON(data []byte) error {
	*t = Text{}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return &DecodeError{Err: errors.New("want a string")}
	}
	switch data[0] {
	case 'n':
		return nil
	case '"':
		return json.Unmarshal(data, &t.Value)
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return &DecodeError{Err: err}
		}
		for i, r := range raws {
			l, err := readLangString(r)
			if err != nil {
				return atIndex(i, err)
			}
			t.add(l)
		}
		return nil
	case '{':
		ms, err := splitObject(data)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(ms, func(m member) bool { return m.key == "@value" }) {
			l, err := readLangString(data)
			if err != nil {
				return err
			}
			t.add(l)
			return nil
		}
		t.LanguageMap = true
		for _, m := range ms {
			lang := m.key
			if lang == "@none" {
				lang = ""
			}
			var vs OneOrMany[string]
			if err := vs.UnmarshalJSON(m.raw); err != nil {
				return atKey(m.key, err)
			}
			for _, v := range vs {
				t.add(LangString{Value: v, Lang: lang})
			}
		}
		return nil
	}
	return &DecodeError{Err: fmt.Errorf("want a string, got %s", jsonKind(data))}
}

func (t *Text) add(l LangString) {
	if l.Lang == "" && l.Dir == "" && t.Value == "" && len(t.Langs) == 0 {
		t.Value = l.Value
		return
	}
	t.Langs = append(t.Langs, l)
}

// readLangString reads a string or a value object with a string @value.
func readLangString(data []byte) (LangString, error) {
	if isString(data) {
		var s string
		err := json.Unmarshal(data, &s)
		return LangString{Value: s}, err
	}
	ms, err := splitObject(data)
	if err != nil {
		return LangString{}, err
	}
	var l LangString
	hasValue := false
	for _, m := range ms {
		var dst *string
		switch m.key {
		case "@value":
			dst, hasValue = &l.Value, true
		case "@language":
			dst = &l.Lang
		case "@direction":
			dst = &l.Dir
		default:
			return LangString{}, &DecodeError{Pointer: "/" + m.key, Err: errors.New("a language value object has only @value, @language and @direction")}
		}
		if !isString(m.raw) {
			return LangString{}, atKey(m.key, fmt.Errorf("want a string, got %s", jsonKind(bytes.TrimSpace(m.raw))))
		}
		if err := json.Unmarshal(m.raw, dst); err != nil {
			return LangString{}, atKey(m.key, err)
		}
	}
	if !hasValue {
		return LangString{}, &DecodeError{Err: errors.New("value object without @value")}
	}
	return l, nil
}
