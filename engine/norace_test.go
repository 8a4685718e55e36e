//go:build !race

package engine

// raceEnabled: the race detector is on (see race_test.go).
const raceEnabled = false
