//go:build race

package engine

// raceEnabled: the race detector is on. encoding/json runs about 30 times
// slower under it, so the tests of a 100,000-track queue take 10,000
// there (the same paths: pages, generations, appended tracks); without
// it they take 100,000.
const raceEnabled = true
