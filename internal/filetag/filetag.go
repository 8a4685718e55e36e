// Package filetag reads a file's tag through ranged reads (a getfilelink
// of the original), never the audio: the first 16 KiB, which hold the
// tag's header and often the whole tag, then the rest of the tag alone.
// Lyrics (ID3 USLT/SYLT, Vorbis LYRICS, MP4 ©lyr) and covers (APIC,
// FLAC PICTURE, MP4 covr) both come from one read of this kind.
package filetag

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dhowden/tag"
)

// RangeReader reads n bytes at off of a file (fewer at its end); size is
// the whole file's size when known, else -1. A getfilelink link and
// api.Client.ReadRange make one.
type RangeReader func(ctx context.Context, off, n int64) (data []byte, size int64, err error)

// Limits of a tag read.
const (
	HeadBytes = 16 << 10 // the first read
	MaxTag    = 16 << 20 // a tag bigger than this is not read
)

// ErrNoTag says the file starts with no tag pcplay reads.
var ErrNoTag = errors.New("no ID3v2, FLAC, Ogg or MP4 tag")

// ErrUnreadable is a tag too big or malformed to read: no tag, for what
// reads it, not a failure to try again.
var ErrUnreadable = errors.New("the file's tag can't be read")

// errBudget stops a tag read that would fetch too much.
var errBudget = fmt.Errorf("%w: it is over %d MB", ErrUnreadable, MaxTag>>20)

// Tag is a file's tag as read.
type Tag struct {
	// ID3 is the whole ID3v2 tag, header included, when the file starts
	// with one (its frames for a reader of its own: SYLT).
	ID3 []byte
	// Meta is the tag parsed; nil when it could not be (ID3 may still
	// be there).
	Meta tag.Metadata
}

// Read reads the tag at the start of a file: ID3v2, FLAC, Ogg or MP4. It
// returns the bytes it fetched, also on an error.
func Read(ctx context.Context, read RangeReader) (t Tag, fetched int64, err error) {
	head, size, err := read(ctx, 0, HeadBytes)
	fetched = int64(len(head))
	if err != nil {
		return Tag{}, fetched, err
	}
	switch {
	case len(head) >= 10 && string(head[:3]) == "ID3":
		n := 10 + syncsafe(head[6:10])
		if head[5]&0x10 != 0 {
			n += 10 // a footer
		}
		if n > MaxTag {
			return Tag{}, fetched, fmt.Errorf("%w: its ID3 tag is %d MB", ErrUnreadable, n>>20)
		}
		if n > int64(len(head)) {
			rest, _, err := read(ctx, int64(len(head)), n-int64(len(head)))
			fetched += int64(len(rest))
			if err != nil {
				return Tag{}, fetched, err
			}
			head = append(head, rest...)
		}
		t.ID3 = head[:min(n, int64(len(head)))]
		if m, err := tag.ReadFrom(bytes.NewReader(t.ID3)); err == nil {
			t.Meta = m
		}
		return t, fetched, nil
	case len(head) >= 4 && (string(head[:4]) == "fLaC" || string(head[:4]) == "OggS") ||
		len(head) >= 8 && string(head[4:8]) == "ftyp":
		rs := &rangeSeeker{ctx: ctx, read: read, size: size, buf: head}
		if size < 0 {
			rs.size = 1 << 62
		}
		switch {
		case string(head[:4]) == "fLaC":
			t.Meta, err = tag.ReadFLACTags(rs)
		case string(head[:4]) == "OggS":
			t.Meta, err = tag.ReadOGGTags(rs)
		default:
			t.Meta, err = tag.ReadAtoms(rs)
		}
		fetched += rs.fetched
		if err != nil {
			if errors.Is(err, errBudget) {
				return Tag{}, fetched, err
			}
			return Tag{}, fetched, fmt.Errorf("%w (%v)", ErrUnreadable, err)
		}
		return t, fetched, nil
	}
	return Tag{}, fetched, ErrNoTag
}

func syncsafe(b []byte) int64 {
	return int64(b[0]&0x7f)<<21 | int64(b[1]&0x7f)<<14 | int64(b[2]&0x7f)<<7 | int64(b[3]&0x7f)
}

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
