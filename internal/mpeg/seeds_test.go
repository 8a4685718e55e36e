package mpeg

import (
	"testing"

	"github.com/pcplay/pcplay/internal/fixtures"
)

// fixtureSeeds returns the heads and tails of the real fixtures as fuzz seeds.
func fixtureSeeds(testing.TB) [][]byte {
	var out [][]byte
	for _, f := range fixtures.All() {
		d := f.Data()
		out = append(out, d[:min(len(d), 3000)], d[len(d)-2000:])
	}
	return out
}
