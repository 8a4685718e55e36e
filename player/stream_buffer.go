package player

import "time"

// Rebuffering with hysteresis, and the measure of a link slower than the
// bitrate. After an underrun (the buffer ran dry while playing) the stream
// stays Buffering until RebufferAhead of audio is buffered, or the body
// ended, instead of playing each bit of audio as it arrives (dozens of
// dropouts a second on a link just below the bitrate).

// fillOKLocked reports whether a starved stream may play again. Under pmu.
func (t *TrackStream) fillOKLocked() bool {
	if t.pcm.n < minFill && t.pcm.free() != 0 {
		return false
	}
	if !t.rebuf || !t.bodyOpen.Load() {
		return true // nothing more is on its way now: play what there is
	}
	br := t.byteRate.Load()
	if br <= 0 {
		return true
	}
	want := int64(t.o.RebufferAhead.Seconds() * float64(br))
	want = min(want, int64(t.o.ReadAhead)/2)
	return t.aheadB.Load() >= want
}

// unstarve ends a starved state when the fill allows; the fetcher calls it
// as bytes arrive and when a body ends. Not under pmu.
func (t *TrackStream) unstarve() {
	t.pmu.Lock()
	changed := false
	if t.starved && t.rebuf && t.fillOKLocked() {
		t.starved, t.rebuf = false, false
		changed = true
	}
	t.pmu.Unlock()
	if changed {
		t.notify()
	}
}

// ringFull ends a rebuffering when the fetcher waits for room in the ring:
// no more will be buffered. Under t.mu (then pmu); Stream reports the
// change of status.
func (t *TrackStream) ringFull() {
	t.pmu.Lock()
	if t.starved && t.rebuf && (t.pcm.n >= minFill || t.pcm.free() == 0) {
		t.starved, t.rebuf = false, false
	}
	t.pmu.Unlock()
}

// Slow reports whether the stream arrived slower than its bitrate for
// SlowAfter of receiving: a lower bitrate would play without pauses.
func (t *TrackStream) Slow() bool { return t.slow.Load() }

// rateMeter measures the throughput of a body while it is being received
// (time spent waiting for room in the ring is not counted).
type rateMeter struct {
	bytes int64
	busy  time.Duration
}

// add counts n bytes received in d; it returns true once a window of
// SlowAfter is measured, and then whether it was below the bitrate.
func (m *rateMeter) add(n int, d time.Duration, window time.Duration, byteRate int64) (measured, slow bool) {
	m.bytes += int64(n)
	m.busy += d
	if m.busy < window {
		return false, false
	}
	got := float64(m.bytes) / m.busy.Seconds()
	m.bytes, m.busy = 0, 0
	return true, byteRate > 0 && got < 0.97*float64(byteRate)
}
