package player

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

const rate = 44100

func newTestPlayer(t *testing.T, lib *fakeLib, out Output, tweak ...func(*Config)) *Player {
	t.Helper()
	cfg := Config{Links: noLinks{}, Output: out, Volume: 100}
	for _, f := range tweak {
		f(&cfg)
	}
	p, err := newPlayer(cfg, lib.open)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func toneLib(secs map[uint64]float64) *fakeLib {
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{}}
	for id, s := range secs {
		n := int(s * rate)
		lib.tracks[id] = func() *fakeTrack {
			return &fakeTrack{rate: rate, total: n, val: tone(rate), status: TrackConnecting, readyIn: 2}
		}
	}
	return lib
}

func tracks(ids ...uint64) []Track {
	ts := make([]Track, len(ids))
	for i, id := range ids {
		ts[i] = Track{FileID: id, Name: "t" + string(rune('0'+id)) + ".mp3"}
	}
	return ts
}

func TestMixerGaplessSampleExact(t *testing.T) {
	const n1, n2 = 30011, 20003
	a := &fakeTrack{rate: rate, total: n1, val: counter(1)}
	b := &fakeTrack{rate: rate, total: n2, val: counter(2)}
	m := newMixer(make(chan struct{}, 1))
	m.cur = newSource(1, Track{}, a, rate)
	m.next = newSource(2, Track{}, b, rate)
	var got [][2]float64
	buf := make([][2]float64, 1000)
	for len(got) < n1+n2+5000 {
		n, ok := m.Stream(buf[:777])
		if !ok || n != 777 {
			t.Fatalf("mixer Stream = %d, %v; want 777, true", n, ok)
		}
		got = append(got, buf[:n]...)
	}
	for i := range n1 + n2 {
		want := counter(1)(i)
		if i >= n1 {
			want = counter(2)(i - n1)
		}
		if got[i][0] != want || got[i][1] != want {
			t.Fatalf("sample %d = %v, want %v (join at %d)", i, got[i], want, n1)
		}
	}
	for i := n1 + n2; i < len(got); i++ {
		if got[i] != [2]float64{} {
			t.Fatalf("sample %d after both tracks = %v, want silence", i, got[i])
		}
	}
	if len(m.ended) != 2 {
		t.Errorf("ended sources = %d, want 2", len(m.ended))
	}
}

func TestGaplessThroughPlayer(t *testing.T) {
	const n1, n2 = 88211, 30000
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack { return &fakeTrack{rate: rate, total: n1, val: counter(1)} },
		2: func() *fakeTrack { return &fakeTrack{rate: rate, total: n2, val: counter(2)} },
	}}
	out := newCapture(rate, 1)
	p := newTestPlayer(t, lib, out, func(c *Config) { c.PreloadAhead = time.Hour })
	p.PlayNow(tracks(1, 2))
	waitFor(t, "both tracks to play", func() bool {
		return len(lib.openedIDs()) == 2 && p.Status().State == Stopped
	})
	got := out.Samples()
	start := slices.IndexFunc(got, func(s [2]float64) bool { return s[0] != 0 })
	if start < 0 || len(got)-start < n1+n2 {
		t.Fatalf("captured %d samples, first sound at %d; want %d sounding", len(got), start, n1+n2)
	}
	for i := range n1 + n2 {
		want := counter(1)(i)
		if i >= n1 {
			want = counter(2)(i - n1)
		}
		if g := got[start+i][0]; g != want {
			t.Fatalf("sample %d = %v, want %v (join at %d)", i, g, want, n1)
		}
	}
}

func TestPlaysFromStartAtRealPace(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 3})
	out := newCapture(rate, 1)
	p := newTestPlayer(t, lib, out)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ev := p.Subscribe(ctx)
	p.PlayNow(tracks(1))
	var seconds []int
	waitStatus(t, ev, "the end of the track", func(st Status) bool {
		if st.State == Playing {
			s := int(st.Position / time.Second)
			if len(seconds) == 0 || seconds[len(seconds)-1] != s {
				seconds = append(seconds, s)
			}
		}
		return st.State == Stopped && len(seconds) > 0
	})
	// 3 s is the very end of the track, shown or not.
	if !slices.Equal(seconds, []int{0, 1, 2}) && !slices.Equal(seconds, []int{0, 1, 2, 3}) {
		t.Errorf("whole seconds seen while playing = %v, want [0 1 2]", seconds)
	}
	got := mono(out.Samples())
	start := slices.IndexFunc(got, func(v float64) bool { return v != 0 })
	for sec := range 3 {
		win := got[start+sec*rate+rate/10 : start+sec*rate+rate*9/10]
		if f := dominant(win, rate, candidates()); f != toneFreq(sec) {
			t.Errorf("second %d: dominant %v Hz, want %v", sec, f, toneFreq(sec))
		}
		for i, v := range got[start+sec*rate : start+(sec+1)*rate-1] {
			if v == 0 && got[start+sec*rate+i+1] == 0 {
				t.Fatalf("gap in second %d at sample %d", sec, i)
			}
		}
	}
}

func candidates() []float64 {
	var c []float64
	for s := range 8 {
		c = append(c, toneFreq(s), toneFreq(s)*48000/44100, toneFreq(s)*44100/48000)
	}
	return c
}

func TestResampled48kPlaysAtPitch(t *testing.T) {
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack { return &fakeTrack{rate: 48000, total: 4 * 48000, val: tone(48000), readyIn: 3} },
	}}
	out := newCapture(rate, 0)
	p := newTestPlayer(t, lib, out)
	p.PlayNow(tracks(1))
	waitFor(t, "the track to end", func() bool {
		return len(lib.openedIDs()) == 1 && p.Status().State == Stopped
	})
	got := mono(out.Samples())
	start := slices.IndexFunc(got, func(v float64) bool { return v != 0 })
	end := len(got)
	for end > 0 && got[end-1] == 0 {
		end--
	}
	if n := end - start; n < 4*rate-50 || n > 4*rate+50 {
		t.Errorf("4 s at 48 kHz came out as %d samples at 44.1 kHz, want about %d", n, 4*rate)
	}
	for sec := range 4 {
		win := got[start+sec*rate+rate/10 : start+sec*rate+rate*9/10]
		if f := dominant(win, rate, candidates()); f != toneFreq(sec) {
			t.Errorf("second %d: dominant %v Hz, want %v", sec, f, toneFreq(sec))
		}
	}
}

func TestPauseFreezes(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 30})
	out := newCapture(rate, 4)
	p := newTestPlayer(t, lib, out)
	p.PlayNow(tracks(1))
	waitFor(t, "1 s of play", func() bool { return p.Status().Position >= time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ev := p.Subscribe(ctx)
	p.Pause()
	st := p.Status()
	if st.State != Paused {
		t.Fatalf("state after Pause = %v, want Paused", st.State)
	}
	waitStatus(t, ev, "the paused event", func(s Status) bool { return s.State == Paused })
	n := out.Len()
	time.Sleep(1500 * time.Millisecond) // a window to watch (6 s of track time at 4×), not a wait
	select {
	case s := <-ev:
		t.Errorf("event while paused: %+v", s)
	default:
	}
	if got := p.Status().Position; got != st.Position {
		t.Errorf("position moved while paused: %v → %v", st.Position, got)
	}
	if out.Len() != n {
		t.Errorf("output pulled %d samples while paused", out.Len()-n)
	}
	p.Toggle()
	waitFor(t, "play to go on", func() bool {
		s := p.Status()
		return s.State == Playing && s.Position > st.Position+time.Second
	})
}

func TestNextPrevAndSeek(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
	out := newCapture(rate, 2)
	p := newTestPlayer(t, lib, out)
	p.Enqueue(tracks(1, 2, 3))
	if st := p.Status(); st.State != Stopped || st.Index != -1 {
		t.Fatalf("after Enqueue: %v index %d, want Stopped -1", st.State, st.Index)
	}
	p.Play()
	waitFor(t, "track 1", func() bool { return p.Status().Index == 0 && p.Status().State == Playing })
	p.Next()
	waitFor(t, "track 2", func() bool { return p.Status().Index == 1 && p.Status().State == Playing })
	p.Seek(0)
	p.Prev() // < 3 s in: the previous track
	waitFor(t, "track 1 again", func() bool { return p.Status().Index == 0 })
	p.Seek(10 * time.Second)
	if pos := p.Status().Position; pos < 10*time.Second || pos > 11*time.Second {
		t.Errorf("position after Seek(10s) = %v", pos)
	}
	for range 6 {
		p.SeekBy(5 * time.Second)
	}
	if pos := p.Status().Position; pos < 40*time.Second || pos > 41*time.Second {
		t.Errorf("position after 6×SeekBy(5s) from 10s = %v, want 40s", pos)
	}
	// What plays after the seek is second 40's tone.
	n := out.Len()
	waitFor(t, "a second after the seek", func() bool { return out.Len() >= n+rate })
	got := mono(out.Samples()[n+rate/8 : n+rate*3/8])
	if f := dominant(got, rate, candidates()); f != toneFreq(40) && f != toneFreq(41) {
		t.Errorf("after seeking to 40 s heard %v Hz, want %v", f, toneFreq(40))
	}
	p.Prev() // > 3 s in: restart
	st := p.Status()
	if st.Index != 0 || st.Position > 1500*time.Millisecond {
		t.Errorf("Prev after 40 s: index %d position %v, want 0 and the start", st.Index, st.Position)
	}
	p.Prev() // at the start of the first: stays
	if st := p.Status(); st.Index != 0 {
		t.Errorf("Prev on the first track: index %d", st.Index)
	}
	p.PlayIndex(2)
	p.Next() // past the last, repeat off: stop
	waitFor(t, "stop at the end", func() bool { return p.Status().State == Stopped })
	p.PlayIndex(7)
	if st := p.Status(); st.Err == "" {
		t.Error("PlayIndex(7) of 3: no error sentence")
	}
}

func TestFailedTrackThenNext(t *testing.T) {
	lib := toneLib(map[uint64]float64{2: 5})
	lib.tracks[1] = func() *fakeTrack {
		return &fakeTrack{rate: rate, total: 10 * rate, val: tone(rate), failAt: rate / 2}
	}
	out := newCapture(rate, 4)
	p := newTestPlayer(t, lib, out)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ev := p.Subscribe(ctx)
	p.PlayNow(tracks(1, 9, 2)) // 9: no such file
	var errs []string
	waitStatus(t, ev, "track 3 to play", func(st Status) bool {
		if st.Err != "" && !slices.Contains(errs, st.Err) {
			errs = append(errs, st.Err)
		}
		return st.Index == 2 && st.State == Playing
	})
	if len(errs) == 0 {
		t.Fatal("track 3 plays, but no error event came for the failed ones")
	}
}

func TestAllFailStops(t *testing.T) {
	lib := toneLib(nil)
	p := newTestPlayer(t, lib, newCapture(rate, 4))
	p.SetRepeat(RepeatAll)
	p.PlayNow(tracks(7, 8, 9))
	waitFor(t, "the player to give up", func() bool {
		st := p.Status()
		return st.State == Errored && st.Err != "" && len(lib.openedIDs()) >= 3
	})
	time.Sleep(200 * time.Millisecond) // a window to watch for more opens, not a wait
	if n := len(lib.openedIDs()); n > 4 {
		t.Errorf("opened %d tracks for a queue of 3 failures", n)
	}
}

func TestRepeatOneAndAll(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 0.3, 2: 0.3})
	p := newTestPlayer(t, lib, newCapture(rate, 4))
	p.SetRepeat(RepeatOne)
	p.PlayNow(tracks(1, 2))
	waitFor(t, "three plays of track 1", func() bool { return len(lib.openedIDs()) >= 3 })
	if ids := lib.openedIDs()[:3]; !slices.Equal(ids, []uint64{1, 1, 1}) {
		t.Errorf("repeat one opened %v", ids)
	}
	p.SetRepeat(RepeatAll)
	n := len(lib.openedIDs())
	waitFor(t, "four more plays", func() bool { return len(lib.openedIDs()) >= n+4 })
	ids := lib.openedIDs()[n:]
	for i := 1; i < 4; i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("repeat all opened %v (after %d repeat-one plays)", ids, n)
		}
	}
}

func TestShuffleKeepsCurrentAndDisplayOrder(t *testing.T) {
	secs := map[uint64]float64{}
	var ids []uint64
	for id := uint64(1); id <= 8; id++ {
		secs[id] = 60
		ids = append(ids, id)
	}
	lib := toneLib(secs)
	p := newTestPlayer(t, lib, newCapture(rate, 1))
	p.Enqueue(tracks(ids...))
	p.PlayIndex(3)
	before := p.Queue()
	p.SetShuffle(true)
	if st := p.Status(); !st.Shuffle || st.Index != 3 {
		t.Fatalf("after shuffle on: %+v", st)
	}
	if !slices.Equal(before, p.Queue()) {
		t.Error("shuffle changed the displayed queue")
	}
	seen := map[int]bool{3: true}
	for range 7 {
		p.Next()
		i := p.Status().Index
		if seen[i] {
			t.Fatalf("shuffle played index %d twice (seen %v)", i, seen)
		}
		seen[i] = true
	}
	p.Next()
	waitFor(t, "stop after the shuffled queue", func() bool { return p.Status().State == Stopped })
}

func TestQueueEditsWhilePlaying(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60, 4: 60, 5: 60})
	p := newTestPlayer(t, lib, newCapture(rate, 2))
	p.Enqueue(tracks(1, 2, 3))
	gen := p.Status().QueueGen
	p.PlayIndex(1)
	waitFor(t, "track 2", func() bool { return p.Status().State == Playing })
	p.InsertNext(tracks(4))
	if q := p.Queue(); len(q) != 4 || q[2].FileID != 4 {
		t.Fatalf("queue after InsertNext: %v", q)
	}
	if g := p.Status().QueueGen; g == gen {
		t.Error("QueueGen did not change")
	}
	p.Move(1, 3) // the current track moves to the end
	if st := p.Status(); st.Index != 3 || st.Track.FileID != 2 {
		t.Errorf("after Move(1,3): index %d file %d, want 3 and file 2", st.Index, st.Track.FileID)
	}
	p.Move(3, 0)
	p.Remove(0) // the current one: the following plays
	waitFor(t, "the follower", func() bool {
		st := p.Status()
		return st.State == Playing && st.Track.FileID == 1
	})
	if q := p.Queue(); len(q) != 3 {
		t.Errorf("queue after Remove: %v", q)
	}
	p.Remove(2)
	p.Remove(9)
	if p.Status().Err == "" {
		t.Error("Remove(9) gave no error sentence")
	}
	p.Move(0, 5)
	p.Clear()
	st := p.Status()
	if st.State != Stopped || st.Index != -1 || len(p.Queue()) != 0 {
		t.Errorf("after Clear: %+v queue %v", st, p.Queue())
	}
	p.Play() // nothing to play: no panic
	p.Next()
	p.Prev()
	p.SeekBy(time.Second)
}

func TestVolumeAndMute(t *testing.T) {
	if g := gainFor(100, false); g != 1 {
		t.Errorf("gain(100) = %v", g)
	}
	if g := gainFor(0, false); g != 0 {
		t.Errorf("gain(0) = %v", g)
	}
	if g := gainFor(85, false); g != 0.5 {
		t.Errorf("gain(85) = %v, want 0.5", g)
	}
	if g := gainFor(70, true); g != 0 {
		t.Errorf("muted gain = %v", g)
	}
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: rate, total: 60 * rate, val: func(int) float64 { return 0.5 }}
		},
	}}
	out := newCapture(rate, 2)
	p := newTestPlayer(t, lib, out)
	p.SetVolume(85)
	p.PlayNow(tracks(1))
	waitFor(t, "sound", func() bool { return slices.Contains(out.Samples(), [2]float64{0.25, 0.25}) })
	p.ToggleMute()
	if st := p.Status(); !st.Muted || st.Volume != 85 {
		t.Errorf("status after mute: %+v", st)
	}
	n := out.Len()
	waitFor(t, "half a second muted", func() bool { return out.Len() >= n+rate/2 })
	for _, s := range out.Samples()[n+rate/4:] {
		if s != [2]float64{} {
			t.Fatalf("sound while muted: %v", s)
		}
	}
	p.SetVolume(250)
	if st := p.Status(); st.Volume != 100 {
		t.Errorf("SetVolume(250) → %d", st.Volume)
	}
}

// TestVolumeZeroIsSilent: Config.Volume 0 (a config file's volume = 0) is
// silence, not "unset".
func TestVolumeZeroIsSilent(t *testing.T) {
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: rate, total: 60 * rate, val: func(int) float64 { return 0.5 }}
		},
	}}
	out := newCapture(rate, 2)
	p := newTestPlayer(t, lib, out, func(c *Config) { c.Volume = 0 })
	if st := p.Status(); st.Volume != 0 {
		t.Fatalf("Volume 0 reports volume %d", st.Volume)
	}
	p.PlayNow(tracks(1))
	waitFor(t, "a second played", func() bool { return p.Status().Position >= time.Second })
	heard := out.Samples()
	if len(heard) < rate {
		t.Fatalf("captured %d samples after a second played", len(heard))
	}
	for i, s := range heard {
		if s != [2]float64{} {
			t.Fatalf("sample %d = %v at volume 0, want silence", i, s)
		}
	}
	if st := p.Status(); st.Volume != 0 || st.State != Playing {
		t.Errorf("status while playing at volume 0: %+v", st)
	}
	p.SetVolume(85) // the same track is heard once the volume is up
	waitFor(t, "sound at volume 85", func() bool { return slices.Contains(out.Samples(), [2]float64{0.25, 0.25}) })
}

func TestEventsLatestWins(t *testing.T) {
	var h Hub
	ctx, cancel := context.WithCancel(context.Background())
	ch := h.Subscribe(ctx, Status{Volume: 1})
	for v := 2; v <= 50; v++ {
		h.Publish(Status{Volume: v})
	}
	if s := <-ch; s.Volume != 50 {
		t.Errorf("slow reader got volume %d, want the latest, 50", s.Volume)
	}
	cancel()
	waitFor(t, "the channel to close", func() bool {
		select {
		case _, ok := <-ch:
			return !ok
		default:
			return false
		}
	})
	if !visible(Status{Position: 900 * time.Millisecond}, Status{Position: time.Second}) {
		t.Error("a new whole second is not visible")
	}
	if visible(Status{Position: 100 * time.Millisecond}, Status{Position: 900 * time.Millisecond}) {
		t.Error("a change within one second is visible")
	}
}

func TestCloseClosesSubscribers(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 60})
	p := newTestPlayer(t, lib, newCapture(rate, 1))
	ch := p.Subscribe(context.Background())
	p.PlayNow(tracks(1))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the channel to close", func() bool {
		select {
		case _, ok := <-ch:
			return !ok
		default:
			return false
		}
	})
	p.Play() // after Close: no panic
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{Output: newCapture(rate, 1)}); err == nil {
		t.Error("no Links: no error")
	}
	if _, err := New(Config{Links: noLinks{}}); err == nil {
		t.Error("no Output: no error")
	}
	if _, err := New(Config{Links: noLinks{}, Output: newCapture(rate, 1), Bitrate: 999}); err == nil {
		t.Error("bitrate 999: no error")
	}
	if _, err := New(Config{Links: noLinks{}, Output: newCapture(0, 1)}); err == nil {
		t.Error("rate 0: no error")
	}
}

func TestWAVOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	w, err := NewWAV(path, rate)
	if err != nil {
		t.Fatal(err)
	}
	lib := &fakeLib{tracks: map[uint64]func() *fakeTrack{
		1: func() *fakeTrack {
			return &fakeTrack{rate: rate, total: rate / 2, val: func(int) float64 { return 0.5 }}
		},
	}}
	p := newTestPlayer(t, lib, w)
	p.PlayNow(tracks(1))
	waitFor(t, "the track to end", func() bool { return len(lib.openedIDs()) == 1 && p.Status().State == Stopped })
	// Readable before Close: the sizes are kept current.
	check := func(when string) int {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
			t.Fatalf("%s: not a WAV header", when)
		}
		data := int(binary.LittleEndian.Uint32(b[40:]))
		if data != len(b)-44 || int(binary.LittleEndian.Uint32(b[4:])) != len(b)-8 {
			t.Fatalf("%s: header sizes %d/%d for a %d-byte file", when, data, binary.LittleEndian.Uint32(b[4:]), len(b))
		}
		loud := 0
		for i := 44; i+4 <= len(b); i += 4 {
			if int16(binary.LittleEndian.Uint16(b[i:])) == 16384 {
				loud++
			}
		}
		return loud
	}
	check("while open")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if loud := check("after Close"); loud != rate/2 {
		t.Errorf("%d samples at 0.5, want %d", loud, rate/2)
	}
	if _, err := NewWAV(filepath.Join(t.TempDir(), "no", "such", "dir.wav"), rate); err == nil {
		t.Error("NewWAV into a missing directory: no error")
	}
}

func TestNullOutputPullsInRealTime(t *testing.T) {
	o := NewNull(rate)
	c := &countStreamer{}
	if err := o.Start(c); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "pulling", func() bool { return c.n.Load() > 0 })
	o.SetPaused(true)
	n := c.n.Load()
	time.Sleep(200 * time.Millisecond) // a window to watch, not a wait for something
	// A pull under way when SetPaused returned may still land: one 20 ms chunk.
	if d := c.n.Load() - n; d > rate/50 {
		t.Errorf("null output pulled %d samples while paused", d)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBitrateToggleAndShuffleOff(t *testing.T) {
	lib := toneLib(map[uint64]float64{1: 60, 2: 60, 3: 60})
	p := newTestPlayer(t, lib, newCapture(rate, 2))
	p.Enqueue(tracks(1, 2, 3))
	p.Toggle() // stopped: starts
	waitFor(t, "2 s of play", func() bool { return p.Status().Position >= 2*time.Second })
	p.SetBitrate(320)
	st := p.Status()
	if st.Bitrate != 320 || st.Index != 0 || st.Position < 2*time.Second {
		t.Errorf("after SetBitrate(320): %+v", st)
	}
	lib.mu.Lock()
	last := lib.starts[len(lib.starts)-1]
	lib.mu.Unlock()
	if n := len(lib.openedIDs()); n < 2 || last < 2*time.Second || last%time.Second != 0 {
		t.Errorf("SetBitrate reopened %d streams, the last at %v; want one at the current whole second", n, last)
	}
	p.SetBitrate(5)
	if st := p.Status(); st.Bitrate != 320 || st.Err == "" {
		t.Errorf("SetBitrate(5): bitrate %d, error %q", st.Bitrate, st.Err)
	}
	p.Toggle()
	if st := p.Status(); st.State != Paused {
		t.Errorf("Toggle while playing: %v", st.State)
	}
	p.Toggle()
	if st := p.Status(); st.State == Paused || st.State == Stopped {
		t.Errorf("Toggle while paused: %v", st.State)
	}
	p.SetShuffle(true)
	p.SetShuffle(false)
	p.Next()
	if st := p.Status(); st.Index != 1 || st.Shuffle {
		t.Errorf("Next after shuffle off: index %d shuffle %v, want 1 false", st.Index, st.Shuffle)
	}
	p.SetRepeat(Repeat(9))
	if st := p.Status(); st.Repeat != RepeatOff || st.Err == "" {
		t.Errorf("SetRepeat(9): %v %q", st.Repeat, st.Err)
	}
}
