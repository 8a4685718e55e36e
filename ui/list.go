package ui

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// list is the cursor, scroll offset and filter over a slice of display texts.
// It knows nothing about what the rows are: callers map a visible row back to
// their own item with At.
type list struct {
	lowers []string // lower-cased texts, for the filter
	idx    []int    // visible original indices when filtered; nil means all
	cursor int      // row in the visible rows
	offset int      // first row drawn
	filter string
	typing bool      // the filter input has the keys
	edit   lineInput // the filter as typed: its cursor (filterInput)
	// query: the filter is a query its owner answers (the library views'
	// search), not a filter of these rows.
	query bool
	kept  int      // query: the cursor when the query began
	ids   []string // what each row stands for (setRows); nil: not known
}

// setTexts replaces the rows, keeping the cursor on the same original index
// when it still exists.
func (l *list) setTexts(texts []string) { l.setRows(texts, nil) }

// setRows replaces the rows, ids naming what each stands for (nil: not
// known). The cursor stays on the row with the id it was on when both the
// old rows and the new have ids: a list read anew (a scan's batch, a new
// listen, R) must not slide it onto a neighbour just as enter is pressed.
// Else, or when that row is gone, it stays on the same original index.
func (l *list) setRows(texts, ids []string) {
	keep := l.selected()
	was := ""
	if keep >= 0 && keep < len(l.ids) {
		was = l.ids[keep]
	}
	l.lowers = make([]string, len(texts))
	for i, t := range texts {
		l.lowers[i] = lower(t)
	}
	l.ids = ids
	l.refilter()
	if keep >= 0 {
		l.selectOrig(keep)
	}
	if i := slices.Index(ids, was); was != "" && i >= 0 {
		l.selectOrig(i)
	}
	l.clamp()
}

func lower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if !upper {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Len is the number of visible rows.
func (l *list) Len() int {
	if l.idx != nil {
		return len(l.idx)
	}
	return len(l.lowers)
}

// At maps a visible row to its original index.
func (l *list) At(row int) int {
	if l.idx != nil {
		return l.idx[row]
	}
	return row
}

// selected is the original index under the cursor, -1 when there is none.
func (l *list) selected() int {
	if l.cursor < 0 || l.cursor >= l.Len() {
		return -1
	}
	return l.At(l.cursor)
}

func (l *list) selectOrig(orig int) {
	if l.idx == nil {
		if orig >= 0 && orig < len(l.lowers) {
			l.cursor = orig
		}
		return
	}
	for row, o := range l.idx {
		if o == orig {
			l.cursor = row
			return
		}
	}
}

func (l *list) move(d int) {
	l.cursor += d
	l.clamp()
}

func (l *list) top()    { l.cursor = 0; l.clamp() }
func (l *list) bottom() { l.cursor = l.Len() - 1; l.clamp() }

func (l *list) clamp() {
	if l.cursor >= l.Len() {
		l.cursor = l.Len() - 1
	}
	if l.cursor < 0 {
		l.cursor = 0
	}
}

// scroll adjusts the offset so that the cursor is inside a window of h rows.
func (l *list) scroll(h int) {
	if h < 1 {
		h = 1
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	if max := l.Len() - h; l.offset > max {
		l.offset = max
	}
	if l.offset < 0 {
		l.offset = 0
	}
}

func (l *list) setFilter(f string) {
	keep := l.selected()
	if l.query && l.filter == "" {
		l.kept = l.cursor
	}
	l.filter = f
	l.refilter()
	l.cursor = 0
	if f == "" && keep >= 0 {
		l.selectOrig(keep)
	}
	l.offset = 0
	l.clamp()
}

func (l *list) refilter() {
	if l.filter == "" || l.query {
		l.idx = nil
		return
	}
	ps := lower(l.filter)
	pat := []rune(ps)
	type hit struct{ i, score int }
	hits := make([]hit, 0, 64)
	for i, s := range l.lowers {
		if sc, ok := fuzzy(pat, ps, s); ok {
			hits = append(hits, hit{i, sc})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	l.idx = make([]int, len(hits))
	for k, h := range hits {
		l.idx[k] = h.i
	}
}

// fuzzy reports whether the runes of pat occur in order in s (both lower
// case) and scores the match: consecutive runes and runes at the start of a
// word score higher; a literal substring scores highest. Numbers are read
// by value, as [order.Compare] does: leading zeros are padding (the 2 of
// "025" starts a word), and a number typed whole scores more than one it
// begins ("25" ranks "025" above "250").
func fuzzy(pat []rune, ps, s string) (int, bool) {
	if len(pat) == 0 {
		return 0, true
	}
	score := 0
	pi := 0
	prevMatch := false
	prev := ' '
	padding := false // prev is a leading zero of a number
	for _, r := range s {
		if pi < len(pat) && r == pat[pi] {
			start := wordStart(prev, r, padding)
			score++
			if prevMatch {
				score += 4
			}
			if start {
				score += 3
			}
			pi++
			prevMatch = true
			padding = r == '0' && start
		} else {
			prevMatch = false
			padding = r == '0' && wordStart(prev, r, padding)
		}
		prev = r
	}
	if pi < len(pat) {
		return 0, false
	}
	if strings.Contains(s, ps) {
		score += 10 * len(pat)
	}
	return score + 5*wholeNumbers(ps, s), true
}

// wordStart reports whether r begins a word of the text, after prev:
// after a rune that is no letter or digit, or the first digit after the
// leading zeros that began one (padding).
func wordStart(prev, r rune, padding bool) bool {
	return !unicode.IsLetter(prev) && !unicode.IsDigit(prev) || padding && unicode.IsDigit(r)
}

// wholeNumbers is how many of the numbers in ps are, by value, a number
// of s.
func wholeNumbers(ps, s string) int {
	if !strings.ContainsAny(ps, "0123456789") {
		return 0
	}
	n := 0
	for p := range numbers(ps) {
		for q := range numbers(s) {
			if p == q {
				n++
				break
			}
		}
	}
	return n
}

// numbers yields the runs of ASCII digits of s without their leading
// zeros ("0" for zero).
func numbers(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); {
			if s[i] < '0' || s[i] > '9' {
				i++
				continue
			}
			j := i
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			v := strings.TrimLeft(s[i:j], "0")
			if v == "" {
				v = "0"
			}
			if !yield(v) {
				return
			}
			i = j
		}
	}
}
