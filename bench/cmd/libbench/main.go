// Command libbench measures the library index on a generated account: the
// first scan from the loopback fake pCloud (API calls, wall time), the
// index's size on disk, the memory of a process with the index open, and
// search latency (p50/p99) for 1–3 letter and whole-word queries, next to
// a naive in-memory substring scan of the same tracks in the same run.
//
//	go run ./bench/cmd/libbench [-tracks 100000] [-runs 50]
//
// The search half runs in a child process (libbench -open DB) so that its
// memory figures count the index alone, not the fake server.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/order"
	"github.com/pcplay/pcplay/library"
)

func main() {
	tracks := flag.Int("tracks", 100000, "audio files in the generated account")
	runs := flag.Int("runs", 50, "runs of each query")
	open := flag.String("open", "", "measure searches on this index (the child process)")
	flag.Parse()
	if *open != "" {
		if err := searches(*open, *runs); err != nil {
			fmt.Fprintln(os.Stderr, "libbench:", err)
			os.Exit(1)
		}
		return
	}
	if err := scan(*tracks, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "libbench:", err)
		os.Exit(1)
	}
}

func scan(n, runs int) error {
	dir, err := os.MkdirTemp("", "libbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Root:     pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: 1}),
		Accounts: []pcloudtest.Account{{Email: "me@example.com", Password: "pw"}},
	})
	defer srv.Close()
	// The real limits: root recursive refused, 5000 on a million entries
	// (not reached here), depth 40.
	srv.SetListLimits(pcloudtest.ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: 1_000_000, MaxDepth: 40})
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token("me@example.com")})
	if err != nil {
		return err
	}
	db := filepath.Join(dir, "library.db")
	lib, err := library.Open(db, library.Options{})
	if err != nil {
		return err
	}
	srv.ResetLog()
	start := time.Now()
	if err := lib.Scan(context.Background(), c, library.ScanOptions{}); err != nil {
		return err
	}
	wall := time.Since(start)
	count, _ := lib.Count(context.Background())
	lib.Close()
	calls := map[string]int{}
	for _, r := range srv.Log() {
		calls[r.Method]++
	}
	fmt.Printf("first scan of %d tracks (%d indexed): %.1f s, API calls %v\n", n, count, wall.Seconds(), calls)
	// Split on 5000: the same account with a limit that bites.
	srv.SetListLimits(pcloudtest.ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: n / 10, MaxDepth: 40})
	lib2, err := library.Open(filepath.Join(dir, "split.db"), library.Options{})
	if err != nil {
		return err
	}
	srv.ResetLog()
	start = time.Now()
	if err := lib2.Scan(context.Background(), c, library.ScanOptions{}); err != nil {
		return err
	}
	wall = time.Since(start)
	lib2.Close()
	calls = map[string]int{}
	for _, r := range srv.Log() {
		calls[r.Method]++
	}
	fmt.Printf("  with 5000 above %d entries: %.1f s, API calls %v\n", n/10, wall.Seconds(), calls)
	var size int64
	for _, s := range []string{"", "-wal"} {
		if st, err := os.Stat(db + s); err == nil {
			size += st.Size()
		}
	}
	fmt.Printf("index on disk: %.1f MB\n", float64(size)/1e6)
	srv.Close()
	cmd := exec.Command(os.Args[0], "-open", db, "-runs", fmt.Sprint(runs))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

var kinds = []struct {
	name    string
	queries []string
}{
	{"1 letter", []string{"a", "b", "s", "m", "l", "r", "e", "t"}},
	{"2 letters", []string{"be", "si", "ni", "lo", "da", "st", "mo", "ha"}},
	{"3 letters", []string{"bey", "sig", "nig", "lov", "dan", "sto", "moo", "hak"}},
	{"whole words", []string{"beyonce", "river", "sigur ros", "night dream", "velvet shadow", "hakan", "summer light", "straße"}},
}

func searches(db string, runs int) error {
	ctx := context.Background()
	t0 := time.Now()
	lib, err := library.Open(db, library.Options{})
	if err != nil {
		return err
	}
	defer lib.Close()
	if _, err := lib.Search(ctx, "warm", 10); err != nil {
		return err
	}
	fmt.Printf("open + first search: %v\n", time.Since(t0).Round(time.Millisecond))
	fmt.Printf("memory with the index open: %s\n", mem())
	for _, q := range []struct {
		name string
		fn   func() error
	}{
		{"Artists (first)", func() error { _, err := lib.Artists(ctx); return err }},
		{"Albums (first)", func() error { _, err := lib.Albums(ctx, ""); return err }},
		{"Songs page of 200 at 50000", func() error { _, err := lib.Songs(ctx, 50000, 200); return err }},
	} {
		ds := make([]time.Duration, 0, 10)
		for range 10 {
			t := time.Now()
			if err := q.fn(); err != nil {
				return err
			}
			ds = append(ds, time.Since(t))
		}
		fmt.Printf("%-28s first %v, again p50 %v\n", q.name, ds[0].Round(10*time.Microsecond), pct(ds[1:], 50))
	}
	for _, k := range kinds {
		for _, q := range k.queries {
			if _, err := lib.Search(ctx, q, 100); err != nil {
				return err
			}
		}
	}
	fmt.Printf("memory after searches and lists: %s\n", mem())
	fmt.Printf("%-12s %12s %12s %12s %12s\n", "search", "fts p50", "fts p99", "naive p50", "naive p99")
	songs, err := lib.Songs(ctx, 0, 0)
	if err != nil {
		return err
	}
	naive := make([]string, len(songs))
	for i, s := range songs {
		naive[i] = order.Fold(s.Title + " " + s.Artist + " " + s.Album + " " + s.AlbumArtist + " " + s.Name)
	}
	fmt.Printf("(naive: %d tracks' folded text in memory, strings.Contains per word, first 100 hits, no ranking)\n", len(naive))
	for _, k := range kinds {
		var fts, nv []time.Duration
		for range runs {
			for _, q := range k.queries {
				t := time.Now()
				if _, err := lib.Search(ctx, q, 100); err != nil {
					return err
				}
				fts = append(fts, time.Since(t))
				t = time.Now()
				naiveSearch(naive, q, 100)
				nv = append(nv, time.Since(t))
			}
		}
		fmt.Printf("%-12s %12v %12v %12v %12v\n", k.name, pct(fts, 50), pct(fts, 99), pct(nv, 50), pct(nv, 99))
	}
	fmt.Printf("memory with the naive copy too: %s\n", mem())
	return nil
}

func naiveSearch(texts []string, q string, limit int) []int {
	words := strings.Fields(order.Fold(q))
	var out []int
	for i, t := range texts {
		ok := true
		for _, w := range words {
			if !strings.Contains(t, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	return s[i].Round(10 * time.Microsecond)
}

func mem() string {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := "?"
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
				rss += " " + strings.Join(strings.Fields(line), " ")
			}
		}
		rss = strings.TrimPrefix(rss, "? ")
	}
	return fmt.Sprintf("Go heap %.1f MB, %s", float64(ms.HeapAlloc)/1e6, rss)
}
