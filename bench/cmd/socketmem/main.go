// Command socketmem measures the engine's memory under socket load: a
// queue of 100,000 tracks with 3 attached clients, 1,000 idle connections,
// and 64 clients each holding an unterminated 1 MB line. The engine (the
// real engine package serving a stub player, no audio) runs in a child
// process, a fresh one per scenario, so that its figures are its own:
// VmRSS and VmHWM (the peak) from /proc, and the Go heap in use after a GC.
//
//	go run ./bench/cmd/socketmem [-scenario queue,idle,partial] [-tracks 100000]
//
// It uses only the engine's exported API, so bench/socket.sh builds it in
// two revisions of pcplay (copying it into the older one) and compares.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/player"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "engine" {
		serveEngine(os.Args[2])
		return
	}
	scenarios := flag.String("scenario", "queue,idle,partial", "scenarios to run, comma-separated")
	tracks := flag.Int("tracks", 100_000, "tracks in the queue scenario")
	idle := flag.Int("idle", 1000, "connections in the idle scenario")
	partial := flag.Int("partial", 64, "clients in the partial scenario")
	flag.Parse()
	for _, s := range strings.Split(*scenarios, ",") {
		var err error
		switch s {
		case "queue":
			err = runQueue(*tracks)
		case "idle":
			err = runIdle(*idle)
		case "partial":
			err = runPartial(*partial)
		default:
			err = fmt.Errorf("no scenario %q", s)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "socketmem:", s+":", err)
			os.Exit(1)
		}
	}
}

// child is an engine process.
type child struct {
	cmd  *exec.Cmd
	in   *bufio.Writer
	out  *bufio.Reader
	path string
	dir  string
}

func startEngine() (*child, error) {
	dir, err := os.MkdirTemp("", "skm")
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	c := &child{dir: dir, path: filepath.Join(dir, engine.SocketName)}
	c.cmd = exec.Command(self, "engine", c.path)
	c.cmd.Stderr = os.Stderr
	w, err := c.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	r, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.in, c.out = bufio.NewWriter(w), bufio.NewReader(r)
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	if line, err := c.out.ReadString('\n'); err != nil || line != "ready\n" {
		return nil, fmt.Errorf("the engine said %q: %v", line, err)
	}
	return c, nil
}

// mem is the engine's memory: VmRSS, VmHWM and the heap in use, in KiB.
type mem struct{ rss, hwm, heap int }

func (m mem) String() string {
	return fmt.Sprintf("rss=%.1fMB hwm=%.1fMB heap=%.1fMB", float64(m.rss)/1024, float64(m.hwm)/1024, float64(m.heap)/1024)
}

func (c *child) mem() (mem, error) {
	c.in.WriteString("mem\n")
	c.in.Flush()
	line, err := c.out.ReadString('\n')
	if err != nil {
		return mem{}, err
	}
	var m mem
	_, err = fmt.Sscanf(line, "%d %d %d", &m.rss, &m.hwm, &m.heap)
	return m, err
}

func (c *child) stop() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
	os.RemoveAll(c.dir)
}

// serveEngine is the child: the engine on path, serving a stub player,
// answering "mem" on stdin with its memory until stdin ends.
func serveEngine(path string) {
	ln, err := engine.Listen(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go engine.Serve(ctx, ln, &stubPlayer{}, engine.Options{})
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Println(procKB("VmRSS"), procKB("VmHWM"), ms.HeapInuse/1024)
	}
	cancel()
}

func procKB(field string) int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// result prints one line: scenario, figures, notes.
func result(scenario string, m mem, notes string) {
	fmt.Printf("%s\t%d\t%d\t%d\t%s\n", scenario, m.rss, m.hwm, m.heap, notes)
}

// runQueue: 3 clients; one enqueues n tracks (100-byte names, every
// 1000th with 4 KB title, artist and album), then removes the first.
func runQueue(n int) error {
	c, err := startEngine()
	if err != nil {
		return err
	}
	defer c.stop()
	ctx := context.Background()
	var clients []*engine.Client
	for range 3 {
		cl, err := engine.Dial(ctx, c.path)
		if err != nil {
			return err
		}
		defer cl.Close()
		clients = append(clients, cl)
	}
	base, err := c.mem()
	if err != nil {
		return err
	}
	result("queue.base", base, "3 clients, empty queue")
	ts := make([]player.Track, n)
	long := strings.Repeat("x", 4096)
	for i := range ts {
		ts[i] = player.Track{FileID: uint64(i + 1), TrackNo: i%20 + 1,
			Name: fmt.Sprintf("%07d %s.flac", i, strings.Repeat("Some Fairly Long Track Name ", 3))}
		if i%1000 == 999 {
			ts[i].Title, ts[i].Artist, ts[i].Album = long, long, long
		}
	}
	seen := func(want int) string {
		deadline := time.Now().Add(60 * time.Second)
		var counts []string
		for {
			counts = counts[:0]
			all := true
			for _, cl := range clients {
				sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				cl.Sync(sctx)
				cancel()
				k := len(cl.Queue())
				counts = append(counts, strconv.Itoa(k))
				all = all && k == want
			}
			if all || time.Now().After(deadline) {
				return "clients see " + strings.Join(counts, "/") + " of " + strconv.Itoa(want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	t0 := time.Now()
	clients[0].Enqueue(ts)
	note := seen(n)
	m, err := c.mem()
	if err != nil {
		return err
	}
	result("queue.enqueued", m, fmt.Sprintf("%s, %.1fs", note, time.Since(t0).Seconds()))
	t0 = time.Now()
	clients[1].Remove(0)
	note = seen(n - 1)
	if m, err = c.mem(); err != nil {
		return err
	}
	result("queue.changed", m, fmt.Sprintf("%s, %.1fs", note, time.Since(t0).Seconds()))
	return nil
}

// hello is a raw client's hello of this revision's protocol.
var hello = `{"hello":{"protocol":` + strconv.Itoa(engine.Protocol) + `,"version":"socketmem"}}` + "\n"

// runIdle: n connections say hello and stay silent.
func runIdle(n int) error {
	c, err := startEngine()
	if err != nil {
		return err
	}
	defer c.stop()
	base, err := c.mem()
	if err != nil {
		return err
	}
	result("idle.base", base, "no connection")
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, nc := range conns {
			nc.Close()
		}
	}()
	for range n {
		nc, err := net.Dial("unix", c.path)
		if err != nil {
			return err
		}
		conns = append(conns, nc)
		nc.Write([]byte(hello))
	}
	attached := 0
	for _, nc := range conns {
		nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(nc).ReadString('\n')
		if strings.HasPrefix(line, `{"hello"`) {
			attached++
		}
	}
	time.Sleep(time.Second)
	m, err := c.mem()
	if err != nil {
		return err
	}
	result("idle.held", m, fmt.Sprintf("%d connections, %d attached", n, attached))
	return nil
}

// runPartial: n clients say hello, then each sends 1,000,000 bytes of a
// line and holds it unterminated.
func runPartial(n int) error {
	c, err := startEngine()
	if err != nil {
		return err
	}
	defer c.stop()
	base, err := c.mem()
	if err != nil {
		return err
	}
	result("partial.base", base, "no connection")
	chunk := []byte(`{"cmd":"enqueue","tracks":[` + strings.Repeat("x", 1_000_000-27))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		refused int
		conns   []net.Conn
	)
	defer func() {
		for _, nc := range conns {
			nc.Close()
		}
	}()
	for range n {
		nc, err := net.Dial("unix", c.path)
		if err != nil {
			return err
		}
		conns = append(conns, nc)
		wg.Add(1)
		go func() {
			defer wg.Done()
			nc.Write([]byte(hello))
			nc.SetWriteDeadline(time.Now().Add(3 * time.Second))
			if _, err := nc.Write(chunk); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond)
	m, err := c.mem()
	if err != nil {
		return err
	}
	result("partial.held", m, fmt.Sprintf("%d clients, %d refused while sending", n, refused))
	return nil
}

// stubPlayer is a player.Controller without audio.
type stubPlayer struct {
	mu  sync.Mutex
	st  player.Status
	q   []player.Track
	hub player.Hub
}

func (s *stubPlayer) Status() player.Status { s.mu.Lock(); defer s.mu.Unlock(); return s.st }
func (s *stubPlayer) Queue() []player.Track {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]player.Track(nil), s.q...)
}
func (s *stubPlayer) Subscribe(ctx context.Context) <-chan player.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hub.Subscribe(ctx, s.st)
}
func (s *stubPlayer) change(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.st.QueueGen++
	s.hub.Publish(s.st)
}
func (s *stubPlayer) Enqueue(ts []player.Track) { s.change(func() { s.q = append(s.q, ts...) }) }
func (s *stubPlayer) Remove(i int) {
	s.change(func() {
		if i < len(s.q) {
			s.q = append(s.q[:i:i], s.q[i+1:]...)
		}
	})
}
func (s *stubPlayer) Play()                       {}
func (s *stubPlayer) Pause()                      {}
func (s *stubPlayer) Toggle()                     {}
func (s *stubPlayer) Stop()                       {}
func (s *stubPlayer) Next()                       {}
func (s *stubPlayer) Prev()                       {}
func (s *stubPlayer) PlayIndex(int)               {}
func (s *stubPlayer) Seek(time.Duration)          {}
func (s *stubPlayer) SeekBy(time.Duration)        {}
func (s *stubPlayer) SetVolume(int)               {}
func (s *stubPlayer) ToggleMute()                 {}
func (s *stubPlayer) SetBitrate(int)              {}
func (s *stubPlayer) SetShuffle(bool)             {}
func (s *stubPlayer) SetRepeat(player.Repeat)     {}
func (s *stubPlayer) SetSleep(time.Duration)      {}
func (s *stubPlayer) PlayNow([]player.Track)      {}
func (s *stubPlayer) InsertNext([]player.Track)   {}
func (s *stubPlayer) Move(int, int)               {}
func (s *stubPlayer) Clear()                      {}
func (s *stubPlayer) Replace([]player.Track, int) {}
func (s *stubPlayer) Undo()                       {}
func (s *stubPlayer) Close() error                { return nil }
