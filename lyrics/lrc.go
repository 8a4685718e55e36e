package lyrics

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Limits of what is parsed: lyrics bigger than this are not lyrics.
const (
	MaxBytes = 1 << 20 // the most of a file read as lyrics
	MaxLines = 20000   // synced lines kept
)

// maxOffset bounds [offset:]: anything larger is a mistake, ignored.
const maxOffset = time.Hour

// ParseLRC parses an LRC file: [mm:ss.xx] or [mm:ss.xxx] stamps (several
// on one line: the line is sung at each), [offset:±ms] (positive: the
// lines come sooner), metadata tags ([ti:], [ar:], [al:], [by:]; others
// ignored), enhanced-LRC word stamps (<mm:ss.xx>, dropped), a BOM
// (UTF-8 or UTF-16), CRLF or CR line ends, and text that is not UTF-8
// (read as Windows-1252). The lines come out sorted by time (equal times
// in file order). A file without a single stamp is plain text. Bad input
// never fails: what can't be read is text or is skipped.
func ParseLRC(data []byte) *Lyrics {
	text := decodeText(data)
	l := &Lyrics{}
	var (
		offset time.Duration
		plain  []string
		lines  []Line
	)
	for _, raw := range strings.Split(text, "\n") {
		rest := cleanText(raw)
		var stamps []time.Duration
		meta := false
		for strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				break
			}
			tag := rest[1:end]
			if d, ok := parseStamp(tag); ok {
				stamps = append(stamps, d)
				rest = strings.TrimLeft(rest[end+1:], " \t")
				continue
			}
			if len(stamps) > 0 {
				break
			}
			key, val, ok := metaTag(tag)
			if !ok {
				break
			}
			meta = true
			switch key {
			case "ti":
				l.Title = val
			case "ar":
				l.Artist = val
			case "al":
				l.Album = val
			case "by":
				l.By = val
			case "offset":
				if n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64); err == nil {
					if d := time.Duration(n) * time.Millisecond; d <= maxOffset && d >= -maxOffset {
						offset = d
					}
				}
			}
			rest = strings.TrimLeft(rest[end+1:], " \t")
		}
		if len(stamps) == 0 {
			if !meta {
				plain = append(plain, strings.TrimRight(raw, " \t"))
			}
			continue
		}
		t := cleanText(rest)
		for _, d := range stamps {
			if len(lines) >= MaxLines {
				break
			}
			lines = append(lines, Line{At: d, Text: t})
		}
	}
	if len(lines) == 0 {
		l.Plain = trimBlankLines(plain)
		return l
	}
	for i := range lines {
		lines[i].At = max(0, lines[i].At-offset)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].At < lines[j].At })
	l.Lines = lines
	return l
}

// ParsePlain is unsynced text: decoded as ParseLRC does, blank lines at
// either end dropped.
func ParsePlain(data []byte) *Lyrics {
	lines := strings.Split(decodeText(data), "\n")
	for i, s := range lines {
		lines[i] = strings.TrimRight(s, " \t")
	}
	return &Lyrics{Plain: trimBlankLines(lines)}
}

// Parse reads lyrics that may or may not be LRC (an embedded USLT, an
// online answer): synced when it has stamps, else plain.
func Parse(data []byte) *Lyrics { return ParseLRC(data) }

// FormatLRC writes synced lyrics as LRC, a [mm:ss.xxx] stamp a line;
// unsynced lyrics as their text.
func FormatLRC(l *Lyrics) string {
	if l == nil {
		return ""
	}
	if len(l.Lines) == 0 {
		return l.Plain
	}
	var b strings.Builder
	for _, ln := range l.Lines {
		ms := ln.At.Milliseconds()
		fmt.Fprintf(&b, "[%02d:%02d.%03d]%s\n", ms/60000, ms/1000%60, ms%1000, ln.Text)
	}
	return b.String()
}

// parseStamp reads mm:ss, mm:ss.x, mm:ss.xx, mm:ss.xxx (or mm:ss:xx).
func parseStamp(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	mm, rest, ok := strings.Cut(s, ":")
	if !ok || !digits(mm, 1, 3) {
		return 0, false
	}
	ss, frac := rest, ""
	if i := strings.IndexAny(rest, ".:"); i >= 0 {
		ss, frac = rest[:i], rest[i+1:]
		if !digits(frac, 1, 3) {
			return 0, false
		}
	}
	if !digits(ss, 1, 2) {
		return 0, false
	}
	m, _ := strconv.Atoi(mm)
	sec, _ := strconv.Atoi(ss)
	if sec >= 60 {
		return 0, false
	}
	d := time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
	if frac != "" {
		f, _ := strconv.Atoi(frac)
		for i := len(frac); i < 3; i++ {
			f *= 10
		}
		d += time.Duration(f) * time.Millisecond
	}
	return d, true
}

// digits reports whether s is between lo and hi ASCII digits.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// metaTag reads "key:value" with a key of letters (or "#"): [ar:Artist].
func metaTag(tag string) (key, val string, ok bool) {
	k, v, found := strings.Cut(tag, ":")
	k = strings.ToLower(strings.TrimSpace(k))
	if !found || k == "" || len(k) > 12 {
		return "", "", false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '#' {
			return "", "", false
		}
	}
	return k, strings.TrimSpace(v), true
}

// cleanText drops enhanced-LRC word stamps (<mm:ss.xx>) and trims, until
// none is left (dropping one may make another).
func cleanText(s string) string {
	for {
		c := cleanOnce(s)
		if c == s {
			return c
		}
		s = c
	}
}

func cleanOnce(s string) string {
	if strings.IndexByte(s, '<') >= 0 {
		var b strings.Builder
		for {
			i := strings.IndexByte(s, '<')
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				break
			}
			if _, ok := parseStamp(s[i+1 : i+j]); !ok {
				b.WriteString(s[:i+1])
				s = s[i+1:]
				continue
			}
			b.WriteString(s[:i])
			s = s[i+j+1:]
		}
		b.WriteString(s)
		s = b.String()
	}
	return strings.TrimSpace(s)
}

func trimBlankLines(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// decodeText turns a file's bytes into text with \n line ends: a UTF-8
// or UTF-16 BOM is honoured; bytes that are not UTF-8 are Windows-1252.
func decodeText(b []byte) string {
	if len(b) > MaxBytes {
		b = b[:MaxBytes]
	}
	var s string
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		s = string(b[3:])
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		s = utf16Text(b[2:], false)
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		s = utf16Text(b[2:], true)
	default:
		s = string(b)
	}
	if !utf8.ValidString(s) {
		if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
			s = d
		} else {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// utf16Text decodes UTF-16 (big-endian when be); an odd last byte is
// dropped.
func utf16Text(b []byte, be bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if be {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}
