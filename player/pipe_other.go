//go:build !unix

package player

import (
	"errors"
	"log/slog"
)

// NewPipe: FIFOs are a Unix thing.
func NewPipe(path string, rate int, logger *slog.Logger) (Output, error) {
	return nil, errors.New("--output pipe: needs a Unix system (a FIFO)")
}
