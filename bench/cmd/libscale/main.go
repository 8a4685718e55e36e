// Command libscale measures the music library at scale through the real
// binary: it generates an account of -tracks audio files in the fake pCloud
// (api/pcloudtest), runs `pcplay engine` against it until the engine's
// first scan is done, and prints the engine's peak RSS (VmHWM) during the
// scan, the index's bytes on disk (library.db + -wal), the scan's wall
// time, then, on the index the engine built (read only, the engine
// stopped), search p50/p99 per query length and the Artists/Albums first
// call. With -rescan it then asks the engine for a rescan (R) of the
// unchanged account and prints its time, the bytes the engine wrote for it
// (/proc/PID/io wchar), its peak RSS and the fewest tracks the index held
// meanwhile. bench/library.sh builds pcplay and runs it.
//
//	libscale -pcplay BIN [-tracks 100000] [-runs 20] [-dbstat] [-keep FILE] [-rescan]
//	libscale -open FILE [-runs 20]    (the queries only, on a kept index)
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/library"
	_ "modernc.org/sqlite"
)

const account = "bench@pcplay.invalid"

var keep, rescan = new(string), new(bool)

func main() {
	bin := flag.String("pcplay", "", "the pcplay binary to run")
	tracks := flag.Int("tracks", 100000, "audio files in the generated account")
	runs := flag.Int("runs", 20, "runs of each query")
	stat := flag.Bool("dbstat", false, "print what takes the index's space (dbstat)")
	prof := flag.String("cpuprofile", "", "with -open: write a CPU profile of the queries to this file")
	open := flag.String("open", "", "only the queries, on this index (made by -keep)")
	keep = flag.String("keep", "", "copy the index the engine built to this file")
	rescan = flag.Bool("rescan", false, "after the first scan, measure a rescan (R) of the unchanged account")
	split := flag.Bool("split", false, "the fake answers 5000 to recursive listings of more than 10,000 entries (many listings) instead of one answer with everything")
	flag.Parse()
	if *open != "" {
		if *prof != "" {
			f, err := os.Create(*prof)
			if err != nil {
				fmt.Fprintln(os.Stderr, "libscale:", err)
				os.Exit(1)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				fmt.Fprintln(os.Stderr, "libscale:", err)
				os.Exit(1)
			}
			defer pprof.StopCPUProfile()
		}
		if err := queries(*open, *runs); err != nil {
			fmt.Fprintln(os.Stderr, "libscale:", err)
			os.Exit(1)
		}
		return
	}
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "usage: libscale -pcplay BIN [-tracks N] [-runs N] [-dbstat] [-split]")
		os.Exit(2)
	}
	if err := run(*bin, *tracks, *runs, *stat, *split); err != nil {
		fmt.Fprintln(os.Stderr, "libscale:", err)
		os.Exit(1)
	}
}

func run(bin string, n, runs int, stat, split bool) error {
	home, err := os.MkdirTemp("", "libscale")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	for _, d := range []string{"config", "state", "run", "cache"} {
		if err := os.Mkdir(filepath.Join(home, d), 0o700); err != nil {
			return err
		}
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Root:     pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: 1}),
		Accounts: []pcloudtest.Account{{Email: account, Password: "bench"}},
	})
	defer srv.Close()
	// pCloud's limits: the root is never listed recursively, so /Music
	// answers with everything in one listing (or, with -split, 5000 above
	// 10,000 entries).
	limits := pcloudtest.ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: 1_000_000, MaxDepth: 40}
	if split {
		limits.MaxRecursiveFiles = 10_000
	}
	srv.SetListLimits(limits)
	srv.ResetLog()

	cmd := exec.Command(bin, "--output", "null", "--bitrate", "128", "--api-url", srv.URL(), "engine")
	cmd.Env = []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"LANG=C.UTF-8", "PCLOUD_TOKEN=" + srv.Token(account),
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		})
	}
	defer stop()

	db := filepath.Join(home, "state", "pcplay", "library.db")
	var idx *library.Library
	var peakSeen int64
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("the engine exited before its scan was done: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if rss := status(cmd.Process.Pid, "VmRSS"); rss > peakSeen {
			peakSeen = rss
		}
		if time.Since(start) > 10*time.Minute {
			return fmt.Errorf("the scan took more than 10 minutes")
		}
		if idx == nil {
			if idx, err = library.OpenReader(db); err != nil {
				idx = nil
				continue
			}
		}
		if done, _ := idx.Scanned(context.Background()); done {
			break
		}
	}
	scan := time.Since(start)
	hwm := status(cmd.Process.Pid, "VmHWM")
	count, _ := idx.Count(context.Background())
	idx.Close()
	calls := map[string]int{}
	for _, r := range srv.Log() {
		calls[r.Method]++
	}
	// The scan is done when the index says so; the engine then packs the
	// index and folds its write-ahead log in (the -wal file emptied).
	for t := time.Now(); time.Since(t) < time.Minute; time.Sleep(100 * time.Millisecond) {
		if st, err := os.Stat(db + "-wal"); err == nil && st.Size() == 0 {
			break
		}
	}
	packed := time.Since(start)
	scanWrote := procIO(cmd.Process.Pid, "wchar")
	hwmPacked := status(cmd.Process.Pid, "VmHWM")
	time.Sleep(3 * time.Second) // flat afterwards?
	after := status(cmd.Process.Pid, "VmRSS")
	var rescanLine string
	if *rescan {
		if rescanLine, err = measureRescan(cmd.Process.Pid, home, db); err != nil {
			return err
		}
	}
	stop()
	srv.Close()
	var size int64
	for _, s := range []string{"", "-wal"} {
		if st, err := os.Stat(db + s); err == nil {
			size += st.Size()
		}
	}
	fmt.Printf("account: %d tracks generated, %d indexed; API calls %v\n", n, count, calls)
	fmt.Printf("first scan (engine start to scan done): %.1f s; write-ahead log folded in at %.1f s; the engine wrote %.1f MB (wchar)\n", scan.Seconds(), packed.Seconds(), float64(scanWrote)/1e6)
	fmt.Printf("engine peak RSS (VmHWM) through the scan: %.1f MB, and the packing after it: %.1f MB (largest VmRSS sampled: %.1f MB; 3 s after: %.1f MB)\n",
		mb(hwm), mb(hwmPacked), mb(peakSeen), mb(after))
	fmt.Printf("index on disk (library.db + -wal, engine stopped): %.1f MB\n", float64(size)/1e6)
	if rescanLine != "" {
		fmt.Println(rescanLine)
	}
	if *keep != "" {
		b, err := os.ReadFile(db)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*keep, b, 0o600); err != nil {
			return err
		}
	}
	if stat {
		if err := dbstat(db); err != nil {
			return err
		}
	}
	return queries(db, runs)
}

// measureRescan asks the running engine (its socket under home) for a
// rescan, as R does, and measures it until the index is done again and
// its write-ahead log folded in.
func measureRescan(pid int, home, db string) (string, error) {
	// The peak RSS from here on (5: reset VmHWM).
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	wrote := func() int64 { return procIO(pid, "wchar") }
	w0 := wrote()
	idx, err := library.OpenReader(db)
	if err != nil {
		return "", err
	}
	defer idx.Close()
	ctx := context.Background()
	before, _ := idx.Count(ctx)
	c, err := engine.Dial(ctx, filepath.Join(home, "run", "pcplay", engine.SocketName))
	if err != nil {
		return "", err
	}
	start := time.Now()
	c.Call("rescan", command.Request{})
	err = c.Sync(ctx) // the engine has it
	c.Close()
	if err != nil {
		return "", err
	}
	fewest, begun := before, false
	for {
		if time.Since(start) > 10*time.Minute {
			return "", fmt.Errorf("the rescan took more than 10 minutes")
		}
		if n, err := idx.Count(ctx); err == nil && n < fewest {
			fewest = n
		}
		done, _ := idx.Scanned(ctx)
		if !done {
			begun = true
		} else if begun || time.Since(start) > 5*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	for t := time.Now(); time.Since(t) < time.Minute; time.Sleep(100 * time.Millisecond) {
		if st, err := os.Stat(db + "-wal"); err == nil && st.Size() == 0 {
			break
		}
	}
	return fmt.Sprintf("rescan (R) of the unchanged account: %.1f s; the engine wrote %.1f MB for it; peak RSS %.1f MB; the index held at least %d of its %d tracks meanwhile",
		took.Seconds(), float64(wrote()-w0)/1e6, mb(status(pid, "VmHWM")), fewest, before), nil
}

// procIO is a /proc/PID/io figure (0 when unknown).
func procIO(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok && k == key {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// status is a /proc/PID/status figure in kB (0 when unknown).
func status(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key+":" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

var kinds = []struct {
	name    string
	queries []string
}{
	{"1 char", []string{"a", "b", "s", "m", "l", "r", "e", "t"}},
	{"2 chars", []string{"be", "si", "ni", "lo", "da", "st", "mo", "ha"}},
	{"3 chars", []string{"bey", "sig", "nig", "lov", "dan", "sto", "moo", "hak"}},
	{"4 chars", []string{"beyo", "sigu", "nigh", "love", "danc", "stor", "moon", "haka"}},
	{"5 chars", []string{"beyon", "sigur", "night", "river", "dance", "storm", "velve", "summe"}},
	{"6+ chars", []string{"beyonce", "sigur ros", "night dream", "velvet shadow", "hakan", "summer light", "straße", "radiohead"}},
}

func queries(db string, runs int) error {
	ctx := context.Background()
	lib, err := library.OpenReader(db)
	if err != nil {
		return err
	}
	defer lib.Close()
	for _, q := range []struct {
		name string
		fn   func() error
	}{
		{"Artists", func() error { _, err := lib.Artists(ctx); return err }},
		{"Albums", func() error { _, err := lib.Albums(ctx, ""); return err }},
	} {
		t := time.Now()
		if err := q.fn(); err != nil {
			return err
		}
		cold := time.Since(t)
		var ds []time.Duration
		for range 5 {
			lib.Reload() // as after a change: the cached list is stale
			t = time.Now()
			if err := q.fn(); err != nil {
				return err
			}
			ds = append(ds, time.Since(t))
		}
		fmt.Printf("%-8s first call %v (index just opened); after a change p50 %v, max %v\n", q.name,
			cold.Round(100*time.Microsecond), pct(ds, 50), pct(ds, 100))
	}
	for _, k := range kinds { // warm up
		for _, q := range k.queries {
			if _, err := lib.Search(ctx, q, library.SearchResults); err != nil {
				return err
			}
		}
	}
	fmt.Printf("%-9s %10s %10s   (%d runs of %d queries each)\n", "search", "p50", "p99", runs, len(kinds[0].queries))
	for _, k := range kinds {
		var ds []time.Duration
		for range runs {
			for _, q := range k.queries {
				t := time.Now()
				if _, err := lib.Search(ctx, q, library.SearchResults); err != nil {
					return err
				}
				ds = append(ds, time.Since(t))
			}
		}
		fmt.Printf("%-9s %10v %10v\n", k.name, pct(ds, 50), pct(ds, 99))
	}
	return nil
}

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	return s[i].Round(10 * time.Microsecond)
}

// dbstat prints the bytes of each table and index of the index file.
func dbstat(db string) error {
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		return err
	}
	defer h.Close()
	rows, err := h.Query(`SELECT name, sum(pgsize), sum(payload), count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC`)
	if err != nil {
		return fmt.Errorf("dbstat: %w", err)
	}
	defer rows.Close()
	fmt.Printf("%-28s %10s %10s %8s\n", "table/index", "MB", "payload", "pages")
	for rows.Next() {
		var name string
		var size, payload, pages int64
		if err := rows.Scan(&name, &size, &payload, &pages); err != nil {
			return err
		}
		fmt.Printf("%-28s %10.2f %10.2f %8d\n", name, float64(size)/1e6, float64(payload)/1e6, pages)
	}
	return rows.Err()
}
