//go:build race

package ctl

// bigQueueLen is the length of the big queue TestCtlBigQueue makes:
// encoding/json runs about 30 times slower under the race detector, so
// 10,000 tracks there (the same paths), 100,000 without it.
const bigQueueLen = 10_000
