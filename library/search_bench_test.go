package library

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
)

// BenchmarkSearch: a generated library of $LIBBENCH_TRACKS (default 10000)
// tracks; bench/cmd/libbench gives the figures of 100,000.
func BenchmarkSearch(b *testing.B) {
	n := 10000
	if v := os.Getenv("LIBBENCH_TRACKS"); v != "" {
		fmt.Sscan(v, &n)
	}
	t := &testing.T{}
	f := newFixture(t, pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: 1}))
	defer f.srv.Close()
	if err := f.lib.Scan(context.Background(), f.c, ScanOptions{}); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"b", "bey", "beyonce", "night dream"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := f.lib.Search(context.Background(), q, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
