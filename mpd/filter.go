package mpd

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/library"
)

// filter is a find/search request: what matches, and how the answer is
// sorted, cut and grouped.
type filter struct {
	match  func(t *library.Track) bool
	sort   string // a tag ("" none)
	desc   bool
	window [2]int // [start, end); end 0: none
	group  []string
	base   string // a (base 'URI') in the expression: only below it
	all    bool   // no condition: every track matches
	// conds are match's conditions the index runs itself (each one a
	// track must meet): the tracks they select are a superset of
	// match's, read without the whole index.
	conds []library.Cond
	fold  bool
}

// indexCond adds the comparison of tag with v by op to the conditions
// the index runs, when it can.
func (f *filter) indexCond(tag, op, v string) {
	col := map[string]string{"artist": "artist", "artistsort": "artist", "albumartist": "albumartist",
		"albumartistsort": "albumartist", "album": "album", "albumsort": "album", "title": "title",
		"genre": "genre", "filename": "name"}[tag]
	if col == "" || !library.WhereTag(col) || (op != "==" && op != "contains") {
		return
	}
	f.conds = append(f.conds, library.Cond{Tag: col, Contains: op == "contains", Value: v})
}

// tagKnown are the tags filters take (lower case), besides "any".
var tagKnown = []string{"artist", "albumartist", "album", "title", "track", "disc", "genre", "file", "filename", "date", "composer", "performer", "albumartistsort", "artistsort", "albumsort", "name", "comment", "originaldate"}

// tagValue is a track's value of tag (lower case).
func tagValue(t *library.Track, tag string) string {
	switch tag {
	case "artist", "artistsort":
		return t.Artist
	case "albumartist", "albumartistsort":
		return t.AlbumArtist
	case "album", "albumsort":
		return t.Album
	case "title":
		return t.Title
	case "track":
		if t.TrackNo > 0 {
			return strconv.Itoa(t.TrackNo)
		}
	case "disc":
		if t.Disc > 0 {
			return strconv.Itoa(t.Disc)
		}
	case "genre":
		return t.Genre
	case "file":
		return uri(t.Path)
	case "filename":
		return t.Name
	}
	return ""
}

func knownTag(tag string) (string, error) {
	l := strings.ToLower(tag)
	if l == "any" || slices.Contains(tagKnown, l) {
		return l, nil
	}
	return "", ackf(ackArg, "Unknown tag type: %s", command.Clip(tag))
}

// compare is one comparison of a tag's value with v.
func compare(tag, op, v string, fold bool) (func(*library.Track) bool, error) {
	norm := func(s string) string { return s }
	if fold {
		norm = order.Fold
	}
	want := norm(v)
	var test func(string) bool
	switch op {
	case "==":
		test = func(s string) bool { return norm(s) == want }
	case "!=":
		test = func(s string) bool { return norm(s) != want }
	case "contains":
		test = func(s string) bool { return strings.Contains(norm(s), want) }
	case "!contains":
		test = func(s string) bool { return !strings.Contains(norm(s), want) }
	case "starts_with":
		test = func(s string) bool { return strings.HasPrefix(norm(s), want) }
	case "=~", "!~":
		pat := v
		if fold {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, ackf(ackArg, "Bad regular expression: %s", command.Clip(v))
		}
		neg := op == "!~"
		test = func(s string) bool { return re.MatchString(s) != neg }
	default:
		return nil, ackf(ackArg, "Unknown filter operator: %s", command.Clip(op))
	}
	if tag == "any" {
		return func(t *library.Track) bool {
			for _, tg := range []string{"artist", "albumartist", "album", "title", "genre", "file"} {
				if test(tagValue(t, tg)) {
					return true
				}
			}
			return false
		}, nil
	}
	return func(t *library.Track) bool { return test(tagValue(t, tag)) }, nil
}

// parseFilter reads find/search arguments: a filter expression or
// TYPE VALUE pairs, then sort TAG, window START:END and group TAG. fold:
// compare without case and accents (search).
func parseFilter(args []string, fold bool) (*filter, error) {
	f := &filter{fold: fold}
	var tests []func(*library.Track) bool
	i := 0
	for i < len(args) {
		a := args[i]
		switch {
		case strings.HasPrefix(strings.TrimSpace(a), "("):
			p := &exprParser{s: a, fold: fold, f: f}
			m, err := p.expr()
			if err == nil && strings.TrimSpace(p.s) != "" {
				err = ackf(ackArg, "Unparsed garbage after expression")
			}
			if err != nil {
				return nil, err
			}
			tests = append(tests, m)
			i++
			continue
		case i+1 >= len(args):
			return nil, ackf(ackArg, "Incorrect number of filter arguments")
		}
		v := args[i+1]
		switch strings.ToLower(a) {
		case "sort":
			f.sort, f.desc = strings.ToLower(strings.TrimPrefix(v, "-")), strings.HasPrefix(v, "-")
			if _, err := knownTag(f.sort); err != nil {
				return nil, err
			}
		case "window":
			s, e, err := parseRange(v, 1<<30)
			if err != nil {
				return nil, err
			}
			f.window = [2]int{s, e}
		case "group":
			g, err := knownTag(v)
			if err != nil {
				return nil, err
			}
			f.group = append(f.group, g)
		case "base":
			f.base = uri(v)
		case "modified-since", "added-since", "position":
			return nil, ackf(ackArg, "pcplay does not take %s here", strings.ToLower(a))
		default:
			tag, err := knownTag(a)
			if err != nil {
				return nil, err
			}
			op := "=="
			if fold {
				op = "contains"
			}
			m, err := compare(tag, op, v, fold)
			if err != nil {
				return nil, err
			}
			tests = append(tests, m)
			f.indexCond(tag, op, v)
		}
		i += 2
	}
	base := f.base
	f.all = base == "" && len(tests) == 0
	f.match = func(t *library.Track) bool {
		if base != "" && !strings.HasPrefix(uri(t.Path), strings.TrimSuffix(base, "/")+"/") {
			return false
		}
		for _, m := range tests {
			if !m(t) {
				return false
			}
		}
		return true
	}
	return f, nil
}

// exprParser reads MPD's filter expressions: (TAG OP 'VALUE'), (!EXPR),
// (EXPR AND EXPR ...), (base 'URI').
type exprParser struct {
	s     string
	fold  bool
	f     *filter
	depth int
	neg   int // within how many (!EXPR): no condition for the index there
}

func (p *exprParser) space() { p.s = strings.TrimLeft(p.s, " \t") }

func (p *exprParser) expect(c byte) error {
	p.space()
	if p.s == "" || p.s[0] != c {
		return ackf(ackArg, "'%c' expected", c)
	}
	p.s = p.s[1:]
	return nil
}

func (p *exprParser) expr() (func(*library.Track) bool, error) {
	if p.depth++; p.depth > 32 {
		return nil, ackf(ackArg, "Filter expression nested too deep")
	}
	defer func() { p.depth-- }()
	if err := p.expect('('); err != nil {
		return nil, err
	}
	p.space()
	switch {
	case strings.HasPrefix(p.s, "!"):
		p.s = p.s[1:]
		p.neg++
		m, err := p.expr()
		p.neg--
		if err != nil {
			return nil, err
		}
		return func(t *library.Track) bool { return !m(t) }, p.expect(')')
	case strings.HasPrefix(p.s, "("):
		var all []func(*library.Track) bool
		for {
			m, err := p.expr()
			if err != nil {
				return nil, err
			}
			all = append(all, m)
			p.space()
			if strings.HasPrefix(p.s, "AND") {
				p.s = p.s[3:]
				continue
			}
			break
		}
		return func(t *library.Track) bool {
			for _, m := range all {
				if !m(t) {
					return false
				}
			}
			return true
		}, p.expect(')')
	}
	word := p.word()
	switch strings.ToLower(word) {
	case "":
		return nil, ackf(ackArg, "Tag name expected")
	case "base":
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		b := strings.TrimSuffix(uri(v), "/") + "/"
		return func(t *library.Track) bool { return strings.HasPrefix(uri(t.Path), b) }, p.expect(')')
	case "modified-since", "added-since", "audioformat", "prio":
		return nil, ackf(ackArg, "pcplay does not filter by %s", word)
	}
	tag, err := knownTag(word)
	if err != nil {
		return nil, err
	}
	p.space()
	op := p.word()
	if op == "" {
		op = p.op()
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	m, err := compare(tag, op, v, p.fold)
	if err != nil {
		return nil, err
	}
	if p.neg == 0 {
		p.f.indexCond(tag, op, v)
	}
	return m, p.expect(')')
}

// word is a run of letters, digits, '_' and '-' (a tag or a word
// operator).
func (p *exprParser) word() string {
	p.space()
	i := 0
	for i < len(p.s) && (isLetter(p.s[i]) || isDigit(p.s[i]) || p.s[i] == '_' || p.s[i] == '-' || (i == 0 && p.s[i] == '!' && strings.HasPrefix(p.s, "!contains"))) {
		i++
	}
	w := p.s[:i]
	p.s = p.s[i:]
	return w
}

// op is a symbol operator: ==, !=, =~, !~.
func (p *exprParser) op() string {
	p.space()
	for _, o := range []string{"==", "!=", "=~", "!~"} {
		if strings.HasPrefix(p.s, o) {
			p.s = p.s[2:]
			return o
		}
	}
	return "?"
}

// value is a quoted value, in ' or ", a backslash taking the next
// character as it is.
func (p *exprParser) value() (string, error) {
	p.space()
	if p.s == "" || (p.s[0] != '\'' && p.s[0] != '"') {
		return "", ackf(ackArg, "Quoted string expected")
	}
	q := p.s[0]
	var b strings.Builder
	for i := 1; i < len(p.s); i++ {
		switch c := p.s[i]; {
		case c == '\\' && i+1 < len(p.s):
			i++
			b.WriteByte(p.s[i])
		case c == q:
			p.s = p.s[i+1:]
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", ackf(ackArg, "Closing quote not found")
}
