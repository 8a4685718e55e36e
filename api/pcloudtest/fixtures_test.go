package pcloudtest

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
	"testing"

	"github.com/hajimehoshi/go-mp3"

	"github.com/pcplay/pcplay/internal/fixtures"
)

// zeroCrossingFreq measures the frequency of a pure tone in the left channel
// of 16-bit little-endian stereo PCM, over the samples [from, to).
func zeroCrossingFreq(pcm []byte, rate, from, to int) float64 {
	prev := 0
	crossings := 0
	first, last := -1, -1
	for i := from; i < to && (i+1)*4 <= len(pcm); i++ {
		v := int(int16(binary.LittleEndian.Uint16(pcm[i*4:])))
		if prev < 0 && v >= 0 {
			if first < 0 {
				first = i
			}
			last = i
			crossings++
		}
		prev = v
	}
	if crossings < 2 {
		return 0
	}
	return float64(crossings-1) * float64(rate) / float64(last-first)
}

// TestStartLandsOnTheRightSecond plays real mp3s (internal/fixtures) from
// start=N through go-mp3 and checks that the tone heard is second N's.
func TestStartLandsOnTheRightSecond(t *testing.T) {
	t.Parallel()
	var files []*Node
	cases := map[string][]int{"a128": {0, 3, 11, 19}, "vbr": {1, 6}, "r48k": {2, 7}, "mono": {4}, "tagged": {0, 2}}
	for name := range cases {
		f := fixtures.Get(name)
		files = append(files, AudioFile(name+".mp3", map[int][]byte{128: f.Data()}, Tags{}))
	}
	s := newTestServer(t, func(o *Options) { o.Root = Dir("", files...) })
	tok := s.Token(alice)
	// go-mp3 is slow under -race: the cases are decoded in parallel.
	for name, secs := range cases {
		f := fixtures.Get(name)
		u := audioLink(t, s, tok, strconv.FormatUint(s.FileID("/"+name+".mp3"), 10))[0]
		for _, sec := range secs {
			t.Run(name+"/start="+strconv.Itoa(sec), func(t *testing.T) {
				t.Parallel()
				st, _, body, err := get(t, u+"?start="+strconv.Itoa(sec))
				if err != nil || st != 200 {
					t.Fatalf("%s start=%d: %d %v", name, sec, st, err)
				}
				if sec == 0 && !bytes.Equal(body, f.Data()) {
					t.Fatalf("%s start=0 is not the whole file", name)
				}
				// A plain reader: go-mp3 would scan a whole io.Seeker first.
				dec, err := mp3.NewDecoder(struct{ io.Reader }{bytes.NewReader(body)})
				if err != nil {
					t.Fatalf("%s start=%d: go-mp3: %v", name, sec, err)
				}
				pcm, err := io.ReadAll(io.LimitReader(dec, int64(f.SampleRate)*4*7/10)) // 0.7 s
				if err != nil && len(pcm) == 0 {
					t.Fatalf("%s start=%d: decode: %v", name, sec, err)
				}
				// Skip the decoder's start-up (the bit reservoir of frames that
				// are not there: up to 0.2 s of noise with the VBR fixture; the
				// Info frame's silence at start=0): measure 0.35 s .. 0.65 s,
				// well inside second N (the served frame starts at most one
				// frame's encoder delay before N).
				from, to := f.SampleRate*35/100, f.SampleRate*65/100
				freq := zeroCrossingFreq(pcm, f.SampleRate, from, to)
				got, gotSec, ok := fixtures.Identify(freq)
				if !ok || gotSec != sec || (got != name && !(name == "a64" && got == "a128")) {
					t.Errorf("%s start=%d: heard %.1f Hz = %s second %d (ok %v), want second %d (%.0f Hz)",
						name, sec, freq, got, gotSec, ok, sec, f.FreqAt(sec))
				}
			})
		}
	}
}
