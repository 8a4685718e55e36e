package player

import (
	"testing"
	"time"
)

// BenchmarkPlayToFirstSample: PlayIndex → the first non-silent sample at a
// capture output, the track coming over loopback HTTP from the fake (link,
// connect, first frames decoded, resampling none).
func BenchmarkPlayToFirstSample(b *testing.B) {
	env := newTrackEnv(b, "a128")
	out := newCapture(44100, 20)
	p, err := New(Config{Links: env.links, Output: out, Volume: 100, Bitrate: 128, Stream: env.opts()})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	p.Enqueue([]Track{{FileID: env.id("a128"), Name: "a128.mp3"}})
	b.ResetTimer()
	for range b.N {
		p.Stop()
		from := out.Len()
		p.PlayIndex(0)
		deadline := time.Now().Add(20 * time.Second)
		for found := false; !found; {
			if time.Now().After(deadline) {
				b.Fatal("no sound within 20 s")
			}
			out.WaitSamples(from+1, time.Second)
			for _, s := range out.SamplesFrom(from) {
				if s[0] != 0 || s[1] != 0 {
					found = true
					break
				}
				from++
			}
		}
	}
	b.StopTimer()
}

// endless is a track that never ends (for steady-state benchmarks).
func endless(rate int) *fakeTrack {
	return &fakeTrack{rate: rate, total: 1 << 62, val: func(i int) float64 { return float64(i%100) / 100 }}
}

// BenchmarkMixer is one speaker-sized pull (100 ms at 44.1 kHz) from
// the mixer in steady state: 0 allocations per call.
func BenchmarkMixer(b *testing.B) {
	for _, c := range []struct {
		name string
		rate int
		fade bool // the sleep timer's fade: a ramp in every pull
	}{{"44k1", 44100, false}, {"48k-resampled", 48000, false}, {"44k1-fading", 44100, true}} {
		b.Run(c.name, func(b *testing.B) {
			m := newMixer(make(chan struct{}, 1))
			m.gain = gainFor(70, false)
			m.cur = newSource(1, Track{}, endless(c.rate), 44100)
			buf := make([][2]float64, 4410)
			for range 10 { // warm up: prefetch and resampler buffers
				m.Stream(buf)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if c.fade {
					m.fade = 0.5 - float64(i%2)/10
				}
				if n, ok := m.Stream(buf); n != len(buf) || !ok {
					b.Fatalf("Stream = %d, %v", n, ok)
				}
			}
		})
	}
}

func TestMixerNoAllocs(t *testing.T) {
	for _, rate := range []int{44100, 48000} {
		m := newMixer(make(chan struct{}, 1))
		m.gain = 0.5
		m.cur = newSource(1, Track{}, endless(rate), 44100)
		buf := make([][2]float64, 1024)
		for range 10 {
			m.Stream(buf)
		}
		if a := testing.AllocsPerRun(100, func() { m.Stream(buf) }); a != 0 {
			t.Errorf("%d Hz track: %v allocations per mixer Stream call, want 0", rate, a)
		}
	}
}
