package mpeg

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"sync"
	"testing"

	gomp3 "github.com/hajimehoshi/go-mp3"

	"github.com/pcplay/pcplay/internal/fixtures"
)

func TestScanFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range fixtures.All() {
		t.Run(f.Name, func(t *testing.T) {
			data := f.Data()
			s := Scan(data)
			if s.Info == nil || !s.Info.HasLAME || s.Info.Encoder != "LAME3.100" {
				t.Fatalf("Info = %+v", s.Info)
			}
			inf := *s.Info
			if inf.VBR != f.VBR || inf.EncoderDelay != 576 {
				t.Errorf("Info = %+v", inf)
			}
			h := s.Frames[0].Header
			if h.SampleRate != f.SampleRate || h.Channels != f.Channels || h.Version != 1 || h.Samples != 1152 {
				t.Errorf("header %+v", h)
			}
			for _, fr := range s.Frames {
				if !f.VBR && fr.Header.Bitrate != f.Bitrate {
					t.Fatalf("frame at %d: %d kbit/s", fr.Off, fr.Header.Bitrate)
				}
			}
			id3 := ID3v2Size(data)
			ih, _ := ParseHeader(data[s.InfoOff:])
			if (id3 > 0) != (f.Title != "") || s.InfoOff != id3 || s.DataStart != s.InfoOff+ih.FrameLen {
				t.Errorf("id3 %d, InfoOff %d, DataStart %d", id3, s.InfoOff, s.DataStart)
			}
			switch {
			case f.Truncated:
				// Cut in a frame at ~60%: the frames before it survive, the cut one does not.
				want := int(0.6 * float64(inf.Frames))
				if n := len(s.Frames); n < want-2 || n > want+2 {
					t.Errorf("%d frames left of %d, want about %d", n, inf.Frames, want)
				}
				if s.AudioEnd >= len(data) {
					t.Errorf("AudioEnd %d: the cut frame was counted", s.AudioEnd)
				}
			case f.Garbled:
				// 4096 random bytes: about ten 313-byte frames are lost, and the one before.
				lost := inf.Frames - len(s.Frames)
				if lost < 12 || lost > 16 {
					t.Errorf("lost %d frames of %d", lost, inf.Frames)
				}
			default:
				// lame's own count (the Info tag) and ours agree, and so do the lengths.
				if len(s.Frames) != inf.Frames || inf.Bytes != len(data)-id3-tagV1(data) {
					t.Errorf("%d frames, %d bytes to %d; Info says %d frames, %d bytes", len(s.Frames), s.AudioEnd, len(data), inf.Frames, inf.Bytes)
				}
				if s.AudioEnd != len(data)-tagV1(data) {
					t.Errorf("AudioEnd %d, len %d", s.AudioEnd, len(data))
				}
				if got := s.Samples() - inf.EncoderDelay - inf.Padding; got != f.SourceSamples {
					t.Errorf("frames*1152 - delay - padding = %d, source has %d", got, f.SourceSamples)
				}
				if got, want := s.Seconds(), float64(f.SourceSamples)/float64(f.SampleRate); math.Abs(got-want) > 1e-9 {
					t.Errorf("Seconds = %v, want %v", got, want)
				}
				for sec := 0; sec <= f.Seconds; sec++ {
					idx := (sec*f.SampleRate + 1151) / 1152
					want := len(data)
					if idx < len(s.Frames) {
						want = s.Frames[idx].Off
					}
					if got := s.OffsetForSecond(sec); got != want {
						t.Errorf("OffsetForSecond(%d) = %d, want frame %d at %d", sec, got, idx, want)
					}
				}
			}
		})
	}
}

func tagV1(d []byte) int {
	if len(d) >= 128 && string(d[len(d)-128:len(d)-125]) == "TAG" {
		return 128
	}
	return 0
}

func decodeMono(data []byte) ([]float64, error) {
	d, err := gomp3.NewDecoder(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(d)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(b)/4)
	for i := range out {
		l := int16(binary.LittleEndian.Uint16(b[4*i:]))
		r := int16(binary.LittleEndian.Uint16(b[4*i+2:]))
		out[i] = (float64(l) + float64(r)) / 2 / 32768
	}
	return out, nil
}

// TestGaplessTrimGoMP3 decodes gapless1 and gapless2 with go-mp3, trims each
// with GaplessTrim, and checks that together they are the 10 s source: the
// same length, sample for sample close to it, and no jump at the join.
func TestGaplessTrimGoMP3(t *testing.T) {
	t.Parallel()
	// go-mp3 is slow under -race: the two files are decoded at once.
	names := []string{"gapless1", "gapless2"}
	pcms, errs := make([][]float64, len(names)), make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { pcms[i], errs[i] = decodeMono(fixtures.Get(name).Data()) })
	}
	wg.Wait()
	var joined []float64
	for i, name := range names {
		f := fixtures.Get(name)
		data := f.Data()
		s := Scan(data)
		skip, keep, ok := s.GaplessTrim()
		if !ok || skip != 2257 || keep != f.SourceSamples {
			t.Fatalf("%s: GaplessTrim = %d, %d, %v; want 2257, %d", name, skip, keep, ok, f.SourceSamples)
		}
		pcm, err := pcms[i], errs[i]
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(pcm) != skip+keep+(s.Info.Padding-DecoderDelay) {
			t.Fatalf("%s: go-mp3 gave %d samples, want %d", name, len(pcm), skip+keep+s.Info.Padding-DecoderDelay)
		}
		joined = append(joined, pcm[skip:skip+keep]...)
	}
	whole := fixtures.Fixture{SampleRate: 44100, SourceSamples: 441000, Base: 2595, Step: fixtures.Step}.Source()
	if len(joined) != len(whole) {
		t.Fatalf("joined %d samples, source %d", len(joined), len(whole))
	}
	// The decoded audio follows the source everywhere, across the join too:
	// the RMS difference over every 1000-sample window stays near the codec's
	// own error (about 0.009 here), while a misalignment of a single sample
	// would make it about 0.064.
	const win = 1000
	var worst float64
	worstAt := 0
	for at := 0; at+win <= len(whole); at += win / 2 {
		var ss float64
		for i := at; i < at+win; i++ {
			d := joined[i] - whole[i]
			ss += d * d
		}
		if r := math.Sqrt(ss / win); r > worst {
			worst, worstAt = r, at
		}
	}
	if worst > 0.02 {
		t.Errorf("decoded audio differs from the source by RMS %.4f at sample %d (join at 233730)", worst, worstAt)
	}
	t.Logf("largest RMS difference from the source: %.4f in the window at sample %d", worst, worstAt)
}

func TestGaplessTrimNoTag(t *testing.T) {
	if _, _, ok := (Stream{}).GaplessTrim(); ok {
		t.Error("no Info, no trim")
	}
	s := Scan(fixtures.Get("truncated").Data())
	skip, keep, ok := s.GaplessTrim()
	if !ok || skip != 2257 || skip+keep != 1152*(len(s.Frames)+1) {
		t.Errorf("truncated: %d %d %v", skip, keep, ok)
	}
}

func BenchmarkScan(b *testing.B) {
	// about 3 MB: ten copies of a128's frames after its Info frame
	d := fixtures.Get("a128").Data()
	s := Scan(d)
	data := append([]byte(nil), d[:s.DataStart]...)
	for range 10 {
		data = append(data, d[s.DataStart:s.AudioEnd]...)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if n := len(Scan(data).Frames); n != 10*len(s.Frames) {
			b.Fatalf("%d frames", n)
		}
	}
}

func BenchmarkOffsetForSecond(b *testing.B) {
	s := Scan(fixtures.Get("a128").Data())
	for b.Loop() {
		s.OffsetForSecond(19)
	}
}
