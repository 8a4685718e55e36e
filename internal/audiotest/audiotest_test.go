package audiotest

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
)

func sine(freq float64, rate int, secs, amp, phase float64) []float64 {
	out := make([]float64, int(secs*float64(rate)))
	for i := range out {
		out[i] = amp * math.Sin(phase+2*math.Pi*freq*float64(i)/float64(rate))
	}
	return out
}

func TestDominantFreqSines(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for _, rate := range []int{22050, 44100, 48000} {
		for i := 0; i < 60; i++ {
			f := 300 + r.Float64()*2700
			s := sine(f, rate, 0.05, 0.25, r.Float64()*2*math.Pi)
			// a little noise, as after a lossy codec
			for j := range s {
				s[j] += (r.Float64() - 0.5) * 0.02
			}
			got := DominantFreq(s, rate)
			worst = math.Max(worst, math.Abs(got-f))
			if math.Abs(got-f) > 5 {
				t.Errorf("rate %d: %.2f Hz measured as %.2f", rate, f, got)
			}
		}
	}
	t.Logf("worst error on 50 ms windows: %.3f Hz", worst)
	// The stronger of two tones wins.
	s := sine(1000, 44100, 0.05, 0.3, 0)
	for i, v := range sine(2500, 44100, 0.05, 0.1, 1) {
		s[i] += v
	}
	if got := DominantFreq(s, 44100); math.Abs(got-1000) > 5 {
		t.Errorf("1000 Hz + weaker 2500 Hz measured as %.2f", got)
	}
}

func TestDominantFreqDegenerate(t *testing.T) {
	for _, c := range []struct {
		s    []float64
		rate int
	}{
		{nil, 44100},
		{make([]float64, 2000), 44100},
		{sine(440, 44100, 0.05, 0.25, 0), 0},
		{sine(440, 44100, 0.0002, 0.25, 0), 44100},
		{sine(440, 44100, 0.05, 0.001, 0), 44100}, // -60 dBFS: silent
	} {
		if got := DominantFreq(c.s, c.rate); got != 0 {
			t.Errorf("DominantFreq(%d samples, rate %d) = %v, want 0", len(c.s), c.rate, got)
		}
	}
}

func TestMonoConversions(t *testing.T) {
	var b16 []byte
	for _, v := range []int16{16384, -16384, 32767, 32767, -32768, 0} {
		b16 = binary.LittleEndian.AppendUint16(b16, uint16(v))
	}
	got := MonoFromInt16Stereo(append(b16, 1, 2)) // trailing partial frame ignored
	want := []float64{0, 32767.0 / 32768, -0.5}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("int16 sample %d = %v, want %v", i, got[i], want[i])
		}
	}
	var b32 []byte
	for _, v := range []float32{0.5, 0.25, -1, 1} {
		b32 = binary.LittleEndian.AppendUint32(b32, math.Float32bits(v))
	}
	got = MonoFromFloat32Stereo(append(b32, 9, 9, 9))
	if len(got) != 2 || got[0] != 0.375 || got[1] != 0 {
		t.Errorf("float32: %v", got)
	}
	if len(MonoFromInt16Stereo(nil)) != 0 || len(MonoFromFloat32Stereo([]byte{1})) != 0 {
		t.Error("short input")
	}
}

func TestGapsAndClicks(t *testing.T) {
	t.Parallel()
	const rate = 44100
	var s []float64
	s = append(s, sine(500, rate, 1, 0.25, 0)...)
	s = append(s, make([]float64, rate/5)...) // 200 ms of silence at 1.0 s
	s = append(s, sine(700, rate, 0.5, 0.25, 0)...)
	s = append(s, make([]float64, rate/50)...) // 20 ms at 1.7 s: too short
	s = append(s, sine(700, rate, 0.5, 0.25, 0)...)
	s = append(s, make([]float64, rate/2)...) // 500 ms at the end, at 2.22 s
	gaps := Gaps(s, rate, 0.1)
	if len(gaps) != 2 || math.Abs(gaps[0]-1.0) > 0.006 || math.Abs(gaps[1]-2.22) > 0.006 {
		t.Errorf("Gaps = %v, want [1.0 2.22]", gaps)
	}
	if g := Gaps(sine(500, rate, 1, 0.25, 0), rate, 0.01); len(g) != 0 {
		t.Errorf("Gaps in a tone: %v", g)
	}
	// WithoutGaps takes out the same two runs (to the 5 ms block) and keeps
	// the 20 ms one.
	rest, cut := WithoutGaps(s, rate, 0.1)
	if len(cut) != 2 || math.Abs(cut[0]-0.2) > 2*gapBlock || math.Abs(cut[1]-0.5) > 2*gapBlock {
		t.Errorf("WithoutGaps took out %v s, want [0.2 0.5]", cut)
	}
	if d := float64(len(rest)) / rate; math.Abs(d-2.02) > 3*gapBlock {
		t.Errorf("WithoutGaps left %.3f s, want 2.02", d)
	}

	c := sine(2800, rate, 1, 0.25, 0)
	if got := Clicks(c, rate, 0.15); len(got) != 0 {
		t.Errorf("clicks in a clean tone: %v", got)
	}
	for i := rate / 2; i < len(c); i++ {
		c[i] = -c[i] // a phase jump at 0.5 s
	}
	if got := Clicks(c, rate, 0.15); len(got) != 1 || math.Abs(got[0]-0.5) > 0.001 {
		t.Errorf("Clicks = %v, want [0.5]", got)
	}
}

// decodeSpan is how much of fixture f the tests of this package listen to
// at most, in seconds (0: all of it): TestGaplessJoinHeard all of gapless1,
// TestTimelineAcrossTracks 3 s of a128 and b128, the others
// raceLimitSeconds.
func decodeSpan(f fixtures.Fixture) int {
	switch {
	case raceLimitSeconds == 0 || f.Name == "gapless1":
		return 0
	case f.Name == "a128" || f.Name == "b128":
		return max(3, raceLimitSeconds)
	}
	return raceLimitSeconds
}

type decodeEntry struct {
	once sync.Once
	pcm  []float64
	err  error
}

var decodeCache sync.Map // "name/secs" → *decodeEntry

// decoded returns the fixture decoded by go-mp3 and trimmed to its source;
// when secs > 0, only its first secs seconds. Each fixture is decoded once,
// as far as decodeSpan, and the tests (which may run in parallel) share it:
// go-mp3 is slow under -race. Decoding the first frames of a file gives the
// first samples of decoding it all, exactly: a frame's samples depend on the
// frames before it (the bit reservoir, the overlap of the synthesis), never
// on those after.
func decoded(t *testing.T, f fixtures.Fixture, secs int) []float64 {
	t.Helper()
	span := decodeSpan(f)
	if span > 0 && (secs == 0 || secs > span) {
		span = secs // more than the others hear: decoded on its own
	}
	v, _ := decodeCache.LoadOrStore(fmt.Sprintf("%s/%d", f.Name, span), &decodeEntry{})
	e := v.(*decodeEntry)
	e.once.Do(func() { e.pcm, e.err = decodeFirst(f, span) })
	if e.err != nil {
		t.Fatal(e.err)
	}
	n := len(e.pcm)
	if secs > 0 {
		n = min(n, secs*f.SampleRate)
	}
	return e.pcm[:n:n] // appending copies: the samples are shared
}

// decodeFirst decodes the first secs seconds of f (all of it when secs is
// 0), trimmed to its source, from just the frames that hold them.
func decodeFirst(f fixtures.Fixture, secs int) ([]float64, error) {
	data := f.Data()
	s := mpeg.Scan(data)
	skip, keep, ok := s.GaplessTrim()
	if !ok {
		return nil, fmt.Errorf("%s: no LAME tag", f.Name)
	}
	cut := -1
	if secs > 0 {
		keep = min(keep, secs*f.SampleRate)
		// go-mp3 outputs the Info frame, then each audio frame: the first
		// skip+keep samples come from the Info frame and the audio frames
		// before frames[n].
		per := s.Frames[0].Header.Samples
		if n := (skip+keep+per-1)/per - 1; n < len(s.Frames) {
			data, cut = data[:s.Frames[n].Off], n
		}
	}
	pcm, rate, err := DecodeMP3(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Name, err)
	}
	if rate != f.SampleRate {
		return nil, fmt.Errorf("%s: rate %d", f.Name, rate)
	}
	if cut >= 0 && len(pcm)-skip < keep {
		return nil, fmt.Errorf("%s: the first %d frames decode to %d samples, fewer than the %d asked", f.Name, cut, len(pcm)-skip, keep)
	}
	keep = min(keep, len(pcm)-skip)
	return pcm[skip : skip+keep], nil
}

// TestFixturesHeard decodes every fixture with go-mp3 and checks that the
// middle of second k is heard as FreqAt(k) and identified as that second.
func TestFixturesHeard(t *testing.T) {
	t.Parallel()
	for _, f := range fixtures.All() {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			pcm := decoded(t, f, raceLimitSeconds)
			worst := 0.0
			n := len(pcm) / f.SampleRate
			heard := 0
			for k := 0; k < n; k++ {
				at := (k*f.SampleRate + f.SampleRate/2) - f.StartSample%f.SampleRate
				if at < 0 {
					at += f.SampleRate
				}
				w := f.SampleRate / 20
				if at+w > len(pcm) {
					continue
				}
				got := DominantFreq(pcm[at:at+w], f.SampleRate)
				sec := f.SecondAt(float64(at+w/2) / float64(f.SampleRate))
				want := f.FreqAt(sec)
				if f.Garbled && math.Abs(got-want) > 5 {
					continue // the random bytes may land here
				}
				heard++
				worst = math.Max(worst, math.Abs(got-want))
				if math.Abs(got-want) > 5 {
					t.Errorf("second %d: heard %.2f Hz, want %.0f", sec, got, want)
				}
				name, s, ok := fixtures.Identify(got)
				wantName := f.Name
				switch {
				case f.Name == "a64":
					wantName = "a128"
				case f.Name == "gapless2" && sec == 5:
					wantName = "gapless1"
				}
				if !ok || name != wantName || s != sec {
					t.Errorf("second %d identified as %s %d %v", sec, name, s, ok)
				}
			}
			if heard < n-2 || heard == 0 {
				t.Errorf("only %d of %d seconds heard right", heard, n)
			}
			t.Logf("%d seconds, worst error %.3f Hz", heard, worst)
		})
	}
}

func TestTimelineAcrossTracks(t *testing.T) {
	t.Parallel()
	a := decoded(t, fixtures.Get("a128"), 3)
	b := decoded(t, fixtures.Get("b128"), 3)
	const rate = 44100
	var rec []float64
	rec = append(rec, a[0:3*rate]...)           // a128 seconds 0, 1, 2
	rec = append(rec, make([]float64, rate)...) // 1 s of silence
	rec = append(rec, b[1*rate:3*rate]...)      // b128 seconds 1, 2
	pts := Timeline(rec, rate, 0.05, 0.25)
	if len(pts) != 24 { // starts 0, 0.25, ..., 5.75 (5.95 ends at 5.8 + 0.05 < 6)
		t.Fatalf("%d points", len(pts))
	}
	for i, p := range pts {
		start := float64(i) * 0.25
		if math.Abs(p.At-start-0.025) > 1e-9 {
			t.Errorf("point %d at %v", i, p.At)
		}
		var want string
		var sec int
		silent := false
		switch {
		case start < 3 && start+0.05 <= 3:
			want, sec = "a128", int(start)
		case start >= 3 && start+0.05 <= 4:
			silent = true
		case start >= 4:
			want, sec = "b128", 1+int(start-4)
		default:
			continue // the window straddles a change
		}
		if p.Silent != silent || p.Fixture != want || p.Second != sec {
			t.Errorf("at %.3f: %+v; want %s %d silent=%v", p.At, p, want, sec, silent)
		}
	}
	// Windows straddling a change may be heard as either side or as neither.
	got := Labels(pts)
	want := []string{"a128/0", "a128/1", "a128/2", "silence", "b128/1", "b128/2"}
	j := 0
	for _, l := range got {
		if j < len(want) && l == want[j] {
			j++
		} else if j == 0 || l != want[j-1] && l != "?" {
			t.Errorf("Labels = %v, want %v", got, want)
			break
		}
	}
	if j != len(want) {
		t.Errorf("Labels = %v, want %v", got, want)
	}
	runs := Runs(pts)
	if r := runs[0]; r.Fixture != "a128" || r.Second != 0 || r.Points != 4 || r.From != 0.025 || r.To != 0.775 {
		t.Errorf("first run %+v", r)
	}
	if g := Gaps(rec, rate, 0.5); len(g) != 1 || math.Abs(g[0]-3) > 0.01 {
		t.Errorf("Gaps = %v, want [3]", g)
	}
	if Timeline(rec, 0, 0.05, 0.25) != nil || Timeline(rec, rate, 0, 1) != nil || Timeline(rec, rate, 0.05, 0) != nil {
		t.Error("bad arguments should give no timeline")
	}
}

// TestGaplessJoinHeard: gapless1 then gapless2, both trimmed, play the 10 s
// sequence with no gap and no click at the join.
func TestGaplessJoinHeard(t *testing.T) {
	t.Parallel()
	// Under the race detector, only the first 2 s of gapless2.
	g := append(decoded(t, fixtures.Get("gapless1"), 0), decoded(t, fixtures.Get("gapless2"), raceLimitSeconds)...)
	if want := 441000; raceLimitSeconds > 0 {
		want = 233730 + raceLimitSeconds*44100
		if len(g) != want {
			t.Fatalf("%d samples, want %d", len(g), want)
		}
	} else if len(g) != want {
		t.Fatalf("%d samples, want %d", len(g), want)
	}
	if c := Clicks(g, 44100, 0.15); len(c) != 0 {
		t.Errorf("clicks at %v", c)
	}
	if gaps := Gaps(g, 44100, 0.001); len(gaps) != 0 {
		t.Errorf("gaps at %v", gaps)
	}
	for k, p := range Timeline(g, 44100, 0.1, 1) {
		if p.Fixture != "gapless1" && p.Fixture != "gapless2" || p.Second != k {
			t.Errorf("second %d: %+v", k, p)
		}
	}
}

func TestLabels(t *testing.T) {
	pts := []Point{
		{At: 0, Fixture: "a128", Second: 1, Freq: 345},
		{At: 1, Fixture: "a128", Second: 1, Freq: 345},
		{At: 2, Freq: 4000},
		{At: 3, Freq: 5000},
		{At: 4, Silent: true},
		{At: 5, Fixture: "b128", Second: 0, Freq: 820},
	}
	got := fmt.Sprint(Labels(pts))
	if got != "[a128/1 ? silence b128/0]" {
		t.Errorf("Labels = %s", got)
	}
	if l := pts[2].Label(); l != "?4000Hz" {
		t.Errorf("Label = %s", l)
	}
	if r := Runs(pts)[1]; r.From != 2 || r.To != 3 || r.Points != 2 || r.Fixture != "" {
		t.Errorf("run %+v", r)
	}
	if len(Runs(nil)) != 0 {
		t.Error("runs of nothing")
	}
}

func TestDecodeMP3Errors(t *testing.T) {
	if _, _, err := DecodeMP3([]byte("not an mp3 at all")); err == nil {
		t.Error("no error for junk")
	}
}

func BenchmarkDominantFreq50ms(b *testing.B) {
	s := sine(1234, 44100, 0.05, 0.25, 0)
	for b.Loop() {
		DominantFreq(s, 44100)
	}
}

// TestDecodeFromSecondOffset documents what a stream started with `start=k`
// (bytes from mpeg.Stream.OffsetForSecond(k)) sounds like through go-mp3.
// Its first frames point into a bit reservoir that is not there: go-mp3
// turns them into up to 200 ms of loud noise (measured on vbr). Dropping the
// output of the first mpeg.ReservoirSkip+1 frames leaves clean audio that is
// second k from its first sample.
func TestDecodeFromSecondOffset(t *testing.T) {
	t.Parallel()
	names, secs := []string{"a128", "a64", "r48k", "mono", "vbr"}, []int{1, 5, 7}
	if raceLimitSeconds > 0 {
		names, secs = []string{"a64", "vbr"}, []int{5}
	}
	for _, name := range names {
		f := fixtures.Get(name)
		d := f.Data()
		s := mpeg.Scan(d)
		for _, k := range secs {
			seg := d[s.OffsetForSecond(k):s.OffsetForSecond(k+1)]
			skip := mpeg.ReservoirSkip(seg, mpeg.Scan(seg).Frames)
			if skip < 1 || skip > 8 {
				t.Errorf("%s from %d s: ReservoirSkip = %d", name, k, skip)
			}
			pcm, rate, err := DecodeMP3(seg)
			if err != nil {
				t.Fatalf("%s from %d s: %v", name, k, err)
			}
			pcm = pcm[(skip+1)*1152:]
			wantName := name
			if name == "a64" {
				wantName = "a128"
			}
			for _, p := range Timeline(pcm[:rate/2], rate, 0.02, 0.01) {
				if p.Fixture != wantName || p.Second != k {
					t.Errorf("%s from %d s: at %.0f ms heard %s", name, k, 1000*(p.At-0.01), p.Label())
				}
			}
			if c := Clicks(pcm[:rate/2], rate, 0.15); len(c) > 0 {
				t.Errorf("%s from %d s: clicks at %v", name, k, c)
			}
		}
	}
}
