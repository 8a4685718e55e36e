package order

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Beyoncé": "beyonce", "  Sigur   Rós ": "sigur ros", "Straße": "strasse", "Mötley Crüe": "motley crue",
		"ＡＢＣ": "abc", "Øre": "ore", "already plain": "already plain", "Tab\there": "tab here", "ÆON Łódź": "aeon lodz",
		"宇多田ヒカル": "宇多田ヒカル", "": "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOrder: lists in the order a person expects, each name before the
// next.
func TestOrder(t *testing.T) {
	for _, want := range [][]string{
		// Numbers by value, whatever their length.
		{"1 x", "2 x", "9 x", "10 x", "11 x", "99 x", "100 x", "123456789 x", "1234567890 x", "99999999999 x", "100000000000 x"},
		{"track 1.mp3", "Track 2.mp3", "track 02a", "track 002b", "track 10.mp3"},
		{"x9", "X10"},
		// Leading zeros only break ties, fewer first.
		{"0", "00", "1", "01", "001", "2"},
		{"25", "025", "0025", "250", "251", "259"},
		{"2a", "02a", "2b", "02b"},
		{"1-02", "01-2", "1-3"},
		// Case and accents don't count; then the bytes decide.
		{"A", "a", "b", "B2", "b10"},
		{"Beyonce", "Beyoncé", "beyonce", "Björk", "Ñandú", "Very Long", "Zoé"},
		{"The Beatles", "the beatles", "The Beatles 2"},
		// A name before the longer names it begins.
		{"a", "a b", "a1", "a01", "ab"},
		// Digits after the space and "-./", before letters and "_".
		{"a b", "a-b", "a.b", "a/b", "a0", "a1b", "a:b", "a_b", "ab", "a~b"},
		// Control characters keep their byte order, digits or not.
		{"a", "a\x00", "a\x00\x01", "a\x01", "a\x02", "a\x03", "a 1"},
		{"a1", "a01", "a1\x00", "a1\x01"},
	} {
		for i := 1; i < len(want); i++ {
			a, b := want[i-1], want[i]
			if Compare(a, b) >= 0 || Compare(b, a) <= 0 {
				t.Errorf("Compare(%q, %q) = %d, want < 0 (keys %q, %q)", a, b, Compare(a, b), Key(a), Key(b))
			}
		}
		got := slices.Clone(want)
		rand.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortFunc(got, Compare)
		if !slices.Equal(got, want) {
			t.Errorf("sorted %q\nwant %q", got, want)
		}
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"The Beatles": "the beatles", // no digits: the folded name
		"Beyoncé":     "beyonce",
		"2 x":         "12 x",
		"10 x":        "210 x",
		"01 Intro":    "11 intro\x011",
		"0":           "0\x011",
		"1-02":        "11-12\x0101",
		"123456789":   "91" + "9" + "123456789",
		"a\x00b":      "a\x02\x01b",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
	if n := NameOf("Ñandú 02"); n.String() != "Ñandú 02" || n.Key() != Key("Ñandú 02") {
		t.Errorf("NameOf: %q %q", n.String(), n.Key())
	}
}

// reference is the order written the plain way, on the folded names:
// byte by byte, a run of digits against a run of digits by value; then
// the leading zeros of each run; then the bytes of the names.
func reference(a, b string) int {
	fa, fb := Fold(a), Fold(b)
	var za, zb []int
	i, j := 0, 0
	for i < len(fa) && j < len(fb) {
		if isDigit(fa[i]) && isDigit(fb[j]) {
			ei, ej := i, j
			for ei < len(fa) && isDigit(fa[ei]) {
				ei++
			}
			for ej < len(fb) && isDigit(fb[ej]) {
				ej++
			}
			va, vb := strings.TrimLeft(fa[i:ei], "0"), strings.TrimLeft(fb[j:ej], "0")
			if len(va) != len(vb) {
				return cmpInt(len(va), len(vb))
			}
			if c := strings.Compare(va, vb); c != 0 {
				return c
			}
			za, zb = append(za, ei-i-len(va)), append(zb, ej-j-len(vb))
			i, j = ei, ej
			continue
		}
		if fa[i] != fb[j] {
			return cmpInt(int(fa[i]), int(fb[j]))
		}
		i, j = i+1, j+1
	}
	if c := cmpInt(len(fa)-i, len(fb)-j); c != 0 {
		return c
	}
	if c := slices.Compare(za, zb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sign(n int) int { return cmpInt(n, 0) }

func FuzzCompare(f *testing.F) {
	for _, s := range [][3]string{
		{"2 x", "10 x", "025"}, {"25", "025", "250"}, {"a", "a1", "a01"}, {"Ñandú", "Very Long", "nandu"},
		{"1-02", "01-2", "1-2"}, {"a\x00", "a\x01", "a"}, {"The Beatles", "beatles", "Beatles 1"},
		{"track 02a", "track 002b", "track 2"}, {"0", "00", ""}, {"99999999", "999999999", "1000000000"},
		{"x\u0130y", "xİy", "xiy"}, {"ǅ", "dž", "ﬀ"}, {"\xff", "\u00a0a", " a"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		for _, s := range []string{a, b, c} {
			if Compare(s, s) != 0 {
				t.Fatalf("Compare(%q, itself) != 0", s)
			}
			k := Key(s)
			if strings.IndexByte(k, 0) >= 0 {
				t.Fatalf("Key(%q) = %q holds a NUL", s, k)
			}
			if fs := Fold(s); Fold(fs) != fs || Key(fs) != k {
				t.Fatalf("Fold(%q) = %q is not folded again to itself (%q), or its key differs", s, fs, Fold(fs))
			}
		}
		for _, p := range [][2]string{{a, b}, {b, c}, {a, c}} {
			x, y := p[0], p[1]
			cxy, cyx := Compare(x, y), Compare(y, x)
			if sign(cxy) != -sign(cyx) {
				t.Fatalf("not antisymmetric: Compare(%q, %q) = %d, Compare back = %d", x, y, cxy, cyx)
			}
			if (cxy == 0) != (x == y) {
				t.Fatalf("Compare(%q, %q) = %d: only equal names compare equal", x, y, cxy)
			}
			// Key is consistent with Compare: Compare is Key's order, the
			// bytes breaking ties only.
			if kc := strings.Compare(Key(x), Key(y)); kc != 0 && sign(cxy) != kc {
				t.Fatalf("Key(%q) = %q, Key(%q) = %q compare %d; Compare says %d", x, Key(x), y, Key(y), kc, cxy)
			}
			if r := reference(x, y); sign(r) != sign(cxy) {
				t.Fatalf("Compare(%q, %q) = %d; the plain reading of the order says %d (keys %q, %q)", x, y, cxy, r, Key(x), Key(y))
			}
		}
		// Transitive: sorted, each is at most every later one.
		s := []string{a, b, c}
		slices.SortFunc(s, Compare)
		if Compare(s[0], s[1]) > 0 || Compare(s[1], s[2]) > 0 || Compare(s[0], s[2]) > 0 {
			t.Fatalf("not transitive: %q", s)
		}
	})
}

func BenchmarkKey(b *testing.B) {
	names := []string{"already lower", "01 Come Together.mp3", "Beyoncé – Halo (Live).flac", "Track 10 of 12"}
	for b.Loop() {
		for _, n := range names {
			_ = Key(n)
		}
	}
}
