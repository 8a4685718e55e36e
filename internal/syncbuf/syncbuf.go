// Package syncbuf is a [bytes.Buffer] that goroutines may write to and read
// at once: for tests that collect a log while the code under test runs.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is a [bytes.Buffer] behind a mutex. The zero [Buffer] is empty and
// ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
