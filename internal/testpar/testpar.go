// Package testpar widens `go test`'s -parallel for packages whose tests
// mostly wait in real time (a sound server, a subprocess, a timeout): with
// one slot a CPU (the default) they hold slots while the CPUs idle.
package testpar

import (
	"flag"
	"runtime"
	"strconv"
)

// Widen sets -test.parallel to perCPU times the CPUs, unless -parallel was
// given. Call it from TestMain after flag.Parse.
func Widen(perCPU int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", strconv.Itoa(perCPU*runtime.GOMAXPROCS(0)))
	}
}
