//go:build unix

package engine

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

// Every command the Client sends is an entry of the table that its check
// lets through: the client and the server speak one table.
func TestClientSpeaksTheTable(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	c := &Client{nc: a, hub: new(player.Hub), done: make(chan struct{}), syncs: map[uint64]chan struct{}{}}
	lines := make(chan string, 100)
	go func() {
		r := bufio.NewReader(b)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- line
		}
	}()
	ts := []player.Track{{FileID: 1, Name: "a"}, {FileID: 2, Name: "b"}}
	calls := []func(){
		c.Play, c.Pause, c.Toggle, c.Stop, c.Next, c.Prev, c.ToggleMute, c.Clear, c.Undo, c.Rescan, c.WantLyrics,
		func() { c.PlayIndex(1) }, func() { c.Seek(time.Minute) }, func() { c.SeekBy(-time.Second) },
		func() { c.SetVolume(7) }, func() { c.SetBitrate(64) }, func() { c.SetShuffle(true) },
		func() { c.SetRepeat(player.RepeatAll) }, func() { c.SetSleep(30 * time.Minute) }, func() { c.PlayNow(ts) }, func() { c.Enqueue(ts) },
		func() { c.InsertNext(ts) }, func() { c.Replace(ts, 1) }, func() { c.Remove(0) }, func() { c.Move(0, 1) },
		func() { c.Login("tok", "auth", "eu") }, c.ReloadLogin, func() { c.SetFolder("/Music", 3) }, func() { c.Measure([]uint64{5}) },
		func() { c.Call("sync", command.Request{Seq: 1}) }, func() { c.Call("shutdown", command.Request{}) }, c.MarkUI,
		// History sends this, then waits with a sync.
		func() { c.Call("history", command.Request{Value: command.HistoryDefault}) },
	}
	rn := command.Runner{
		Target: target{Controller: &stubPlayer{}, log: slog.New(slog.DiscardHandler)},
		Server: map[string]command.Handler{
			"sync":     func(command.Target, command.Request) (command.Result, error) { return command.Result{}, nil },
			"shutdown": func(command.Target, command.Request) (command.Result, error) { return command.Result{}, nil },
			"ui":       func(command.Target, command.Request) (command.Result, error) { return command.Result{}, nil },
		},
	}
	var seen []string
	for _, call := range calls {
		call()
		line := <-lines
		var req request
		if err := decodeLine([]byte(strings.TrimSpace(line)), &req); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if _, err := rn.Run(req.Cmd, req.Request); err != nil {
			t.Errorf("the client sent %q, which the table refuses: %v", line, err)
		}
		seen = append(seen, req.Cmd)
	}
	// Each command the client has a method for, once (the server-level
	// hello aside: it is the handshake's).
	for _, e := range command.All() {
		if e.Name != "hello" && e.Name != "status" && e.Name != "queue" && !slices.Contains(seen, e.Name) {
			t.Errorf("the client never sends %s", e.Name)
		}
	}
}

// host is a Target of its own, as a host gives one: it keeps the login,
// folder and library itself.
type host struct {
	*stubPlayer
	mu    sync.Mutex
	calls []string
}

func (h *host) note(s string) { h.mu.Lock(); defer h.mu.Unlock(); h.calls = append(h.calls, s) }
func (h *host) Login(token, kind, region string) error {
	h.note("login " + kind + " " + region)
	return nil
}
func (h *host) ReloadLogin() error              { h.note("reload_login"); return nil }
func (h *host) SetFolder(path string, _ uint64) { h.note("folder " + path) }
func (h *host) Rescan()                         { h.note("rescan") }
func (h *host) Measure([]uint64)                { h.note("measure") }

// Options.Target gets the commands; the hooks it replaces are not used.
func TestOptionsTarget(t *testing.T) {
	h := &host{stubPlayer: &stubPlayer{}}
	path := serveStub(t, h.stubPlayer, Options{
		Target: h,
		Login:  func(string, string, string) error { t.Error("Options.Login called"); return nil },
		Folder: func(string, uint64) { t.Error("Options.Folder called") },
	})
	c, err := Dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Login("tok", "bearer", "us")
	c.SetFolder("/Music", 1)
	c.Rescan()
	c.Measure([]uint64{1, 2})
	c.SetVolume(33)
	syncNow(t, c)
	h.mu.Lock()
	got := slices.Clone(h.calls)
	h.mu.Unlock()
	if want := []string{"login bearer us", "folder /Music", "rescan", "measure"}; !slices.Equal(got, want) {
		t.Errorf("the target got %v, want %v", got, want)
	}
	if v := c.Status().Volume; v != 33 {
		t.Errorf("volume %d after SetVolume(33)", v)
	}
}
