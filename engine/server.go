package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

// Options configure Serve.
type Options struct {
	Logger *slog.Logger // nil: discard
	// IdleExit: Serve returns ErrIdle after this long with nothing playing
	// (stopped, paused or failed) and no UI attached (a connection that
	// sent "ui"; pcplay ctl's do not count). 0: never.
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
	// Target, when set, is what the commands act on (a host that keeps
	// the player, login, session and library itself); Login, Folder and
	// Library's Rescan and Measure are not used then. nil: the player
	// with those hooks.
	Target command.Target

	// peerOf reads a connection's peer (tests over net.Pipe give one);
	// nil: the socket's credentials.
	peerOf func(net.Conn) (*peer, error)
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
		target:  opts.Target,
	}
	if s.opts.peerOf == nil {
		s.opts.peerOf = peerOf
	}
	if s.target == nil {
		s.target = target{Controller: p, opts: opts, log: opts.Logger}
	}
	acceptErr := make(chan error, 1)
	go s.accept(ln, acceptErr)

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reason, err := s.wait(ctx, p.Subscribe(sctx), acceptErr)
	s.log.Info("engine stopping", "why", reason)
	s.shutdown(ln, reason)
	return err
}

// wait runs until the engine must stop: ctx ends, Shutdown or Q, the
// listener fails, the player closes, or IdleExit passes with no client
// attached and nothing playing. It returns the reason told to the clients
// and Serve's error.
func (s *server) wait(ctx context.Context, sub <-chan player.Status, acceptErr <-chan error) (string, error) {
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
			clients = s.uis
			s.mu.Unlock()
		}
		if s.opts.IdleExit > 0 && clients == 0 && !playing {
			if idle == nil {
				idle = time.NewTimer(s.opts.IdleExit)
				idleC = idle.C
			}
		} else {
			stopIdle()
		}
	}
	stopIdle()
	return reason, err
}

// shutdown closes the listener, saves, and ends every connection with
// reason, waiting for them.
func (s *server) shutdown(ln net.Listener, reason string) {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	ln.Close()
	if s.opts.Save != nil {
		s.opts.Save()
	}
	s.mu.Lock()
	for c := range s.conns {
		c.end(reason)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

type server struct {
	p      player.Controller
	target command.Target // what the commands act on
	opts   Options
	log    *slog.Logger
	uid    int

	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[*conn]struct{}
	attached int  // connections past the hello
	uis      int  // of them, the UIs (the "ui" command)
	closing  bool // Serve is ending: no new connections
	changed  chan struct{}

	stopOnce sync.Once
	stop     chan struct{}

	qmu   sync.Mutex
	qlast *queueSnap // the queue last taken (queueSnapshot)
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
		if len(s.conns) >= MaxConns {
			s.mu.Unlock()
			s.refuseFull(nc)
			continue
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

// fullSentence is what a client over MaxConns is told.
var fullSentence = fmt.Sprintf("the pcplay engine already serves %d connections, its most; close some pcplay windows or scripts that keep `pcplay ctl` connected, and try again", MaxConns)

// refuseFull tells a connection over MaxConns why, and closes it. The line
// goes into the new socket's empty buffer, so the write does not wait (the
// deadline bounds it all the same).
func (s *server) refuseFull(nc net.Conn) {
	s.log.Warn("connection refused: too many", "max", MaxConns)
	b, _ := encodeLine(message{Error: fullSentence}, MaxServerLine)
	nc.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	nc.Write(b)
	nc.Close()
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}
