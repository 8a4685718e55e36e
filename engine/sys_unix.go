//go:build unix

package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Supported: the background engine runs on this system.
const Supported = true

func fileOwner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// StartProcess starts this program as `pcplay ARGS... engine` in a new
// session, with stdin and stdout on /dev/null, so that it outlives the
// terminal. Its stderr is a pipe until it is serving (see QuietStderr):
// should it fail to start, the returned channel gets what it said;
// otherwise it gets the process's end.
func StartProcess(args []string) (<-chan error, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, append(append([]string(nil), args...), "engine")...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Stderr = w
	// nil Stdin/Stdout: /dev/null. The engine keeps the working directory
	// (relative --output and --log paths) until its files are open.
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	said := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(r, 4096))
		r.Close()
		said <- string(b)
	}()
	exited := make(chan error, 1)
	go func() { // reaps it should it end while we run
		err := cmd.Wait()
		se := &StartError{Said: firstLine(<-said), Code: -1}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			se.Code = ee.ExitCode()
		} else if err == nil {
			se.Code = 0
		}
		if se.Said == "" {
			if err == nil {
				err = errors.New("it exited")
			}
			se.Said = err.Error()
		}
		exited <- se
	}()
	return exited, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 500 { // a sentence, not a flood
		s = s[:500] + "…"
	}
	return s
}

// QuietStderr points the engine's stderr at /dev/null once it is serving
// (StartProcess's pipe goes away with the pcplay that started it).
func QuietStderr() error {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Dup2(int(f.Fd()), 2)
}

// lockFile takes an exclusive flock on path, waiting for it within ctx
// (and at most 15 s). The returned function releases it.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the engine's lock file: %w", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return func() {
				unix.Flock(int(f.Fd()), unix.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another pcplay holds %s for too long", path)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Terminate sends the engine process pid SIGTERM (it saves the session
// and exits) and waits up to wait for it to be gone.
func Terminate(pid int, wait time.Duration) error {
	if pid <= 0 {
		return errors.New("no process id")
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("cannot stop the engine (pid %d): %w", pid, err)
	}
	deadline := time.Now().Add(wait)
	for alive(pid) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the engine (pid %d) did not exit within %s", pid, wait)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// alive reports whether process pid runs (a zombie nobody reaped yet does
// not: in a container, pid 1 may never reap it).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) == 0 || f[0] != "Z"
}
