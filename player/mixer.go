package player

import (
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
)

// trackStream is what the mixer and the player's loop need of a per-track
// stream (*TrackStream). Tests substitute synthetic streams through it.
type trackStream interface {
	Stream(samples [][2]float64) (n int, ok bool)
	Err() error
	SampleRate() int
	Position() time.Duration
	Duration() time.Duration
	Seek(to time.Duration)
	Status() TrackStatus
	Downloaded() bool
	Close()
}

// openFunc opens a track stream; it must return at once.
type openFunc func(fileID uint64, start time.Duration, o StreamOptions) trackStream

func openReal(fileID uint64, start time.Duration, o StreamOptions) trackStream {
	return OpenTrack(fileID, start, o)
}

// resampleQuality is beep's Lagrange interpolation order for tracks whose rate
// differs from the output's (3–4 is beep's "good quality, on the fly").
const resampleQuality = 4

// resampleSlack is how many source samples beyond the interpolation point the
// beep resampler may pull: its window (2*quality) plus one 512-sample chunk.
const resampleSlack = 512 + 2*resampleQuality + 2

// pendCap is the capacity of a source's prefetch buffer used when resampling.
const pendCap = 8192

// source is one queue entry being played: its track stream plus, when the
// track's rate differs from the output's, a resampler fed from a small
// prefetch buffer (beep's Resampler takes a short read for the end of the
// stream, while a TrackStream returns short reads whenever it is buffering).
type source struct {
	entry uint64 // queue entry id
	track Track
	ts    trackStream

	outRate int
	srcRate int // 0 until the track knows its rate
	rs      *beep.Resampler
	pend    [][2]float64 // prefetched source samples: pend[pr:pw]
	pr, pw  int
	srcEnd  bool // the track stream returned ok=false
	ended   bool // this source returned ok=false
	pulled  int64

	closeOnce sync.Once
}

// close closes the track stream once.
func (s *source) close() { s.closeOnce.Do(s.ts.Close) }

func newSource(entry uint64, t Track, ts trackStream, outRate int) *source {
	return &source{entry: entry, track: t, ts: ts, outRate: outRate}
}

// Stream never blocks. (0, true): nothing available yet.
func (s *source) Stream(out [][2]float64) (int, bool) {
	if s.ended {
		return 0, false
	}
	if s.srcRate == 0 {
		s.srcRate = s.ts.SampleRate()
		if s.srcRate == 0 {
			// Not known before the first frame; a stream that already failed
			// or ended has none.
			if st := s.ts.Status(); st == TrackFailed || st == TrackEnded {
				s.ended = true
				return 0, false
			}
			return 0, true
		}
	}
	if s.srcRate == s.outRate || s.srcRate <= 0 {
		n, ok := s.ts.Stream(out)
		if !ok {
			s.ended = true
		}
		s.pulled += int64(n)
		return n, ok
	}
	return s.resampled(out)
}

// pendStreamer is the view the resampler reads: the prefetch buffer, with a
// short read only at the end of the track.
type pendStreamer struct{ s *source }

func (p pendStreamer) Stream(out [][2]float64) (int, bool) {
	s := p.s
	n := copy(out, s.pend[s.pr:s.pw])
	s.pr += n
	if n == 0 && s.srcEnd {
		return 0, false
	}
	return n, true
}

func (p pendStreamer) Err() error { return p.s.ts.Err() }

func (s *source) fill() {
	if s.pend == nil {
		s.pend = make([][2]float64, pendCap)
	}
	if s.pr > 0 {
		s.pw = copy(s.pend, s.pend[s.pr:s.pw])
		s.pr = 0
	}
	for !s.srcEnd && s.pw < len(s.pend) {
		n, ok := s.ts.Stream(s.pend[s.pw:])
		s.pw += n
		if !ok {
			s.srcEnd = true
		}
		if n == 0 {
			break
		}
	}
}

func (s *source) resampled(out [][2]float64) (int, bool) {
	if s.rs == nil {
		s.rs = beep.Resample(resampleQuality, beep.SampleRate(s.srcRate), beep.SampleRate(s.outRate), pendStreamer{s})
	}
	s.fill()
	want := len(out)
	if !s.srcEnd {
		ratio := float64(s.srcRate) / float64(s.outRate)
		avail := s.pw - s.pr - resampleSlack
		if avail <= 0 {
			return 0, true
		}
		if k := int(float64(avail) / ratio); k < want {
			want = k
		}
		if want <= 0 {
			return 0, true
		}
	}
	n, ok := s.rs.Stream(out[:want])
	s.pulled += int64(n)
	if !ok || (s.srcEnd && n < want) {
		s.ended = true
		return n, false
	}
	return n, true
}

// pending is how much decoded audio the source holds that the track stream
// already counted as played.
func (s *source) pending() time.Duration {
	if s.srcRate <= 0 || s.pw <= s.pr {
		return 0
	}
	return time.Duration(s.pw-s.pr) * time.Second / time.Duration(s.srcRate)
}

// flush drops prefetched audio (after a seek).
func (s *source) flush() {
	s.pr, s.pw = 0, 0
	s.rs = nil
	s.srcEnd = false
	s.ended = false
}

// mixer is the one streamer an Output pulls. It never ends: with nothing to
// play, or while paused or buffering, it gives silence. When the current
// source ends, the same Stream call continues with the next one (gapless).
type mixer struct {
	mu     sync.Mutex
	cur    *source
	next   *source
	paused bool
	gain   float64
	// fade is the sleep timer's factor on gain (1: none); faded the one
	// the last pull ended at: a pull ramps from faded to fade.
	fade, faded float64
	starved     int64  // silent samples padded in underruns (after a source's first PCM)
	cut         bool   // a cut not yet pulled (see cutLocked)
	onCut       func() // called at a cut (see notifyCut)

	ended chan *source  // sources that ran out, for the loop to close
	wake  chan struct{} // pokes the loop
}

func newMixer(wake chan struct{}) *mixer {
	return &mixer{gain: 1, fade: 1, faded: 1, ended: make(chan *source, 16), wake: wake}
}

// Stream implements beep.Streamer: pull, padded with silence.
func (m *mixer) Stream(samples [][2]float64) (int, bool) {
	n, _, _ := m.pull(samples)
	clear(samples[n:])
	return len(samples), true
}

// pull fills samples[:n] with the audio there is (none while paused,
// stopped or buffering) and leaves the rest alone. cut reports a cut since
// the previous pull (these samples follow it); idle that there is no track
// to play.
func (m *mixer) pull(samples [][2]float64) (n int, cut, idle bool) {
	m.mu.Lock()
	cut, m.cut = m.cut, false
	filled := 0
	poke := false
	if !m.paused {
		for filled < len(samples) && m.cur != nil {
			n, ok := m.cur.Stream(samples[filled:])
			filled += n
			if !ok {
				done := m.cur
				m.cur, m.next = m.next, nil
				select {
				case m.ended <- done:
				default:
					// The loop is far behind; it finds the source gone
					// and closes its track when it catches up.
				}
				poke = true
				continue
			}
			if n == 0 {
				if m.cur.pulled > 0 { // an underrun, not the wait for the first PCM
					m.starved += int64(len(samples) - filled)
				}
				break
			}
		}
		g := m.gain
		switch {
		case m.fade != 1 || m.faded != 1:
			m.rampLocked(samples[:filled], g)
		case g != 1:
			for i := range samples[:filled] {
				samples[i][0] *= g
				samples[i][1] *= g
			}
		}
	}
	idle = m.cur == nil
	m.mu.Unlock()
	if poke {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
	return filled, cut, idle
}

// rampLocked applies gain g and the fade to samples, ramping the fade
// from where the last pull left it to its target. Under m.mu.
func (m *mixer) rampLocked(samples [][2]float64, g float64) {
	if len(samples) == 0 {
		return
	}
	from, to := m.faded, m.fade
	step := (to - from) / float64(len(samples))
	for i := range samples {
		f := g * (from + step*float64(i+1))
		samples[i][0] *= f
		samples[i][1] *= f
	}
	m.faded = to
}

// cutLocked marks a cut: the audio the mixer was giving stops here (a
// seek, a skip, a stop), so an output that holds a buffer of it drops the
// buffer instead of playing it out (see cutter). Called before the current
// source is replaced or seeked; nothing when none plays (the output then
// holds the end of a track, to be heard). Under m.mu.
func (m *mixer) cutLocked() {
	if m.cur == nil {
		return
	}
	m.cut = true
	if m.onCut != nil {
		m.onCut()
	}
}

// cutPending reports a cut not yet pulled.
func (m *mixer) cutPending() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cut
}

// notifyCut has f called (under m.mu: it must not block) at each cut.
func (m *mixer) notifyCut(f func()) {
	m.mu.Lock()
	m.onCut = f
	m.mu.Unlock()
}

// take returns the current source and the sources that ran out since the
// last take, read together (Stream moves on and sends to ended under m.mu).
func (m *mixer) take() (cur *source, ended []*source) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for {
		select {
		case s := <-m.ended:
			ended = append(ended, s)
		default:
			return m.cur, ended
		}
	}
}

// Err implements beep.Streamer.
func (m *mixer) Err() error { return nil }

// cutter is what an output that holds a buffer (the speaker) needs of the
// mixer beyond beep.Streamer: the audio without padding, and the cuts.
type cutter interface {
	pull(samples [][2]float64) (n int, cut, idle bool)
	cutPending() bool
	notifyCut(f func())
}

var (
	_ beep.Streamer = (*mixer)(nil)
	_ cutter        = (*mixer)(nil)
)
