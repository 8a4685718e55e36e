//go:build race

package demo

// Under the race detector go-mp3 is slow: decode the first seconds only.
const decodeSeconds = 4
