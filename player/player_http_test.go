package player

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/audiotest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// countingTrack records the samples a track stream gave the mixer (as mono),
// and where in them the last Seek happened.
type countingTrack struct {
	trackStream
	mu   sync.Mutex
	n    int
	mono []float64
	seek int
}

func (c *countingTrack) Stream(s [][2]float64) (int, bool) {
	n, ok := c.trackStream.Stream(s)
	c.mu.Lock()
	c.n += n
	for _, v := range s[:n] {
		c.mono = append(c.mono, (v[0]+v[1])/2)
	}
	c.mu.Unlock()
	return n, ok
}

func (c *countingTrack) Seek(to time.Duration) {
	c.mu.Lock()
	c.seek = len(c.mono)
	c.mu.Unlock()
	c.trackStream.Seek(to)
}

// played is what the track gave the mixer, from its last seek on.
func (c *countingTrack) played() []float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.mono[c.seek:])
}

// seconds lists the seconds of fixture that any opened track played.
func (r *httpRig) seconds(fixture string) []int {
	r.mu.Lock()
	opened := slices.Clone(r.opened)
	r.mu.Unlock()
	var out []int
	for _, c := range opened {
		out = append(out, seconds(c.played(), fixture)...)
	}
	return out
}

func (r *httpRig) track(i int) *countingTrack {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opened[i]
}

func (c *countingTrack) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

type httpRig struct {
	env    *trackEnv
	out    *capture
	p      *Player
	mu     sync.Mutex
	opened []*countingTrack
}

// newHTTPRig is a Player on the real TrackStream against the fake pCloud
// over HTTP, with a capture output pulling at speed× real time.
func newHTTPRig(t *testing.T, speed float64, names ...string) *httpRig {
	t.Helper()
	files := []*pcloudtest.Node{pcloudtest.OtherFile("notes.txt", 0, 1234)}
	for _, n := range names {
		files = append(files, pcloudtest.AudioFile(n+".mp3", map[int][]byte{128: fixtures.Get(n).Data()}, pcloudtest.Tags{}))
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: "secret"}},
		Root:     pcloudtest.Dir("", pcloudtest.Dir("Music", files...)),
	})
	t.Cleanup(srv.Close)
	r := &httpRig{env: newTrackEnvFor(t, srv), out: newCapture(44100, speed)}
	open := func(id uint64, start time.Duration, o StreamOptions) trackStream {
		c := &countingTrack{trackStream: OpenTrack(id, start, o)}
		r.mu.Lock()
		r.opened = append(r.opened, c)
		r.mu.Unlock()
		return c
	}
	o := r.env.opts()
	p, err := newPlayer(Config{Links: r.env.links, Output: r.out, Volume: 100, Bitrate: 128, Stream: o}, open)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	r.p = p
	return r
}

func (r *httpRig) tracks(names ...string) []Track {
	ts := make([]Track, len(names))
	for i, n := range names {
		ts[i] = Track{FileID: r.env.id(n), Name: n + ".mp3"}
	}
	return ts
}

// heard is the capture from its first sound on, as mono.
func heard(out *capture) []float64 {
	m := audiotest.MonoFromFloat32Stereo(nil)
	for _, s := range out.Samples() {
		m = append(m, (s[0]+s[1])/2)
	}
	first := slices.IndexFunc(m, func(v float64) bool { return v > 1e-3 || v < -1e-3 })
	if first < 0 {
		return nil
	}
	return m[first:]
}

// sounding drops the exact zeros the mixer pads with while a track buffers
// (an underrun on a slow or -race build), keeping the decoded audio.
func sounding(h []float64) []float64 {
	return slices.DeleteFunc(slices.Clone(h), func(v float64) bool { return v == 0 })
}

// starved is how many silent samples the mixer padded while a track had no
// PCM ready.
func (r *httpRig) starved() int64 {
	r.p.mix.mu.Lock()
	defer r.p.mix.mu.Unlock()
	return r.p.mix.starved
}

// seconds lists the fixture seconds heard, in order, without repeats.
func seconds(samples []float64, fixture string) []int {
	var out []int
	for _, pt := range audiotest.Timeline(samples, 44100, 0.1, 0.05) {
		if pt.Silent || pt.Fixture == "" || (fixture != "" && pt.Fixture != fixture) {
			continue
		}
		// A window across a change of tone (or the onset) measures a
		// frequency between two tones: not a second of its own.
		if f := fixtures.Get(pt.Fixture).FreqAt(pt.Second); pt.Freq < f-2 || pt.Freq > f+2 {
			continue
		}
		if len(out) == 0 || out[len(out)-1] != pt.Second {
			out = append(out, pt.Second)
		}
	}
	return out
}

func TestHTTPPlaysFromStartAtRealPace(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 1, "a128")
		r.p.PlayNow(r.tracks("a128"))
		// (Len first: heard copies the capture, and in a bubble every look
		// costs real time while the clock stands.)
		poll.Until(t, "3.3 s of sound", func() bool { return r.out.Len() > 3*44100+44100/3 && len(heard(r.out)) > 3*44100+44100/3 })
		st := r.p.Status()
		if st.Index != 0 || st.Duration != 20*time.Second || (st.State != Playing && st.State != Buffering) {
			t.Errorf("status while playing: %+v", st)
		}
		r.p.Stop()
		h := heard(r.out)
		if got := seconds(r.track(0).played(), "a128"); len(got) < 3 || !slices.Equal(got[:3], []int{0, 1, 2}) {
			t.Errorf("heard seconds %v, want 0 1 2 ...", got)
		}
		// Gaps are allowed only where the player said it was buffering (the
		// decoder not keeping up on a loaded machine or under -race).
		if gaps := audiotest.Gaps(h[:3*44100], 44100, 0.01); len(gaps) > 0 && r.starved() == 0 {
			t.Errorf("gaps at %v s with no underrun", gaps)
		} else if len(gaps) > 0 {
			t.Logf("underruns: %d samples padded (slow decoding); gaps at %v s", r.starved(), gaps)
		}
	})
}

func TestHTTPSeekBurstIsOneRequest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 1, "a128")
		r.env.srv.SetRate(40000) // 2.5× the stream's 16 kB/s: little is buffered ahead
		r.p.PlayNow(r.tracks("a128"))
		poll.Until(t, "playing", func() bool { return r.p.Status().Position >= time.Second })
		r.p.Seek(2 * time.Second)
		r.env.srv.ResetLog()
		for range 6 {
			r.p.SeekBy(2 * time.Second)
		}
		if pos := r.p.Status().Position; pos != 14*time.Second {
			t.Errorf("position after 6×SeekBy(2s) from 2 s = %v, want 14s", pos)
		}
		n := r.out.Len()
		poll.Until(t, "1.5 s after the seek", func() bool { return r.out.Len() > n+44100*3/2 })
		if starts := r.env.starts(); !slices.Equal(starts, []string{"14"}) {
			t.Errorf("stream requests after the burst: start=%q, want one start=14", starts)
		}
		got := seconds(r.track(0).played(), "a128")
		if len(got) == 0 || got[0] != 14 {
			t.Errorf("after seeking to 14 s heard seconds %v", got)
		}
		if st := r.p.Status(); st.Position < 14*time.Second || st.Position > 17*time.Second {
			t.Errorf("position %v after the seek", st.Position)
		}
	})
}

func TestHTTPFailingTrackThenNext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 2, "b128", "truncated")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ev := r.p.Subscribe(ctx)
		// notes.txt is no audio: getaudiolink answers 2009 every time.
		bad := Track{FileID: r.env.srv.FileID("/Music/notes.txt"), Name: "notes.txt"}
		r.p.PlayNow(append([]Track{bad}, r.tracks("truncated", "b128")...))
		var errs []string
		waitStatus(t, ev, "b128 to play", func(st Status) bool {
			if st.Err != "" && !slices.Contains(errs, st.Err) {
				errs = append(errs, st.Err)
			}
			return st.Index == 2 && st.State == Playing && st.Position >= time.Second
		})
		if len(errs) == 0 || !strings.Contains(errs[0], "notes.txt") {
			t.Errorf("error events %q, want one about notes.txt", errs)
		}
		r.p.Stop()
		r.mu.Lock()
		opened := slices.Clone(r.opened)
		r.mu.Unlock()
		var b128, trunc []int
		for _, c := range opened {
			b128 = append(b128, seconds(c.played(), "b128")...)
			trunc = append(trunc, seconds(c.played(), "truncated")...)
		}
		if len(b128) == 0 || b128[0] != 0 {
			t.Errorf("b128 seconds played: %v", b128)
		}
		// The truncated file played its first seconds (or was skipped cleanly).
		if len(trunc) > 0 && trunc[0] != 0 {
			t.Errorf("truncated seconds played: %v", trunc)
		}
	})
}

func TestHTTPGaplessJoin(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 1.5, "gapless1", "gapless2")
		r.p.PlayNow(r.tracks("gapless1", "gapless2"))
		poll.Until(t, "both tracks to play", func() bool {
			r.mu.Lock()
			n := len(r.opened)
			r.mu.Unlock()
			return n == 2 && r.p.Status().State == Stopped
		})

		g1, g2 := fixtures.Get("gapless1"), fixtures.Get("gapless2")
		r.mu.Lock()
		n1, n2 := r.opened[0].count(), r.opened[1].count()
		r.mu.Unlock()
		if n1 != g1.SourceSamples || n2 != g2.SourceSamples {
			t.Errorf("tracks gave %d + %d samples, want %d + %d", n1, n2, g1.SourceSamples, g2.SourceSamples)
		}
		// What the mixer was given is the whole tone, seamless across the join.
		whole := append(r.track(0).played(), r.track(1).played()...)
		if clicks := audiotest.Clicks(whole, 44100, 0.15); len(clicks) > 0 {
			t.Errorf("clicks at %v s (join at %.3f s)", clicks, float64(g1.SourceSamples)/44100)
		}
		var secs []int
		for _, s := range seconds(whole, "") {
			if len(secs) == 0 || secs[len(secs)-1] != s {
				secs = append(secs, s)
			}
		}
		if !slices.Equal(secs, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("seconds across the join: %v", secs)
		}
		// And the output heard exactly that, unless the decoder fell behind
		// (then the mixer padded silence and said so).
		if st := r.starved(); st > 0 {
			t.Logf("underruns (slow machine or -race): %d samples padded; output not compared", st)
			return
		}
		start := 0 // heard starts at the first sound: skip whole's leading near-silence
		for start < len(whole) && whole[start] < 1e-3 && whole[start] > -1e-3 {
			start++
		}
		r.out.waitPulled(t)
		h := heard(r.out)
		if len(h) < len(whole)-start {
			t.Fatalf("heard %d samples, the tracks gave %d", len(h), len(whole)-start)
		}
		for i, v := range whole[start:] {
			if d := h[i] - v; d > 1e-9 || d < -1e-9 {
				t.Fatalf("output sample %d = %v, the tracks gave %v", i, h[i], v)
			}
		}
		if rest := h[len(whole)-start:]; !audiotest.Silent(rest) {
			t.Errorf("%d samples after the tone are not silent", len(rest))
		}
	})
}

func TestHTTP48kAtPitch(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 2, "r48k")
		r.p.PlayNow(r.tracks("r48k"))
		poll.Until(t, "the track to end", func() bool {
			return r.p.Status().State == Stopped && len(heard(r.out)) > 0
		})

		r.out.waitPulled(t)
		h := sounding(heard(r.out))
		if got := seconds(h, "r48k"); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
			t.Errorf("r48k through a 44.1 kHz output: seconds %v", got)
		}
		if d := float64(len(h)) / 44100; d < 7.9 || d > 8.3 {
			t.Errorf("8 s at 48 kHz lasted %.2f s at 44.1 kHz", d)
		}
	})
}

func TestHTTPPauseNextPrevAndEdits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newHTTPRig(t, 2, "a128", "b128", "vbr", "tagged")
		r.p.Enqueue(r.tracks("a128", "b128", "vbr"))
		r.p.Play()
		poll.Until(t, "a128 to play 1 s", func() bool { return r.p.Status().Position >= time.Second })

		r.p.Pause()
		st := r.p.Status()
		n := r.out.Len()
		time.Sleep(300 * time.Millisecond) // a window to watch, not a wait
		if got := r.p.Status(); got.State != Paused || got.Position != st.Position {
			t.Errorf("paused: %v at %v, then %v at %v", st.State, st.Position, got.State, got.Position)
		}
		if m := r.out.Len(); m != n {
			t.Errorf("the output pulled %d samples while paused", m-n)
		}
		r.p.Play()
		poll.Until(t, "play to go on", func() bool { return r.p.Status().Position > st.Position+500*time.Millisecond })

		r.p.Next()
		poll.Until(t, "b128 to play 1 s", func() bool {
			s := r.p.Status()
			return s.Index == 1 && s.State == Playing && s.Position >= time.Second
		})

		if got := r.seconds("b128"); len(got) == 0 || got[0] != 0 {
			t.Errorf("after Next heard b128 seconds %v", got)
		}
		r.p.Seek(0)
		r.p.Prev() // < 3 s in: the previous track
		poll.Until(t, "a128 again", func() bool { return r.p.Status().Index == 0 && r.p.Status().State == Playing })

		r.p.InsertNext(r.tracks("tagged"))
		r.p.Move(0, 3) // the playing track moves to the end
		if s := r.p.Status(); s.Index != 3 || s.Track.Name != "a128.mp3" {
			t.Errorf("after Move: index %d %q", s.Index, s.Track.Name)
		}
		r.p.Remove(3) // the playing one: nothing follows it, playback stops
		poll.Until(t, "stop", func() bool { return r.p.Status().State == Stopped })
		if q := r.p.Queue(); len(q) != 3 || q[0].Name != "tagged.mp3" {
			t.Errorf("queue %v", q)
		}
		r.p.SetRepeat(RepeatOne)
		r.mu.Lock()
		n0 := len(r.opened)
		r.mu.Unlock()
		r.p.PlayIndex(0) // tagged: 5 s, heard twice
		looked := 0
		poll.Until(t, "tagged to repeat", func() bool {
			// Only once 9 s were played can ten seconds be heard; then look
			// again every 0.1 s of sound (seconds is costly: in a bubble
			// each look costs real time while the clock stands).
			r.mu.Lock()
			played := 0
			for _, c := range r.opened[n0:] {
				played += c.count()
			}
			r.mu.Unlock()
			if played < 9*44100 || played < looked+4410 {
				return false
			}
			looked = played
			got := r.seconds("tagged")
			return len(got) >= 10 && slices.Equal(got[:10], []int{0, 1, 2, 3, 4, 0, 1, 2, 3, 4})
		})

		r.p.Clear()
		if s := r.p.Status(); s.State != Stopped || s.Index != -1 {
			t.Errorf("after Clear: %+v", s)
		}
	})
}
