package textsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Every sequence a hostile name was seen to carry comes out inert.
func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Plain Name", "Plain Name"},
		{"Ñandú – Beyoncé 日本 🎵", "Ñandú – Beyoncé 日本 🎵"},
		{"PL \x1b]52;c;cGxheWxpc3Q=\x07", "PL ␛]52;c;cGxheWxpc3Q=␇"}, // OSC 52: the clipboard
		{"\x1b[2J", "␛[2J"},                                  // clear the screen
		{"\x1bP+q544e\x1b\\", "␛P+q544e␛\\"},                 // DCS XTGETTCAP
		{"\x1bP$qm\x1b\\", "␛P$qm␛\\"},                       // DCS DECRQSS
		{"\x1b_Gf=100;AAAA\x1b\\", "␛_Gf=100;AAAA␛\\"},       // APC: kitty graphics
		{"\x1b^pm\x1b\\ \x1bXsos\x1b\\", "␛^pm␛\\ ␛Xsos␛\\"}, // PM, SOS
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "␛]8;;http://x␛\\link␛]8;;␛\\"},
		{"a\u009b31mred\u009d0;t\u009c\u0090q", "a\uFFFD31mred\uFFFD0;t\uFFFD\uFFFDq"}, // UTF-8 C1
		{"\x1b[8mhidden\x1b[5mblink", "␛[8mhidden␛[5mblink"},
		{"abc\u202Efed", "abcfed"},                         // right-to-left override
		{"a\u2066b\u2069c\u200Ed\u200Fe\u061Cf", "abcdef"}, // isolates, marks
		{"zero\u200Bwidth\uFEFF\u00AD", "zerowidth"},
		{"two\nlines\r\n", "two␤lines␍␤"},
		{"tab\there\x00nul\x7f", "tab␉here␀nul␡"},
		{"line\u2028sep", "line␤sep"},
		{"bad \xff\xfe utf8", "bad \uFFFD\uFFFD utf8"},
		{"👨\u200D👩\u200D👧 family", "👨\u200D👩\u200D👧 family"}, // ZWJ kept
		{"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"}, // tag flag
		{"❤\uFE0F", "❤\uFE0F"}, // variation selector
	} {
		got := Line(c.in)
		if got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
		if Safe(c.in) != (c.in == c.want) {
			t.Errorf("Safe(%q) = %v", c.in, Safe(c.in))
		}
	}
}

// JSON keeps the data exact (it decodes to the same string) and writes
// nothing a terminal would act on.
func TestJSON(t *testing.T) {
	for _, name := range []string{
		"plain", "PL \x1b]52;c;eA==\x07", "a\u009d0;title\u009c", "rtl\u202Eeman", "del\x7f", "line\u2028two",
		"🏴\U000E0067\U000E0062\U000E007F", "zw\u200Bj", "日本",
	} {
		raw, err := json.Marshal(map[string]string{"name": name})
		if err != nil {
			t.Fatal(err)
		}
		out := JSON(raw)
		var back map[string]string
		if err := json.Unmarshal(out, &back); err != nil || back["name"] != name {
			t.Errorf("%q: %s decodes to %q (%v)", name, out, back["name"], err)
		}
		if !Safe(string(out)) {
			t.Errorf("%q: JSON %q is not safe in a terminal", name, out)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a\x1b[31mb", "\u009b2J", "\u202Ex", "\xff", "a\nb", "👨\u200D👩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Line(%q) = %q: not UTF-8", s, out)
		}
		if !Safe(out) || Line(out) != out {
			t.Fatalf("Line(%q) = %q is not a fixed point", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("Line(%q) = %q keeps control %U", s, out, r)
			}
		}
		if strings.ContainsRune(out, '\u202E') || strings.ContainsRune(out, '\u200B') {
			t.Fatalf("Line(%q) = %q keeps a format character", s, out)
		}
		raw, _ := json.Marshal(s)
		j := JSON(raw)
		var back string
		if err := json.Unmarshal(j, &back); err != nil {
			t.Fatalf("JSON(%s) = %s: %v", raw, j, err)
		}
		var want string
		json.Unmarshal(raw, &want)
		if back != want || !Safe(string(j)) {
			t.Fatalf("JSON(%s) = %s decodes to %q, want %q (safe %v)", raw, j, back, want, Safe(string(j)))
		}
	})
}

func TestText(t *testing.T) {
	in := "#EXTM3U\r\n#EXTINF:-1,A \x1b]52;c;eA==\x07\n/Music/\u202Ea.mp3\n"
	want := "#EXTM3U\n#EXTINF:-1,A ␛]52;c;eA==␇\n/Music/a.mp3\n"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if s := "a\nb\n"; Text(s) != s {
		t.Error("safe text changed")
	}
}
