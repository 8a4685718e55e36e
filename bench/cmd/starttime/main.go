// Command starttime times a terminal program as a person sees it: it runs
// the program in a 120x40 pseudo-terminal read through a terminal emulator
// (charmbracelet/x/vt, which answers the program's queries as a terminal
// does), types keys, and timestamps the moment the screen first shows a
// text, or the moment the first non-silent sample reaches an ALSA capture
// file (scripts/alsa-capture) after a key. For bench/startup.sh.
//
//	starttime [-capture DIR] -- CMD [ARG...] ::: STEP...
//	starttime -rtt URL [-n 20]      (the token in $PCLOUD_TOKEN)
//
// Steps, run in order; each timed one prints "NAME MILLISECONDS":
//
//	wait=TEXT     until the screen shows TEXT; prints "screen" and the time
//	              since the program was started (fork+exec included)
//	send=KEYS     types KEYS (a Go string literal body: \r is Enter)
//	sound=KEYS    types KEYS, then waits for the first sample above -80 dBFS
//	              written to the capture after it; prints "sound" and the
//	              time since the keys were typed. ALSA's file plugin holds
//	              back one buffer of written frames and writes the excess,
//	              so this is when the player's writes pass a full buffer
//	              (see bench/README.md), not when they start
//	sh=COMMAND    runs COMMAND with sh -c, and fails if it fails
//	sleep=DUR     waits DUR (time.ParseDuration)
//	hold=DUR      like sleep; the program's pid is printed first ("pid N")
//	              for whoever samples it, and the program ending ends it
//
// After the last step it types q and waits for the program to exit (5 s,
// then kills it). The environment is passed on unchanged (the token goes by
// the environment, never argv). -rtt times GET URL/userinfo on loopback, a
// new connection each time and then one kept alive, and prints the medians.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

func main() {
	capture := flag.String("capture", "", "scripts/alsa-capture's directory (for sound= steps)")
	rtt := flag.String("rtt", "", "time GET URL/userinfo instead")
	n := flag.Int("n", 20, "calls for -rtt")
	timeout := flag.Duration("timeout", 15*time.Second, "how long a step may wait")
	flag.Parse()
	if *rtt != "" {
		if err := measureRTT(*rtt, *n); err != nil {
			fail(err)
		}
		return
	}
	args := flag.Args()
	i := slices.Index(args, ":::")
	if i < 1 {
		fmt.Fprintln(os.Stderr, "usage: starttime [-capture DIR] -- CMD [ARG...] ::: STEP...")
		os.Exit(2)
	}
	if err := run(args[:i], args[i+1:], *capture, *timeout); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "starttime:", err)
	os.Exit(1)
}

// term is the program in its pty and what its screen shows.
type term struct {
	cmd    *exec.Cmd
	ptmx   *os.File
	mu     sync.Mutex
	emu    *vt.Emulator
	change chan struct{} // the screen may have changed (1-buffered)
	exited chan struct{}
}

func start(argv []string) (*term, time.Time, error) {
	c := exec.Command(argv[0], argv[1:]...)
	c.Env = os.Environ()
	t := &term{cmd: c, emu: vt.NewEmulator(120, 40), change: make(chan struct{}, 1), exited: make(chan struct{})}
	t0 := time.Now()
	ptmx, err := pty.StartWithSize(c, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		return nil, t0, err
	}
	t.ptmx = ptmx
	go func() { // the emulator's answers to the program's queries
		buf := make([]byte, 256)
		for {
			n, err := t.emu.Read(buf)
			if n > 0 {
				_, _ = ptmx.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				t.mu.Lock()
				_, _ = t.emu.Write(buf[:n])
				t.mu.Unlock()
				select {
				case t.change <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { _ = c.Wait(); close(t.exited) }()
	return t, t0, nil
}

func (t *term) screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.emu.String()
}

// waitFor waits until the screen shows text; it returns when it was seen.
func (t *term) waitFor(text string, timeout time.Duration) (time.Time, error) {
	deadline := time.After(timeout)
	for {
		if strings.Contains(t.screen(), text) {
			return time.Now(), nil
		}
		select {
		case <-t.change:
		case <-t.exited:
			return time.Time{}, fmt.Errorf("the program exited before showing %q; its screen:\n%s", text, t.screen())
		case <-deadline:
			return time.Time{}, fmt.Errorf("the screen never showed %q; it shows:\n%s", text, t.screen())
		}
	}
}

func (t *term) send(keys string) error {
	_, err := t.ptmx.Write([]byte(keys))
	return err
}

func run(argv, steps []string, capture string, timeout time.Duration) error {
	t, t0, err := start(argv)
	if err != nil {
		return err
	}
	defer t.ptmx.Close()
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	for _, s := range steps {
		name, arg, _ := strings.Cut(s, "=")
		switch name {
		case "wait":
			at, err := t.waitFor(arg, timeout)
			if err != nil {
				return err
			}
			fmt.Println("screen", ms(at.Sub(t0)))
		case "send", "sound":
			keys, err := strconv.Unquote(`"` + arg + `"`)
			if err != nil {
				return fmt.Errorf("%s: %v", s, err)
			}
			if name == "send" {
				if err := t.send(keys); err != nil {
					return err
				}
				continue
			}
			d, err := timeSound(t, keys, capture, timeout)
			if err != nil {
				return err
			}
			fmt.Println("sound", ms(d))
		case "sh":
			c := exec.Command("sh", "-c", arg)
			if out, err := c.CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %v: %s", s, err, out)
			}
		case "sleep", "hold":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return fmt.Errorf("%s: %v", s, err)
			}
			if name == "sleep" {
				time.Sleep(d)
				continue
			}
			fmt.Println("pid", t.cmd.Process.Pid)
			select {
			case <-time.After(d):
			case <-t.exited:
				return errors.New("the program exited during hold")
			}
		default:
			return fmt.Errorf("unknown step %q", s)
		}
	}
	_ = t.send("q")
	select {
	case <-t.exited:
	case <-time.After(5 * time.Second):
		_ = t.cmd.Process.Kill()
		<-t.exited
		return fmt.Errorf("the program did not quit on q; its screen:\n%s", t.screen())
	}
	return nil
}

// captureFile is the capture the device writes now: a re-open of the
// device starts cap.raw.0001, and so on.
func captureFile(dir string) (string, error) {
	m, _ := filepath.Glob(filepath.Join(dir, "cap.raw*"))
	if len(m) == 0 {
		return "", fmt.Errorf("no capture in %s (is the player's ALSA device scripts/alsa-capture's?)", dir)
	}
	slices.Sort(m)
	return m[len(m)-1], nil
}

// timeSound types keys and returns how long it took until a sample above
// -80 dBFS (float32 little-endian, the format the player opens) was written
// to the capture after them. The capture is polled every millisecond.
func timeSound(t *term, keys, dir string, timeout time.Duration) (time.Duration, error) {
	path, err := captureFile(dir)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	off &^= 3
	t0 := time.Now()
	if err := t.send(keys); err != nil {
		return 0, err
	}
	const quiet = 1e-4 // -80 dBFS
	buf := make([]byte, 64<<10)
	for time.Since(t0) < timeout {
		n, _ := f.ReadAt(buf, off)
		n &^= 3
		for i := 0; i < n; i += 4 {
			if v := math.Float32frombits(binary.LittleEndian.Uint32(buf[i:])); math.Abs(float64(v)) > quiet {
				return time.Since(t0), nil
			}
		}
		off += int64(n)
		if n == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	return 0, fmt.Errorf("no sound reached %s within %s of the keys; the screen:\n%s", path, timeout, t.screen())
}

// measureRTT times GET base/userinfo: n calls on a new connection each,
// then n on one connection kept alive.
func measureRTT(base string, n int) error {
	tok := os.Getenv("PCLOUD_TOKEN")
	u := strings.TrimRight(base, "/") + "/userinfo?auth=" + url.QueryEscape(tok)
	timeCalls := func(c *http.Client) ([]float64, error) {
		var d []float64
		for range n {
			t0 := time.Now()
			resp, err := c.Get(u)
			if err != nil {
				if ue, ok := err.(*url.Error); ok {
					err = ue.Err // its text would show the token
				}
				return nil, fmt.Errorf("GET userinfo: %v", err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d = append(d, float64(time.Since(t0).Microseconds())/1000)
		}
		slices.Sort(d)
		return d, nil
	}
	fresh, err := timeCalls(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
	if err != nil {
		return err
	}
	kept, err := timeCalls(&http.Client{Transport: &http.Transport{}})
	if err != nil {
		return err
	}
	fmt.Printf("rtt_new %.2f\nrtt_kept %.2f\n", fresh[len(fresh)/2], kept[len(kept)/2])
	return nil
}
