package ctl

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pcplay/pcplay/command"
)

// readmeCtlSpellings are the command lines of the README's `pcplay ctl`
// table: the backquoted spellings of its first column ("seek +10", "add
// PATH", ...).
func readmeCtlSpellings(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "`pcplay ctl` commands")
	if !ok {
		t.Fatal("the README has no `pcplay ctl` commands table")
	}
	var out []string
	rows := 0
	for _, line := range strings.Split(table, "\n")[1:] {
		line = strings.TrimSpace(line)
		if line == "" && rows == 0 {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		rows++
		cells := strings.Split(line, "|")
		if rows <= 2 || len(cells) < 3 { // the header and its rule
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		t.Fatal("the README's ctl table lists no command")
	}
	return out
}

// The README's ctl table lists exactly the table's ctl commands, and each
// of its examples is a command line ctl takes.
func TestReadmeListsTheCtlCommands(t *testing.T) {
	var listed []string
	for _, s := range readmeCtlSpellings(t) {
		args := strings.Fields(s)
		if !slices.Contains(listed, args[0]) {
			listed = append(listed, args[0])
		}
		for i, a := range args {
			switch a { // the placeholders
			case "PATH":
				args[i] = "/Music/Album"
			case "N":
				args[i] = "2"
			}
		}
		if err := Check(args); err != nil {
			t.Errorf("the README's `%s` is refused: %v", s, err)
		}
	}
	want := command.CtlNames()
	for _, n := range want {
		if !slices.Contains(listed, n) {
			t.Errorf("the README's ctl table lacks %s", n)
		}
	}
	for _, n := range listed {
		if !slices.Contains(want, n) {
			t.Errorf("the README's ctl table lists %s, which ctl does not take", n)
		}
	}
}

// --help is the table's: every form of every command, a line each.
func TestHelpIsTheTable(t *testing.T) {
	h := Help()
	for _, u := range command.CtlUsage() {
		if line := "\n  " + u.Args + ": " + u.Help + "\n"; !strings.Contains(h, line) {
			t.Errorf("--help lacks the line %q", line)
		}
	}
	for _, line := range strings.Split(h, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("a --help line of %d characters: %q", n, line)
		}
	}
	if !strings.HasPrefix(h, "Usage: pcplay ctl COMMAND\n") || !strings.Contains(h, "\n  stop: stop playback") {
		t.Errorf("--help:\n%s", h)
	}
}
