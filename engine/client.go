package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// ErrNoEngine is Dial's error when no engine listens on the socket.
var ErrNoEngine = errors.New("no pcplay engine is running")

// NotYoursError is Find's error when an engine's socket is there but this
// user may not use it (it belongs to another user, or its directory can't
// be read): not "no engine".
type NotYoursError struct{ Path string }

func (e *NotYoursError) Error() string {
	return "the pcplay engine's socket " + e.Path + " belongs to another user (or this user may not open it); run pcplay as the user who started the engine"
}

// MismatchError is Dial's error when the engine speaks another protocol.
type MismatchError struct {
	Sentence string // for a person: the versions and what to do
	PID      int    // the engine's process id, when known (to stop it)
}

func (e *MismatchError) Error() string { return e.Sentence }

// Client is a connection to the engine. It implements player.Controller:
// Status and Queue are the latest the engine sent; the commands are written
// to the socket and never wait for the engine's answer. When the
// connection ends, subscriptions close and Status().Err says why.
type Client struct {
	wmu sync.Mutex // one write at a time

	mu     sync.Mutex
	nc     net.Conn // replaced by Reattach, like engine, hub and done
	engine hello
	st     player.Status
	q      []player.Track // the queue of the last generation whose pages all came
	qgen   uint64         // its generation
	// building is the queue whose pages are coming (applyQueue).
	building *queueBuild
	hub      *player.Hub // subscribers; published to under mu, so in order
	ended    bool
	why      string // the engine's goodbye or the connection error
	seq      uint64
	syncs    map[uint64]chan struct{}
	closed   bool                // Close was called
	lib      feed[library.State] // the engine's library state (engine/library.go)
	lyr      feed[lyrics.State]  // the engine's lyrics state (engine/lyrics.go)
	lis      feed[uint64]        // the engine's count of listens (engine/history.go)
	hist     *historyMsg         // the last history answer
	histMu   sync.Mutex          // one history question at a time

	done chan struct{} // the reader ended

	// restart is how Reattach finds or starts an engine (set by Ensure);
	// started: Ensure or Reattach started the engine.
	restart *EnsureOptions
	started bool
}

var _ player.Controller = (*Client)(nil)

// Dial connects to the engine at path, says hello and reads the snapshot;
// the handshake is bounded by HandshakeTimeout. No engine: an error that
// is ErrNoEngine; another protocol: a *MismatchError.
func Dial(ctx context.Context, path string) (*Client, error) {
	c, r, err := dial(ctx, path)
	if err != nil {
		return nil, err
	}
	go c.read(r)
	return c, nil
}

// dial is Dial without the reader: the caller starts c.read(r).
func dial(ctx context.Context, path string) (*Client, *bufio.Reader, error) {
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, HandshakeTimeout)
	defer cancel()
	nc, err := d.DialContext(dctx, "unix", path)
	if err != nil {
		if isNoEngine(err) {
			return nil, nil, fmt.Errorf("%w (%s)", ErrNoEngine, path)
		}
		return nil, nil, fmt.Errorf("cannot connect to the pcplay engine: %w", err)
	}
	c, r, err := handshake(ctx, nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return c, r, nil
}

// Find connects to a running engine wherever its socket is: an engine
// started from a session with another XDG_RUNTIME_DIR (or none) is found
// too. No engine anywhere: an error that is ErrNoEngine.
func Find(ctx context.Context) (*Client, error) {
	return find(ctx, socketPaths(os.Getenv), Dial)
}

func find(ctx context.Context, paths []string, dial dialFunc) (*Client, error) {
	var notYours *NotYoursError
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrPermission) && notYours == nil {
			notYours = &NotYoursError{Path: p}
		}
		if err != nil || fi.Mode().Type() != os.ModeSocket {
			continue
		}
		if uid, ok := fileOwner(fi); ok && uid != os.Getuid() {
			if notYours == nil {
				notYours = &NotYoursError{Path: p}
			}
			continue
		}
		c, err := dial(ctx, p)
		if err == nil || !errors.Is(err, ErrNoEngine) {
			return c, err
		}
	}
	if notYours != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoEngine, notYours)
	}
	return nil, ErrNoEngine
}

// dialFunc connects to the engine at path (Dial; Reattach's redial).
type dialFunc func(ctx context.Context, path string) (*Client, error)

func handshake(ctx context.Context, nc net.Conn) (*Client, *bufio.Reader, error) {
	pr, err := peerOf(nc)
	if err == nil {
		err = allowPeer(pr, os.Getuid())
	}
	if err != nil {
		return nil, nil, fmt.Errorf("refusing the engine's socket: %w", err)
	}
	// Each step (the hello, a line of the snapshot: a long queue is many)
	// must come within HandshakeTimeout; ending ctx ends the handshake at
	// once.
	var mu sync.Mutex
	ended := false
	step := func() {
		mu.Lock()
		defer mu.Unlock()
		if !ended {
			nc.SetDeadline(time.Now().Add(HandshakeTimeout))
		}
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		ended = true
		nc.SetDeadline(time.Unix(1, 0))
	})
	defer stop()

	step()
	r := bufio.NewReaderSize(nc, 64<<10)
	b, _ := encodeLine(request{Hello: &hello{Protocol: Protocol, Version: Version}}, MaxClientLine)
	if _, err := nc.Write(b); err != nil {
		// An engine that refused the connection at once (it is full) may
		// have closed it before the hello: its line says why.
		if line, rerr := readLine(r, MaxServerLine); rerr == nil {
			var m message
			if decodeLine(line, &m) == nil && m.Error != "" {
				return nil, nil, fmt.Errorf("the pcplay engine refused the connection: %s", clip200(m.Error))
			}
		}
		return nil, nil, handshakeErr(err)
	}
	c := &Client{nc: nc, hub: new(player.Hub), done: make(chan struct{}), syncs: make(map[uint64]chan struct{})}
	gotHello, gotStatus := false, false
	for !gotStatus {
		step()
		line, err := readLine(r, MaxServerLine)
		if err != nil {
			return nil, nil, handshakeErr(err)
		}
		var m message
		if err := decodeLine(line, &m); err != nil {
			return nil, nil, fmt.Errorf("the pcplay engine sent something else than expected: %w", err)
		}
		switch {
		case m.Error != "":
			return nil, nil, fmt.Errorf("the pcplay engine refused the connection: %s", clip200(m.Error))
		case m.Refused != "":
			return nil, nil, &MismatchError{Sentence: clip200(m.Refused), PID: pr.PID}
		case m.Hello != nil && !gotHello:
			if m.Hello.Protocol != Protocol {
				return nil, nil, &MismatchError{Sentence: mismatchSentence(command.Clip(m.Hello.Version), m.Hello.Protocol, Protocol), PID: pr.PID}
			}
			c.engine, gotHello = *m.Hello, true
			c.engine.Version = command.Clip(c.engine.Version)
			if pr.PID != 0 { // the kernel's word over the engine's
				c.engine.PID = pr.PID
			}
		case !gotHello:
			return nil, nil, errors.New("the pcplay engine did not say hello")
		case m.Queue != nil:
			c.applyQueue(m.Queue)
		case m.Status != nil:
			c.st, gotStatus = *m.Status, true
		case m.Bye != "":
			return nil, nil, fmt.Errorf("the pcplay engine is stopping: %s", clip200(m.Bye))
		}
	}
	if !stop() { // ctx ended just now
		return nil, nil, handshakeErr(os.ErrDeadlineExceeded)
	}
	nc.SetDeadline(time.Time{})
	return c, r, nil
}

func handshakeErr(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return errors.New("the pcplay engine did not answer within " + HandshakeTimeout.String() + "; it may be stuck: run `pcplay stop`, or kill it")
	}
	return fmt.Errorf("the pcplay engine closed the connection during the hello: %w", err)
}

func clip200(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// EngineVersion is the engine's version; EnginePID its process id.
func (c *Client) EngineVersion() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.engine.Version
}

// EnginePID is the engine's process id.
func (c *Client) EnginePID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.engine.PID
}

// read applies the engine's lines (of the connection r reads) until the
// connection ends.
func (c *Client) read(r *bufio.Reader) {
	c.mu.Lock()
	nc, hub, done := c.nc, c.hub, c.done
	c.mu.Unlock()
	defer close(done)
	var why string
	for {
		line, err := readLine(r, MaxServerLine)
		if err != nil {
			c.mu.Lock()
			switch {
			case c.closed:
				why = "Detached from the pcplay engine."
			case c.why != "":
				why = c.why
			default:
				why = "Lost the connection to the pcplay engine."
			}
			c.mu.Unlock()
			break
		}
		var m message
		if err := decodeLine(line, &m); err != nil {
			why = "The pcplay engine sent a malformed line; disconnected."
			break
		}
		c.apply(m)
	}
	c.mu.Lock()
	c.ended = true
	c.lib.wake()
	c.lyr.wake()
	c.lis.wake()
	c.st.Err = why
	c.st.State = player.Stopped
	hub.Publish(c.st)
	hub.Close()
	for seq, ch := range c.syncs {
		close(ch)
		delete(c.syncs, seq)
	}
	c.mu.Unlock()
	nc.Close()
}

func (c *Client) apply(m message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Queue != nil {
		c.applyQueue(m.Queue)
	}
	if m.Status != nil {
		c.st = *m.Status
		c.hub.Publish(c.st)
	}
	if m.Library != nil {
		c.lib.set(*m.Library)
	}
	if m.Lyrics != nil {
		c.lyr.set(*m.Lyrics)
	}
	if m.Listened != nil {
		c.lis.set(*m.Listened)
	}
	if m.History != nil {
		c.hist = m.History
	}
	if m.Sync != 0 {
		if ch, ok := c.syncs[m.Sync]; ok {
			close(ch)
			delete(c.syncs, m.Sync)
		}
	}
	switch {
	case m.Bye != "":
		c.why = "The pcplay engine stopped: " + clip200(m.Bye) + "."
	case m.Error != "":
		c.why = "The pcplay engine refused a command: " + clip200(m.Error)
	}
}

// Status is the latest status the engine sent.
func (c *Client) Status() player.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// Queue is the latest queue the engine sent.
func (c *Client) Queue() []player.Track {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]player.Track(nil), c.q...)
}

// QueueLen is the length of the latest queue the engine sent.
func (c *Client) QueueLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.q)
}

// Subscribe returns a channel of statuses, latest wins, starting with the
// current one. It closes when ctx ends or the connection does (after a last
// status whose Err says why).
func (c *Client) Subscribe(ctx context.Context) <-chan player.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hub.Subscribe(ctx, c.st)
}

// Done is closed when the connection has ended (after a Reattach, the new
// connection's).
func (c *Client) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// send writes one command. A write that fails or takes longer than a
// moment ends the connection (the reader then reports it).
func (c *Client) send(call command.Call) {
	b, err := encodeLine(request{Call: call}, MaxClientLine)
	if err != nil {
		c.mu.Lock()
		c.st.Err = "Not sent to the pcplay engine: " + err.Error()
		c.hub.Publish(c.st)
		c.mu.Unlock()
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	nc := c.nc
	c.mu.Unlock()
	nc.SetWriteDeadline(time.Now().Add(commandWriteTimeout))
	if _, err := nc.Write(b); err != nil {
		nc.Close()
	}
}

// Close detaches from the engine; the music goes on.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	nc, done := c.nc, c.done
	c.mu.Unlock()
	nc.Close()
	<-done
	return nil
}
