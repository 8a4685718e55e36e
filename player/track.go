package player

import (
	"log/slog"
	"net/http"
	"time"
)

// StreamOptions configure a TrackStream.
type StreamOptions struct {
	HTTPClient   *http.Client                   // nil → a client with connect/header timeouts, no overall timeout
	Links        LinkSource                     // where stream links come from
	Bitrate      int                            // kbit/s asked of getaudiolink
	ReadAhead    int                            // compressed bytes read ahead of playback; default 1 MiB
	KeepBehind   int                            // compressed bytes kept behind the play point; default 512 KiB
	StallTimeout time.Duration                  // no body bytes for this long → reconnect; default 5s
	MaxRetries   int                            // attempts per incident before failing; default 6
	Backoff      func(attempt int) time.Duration // default jittered 200ms·2^n capped at 3s
	Logger       *slog.Logger                   // nil → discard
	OnChange     func()                         // called whenever Status() changes; must not block
}

// TrackStatus is what a TrackStream is doing.
type TrackStatus int

// Track stream states.
const (
	TrackConnecting   TrackStatus = iota // asking for a link / connecting
	TrackBuffering                       // connected, no PCM ready to play
	TrackPlaying                         // PCM available
	TrackReconnecting                    // recovering from a network fault
	TrackEnded                           // all samples delivered
	TrackFailed                          // failed for good; Err says why
)

// String names the status.
func (s TrackStatus) String() string {
	switch s {
	case TrackConnecting:
		return "connecting"
	case TrackBuffering:
		return "buffering"
	case TrackPlaying:
		return "playing"
	case TrackReconnecting:
		return "reconnecting"
	case TrackEnded:
		return "ended"
	case TrackFailed:
		return "failed"
	}
	return "unknown"
}

// TrackStream streams one track: HTTP mp3 → bounded buffer → go-mp3 → PCM.
// (Work in progress: this stub has the final API.)
type TrackStream struct {
	ready chan struct{}
}

// OpenTrack starts streaming fileID from start and returns at once.
func OpenTrack(fileID uint64, start time.Duration, o StreamOptions) *TrackStream {
	_, _, _ = fileID, start, o
	t := &TrackStream{ready: make(chan struct{})}
	return t
}

// Stream copies decoded PCM into samples; it never blocks on I/O.
func (t *TrackStream) Stream(samples [][2]float64) (n int, ok bool) { return 0, true }

// Err is nil or the final error.
func (t *TrackStream) Err() error { return nil }

// SampleRate is the track's native rate; 0 until known.
func (t *TrackStream) SampleRate() int { return 0 }

// Ready is closed when the first PCM is decoded or the track failed.
func (t *TrackStream) Ready() <-chan struct{} { return t.ready }

// Position is the time of the next sample Stream will return.
func (t *TrackStream) Position() time.Duration { return 0 }

// Duration is the track's length; 0 when unknown.
func (t *TrackStream) Duration() time.Duration { return 0 }

// Seek moves the play point; it does not block.
func (t *TrackStream) Seek(to time.Duration) {}

// Status is what the stream is doing.
func (t *TrackStream) Status() TrackStatus { return TrackConnecting }

// Downloaded reports whether the whole body has arrived.
func (t *TrackStream) Downloaded() bool { return false }

// Close stops the goroutines and frees the buffers; idempotent.
func (t *TrackStream) Close() {}
