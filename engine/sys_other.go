//go:build !unix

package engine

import (
	"context"
	"errors"
	"io/fs"
	"time"
)

// Supported: the background engine runs on this system.
const Supported = false

var errUnsupported = errors.New("the background engine needs a Unix system; run pcplay --foreground")

func fileOwner(fs.FileInfo) (int, bool) { return 0, false }

// StartProcess is not supported here.
func StartProcess([]string) (<-chan error, error) { return nil, errUnsupported }

func lockFile(context.Context, string) (func(), error) { return nil, errUnsupported }

// Terminate is not supported here.
func Terminate(int, time.Duration) error { return errUnsupported }

// QuietStderr does nothing here.
func QuietStderr() error { return nil }
