package mpd

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/library"
)

func TestParseLine(t *testing.T) {
	for _, c := range []struct {
		line string
		name string
		args []string
		err  string
	}{
		{line: "status", name: "status"},
		{line: "  play 3 ", name: "play", args: []string{"3"}},
		{line: `add "Music/01 Alpha.mp3"`, name: "add", args: []string{"Music/01 Alpha.mp3"}},
		{line: `find "((artist == 'A \"B\"'))" sort -Title`, name: "find", args: []string{`((artist == 'A "B"'))`, "sort", "-Title"}},
		{line: `x "a\\b" ""`, name: "x", args: []string{`a\b`, ""}},
		{line: "", err: "No command given"},
		{line: "1play", err: "Letter expected"},
		{line: "pl-ay", err: "Invalid word character"},
		{line: `add "open`, err: "Missing closing"},
		{line: `add "a"b`, err: "Space expected"},
		{line: `add a"b`, err: "Invalid unquoted character"},
		{line: `add it's`, err: "Invalid unquoted character"},
	} {
		name, args, err := ParseLine(c.line)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.line, err, c.err)
			}
			continue
		}
		if err != nil || name != c.name || !slices.Equal(args, c.args) {
			t.Errorf("%q: %q %q %v; want %q %q", c.line, name, args, err, c.name, c.args)
		}
	}
}

// FuzzParseLine: no line crashes the tokenizer, and what it reads comes
// back the same when written again with Quote.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"status", `add "Music/01 Alpha.mp3"`, `find "((artist == 'X') AND (album == 'Y'))"`,
		`x "a\\b\"c"`, "play 1 2 3", `"`, `a "`, "a \x00", "a\tb\t\"c d\"", "\xff\xfe", `a \"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		name, args, err := ParseLine(line)
		if err != nil {
			return
		}
		if name == "" {
			t.Fatalf("%q: no name and no error", line)
		}
		again := name
		for _, a := range args {
			again += " " + Quote(a)
		}
		n2, a2, err := ParseLine(again)
		if err != nil || n2 != name || !slices.Equal(a2, args) {
			t.Fatalf("%q read as %q %q; written again %q, read as %q %q (%v)", line, name, args, again, n2, a2, err)
		}
	})
}

// FuzzParseFilter: no filter expression crashes the parser or the match.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"((artist == 'X') AND (album == 'Y'))", "(!(title contains \"a\\'b\"))", "(base 'Music')",
		"(any =~ '^a.*')", "(track != '3')", "((", "(artist ==", "(artist == 'x') trailing", "(!(!(!(file starts_with 'M'))))"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, expr string, fold bool) {
		flt, err := parseFilter([]string{expr}, fold)
		if err != nil {
			if _, ok := err.(*ackError); !ok {
				t.Fatalf("%q: a %T, not an ACK: %v", expr, err, err)
			}
			return
		}
		tr := library.Track{Path: "/Music/a.mp3", Name: "a.mp3", Title: "A", Artist: "X", Album: "Y", TrackNo: 3, Disc: 1}
		flt.match(&tr)
	})
}
