//go:build !race

package ctl

// bigQueueLen: see race_test.go.
const bigQueueLen = 100_000
