//go:build !cgo || !linux

package player

import (
	"fmt"
	"log/slog"
	"time"
)

// NewSpeaker fails: the speaker is ALSA through cgo, which this build
// lacks.
func NewSpeaker(rate int, buffer time.Duration, log *slog.Logger) (Output, error) {
	return nil, fmt.Errorf("%w: this pcplay was built without cgo (ALSA); try --output null", ErrNoDevice)
}
