// Package textsafe is the one sanitiser for names that reach a terminal.
//
// File names, tags and playlist names in pCloud are written by anyone who
// shares a folder with the person; written raw to a terminal they can set
// the clipboard (OSC 52), make the terminal type into pcplay's input (DCS
// queries), draw pictures (APC), hide or blink text, reverse the line (bidi
// overrides) or shift the layout (a newline). [Line] makes such a name
// inert and visible: every control character becomes a visible symbol, so
// no escape sequence of any kind can start, and format characters other
// than those emoji need are dropped. [JSON] escapes the same characters in
// JSON text, so that the data stays exact but inert in a terminal.
//
// Files written for other programs (m3u8) keep names exact: they do not go
// through this package.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Replacement is what an invalid byte or a C1 control becomes.
const Replacement = '\uFFFD'

// Line is s made safe to show in a terminal on one line:
//   - C0 controls (newline, tab, ESC, BEL, NUL ...) become their visible
//     symbols from the Control Pictures block (␤ for a newline, ␛ for ESC),
//     DEL becomes ␡;
//   - C1 controls (U+0080..U+009F, among them the 8-bit CSI, OSC and DCS
//     introducers) and invalid UTF-8 become U+FFFD;
//   - bidi controls, zero-width and other format characters (Unicode
//     category Cf) are dropped, except the zero-width joiner and the tag
//     characters that emoji sequences need;
//   - line and paragraph separators become ␤.
//
// A string that needs none of this is returned as it is, without copying.
func Line(s string) string {
	if Safe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n <= 1 {
			b.WriteRune(Replacement)
			continue
		}
		if sub, keep := replace(r); keep {
			b.WriteRune(sub)
		}
	}
	return b.String()
}

// Safe reports whether s shows in a terminal as it is (Line(s) == s).
func Safe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		if sub, keep := replace(r); !keep || sub != r {
			return false
		}
		i += n
	}
	return true
}

// replace is what r becomes: sub, or nothing when keep is false.
func replace(r rune) (sub rune, keep bool) {
	switch {
	case r == '\n', r == '\u2028', r == '\u2029':
		return '\u2424', true // ␤
	case r < 0x20:
		return 0x2400 + r, true // ␀ .. ␟
	case r == 0x7f:
		return '\u2421', true // ␡
	case r >= 0x80 && r <= 0x9f:
		return Replacement, true
	case r < 0x80:
		return r, true
	case r == '\u200D': // zero-width joiner: emoji sequences
		return r, true
	case r >= 0xE0020 && r <= 0xE007F: // tags: subdivision flags
		return r, true
	case unicode.Is(unicode.Cf, r), r == '\uFFF9', r == '\uFFFA', r == '\uFFFB':
		return 0, false // bidi overrides and isolates, zero-width space, BOM, soft hyphen, ...
	case unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return Replacement, true
	}
	return r, true
}

// JSON makes JSON text (as encoding/json writes it) inert in a terminal:
// inside its strings, every rune that Line would change is written as a
// \uXXXX escape (a surrogate pair above U+FFFF), so a program reading the
// JSON gets the exact data. encoding/json already escapes C0 controls and
// writes invalid UTF-8 as U+FFFD; this adds C1 controls, DEL, bidi and
// other format characters, and the line separators.
func JSON(b []byte) []byte {
	var out []byte // nil until a rune needs escaping
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if bad := r == utf8.RuneError && n <= 1; bad || needsEscape(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = appendEscape(out, r)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

// needsEscape reports whether r (0x7f or above) is shown differently by
// Line.
func needsEscape(r rune) bool {
	if r < 0x7f {
		return false
	}
	sub, keep := replace(r)
	return !keep || sub != r
}

const hex = "0123456789abcdef"

func appendEscape(out []byte, r rune) []byte {
	if r > 0xFFFF {
		r1, r2 := utf16Pair(r)
		return appendEscape(appendEscape(out, r1), r2)
	}
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3ff, 0xDC00 + r&0x3ff
}

// Text is Line for text of several lines: each line made safe, the line
// breaks kept (a "\r\n" ends a line as "\n" does).
func Text(s string) string {
	if Safe(strings.ReplaceAll(s, "\n", "")) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Line(strings.TrimSuffix(l, "\r"))
	}
	return strings.Join(lines, "\n")
}
