package player

import (
	"math"
	"time"
)

// Stream copies decoded PCM (float64 stereo at SampleRate) into samples. It is
// meant for the audio callback: it never blocks on I/O and does not allocate.
// When nothing is decoded yet but the track is not over it returns (0, true)
// (the caller pads silence); it may also return fewer samples than asked.
// ok is false once every sample has been delivered or the track failed.
func (t *TrackStream) Stream(samples [][2]float64) (n int, ok bool) {
	t.pmu.Lock()
	if t.finished {
		t.pmu.Unlock()
		return 0, false
	}
	if t.rebuf && t.starved {
		if !t.fillOKLocked() {
			t.pmu.Unlock()
			return 0, true // rebuffering: silence until seconds are buffered
		}
		t.starved, t.rebuf = false, false
	}
	n = t.pcm.read(samples)
	t.headP += int64(n)
	if n > 0 {
		t.posOverOK = false
		t.played = true
	}
	ok = true
	if n < len(samples) {
		if t.decDone {
			if n == 0 {
				t.finished = true
				ok = false
			}
		} else {
			if t.played {
				t.rebuf = true // an underrun: buffer some seconds first
			}
			t.starved = true
		}
	}
	refill := n > 0 && t.pcm.free() >= refillAt
	t.pmu.Unlock()
	if refill {
		select {
		case t.space <- struct{}{}:
		default:
		}
	}
	t.notify()
	return n, ok
}

// Err is nil, or the error that ended the track.
func (t *TrackStream) Err() error {
	t.pmu.Lock()
	defer t.pmu.Unlock()
	return t.finalErr
}

// SampleRate is the track's native rate; 0 until known.
func (t *TrackStream) SampleRate() int { return int(t.rate.Load()) }

// Ready is closed when the first PCM is decoded, or the track failed or
// ended without any.
func (t *TrackStream) Ready() <-chan struct{} { return t.ready }

// Position is the time of the next sample Stream will return. After a Seek it
// is the seek's target at once.
func (t *TrackStream) Position() time.Duration {
	t.pmu.Lock()
	defer t.pmu.Unlock()
	return t.positionLocked()
}

func (t *TrackStream) positionLocked() time.Duration {
	r := t.rate.Load()
	if t.posOverOK || r == 0 {
		return t.posOver
	}
	return sampleDur(t.headP, r)
}

func sampleDur(p, rate int64) time.Duration {
	if p <= 0 || rate <= 0 {
		return 0
	}
	return time.Duration(p/rate)*time.Second + time.Duration(p%rate)*time.Second/time.Duration(rate)
}

func durSamples(d time.Duration, rate int64) int64 {
	if d <= 0 {
		return 0
	}
	return int64(math.Round(d.Seconds() * float64(rate)))
}

// Duration is the track's length; 0 when unknown.
func (t *TrackStream) Duration() time.Duration { return time.Duration(t.durNS.Load()) }

// Status is what the stream is doing.
func (t *TrackStream) Status() TrackStatus {
	t.pmu.Lock()
	defer t.pmu.Unlock()
	return t.statusLocked()
}

func (t *TrackStream) statusLocked() TrackStatus {
	switch {
	case t.finished || (t.decDone && t.pcm.n == 0):
		if t.finalErr != nil {
			return TrackFailed
		}
		return TrackEnded
	case t.waiting:
		return TrackWaiting
	case t.recon:
		return TrackReconnecting
	case !t.starved:
		return TrackPlaying
	case t.connected:
		return TrackBuffering
	}
	return TrackConnecting
}

// notify calls OnChange when the status changed. Never call it under a lock.
func (t *TrackStream) notify() {
	s := t.Status()
	if TrackStatus(t.lastStatus.Swap(int32(s))) != s {
		t.changed()
	}
}

func (t *TrackStream) changed() {
	if t.o.OnChange != nil {
		t.o.OnChange()
	}
}

// Downloaded reports whether the body has arrived up to the end of the track
// (the player may then open the next one).
func (t *TrackStream) Downloaded() bool { return t.downloaded.Load() }
