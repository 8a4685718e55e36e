package player

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestMain lets twice as many parallel tests run as there are CPUs (unless
// -parallel is given): the real-time tests (the speaker through the sound
// server, the silent host's 15 s timeout, the output pacing) mostly wait,
// and with one slot a CPU they held slots while the CPUs idled (the
// package: 52 s -> 44 s alone on 2 cores).
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", strconv.Itoa(2*runtime.GOMAXPROCS(0)))
	}
	os.Exit(m.Run())
}
