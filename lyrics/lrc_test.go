package lyrics

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestParseLRC(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		lines []Line
		plain string
		meta  [4]string // ti ar al by
	}{
		{
			name:  "stamps, two and three fraction digits",
			in:    "[00:01.50]one\n[00:02.250]two\n[01:03]three\n[00:04.5]four",
			lines: []Line{{ms(1500), "one"}, {ms(2250), "two"}, {ms(4500), "four"}, {ms(63000), "three"}},
		},
		{
			name:  "several stamps on one line, sorted",
			in:    "[00:10.00][00:30.00]chorus\n[00:20.00]verse\n",
			lines: []Line{{ms(10000), "chorus"}, {ms(20000), "verse"}, {ms(30000), "chorus"}},
		},
		{
			name:  "metadata tags, offset shifts earlier",
			in:    "[ti:Song]\n[ar:The Band]\n[al:Album]\n[by:someone]\n[offset:+500]\n[length: 03:20]\n[00:01.00]a\n[00:02.00]b",
			lines: []Line{{ms(500), "a"}, {ms(1500), "b"}},
			meta:  [4]string{"Song", "The Band", "Album", "someone"},
		},
		{
			name:  "negative offset shifts later, never below 0",
			in:    "[offset:-250]\n[00:00.10]a\n[00:01.00]b",
			lines: []Line{{ms(350), "a"}, {ms(1250), "b"}},
		},
		{
			name:  "positive offset clamps at 0",
			in:    "[offset:2000]\n[00:01.00]a\n[00:03.00]b",
			lines: []Line{{0, "a"}, {ms(1000), "b"}},
		},
		{
			name:  "BOM and CRLF",
			in:    "\xEF\xBB\xBF[ar:X]\r\n[00:01.00]one\r\n[00:02.00]two\r\n",
			lines: []Line{{ms(1000), "one"}, {ms(2000), "two"}},
			meta:  [4]string{"", "X", "", ""},
		},
		{
			name:  "UTF-16 LE with BOM",
			in:    utf16le("[00:01.00]héllo\r\n[00:02.00]wörld"),
			lines: []Line{{ms(1000), "héllo"}, {ms(2000), "wörld"}},
		},
		{
			name:  "Windows-1252 text",
			in:    "[00:01.00]caf\xe9",
			lines: []Line{{ms(1000), "café"}},
		},
		{
			name:  "enhanced word stamps dropped, empty line kept",
			in:    "[00:01.00]<00:01.00>one <00:01.50>word\n[00:03.00]\n[00:04.00]  spaced  ",
			lines: []Line{{ms(1000), "one word"}, {ms(3000), ""}, {ms(4000), "spaced"}},
		},
		{
			name:  "text that only looks like a tag",
			in:    "[00:01.00][Chorus] la la\n[00:02.00]a [00:03.00] b\n[99:99.99]bad",
			lines: []Line{{ms(1000), "[Chorus] la la"}, {ms(2000), "a [00:03.00] b"}},
		},
		{
			name:  "no stamps: plain text",
			in:    "[ar:X]\n\nFirst line\n\nSecond verse\n\n",
			plain: "First line\n\nSecond verse",
			meta:  [4]string{"", "X", "", ""},
		},
		{name: "empty", in: ""},
		{name: "CR only", in: "[00:01.00]a\r[00:02.00]b", lines: []Line{{ms(1000), "a"}, {ms(2000), "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ParseLRC([]byte(tt.in))
			if !slices.Equal(l.Lines, tt.lines) {
				t.Errorf("lines = %q, want %q", l.Lines, tt.lines)
			}
			if l.Plain != tt.plain {
				t.Errorf("plain = %q, want %q", l.Plain, tt.plain)
			}
			if got := [4]string{l.Title, l.Artist, l.Album, l.By}; got != tt.meta {
				t.Errorf("meta = %q, want %q", got, tt.meta)
			}
		})
	}
}

func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8)) // BMP only
	}
	return string(b)
}

func TestLineAt(t *testing.T) {
	l := ParseLRC([]byte("[00:01.00]a\n[00:02.00]b\n[00:02.00]b2\n[00:05.00]c"))
	for _, c := range []struct {
		pos  time.Duration
		want int
	}{{0, -1}, {ms(999), -1}, {ms(1000), 0}, {ms(1999), 0}, {ms(2000), 2}, {ms(4999), 2}, {ms(5000), 3}, {time.Hour, 3}} {
		if got := l.LineAt(c.pos); got != c.want {
			t.Errorf("LineAt(%v) = %d, want %d", c.pos, got, c.want)
		}
	}
	if (&Lyrics{Plain: "x"}).LineAt(time.Second) != -1 || (*Lyrics)(nil).LineAt(0) != -1 {
		t.Error("unsynced lyrics have a line")
	}
	if got := l.Text(); got != "a\nb\nb2\nc" {
		t.Errorf("Text = %q", got)
	}
}

func FuzzParseLRC(f *testing.F) {
	for _, s := range []string{
		"[00:01.50]one\n[00:02.250]two",
		"[ti:x][ar:y]\n[offset:-300]\n[00:10.00][00:30.00]chorus\r\n[00:20.00]",
		"\xEF\xBB\xBF[00:01]a\r\n",
		"\xFF\xFE[\x000\x000\x00:\x000\x001\x00]\x00a\x00",
		"[00:01.00]<00:01.00>one <00:01.50>word",
		"[0<00:01>0:01]x",
		"plain\ntext\n",
		"[999:59.999]end",
		"[00:01]\xe9\x80",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := ParseLRC(data)
		for i, ln := range l.Lines {
			if ln.At < 0 {
				t.Fatalf("line %d at %v", i, ln.At)
			}
			if i > 0 && ln.At < l.Lines[i-1].At {
				t.Fatalf("line %d before line %d", i, i-1)
			}
			if strings.ContainsAny(ln.Text, "\r\n") || !utf8.ValidString(ln.Text) {
				t.Fatalf("line %d text %q", i, ln.Text)
			}
		}
		if !utf8.ValidString(l.Plain) || strings.Contains(l.Plain, "\r") {
			t.Fatalf("plain %q", l.Plain)
		}
		if len(l.Lines) > MaxLines {
			t.Fatalf("%d lines", len(l.Lines))
		}
		if !l.Synced() {
			return
		}
		// Written back as LRC, the lines read the same.
		again := ParseLRC([]byte(FormatLRC(l)))
		if !slices.Equal(again.Lines, l.Lines) {
			t.Fatalf("round trip:\n%q\n%q", l.Lines, again.Lines)
		}
		_ = l.LineAt(l.Lines[len(l.Lines)-1].At)
	})
}
