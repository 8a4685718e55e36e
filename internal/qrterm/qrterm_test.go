package qrterm

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pcplay/pcplay/internal/qrterm/qrread"
)

// A sign-in URL as pcplay shows it: 11-character client id, 40-character
// request id.
const signInURL = "https://my.pcloud.com/oauth2/authorize?client_id=AbCdEfGhIjK&response_type=poll_token&request_id=QWZKEMRXWAPBRHTKYCVFNQBTCEDXFAGMHUJXLYSV"

// checkShape fails unless the lines are one width and only half blocks.
func checkShape(t *testing.T, lines []string) {
	t.Helper()
	cols := utf8.RuneCountInString(lines[0])
	for i, line := range lines {
		if n := utf8.RuneCountInString(line); n != cols {
			t.Fatalf("line %d has %d columns, line 0 has %d", i, n, cols)
		}
		if strings.Trim(line, "█▀▄ ") != "" {
			t.Fatalf("line %d has other characters than half blocks: %q", i, line)
		}
	}
}

func TestDecodesBackToTheURL(t *testing.T) {
	lines, err := Lines(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, lines)
	got, err := qrread.Decode(lines)
	if err != nil || got != signInURL {
		t.Fatalf("decoded %q (%v), want %q", got, err, signInURL)
	}
	// And as a camera sees it on a light-on-dark terminal: found in the
	// pixels, with only the drawn quiet zone before the dark around it.
	got, err = qrread.Scan(qrread.Picture(lines, 4, 3))
	if err != nil || got != signInURL {
		t.Fatalf("scanned %q (%v), want %q", got, err, signInURL)
	}
}

// The sign-in URL's code fits a plain 80x24 terminal.
func TestFits80x24(t *testing.T) {
	lines, err := Lines(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) > 23 {
		t.Errorf("%d lines: more than 23 leave no line of a 24-line terminal", len(lines))
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Fatalf("line %d is %d columns wide", i, n)
		}
	}
}

func TestDrawHalfBlocks(t *testing.T) {
	// Rows: dark light / light dark; with one quiet module around: a
	// 4x4 square in two lines.
	m := [][]bool{{true, false}, {false, true}}
	got := strings.Join(Draw(m, 1), "|")
	if got != "█▀██|██▄█" {
		t.Fatalf("Draw = %q", got)
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Lines(""); err == nil {
		t.Fatal("an empty text gave a code")
	}
}
