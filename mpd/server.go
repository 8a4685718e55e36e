// Package mpd is the MPD protocol server of the engine: every MPD client
// (phone apps such as M.A.L.P., Home Assistant's mpd integration, ncmpcpp,
// mpc) drives the engine's host as pcplay's own UI does.
//
// An MPD command that one of the command table's does the same as is
// carried out through the table ([command.Runner]), so that each action
// has one home; what only MPD asks (status, the queue with song ids, the
// library's lists, stored playlists) is read from the host directly. Idle
// clients are woken by events derived from the player's status snapshots,
// the library keeper's state and the commands' [command.Result.Changed];
// an idle client costs no CPU. Each client has its own goroutines and every
// write has a deadline: a slow or stuck client never holds up the player
// or the other clients.
package mpd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// Version is the protocol version the server greets with.
const Version = "0.23.5"

// Backend is what the server serves: a running pcplay (*host.Host).
type Backend interface {
	command.Target
	// View is the queue with its entries' ids.
	View() player.QueueView
	// Library is the music index; nil when there is none.
	Library() *library.Library
	// LibraryState is the keeper's state and a channel closed when it
	// next changes (nil: never).
	LibraryState() (library.State, <-chan struct{})
	// PlaylistStore is the stored playlists; nil when there are none.
	PlaylistStore() playlist.Store
	// Resolve is the tracks of a pCloud path (a file, or a folder's
	// tracks in the Folders view's order).
	Resolve(ctx context.Context, target string) ([]player.Track, error)
	// Client is the pCloud client of the current login; nil before one.
	Client() *api.Client
	// Cover is the cover picture of a file (JPEG, PNG or WebP bytes) at
	// about px x px pixels; nil and no error when it has none.
	Cover(ctx context.Context, fileID uint64, px int) ([]byte, error)
}

// Options configure a [Server].
type Options struct {
	// Password, when set, is needed (the password command) before any
	// other command but ping, close, commands and notcommands.
	Password string
	Logger   *slog.Logger // nil: discard
	// MaxClients is the most clients at once (default 32); one more is
	// told so and closed.
	MaxClients int
	// WriteTimeout bounds each answer's writing (default 30 s): a client
	// that reads nothing for that long is closed.
	WriteTimeout time.Duration
	// ListCap is the most songs one listall, listallinfo, find or search
	// answers (default 10,000); beyond it the answer ends with an ACK
	// saying to ask for less.
	ListCap int
	// CallTimeout bounds a command's pCloud or index work (default 30 s).
	CallTimeout time.Duration
}

// Server is an MPD server on a [Backend].
type Server struct {
	b      Backend
	o      Options
	log    *slog.Logger
	runner command.Runner
	start  time.Time

	mu      sync.Mutex
	clients map[*client]struct{}
	closed  bool

	info infoCache
	vers versions
}

// New is a server on b.
func New(b Backend, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 32
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	if o.ListCap <= 0 {
		o.ListCap = 10_000
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 30 * time.Second
	}
	return &Server{b: b, o: o, log: o.Logger, runner: command.Runner{Target: b}, start: time.Now(),
		clients: map[*client]struct{}{}, info: infoCache{paths: map[uint64]string{}}}
}

// Listen listens on an mpd_listen address: host:port, or unix:PATH (a
// stale socket file of an earlier run is replaced; a live one is not).
func Listen(addr string) (net.Listener, error) {
	p, ok := strings.CutPrefix(addr, "unix:")
	if !ok {
		return net.Listen("tcp", addr)
	}
	ln, err := net.Listen("unix", p)
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	if c, derr := net.DialTimeout("unix", p, time.Second); derr == nil {
		c.Close()
		return nil, err // someone answers there
	}
	os.Remove(p)
	return net.Listen("unix", p)
}

// Serve serves MPD clients on ln until ctx ends; it then closes ln and
// every client, and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.watch(ctx) }()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		ln.Close()
		s.mu.Lock()
		s.closed = true
		for c := range s.clients {
			c.conn.Close()
		}
		s.mu.Unlock()
	}()
	var err error
	for {
		var conn net.Conn
		conn, err = ln.Accept()
		if err != nil {
			break
		}
		s.mu.Lock()
		full, closed := len(s.clients) >= s.o.MaxClients, s.closed
		var c *client
		if !full && !closed {
			c = newClient(s, conn)
			s.clients[c] = struct{}{}
		}
		s.mu.Unlock()
		if c == nil {
			conn.SetWriteDeadline(time.Now().Add(time.Second))
			fmt.Fprintf(conn, "ACK [%d@0] {} too many clients (at most %d)\n", ackSystem, s.o.MaxClients)
			conn.Close()
			if full {
				s.log.Warn("mpd: a client was refused: too many clients", "max", s.o.MaxClients)
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.serve(ctx)
			s.mu.Lock()
			delete(s.clients, c)
			s.mu.Unlock()
		}()
	}
	cancel()
	wg.Wait()
	if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Clients is how many clients are connected.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// notify tells every client of changes to the subsystems in m.
func (s *Server) notify(m subsystems) {
	if m == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		c.post(m)
	}
}

// watch derives MPD's idle events from the player's snapshots and the
// library keeper's state until ctx ends. It wakes only when one of them
// changes: nothing ticks.
func (s *Server) watch(ctx context.Context) {
	sub := s.b.Subscribe(ctx)
	lst, lch := s.b.LibraryState()
	var last player.Status
	var lastAt time.Time
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-sub:
			if !ok {
				return
			}
			now := time.Now()
			if first || st.QueueGen != last.QueueGen {
				s.vers.observe(s.b.View())
			}
			if !first {
				s.notify(statusChanges(last, st, now.Sub(lastAt)))
			}
			last, lastAt, first = st, now, false
		case <-lch:
			nst, nch := s.b.LibraryState()
			var m subsystems
			if nst.Gen != lst.Gen {
				m |= subDatabase
			}
			if nst.Scanning != lst.Scanning {
				m |= subUpdate
			}
			s.notify(m)
			lst, lch = nst, nch
		}
	}
}

// statusChanges is what changed from one player snapshot to the next,
// taken dt apart: a jump of the position beyond what playing explains is
// a seek.
func statusChanges(a, b player.Status, dt time.Duration) subsystems {
	var m subsystems
	if a.State != b.State || a.Index != b.Index || a.Track.FileID != b.Track.FileID || a.Err != b.Err {
		m |= subPlayer
	}
	if m&subPlayer == 0 && a.Track.FileID != 0 {
		want := a.Position
		if a.State == player.Playing {
			want += dt
		}
		if d := b.Position - want; d > 2*time.Second || d < -2*time.Second {
			m |= subPlayer
		}
	}
	if a.Volume != b.Volume || a.Muted != b.Muted {
		m |= subMixer
	}
	if a.Shuffle != b.Shuffle || a.Repeat != b.Repeat {
		m |= subOptions
	}
	if a.QueueGen != b.QueueGen {
		m |= subPlaylist
	}
	return m
}

// subsystems is a set of MPD's idle subsystems.
type subsystems uint16

const (
	subDatabase subsystems = 1 << iota
	subUpdate
	subStoredPlaylist
	subPlaylist
	subPlayer
	subMixer
	subOutput
	subOptions
	subPartition
	subSticker
	subSubscription
	subMessage
	subNeighbor
	subMount
)

var subsystemNames = []string{"database", "update", "stored_playlist", "playlist", "player", "mixer",
	"output", "options", "partition", "sticker", "subscription", "message", "neighbor", "mount"}

// ofChanged is the MPD subsystems of a command's changes.
func ofChanged(c command.Subsystems) subsystems {
	var m subsystems
	for _, p := range []struct {
		c command.Subsystems
		m subsystems
	}{
		{command.Player, subPlayer}, {command.Mixer, subMixer}, {command.Queue, subPlaylist},
		{command.Options, subOptions}, {command.Library, subDatabase | subUpdate},
		{command.StoredPlaylists, subStoredPlaylist},
	} {
		if c&p.c != 0 {
			m |= p.m
		}
	}
	return m
}
