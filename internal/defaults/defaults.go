// Package defaults is the one home of the defaults and ranges that several
// packages share: config checks settings against them and fills them in,
// player falls back to them, ui offers them. It imports nothing of pcplay.
package defaults

import "time"

// Stream bitrate asked of pCloud's getaudiolink, in kbit/s.
const (
	Bitrate    = 192
	MinBitrate = 16
	MaxBitrate = 320
)

// Bitrates are the bitrate picker's choices.
var Bitrates = []int{64, 128, 192, 256, 320}

// Volume at start, 0..100.
const (
	Volume    = 70
	MinVolume = 0
	MaxVolume = 100
)

// SpeakerBuffer is the speaker's buffer. Measured with bench/speaker-cpu.sh
// (30 s of a 128 kbit/s file, 2-core VM, whole process): 100 ms → 5.1% of a
// core, 200 ms → 4.3%, 500 ms → 3.3%, of which go-mp3's decoding is about
// 2.5% whatever the buffer. A seek, a skip or a volume change is heard one
// buffer late, while pause is immediate (the device is suspended). 200 ms
// keeps those prompt for a person at the keys; the range keeps a config file
// from choosing a stuttering or sluggish value.
const (
	SpeakerBuffer    = 200 * time.Millisecond
	MinSpeakerBuffer = 10 * time.Millisecond
	MaxSpeakerBuffer = 2 * time.Second
)

// ValidBitrate reports whether kbps is in MinBitrate..MaxBitrate.
func ValidBitrate(kbps int) bool { return kbps >= MinBitrate && kbps <= MaxBitrate }
