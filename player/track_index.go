package player

import (
	"sort"

	"github.com/pcplay/pcplay/internal/mpeg"
)

// segment is the body of one HTTP response (one `start=` request) in the
// byte ring. Segments follow each other in the ring: after a fault the next
// one continues the track from a whole second at or before where this one
// stopped.
type segment struct {
	id        int
	startSec  int
	start     int64 // ring offset of its first byte
	end       int64 // after its last usable byte; valid once done
	done      bool  // no more bytes will come
	complete  bool  // the body reached the end of the track
	cl        int64 // Content-Length; -1 unknown
	probe     bool  // the answer to a probe (fetchReq.probe)
	probeFrom int64 // the furthest track sample indexed when it began

	firstSeen bool  // its first frame was looked at (Info frame or audio)
	based     bool  // baseP is set
	baseP     int64 // track sample of its first audio frame
	nextP     int64 // track sample after its last indexed frame
	frames    int
	lastEnd   int64 // ring offset after its last indexed frame
}

// frameEnt is one complete audio frame in the ring.
type frameEnt struct {
	off   int64 // ring offset
	p     int64 // track sample of its first output sample (after the gapless trim)
	n     int32 // samples
	size  int32 // bytes
	mdb   int16 // main_data_begin: bytes of earlier frames it needs
	seg   int32 // segment id
	first bool  // the first audio frame of its segment
}

// frameIndex lists the frames in the ring, by offset.
type frameIndex struct {
	e     []frameEnt
	start int
}

func (x *frameIndex) all() []frameEnt { return x.e[x.start:] }

func (x *frameIndex) add(e frameEnt) {
	if x.start > 0 && x.start >= len(x.e)/2 && len(x.e) == cap(x.e) {
		n := copy(x.e, x.e[x.start:])
		x.e = x.e[:n]
		x.start = 0
	}
	x.e = append(x.e, e)
}

func (x *frameIndex) dropBefore(off int64) {
	a := x.all()
	i := sort.Search(len(a), func(i int) bool { return a[i].off >= off })
	x.start += i
	if x.start == len(x.e) {
		x.e, x.start = x.e[:0], 0
	}
}

func (x *frameIndex) clear() { x.e, x.start = x.e[:0], 0 }

// firstAt is the first frame of segment seg at or after offset from.
func (x *frameIndex) firstAt(seg int, from int64) (frameEnt, bool) {
	a := x.all()
	i := sort.Search(len(a), func(i int) bool {
		return a[i].seg > int32(seg) || (a[i].seg == int32(seg) && a[i].off >= from)
	})
	if i < len(a) && a[i].seg == int32(seg) {
		return a[i], true
	}
	return frameEnt{}, false
}

// endingAt is the frame of segment seg that ends at offset end.
func (x *frameIndex) endingAt(seg int, end int64) (frameEnt, bool) {
	a := x.all()
	i := sort.Search(len(a), func(i int) bool { return a[i].off >= end })
	if i > 0 {
		e := a[i-1]
		if e.seg == int32(seg) && e.off+int64(e.size) == end {
			return e, true
		}
	}
	return frameEnt{}, false
}

// indexer finds the frames of the segment being received, as its bytes
// arrive. It keeps the bytes not yet parsed (less than two frames, or a few
// KiB while it looks for sync in garbage).
type indexer struct {
	seg        *segment
	buf        []byte
	off        int64 // ring offset of buf[0]
	tagChecked bool
	skip       int64 // bytes of an ID3v2 tag still to skip
	synced     bool  // the previous frame ended where buf starts
	prev       mpeg.Header
}

func compatible(a, b mpeg.Header) bool {
	return a.Version == b.Version && a.SampleRate == b.SampleRate
}

// mainDataBegin reads main_data_begin from a frame's side information.
func mainDataBegin(fr []byte, h mpeg.Header) int16 {
	s := 4
	if h.Protected {
		s += 2
	}
	if len(fr) < s+2 {
		return 0
	}
	if h.Version == 1 {
		return int16(fr[s])<<1 | int16(fr[s+1]>>7)
	}
	return int16(fr[s])
}

// indexFeed indexes newly received bytes. Call with t.mu held.
func (t *TrackStream) indexFeed(p []byte, final bool) {
	ix := &t.ix
	if ix.seg == nil {
		return
	}
	ix.buf = append(ix.buf, p...)
	b := ix.buf
	pos := 0
	for {
		rest := b[pos:]
		if !ix.tagChecked {
			if len(rest) < 10 && !final {
				break
			}
			ix.tagChecked = true
			ix.skip = int64(mpeg.ID3v2Size(rest))
			continue
		}
		if ix.skip > 0 {
			k := min(int64(len(rest)), ix.skip)
			pos += int(k)
			ix.skip -= k
			if ix.skip > 0 {
				break
			}
			continue
		}
		if len(rest) < 4 {
			if final {
				pos = len(b)
			}
			break
		}
		if h, ok := mpeg.ParseHeader(rest); ok && ix.synced && compatible(ix.prev, h) {
			if len(rest) < h.FrameLen {
				if final {
					pos = len(b)
				}
				break
			}
			t.addFrame(rest[:h.FrameLen], h, ix.off+int64(pos))
			ix.prev = h
			pos += h.FrameLen
			continue
		}
		// Out of sync: find a frame that the next frame's header confirms
		// (or that ends exactly at the end of a finished body).
		ix.synced = false
		found, fh, wait := t.resync(rest, final)
		if found < 0 {
			if final || len(rest) <= 3 {
				pos = len(b)
			} else {
				pos += len(rest) - 3
			}
			break
		}
		pos += found
		if wait {
			break
		}
		ix.synced = true
		ix.prev = fh
	}
	n := copy(ix.buf, ix.buf[pos:])
	ix.buf = ix.buf[:n]
	ix.off += int64(pos)
}

// resync finds in rest the first frame that the next frame's header
// confirms, or that ends exactly at the end of a finished body (final).
// found is its index (-1: none); wait: a candidate whose confirmation has
// not arrived yet.
func (t *TrackStream) resync(rest []byte, final bool) (found int, fh mpeg.Header, wait bool) {
	for i := 0; i+4 <= len(rest); i++ {
		if rest[i] != 0xFF {
			continue
		}
		h, ok := mpeg.ParseHeader(rest[i:])
		if !ok {
			continue
		}
		if r := t.rate.Load(); r != 0 && int64(h.SampleRate) != r {
			continue
		}
		end := i + h.FrameLen
		if end+4 <= len(rest) {
			if n, ok := mpeg.ParseHeader(rest[end:]); ok && compatible(h, n) {
				return i, h, false
			}
			continue
		}
		if final {
			if end == len(rest) {
				return i, h, false
			}
			continue
		}
		return i, mpeg.Header{}, true
	}
	return -1, mpeg.Header{}, false
}

// addFrame records one complete frame of the segment being received. Call
// with t.mu held.
func (t *TrackStream) addFrame(fr []byte, h mpeg.Header, off int64) {
	seg := t.ix.seg
	if !seg.firstSeen {
		seg.firstSeen = true
		if inf, ok := mpeg.ParseInfo(fr, h); ok {
			// The Xing/Info frame decodes as silence: leave it out.
			if seg.startSec == 0 && !t.trackInfo {
				t.noteInfo(inf, h)
			}
			return
		}
	}
	if t.rate.Load() == 0 {
		t.rate.Store(int64(h.SampleRate))
	}
	first := !seg.based
	if first {
		t.baseSegment(seg, fr, h, off)
	}
	t.idx.add(frameEnt{
		off: off, p: seg.nextP, n: int32(h.Samples), size: int32(h.FrameLen),
		mdb: mainDataBegin(fr, h), seg: int32(seg.id), first: first,
	})
	seg.nextP += int64(h.Samples)
	seg.frames++
	seg.lastEnd = off + int64(h.FrameLen)
	t.chainP, t.chainOK = seg.nextP, true
	t.endP = max(t.endP, seg.nextP)
	t.byteRate.Store(int64(h.Bitrate) * 125)
	switch {
	case t.cbrBits == 0:
		t.cbrBits = h.Bitrate
		t.cbrFrames = 1
	case t.cbrBits > 0 && t.cbrBits == h.Bitrate:
		t.cbrFrames++
	default:
		t.cbrBits = -1
	}
	t.updateDuration()
}

// noteInfo takes the track's length and gapless trim from the Xing/Info
// (and LAME) tag at the start of the track. Call with t.mu held.
func (t *TrackStream) noteInfo(inf mpeg.Info, h mpeg.Header) {
	t.trackInfo = true
	if inf.HasLAME {
		t.trimStart = int64(inf.EncoderDelay) + decoderDelay
	}
	if inf.Frames > 0 {
		total := int64(inf.Frames) * int64(h.Samples)
		if inf.HasLAME {
			total -= int64(inf.EncoderDelay + inf.Padding)
		}
		if total > 0 {
			t.totalP = total
		}
	}
}

// baseSegment sets which track sample seg's first audio frame fr (at ring
// offset off) plays. Call with t.mu held.
func (t *TrackStream) baseSegment(seg *segment, fr []byte, h mpeg.Header, off int64) {
	seg.based = true
	if bp, ok := t.matchEarlier(seg, fr); ok {
		// The same bytes as a frame already received: the server cut
		// the same file (a resume), so the clock is exact.
		seg.baseP = bp
	} else if seg.startSec == 0 {
		seg.baseP = -t.trimStart
	} else {
		seg.baseP = int64(seg.startSec) * int64(h.SampleRate)
		if mainDataBegin(fr, h) > 0 {
			// The first frame needs bytes we do not have and is
			// dropped by the decoder: the next one plays the second.
			seg.baseP -= int64(h.Samples)
		}
	}
	seg.nextP = seg.baseP
	if seg.cl >= 0 && t.clBytes == 0 {
		if rem := seg.cl - (off - seg.start); rem > 0 {
			t.clBytes, t.clStart = rem, seg.startSec
		}
	}
}

// cbrProof is how many frames of one bitrate (and no Xing tag) make a stream
// CBR enough to compute its duration from its length.
const cbrProof = 32

// updateDuration sets Duration from what is known. Call with t.mu held.
func (t *TrackStream) updateDuration() {
	r := t.rate.Load()
	if r == 0 {
		return
	}
	var d int64
	switch {
	case t.totalP > 0:
		d = int64(sampleDur(t.totalP, r))
	case t.exactP > 0:
		d = int64(sampleDur(t.exactP, r))
	case t.cbrBits > 0 && t.cbrFrames >= cbrProof && t.clBytes > 0:
		d = int64(t.clStart)*int64(1e9) + t.clBytes*8*1e6/int64(t.cbrBits)
	}
	if d > 0 {
		t.durNS.Store(d)
	}
}

// matchEarlier looks for fr among the frames of earlier segments still in the
// ring, near where its segment starts, and returns that frame's track sample.
// Call with t.mu held.
func (t *TrackStream) matchEarlier(seg *segment, fr []byte) (int64, bool) {
	r := t.rate.Load()
	if r == 0 || len(t.segs) < 2 {
		return 0, false
	}
	want := int64(seg.startSec) * r
	if len(t.cmpBuf) < len(fr) {
		t.cmpBuf = make([]byte, max(len(fr), 2048))
	}
	best, found := int64(0), false
	for _, e := range t.idx.all() {
		if e.seg >= int32(seg.id) || int(e.size) != len(fr) || e.p < want-3*r || e.p > want+3*r {
			continue
		}
		b := t.cmpBuf[:len(fr)]
		if t.ring.readAt(b, e.off) != len(fr) || string(b) != string(fr) {
			continue
		}
		if !found || absDiff(e.p, want) < absDiff(best, want) {
			best, found = e.p, true
		}
	}
	return best, found
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}
