package player

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// fakeTrack is a synthetic trackStream: sample i of the track has the value
// val(i) on both channels, so tests can tell exactly which samples played.
type fakeTrack struct {
	mu       sync.Mutex
	id       uint64
	rate     int
	total    int // samples in the track
	pos      int // next sample
	readyIn  int // Stream calls returning (0,true) before data flows
	failAt   int // >0: fail when pos reaches it
	err      error
	status   TrackStatus
	closed   bool
	seeks    int
	val      func(i int) float64
	onChange func()
}

func (f *fakeTrack) Stream(s [][2]float64) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || f.status == TrackFailed || f.status == TrackEnded {
		return 0, false
	}
	if f.readyIn > 0 {
		f.readyIn--
		f.status = TrackBuffering
		return 0, true
	}
	f.status = TrackPlaying
	n := 0
	for n < len(s) && f.pos < f.total {
		if f.failAt > 0 && f.pos >= f.failAt {
			f.status = TrackFailed
			f.err = errors.New("the connection broke for good")
			go f.changed()
			return n, n > 0
		}
		v := f.val(f.pos)
		s[n] = [2]float64{v, v}
		n++
		f.pos++
	}
	if f.pos >= f.total && n < len(s) {
		f.status = TrackEnded
		return n, false
	}
	return n, true
}

func (f *fakeTrack) changed() {
	if f.onChange != nil {
		f.onChange()
	}
}

func (f *fakeTrack) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}
func (f *fakeTrack) SampleRate() int { return f.rate }
func (f *fakeTrack) Position() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Duration(f.pos) * time.Second / time.Duration(f.rate)
}
func (f *fakeTrack) Duration() time.Duration {
	return time.Duration(f.total) * time.Second / time.Duration(f.rate)
}
func (f *fakeTrack) Seek(to time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seeks++
	f.pos = min(f.total, int(to*time.Duration(f.rate)/time.Second))
}
func (f *fakeTrack) Status() TrackStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}
func (f *fakeTrack) Downloaded() bool { return false }
func (f *fakeTrack) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
}

// fakeLib opens fakeTracks described by file id.
type fakeLib struct {
	mu     sync.Mutex
	tracks map[uint64]func() *fakeTrack
	opened []*fakeTrack
	starts []time.Duration
}

func (l *fakeLib) open(id uint64, start time.Duration, o StreamOptions) trackStream {
	l.mu.Lock()
	defer l.mu.Unlock()
	mk, ok := l.tracks[id]
	var f *fakeTrack
	if !ok {
		f = &fakeTrack{id: id, rate: 44100, status: TrackFailed, err: errors.New("no such file"), val: func(int) float64 { return 0 }}
	} else {
		f = mk()
		f.id = id
	}
	f.onChange = o.OnChange
	f.pos = int(start * time.Duration(f.rate) / time.Second)
	l.opened = append(l.opened, f)
	l.starts = append(l.starts, start)
	return f
}

func (l *fakeLib) openedIDs() []uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make([]uint64, len(l.opened))
	for i, f := range l.opened {
		ids[i] = f.id
	}
	return ids
}

type noLinks struct{}

func (noLinks) AudioLink(context.Context, uint64, int) (Link, error) {
	return Link{}, errors.New("not used")
}

// tone is a sine whose frequency tells the second: 440 Hz + 110 Hz per second.
func tone(rate int) func(int) float64 {
	return func(i int) float64 {
		sec := i / rate
		f := 440 + 110*float64(sec%8)
		return 0.5 * math.Sin(2*math.Pi*f*float64(i)/float64(rate))
	}
}

func toneFreq(sec int) float64 { return 440 + 110*float64(sec%8) }

// counter encodes the track id and the sample index exactly.
func counter(track int) func(int) float64 {
	return func(i int) float64 { return float64(track)/16 + float64(i)/(1<<26) }
}

// goertzel is the power of frequency f in x (mono) at rate.
func goertzel(x []float64, rate int, f float64) float64 {
	w := 2 * math.Pi * f / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s0 := v + c*s1 - s2
		s2, s1 = s1, s0
	}
	return s1*s1 + s2*s2 - c*s1*s2
}

// dominant is the frequency among candidates with the most power.
func dominant(x []float64, rate int, candidates []float64) float64 {
	best, bf := -1.0, 0.0
	for _, f := range candidates {
		if p := goertzel(x, rate, f); p > best {
			best, bf = p, f
		}
	}
	return bf
}

func mono(s [][2]float64) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = (v[0] + v[1]) / 2
	}
	return out
}

type countStreamer struct{ n atomic.Int64 }

func (c *countStreamer) Stream(s [][2]float64) (int, bool) {
	c.n.Add(int64(len(s)))
	return len(s), true
}
func (c *countStreamer) Err() error { return nil }
