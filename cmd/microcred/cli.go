package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxInput is the most bytes a command reads from a file or standard input:
// the 1 MiB limit of the library's bounded parsing (vc.Parse).
const maxInput = 1 << 20

// errTooLarge is returned by readInput for an input over maxInput.
var errTooLarge = fmt.Errorf("input is larger than %d bytes (1 MiB)", maxInput)

// readInput reads the input named by arg: a file, or standard input for
// "-". It reads at most maxInput+1 bytes, and fails on a larger input
// rather than truncating it.
func readInput(arg string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if arg == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(arg)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, errTooLarge
	}
	return data, nil
}

// formatFlag is the --format flag: text (the default) or json.
type formatFlag string

func (f *formatFlag) String() string { return string(*f) }

func (f *formatFlag) Set(s string) error {
	switch s {
	case "text", "json":
		*f = formatFlag(s)
		return nil
	}
	return fmt.Errorf("must be text or json, not %q", s)
}

// newFlagSet returns a flag set for command name whose usage shows synopsis
// and the flags.
func newFlagSet(name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet("microcred "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: microcred %s %s\n\n%s\n", name, synopsis, description)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseArgs parses args with fs, accepting flags before and after the
// positional arguments ("validate FILE --profile eu"), and returns the
// positional ones. "-" is a positional argument (standard input); after
// "--" everything is. On -h or --help it prints the usage on stdout and
// returns done with exitOK; on a bad flag it prints the error and usage on
// stderr and returns done with exitUsage.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, done bool, status int) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, true, exitOK
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n\n", fs.Name(), err)
			fs.SetOutput(stderr)
			fs.Usage()
			return nil, true, exitUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, false, exitOK
		}
		// fs.Parse stops at the first positional argument or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), false, exitOK
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError prints msg and the command's usage on stderr and returns
// exitUsage.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n\n", fs.Name(), fmt.Sprintf(format, a...))
	fs.SetOutput(stderr)
	fs.Usage()
	return exitUsage
}

// ioError prints err for the command and returns exitUsage.
func ioError(fs *flag.FlagSet, stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
	return exitUsage
}

// oneLine replaces line breaks in s with spaces, for text output.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
