// Package mpeg parses MPEG audio Layer III (mp3) streams at the frame level:
// frame headers, a leading ID3v2 tag, the Xing/Info and LAME tags of the first
// frame, and the list of frames of a whole file. It decodes no audio.
//
// It is used to serve byte ranges that start on a frame boundary (the `start`
// parameter of a stream link), to know the exact length of a stream, and to
// trim the encoder delay and padding for gapless playback.
//
// Nothing here panics on bad input: a malformed header is simply not a frame.
package mpeg

import "encoding/binary"

// Header is a decoded MPEG audio frame header (Layer III only).
type Header struct {
	Version    int  // 1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5
	Layer      int  // always 3: layers 1 and 2 are not accepted
	Bitrate    int  // kbit/s
	SampleRate int  // Hz
	Channels   int  // 1 or 2
	Padding    bool // one extra byte in this frame
	FrameLen   int  // bytes, header included
	Samples    int  // samples per channel per frame: 1152 (MPEG-1) or 576 (MPEG-2/2.5)
	Protected  bool // a 16-bit CRC follows the header
}

var (
	// Layer III bitrates in kbit/s by bitrate index (0 = free format, 15 = bad).
	bitratesV1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	bitratesV2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}

	sampleRatesV1  = [4]int{44100, 48000, 32000, 0}
	sampleRatesV2  = [4]int{22050, 24000, 16000, 0}
	sampleRatesV25 = [4]int{11025, 12000, 8000, 0}
)

// ParseHeader reports whether b[0:4] is a valid Layer III frame header and
// decodes it. Free-format frames, bad or reserved bitrate and sample-rate
// indexes, reserved versions, layers other than III and the reserved emphasis
// value are all rejected.
func ParseHeader(b []byte) (Header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return Header{}, false
	}
	var h Header
	switch (b[1] >> 3) & 3 {
	case 0:
		h.Version = 25
	case 2:
		h.Version = 2
	case 3:
		h.Version = 1
	default: // 1 is reserved
		return Header{}, false
	}
	if (b[1]>>1)&3 != 1 { // 01 = Layer III
		return Header{}, false
	}
	h.Layer = 3
	h.Protected = b[1]&1 == 0
	bi := int(b[2] >> 4)
	si := int(b[2]>>2) & 3
	if bi == 0 || bi == 15 || si == 3 {
		return Header{}, false
	}
	if b[3]&3 == 2 { // reserved emphasis
		return Header{}, false
	}
	h.Padding = (b[2]>>1)&1 == 1
	h.Channels = 2
	if b[3]>>6 == 3 {
		h.Channels = 1
	}
	coef := 144
	switch h.Version {
	case 1:
		h.Bitrate = bitratesV1[bi]
		h.SampleRate = sampleRatesV1[si]
		h.Samples = 1152
	case 2:
		h.Bitrate = bitratesV2[bi]
		h.SampleRate = sampleRatesV2[si]
		h.Samples = 576
		coef = 72
	default:
		h.Bitrate = bitratesV2[bi]
		h.SampleRate = sampleRatesV25[si]
		h.Samples = 576
		coef = 72
	}
	h.FrameLen = coef * h.Bitrate * 1000 / h.SampleRate
	if h.Padding {
		h.FrameLen++
	}
	return h, true
}

// Duration of one frame in seconds.
func (h Header) Seconds() float64 {
	if h.SampleRate == 0 {
		return 0
	}
	return float64(h.Samples) / float64(h.SampleRate)
}

// sideInfoLen is the size of the Layer III side information that follows the
// header (and its CRC, if any).
func (h Header) sideInfoLen() int {
	if h.Version == 1 {
		if h.Channels == 1 {
			return 17
		}
		return 32
	}
	if h.Channels == 1 {
		return 9
	}
	return 17
}

// ID3v2Size returns the length of an ID3v2 tag at the start of b (header,
// body and footer if flagged), or 0 when b does not start with a valid one.
// The returned size may exceed len(b) when the tag is cut short.
func ID3v2Size(b []byte) int {
	if len(b) < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3' {
		return 0
	}
	if b[3] == 0xFF || b[4] == 0xFF {
		return 0
	}
	var n int
	for _, c := range b[6:10] {
		if c&0x80 != 0 { // sizes are syncsafe: 7 bits per byte
			return 0
		}
		n = n<<7 | int(c)
	}
	n += 10
	if b[5]&0x10 != 0 && b[3] >= 4 { // footer present (v2.4)
		n += 10
	}
	return n
}

// compatible reports whether b is a frame that can follow a in one stream.
func compatible(a, b Header) bool {
	return a.Version == b.Version && a.Layer == b.Layer && a.SampleRate == b.SampleRate
}

// NextFrame finds the first valid frame at or after from. A candidate header
// counts only if the next frame header (at off+FrameLen) is also valid and
// has the same version, layer and sample rate, or if the candidate frame ends
// exactly at len(data) (the last frame). Bytes between frames are skipped.
func NextFrame(data []byte, from int) (off int, h Header, ok bool) {
	if from < 0 {
		from = 0
	}
	for i := from; i+4 <= len(data); i++ {
		if data[i] != 0xFF {
			continue
		}
		h, ok := ParseHeader(data[i:])
		if !ok {
			continue
		}
		end := i + h.FrameLen
		if end == len(data) {
			return i, h, true
		}
		if end+4 <= len(data) {
			if n, ok := ParseHeader(data[end:]); ok && compatible(h, n) {
				return i, h, true
			}
		}
	}
	return 0, Header{}, false
}

// Info is what a Xing/Info tag (and a LAME tag after it) in the first frame
// of a stream tells.
type Info struct {
	VBR          bool // "Xing" → true, "Info" → false (CBR)
	Frames       int  // total audio frames, without the Info frame itself; 0 if absent
	Bytes        int  // total stream bytes as written by the encoder; 0 if absent
	HasLAME      bool // a LAME (or LAME-compatible Lavc/Lavf) tag follows
	EncoderDelay int  // samples of encoder delay at the start, from the LAME tag
	Padding      int  // samples of padding at the end, from the LAME tag
	Encoder      string
}

// ParseInfo reads a Xing or Info tag from frame, the whole first frame of a
// stream whose header is h. ok is false when the frame carries no such tag.
func ParseInfo(frame []byte, h Header) (Info, bool) {
	base := 4 + h.sideInfoLen()
	offs := []int{base}
	if h.Protected {
		// Most writers put the tag after the CRC; be lenient about it.
		offs = []int{base + 2, base}
	}
	for _, o := range offs {
		if inf, ok := parseInfoAt(frame, o); ok {
			return inf, true
		}
	}
	return Info{}, false
}

func parseInfoAt(frame []byte, o int) (Info, bool) {
	if o < 0 || o+8 > len(frame) {
		return Info{}, false
	}
	var inf Info
	switch string(frame[o : o+4]) {
	case "Xing":
		inf.VBR = true
	case "Info":
	default:
		return Info{}, false
	}
	flags := binary.BigEndian.Uint32(frame[o+4:])
	p := o + 8
	if flags&1 != 0 {
		if p+4 > len(frame) {
			return Info{}, false
		}
		inf.Frames = int(binary.BigEndian.Uint32(frame[p:]) & 0x7FFFFFFF)
		p += 4
	}
	if flags&2 != 0 {
		if p+4 > len(frame) {
			return Info{}, false
		}
		inf.Bytes = int(binary.BigEndian.Uint32(frame[p:]) & 0x7FFFFFFF)
		p += 4
	}
	if flags&4 != 0 {
		p += 100 // seek table
	}
	if flags&8 != 0 {
		p += 4 // quality
	}
	// The LAME tag: 9 bytes of encoder name, then 12 bytes of fields, then
	// 3 bytes of delay and padding (12 bits each).
	if p+24 <= len(frame) {
		name := frame[p : p+9]
		if s := string(name[:4]); s == "LAME" || s == "Lavc" || s == "Lavf" || s == "L3.9" {
			inf.HasLAME = true
			n := 9
			for n > 0 && (name[n-1] == 0 || name[n-1] == ' ') {
				n--
			}
			inf.Encoder = printable(name[:n])
			d := frame[p+21 : p+24]
			inf.EncoderDelay = int(d[0])<<4 | int(d[1])>>4
			inf.Padding = int(d[1]&0x0F)<<8 | int(d[2])
		}
	}
	return inf, true
}

func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x20 || c > 0x7E {
			c = '?'
		}
		out = append(out, c)
	}
	return string(out)
}

// Frame is one audio frame of a stream: where it starts and its header.
type Frame struct {
	Off    int
	Header Header
}

// Stream is the frame layout of a whole file.
type Stream struct {
	Frames    []Frame // audio frames, without the Info frame
	Info      *Info   // the Xing/Info tag of the first frame; nil when absent
	InfoOff   int     // offset of the Info frame; -1 when absent
	DataStart int     // offset of the first audio frame (len of the data when none)
	Size      int     // len of the scanned data, trailing ID3v1 tag included
	AudioEnd  int     // end of the last audio frame (0 when none)
}

// Scan lists the audio frames of a whole file. It skips leading ID3v2 tags
// and a trailing ID3v1 tag, and reports a Xing/Info frame at the start
// separately: it is not in Frames. Garbage between frames is skipped; a frame
// cut short at the end of the data is not listed.
func Scan(data []byte) Stream {
	s := Stream{InfoOff: -1, Size: len(data), DataStart: len(data)}
	end := len(data)
	if end >= 128 && string(data[end-128:end-125]) == "TAG" {
		end -= 128
	}
	data = data[:end]
	pos := 0
	for pos < end {
		n := ID3v2Size(data[pos:])
		if n == 0 {
			break
		}
		pos += n
	}
	if pos > end {
		return s
	}
	first := true
	for {
		off, h, ok := NextFrame(data, pos)
		if !ok {
			break
		}
		pos = off + h.FrameLen
		if first {
			first = false
			if inf, ok := ParseInfo(data[off:pos], h); ok {
				s.Info = &inf
				s.InfoOff = off
				continue
			}
		}
		s.Frames = append(s.Frames, Frame{Off: off, Header: h})
	}
	if len(s.Frames) > 0 {
		s.DataStart = s.Frames[0].Off
		last := s.Frames[len(s.Frames)-1]
		s.AudioEnd = last.Off + last.Header.FrameLen
	}
	return s
}

// Samples is the number of samples per channel in the audio frames (encoder
// delay and padding included).
func (s Stream) Samples() int {
	n := 0
	for _, f := range s.Frames {
		n += f.Header.Samples
	}
	return n
}

// Seconds is the playing time of the audio frames. When a LAME tag gives the
// encoder delay and padding, they are left out.
func (s Stream) Seconds() float64 {
	if len(s.Frames) == 0 {
		return 0
	}
	n := s.Samples()
	if s.Info != nil && s.Info.HasLAME {
		n -= s.Info.EncoderDelay + s.Info.Padding
		if n < 0 {
			n = 0
		}
	}
	return float64(n) / float64(s.Frames[0].Header.SampleRate)
}

// OffsetForSecond returns the byte offset of the first audio frame whose start
// time (the sum of the durations of the frames before it) is at least sec
// seconds, or Size when there is none (past the end). A negative sec counts
// as 0.
func (s Stream) OffsetForSecond(sec int) int {
	if sec < 0 {
		sec = 0
	}
	// Exact arithmetic: t_i = sum(Samples_j / SampleRate_j). All frames of a
	// stream share one sample rate in practice; a change is handled by
	// comparing per frame in float with a small tolerance.
	var t float64
	for _, f := range s.Frames {
		if t >= float64(sec)-1e-9 {
			return f.Off
		}
		t += f.Header.Seconds()
	}
	return s.Size
}

// FrameForSecond is like [Stream.OffsetForSecond] but returns the frame index, or
// len(Frames) when past the end.
func (s Stream) FrameForSecond(sec int) int {
	if sec < 0 {
		sec = 0
	}
	var t float64
	for i, f := range s.Frames {
		if t >= float64(sec)-1e-9 {
			return i
		}
		t += f.Header.Seconds()
	}
	return len(s.Frames)
}

// DecoderDelay is the delay, in samples, of the Layer III synthesis
// filterbank in decoders such as go-mp3 and mpg123: the LAME tag's encoder
// delay does not include it.
const DecoderDelay = 529

// GaplessTrim tells how to cut the output of a decoder that, like go-mp3,
// outputs every frame of the file, the Info frame included (as 1152 or 576
// samples of silence), and adds [DecoderDelay]: skip the first skip samples
// (per channel) and keep the next keep samples to get exactly the encoder's
// input. ok is false when there is no LAME tag to say. When frames are
// missing (a damaged or cut file) keep covers everything after skip.
//
// Measured with LAME 3.100 and go-mp3 v0.3.4: skip = 1152 + 576 + 529 = 2257
// at 44.1 kHz stereo, and the kept samples match the source exactly in
// length and position.
func (s Stream) GaplessTrim() (skip, keep int, ok bool) {
	if s.Info == nil || !s.Info.HasLAME || len(s.Frames) == 0 {
		return 0, 0, false
	}
	per := s.Frames[0].Header.Samples
	skip = per + s.Info.EncoderDelay + DecoderDelay
	total := per + s.Samples() // what the decoder outputs
	if s.Info.Frames == len(s.Frames) {
		keep = s.Samples() - s.Info.EncoderDelay - s.Info.Padding
	} else {
		keep = total - skip
	}
	if keep < 0 {
		keep = 0
	}
	if skip+keep > total {
		keep = max(total-skip, 0)
	}
	return skip, keep, true
}

// MainDataBegin returns the main_data_begin field of a Layer III frame: how
// many bytes of its audio data lie in the frames before it (the bit
// reservoir). It returns -1 when frame is too short to hold the field.
func MainDataBegin(frame []byte, h Header) int {
	s := 4
	if h.Protected {
		s += 2
	}
	if len(frame) < s+2 {
		return -1
	}
	if h.Version == 1 {
		return int(frame[s])<<1 | int(frame[s+1]>>7)
	}
	return int(frame[s])
}

// MainDataLen is how many bytes of audio data (after header, CRC and side
// information) a frame with header h carries.
func (h Header) MainDataLen() int {
	n := h.FrameLen - 4 - h.sideInfoLen()
	if h.Protected {
		n -= 2
	}
	return max(n, 0)
}

// ReservoirSkip is for a stream that starts at frames[0] of data (a `start=`
// response, say): it returns how many leading frames cannot be decoded
// because their main_data_begin points at bytes before the start of data.
// A decoder fed this stream turns those frames into noise; the output of
// the first ReservoirSkip(...)+1 frames should be dropped (the +1 for the
// overlap of the first good frame with the noise before it).
func ReservoirSkip(data []byte, frames []Frame) int {
	have := 0
	for i, f := range frames {
		if f.Off+f.Header.FrameLen > len(data) {
			return i
		}
		mdb := MainDataBegin(data[f.Off:], f.Header)
		if mdb >= 0 && mdb <= have {
			return i
		}
		have += f.Header.MainDataLen()
	}
	return len(frames)
}
