package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/vc"
)

var inspectCommand = &command{
	name:    "inspect",
	summary: "show a credential's EU micro-credential elements by name",
	run:     runInspect,
}

// elementNames is every element name, in Annex I order then mobility.
func elementNames() []string {
	return slices.Concat(badge.MandatoryElements, badge.OptionalElements)
}

// inspectOutput is inspect's JSON output. Elements holds every element
// name; an element the credential does not give is null. Absent lists the
// absent mandatory elements (badge.FromOB3's list), in Annex I order.
type inspectOutput struct {
	Elements map[string]any `json:"elements"`
	Absent   []string       `json:"absent"`
}

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect", "[--format text|json] FILE|-",
		"Show the EU micro-credential elements of an Open Badges 3.0 credential, by element name,\n"+
			"and which mandatory elements are absent. It reads any OB 3.0 credential (native fields\n"+
			"stand in for elements where they can) and does not validate: use validate for that.\n"+
			"Exit status: 0 shown, 1 not readable as a credential, 2 usage or I/O error.")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "want one FILE (or - for standard input), got %d arguments", len(pos))
	}
	data, err := readInput(pos[0], stdin)
	if err != nil {
		return ioError(fs, stderr, err)
	}

	out, err := inspect(data)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", fs.Name(), describeReadError(err))
		return exitInvalid
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ioError(fs, stderr, err)
		}
		return exitOK
	}
	writeInspectText(stdout, out)
	return exitOK
}

// inspect reads data into the typed view and returns its elements.
func inspect(data []byte) (*inspectOutput, error) {
	c, err := badge.ParseCredential(data)
	if err != nil {
		return nil, err
	}
	mc, absent, err := badge.FromOB3(c)
	if err != nil {
		return nil, err
	}
	out := &inspectOutput{Elements: map[string]any{}, Absent: absent}
	if out.Absent == nil {
		out.Absent = []string{}
	}
	for _, name := range elementNames() {
		v, ok := mc.Element(name)
		if !ok {
			v = nil
		}
		out.Elements[name] = v
	}
	return out, nil
}

// describeReadError says where a credential could not be read.
func describeReadError(err error) string {
	var pe *vc.ParseError
	var de *badge.DecodeError
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf("not a readable credential: at %q: %v", pe.Pointer, pe.Err)
	case errors.As(err, &de):
		return fmt.Sprintf("not a readable credential: at %q: %v", de.Pointer, de.Err)
	}
	return "not a readable credential: " + err.Error()
}

// writeInspectText writes one block per element: the name, then the
// value's leaves ("0.name: Alpha University"), aligned.
func writeInspectText(w io.Writer, out *inspectOutput) {
	names := elementNames()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, name := range names {
		v := out.Elements[name]
		var lines []string
		if v == nil {
			if slices.Contains(out.Absent, name) {
				lines = []string{"(absent: mandatory element)"}
			} else {
				lines = []string{"(not given)"}
			}
		} else {
			lines = textLines(v)
		}
		for i, l := range lines {
			label := name
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(w, "%-*s  %s\n", width, label, l)
		}
	}
	if len(out.Absent) > 0 {
		fmt.Fprintf(w, "\nabsent mandatory elements: %s\n", strings.Join(out.Absent, ", "))
	}
}

// textLines renders v (as its JSON encodes it) as "path: value" lines, one
// per leaf; a scalar is one line without a path.
func textLines(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{fmt.Sprint(v)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return []string{string(b)}
	}
	var lines []string
	var walk func(prefix string, x any)
	walk = func(prefix string, x any) {
		switch t := x.(type) {
		case map[string]any:
			if len(t) == 0 {
				lines = append(lines, leaf(prefix, "{}"))
				return
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(join(prefix, k), t[k])
			}
		case []any:
			if len(t) == 0 {
				lines = append(lines, leaf(prefix, "[]"))
				return
			}
			if len(t) == 1 {
				walk(prefix, t[0])
				return
			}
			for i, e := range t {
				walk(join(prefix, strconv.Itoa(i)), e)
			}
		case string:
			lines = append(lines, leaf(prefix, oneLine(t)))
		case nil:
			lines = append(lines, leaf(prefix, "null"))
		default:
			lines = append(lines, leaf(prefix, fmt.Sprint(t)))
		}
	}
	walk("", generic)
	return lines
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func leaf(path, value string) string {
	if path == "" {
		return value
	}
	return path + ": " + value
}
