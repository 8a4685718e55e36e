// Package host is what a running pcplay is: the player and its output, the
// session (restored at start, saved as it changes and at the end), the
// pCloud account (the client of the current login, swapped when a new login
// comes), the music library's keeper with duration measuring, the playlist
// store, and path or playlist → tracks resolution.
//
// `pcplay --foreground` and `--demo` run the UI on a host in their own
// process; the background engine serves a host on its socket. Both are the
// same host, so every behaviour (autosave included) is the same in both.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/player"
)

// Options are what a host is made of besides its settings.
type Options struct {
	Logger *slog.Logger // nil: discard
	// Stderr is where a problem with the saved session is told (the
	// session is then ignored, or could not be saved); nil: discard.
	Stderr io.Writer
}

// Host is a running pcplay. It is a [player.Controller] (its player's).
type Host struct {
	*player.Player

	s      config.Settings
	logger *slog.Logger
	acct   *account
	sess   *session
	start  config.Session // the restored session
	hasSes bool

	keeper    *library.Keeper
	playlists *Playlists
	covers    *Covers

	stopAutosave func()
	stopLibrary  func()
	stopScrobble func()
	hist         *listenHistory // host/history.go
	stopLyrics   func()
	lyr          *lyricsService // host/lyrics.go
	unlock       func()         // the session's lock
	demo         *demoLibrary

	closeOnce sync.Once
}

// Open starts a host: the pCloud client of the settings' login (or the
// demo library), the player on its output, the session put back (paused),
// autosave, and the library keeper. An output that can't play is an error
// that wraps [player.ErrNoDevice]. ctx bounds the library's work; Close
// ends everything.
func Open(ctx context.Context, s config.Settings, o Options) (*Host, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	h := &Host{s: s, logger: o.Logger, stopAutosave: func() {}, stopLibrary: func() {}, stopScrobble: func() {}, unlock: func() {}}
	if !s.Demo {
		// One player per session: the demo has none of its own.
		path, err := config.SessionPath()
		if err == nil {
			h.unlock, err = lockSession(path)
		}
		if errors.Is(err, ErrBusy) {
			return nil, err
		}
		if err != nil {
			// The session, the library and the engine's log live there:
			// without it pcplay would play with no memory, silently.
			return nil, stateDirError(err)
		}
	}
	if err := h.openAccount(); err != nil {
		h.unlock()
		return nil, err
	}
	// The player (and the speaker) first: when it can't start, the reason
	// is the host's error.
	p, err := newPlayer(s, h.acct, o.Logger)
	if err != nil {
		h.closeDemo()
		h.unlock()
		return nil, err
	}
	h.Player = p
	h.sess = &session{file: newSessionFile(s.Demo, o.Stderr, o.Logger), p: p, tell: p.Tell,
		settings: config.SessionSettings{Bitrate: s.Bitrate, Volume: s.Volume}}
	if sess, ok := h.sess.file.restore(h.sess.say); ok {
		if s.ExplicitBitrate && sess.Settings != nil {
			// A --bitrate for one run is not a setting to remember.
			h.sess.settings.Bitrate = sess.Settings.Bitrate
		}
		restoreSession(p, sess, s)
		h.sess.folder = sess.Folder
		h.start, h.hasSes = sess, true
	}
	h.startAutosave(ctx)
	h.startLibrary(ctx)
	h.startScrobble(ctx)
	h.startLyrics(ctx)
	h.playlists = newPlaylists(h.acct.current, h.playlistsDir(), o.Logger)
	h.covers = h.newHostCovers()
	return h, nil
}

// openAccount logs the account in with the settings' token; the demo's is
// the built-in library's.
func (h *Host) openAccount() error {
	if !h.s.Demo {
		h.acct = &account{dial: settingsDial(h.s, h.logger)}
		if err := h.acct.login(h.s.Token, h.s.TokenKind, h.s.Region); err != nil {
			return fmt.Errorf("the pCloud client: %w", err)
		}
		return nil
	}
	d, err := startDemo(h.s.DemoWorld, h.logger)
	if err != nil {
		return fmt.Errorf("the demo library did not start: %w", err)
	}
	h.demo = d
	h.acct = &account{dial: func(string, string, string) (*api.Client, error) { return d.client, nil }}
	return h.acct.login(d.client.Token(), config.KindAuth, "")
}

// stateDirError is the one sentence for a state directory pcplay can't
// write to.
func stateDirError(err error) error {
	dir, derr := config.StatePath()
	if derr != nil {
		return derr // the environment's mistake, said as such
	}
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(inner) {
		err = inner // the system's reason: "permission denied"
	}
	return fmt.Errorf("pcplay can't write to its state directory %s (%v), where it keeps the session and the library: make it yours and writable (chmod u+rwx), or set XDG_STATE_HOME to a directory you can write", dir, err)
}

func (h *Host) playlistsDir() string {
	if h.demo != nil {
		return h.demo.playlists
	}
	return localPlaylistsDir(h.logger)
}

func (h *Host) startAutosave(ctx context.Context) {
	actx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	first := h.Status()
	go func() {
		defer close(done)
		autosave(actx, h.Subscribe(actx), first, saveEvery, saveSoon, h.sess.save)
	}()
	h.stopAutosave = func() { cancel(); <-done }
}

func (h *Host) startLibrary(ctx context.Context) {
	path, cleanup, err := libraryPath(h.s.Demo)
	if err != nil {
		h.logger.Error("no place for the music library", "err", err)
		return
	}
	k, stop := keepLibrary(ctx, path, h.s, h.acct, h.acct, h.Player, h.logger)
	h.keeper = k
	h.stopLibrary = func() { stop(); cleanup() }
}

// Close saves the session and ends the host: autosave, the library, the
// player and its output, the demo library. It returns the player's Close
// error.
func (h *Host) Close() error {
	var err error
	h.closeOnce.Do(func() {
		h.stopAutosave()
		h.stopScrobble()
		h.stopLyrics()
		h.sess.save()
		h.stopLibrary()
		err = h.Player.Close()
		h.closeDemo()
		h.unlock()
	})
	return err
}

func (h *Host) closeDemo() {
	if h.demo != nil {
		h.demo.Close()
	}
}

// Client is the pCloud client of the current login (nil before one): the
// UI in the host's process browses with it.
func (h *Host) Client() *api.Client { return h.acct.current() }

// ErrLoginRefused is Login's error for a token pCloud does not accept: the
// host keeps the login it had.
var ErrLoginRefused = errors.New("pCloud refused that login; pcplay keeps playing with the one it had")

// loginCheckTimeout bounds the check of a new login with pCloud.
const loginCheckTimeout = 15 * time.Second

// Login makes token (kind "auth" or "bearer"; region "us", "eu", or "" for
// the settings') the account's login, if pCloud accepts it: the player,
// the library and the playlists follow it. A token pCloud refuses changes
// nothing (ErrLoginRefused): one client's bad PCLOUD_TOKEN must not break
// the music for everyone. When pCloud can't be asked, the new login is
// taken. The same token again changes nothing. It never logs the token.
func (h *Host) Login(token, kind, region string) error {
	if h.demo != nil {
		return nil
	}
	changed, err := h.acct.swap(token, kind, region, func(c *api.Client) error {
		ctx, cancel := context.WithTimeout(context.Background(), loginCheckTimeout)
		defer cancel()
		if _, err := c.UserInfo(ctx); api.IsAuth(err) {
			return ErrLoginRefused
		}
		return nil
	})
	if changed {
		h.logger.Info("the login changed", "kind", kind, "region", region)
		h.retryLibrary()
	}
	return err
}

// ReloadLogin makes the saved login (pcplay login's token file) the
// account's, or no login at all after pcplay logout: the host follows the
// person's login as the command line changes it.
func (h *Host) ReloadLogin() error {
	if h.demo != nil {
		return nil
	}
	path, err := config.TokenPath()
	if err != nil {
		return err
	}
	saved, err := config.LoadLogin(path)
	if err != nil {
		return err
	}
	if saved.Token == "" {
		changed, err := h.acct.swap("", "", "", nil)
		if changed {
			h.logger.Info("logged out")
			h.retryLibrary()
		}
		return err
	}
	return h.Login(saved.Token, saved.Kind, saved.Region)
}

// StartFolder is the folder a UI opens on: the restored session's, else
// def.
func (h *Host) StartFolder(def string) string { return SavedFolder(h.start, h.hasSes, def) }

// SetFolder keeps the folder a UI shows as it leaves, for the session, and
// saves the session now.
func (h *Host) SetFolder(path string, id uint64) { h.sess.setFolder(path, id) }

// Save saves the session when it changed since the last save.
func (h *Host) Save() { h.sess.save() }

// Keeper is the library's keeper; nil when the host has no library (the
// index could not be opened).
func (h *Host) Keeper() *library.Keeper { return h.keeper }

// retryLibrary has the library try again now after a failure: the login
// changed, and the error it shows may be stale.
func (h *Host) retryLibrary() {
	if h.keeper != nil {
		h.keeper.Retry()
	}
}

// Rescan rescans the library (nothing without one).
func (h *Host) Rescan() {
	if h.keeper != nil {
		h.keeper.Rescan()
	}
}

// Measure measures the durations of these files for the library (nothing
// without one).
func (h *Host) Measure(fileIDs []uint64) {
	if h.keeper != nil {
		h.keeper.Measure(fileIDs)
	}
}

// Playlists is the playlist store of the current login; nil when there is
// no place for local playlists.
func (h *Host) Playlists() *Playlists { return h.playlists }
