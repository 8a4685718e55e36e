//go:build !race

package audiotest

const raceLimitSeconds = 0 // no limit
