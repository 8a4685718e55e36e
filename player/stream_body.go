package player

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// readBody streams a response into the ring as a new segment. progress says
// whether a good amount of audio arrived.
func (t *TrackStream) readBody(ctx context.Context, cancel func(), gen uint64, req fetchReq, resp *http.Response) (progress bool, err error) {
	defer func() { _ = resp.Body.Close() }()
	seg := t.beginSegment(gen, req, resp.ContentLength)
	if seg == nil {
		return false, errStale
	}
	t.setConn(true, false)
	got, rerr, stalled := t.copyBody(gen, resp.Body, cancel)
	if rerr == errStale {
		return false, errStale
	}
	clean := rerr == io.EOF && (seg.cl < 0 || got >= seg.cl)
	switch {
	case clean:
	case stalled:
		err = errStalled
	case ctx.Err() != nil:
		err = ctx.Err()
	case rerr == io.EOF:
		err = errShort
	default:
		err = fmt.Errorf("reading the stream: %w", scrubURLError(rerr))
	}
	if err = t.endSegment(seg, gen, err); err == errStale {
		return false, err
	}
	return got >= 64<<10, err
}

// beginSegment starts a segment for a response to req (nil: the request is
// stale).
func (t *TrackStream) beginSegment(gen uint64, req fetchReq, contentLength int64) *segment {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.fetchGen != gen {
		return nil
	}
	seg := &segment{id: t.nextSegID, startSec: req.sec, start: t.ring.end, cl: contentLength, probe: req.probe, probeFrom: t.endP}
	t.nextSegID++
	t.bodyOpen.Store(true)
	t.segs = append(t.segs, seg)
	t.ix = indexer{seg: seg, off: seg.start, buf: t.ix.buf[:0]}
	t.cond.Broadcast()
	return seg
}

// copyBody reads body into the ring until it ends or fails. No byte for
// StallTimeout (while there is room in the ring) cancels the request:
// stalled. rerr is the read's error (io.EOF at the end), or errStale.
func (t *TrackStream) copyBody(gen uint64, body io.Reader, cancel func()) (got int64, rerr error, stalled bool) {
	var stall atomic.Bool
	timer := time.AfterFunc(t.o.StallTimeout, func() { stall.Store(true); cancel() })
	defer timer.Stop()
	lastDur := t.durNS.Load()
	var meter rateMeter
	for {
		var n int
		began := time.Now()
		n, rerr = body.Read(t.netBuf)
		if measured, slow := meter.add(n, time.Since(began), t.o.SlowAfter, t.byteRate.Load()); measured && slow && !t.slow.Swap(true) {
			t.log.Info("the stream arrives slower than its bitrate", "file", t.fileID)
			t.changed()
		}
		if n > 0 {
			timer.Reset(t.o.StallTimeout)
			got += int64(n)
			if !t.store(gen, t.netBuf[:n], timer) {
				return got, errStale, false
			}
			t.unstarve()
			if d := t.durNS.Load(); d != lastDur {
				lastDur = d
				t.changed()
			}
		}
		if rerr != nil {
			return got, rerr, stall.Load()
		}
	}
}

// endSegment closes seg after its body ended: clean (err nil) unless it
// stopped short of the known length without a Content-Length. It returns
// the error for the segment, or errStale.
func (t *TrackStream) endSegment(seg *segment, gen uint64, err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.fetchGen != gen {
		return errStale
	}
	lastDur := t.durNS.Load()
	clean := err == nil
	t.indexFeed(nil, clean)
	seg.done = true
	seg.end = t.ring.end
	t.bodyOpen.Store(false)
	switch {
	case clean && seg.probe && (!seg.based || seg.nextP <= seg.probeFrom+2*1152):
		// Asked past the end of what arrived, pCloud had no more audio:
		// that was the end of the track.
		if !t.trackInfo && t.exactP == 0 {
			t.exactP = max(seg.probeFrom, seg.nextP)
			t.updateDuration()
		}
	case clean && t.unconfirmedEnd(seg):
		clean, err = false, errUnconfirmed
	}
	if !clean && seg.frames > 0 {
		seg.end = seg.lastEnd
	}
	seg.complete = clean
	if clean {
		t.downloaded.Store(true)
		if seg.startSec == 0 && !t.trackInfo && seg.based && t.exactP == 0 {
			t.exactP = seg.nextP
			t.updateDuration()
		}
	}
	t.cond.Broadcast()
	if d := t.durNS.Load(); d != lastDur {
		defer t.changed()
	}
	return err
}

// store writes body bytes into the ring, waiting while the read-ahead is
// full (the stall timer is stopped meanwhile). false: the request is stale.
func (t *TrackStream) store(gen uint64, p []byte, timer *time.Timer) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(p) > 0 {
		if t.closed || t.fetchGen != gen {
			return false
		}
		room := int64(t.o.ReadAhead) - (t.ring.end - t.decCur)
		if room <= 0 {
			timer.Stop()
			t.ringFull() // as much is buffered as will be: play it
			t.fetchWait = true
			t.cond.Wait()
			t.fetchWait = false
			timer.Reset(t.o.StallTimeout)
			continue
		}
		k := int(min(room, int64(len(p))))
		t.ring.write(p[:k])
		t.bytesIn += int64(k)
		t.aheadB.Store(t.ring.end - t.decCur)
		t.indexFeed(p[:k], false)
		p = p[k:]
		t.idx.dropBefore(t.ring.base)
		for len(t.segs) > 1 && t.segs[0].done && t.segs[0].end <= t.ring.base {
			t.segs = t.segs[1:]
		}
		if t.decWait {
			t.cond.Broadcast()
		}
	}
	return true
}

// unconfirmedEnd reports whether a body that ended cleanly may not be the
// end of the track: it stopped short of the length the Xing/LAME tag gives,
// or nothing gave a length (no tag, no Content-Length). A re-request at the
// current second (a probe) then tells. Under t.mu.
func (t *TrackStream) unconfirmedEnd(seg *segment) bool {
	if !seg.based {
		return false // no audio at all: nothing to continue
	}
	if t.totalP > 0 {
		return seg.nextP+2*1152 < t.totalP
	}
	return seg.cl < 0
}
