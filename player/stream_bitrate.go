package player

import "time"

// SetBitrate makes the rest of the track come at kbps without losing what
// is buffered: the request in flight ends where its last whole frame
// arrived, everything received plays on, and the stream goes on from
// there (a few frames earlier, as any resume) with a link at the new
// bitrate. A track that is all downloaded only keeps the bitrate for a
// later seek beyond what it holds. Slow is measured afresh.
func (t *TrackStream) SetBitrate(kbps int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.o.Bitrate == kbps {
		return
	}
	t.o.Bitrate = kbps
	t.haveLink = false
	t.slow.Store(false)
	if t.reqCancel != nil {
		t.switching = true
		t.reqCancel()
		t.reqCancel = nil
	}
}

// bitrate is the bitrate to ask getaudiolink for now.
func (t *TrackStream) bitrate() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.o.Bitrate
}

// switchedLocked follows up a request that SetBitrate ended: the next one
// resumes at once where the received audio ends, at the new bitrate. It
// is no fault of the network's: nothing is counted against the retries.
// Under t.mu.
func (t *TrackStream) switchedLocked(req fetchReq) {
	t.attempts, t.expSince = 0, time.Time{}
	t.next = &fetchReq{sec: t.resumeSecLocked(req), resume: true, probe: req.probe}
	t.nextAt = time.Now()
}
