//go:build !cgo

package player

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ErrNoDevice: the speaker cannot play.
var ErrNoDevice = errors.New("cannot open the sound device")

// NewSpeaker fails: this binary was built without cgo, which the speaker
// (oto → ALSA) needs.
func NewSpeaker(rate int, buffer time.Duration, log *slog.Logger) (Output, error) {
	return nil, fmt.Errorf("%w: this pcplay was built without cgo; try --output null", ErrNoDevice)
}
