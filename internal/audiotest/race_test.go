//go:build race

package audiotest

// Under the race detector go-mp3 decodes some twenty times slower, and these
// tests run on one goroutine: they then listen to the first seconds of each
// fixture only. Without -race they listen to everything.
const raceLimitSeconds = 2
