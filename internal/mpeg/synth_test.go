package mpeg

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// hdr128 is MPEG-1 Layer III, no CRC, 128 kbit/s, 44100 Hz, no padding, joint stereo.
var hdr128 = []byte{0xFF, 0xFB, 0x90, 0x40}

// frame builds a frame of the given header bytes filled with filler.
func frame(t testing.TB, hb []byte, filler byte) []byte {
	t.Helper()
	h, ok := ParseHeader(hb)
	if !ok {
		t.Fatalf("bad test header % x", hb)
	}
	f := bytes.Repeat([]byte{filler}, h.FrameLen)
	copy(f, hb)
	return f
}

// infoFrame builds a LAME-style Info frame with frames/bytes/toc/quality and a LAME tag.
func infoFrame(t testing.TB, hb []byte, tag string, frames, size, delay, pad int) []byte {
	t.Helper()
	h, _ := ParseHeader(hb)
	f := frame(t, hb, 0)
	o := 4 + h.sideInfoLen()
	copy(f[o:], tag)
	binary.BigEndian.PutUint32(f[o+4:], 0xF)
	binary.BigEndian.PutUint32(f[o+8:], uint32(frames))
	binary.BigEndian.PutUint32(f[o+12:], uint32(size))
	p := o + 8 + 4 + 4 + 100 + 4
	copy(f[p:], "LAME3.100")
	f[p+21] = byte(delay >> 4)
	f[p+22] = byte(delay&0xF)<<4 | byte(pad>>8)
	f[p+23] = byte(pad)
	return f
}

func TestParseHeaderTable(t *testing.T) {
	cases := []struct {
		b    []byte
		ok   bool
		want Header
	}{
		{hdr128, true, Header{Version: 1, Layer: 3, Bitrate: 128, SampleRate: 44100, Channels: 2, FrameLen: 417, Samples: 1152}},
		{[]byte{0xFF, 0xFB, 0x92, 0xC0}, true, Header{Version: 1, Layer: 3, Bitrate: 128, SampleRate: 44100, Channels: 1, Padding: true, FrameLen: 418, Samples: 1152}},
		{[]byte{0xFF, 0xFB, 0x94, 0x00}, true, Header{Version: 1, Layer: 3, Bitrate: 128, SampleRate: 48000, Channels: 2, FrameLen: 384, Samples: 1152}},
		{[]byte{0xFF, 0xFB, 0xE0, 0x00}, true, Header{Version: 1, Layer: 3, Bitrate: 320, SampleRate: 44100, Channels: 2, FrameLen: 1044, Samples: 1152}},
		{[]byte{0xFF, 0xFA, 0x10, 0x00}, true, Header{Version: 1, Layer: 3, Bitrate: 32, SampleRate: 44100, Channels: 2, FrameLen: 104, Samples: 1152, Protected: true}},
		// MPEG-2, 64 kbit/s, 22050 Hz: 72*64000/22050 = 208
		{[]byte{0xFF, 0xF3, 0x80, 0x00}, true, Header{Version: 2, Layer: 3, Bitrate: 64, SampleRate: 22050, Channels: 2, FrameLen: 208, Samples: 576}},
		// MPEG-2.5, 8 kbit/s, 8000 Hz: 72*8000/8000 = 72
		{[]byte{0xFF, 0xE3, 0x18, 0xC0}, true, Header{Version: 25, Layer: 3, Bitrate: 8, SampleRate: 8000, Channels: 1, FrameLen: 72, Samples: 576}},
		{[]byte{0xFF, 0xFB, 0x00, 0x00}, false, Header{}}, // free format
		{[]byte{0xFF, 0xFB, 0xF0, 0x00}, false, Header{}}, // bad bitrate
		{[]byte{0xFF, 0xFB, 0x9C, 0x00}, false, Header{}}, // reserved sample rate
		{[]byte{0xFF, 0xEB, 0x90, 0x00}, false, Header{}}, // reserved version
		{[]byte{0xFF, 0xFD, 0x90, 0x00}, false, Header{}}, // layer II
		{[]byte{0xFF, 0xFF, 0x90, 0x00}, false, Header{}}, // layer I
		{[]byte{0xFF, 0xF9, 0x90, 0x00}, false, Header{}}, // reserved layer
		{[]byte{0xFF, 0xFB, 0x90, 0x02}, false, Header{}}, // reserved emphasis
		{[]byte{0xFE, 0xFB, 0x90, 0x00}, false, Header{}}, // no sync
		{[]byte{0xFF, 0xFB, 0x90}, false, Header{}},       // short
		{nil, false, Header{}},
	}
	for _, c := range cases {
		h, ok := ParseHeader(c.b)
		if ok != c.ok || h != c.want {
			t.Errorf("ParseHeader(% x) = %+v, %v; want %+v, %v", c.b, h, ok, c.want, c.ok)
		}
	}
}

func TestID3v2Size(t *testing.T) {
	tag := []byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0x02, 0x01}
	if got := ID3v2Size(tag); got != 10+257 {
		t.Errorf("v2.3 size = %d, want 267", got)
	}
	footer := []byte{'I', 'D', '3', 4, 0, 0x10, 0, 0, 0, 5}
	if got := ID3v2Size(footer); got != 25 {
		t.Errorf("v2.4 with footer = %d, want 25", got)
	}
	for _, b := range [][]byte{nil, []byte("ID3"), {'I', 'D', '3', 3, 0, 0, 0x80, 0, 0, 0}, {'T', 'A', 'G', 3, 0, 0, 0, 0, 0, 0}, {'I', 'D', '3', 0xFF, 0, 0, 0, 0, 0, 0}} {
		if got := ID3v2Size(b); got != 0 {
			t.Errorf("ID3v2Size(% x) = %d, want 0", b, got)
		}
	}
}

func TestNextFrameSkipsGarbage(t *testing.T) {
	f := frame(t, hdr128, 0x55)
	// A lone valid-looking header in garbage must not count: what follows it is not a frame.
	garbage := append([]byte{1, 2, 3}, hdr128...)
	garbage = append(garbage, 9, 9, 9, 9, 9)
	data := append(append(append([]byte{}, garbage...), f...), f...)
	off, h, ok := NextFrame(data, 0)
	if !ok || off != len(garbage) || h.FrameLen != 417 {
		t.Fatalf("NextFrame = %d %+v %v; want %d", off, h, ok, len(garbage))
	}
	// The last frame counts because it ends exactly at the end of the data.
	off, _, ok = NextFrame(data, len(garbage)+1)
	if !ok || off != len(garbage)+len(f) {
		t.Fatalf("second NextFrame = %d %v", off, ok)
	}
	// A frame cut short is not a frame.
	if _, _, ok := NextFrame(data[:len(data)-1], len(garbage)+1); ok {
		t.Fatal("found a frame in a truncated tail")
	}
	if _, _, ok := NextFrame(data, len(data)+10); ok {
		t.Fatal("found a frame past the end")
	}
	if off, _, ok := NextFrame(data, -5); !ok || off != len(garbage) {
		t.Fatal("negative from should start at 0")
	}
}

func TestNextFrameNeedsCompatibleSuccessor(t *testing.T) {
	a := frame(t, hdr128, 0)
	b := frame(t, []byte{0xFF, 0xFB, 0x94, 0x00}, 0) // 48 kHz: not in the same stream
	data := append(append(append([]byte{}, a...), b...), 0)
	if _, _, ok := NextFrame(data, 0); ok {
		t.Fatal("a 44.1 kHz frame followed by a 48 kHz one must not count")
	}
}

func TestScanSynthetic(t *testing.T) {
	const n = 100
	var data []byte
	data = append(data, 'I', 'D', '3', 3, 0, 0, 0, 0, 0, 20)
	data = append(data, make([]byte, 20)...)
	id3 := len(data)
	data = append(data, infoFrame(t, hdr128, "Info", n, 0, 576, 1000)...)
	for i := 0; i < n; i++ {
		data = append(data, frame(t, hdr128, byte(i))...)
	}
	v1 := make([]byte, 128)
	copy(v1, "TAG")
	data = append(data, v1...)

	s := Scan(data)
	if s.Info == nil || s.InfoOff != id3 {
		t.Fatalf("Info = %+v at %d, want at %d", s.Info, s.InfoOff, id3)
	}
	want := Info{Frames: n, HasLAME: true, EncoderDelay: 576, Padding: 1000, Encoder: "LAME3.100"}
	if *s.Info != want {
		t.Errorf("Info = %+v, want %+v", *s.Info, want)
	}
	if len(s.Frames) != n {
		t.Fatalf("%d frames, want %d", len(s.Frames), n)
	}
	if s.DataStart != id3+417 || s.Frames[0].Off != s.DataStart {
		t.Errorf("DataStart = %d", s.DataStart)
	}
	if s.AudioEnd != len(data)-128 || s.Size != len(data) {
		t.Errorf("AudioEnd %d Size %d, len %d", s.AudioEnd, s.Size, len(data))
	}
	for i, f := range s.Frames {
		if f.Off != id3+417*(i+1) {
			t.Fatalf("frame %d at %d", i, f.Off)
		}
	}
	// second 1 starts at frame ceil(44100/1152) = 39; second 2 at ceil(88200/1152) = 77.
	for sec, idx := range map[int]int{0: 0, -3: 0, 1: 39, 2: 77} {
		if got := s.OffsetForSecond(sec); got != s.Frames[idx].Off {
			t.Errorf("OffsetForSecond(%d) = %d, want frame %d at %d", sec, got, idx, s.Frames[idx].Off)
		}
		if got := s.FrameForSecond(sec); got != idx {
			t.Errorf("FrameForSecond(%d) = %d, want %d", sec, got, idx)
		}
	}
	if got := s.OffsetForSecond(3); got != len(data) {
		t.Errorf("OffsetForSecond past the end = %d, want %d", got, len(data))
	}
	if got, want := s.Samples(), n*1152; got != want {
		t.Errorf("Samples = %d, want %d", got, want)
	}
	if got, want := s.Seconds(), float64(n*1152-1576)/44100; got != want {
		t.Errorf("Seconds = %v, want %v", got, want)
	}
}

func TestScanEmptyAndJunk(t *testing.T) {
	for _, d := range [][]byte{nil, {0xFF}, bytes.Repeat([]byte{0xFF}, 1000), {'I', 'D', '3', 3, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F}} {
		s := Scan(d)
		if len(s.Frames) != 0 || s.Info != nil || s.DataStart != len(d) || s.OffsetForSecond(0) != len(d) {
			t.Errorf("Scan(% x...) = %+v", d[:min(len(d), 8)], s)
		}
	}
}

func TestParseInfoVariants(t *testing.T) {
	xing := infoFrame(t, hdr128, "Xing", 7, 1234, 1, 4095)
	h, _ := ParseHeader(xing)
	inf, ok := ParseInfo(xing, h)
	if !ok || !inf.VBR || inf.Frames != 7 || inf.Bytes != 1234 || inf.EncoderDelay != 1 || inf.Padding != 4095 {
		t.Errorf("Xing = %+v %v", inf, ok)
	}
	if _, ok := ParseInfo(frame(t, hdr128, 0), h); ok {
		t.Error("a plain frame has no Info tag")
	}
	// Mono MPEG-1: side info is 17 bytes.
	mono := []byte{0xFF, 0xFB, 0x50, 0xC0}
	m := infoFrame(t, mono, "Info", 3, 0, 576, 0)
	hm, _ := ParseHeader(m)
	if inf, ok := ParseInfo(m, hm); !ok || inf.Frames != 3 || inf.VBR {
		t.Errorf("mono Info = %+v %v", inf, ok)
	}
	// Cut short anywhere: never panics.
	for i := 0; i <= len(xing); i++ {
		ParseInfo(xing[:i], h)
	}
	// Only frames flag, no LAME tag.
	f := frame(t, hdr128, 0)
	copy(f[36:], "Info")
	binary.BigEndian.PutUint32(f[40:], 1)
	binary.BigEndian.PutUint32(f[44:], 42)
	if inf, ok := ParseInfo(f, h); !ok || inf.Frames != 42 || inf.HasLAME {
		t.Errorf("minimal Info = %+v %v", inf, ok)
	}
}

func TestMainDataBegin(t *testing.T) {
	f := frame(t, hdr128, 0)
	h, _ := ParseHeader(f)
	f[4], f[5] = 0xAB, 0x80 // 9 bits: 1010 1011 1 = 343
	if got := MainDataBegin(f, h); got != 343 {
		t.Errorf("MPEG-1: %d, want 343", got)
	}
	if got := MainDataBegin(f[:5], h); got != -1 {
		t.Errorf("short: %d", got)
	}
	crc := []byte{0xFF, 0xFA, 0x90, 0x40} // protected: the field moves 2 bytes
	fc := frame(t, crc, 0)
	hc, _ := ParseHeader(fc)
	fc[6], fc[7] = 0x01, 0x00
	if got := MainDataBegin(fc, hc); got != 2 {
		t.Errorf("CRC: %d, want 2", got)
	}
	m2 := frame(t, []byte{0xFF, 0xF3, 0x80, 0x00}, 0)
	h2, _ := ParseHeader(m2)
	m2[4] = 200 // 8 bits in MPEG-2
	if got := MainDataBegin(m2, h2); got != 200 {
		t.Errorf("MPEG-2: %d, want 200", got)
	}
	if h.MainDataLen() != 417-4-32 || hc.MainDataLen() != 417-4-2-32 || h2.MainDataLen() != 208-4-17 {
		t.Errorf("MainDataLen %d %d %d", h.MainDataLen(), hc.MainDataLen(), h2.MainDataLen())
	}
}

func TestReservoirSkip(t *testing.T) {
	mk := func(mdbs ...int) ([]byte, []Frame) {
		var data []byte
		for _, m := range mdbs {
			f := frame(t, hdr128, 0)
			f[4], f[5] = byte(m>>1), byte(m&1)<<7
			data = append(data, f...)
		}
		return data, Scan(data).Frames
	}
	avail := 417 - 36
	for _, c := range []struct {
		mdbs []int
		want int
	}{
		{[]int{0, 100, 100}, 0},
		{[]int{10, 0, 0}, 1},
		{[]int{300, 300, 300}, 1},                // frame 1 finds 300 bytes in frame 0
		{[]int{300, avail + 1, avail + 1, 0}, 2}, // one frame is not enough for frame 1
		{[]int{5, 5}, 1},
		{[]int{5}, 1}, // nothing decodable
	} {
		data, frames := mk(c.mdbs...)
		if got := ReservoirSkip(data, frames); got != c.want {
			t.Errorf("ReservoirSkip(%v) = %d, want %d", c.mdbs, got, c.want)
		}
	}
	if got := ReservoirSkip(nil, nil); got != 0 {
		t.Errorf("empty: %d", got)
	}
}
