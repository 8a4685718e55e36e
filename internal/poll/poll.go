// Package poll is the one polling loop of the tests: every wait for
// something a program should do soon (a screen, a request, a status, a
// process) goes through it. It is for tests only; no test asserts a
// duration with it.
//
// Inside a testing/synctest bubble the sleeps between looks are virtual, so
// a wait costs no real time while the code under test is blocked on the
// fake clock.
package poll

import (
	"testing"
	"time"
)

// Patience is how long [Until] waits by default: generous, for a loaded
// 2-core machine under -race.
const Patience = 90 * time.Second

// Every is the pause between two looks.
const Every = 5 * time.Millisecond

// Eventually polls cond until it holds (true) or patience has passed
// (false).
func Eventually(patience time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Every)
	}
	return true
}

// Until fails t unless cond comes true within [Patience].
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Eventually(Patience, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}
