package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/config"
)

// File names in the engine's directory.
const (
	SocketName = "engine.sock"
	LockName   = "engine.lock"
)

// maxSocketPath is the longest socket path bind accepts: sun_path is 108
// bytes on Linux (104 on the BSDs) with the terminating NUL.
const maxSocketPath = 103

// SocketPath is where the engine's socket is: engine.sock in the first
// usable of $XDG_RUNTIME_DIR/pcplay, the state directory, the cache
// directory's pcplay, and /tmp/pcplay-UID. The directory is created 0700; a
// directory that is not ours is skipped.
func SocketPath() (string, error) {
	return socketPath(os.Getenv)
}

func socketPath(getenv func(string) string) (string, error) {
	var tried []error
	for _, c := range candidates(getenv) {
		if c.dir == "" {
			continue
		}
		p := filepath.Join(c.dir, SocketName)
		if len(p) > maxSocketPath {
			tried = append(tried, fmt.Errorf("%s: the socket path would be too long for a Unix socket", c.dir))
			continue
		}
		if err := c.make(c.dir); err != nil {
			tried = append(tried, err)
			continue
		}
		return p, nil
	}
	return "", fmt.Errorf("no private directory for the engine's socket: %w", errors.Join(tried...))
}

// socketPaths are the places an engine's socket may be, best first, as
// SocketPath would choose them, without creating anything.
func socketPaths(getenv func(string) string) []string {
	var ps []string
	for _, c := range candidates(getenv) {
		if p := filepath.Join(c.dir, SocketName); len(p) <= maxSocketPath {
			ps = append(ps, p)
		}
	}
	return ps
}

type candidate struct {
	dir  string
	make func(dir string) error
}

func candidates(getenv func(string) string) []candidate {
	var cs []candidate
	if rt := getenv("XDG_RUNTIME_DIR"); rt != "" && filepath.IsAbs(rt) {
		// The runtime directory must exist and be ours: pcplay makes only
		// its own subdirectory in it.
		cs = append(cs, candidate{filepath.Join(rt, "pcplay"), func(dir string) error {
			if err := checkOwnedDir(rt, false); err != nil {
				return fmt.Errorf("XDG_RUNTIME_DIR: %w", err)
			}
			return privateDir(dir)
		}})
	}
	if d, err := config.StateDir(); err == nil {
		cs = append(cs, candidate{d, privateDir})
	}
	if d, err := os.UserCacheDir(); err == nil {
		cs = append(cs, candidate{filepath.Join(d, "pcplay"), func(dir string) error {
			if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
				return err
			}
			return privateDir(dir)
		}})
	}
	cs = append(cs, candidate{filepath.Join(os.TempDir(), "pcplay-"+strconv.Itoa(os.Getuid())), privateDir})
	return cs
}

// privateDir makes dir (its parent must exist) or checks the one there: a
// real directory (not a symlink) owned by us, tightened to 0700 when looser.
func privateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	return checkOwnedDir(dir, true)
}

// checkOwnedDir refuses dir unless it is a directory (not a symlink) owned
// by this user; with tighten, a group/other-accessible one becomes 0700.
func checkOwnedDir(dir string, tighten bool) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if uid, ok := fileOwner(fi); !ok {
		return fmt.Errorf("%s: cannot tell its owner", dir)
	} else if uid != os.Getuid() {
		return fmt.Errorf("%s belongs to uid %d, not to this user (uid %d)", dir, uid, os.Getuid())
	}
	if tighten && fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("cannot make %s private (mode 0700): %w", dir, err)
		}
	}
	return nil
}

// ErrRunning is Listen's error when an engine already answers on the socket.
var ErrRunning = errors.New("a pcplay engine is already running")

// Listen makes the engine's socket at path: the directory must be ours and
// private; a stale socket (a file nobody answers on, left by an engine that
// died) is replaced; a live one is ErrRunning. The socket is mode 0600 and
// is removed when the listener closes.
func Listen(path string) (*net.UnixListener, error) {
	dir := filepath.Dir(path)
	if err := checkOwnedDir(dir, false); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is open to other users (mode %o); it must be 0700", dir, fi.Mode().Perm())
	}
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("%s: too long for a Unix socket path", path)
	}
	if err := removeStale(path); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, ErrRunning
		}
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	ln.SetUnlinkOnClose(true)
	return ln, nil
}

// removeStale removes path when it is a socket nobody listens on. A live
// socket is ErrRunning; a file that is not a socket is refused.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%s exists and is not a socket; remove it if it is not needed", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return ErrRunning
	}
	if !isNoEngine(err) {
		return fmt.Errorf("cannot tell whether an engine listens on %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot remove the stale socket %s: %w", path, err)
	}
	return nil
}

// isNoEngine reports whether a dial error means nobody listens: no socket
// file, or a socket file nobody accepts on.
func isNoEngine(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)
}
