package lyrics

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/dhowden/tag"
)

// RangeReader reads n bytes at off of a file (fewer at its end); size is
// the whole file's size when known, else -1. A getfilelink link and
// [api.Client.ReadRange] make one.
type RangeReader func(ctx context.Context, off, n int64) (data []byte, size int64, err error)

// Limits of an embedded tag read.
const (
	headBytes = 16 << 10 // the first read: the tag's header, often the whole tag
	MaxTag    = 16 << 20 // a tag bigger than this is not read
)

// ErrNoTag says the file has no tag that pcplay reads lyrics from.
var ErrNoTag = errors.New("no ID3v2, FLAC, Ogg or MP4 tag")

// Embedded reads the lyrics in a file's tag with ranged reads: the first
// 16 KiB (the tag's header, and often the whole tag), then the rest of
// the tag only, never the audio: ID3v2 SYLT (synced) or USLT (unsynced;
// LRC text in it counts as synced), Vorbis LYRICS in FLAC and Ogg, MP4
// ©lyr. It returns nil lyrics when the tag has none, and the bytes it
// fetched.
func Embedded(ctx context.Context, read RangeReader) (l *Lyrics, fetched int64, err error) {
	head, size, err := read(ctx, 0, headBytes)
	fetched = int64(len(head))
	if err != nil {
		return nil, fetched, err
	}
	switch {
	case len(head) >= 10 && string(head[:3]) == "ID3":
		n := 10 + syncsafe(head[6:10])
		if head[5]&0x10 != 0 {
			n += 10 // a footer
		}
		if n > MaxTag {
			return nil, fetched, fmt.Errorf("the file's ID3 tag is %d MB, too big to read", n>>20)
		}
		if n > int64(len(head)) {
			rest, _, err := read(ctx, int64(len(head)), n-int64(len(head)))
			fetched += int64(len(rest))
			if err != nil {
				return nil, fetched, err
			}
			head = append(head, rest...)
		}
		tagBytes := head[:min(n, int64(len(head)))]
		l, err := fromID3(tagBytes)
		return l, fetched, err
	case len(head) >= 4 && (string(head[:4]) == "fLaC" || string(head[:4]) == "OggS") ||
		len(head) >= 8 && string(head[4:8]) == "ftyp":
		rs := &rangeSeeker{ctx: ctx, read: read, size: size, buf: head}
		if size < 0 {
			rs.size = 1 << 62
		}
		var m tag.Metadata
		switch {
		case string(head[:4]) == "fLaC":
			m, err = tag.ReadFLACTags(rs)
		case string(head[:4]) == "OggS":
			m, err = tag.ReadOGGTags(rs)
		default:
			m, err = tag.ReadAtoms(rs)
		}
		fetched += rs.fetched
		if err != nil {
			if errors.Is(err, errBudget) {
				return nil, fetched, err
			}
			return nil, fetched, fmt.Errorf("the file's tag can't be read (%v)", err)
		}
		return fromVorbis(m), fetched, nil
	}
	return nil, fetched, ErrNoTag
}

func syncsafe(b []byte) int64 {
	return int64(b[0]&0x7f)<<21 | int64(b[1]&0x7f)<<14 | int64(b[2]&0x7f)<<7 | int64(b[3]&0x7f)
}

// fromID3 reads SYLT, else USLT, from a whole ID3v2 tag.
func fromID3(b []byte) (*Lyrics, error) {
	m, err := tag.ReadID3v2Tags(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("the file's ID3 tag can't be read (%v)", err)
	}
	raw := m.Raw()
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	var uslt *Lyrics
	for _, k := range names {
		base, _, _ := strings.Cut(k, "_")
		switch base {
		case "SYLT", "SLT":
			if b, ok := raw[k].([]byte); ok {
				if l := parseSYLT(b); l.Synced() {
					l.Source = "the file's ID3 tag (SYLT)"
					return l, nil
				}
			}
		case "USLT", "ULT":
			if c, ok := raw[k].(*tag.Comm); ok && uslt == nil {
				if l := Parse([]byte(c.Text)); !l.Empty() {
					l.Source = "the file's ID3 tag (USLT)"
					uslt = l
				}
			}
		}
	}
	return uslt, nil
}

// fromVorbis reads LYRICS (or UNSYNCEDLYRICS, SYNCEDLYRICS) of Vorbis
// comments, or MP4's ©lyr.
func fromVorbis(m tag.Metadata) *Lyrics {
	text := m.Lyrics()
	if text == "" {
		raw := m.Raw()
		for _, k := range []string{"syncedlyrics", "unsyncedlyrics", "unsynced lyrics"} {
			if s, ok := raw[k].(string); ok && s != "" {
				text = s
				break
			}
		}
	}
	l := Parse([]byte(text))
	if l.Empty() {
		return nil
	}
	switch m.Format() {
	case tag.MP4:
		l.Source = "the file's MP4 tag (©lyr)"
	default:
		l.Source = "the file's Vorbis comments (LYRICS)"
	}
	return l
}

// mpegFrame is one MPEG-1 layer III frame at 44.1 kHz: SYLT stamps in
// frames (format 1) are taken at that rate.
const mpegFrame = time.Second * 1152 / 44100

// parseSYLT reads an ID3v2 SYLT frame: encoding, language, stamp format
// (1 MPEG frames, 2 ms), content type, descriptor, then text and a 4-byte
// stamp, again and again. Entries that start with a line break begin a new
// line (syllables follow on); without any, every entry is a line.
func parseSYLT(b []byte) *Lyrics {
	if len(b) < 6 {
		return &Lyrics{}
	}
	enc, format := b[0], b[4]
	rest := b[6:]
	_, rest = cutText(rest, enc) // the descriptor
	type entry struct {
		at   time.Duration
		text string
	}
	var es []entry
	breaks := false
	for len(rest) > 0 && len(es) < MaxLines {
		var t string
		t, rest = cutText(rest, enc)
		if len(rest) < 4 {
			break
		}
		n := binary.BigEndian.Uint32(rest[:4])
		rest = rest[4:]
		at := time.Duration(n) * time.Millisecond
		if format == 1 {
			at = time.Duration(n) * mpegFrame
		}
		if strings.HasPrefix(t, "\n") || strings.HasPrefix(t, "\r") {
			breaks = true
		}
		es = append(es, entry{at, t})
	}
	var lines []Line
	for i, e := range es {
		clean := strings.Join(strings.Fields(strings.ReplaceAll(decodeText([]byte(e.text)), "\n", " ")), " ")
		if i == 0 || !breaks || strings.HasPrefix(e.text, "\n") || strings.HasPrefix(e.text, "\r") {
			lines = append(lines, Line{At: e.at, Text: clean})
			continue
		}
		last := &lines[len(lines)-1]
		if strings.HasPrefix(e.text, " ") && last.Text != "" {
			last.Text += " "
		}
		last.Text += clean
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].At < lines[j].At })
	return &Lyrics{Lines: lines}
}

// cutText cuts one terminated string of an ID3 encoding (0 Latin-1,
// 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8) off b, decoded.
func cutText(b []byte, enc byte) (string, []byte) {
	if enc == 1 || enc == 2 {
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return decodeUTF16(b[:i], enc == 2), b[i+2:]
			}
		}
		return decodeUTF16(b, enc == 2), nil
	}
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		i = len(b)
	}
	s, rest := b[:i], b[min(i+1, len(b)):]
	if enc == 0 {
		r := make([]rune, len(s))
		for k, c := range s {
			r[k] = rune(c)
		}
		return string(r), rest
	}
	return strings.ToValidUTF8(string(s), "\uFFFD"), rest
}

// decodeUTF16 decodes UTF-16 with an optional BOM (big-endian without
// one when be).
func decodeUTF16(b []byte, be bool) string {
	if len(b) >= 2 {
		switch {
		case b[0] == 0xFF && b[1] == 0xFE:
			b, be = b[2:], false
		case b[0] == 0xFE && b[1] == 0xFF:
			b, be = b[2:], true
		}
	}
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

// errBudget stops a tag read that would fetch too much.
var errBudget = fmt.Errorf("the file's tag is over %d MB: not read", MaxTag>>20)

// rangeSeeker is an io.ReadSeeker over ranged reads: it keeps the last
// bytes fetched and fetches at least 64 KiB at a time, at most MaxTag in
// all (a tag reader that wanders into the audio stops there).
type rangeSeeker struct {
	ctx     context.Context
	read    RangeReader
	size    int64
	pos     int64
	buf     []byte
	bufOff  int64
	fetched int64
}

func (r *rangeSeeker) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if r.pos >= r.size {
		return 0, io.EOF
	}
	if r.pos < r.bufOff || r.pos >= r.bufOff+int64(len(r.buf)) {
		n := max(int64(len(p)), 64<<10)
		if r.fetched+n > MaxTag {
			return 0, errBudget
		}
		data, size, err := r.read(r.ctx, r.pos, n)
		r.fetched += int64(len(data))
		if err != nil {
			return 0, err
		}
		if size >= 0 {
			r.size = size
		}
		if len(data) == 0 {
			return 0, io.EOF
		}
		r.buf, r.bufOff = data, r.pos
	}
	n := copy(p, r.buf[r.pos-r.bufOff:])
	r.pos += int64(n)
	return n, nil
}

func (r *rangeSeeker) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += r.pos
	case io.SeekEnd:
		off += r.size
	}
	if off < 0 {
		return 0, errors.New("seek before the start")
	}
	r.pos = off
	return off, nil
}
