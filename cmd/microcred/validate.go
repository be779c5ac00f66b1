package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/microcred/microcred/badge"
	"github.com/microcred/microcred/schema"
	"github.com/microcred/microcred/vc"
)

var validateCommand = &command{
	name:    "validate",
	summary: "check a credential: JSON Schema, Open Badges rules, EU elements (no proof check)",
	run:     runValidate,
}

// problem is one entry of validate's output. Element is set (to a name of
// badge.MandatoryElements or badge.OptionalElements) only for a problem
// about an EU element, and then omitted from JSON when empty.
type problem struct {
	Element string `json:"element,omitempty"`
	Path    string `json:"path"`
	Message string `json:"message"`
	// source is the check that found it (json, schema, ob3, eu), shown in
	// the text form only: the JSON form is the contract's three members.
	source string
}

// validateOutput is validate's JSON output.
type validateOutput struct {
	Valid    bool      `json:"valid"`
	Problems []problem `json:"problems"`
}

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", "[--profile eu] [--format text|json] FILE|-",
		"Check a credential against the Open Badges 3.0 JSON Schema and its credentialSchema\n"+
			"entries (embedded schemas only), the Open Badges rules the schema cannot express and,\n"+
			"with --profile eu or when the credential claims the EU profile (an achievement typed\n"+
			"EUMicroCredentialAchievement), the EU micro-credential elements. Proofs are not checked.\n"+
			"Exit status: 0 valid, 1 invalid, 2 usage or I/O error.")
	profile := fs.String("profile", "", "check the `profile`'s elements too (eu)")
	format := formatFlag("text")
	fs.Var(&format, "format", "output `format`: text or json")
	pos, done, status := parseArgs(fs, args, stdout, stderr)
	if done {
		return status
	}
	if *profile != "" && *profile != "eu" {
		return usageError(fs, stderr, "unknown profile %q (the one profile is eu)", *profile)
	}
	if len(pos) != 1 {
		return usageError(fs, stderr, "want one FILE (or - for standard input), got %d arguments", len(pos))
	}
	data, err := readInput(pos[0], stdin)
	if err != nil {
		return ioError(fs, stderr, err)
	}

	problems, err := validate(context.Background(), data, *profile == "eu")
	if err != nil {
		return ioError(fs, stderr, err)
	}
	out := validateOutput{Valid: len(problems) == 0, Problems: problems}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return ioError(fs, stderr, err)
		}
	} else {
		writeValidateText(stdout, pos[0], out)
	}
	if !out.Valid {
		return exitInvalid
	}
	return exitOK
}

// validate runs the library's checks on data and returns every problem.
// The error is for what is not about the credential (the schema validator
// could not be built).
func validate(ctx context.Context, data []byte, euProfile bool) ([]problem, error) {
	problems := []problem{}
	c, err := badge.ParseCredential(data)
	var pe *vc.ParseError
	var de *badge.DecodeError
	switch {
	case errors.As(err, &pe):
		// Not JSON, or outside the parsing limits: nothing more to check.
		return append(problems, problem{Path: pe.Pointer, Message: pe.Err.Error(), source: "json"}), nil
	case errors.As(err, &de):
		// JSON, but a value of the wrong shape: the schema still runs.
		problems = append(problems, problem{Path: de.Pointer, Message: de.Err.Error(), source: "json"})
	case err != nil:
		return append(problems, problem{Message: err.Error(), source: "json"}), nil
	}

	v, err := schema.New(schema.Options{})
	if err != nil {
		return nil, err
	}
	res, err := v.ValidateCredential(ctx, data)
	if res != nil {
		for _, p := range res.Problems {
			problems = append(problems, problem{Path: p.InstancePath, Message: p.Message, source: "schema"})
		}
	}
	if err != nil {
		// A schema that could not be applied: the credential is not shown
		// valid. Report each joined error at its credentialSchema entry
		// when known.
		for _, e := range unjoin(err) {
			path := ""
			var ue *schema.UnknownSchemaError
			if errors.As(e, &ue) {
				path = ue.Pointer
			}
			problems = append(problems, problem{Path: path, Message: e.Error(), source: "schema"})
		}
	}
	if c == nil {
		return problems, nil
	}

	// The OB 3.0 rules of the credential's type: an EndorsementCredential
	// has its own.
	checks := c.Check
	if isEndorsement(c) {
		e, err := badge.ParseEndorsementCredential(data)
		if errors.As(err, &de) {
			return append(problems, problem{Path: de.Pointer, Message: de.Err.Error(), source: "json"}), nil
		} else if err != nil {
			return append(problems, problem{Message: err.Error(), source: "json"}), nil
		}
		checks = e.Check
	}
	for _, p := range checks() {
		problems = append(problems, problem{Path: p.Pointer, Message: p.Message, source: "ob3"})
	}

	if euProfile || c.ClaimsEUProfile() {
		mc, _, err := badge.FromOB3(c)
		var me *badge.MicroCredentialError
		switch {
		case errors.As(err, &de):
			problems = append(problems, problem{Path: de.Pointer, Message: de.Err.Error(), source: "eu"})
		case err != nil:
			problems = append(problems, problem{Message: err.Error(), source: "eu"})
		default:
			if err := mc.Validate(); errors.As(err, &me) {
				for _, p := range me.Problems {
					problems = append(problems, problem{Element: p.Element, Path: p.Path, Message: p.Message, source: "eu"})
				}
			} else if err != nil {
				problems = append(problems, problem{Message: err.Error(), source: "eu"})
			}
		}
	}
	return problems, nil
}

// isEndorsement reports whether c is typed EndorsementCredential (and not
// an AchievementCredential or OpenBadgeCredential).
func isEndorsement(c *badge.AchievementCredential) bool {
	return slices.Contains(c.Type, badge.TypeEndorsementCredential) &&
		!slices.Contains(c.Type, badge.TypeAchievementCredential) && !slices.Contains(c.Type, badge.TypeOpenBadgeCredential)
}

// unjoin splits an errors.Join error into its errors; the schema
// package's own error types are kept whole.
func unjoin(err error) []error {
	switch err.(type) {
	case *schema.UnknownSchemaError, *schema.SchemaDigestError, *schema.InvalidSchemaError, *schema.UnsupportedSchemaTypeError:
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func writeValidateText(w io.Writer, name string, out validateOutput) {
	if name == "-" {
		name = "(stdin)"
	}
	if out.Valid {
		fmt.Fprintf(w, "%s: valid\n", name)
		return
	}
	n := len(out.Problems)
	fmt.Fprintf(w, "%s: invalid, %d problem%s\n", name, n, plural(n))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  CHECK\tELEMENT\tPATH\tMESSAGE")
	for _, p := range out.Problems {
		el, path := p.Element, p.Path
		if el == "" {
			el = "-"
		}
		if path == "" {
			path = "(document)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.source, el, path, oneLine(p.Message))
	}
	tw.Flush()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
