// Package order is pcplay's one order of names: of the files and folders in
// the Folders view, the tracks of a folder played or added recursively, the
// library's artists, albums and songs, and the playlists. It imports
// nothing of pcplay.
//
// Names are compared as a person reads them:
//
//   - case, diacritics and runs of spaces don't count ([Fold]: "Beyoncé",
//     "BEYONCE" and "beyonce" are alike);
//   - a run of digits is one number, compared by value: "2 x" < "10 x";
//   - leading zeros only break ties: among names that are otherwise alike,
//     the one with fewer leading zeros comes first, run by run from the
//     left ("25" < "025" < "0025" < "250"; "2a" < "02a" < "2b" < "02b");
//   - a number sorts where a digit does in ASCII: after the space and
//     !"#$%&'()*+,-./, before letters and the other punctuation;
//   - names alike in all of that are ordered by their bytes ([Compare]), so
//     that the order is total: only equal strings compare equal.
//
// [Key] is that order as a string, for a database's ORDER BY: the keys of
// two names compare (bytewise) as [Compare] does, but for the last step.
package order

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold is a name as it is compared and searched: lower case, no
// diacritics ("Beyoncé" → "beyonce", "Straße" → "strasse"), compatibility
// forms plain ("ＡＢＣ" → "abc"), runs of white space one space, none at
// either end; bytes that are not UTF-8 read as U+FFFD. Names of plain
// ASCII cost one pass and, when already lower case, no allocation.
func Fold(s string) string {
	if PlainASCII(s) {
		return strings.ToLower(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	f := b.String()
	if strings.ContainsAny(f, "ßæœøđł") {
		f = foldReplacer.Replace(f)
	}
	return f
}

var foldReplacer = strings.NewReplacer("ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "đ", "d", "ł", "l")

// PlainASCII reports whether [Fold] of s is only its lower case: ASCII, no
// white space but single spaces between words.
func PlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return false
		}
	}
	return !strings.Contains(s, "  ") && strings.TrimSpace(s) == s
}

// The bytes a key is made of besides the folded name's: the separator
// before the leading zeros' counts, and the escape of folded bytes at or
// below it (a name holding control characters), so that both keep their
// place in the order. A key never holds a NUL byte.
const (
	sep = 0x01
	esc = 0x02
)

// Key is the sort key of a name: keys compare bytewise ([strings.Compare],
// SQLite's BINARY collation) as the names do by [Compare], except that
// names alike but for their bytes have the same key.
//
// It is the folded name ([Fold]) with each run of digits written as its
// value, the number of its digits first, so that numbers compare by
// value whatever their length; then, when some run had leading zeros, a
// separator and each run's count of leading zeros ("0" is zero with one
// leading zero, "00" zero with two). A name without digits
// or control characters is its own key once folded: Key("The Beatles")
// is "the beatles".
func Key(s string) string {
	if !PlainASCII(s) {
		s = Fold(s)
	}
	return natural(s)
}

// natural is [Key] of k, a name that [Fold] leaves as it is but for ASCII
// upper case, which natural lowers itself.
func natural(k string) string {
	plain, upper := true, false
	for i := 0; i < len(k) && plain; i++ {
		c := k[i]
		plain = !isDigit(c) && c > esc
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if plain {
		if upper {
			return strings.ToLower(k)
		}
		return k
	}
	b := make([]byte, 0, len(k)+8)
	var zbuf [16]byte
	zeros := zbuf[:0] // the counts of leading zeros, as appendNumber writes them
	someZeros := false
	for i := 0; i < len(k); {
		c := k[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(k) && isDigit(k[j]) {
				j++
			}
			v := strings.TrimLeft(k[i:j], "0")
			z := j - i - len(v)
			b = append(appendNumber(b, len(v)), v...)
			zeros = appendNumber(zeros, z)
			someZeros = someZeros || z > 0
			i = j
			continue
		case c <= esc:
			b = append(b, esc, c+1)
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
		i++
	}
	if someZeros {
		b = append(append(b, sep), zeros...)
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// appendNumber writes n ≥ 0 in digits that compare bytewise as the
// numbers do, none being the beginning of another: 0 to 8 as one digit;
// from 9 on, '9', the count of n's digits written the same way, then n.
func appendNumber(b []byte, n int) []byte {
	if n <= 8 {
		return append(b, byte('0'+n))
	}
	d := strconv.Itoa(n)
	b = appendNumber(append(b, '9'), len(d))
	return append(b, d...)
}

// Compare orders two names (see the package's documentation): by [Key],
// then by their bytes. It is a total order: Compare(a, b) is 0 only when
// a == b.
func Compare(a, b string) int {
	return NameOf(a).Compare(NameOf(b))
}

// Name is a name with its [Key], worked out once: sorting n names compares
// them n·log n times but folds each once.
type Name struct {
	s, key string
}

// NameOf is s with its key.
func NameOf(s string) Name { return Name{s, Key(s)} }

// String is the name itself.
func (n Name) String() string { return n.s }

// Key is the name's [Key].
func (n Name) Key() string { return n.key }

// Compare is [Compare] of the two names.
func (n Name) Compare(m Name) int {
	if c := strings.Compare(n.key, m.key); c != 0 {
		return c
	}
	return strings.Compare(n.s, m.s)
}
