package lyrics

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dhowden/tag"
	"github.com/pcplay/pcplay/internal/filetag"
)

// RangeReader reads n bytes at off of a file (see [filetag.RangeReader]).
type RangeReader = filetag.RangeReader

// ErrNoTag says the file has no tag that pcplay reads lyrics from.
var ErrNoTag = filetag.ErrNoTag

// Embedded reads the lyrics in a file's tag with ranged reads
// ([filetag.Read]: never the audio): ID3v2 SYLT (synced) or USLT
// (unsynced; LRC text in it counts as synced), Vorbis LYRICS in FLAC and
// Ogg, MP4 ©lyr. It returns nil lyrics when the tag has none, and the
// bytes it fetched.
func Embedded(ctx context.Context, read RangeReader) (l *Lyrics, fetched int64, err error) {
	t, fetched, err := filetag.Read(ctx, read)
	switch {
	case err != nil:
		return nil, fetched, err
	case t.ID3 != nil:
		l, err := fromID3(t.ID3)
		return l, fetched, err
	case t.Meta != nil:
		return fromVorbis(t.Meta), fetched, nil
	}
	return nil, fetched, ErrNoTag
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
	return utf16Text(b, be)
}
