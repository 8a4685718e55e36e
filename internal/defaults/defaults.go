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

// SpeakerBuffer is the speaker's buffer. The speaker refills it when half
// empty, so the buffer sets how often the engine wakes and decodes:
// bench/players.sh (engine, 128 kbit/s, one run each, back to back) measured
// 200 ms → 2.57% of a core (1.97x the go-mp3 floor, 256 wakeups/s), 500 ms →
// 1.94% (1.44x, 135 wakeups/s; mpv 2.22%). Pause, seek, skip and stop are
// heard at once whatever the buffer (the device is paused, or its buffer
// dropped); a volume change is heard one buffer late. The range keeps a
// config file from choosing a stuttering or sluggish value.
const (
	SpeakerBuffer    = 500 * time.Millisecond
	MinSpeakerBuffer = 10 * time.Millisecond
	MaxSpeakerBuffer = 2 * time.Second
)

// ValidBitrate reports whether kbps is in [MinBitrate]..[MaxBitrate].
func ValidBitrate(kbps int) bool { return kbps >= MinBitrate && kbps <= MaxBitrate }
