package mpd

import "strings"

// ParseError is a request line MPD's tokenizer refuses, in MPD's words.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

// MaxLine is the longest request line a client may send, its newline
// included (MPD's own limit).
const MaxLine = 64 << 10

// ParseLine splits one request line (without its newline) into the
// command's name and its arguments, as MPD's tokenizer does: the name is a
// word of letters, digits and '_' starting with a letter; an argument is
// either a word of printable characters other than quotes, or a string in
// double quotes in which a backslash takes the next character as it is.
func ParseLine(line string) (name string, args []string, err error) {
	s := strings.TrimLeft(line, " \t")
	if s == "" {
		return "", nil, errNoCommand
	}
	if !isLetter(s[0]) {
		return "", nil, &ParseError{"Letter expected"}
	}
	i := 1
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_') {
		i++
	}
	if i < len(s) && !isSpace(s[i]) {
		return "", nil, &ParseError{"Invalid word character"}
	}
	name, s = s[:i], s[i:]
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return name, args, nil
		}
		var arg string
		if s[0] == '"' {
			arg, s, err = quoted(s)
		} else {
			arg, s, err = unquoted(s)
		}
		if err != nil {
			return "", nil, err
		}
		args = append(args, arg)
	}
}

var errNoCommand = &ParseError{"No command given"}

// quoted reads a quoted argument at the start of s.
func quoted(s string) (arg, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i++
			if i == len(s) {
				return "", "", &ParseError{"Missing closing '\"'"}
			}
			b.WriteByte(s[i])
		case '"':
			rest = s[i+1:]
			if rest != "" && !isSpace(rest[0]) {
				return "", "", &ParseError{"Space expected after closing '\"'"}
			}
			return b.String(), rest, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", &ParseError{"Missing closing '\"'"}
}

// unquoted reads an unquoted argument at the start of s.
func unquoted(s string) (arg, rest string, err error) {
	i := 0
	for i < len(s) && !isSpace(s[i]) {
		if c := s[i]; c < 0x20 || c == '"' || c == '\'' {
			return "", "", &ParseError{"Invalid unquoted character"}
		}
		i++
	}
	return s[:i], s[i:], nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' }

// Quote is s as an MPD argument: in double quotes, with '"' and '\'
// escaped.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
