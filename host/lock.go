package host

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// ErrBusy is Open's error when another pcplay of this user already plays
// from the same session (the engine, or another --foreground).
var ErrBusy = errors.New("another pcplay is playing")

// lockPatience is how long Open waits for the session's lock.
const lockPatience = 5 * time.Second

// lockSession takes the session's lock, held while the host runs, so that
// two players never share (and overwrite) one session file: the engine
// and a --foreground, or two of either. The lock file holds the holder's
// process id, for the sentence.
func lockSession(sessionPath string) (release func(), err error) {
	path := sessionPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	// An engine that was just told to stop lets go as it exits, a moment
	// after it said goodbye: wait for that much.
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	for deadline := time.Now().Add(lockPatience); errors.Is(err, unix.EWOULDBLOCK) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	}
	if err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			who := ""
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b[:n]))); perr == nil && pid > 0 {
				who = fmt.Sprintf(" (process %d)", pid)
			}
			return nil, fmt.Errorf("%w%s: attach to it with pcplay, or end it (pcplay stop, or q in that terminal) before starting another", ErrBusy, who)
		}
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		f.Truncate(0)
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}
