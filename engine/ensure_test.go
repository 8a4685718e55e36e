//go:build unix

package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

func TestListenModes(t *testing.T) {
	dir := shortDir(t)
	path := filepath.Join(dir, SocketName)
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket 0600", fi.Mode())
	}
	di, _ := os.Stat(dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v", di.Mode())
	}
	// A live engine is not replaced.
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Errorf("second Listen: %v, want ErrRunning", err)
	}
	ln.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is still there after Close: %v", err)
	}

	// A directory open to others is refused.
	open := shortDir(t)
	os.Chmod(open, 0o755)
	if _, err := Listen(filepath.Join(open, SocketName)); err == nil || !strings.Contains(err.Error(), "0700") {
		t.Errorf("Listen in a 0755 directory: %v", err)
	}
	// A file that is not a socket is left alone.
	f := filepath.Join(dir, "x.sock")
	os.WriteFile(f, []byte("keep me"), 0o600)
	if _, err := Listen(f); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Listen over a plain file: %v", err)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	path := filepath.Join(shortDir(t), SocketName)
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false) // as if the engine had been killed
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal("the stale socket should still be there")
	}
	if _, err := Dial(context.Background(), path); !errors.Is(err, ErrNoEngine) {
		t.Fatalf("Dial on a stale socket: %v, want ErrNoEngine", err)
	}
	ln, err = Listen(path)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	ln.Close()
}

func TestSocketPath(t *testing.T) {
	rt := shortDir(t)
	t.Setenv("XDG_RUNTIME_DIR", rt)
	state := shortDir(t)
	t.Setenv("XDG_STATE_HOME", state)
	p, err := SocketPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(rt, "pcplay", SocketName); p != want {
		t.Errorf("SocketPath = %s, want %s", p, want)
	}
	if fi, _ := os.Stat(filepath.Dir(p)); fi.Mode().Perm() != 0o700 {
		t.Errorf("socket dir mode %v", fi.Mode())
	}

	// A loose existing directory is tightened.
	os.Chmod(filepath.Dir(p), 0o755)
	if _, err := SocketPath(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Dir(p)); fi.Mode().Perm() != 0o700 {
		t.Errorf("socket dir mode %v after SocketPath", fi.Mode())
	}

	// No XDG_RUNTIME_DIR (an SSH login): the state directory.
	t.Setenv("XDG_RUNTIME_DIR", "")
	p, err = SocketPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(state, "pcplay", SocketName); p != want {
		t.Errorf("without XDG_RUNTIME_DIR: %s, want %s", p, want)
	}

	// Paths too long for sun_path fall through to a short one.
	tmpDir := filepath.Join(os.TempDir(), "pcplay-"+strconv.Itoa(os.Getuid()))
	if _, err := os.Lstat(tmpDir); os.IsNotExist(err) {
		t.Cleanup(func() { os.Remove(tmpDir) })
	}
	long := filepath.Join(shortDir(t), strings.Repeat("d", 100))
	os.MkdirAll(long, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", long)
	t.Setenv("XDG_STATE_HOME", long)
	t.Setenv("XDG_CACHE_HOME", long)
	p, err = SocketPath()
	if err != nil {
		t.Fatal(err)
	}
	if len(p) > maxSocketPath || strings.HasPrefix(p, long) {
		t.Errorf("with long directories: %s", p)
	}
	if want := filepath.Join(os.TempDir(), "pcplay-"+strconv.Itoa(os.Getuid()), SocketName); p != want {
		t.Errorf("with long directories: %s, want %s", p, want)
	}
}

func TestSocketPathSkipsOthersDirectories(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to make a directory owned by another uid")
	}
	rt := shortDir(t)
	os.Mkdir(filepath.Join(rt, "pcplay"), 0o700)
	if err := os.Chown(filepath.Join(rt, "pcplay"), 12345, 12345); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", rt)
	state := shortDir(t)
	t.Setenv("XDG_STATE_HOME", state)
	p, err := SocketPath()
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(p, rt) {
		t.Errorf("SocketPath chose %s in a directory of another uid", p)
	}
	if err := checkOwnedDir(filepath.Join(rt, "pcplay"), false); err == nil || !strings.Contains(err.Error(), "uid 12345") {
		t.Errorf("checkOwnedDir: %v", err)
	}
	// A symlink to our own directory is refused too.
	link := filepath.Join(shortDir(t), "link")
	os.Symlink(state, link)
	if err := checkOwnedDir(link, false); err == nil {
		t.Error("a symlink passed checkOwnedDir")
	}
}

// fakeStarts starts an in-process engine on the socket Ensure asks for.
type fakeStarts struct {
	t     *testing.T
	p     player.Controller
	mu    sync.Mutex
	n     int
	delay time.Duration
}

func (f *fakeStarts) start(ctx context.Context, path string) (<-chan error, error) {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
	exited := make(chan error, 1)
	go func() {
		time.Sleep(f.delay) // a slow engine start
		ln, err := Listen(path)
		if err != nil {
			exited <- err
			return
		}
		sctx, cancel := context.WithCancel(context.Background())
		f.t.Cleanup(cancel)
		exited <- Serve(sctx, ln, f.p, Options{})
	}()
	return exited, nil
}

func (f *fakeStarts) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func TestEnsureConcurrentStartsOneEngine(t *testing.T) {
	r := newRig(t, Options{}) // for its player; its own socket is unused
	path := filepath.Join(shortDir(t), SocketName)
	// A stale socket from a crashed engine is in the way.
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()

	f := &fakeStarts{t: t, p: r.p, delay: 100 * time.Millisecond}
	const n = 6
	var wg sync.WaitGroup
	clients := make([]*Client, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clients[i], errs[i] = Ensure(context.Background(), EnsureOptions{Path: path, Start: f.start, Wait: 30 * time.Second})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Ensure %d: %v", i, err)
		}
		defer clients[i].Close()
	}
	if got := f.count(); got != 1 {
		t.Errorf("%d engines started, want 1", got)
	}
	clients[0].SetVolume(21)
	syncNow(t, clients[0])
	poll.Until(t, "every client to see the volume", func() bool {
		for _, c := range clients {
			if c.Status().Volume != 21 {
				return false
			}
		}
		return true
	})

	// With the engine up, Ensure only connects.
	c, err := Ensure(context.Background(), EnsureOptions{Path: path, Start: f.start})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got := f.count(); got != 1 {
		t.Errorf("%d engines started, want 1", got)
	}
}

func TestEnsureReportsAnEngineThatDies(t *testing.T) {
	path := filepath.Join(shortDir(t), SocketName)
	start := func(context.Context, string) (<-chan error, error) {
		ch := make(chan error, 1)
		ch <- errors.New("exit status 1")
		return ch, nil
	}
	_, err := Ensure(context.Background(), EnsureOptions{Path: path, Start: start, Wait: 30 * time.Second})
	if err == nil || err.Error() != "the pcplay engine did not start: exit status 1" {
		t.Errorf("Ensure: %v", err)
	}
	never := func(context.Context, string) (<-chan error, error) { return make(chan error), nil }
	_, err = Ensure(context.Background(), EnsureOptions{Path: path, Start: never, Wait: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "did not open its socket") {
		t.Errorf("Ensure: %v", err)
	}
}

func TestLockFileExcludes(t *testing.T) {
	path := filepath.Join(shortDir(t), LockName)
	unlock, err := lockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := lockFile(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second lock while held: %v", err)
	}
	unlock()
	unlock2, err := lockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	unlock2()
}

func TestFindLooksInEveryPlace(t *testing.T) {
	r := newRig(t, Options{})
	// The first place has a stale socket, the second nothing, the third
	// the engine.
	stale := filepath.Join(shortDir(t), SocketName)
	ln, err := Listen(stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	c, err := find(context.Background(), []string{stale, filepath.Join(shortDir(t), SocketName), r.path}, Dial)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := find(context.Background(), []string{stale}, Dial); !errors.Is(err, ErrNoEngine) {
		t.Errorf("find with only a stale socket: %v", err)
	}
}
