// Package audiotest measures what a test hears: the main frequency of a
// stretch of samples ([DominantFreq]), a timeline of which fixture second is
// playing ([Timeline], [Labels]), silent gaps ([Gaps]) and clicks
// ([Clicks]), on PCM as the outputs write it or as go-mp3 decodes a file
// ([DecodeMP3]). It is a normal package so that the tests of other packages
// (player, internal/demo, the end-to-end tests in e2e) can use it.
package audiotest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/cmplx"

	gomp3 "github.com/hajimehoshi/go-mp3"

	"github.com/pcplay/pcplay/internal/fixtures"
)

// SilenceDB is the level below which a stretch counts as silent (RMS, dBFS).
const SilenceDB = -50.0

var silenceRMS = math.Pow(10, SilenceDB/20)

// MonoFromInt16Stereo turns 16-bit little-endian interleaved stereo (what
// go-mp3 outputs) into mono samples in [-1, 1). A trailing partial frame is
// ignored.
func MonoFromInt16Stereo(b []byte) []float64 {
	out := make([]float64, len(b)/4)
	for i := range out {
		l := int16(binary.LittleEndian.Uint16(b[4*i:]))
		r := int16(binary.LittleEndian.Uint16(b[4*i+2:]))
		out[i] = (float64(l) + float64(r)) / (2 * 32768)
	}
	return out
}

// MonoFromFloat32Stereo turns 32-bit float little-endian interleaved stereo
// (an ALSA or PulseAudio capture) into mono samples. A trailing partial frame
// is ignored.
func MonoFromFloat32Stereo(b []byte) []float64 {
	out := make([]float64, len(b)/8)
	for i := range out {
		l := math.Float32frombits(binary.LittleEndian.Uint32(b[8*i:]))
		r := math.Float32frombits(binary.LittleEndian.Uint32(b[8*i+4:]))
		out[i] = (float64(l) + float64(r)) / 2
	}
	return out
}

// DecodeMP3 decodes a whole mp3 with go-mp3 into mono samples and returns
// them with the sample rate. The output is go-mp3's, untrimmed: it starts
// with the Info frame and the encoder and decoder delays (see
// mpeg.Stream.GaplessTrim).
func DecodeMP3(data []byte) ([]float64, int, error) {
	d, err := gomp3.NewDecoder(bytes.NewReader(data))
	if err != nil {
		return nil, 0, fmt.Errorf("audiotest: decode: %w", err)
	}
	b, err := io.ReadAll(d)
	if err != nil {
		return nil, 0, fmt.Errorf("audiotest: decode: %w", err)
	}
	return MonoFromInt16Stereo(b), d.SampleRate(), nil
}

// RMS is the root mean square of samples (0 for none).
func RMS(samples []float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	var ss float64
	for _, v := range samples {
		ss += v * v
	}
	return math.Sqrt(ss / float64(len(samples)))
}

// DB is a level in dBFS (-Inf for 0).
func DB(level float64) float64 { return 20 * math.Log10(level) }

// Silent reports whether samples are below [SilenceDB].
func Silent(samples []float64) bool { return RMS(samples) < silenceRMS }

// DominantFreq estimates the frequency (Hz) of the strongest tone in mono
// samples at rate: a Hann window, an FFT zero-padded to at least 4 times the
// window, and interpolation of the peak on a Gaussian fit (a parabola through
// the log magnitudes of the three highest bins). For a pure tone above 100 Hz
// it is accurate to well under 1 Hz on a 50 ms window. It returns 0 for
// silence, fewer than 16 samples, or a bad rate.
//
// It and fft are not instrumented by the race detector (go:norace): they
// work on the caller's samples and their own buffer, and under -race the
// tests' many measurements cost four times as much otherwise.
//
//go:norace
func DominantFreq(samples []float64, rate int) float64 {
	n := len(samples)
	if n < 16 || rate <= 0 || Silent(samples) {
		return 0
	}
	size := 1
	for size < 4*n {
		size <<= 1
	}
	buf := make([]complex128, size)
	var mean float64
	for _, v := range samples {
		mean += v
	}
	mean /= float64(n)
	for i, v := range samples {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		buf[i] = complex((v-mean)*w, 0)
	}
	fft(buf)
	half := size / 2
	lo := int(20 * float64(size) / float64(rate)) // ignore below 20 Hz
	lo = max(lo, 1)
	peak, pmag := -1, 0.0
	for k := lo; k < half-1; k++ {
		if m := cmplx.Abs(buf[k]); m > pmag {
			peak, pmag = k, m
		}
	}
	if peak < 0 || pmag == 0 {
		return 0
	}
	a := math.Log(cmplx.Abs(buf[peak-1]) + 1e-300)
	b := math.Log(pmag)
	c := math.Log(cmplx.Abs(buf[peak+1]) + 1e-300)
	delta := 0.0
	if den := a - 2*b + c; den != 0 {
		delta = 0.5 * (a - c) / den
	}
	if delta > 0.5 || delta < -0.5 || math.IsNaN(delta) {
		delta = 0
	}
	return (float64(peak) + delta) * float64(rate) / float64(size)
}

// fft is an in-place radix-2 FFT; len(x) must be a power of two.
//
//go:norace
func fft(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for l := 2; l <= n; l <<= 1 {
		ang := -2 * math.Pi / float64(l)
		wl := complex(math.Cos(ang), math.Sin(ang))
		for i := 0; i < n; i += l {
			w := complex(1, 0)
			for k := 0; k < l/2; k++ {
				u := x[i+k]
				v := x[i+k+l/2] * w
				x[i+k] = u + v
				x[i+k+l/2] = u - v
				w *= wl
			}
		}
	}
}

// Point is one measurement of a [Timeline].
type Point struct {
	At      float64 // seconds from the start of the recording to the middle of the window
	Freq    float64 // dominant frequency, Hz; 0 when silent
	Fixture string  // fixtures.Identify of Freq; "" when unknown or silent
	Second  int     // the fixture's tone second (valid when Fixture != "")
	Silent  bool
}

// Timeline measures the recording every step seconds over windows of
// window seconds, and names the fixture second heard at each point. Windows
// that would run past the end are not measured.
func Timeline(samples []float64, rate int, window, step float64) []Point {
	if rate <= 0 || window <= 0 || step <= 0 {
		return nil
	}
	w := int(window * float64(rate))
	if w < 16 {
		return nil
	}
	var pts []Point
	for i := 0; ; i++ {
		start := int(math.Round(float64(i) * step * float64(rate)))
		if start+w > len(samples) {
			break
		}
		seg := samples[start : start+w]
		p := Point{At: (float64(start) + float64(w)/2) / float64(rate)}
		if Silent(seg) {
			p.Silent = true
		} else {
			p.Freq = DominantFreq(seg, rate)
			if name, sec, ok := fixtures.Identify(p.Freq); ok {
				p.Fixture, p.Second = name, sec
			}
		}
		pts = append(pts, p)
	}
	return pts
}

// gapBlock is the resolution of [Gaps], in seconds.
const gapBlock = 0.005

// Gaps returns the start times (seconds) of the silent runs (RMS below
// [SilenceDB] in every 5 ms block) that last longer than minGap seconds. A run
// that reaches the end of the recording counts when it is long enough.
func Gaps(samples []float64, rate int, minGap float64) []float64 {
	var out []float64
	for _, r := range silentRuns(samples, rate, minGap) {
		out = append(out, float64(r[0])/float64(rate))
	}
	return out
}

// WithoutGaps is samples with the silent runs [Gaps] finds taken out, and
// the length of each run taken out, in seconds.
func WithoutGaps(samples []float64, rate int, minGap float64) (rest []float64, gaps []float64) {
	from := 0
	for _, r := range silentRuns(samples, rate, minGap) {
		rest = append(rest, samples[from:r[0]]...)
		gaps = append(gaps, float64(r[1]-r[0])/float64(rate))
		from = r[1]
	}
	return append(rest, samples[from:]...), gaps
}

// silentRuns are the [start, end) sample ranges of the silent runs longer
// than minGap seconds, found block by block.
func silentRuns(samples []float64, rate int, minGap float64) [][2]int {
	if rate <= 0 {
		return nil
	}
	bs := max(int(gapBlock*float64(rate)), 1)
	var out [][2]int
	runStart := -1
	flush := func(end int) {
		if runStart >= 0 && float64(end-runStart)/float64(rate) > minGap {
			out = append(out, [2]int{runStart, end})
		}
		runStart = -1
	}
	i := 0
	for ; i+bs <= len(samples); i += bs {
		if Silent(samples[i : i+bs]) {
			if runStart < 0 {
				runStart = i
			}
		} else {
			flush(i)
		}
	}
	flush(i)
	return out
}

// Clicks returns the times (seconds) where the signal jumps: where the second
// difference |x[n] - 2x[n-1] + x[n-2]| exceeds threshold. A sine of amplitude
// A and frequency f has a second difference of at most A*(2*pi*f/rate)^2
// (0.046 for the fixtures' loudest, highest tone at 44.1 kHz), so 0.15 finds
// discontinuities without flagging any fixture tone. Clicks closer than 10 ms
// to the previous one are reported once.
func Clicks(samples []float64, rate int, threshold float64) []float64 {
	if rate <= 0 {
		return nil
	}
	var out []float64
	last := -rate
	for n := 2; n < len(samples); n++ {
		d := math.Abs(samples[n] - 2*samples[n-1] + samples[n-2])
		if d > threshold && n-last > rate/100 {
			out = append(out, float64(n)/float64(rate))
			last = n
		}
	}
	return out
}

// Label names what a point heard: "a128/3" (fixture/second), "silence", or
// "?" for a sound that is no fixture second (or "?1234Hz" with its frequency).
func (p Point) Label() string {
	switch {
	case p.Silent:
		return "silence"
	case p.Fixture != "":
		return fmt.Sprintf("%s/%d", p.Fixture, p.Second)
	default:
		return fmt.Sprintf("?%.0fHz", p.Freq)
	}
}

// Run is a stretch of consecutive timeline points that heard the same thing.
type Run struct {
	Label    string  // as [Point.Label]
	Fixture  string  // "" for silence or an unknown sound
	Second   int     // the fixture second
	Silent   bool    // silence
	From, To float64 // At of the first and the last point of the run
	Points   int     // how many points
}

// Runs groups consecutive points with the same Label. Unknown sounds are
// grouped together whatever their frequency.
func Runs(points []Point) []Run {
	var out []Run
	for _, p := range points {
		l := p.Label()
		if !p.Silent && p.Fixture == "" {
			l = "?"
		}
		if n := len(out); n > 0 && out[n-1].Label == l {
			out[n-1].To = p.At
			out[n-1].Points++
			continue
		}
		out = append(out, Run{Label: l, Fixture: p.Fixture, Second: p.Second, Silent: p.Silent, From: p.At, To: p.At, Points: 1})
	}
	return out
}

// Labels is the sequence of [Run] labels: what was heard, in order, each thing
// once per stretch, e.g. [a128/3 a128/4 silence b128/0].
func Labels(points []Point) []string {
	runs := Runs(points)
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.Label
	}
	return out
}
