//go:build race

package audiotest

// Under the race detector go-mp3 decodes about ten times slower; the
// decoding tests then listen to the first seconds of the long fixtures only.
const raceLimitSeconds = 6
