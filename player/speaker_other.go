//go:build !linux

package player

import (
	"fmt"
	"log/slog"
	"runtime"
	"time"
)

// NewSpeaker fails: the speaker is ALSA, which is Linux's.
func NewSpeaker(rate int, buffer time.Duration, log *slog.Logger) (Output, error) {
	return nil, fmt.Errorf("%w: the speaker plays through ALSA, which %s lacks; try --output null", ErrNoDevice, runtime.GOOS)
}
