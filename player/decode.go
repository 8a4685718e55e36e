package player

import (
	"errors"
	"fmt"
	"io"
	"time"

	mp3 "github.com/hajimehoshi/go-mp3"
)

// decJob tells the decoder where to (re)start. A new job (a new gen) aborts
// the one running.
type decJob struct {
	gen      uint64
	seg      int           // segment id to start in
	from     int64         // start at its first frame at or after this ring offset (-1: its first frame)
	discardT time.Duration // drop output before this time (when discardP is not set)
	discardP int64         // drop output before this track sample
	hasP     bool          // discardP is set
}

// errNoAudio: the body had no mp3 frame that decoded.
var errNoAudio = errors.New("the stream has no playable mp3 audio")

type startResult int

const (
	startFound startResult = iota
	startExhausted
	startFailed
	startAbort
)

// decodeLoop runs go-mp3 over the byte ring and fills the PCM ring.
func (t *TrackStream) decodeLoop() {
	defer t.wg.Done()
	var last uint64
	for {
		t.mu.Lock()
		for !t.closed && t.job.gen == last {
			t.decWait = true
			t.cond.Wait()
			t.decWait = false
		}
		if t.closed {
			t.mu.Unlock()
			return
		}
		job := t.job
		last = job.gen
		t.mu.Unlock()
		t.runJob(job)
	}
}

func (t *TrackStream) runJob(job decJob) {
	segID, from := job.seg, job.from
	discard, haveDiscard := job.discardP, job.hasP
	var p int64 // the track sample after the last decoded frame
	pOK := false
	for {
		seg, e, st, err := t.waitStart(job.gen, segID, from)
		switch st {
		case startAbort:
			return
		case startFailed:
			t.finish(job.gen, err)
			return
		case startExhausted:
			if seg.complete {
				t.finish(job.gen, nil)
				return
			}
			segID, from = seg.id+1, -1
			continue
		}
		if !haveDiscard {
			discard, haveDiscard = durSamples(job.discardT, t.rate.Load()), true
		}
		if pOK && p > discard {
			discard = p
		}
		if e.first && e.mdb > 0 && seg.startSec > 0 {
			// A stream cut out of the middle of a file: the first frame's
			// bit reservoir is in bytes we do not have.
			discard = max(discard, e.p+int64(e.n))
		}
		res, lastP, errAt := t.decodeFrom(job.gen, seg, e, discard)
		if lastP > p || !pOK {
			p, pOK = lastP, true
		}
		switch res {
		case decAbort:
			return
		case decEOF:
			if seg.complete {
				t.finish(job.gen, nil)
				return
			}
			segID, from = seg.id+1, -1
		case decError:
			// Garbage: resync to the next frame the index knows.
			from = max(errAt, e.off+1)
		}
	}
}

// waitStart waits for a frame to start decoding at.
func (t *TrackStream) waitStart(gen uint64, segID int, from int64) (*segment, frameEnt, startResult, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if t.closed || t.job.gen != gen {
			return nil, frameEnt{}, startAbort, nil
		}
		var seg *segment
		for _, s := range t.segs {
			if s.id == segID {
				seg = s
			}
		}
		if seg != nil {
			if e, ok := t.idx.firstAt(segID, from); ok {
				return seg, e, startFound, nil
			}
			if seg.done {
				return seg, frameEnt{}, startExhausted, nil
			}
		} else if t.fetchErr != nil {
			return nil, frameEnt{}, startFailed, t.fetchErr
		}
		t.decWait = true
		t.cond.Wait()
		t.decWait = false
	}
}

// finish marks the decoding of job gen as complete.
func (t *TrackStream) finish(gen uint64, err error) {
	t.mu.Lock()
	junk := t.bytesIn >= 4096 // an empty body (start= past the end) just ends
	t.mu.Unlock()
	t.pmu.Lock()
	if err == nil && !t.gotPCM && junk {
		err = errNoAudio
	}
	if t.pcmGen == gen {
		t.decDone = true
		t.finalErr = err
		t.starved = false
	}
	t.pmu.Unlock()
	t.markReady()
	t.notify()
}

type decResult int

const (
	decEOF decResult = iota
	decAbort
	decError
)

func newMP3(r io.Reader) (d *mp3.Decoder, err error) {
	defer func() {
		if v := recover(); v != nil {
			d, err = nil, fmt.Errorf("mp3 decoder panic: %v", v)
		}
	}()
	return mp3.NewDecoder(r)
}

func readMP3(d *mp3.Decoder, buf []byte) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			n, err = 0, fmt.Errorf("mp3 decoder panic: %v", v)
		}
	}()
	return d.Read(buf)
}

// decodeFrom decodes seg from frame e until the segment ends, the job changes
// or go-mp3 fails. It returns the track sample after the last decoded frame
// and, on a decoding error, the ring offset it failed at.
func (t *TrackStream) decodeFrom(gen uint64, seg *segment, e frameEnt, discard int64) (decResult, int64, int64) {
	rr := t.rr
	rr.gen, rr.seg, rr.cur = gen, seg, e.off
	t.mu.Lock()
	if t.job.gen != gen {
		t.mu.Unlock()
		return decAbort, e.p, 0
	}
	t.decCur = e.off
	t.mu.Unlock()
	p := e.p
	dec, err := newMP3(rr)
	if err != nil {
		return t.classify(err), p, rr.cur
	}
	for {
		n, err := readMP3(dec, t.decBuf)
		if n >= 4 {
			fp := p
			t.mu.Lock()
			if fe, ok := t.idx.endingAt(seg.id, rr.cur); ok {
				fp = fe.p
			}
			total := t.totalP
			t.mu.Unlock()
			n &^= 3
			p = fp + int64(n/4)
			if t.emit(gen, fp, t.decBuf[:n], discard, total) != nil {
				return decAbort, p, 0
			}
		}
		if err != nil {
			return t.classify(err), p, rr.cur
		}
	}
}

func (t *TrackStream) classify(err error) decResult {
	switch {
	case errors.Is(err, errAbort):
		return decAbort
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return decEOF
	}
	t.log.Debug("mp3 decoding error; resyncing", "file", t.fileID, "err", err)
	return decError
}

// emit puts the samples of one decoded frame that starts at track sample p
// into the PCM ring: those before discard, after total (when known), or
// already in the ring are dropped. It waits for room.
func (t *TrackStream) emit(gen uint64, p int64, data []byte, discard, total int64) error {
	n := int64(len(data) / 4)
	hi := p + n
	if total > 0 && hi > total {
		hi = total
	}
	t.pmu.Lock()
	if t.pcmGen != gen {
		t.pmu.Unlock()
		return errAbort
	}
	lo := max(discard, p)
	if t.pcm.n > 0 {
		lo = max(lo, t.headP+int64(t.pcm.n))
	}
	if hi <= lo {
		t.pmu.Unlock()
		return nil
	}
	data = data[(lo-p)*4 : (hi-p)*4]
	if t.pcm.n == 0 {
		t.headP = lo
	}
	for {
		k := t.pcm.writeLE(data)
		data = data[k*4:]
		t.gotPCM = t.gotPCM || k > 0
		changed := false
		if t.starved && t.fillOKLocked() {
			t.starved, t.rebuf = false, false
			changed = true
		}
		t.pmu.Unlock()
		if k > 0 {
			t.markReady()
		}
		if changed {
			t.notify()
		}
		if len(data) == 0 {
			return nil
		}
		select {
		case <-t.space:
		case <-t.ctx.Done():
			return errAbort
		}
		t.pmu.Lock()
		if t.pcmGen != gen {
			t.pmu.Unlock()
			return errAbort
		}
	}
}
