package player

import (
	"time"
)

// Seek moves the play point to `to` without blocking. Inside the buffered
// window the decoder restarts from memory and lands on the exact sample;
// beyond it a new request starts at the whole second (Position is that
// second). Seeks beyond the window in quick succession make one request.
func (t *TrackStream) Seek(to time.Duration) {
	if to < 0 {
		to = 0
	}
	if d := t.Duration(); d > 0 && to > d {
		to = d
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.pmu.Lock()
	finished := t.finished
	t.pmu.Unlock()
	if finished {
		t.mu.Unlock()
		return
	}
	rate := t.rate.Load()
	var job decJob
	local := false
	var targetP int64
	if rate > 0 {
		targetP = durSamples(to, rate)
		if t.totalP > 0 && targetP > t.totalP {
			targetP = t.totalP
		}
		if seg, from, ok := t.findLocal(targetP); ok {
			local = true
			job = decJob{seg: seg, from: from, discardP: targetP, hasP: true}
			t.decCur = from
		}
	}
	t.job.gen++
	gen := t.job.gen
	if !local {
		job, to, targetP = t.refetchLocked(to, rate)
	}
	job.gen = gen
	t.job = job
	t.cond.Broadcast()
	t.pmu.Lock()
	t.pcmGen = gen
	t.pcm.reset()
	t.decDone = false
	t.finalErr = nil
	t.starved, t.rebuf, t.played = true, false, false
	t.headP = targetP
	t.posOver, t.posOverOK = to, !local
	if !local {
		t.connected, t.recon = false, false
	}
	t.pmu.Unlock()
	t.mu.Unlock()
	t.wake()
	t.notify()
}

// refetchLocked drops the buffered audio and asks for a request at the
// whole second of to (after the seek debounce). It returns the decoder's
// job for that request's segment, the second as a time and its first
// sample. Under t.mu.
func (t *TrackStream) refetchLocked(to time.Duration, rate int64) (decJob, time.Duration, int64) {
	sec := int(to / time.Second)
	to = time.Duration(sec) * time.Second
	t.fetchGen++
	if t.reqCancel != nil {
		t.reqCancel()
		t.reqCancel = nil
	}
	t.switching = false // the new request is at the new bitrate anyway
	t.ring.clear()
	t.segs = nil
	t.idx.clear()
	t.ix = indexer{buf: t.ix.buf[:0]}
	t.chainOK = false
	t.decCur = t.ring.end
	t.next = &fetchReq{sec: sec}
	t.nextAt = time.Now().Add(t.o.debounce)
	t.attempts = 0
	t.expSince = time.Time{}
	t.endP = 0
	t.bodyOpen.Store(false)
	t.aheadB.Store(0)
	t.fetchErr = nil
	t.downloaded.Store(false)
	return decJob{seg: t.nextSegID, from: -1, discardT: to}, to, int64(sec) * rate
}

// prerollBytes: a restart begins this many bytes of frames before the
// target frame's predecessor, so that the bit reservoir (up to 511 bytes)
// and the filterbank's overlap are right when the target frame plays.
const prerollBytes = 600

// findLocal finds where to restart the decoder to play track sample p from
// the ring. Call with t.mu held.
func (t *TrackStream) findLocal(p int64) (seg int, from int64, ok bool) {
	a := t.idx.all()
	i := -1
	for k := range a {
		if a[k].p <= p && p < a[k].p+int64(a[k].n) {
			i = k
			break
		}
	}
	if i < 0 {
		return 0, 0, false
	}
	j := i
	for {
		if a[j].first {
			break // the start of a stream: no earlier data is needed
		}
		if j < i-1 && a[i-1].off-a[j].off >= prerollBytes {
			break
		}
		if j == 0 || a[j-1].seg != a[i].seg || a[j-1].off < t.ring.base {
			return 0, 0, false // not enough history in memory
		}
		j--
	}
	return int(a[i].seg), a[j].off, true
}
