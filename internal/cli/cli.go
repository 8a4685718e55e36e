// Package cli holds what pcplay's sub-commands share: their standard
// streams.
package cli

import "io"

// Stdio is a sub-command's standard input, output and error.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}
