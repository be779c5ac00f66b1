package badge

import (
	"errors"
	"slices"
	"strings"
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
	Value string // the text
	Lang  string // BCP 47 language tag, "" for none
	Dir   string // "ltr", "rtl" or ""
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
func (t Text) MarshalJSON() ([]byte, error) { return marshalTree(t) }

func (t Text) encodeTo(e *encoder) error {
	if len(t.Langs) == 0 {
		return e.value(t.Value)
	}
	if t.LanguageMap {
		return t.encodeMap(e)
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
		out = append(out, valueObject{l.Value, l.Lang, l.Dir})
	}
	if len(out) == 1 {
		return e.value(out[0])
	}
	return e.value(out)
}

// valueObject is a JSON-LD value object with a string value.
type valueObject struct {
	Value string `json:"@value"`
	Lang  string `json:"@language,omitempty"`
	Dir   string `json:"@direction,omitempty"`
}

func (t Text) encodeMap(e *encoder) error {
	m := map[string][]string{}
	add := func(k, v string) { m[k] = append(m[k], v) }
	if t.Value != "" {
		add("@none", t.Value)
	}
	for _, l := range t.Langs {
		if l.Dir != "" {
			return errors.New("badge: Text: a language map cannot carry a direction")
		}
		k := l.Lang
		if k == "" {
			k = "@none"
		}
		add(k, l.Value)
	}
	out := make(map[string]any, len(m)) // encoding/json sorts the keys
	for k, vs := range m {
		if len(vs) == 1 {
			out[k] = vs[0]
		} else {
			out[k] = vs
		}
	}
	return e.value(out)
}

// UnmarshalJSON reads a string, a value object, an array of strings and
// value objects, or a language map (whose values are strings or arrays of
// strings). null reads as the zero Text.
//
// The first value goes to Value when it is a non-empty plain string, every
// other value to Langs, so that MarshalJSON writes back what was read
// (language map members in sorted order, as MarshalJSON writes them).
func (t *Text) UnmarshalJSON(data []byte) error { return unmarshalTree(data, t) }

func (t *Text) decodeTree(v any) error {
	*t = Text{}
	first := true
	add := func(l LangString) {
		if first && l.Lang == "" && l.Dir == "" && l.Value != "" {
			t.Value = l.Value
		} else {
			t.Langs = append(t.Langs, l)
		}
		first = false
	}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		t.Value = x
		return nil
	case []any:
		for i, e := range x {
			l, err := readLangString(e)
			if err != nil {
				return atIndex(i, err)
			}
			add(l)
		}
	case map[string]any:
		// A language map's keys are language tags (or @none); any other
		// keyword makes it a value object, which must have @value.
		isValue := false
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
			isValue = isValue || strings.HasPrefix(k, "@") && k != "@none"
		}
		if isValue {
			l, err := readLangString(x)
			if err != nil {
				return err
			}
			add(l)
			break
		}
		t.LanguageMap = true
		slices.Sort(keys)
		for _, k := range keys {
			lang := k
			switch k {
			case "@none":
				lang = ""
			case "":
				return atKey("", errors.New("a language map key must be a language tag or @none"))
			}
			vs, err := decodeList[string](x[k])
			if err != nil {
				return atKey(k, err)
			}
			for _, s := range vs {
				add(LangString{Value: s, Lang: lang})
			}
		}
	default:
		return wrongKind("a string", v)
	}
	if len(t.Langs) == 0 {
		// Only a plain value: MarshalJSON writes a plain string.
		t.LanguageMap = false
	}
	if t.Value == "" && len(t.Langs) == 1 && t.Langs[0] == (LangString{}) {
		// Only "" (as [""] or {"@value": ""}): written back verbatim
		// from Extra, like a plain "".
		*t = Text{}
	}
	return nil
}

// readLangString reads a string or a value object with a string @value.
func readLangString(v any) (LangString, error) {
	switch x := v.(type) {
	case string:
		return LangString{Value: x}, nil
	case map[string]any:
		var l LangString
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			var dst *string
			switch k {
			case "@value":
				dst = &l.Value
			case "@language":
				dst = &l.Lang
			case "@direction":
				dst = &l.Dir
			default:
				return LangString{}, atKey(k, errors.New("a language value object has only @value, @language and @direction"))
			}
			s, ok := x[k].(string)
			if !ok {
				return LangString{}, atKey(k, wrongKind("a string", x[k]))
			}
			*dst = s
		}
		if _, ok := x["@value"]; !ok {
			return LangString{}, &DecodeError{Err: errors.New("value object without @value")}
		}
		return l, nil
	}
	return LangString{}, wrongKind("a string or a value object", v)
}
