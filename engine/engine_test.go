//go:build unix

package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

func TestDetachKeepsPlayingAndReattach(t *testing.T) {
	t.Parallel() // real time (the track plays on the null output): it waits beside the others
	r := newRig(t, Options{})
	c1, err := Dial(context.Background(), r.path)
	if err != nil {
		t.Fatal(err)
	}
	c1.PlayNow(r.tracks("a128", "b128"))
	poll.Until(t, "the first client to see 1 s played", func() bool {
		st := c1.Status()
		return st.State == player.Playing && st.Position >= time.Second
	})

	if got := c1.Queue(); len(got) != 2 || got[0].FileID != r.ids["a128"] {
		t.Fatalf("queue seen by the client = %+v", got)
	}
	// Abruptly: the socket goes away under the client (as when the
	// process is killed).
	c1.nc.Close()
	<-c1.Done()
	if st := c1.Status(); st.Err == "" {
		t.Error("the dropped client's status has no Err")
	}
	at := r.p.Status().Position
	poll.Until(t, "the position to go on after the client dropped", func() bool {
		st := r.p.Status()
		return st.State == player.Playing && st.Position >= at+time.Second
	})

	c2 := r.dial(t)
	st, want := c2.Status(), r.p.Status()
	if st.Track.FileID != r.ids["a128"] || st.Index != 0 || st.State != player.Playing {
		t.Fatalf("the new client sees %+v", st)
	}
	if d := want.Position - st.Position; d < -2*time.Second || d > 2*time.Second {
		t.Errorf("the new client's position %v, the engine's %v", st.Position, want.Position)
	}
	if q := c2.Queue(); len(q) != 2 || q[1].FileID != r.ids["b128"] {
		t.Errorf("the new client's queue = %+v", q)
	}
	// Its subscription follows the position.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := c2.Subscribe(ctx)
	first := (<-sub).Position
	poll.Until(t, "an event with a later position", func() bool {
		select {
		case s := <-sub:
			return s.Position >= first+time.Second
		default:
			return false
		}
	})

}

func TestControllerCommandsReachThePlayer(t *testing.T) {
	r := newRig(t, Options{})
	c := r.dial(t)
	p := r.p
	c.Enqueue(r.tracks("a128", "b128"))
	c.InsertNext(r.tracks("tagged"))
	syncNow(t, c)
	if q := c.Queue(); len(q) != 3 || q[0].FileID != r.ids["tagged"] {
		t.Fatalf("queue after Enqueue+InsertNext = %+v", q)
	}
	c.PlayIndex(1)
	c.SetVolume(33)
	c.SetShuffle(true)
	c.SetRepeat(player.RepeatOne)
	c.ToggleMute()
	syncNow(t, c)
	st := p.Status()
	if st.Index != 1 || st.Volume != 33 || !st.Shuffle || st.Repeat != player.RepeatOne || !st.Muted {
		t.Fatalf("player status after commands: %+v", st)
	}
	if cs := c.Status(); cs.Volume != 33 || cs.Index != 1 || cs.Repeat != player.RepeatOne {
		t.Errorf("client status after Sync: %+v", cs)
	}
	c.SetShuffle(false)
	c.SetRepeat(player.RepeatOff)
	c.ToggleMute()
	c.Move(2, 0)
	syncNow(t, c)
	if q := p.Queue(); q[0].FileID != r.ids["b128"] {
		t.Errorf("after Move(2,0) the queue starts with %d", q[0].FileID)
	}
	c.Remove(0)
	syncNow(t, c)
	if q := p.Queue(); len(q) != 2 {
		t.Errorf("after Remove the queue has %d", len(q))
	}
	poll.Until(t, "playing", func() bool { return p.Status().State == player.Playing })
	c.Pause()
	syncNow(t, c)
	if s := p.Status().State; s != player.Paused {
		t.Errorf("after Pause: %v", s)
	}
	c.Toggle()
	syncNow(t, c)
	if s := p.Status().State; s == player.Paused {
		t.Errorf("after Toggle still paused")
	}
	c.Seek(10 * time.Second)
	syncNow(t, c)
	poll.Until(t, "the seek to 10 s", func() bool { return p.Status().Position >= 10*time.Second })
	c.SeekBy(-8 * time.Second)
	syncNow(t, c)
	poll.Until(t, "the seek back", func() bool { return p.Status().Position < 8*time.Second })
	c.SetBitrate(64)
	syncNow(t, c)
	if b := p.Status().Bitrate; b != 64 {
		t.Errorf("bitrate = %d", b)
	}
	c.Stop()
	syncNow(t, c)
	if s := p.Status().State; s != player.Stopped {
		t.Errorf("after Stop: %v", s)
	}
	c.Play()
	syncNow(t, c)
	if s := p.Status().State; s == player.Stopped {
		t.Errorf("after Play: stopped")
	}
	if i := p.Status().Index; i != 1 {
		t.Fatalf("Play started index %d, want 1", i)
	}
	c.Prev()
	syncNow(t, c)
	if j := p.Status().Index; j != 0 {
		t.Errorf("Prev went to %d, want 0", j)
	}
	c.Next()
	syncNow(t, c)
	if j := p.Status().Index; j != 1 {
		t.Errorf("Next went to %d, want 1", j)
	}
	c.Clear()
	syncNow(t, c)
	if q := p.Queue(); len(q) != 0 {
		t.Errorf("after Clear: %d tracks", len(q))
	}
	if q := c.Queue(); len(q) != 0 {
		t.Errorf("the client still shows %d tracks", len(q))
	}
}

func TestAllowPeer(t *testing.T) {
	if err := allowPeer(&peer{UID: 1000, PID: 5}, 1000); err != nil {
		t.Errorf("same uid refused: %v", err)
	}
	for _, p := range []*peer{{UID: 1001}, {UID: 0}, nil} {
		if err := allowPeer(p, 1000); err == nil {
			t.Errorf("peer %+v allowed for uid 1000", p)
		}
	}
	if err := allowPeer(&peer{UID: 1000}, 0); err == nil {
		t.Error("uid 1000 allowed into root's engine")
	}
}

func TestPeerCredentialsOfARealConnection(t *testing.T) {
	r := newRig(t, Options{})
	nc, err := net.Dial("unix", r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	p, err := peerOf(nc)
	if err != nil {
		t.Fatal(err)
	}
	if p.UID != os.Getuid() || p.PID != os.Getpid() {
		t.Errorf("peer = %+v, want uid %d pid %d", p, os.Getuid(), os.Getpid())
	}
}

// helloLine is a client's hello of this protocol.
var helloLine = `{"hello":{"protocol":` + strconv.Itoa(Protocol) + `,"version":"test"}}` + "\n"

// rawConn is a connection that speaks the protocol by hand.
type rawConn struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

func rawDial(t *testing.T, path string) *rawConn {
	t.Helper()
	nc, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawConn{t: t, nc: nc, r: bufio.NewReader(nc)}
}

func (c *rawConn) send(s string) {
	c.t.Helper()
	if _, err := c.nc.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// next is the next message; ok false at the end of the connection.
func (c *rawConn) next() (m message, ok bool) {
	c.t.Helper()
	line, err := readLine(c.r, MaxServerLine)
	if err != nil {
		return m, false
	}
	if err := json.Unmarshal(line, &m); err != nil {
		c.t.Fatalf("engine sent %q: %v", line, err)
	}
	return m, true
}

// until reads messages until one satisfies f; it fails at the end.
func (c *rawConn) until(what string, f func(message) bool) message {
	c.t.Helper()
	for {
		m, ok := c.next()
		if !ok {
			c.t.Fatalf("the connection ended before %s", what)
		}
		if f(m) {
			return m
		}
	}
}

func (c *rawConn) closed() bool {
	for {
		if _, ok := c.next(); !ok {
			return true
		}
	}
}

func TestHandshakeSnapshotOrder(t *testing.T) {
	r := newRig(t, Options{})
	r.p.Enqueue(r.tracks("a128"))
	c := rawDial(t, r.path)
	c.send(helloLine)
	m, _ := c.next()
	if m.Hello == nil || m.Hello.Protocol != Protocol || m.Hello.PID != os.Getpid() {
		t.Fatalf("first message %+v, want the hello", m)
	}
	q, _ := c.next()
	if q.Queue == nil || len(q.Queue.Tracks) != 1 || q.Queue.Total != 1 || q.Queue.From != 0 {
		t.Fatalf("second message %+v, want the queue", q)
	}
	m, _ = c.next()
	if m.Status == nil || m.Status.QueueGen != q.Queue.Gen {
		t.Fatalf("third message %+v, want the status", m)
	}
}

func TestVersionMismatch(t *testing.T) {
	r := newRig(t, Options{})
	c := rawDial(t, r.path)
	c.send(`{"hello":{"protocol":99,"version":"v9"}}` + "\n")
	m, _ := c.next()
	want := "the running pcplay engine is version dev (protocol 3); this pcplay speaks protocol 99 — run `pcplay stop` and start again"
	if m.Refused != want {
		t.Errorf("refusal = %q, want %q", m.Refused, want)
	}
	if !c.closed() {
		t.Error("not closed")
	}

	// The client side: an engine of another protocol, and one that says
	// nothing at all.
	dir := shortDir(t)
	path := dir + "/other.sock"
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				line, _ := bufio.NewReader(nc).ReadString('\n')
				if strings.Contains(line, "hello") {
					nc.Write([]byte(`{"hello":{"protocol":2,"version":"v2.0.0","pid":42}}` + "\n"))
				}
				time.Sleep(time.Minute)
			}()
		}
	}()
	_, err = Dial(context.Background(), path)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("Dial against protocol 2: %v", err)
	}
	if want := "the running pcplay engine is version v2.0.0 (protocol 2); this pcplay speaks protocol 3 — run `pcplay stop` and start again"; me.Sentence != want {
		t.Errorf("sentence %q, want %q", me.Sentence, want)
	}
	if me.PID != os.Getpid() { // the peer credentials: this test process
		t.Errorf("PID %d", me.PID)
	}

	silent := dir + "/silent.sock"
	ln2, err := net.Listen("unix", silent)
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	go func() {
		for {
			nc, err := ln2.Accept()
			if err != nil {
				return
			}
			defer nc.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := Dial(ctx, silent); err == nil || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Dial against a silent engine: %v", err)
	}
}

func TestBadLinesDropOnlyThatConnection(t *testing.T) {
	r := newRig(t, Options{})
	good := r.dial(t)
	for name, bad := range map[string]string{
		"garbage":         "this is not json\n",
		"array":           "[1,2]\n",
		"unknown command": `{"cmd":"rm -rf"}` + "\n",
		"no command":      `{"index":3}` + "\n",
		"two values":      `{"cmd":"play"}{"cmd":"play"}` + "\n",
		"oversized":       `{"cmd":"enqueue","tracks":[` + strings.Repeat(`{"fileid":1,"name":"x"},`, MaxClientLine/20) + "]}\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := rawDial(t, r.path)
			c.send(helloLine)
			c.until("the status", func(m message) bool { return m.Status != nil })
			go c.nc.Write([]byte(bad)) // the engine may close before reading it all
			m := c.until("the error", func(m message) bool { return m.Error != "" })
			if len(m.Error) > 300 {
				t.Errorf("error line of %d bytes", len(m.Error))
			}
			if !c.closed() {
				t.Error("not closed")
			}
		})
	}
	for name, bad := range map[string]string{
		"garbage hello":   "hello?\n",
		"no hello":        `{"cmd":"play"}` + "\n",
		"oversized hello": strings.Repeat("x", MaxClientLine+1) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := rawDial(t, r.path)
			go c.nc.Write([]byte(bad))
			c.until("the error", func(m message) bool { return m.Error != "" })
			if !c.closed() {
				t.Error("not closed")
			}
		})
	}
	if r.p.Status().State != player.Stopped || len(r.p.Queue()) != 0 {
		t.Errorf("bad lines changed the player: %+v", r.p.Status())
	}
	good.SetVolume(12)
	syncNow(t, good)
	if v := r.p.Status().Volume; v != 12 {
		t.Errorf("the good client's command after the bad ones: volume %d", v)
	}
}

func TestShutdownSavesAndSaysGoodbye(t *testing.T) {
	r := newRig(t, Options{})
	c := r.dial(t)
	other := r.dial(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := other.Subscribe(ctx)
	c.PlayNow(r.tracks("a128"))
	poll.Until(t, "playing", func() bool { return r.p.Status().Position >= 500*time.Millisecond })
	sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer scancel()
	if err := c.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Serve after shutdown: %v", err)
	}
	r.done <- nil
	select {
	case st := <-r.saves:
		if st.Index != 0 || st.Position < 500*time.Millisecond {
			t.Errorf("saved %+v", st)
		}
	default:
		t.Fatal("Save was not called")
	}
	var last player.Status
	for st := range sub {
		last = st
	}
	if !strings.Contains(last.Err, "stopped") || last.State != player.Stopped {
		t.Errorf("the other client's last status: %+v", last)
	}
	if _, err := Dial(context.Background(), r.path); !errors.Is(err, ErrNoEngine) {
		t.Errorf("Dial after shutdown: %v", err)
	}
}

func TestIdleExit(t *testing.T) {
	t.Parallel() // real time (the 5 s track plays out): it waits beside the others
	r := newRig(t, Options{IdleExit: 300 * time.Millisecond})
	// A client attached keeps the engine; so does playing.
	c := r.dial(t)
	c.PlayNow(r.tracks("tagged"))
	syncNow(t, c)
	c.Close()
	poll.Until(t, "the idle exit", func() bool {
		select {
		case err := <-r.done:
			if !errors.Is(err, ErrIdle) {
				t.Errorf("Serve: %v, want ErrIdle", err)
			}
			r.done <- err
			return true
		default:
			return false
		}
	})

	// It can only have exited after the 5 s track ended (nothing attached,
	// nothing playing); the session was saved.
	select {
	case st := <-r.saves:
		if st.State != player.Stopped || len(r.p.Queue()) != 1 {
			t.Errorf("saved %+v", st)
		}
	default:
		t.Fatal("Save was not called")
	}
}

func TestContextEndStopsServe(t *testing.T) {
	r := newRig(t, Options{})
	c := r.dial(t)
	r.stop()
	<-c.Done()
	if err := <-r.done; !errors.Is(err, context.Canceled) {
		t.Errorf("Serve: %v", err)
	}
	r.done <- nil
	if len(r.saves) != 1 {
		t.Error("Save not called once")
	}
}

func TestLoginReachesTheEngineOnly(t *testing.T) {
	got := make(chan [3]string, 1)
	r := newRig(t, Options{Login: func(tok, kind, region string) error {
		got <- [3]string{tok, kind, region}
		return nil
	}})
	c := r.dial(t)
	c.Login("tok123", "auth", "eu")
	syncNow(t, c)
	select {
	case g := <-got:
		if g != [3]string{"tok123", "auth", "eu"} {
			t.Errorf("login %v", g)
		}
	default:
		t.Fatal("the login did not arrive")
	}
}

// A UI's folder reaches the engine's Folder hook before Sync returns (the
// UI leaves right after).
func TestFolderReachesTheEngine(t *testing.T) {
	type folder struct {
		path string
		id   uint64
	}
	got := make(chan folder, 1)
	r := newRig(t, Options{Folder: func(path string, id uint64) { got <- folder{path, id} }})
	c := r.dial(t)
	c.SetFolder("/Music/Live", 42)
	syncNow(t, c)
	select {
	case f := <-got:
		if f != (folder{"/Music/Live", 42}) {
			t.Errorf("folder %+v", f)
		}
	default:
		t.Fatal("the folder did not arrive before Sync returned")
	}
	// An engine without the hook ignores it and keeps the connection.
	r2 := newRig(t, Options{})
	c2 := r2.dial(t)
	c2.SetFolder("/", 0)
	syncNow(t, c2)
}

func TestLongTrackListsGoInParts(t *testing.T) {
	t.Parallel() // its own rig; beside the real-time tests, which wait
	r := newRig(t, Options{})
	c := r.dial(t)
	// Long names make a list of a few MB: several lines.
	long := strings.Repeat("n", 2000)
	mk := func(from, n int) []player.Track {
		ts := make([]player.Track, n)
		for i := range ts {
			ts[i] = player.Track{FileID: uint64(from + i), Name: long}
		}
		return ts
	}
	if parts := splitTracks(mk(1, 1500), MaxClientLine-1024); len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	c.Enqueue(mk(1, 1500))
	c.InsertNext(mk(10001, 1500)) // nothing current: at the start
	syncNow(t, c)
	q := r.p.Queue()
	if len(q) != 3000 || q[0].FileID != 10001 || q[1499].FileID != 11500 || q[1500].FileID != 1 || q[2999].FileID != 1500 {
		t.Fatalf("queue of %d: %d %d %d %d", len(q), q[0].FileID, q[1499].FileID, q[1500].FileID, q[2999].FileID)
	}
	c.Clear()
	c.PlayNow(mk(1, 1500))
	syncNow(t, c)
	q = r.p.Queue()
	for i, tr := range q {
		if tr.FileID != uint64(i+1) {
			t.Fatalf("after PlayNow, track %d is %d", i, tr.FileID)
		}
	}
	if len(q) != 1500 {
		t.Errorf("after PlayNow: %d tracks", len(q))
	}
}

func TestServeEndsWithAHalfOpenConnection(t *testing.T) {
	// Long enough that waiting it out would fail the test.
	serverHandshakeTimeout = time.Hour
	defer func() { serverHandshakeTimeout = HandshakeTimeout }()
	r := newRig(t, Options{})
	// Connected, no hello yet.
	nc, err := net.Dial("unix", r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := r.dial(t) // accepted after the first
	syncNow(t, c)
	r.stop()
	select {
	case err := <-r.done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v", err)
		}
		r.done <- nil
	case <-time.After(60 * time.Second):
		t.Fatal("Serve waits for a connection that never says hello")
	}
}

// Only an attached UI keeps an idle engine: connections that come and go
// to ask the status (a status bar polling pcplay ctl status) do not (they
// kept it for ever, each one starting the idle time again).
func TestIdleExitIgnoresStatusPolling(t *testing.T) {
	r := newRig(t, Options{IdleExit: 300 * time.Millisecond})
	ui := r.dial(t)
	ui.MarkUI()
	syncNow(t, ui)
	select {
	case err := <-r.done:
		t.Fatalf("the engine exited with a UI attached: %v", err)
	case <-time.After(time.Second):
	}
	ui.Close()
	exited := false
	poll.Until(t, "the idle exit while ctl status polls", func() bool {
		select {
		case err := <-r.done:
			if !errors.Is(err, ErrIdle) {
				t.Errorf("Serve: %v, want ErrIdle", err)
			}
			r.done <- err
			exited = true
			return true
		default:
		}
		if c, err := Dial(context.Background(), r.path); err == nil {
			c.Status()
			c.Close()
		}
		time.Sleep(50 * time.Millisecond)
		return false
	})
	if !exited {
		t.Fatal("no idle exit")
	}
}
