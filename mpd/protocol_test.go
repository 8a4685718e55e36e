package mpd_test

import (
	"bufio"
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/mpd"
)

// Raw exchanges over a real TCP connection, compared byte for byte.
func TestGolden(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	for _, x := range []struct{ send, want string }{
		{"ping", "OK\n"},
		{"command_list_ok_begin\nping\nrepeat 0\ncommand_list_end", "list_OK\nlist_OK\nOK\n"},
		{"command_list_begin\nping\nrepeat 0\ncommand_list_end", "OK\n"},
		{"frobnicate", "ACK [5@0] {} unknown command \"frobnicate\"\n"},
		{"", "ACK [5@0] {} No command given\n"},
		{"setvol abc", "ACK [2@0] {setvol} Integer expected: abc\n"},
		{"setvol 500", "ACK [2@0] {setvol} Invalid volume value\n"},
		{"setvol", "ACK [2@0] {setvol} wrong number of arguments for \"setvol\"\n"},
		{"play \"1", "ACK [2@0] {} Missing closing '\"'\n"},
		{"command_list_ok_begin\nping\nsetvol 500\nping\ncommand_list_end", "list_OK\nACK [2@1] {setvol} Invalid volume value\n"},
		{"command_list_begin\nping\nping\nnope\ncommand_list_end", "ACK [5@2] {} unknown command \"nope\"\n"},
		{"idle bogus", "ACK [2@0] {idle} Unrecognized idle event: bogus\n"},
		{"crossfade 5", "ACK [52@0] {crossfade} pcplay does not crossfade (it plays tracks gaplessly)\n"},
		{"crossfade 0", "OK\n"},
		{"consume 1", "ACK [52@0] {consume} pcplay does not consume the queue: tracks stay in it once played\n"},
		{"consume 0", "OK\n"},
		{"albumart \"Drift.mp3\" 0", "ACK [50@0] {albumart} No file exists\n"},
		{"outputs", "outputid: 0\noutputname: pcplay\nplugin: pcplay\noutputenabled: 1\nOK\n"},
		{"getvol", "volume: 50\nOK\n"},
		{"noidle\nping", "OK\n"}, // noidle when not idle: no answer
	} {
		if got := c.do(x.send); got != x.want {
			t.Errorf("%q:\n got %q\nwant %q", x.send, got, x.want)
		}
	}
	// close ends the connection.
	c.send("close")
	c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := c.r.ReadByte(); err == nil {
		t.Errorf("after close: read %q, want the end", b)
	}
}

func TestPassword(t *testing.T) {
	w := newWorld(t, mpd.Options{Password: "sesame"})
	c := w.dial()
	for _, x := range []struct{ send, want string }{
		{"ping", "OK\n"},
		{"status", "ACK [4@0] {status} you don't have permission for \"status\"\n"},
		{"idle", "ACK [4@0] {idle} you don't have permission for \"idle\"\n"},
		{"password wrong", "ACK [3@0] {password} incorrect password\n"},
		{"commands", "command: close\ncommand: commands\ncommand: notcommands\ncommand: password\ncommand: ping\nOK\n"},
		{"password sesame", "OK\n"},
		{"getvol", "volume: 50\nOK\n"},
		{"notcommands", "OK\n"},
	} {
		if got := c.do(x.send); got != x.want {
			t.Errorf("%q:\n got %q\nwant %q", x.send, got, x.want)
		}
	}
	if got := values(c.do("commands"), "command"); !slices.Contains(got, "status") || !slices.Contains(got, "idle") {
		t.Errorf("commands once in: %v", got)
	}
}

// tagtypes: the tags a client asks for are the ones its song records have.
func TestTagTypes(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	if got := values(c.do("tagtypes"), "tagtype"); !slices.Equal(got, []string{"Artist", "AlbumArtist", "Album", "Title", "Track", "Genre", "Disc"}) {
		t.Errorf("tagtypes: %v", got)
	}
	c.ok("add \"Demo Artist/First Album/02 Slow Pad.mp3\"")
	c.ok("tagtypes clear")
	c.ok("tagtypes enable Title")
	a := c.do("playlistinfo")
	if f := fields(a); f["Title"] != "Slow Pad" || f["Artist"] != "" || f["file"] == "" || f["Id"] == "" {
		t.Errorf("playlistinfo with only Title: %q", a)
	}
	c.ok("tagtypes all")
	if f := fields(c.do("playlistinfo")); f["Artist"] != "Demo Artist" {
		t.Errorf("playlistinfo with all tags: %v", f)
	}
}

// idle answers when the track changes, whoever changed it (here the host,
// as a UI's key does); noidle ends an idle with nothing to say; changes
// to a subsystem the client does not wait for stay pending.
func TestIdle(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	a, b := w.dial(), w.dial()
	b.ok("add \"Demo Artist/First Album\"")
	b.ok("play 0")
	poll.Until(t, "playing", func() bool { return b.ok("status")["state"] == "play" })

	a.do("idle") // whatever happened before: drained
	a.send("idle player")
	time.Sleep(50 * time.Millisecond)
	w.h.Next()
	if got := a.answer(); got != "changed: player\nOK\n" {
		t.Errorf("idle player after Next: %q", got)
	}

	b.ok("pause 1")
	poll.Until(t, "paused", func() bool { return b.ok("status")["state"] == "pause" })
	time.Sleep(100 * time.Millisecond)
	a.do("idle", "noidle") // drained: one answer either way

	a.send("idle player")
	b.ok("setvol 30") // mixer: not waited for
	time.Sleep(50 * time.Millisecond)
	a.send("noidle")
	if got := a.answer(); got != "OK\n" {
		t.Errorf("noidle: %q, want a bare OK", got)
	}
	if got := a.do("idle mixer"); got != "changed: mixer\nOK\n" {
		t.Errorf("idle mixer with a pending change: %q", got)
	}
	a.send("idle playlist")
	b.ok("add Drift.mp3")
	if got := a.answer(); got != "changed: playlist\nOK\n" {
		t.Errorf("idle playlist after add: %q", got)
	}
}

// A line over 64 KiB is refused and the connection closed; one just
// under is read.
func TestLongLine(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	c := w.dial()
	if got := c.do("ping " + strings.Repeat("x", mpd.MaxLine-10)); !strings.HasPrefix(got, "ACK [2@0] {ping} wrong number") {
		t.Errorf("a long line: %q", got)
	}
	c.send("ping " + strings.Repeat("x", mpd.MaxLine+10))
	if got := c.line(); !strings.Contains(got, "longer than") {
		t.Errorf("a too long line: %q", got)
	}
}

// At most MaxClients at once: one more is told so.
func TestMaxClients(t *testing.T) {
	w := newWorld(t, mpd.Options{MaxClients: 2})
	w.dial()
	w.dial()
	c := w.dial2()
	if !strings.Contains(c, "too many clients") {
		t.Errorf("a third client: %q", c)
	}
}

// A client that sends and never reads is dropped once a write has waited
// WriteTimeout; meanwhile the others are answered and the player goes on.
func TestStuckClient(t *testing.T) {
	w := newWorld(t, mpd.Options{WriteTimeout: 300 * time.Millisecond})
	c := w.dial()
	c.ok("add \"Demo Artist\"")
	c.ok("add \"The Sine Waves\"")
	stuck := w.dial()
	go func() {
		// Megabytes of answers that nobody reads.
		line := strings.Repeat("playlistinfo\n", 1000)
		for range 20 {
			if _, err := stuck.c.Write([]byte(line)); err != nil {
				return
			}
		}
	}()
	for range 20 {
		if st := c.ok("status"); st["playlistlength"] != "5" {
			t.Fatalf("status while a client is stuck: %v", st)
		}
		w.h.SetVolume(60) // the player's path: events to every client
		c.ok("setvol 40")
	}
	poll.Until(t, "the stuck client dropped", func() bool { return w.srv.Clients() == 1 })
}

// unix:PATH: a stale file there is replaced; a live server there is not.
func TestUnixSocket(t *testing.T) {
	w := newWorld(t, mpd.Options{})
	p := filepath.Join(t.TempDir(), "mpd.sock")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := mpd.Listen("unix:" + p)
	if err != nil {
		t.Fatalf("over a stale file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); mpd.New(w.h, mpd.Options{}).Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	if _, err := mpd.Listen("unix:" + p); err == nil {
		t.Error("a second server on a live socket")
	}
	c, err := net.Dial("unix", p)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cn := &conn{t: t, c: c, r: bufio.NewReader(c)}
	if g := cn.line(); g != "OK MPD "+mpd.Version {
		t.Fatalf("greeting %q", g)
	}
	if got := cn.do("getvol"); got != "volume: 50\nOK\n" {
		t.Errorf("getvol over the unix socket: %q", got)
	}
}

// A port another server holds is an error to log, not a crash.
func TestPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if l2, err := mpd.Listen(ln.Addr().String()); err == nil {
		l2.Close()
		t.Fatal("listening on a taken port")
	}
}
