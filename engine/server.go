package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pcplay/pcplay/player"
)

// Options configure Serve.
type Options struct {
	Logger *slog.Logger // nil: discard
	// IdleExit: Serve returns ErrIdle after this long with nothing playing
	// (stopped, paused or failed) and no client attached. 0: never.
	IdleExit time.Duration
	// Save is called once as Serve ends, whatever the reason, while the
	// player still has its state (the session is saved there).
	Save func()
	// Login applies a login a client sent (the UI's login screen). It must
	// not log the token. nil: logins are ignored.
	Login func(token, kind, region string) error
	// Folder keeps the folder an attached UI was showing when it left (path
	// and id), for the session the engine saves: the engine is the
	// session's one writer while it runs. nil: folders are ignored.
	Folder func(path string, id uint64)
	// Library is the music library the engine keeps (a
	// *library.Keeper): its state goes to every client, and the rescan
	// command reaches it. nil: no library.
	Library LibraryKeeper
}

// serverHandshakeTimeout is how long the engine waits for a hello (tests
// lengthen it).
var serverHandshakeTimeout = HandshakeTimeout

// ErrIdle is Serve's result when it ended because of Options.IdleExit.
var ErrIdle = errors.New("the engine was idle")

// Serve serves p on ln until a client asks for a shutdown (nil), the idle
// time passes (ErrIdle), ctx ends (ctx.Err()), the player closes, or
// accepting fails. It closes ln, calls Options.Save, and tells every client
// goodbye before it returns. It does not close p.
func Serve(ctx context.Context, ln net.Listener, p player.Controller, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &server{
		p:       p,
		opts:    opts,
		log:     opts.Logger,
		uid:     os.Getuid(),
		conns:   make(map[*conn]struct{}),
		changed: make(chan struct{}, 1),
		stop:    make(chan struct{}),
	}
	acceptErr := make(chan error, 1)
	go s.accept(ln, acceptErr)

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub := p.Subscribe(sctx)
	var (
		err      error
		playing  bool
		clients  int
		idle     *time.Timer
		idleC    <-chan time.Time
		stopIdle = func() {
			if idle != nil {
				idle.Stop()
				idle, idleC = nil, nil
			}
		}
	)
	reason := ""
loop:
	for {
		select {
		case <-ctx.Done():
			err, reason = ctx.Err(), "the engine was stopped"
			break loop
		case <-s.stop:
			reason = "the engine was stopped (pcplay stop or Q)"
			break loop
		case e := <-acceptErr:
			err, reason = e, "the engine failed"
			break loop
		case <-idleC:
			err, reason = ErrIdle, "the engine exited after being idle"
			break loop
		case st, ok := <-sub:
			if !ok {
				err, reason = errors.New("the player closed"), "the player closed"
				break loop
			}
			playing = st.State != player.Stopped && st.State != player.Paused && st.State != player.Errored
		case <-s.changed:
			s.mu.Lock()
			clients = s.attached
			s.mu.Unlock()
		}
		if opts.IdleExit > 0 && clients == 0 && !playing {
			if idle == nil {
				idle = time.NewTimer(opts.IdleExit)
				idleC = idle.C
			}
		} else {
			stopIdle()
		}
	}
	stopIdle()
	s.log.Info("engine stopping", "why", reason)

	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	ln.Close()
	if opts.Save != nil {
		opts.Save()
	}
	s.mu.Lock()
	for c := range s.conns {
		c.end(reason)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

type server struct {
	p    player.Controller
	opts Options
	log  *slog.Logger
	uid  int

	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[*conn]struct{}
	attached int  // connections past the hello
	closing  bool // Serve is ending: no new connections
	changed  chan struct{}

	stopOnce sync.Once
	stop     chan struct{}
}

func (s *server) poke() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *server) accept(ln net.Listener, errc chan<- error) {
	delay := 5 * time.Millisecond
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			if closing || errors.Is(err, net.ErrClosed) {
				errc <- nil
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || isTemporary(err) {
				// Out of file descriptors and the like: wait and go on.
				s.log.Warn("accept", "err", err)
				time.Sleep(delay)
				delay = min(2*delay, time.Second)
				continue
			}
			errc <- fmt.Errorf("accepting connections: %w", err)
			return
		}
		delay = 5 * time.Millisecond
		c := &conn{s: s, nc: nc, replies: make(chan message, 16), done: make(chan struct{})}
		c.ctx, c.cancel = context.WithCancel(context.Background())
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			nc.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// conn is one client connection.
type conn struct {
	s       *server
	nc      net.Conn
	ctx     context.Context
	cancel  context.CancelFunc
	replies chan message // for the writer, in order
	done    chan struct{}

	mu  sync.Mutex
	bye string // why the engine ends the connection
}

// end makes the connection say goodbye with reason and close.
func (c *conn) end(reason string) {
	c.mu.Lock()
	if c.bye == "" {
		c.bye = reason
	}
	c.mu.Unlock()
	c.cancel()
	// A reader waiting for a hello gives up now (after the hello, the
	// writer closes the connection once it has said goodbye).
	c.nc.SetReadDeadline(time.Unix(1, 0))
}

func (c *conn) serve() {
	s := c.s
	attached := false
	defer func() {
		c.cancel()
		c.nc.Close()
		s.mu.Lock()
		delete(s.conns, c)
		if attached {
			s.attached--
		}
		s.mu.Unlock()
		s.poke()
		s.wg.Done()
	}()
	log := s.log

	pr, err := peerOf(c.nc)
	if err == nil {
		err = allowPeer(pr, s.uid)
	}
	if err != nil {
		log.Warn("connection refused", "err", err)
		c.writeNow(message{Error: "Refused: " + err.Error()})
		return
	}
	log = log.With("peer_pid", pr.PID)

	r := bufio.NewReaderSize(c.nc, 64<<10)
	c.nc.SetReadDeadline(time.Now().Add(serverHandshakeTimeout))
	line, err := readLine(r, MaxClientLine)
	if err != nil {
		if errors.Is(err, errLineTooLong) {
			c.writeNow(message{Error: fmt.Sprintf("The hello line is over %d bytes.", MaxClientLine)})
		}
		log.Info("no hello", "err", err)
		return
	}
	var req request
	if err := decodeLine(line, &req); err != nil || req.Hello == nil {
		if err == nil {
			err = errors.New("the first line must be a hello")
		}
		c.writeNow(message{Error: "Bad hello: " + err.Error()})
		log.Info("bad hello", "err", err)
		return
	}
	me := &hello{Protocol: Protocol, Version: Version, PID: os.Getpid()}
	if req.Hello.Protocol != Protocol {
		c.writeNow(message{Hello: me, Refused: mismatchSentence(Version, Protocol, req.Hello.Protocol)})
		log.Info("protocol mismatch", "client_version", clip(req.Hello.Version), "client_protocol", req.Hello.Protocol)
		return
	}
	c.nc.SetReadDeadline(time.Time{})
	if !c.writeNow(message{Hello: me}) {
		return
	}
	s.mu.Lock()
	s.attached++
	attached = true
	s.mu.Unlock()
	s.poke()
	log.Info("client attached", "client_version", clip(req.Hello.Version))

	go c.write()
	defer func() {
		c.cancel()
		<-c.done
	}()
	for {
		line, err := readLine(r, MaxClientLine)
		if err != nil {
			switch {
			case errors.Is(err, errLineTooLong):
				c.fail(fmt.Sprintf("A line over %d bytes was refused.", MaxClientLine))
				log.Warn("oversized line; closing the connection")
			case c.ctx.Err() == nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed):
				log.Info("client read", "err", err)
			}
			log.Info("client detached")
			return
		}
		if len(line) == 0 {
			continue
		}
		var req request
		if err := decodeLine(line, &req); err != nil {
			c.fail("Refused a line: " + err.Error())
			log.Warn("malformed line; closing the connection", "err", err)
			return
		}
		if err := req.validate(); err != nil {
			c.fail(err.Error())
			log.Warn("invalid command; closing the connection", "cmd", clip(req.Cmd), "err", err)
			return
		}
		if err := c.do(req); err != nil {
			c.fail(err.Error())
			log.Warn("bad command; closing the connection", "err", err)
			return
		}
	}
}

// fail sends an error line through the writer and ends the connection.
func (c *conn) fail(msg string) {
	select {
	case c.replies <- message{Error: msg}:
	case <-c.ctx.Done():
	}
	c.end("")
}

// writeNow writes one message before the writer runs (handshake).
func (c *conn) writeNow(m message) bool {
	b, err := encodeLine(m, MaxServerLine)
	if err != nil {
		return false
	}
	c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	_, err = c.nc.Write(b)
	return err == nil
}

// write sends the snapshot, then events and replies, until the connection
// ends; then it says goodbye when the engine ends it and closes it.
func (c *conn) write() {
	defer close(c.done)
	defer c.nc.Close()
	s := c.s
	sub := s.p.Subscribe(c.ctx)
	var (
		sentGen  uint64
		sentOnce bool
		libC     <-chan struct{} // the library's next change; armed after the first status
	)
	send := func(m message) bool {
		if m.Status != nil && (!sentOnce || m.Status.QueueGen != sentGen) {
			q := s.p.Queue()
			if q == nil {
				q = []player.Track{}
			}
			if !c.send(message{Queue: &queueMsg{Gen: m.Status.QueueGen, Tracks: q}}) {
				return false
			}
			sentGen, sentOnce = m.Status.QueueGen, true
		}
		return c.send(m)
	}
	for {
		select {
		case st, ok := <-sub:
			if !ok { // ctx ended (or the player closed)
				c.finish(send)
				return
			}
			if !send(message{Status: &st}) {
				c.cancel()
				return
			}
			if libC == nil {
				libC = c.sendLibrary(send)
			}
		case <-libC:
			libC = c.sendLibrary(send)
		case m := <-c.replies:
			if !send(m) {
				c.cancel()
				return
			}
			if m.Error != "" {
				c.cancel()
				return
			}
		case <-c.ctx.Done():
			c.finish(send)
			return
		}
	}
}

// finish sends the replies queued before the end (an error line), then the
// goodbye when the engine ends the connection.
func (c *conn) finish(send func(message) bool) {
	for {
		select {
		case m := <-c.replies:
			if !send(m) {
				return
			}
			continue
		default:
		}
		break
	}
	c.goodbye()
}

func (c *conn) goodbye() {
	c.mu.Lock()
	bye := c.bye
	c.mu.Unlock()
	if bye != "" {
		c.send(message{Bye: bye})
	}
}

func (c *conn) send(m message) bool {
	b, err := encodeLine(m, MaxServerLine)
	if err != nil {
		c.s.log.Error("message not sent", "err", err)
		return true // skip it; the connection is fine
	}
	c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	if _, err := c.nc.Write(b); err != nil {
		c.s.log.Info("client write", "err", err)
		return false
	}
	return true
}

// reply queues a message for the writer.
func (c *conn) reply(m message) {
	select {
	case c.replies <- m:
	case <-c.ctx.Done():
	}
}

// do carries out one command. An error closes the connection.
func (c *conn) do(r request) error {
	p := c.s.p
	switch r.Cmd {
	case "play":
		p.Play()
	case "pause":
		p.Pause()
	case "toggle":
		p.Toggle()
	case "stop":
		p.Stop()
	case "next":
		p.Next()
	case "prev":
		p.Prev()
	case "play_index":
		p.PlayIndex(r.Index)
	case "seek":
		p.Seek(time.Duration(r.Ms) * time.Millisecond)
	case "seek_by":
		p.SeekBy(time.Duration(r.Ms) * time.Millisecond)
	case "volume":
		p.SetVolume(r.Value)
	case "mute":
		p.ToggleMute()
	case "bitrate":
		p.SetBitrate(r.Value)
	case "shuffle":
		p.SetShuffle(r.On)
	case "repeat":
		p.SetRepeat(player.Repeat(r.Value))
	case "play_now":
		p.PlayNow(r.Tracks)
	case "enqueue":
		p.Enqueue(r.Tracks)
	case "insert_next":
		p.InsertNext(r.Tracks)
	case "remove":
		p.Remove(r.Index)
	case "move":
		p.Move(r.Index, r.To)
	case "clear":
		p.Clear()
	case "replace", "undo":
		return c.doQueue(r)
	case "status":
		st := p.Status()
		c.reply(message{Status: &st})
	case "sync":
		st := p.Status()
		c.reply(message{Status: &st, Sync: r.Seq})
	case "login":
		if c.s.opts.Login == nil {
			c.s.log.Warn("a login was sent; this engine takes none")
			return nil
		}
		if err := c.s.opts.Login(r.Token, r.Kind, r.Region); err != nil {
			c.s.log.Error("the login sent by a client failed", "err", err)
		} else {
			c.s.log.Info("a client sent its login", "kind", clip(r.Kind), "region", clip(r.Region))
		}
	case "folder":
		if c.s.opts.Folder != nil {
			c.s.opts.Folder(r.Path, r.FolderID)
		}
	case "rescan":
		if c.s.opts.Library != nil {
			c.s.opts.Library.Rescan()
		}
	case "measure":
		if c.s.opts.Library != nil && len(r.Files) <= maxMeasure {
			c.s.opts.Library.Measure(r.Files)
		}
	case "shutdown":
		c.s.log.Info("shutdown asked by a client")
		c.s.stopOnce.Do(func() { close(c.s.stop) })
	case "":
		if r.Hello != nil {
			return errors.New("a second hello")
		}
		return errors.New("a line without a command")
	default:
		return fmt.Errorf("unknown command %q", clip(r.Cmd))
	}
	return nil
}

// clip bounds a string from a peer before it is logged or echoed.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// mismatchSentence is what a person reads when client and engine speak
// different protocols.
func mismatchSentence(engineVersion string, engineProto, clientProto int) string {
	return fmt.Sprintf("the running pcplay engine is version %s (protocol %d); this pcplay speaks protocol %d — run `pcplay stop` and start again",
		engineVersion, engineProto, clientProto)
}
