package player

import (
	"flag"
	"os"
	"testing"

	"github.com/pcplay/pcplay/internal/testpar"
)

// TestMain lets twice as many parallel tests run as there are CPUs (unless
// -parallel is given): the real-time tests (the speaker through the sound
// server, the silent host's 15 s timeout, the output pacing) mostly wait,
// and with one slot a CPU they held slots while the CPUs idled (the
// package: 52 s -> 44 s alone on 2 cores).
func TestMain(m *testing.M) {
	flag.Parse()
	testpar.Widen(2)
	os.Exit(m.Run())
}
