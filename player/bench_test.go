package player

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	mp3 "github.com/hajimehoshi/go-mp3"

	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
)

// memLinks is a LinkSource whose single host is memTransport.
type memLinks struct{}

func (memLinks) AudioLink(context.Context, uint64, int) (Link, error) {
	return Link{URLs: []string{"http://mem.invalid/track.mp3"}}, nil
}

// memTransport serves body() for every request, from memory. With length
// < 0 it sends no Content-Length.
type memTransport struct {
	body   func() io.Reader
	length int64
}

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(m.body()), ContentLength: m.length, Request: r,
	}, nil
}

func memOptions(data []byte) StreamOptions {
	return StreamOptions{
		Links:      memLinks{},
		HTTPClient: &http.Client{Transport: memTransport{body: func() io.Reader { return bytes.NewReader(data) }, length: int64(len(data))}},
		Bitrate:    128,
	}
}

// onlyReader hides io.Seeker (go-mp3 scans a seekable stream on open).
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecodeRawGoMP3 is the baseline: go-mp3 alone over a non-seeking
// reader of the whole file in memory.
func BenchmarkDecodeRawGoMP3(b *testing.B) {
	data := fixtures.Get("a128").Data()
	buf := make([]byte, 1152*4)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		decodeRaw(b, data, buf)
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

func decodeRaw(b *testing.B, data, buf []byte) {
	d, err := mp3.NewDecoder(onlyReader{bytes.NewReader(data)})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		k, err := d.Read(buf)
		n += k
		if err != nil {
			break
		}
	}
	if n < 800000*4 {
		b.Fatalf("decoded %d bytes", n)
	}
}

// BenchmarkDecodeTrackStream is the same file through the whole pipeline
// (HTTP body from memory → byte ring → go-mp3 → PCM ring → Stream as
// float64), pulled as fast as it comes.
func BenchmarkDecodeTrackStream(b *testing.B) {
	data := fixtures.Get("a128").Data()
	o := memOptions(data)
	buf := make([][2]float64, 4096)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		decodeTS(b, o, buf)
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

func decodeTS(b *testing.B, o StreamOptions, buf [][2]float64) {
	ts := OpenTrack(1, 0, o)
	n := 0
	for {
		k, ok := ts.Stream(buf)
		n += k
		if !ok {
			break
		}
		if k == 0 {
			// The PCM ring holds ~0.5 s: a millisecond's nap never
			// stalls the decoder, and costs the harness little.
			time.Sleep(time.Millisecond)
		}
	}
	ts.Close()
	ts.wait()
	if n != fixtures.Get("a128").SourceSamples {
		b.Fatalf("%d samples: %v", n, ts.Err())
	}
}

// BenchmarkDecodeOverhead alternates the two above, several rounds per op,
// and reports the ratio of the best times (the best is the least disturbed
// by other work on the machine): pipeline/raw, goal ≤ 1.05.
func BenchmarkDecodeOverhead(b *testing.B) {
	data := fixtures.Get("a128").Data()
	o := memOptions(data)
	raw := make([]byte, 1152*4)
	pcm := make([][2]float64, 4096)
	bestRaw, bestTS := time.Duration(1<<62), time.Duration(1<<62)
	bestRawCPU, bestTSCPU := time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		for range 3 {
			t0, c0 := time.Now(), cpuTime()
			decodeRaw(b, data, raw)
			bestRaw, bestRawCPU = min(bestRaw, time.Since(t0)), min(bestRawCPU, cpuTime()-c0)
			t0, c0 = time.Now(), cpuTime()
			decodeTS(b, o, pcm)
			bestTS, bestTSCPU = min(bestTS, time.Since(t0)), min(bestTSCPU, cpuTime()-c0)
		}
	}
	b.ReportMetric(float64(bestTS)/float64(bestRaw), "wall-ratio")
	b.ReportMetric(float64(bestTSCPU)/float64(bestRawCPU), "cpu-ratio")
}

// idleTrack is a TrackStream with no goroutines and a full PCM ring, to
// measure Stream alone.
func idleTrack() *TrackStream {
	t := &TrackStream{
		pcm:   newPCMRing(pcmSamples),
		space: make(chan struct{}, 1),
		kick:  make(chan struct{}, 1),
		ready: make(chan struct{}),
	}
	t.rate.Store(44100)
	t.refill()
	return t
}

var refillData = func() []byte {
	b := make([]byte, 4*1152)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}()

func (t *TrackStream) refill() {
	t.pmu.Lock()
	for t.pcm.free() > 0 {
		t.pcm.writeLE(refillData)
	}
	t.starved = false
	t.pmu.Unlock()
}

// BenchmarkStreamCall is one audio callback's worth (512 samples) of
// Stream in steady state: no allocations.
func BenchmarkStreamCall(b *testing.B) {
	t := idleTrack()
	buf := make([][2]float64, 512)
	b.ReportAllocs()
	for b.Loop() {
		if n, _ := t.Stream(buf); n < len(buf) {
			t.refill()
		}
	}
}

func TestStreamDoesNotAllocate(t *testing.T) {
	ts := idleTrack()
	buf := make([][2]float64, 512)
	allocs := testing.AllocsPerRun(200, func() {
		if n, _ := ts.Stream(buf); n < len(buf) {
			ts.refill()
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per Stream call", allocs)
	}
}

// BenchmarkSeekInside: from Seek to the first sample, within a fully
// buffered track over loopback HTTP.
func BenchmarkSeekInside(b *testing.B) {
	e := newTrackEnv(b, "a128")
	ts := OpenTrack(e.id("a128"), 0, e.opts())
	defer ts.Close()
	pull(b, ts, 1000)
	poll.Until(b, "the whole file", ts.Downloaded)
	buf := make([][2]float64, 512)
	i := 0
	for b.Loop() {
		i++
		ts.Seek(time.Duration(1+(i*7)%17)*time.Second + 300*time.Millisecond)
		for {
			n, ok := ts.Stream(buf)
			if !ok {
				b.Fatal(ts.Err())
			}
			if n > 0 {
				break
			}
			runtime.Gosched()
		}
	}
	if n := len(e.srv.Calls("/")); n != 1 {
		b.Fatalf("%d stream requests", n)
	}
}

// BenchmarkSeekOutside: from Seek to the first sample, beyond the buffer: a
// start= request over loopback HTTP (without the burst debounce, reported
// separately: seekDebounce).
func BenchmarkSeekOutside(b *testing.B) {
	e := newLoopEnv(b, 3)
	o := e.opts()
	o.ReadAhead = 64 << 10
	o.KeepBehind = 16 << 10
	o.debounce = -1
	ts := OpenTrack(e.srv.FileID("/Music/long.mp3"), 0, o)
	defer ts.Close()
	pull(b, ts, 1000)
	buf := make([][2]float64, 512)
	i := 0
	for b.Loop() {
		i++
		ts.Seek(time.Duration(10+(i%2)*30) * time.Second)
		for {
			n, ok := ts.Stream(buf)
			if !ok {
				b.Fatal(ts.Err())
			}
			if n > 0 {
				break
			}
			time.Sleep(20 * time.Microsecond)
		}
	}
	b.ReportMetric(float64(seekDebounce.Milliseconds()), "debounce-ms")
}

// loopReader plays the audio frames of a fixture over and over, up to n
// bytes.
type loopReader struct {
	frames []byte
	off    int
	left   int64
}

func (l *loopReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n := copy(p, l.frames[l.off:])
	l.off = (l.off + n) % len(l.frames)
	l.left -= int64(n)
	return n, nil
}

// BenchmarkMemory60Min streams a synthetic 60-minute mp3 (a128's frames
// looped) from memory as fast as it decodes and reports the live heap at
// 10, 30 and 60 minutes of audio: bounded and flat.
func BenchmarkMemory60Min(b *testing.B) {
	frames := loopFrames(b, "a128", 1)
	const minutes = 60
	total := int64(len(frames)) * 3 * minutes // a128 is 20 s
	o := StreamOptions{
		Links: memLinks{},
		HTTPClient: &http.Client{Transport: memTransport{
			body:   func() io.Reader { return &loopReader{frames: frames, left: total} },
			length: total,
		}},
		Bitrate: 128,
	}
	buf := make([][2]float64, 4096)
	for b.Loop() {
		ts := OpenTrack(1, 0, o)
		marks := map[int]float64{}
		next := 10
		for {
			n, ok := ts.Stream(buf)
			if !ok {
				break
			}
			if n == 0 {
				time.Sleep(20 * time.Microsecond)
				continue
			}
			if p := ts.Position(); p >= time.Duration(next)*time.Minute-time.Second {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				marks[next] = float64(ms.HeapInuse) / (1 << 20)
				switch next {
				case 10:
					next = 30
				case 30:
					next = 59
				default:
					next = 1 << 30
				}
			}
		}
		ts.Close()
		if ts.Err() != nil {
			b.Fatal(ts.Err())
		}
		for _, m := range []int{10, 30, 59} {
			b.ReportMetric(marks[m], "heapMB@"+strconv.Itoa(m)+"min")
		}
		if marks[59] > marks[10]+2 || marks[59] > 32 {
			b.Errorf("heap grew: %v MB", marks)
		}
	}
}

// BenchmarkFirstSample: from OpenTrack to the first decoded sample, against
// the fake over loopback HTTP (getaudiolink + stream request + decoding).
func BenchmarkFirstSample(b *testing.B) {
	e := newTrackEnv(b, "a128")
	id := e.id("a128")
	o := e.opts()
	buf := make([][2]float64, 512)
	for b.Loop() {
		ts := OpenTrack(id, 0, o)
		for {
			n, ok := ts.Stream(buf)
			if !ok {
				b.Fatal(ts.Err())
			}
			if n > 0 {
				break
			}
			time.Sleep(20 * time.Microsecond)
		}
		ts.Close()
	}
}
