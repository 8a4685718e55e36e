package mpeg

import (
	"testing"
)

// fuzzSeeds are small streams for the fuzz targets' seed corpora; more seeds
// from the real fixtures are added in fixtures_test.go.
func fuzzSeeds(t testing.TB) [][]byte {
	f := frame(t, hdr128, 0x11)
	info := infoFrame(t, hdr128, "Info", 2, 0, 576, 1200)
	s := append(append(append([]byte{}, info...), f...), f...)
	return [][]byte{
		nil,
		hdr128,
		s,
		append([]byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 1, 0}, s...),
		append(append([]byte{}, s...), append([]byte("TAG"), make([]byte, 125)...)...),
		s[:len(s)-7],
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		if len(s) >= 4 {
			f.Add(s[:4])
		}
	}
	f.Add([]byte{0xFF, 0xE3, 0x18, 0xC0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := ParseHeader(b)
		if !ok {
			return
		}
		if h.Layer != 3 || h.Bitrate <= 0 || h.SampleRate <= 0 || h.FrameLen < 24 || (h.Channels != 1 && h.Channels != 2) {
			t.Fatalf("implausible header %+v from % x", h, b[:4])
		}
		if h.Samples != 1152 && h.Samples != 576 {
			t.Fatalf("samples %d", h.Samples)
		}
	})
}

func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, 0)
	}
	for _, s := range fixtureSeeds(f) {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, data []byte, from int) {
		if off, h, ok := NextFrame(data, from); ok {
			if off < from || off+h.FrameLen > len(data) {
				t.Fatalf("frame at %d len %d out of range (from %d, len %d)", off, h.FrameLen, from, len(data))
			}
		}
		s := Scan(data)
		prev := -1
		for _, fr := range s.Frames {
			if fr.Off <= prev || fr.Off+fr.Header.FrameLen > len(data) {
				t.Fatalf("bad frame %+v after %d (len %d)", fr, prev, len(data))
			}
			prev = fr.Off + fr.Header.FrameLen - 1
		}
		if n := ReservoirSkip(data, s.Frames); n < 0 || n > len(s.Frames) {
			t.Fatalf("ReservoirSkip = %d of %d frames", n, len(s.Frames))
		}
		if skip, keep, ok := s.GaplessTrim(); ok && (skip < 0 || keep < 0) {
			t.Fatalf("GaplessTrim = %d, %d", skip, keep)
		}
		for sec := -1; sec < 5; sec++ {
			if o := s.OffsetForSecond(sec); o < 0 || o > len(data) {
				t.Fatalf("OffsetForSecond(%d) = %d", sec, o)
			}
		}
	})
}

func FuzzParseInfo(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	for _, s := range fixtureSeeds(f) {
		if off, h, ok := NextFrame(s, ID3v2Size(s)); ok {
			f.Add(s[off : off+h.FrameLen])
		}
	}
	f.Fuzz(func(t *testing.T, fr []byte) {
		h, ok := ParseHeader(fr)
		if !ok {
			return
		}
		inf, ok := ParseInfo(fr, h)
		if ok && (inf.Frames < 0 || inf.Bytes < 0 || inf.EncoderDelay > 4095 || inf.Padding > 4095) {
			t.Fatalf("implausible %+v", inf)
		}
	})
}
