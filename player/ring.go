package player

import (
	"errors"
	"io"
)

// byteRing is a bounded window of a byte stream addressed by absolute,
// ever-growing offsets: it holds the bytes [base, end). Writing past its
// capacity drops the oldest bytes. It does no locking.
type byteRing struct {
	buf       []byte
	base, end int64
}

func newByteRing(n int) byteRing { return byteRing{buf: make([]byte, n)} }

// size is the number of bytes held.
func (r *byteRing) size() int { return int(r.end - r.base) }

// write appends p, dropping the oldest bytes to make room. p must not be
// longer than the capacity.
func (r *byteRing) write(p []byte) {
	if len(p) > len(r.buf) {
		p = p[len(p)-len(r.buf):]
	}
	if over := r.size() + len(p) - len(r.buf); over > 0 {
		r.base += int64(over)
	}
	for len(p) > 0 {
		i := int(r.end % int64(len(r.buf)))
		n := copy(r.buf[i:], p)
		p = p[n:]
		r.end += int64(n)
	}
}

// readAt copies bytes starting at off into p and returns how many; 0 when off
// is outside [base, end).
func (r *byteRing) readAt(p []byte, off int64) int {
	if off < r.base || off >= r.end {
		return 0
	}
	if avail := r.end - off; int64(len(p)) > avail {
		p = p[:avail]
	}
	total := 0
	for len(p) > 0 {
		i := int(off % int64(len(r.buf)))
		n := copy(p, r.buf[i:])
		p = p[n:]
		off += int64(n)
		total += n
	}
	return total
}

// clear forgets every byte held; offsets keep growing.
func (r *byteRing) clear() { r.base = r.end }

// pcmRing is a FIFO of 16-bit stereo samples. It does no locking.
type pcmRing struct {
	buf  [][2]int16
	r, n int // read index and count, in samples
}

func newPCMRing(samples int) pcmRing { return pcmRing{buf: make([][2]int16, samples)} }

func (p *pcmRing) free() int { return len(p.buf) - p.n }

// writeLE appends up to free() samples from src, little-endian 16-bit stereo
// (4 bytes a sample), and returns how many samples it took.
func (p *pcmRing) writeLE(src []byte) int {
	want := len(src) / 4
	if f := p.free(); want > f {
		want = f
	}
	w := (p.r + p.n) % len(p.buf)
	done := 0
	for done < want {
		chunk := p.buf[w:]
		if len(chunk) > want-done {
			chunk = chunk[:want-done]
		}
		s := src[done*4 : (done+len(chunk))*4]
		for i := range chunk {
			chunk[i][0] = int16(uint16(s[4*i]) | uint16(s[4*i+1])<<8)
			chunk[i][1] = int16(uint16(s[4*i+2]) | uint16(s[4*i+3])<<8)
		}
		done += len(chunk)
		w = 0
	}
	p.n += want
	return want
}

// read converts up to len(dst) samples to float64 into dst and returns how
// many.
func (p *pcmRing) read(dst [][2]float64) int {
	want := len(dst)
	if want > p.n {
		want = p.n
	}
	done := 0
	for done < want {
		chunk := p.buf[p.r:]
		if len(chunk) > want-done {
			chunk = chunk[:want-done]
		}
		d := dst[done : done+len(chunk)]
		for i, s := range chunk {
			d[i][0] = float64(s[0]) * (1.0 / 32768)
			d[i][1] = float64(s[1]) * (1.0 / 32768)
		}
		done += len(chunk)
		p.r = (p.r + len(chunk)) % len(p.buf)
	}
	p.n -= want
	return want
}

func (p *pcmRing) reset() { p.r, p.n = 0, 0 }

// ringReader is the non-seeking io.Reader go-mp3 decodes from: the bytes of
// one segment in the ring, from cur. It blocks while the fetcher has not
// delivered them yet.
type ringReader struct {
	t   *TrackStream
	gen uint64
	seg *segment
	cur int64
}

var errAbort = errors.New("decoder restarted")

func (r *ringReader) Read(p []byte) (int, error) {
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if t.closed || t.job.gen != r.gen {
			return 0, errAbort
		}
		if r.cur < t.ring.base {
			return 0, errAbort // overwritten: cannot happen with the fetcher's limits
		}
		limit := t.ring.end
		if r.seg.done && r.seg.end < limit {
			limit = r.seg.end
		}
		if r.cur < limit {
			q := p
			if int64(len(q)) > limit-r.cur {
				q = q[:limit-r.cur]
			}
			n := t.ring.readAt(q, r.cur)
			r.cur += int64(n)
			t.decCur = r.cur
			t.aheadB.Store(t.ring.end - t.decCur)
			if t.fetchWait && t.ring.end-t.decCur < int64(t.o.ReadAhead)-int64(len(t.netBuf)) {
				t.cond.Broadcast()
			}
			return n, nil
		}
		if r.seg.done {
			return 0, io.EOF
		}
		t.decWait = true
		t.cond.Wait()
		t.decWait = false
	}
}
