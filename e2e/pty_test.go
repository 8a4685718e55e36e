package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
)

// The demo library in a terminal: browse into a folder, play, pause, seek,
// next, quit; the terminal is given back.
func TestDemoInTerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tmp := filepath.Join(w.home, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	w.setenv("TMPDIR", tmp)
	tm := w.start("--demo", "--output", "null")
	tm.waitFor("Demo Artist/", "The Sine Waves/", "Drift")
	tm.send("5") // the playlists view opens the playlist store
	tm.waitFor("Playlists")
	tm.send("1")
	tm.waitFor("Demo Artist/")

	tm.send(keyEnter) // into Demo Artist
	tm.waitFor("First Album/")
	tm.send(keyEnter) // into First Album
	tm.waitFor("Morning Pentatonic", "Slow Pad", "Bass and Lead")

	tm.send(keyEnter) // play the first, queueing the rest
	start := tm.waitClock("Playing", func(int) bool { return true })
	if !strings.Contains(statusLine(tm.screen()), "Morning Pentatonic") {
		t.Fatalf("the status line does not name the track: %q", statusLine(tm.screen()))
	}
	// The clock advances.
	at := tm.waitClock("Playing", func(e int) bool { return e >= start+1 })

	tm.send(keySpace)
	paused := tm.waitClock("Paused", func(e int) bool { return e >= at })
	// Paused: the clock stays.
	time.Sleep(1500 * time.Millisecond)
	if st, e, _, _ := nowPlaying(tm.screen()); st != "Paused" || e != paused {
		t.Fatalf("paused at %d s, now %s at %d s", paused, st, e)
	}

	tm.send(keyRight) // +5 s, shown at once, still paused
	tm.waitClock("Paused", func(e int) bool { return e == paused+5 })

	tm.send("n")
	tm.waitUntil("the next track", func(s string) bool {
		return strings.Contains(statusLine(s), "Slow Pad")
	})
	tm.quit()

	// The demo leaves nothing behind: no session, no playlists in the
	// state directory, its temporary directory removed.
	if left, _ := filepath.Glob(filepath.Join(w.home, "state", "*", "*")); len(left) > 0 {
		t.Errorf("the demo left files in the state directory: %q", left)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the demo left %d entries in TMPDIR, the first %q", len(left), left[0].Name())
	}
}

// The same flow with an account on the fake pCloud, in the foreground:
// the fake sees the listings, the links and, after a seek beyond what was
// read, a start= request.
func TestAccountInTerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	token := w.srv.Token(email)
	w.setenv("PCLOUD_TOKEN", token)
	// Streams at 1.5× real time for 128 kbit/s: a far seek is beyond what
	// has been read.
	w.srv.SetRate(24000)
	a := fixtures.Get("a128")
	b := fixtures.Get("b128")

	tm := w.start("--foreground", "--output", "null", "--bitrate", "128", "--api-url", w.api)
	tm.waitFor("Music/")
	tm.send(keyEnter)
	tm.waitFor("Album/", "Other/")
	tm.send(keyEnter)
	tm.waitFor("a128", "b128", "Tone Title")

	tm.send(keyEnter)
	start := tm.waitClock("Playing", func(int) bool { return true })
	if sl := statusLine(tm.screen()); !strings.Contains(sl, "a128") || !strings.Contains(sl, "0:20") {
		t.Fatalf("the status line should show a128 and its 0:20 duration: %q", sl)
	}
	at := tm.waitClock("Playing", func(e int) bool { return e >= start+1 })

	tm.send(keySpace)
	paused := tm.waitClock("Paused", func(e int) bool { return e >= at })
	tm.send(keyRight)
	tm.waitClock("Paused", func(e int) bool { return e == paused+5 })
	tm.send(keySpace)
	tm.waitClock("Playing", func(e int) bool { return e >= paused+5 })

	// A far seek: +10 s more, well past what 1.5× real time has fetched.
	tm.send(keyRight, keyRight)
	w.waitCall("a stream request with start= after the far seek", func(r pcloudtest.Request) bool {
		if !strings.HasPrefix(r.Host, "stream") || r.Params.Get("fileid") != strconv.FormatUint(w.srv.FileID("/Music/Album/"+a.File), 10) {
			return false
		}
		s, err := strconv.Atoi(r.Params.Get("start"))
		return err == nil && s >= paused+12
	})
	tm.waitClock("Playing", func(e int) bool { return e >= paused+10 })

	tm.send("n")
	tm.waitUntil("b128 playing", func(s string) bool {
		st, _, _, _ := nowPlaying(s)
		return st == "Playing" && strings.Contains(statusLine(s), "b128")
	})
	tm.quit()

	if len(w.srv.Calls("listfolder")) < 3 {
		t.Errorf("want listfolder for /, /Music and /Music/Album; the fake saw:\n%s", w.logText())
	}
	ids := map[string]bool{}
	for _, r := range w.srv.Calls("getaudiolink") {
		ids[r.Params.Get("fileid")] = true
		if r.Params.Get("auth") != pcloudtest.Redacted {
			t.Errorf("getaudiolink without the token: %v", r.Params)
		}
	}
	for _, f := range []string{a.File, b.File} {
		if !ids[strconv.FormatUint(w.srv.FileID("/Music/Album/"+f), 10)] {
			t.Errorf("no getaudiolink for %s; the fake saw:\n%s", f, w.logText())
		}
	}
	if strings.Contains(tm.output(), token) {
		t.Error("the token reached the terminal")
	}
}

// Play, seek, quit; the next start shows the same track paused at that
// second, and nothing is streamed until space.
func TestSessionRestore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("PCLOUD_TOKEN", w.srv.Token(email))
	args := []string{"--foreground", "--output", "null", "--bitrate", "128", "--api-url", w.api}

	tm := w.start(args...)
	tm.waitFor("Music/")
	tm.send(keyEnter)
	tm.waitFor("Album/")
	tm.send(keyEnter)
	tm.waitFor("a128")
	tm.send("j", keyEnter) // b128
	tm.waitClock("Playing", func(e int) bool { return e >= 1 })
	tm.send(keySpace)
	paused := tm.waitClock("Paused", func(int) bool { return true })
	tm.send(keyRight, keyRight)
	want := tm.waitClock("Paused", func(e int) bool { return e == paused+10 })
	before := tm.screen()
	tm.quit()

	w.srv.ResetLog()
	tm = w.start(args...)
	s := tm.waitUntil("b128 paused at the saved second", func(s string) bool {
		st, e, _, ok := nowPlaying(s)
		return ok && st == "Paused" && e == want && strings.Contains(statusLine(s), "b128")
	})
	// The folder comes back too.
	if !strings.Contains(s, "Tone Title") {
		t.Errorf("the last folder (/Music/Album) was not restored; before quitting:\n%s\nafter the restart:\n%s", before, s)
	}
	// Nothing streams while paused.
	time.Sleep(1500 * time.Millisecond)
	if st := w.calls("stream"); len(st) != 0 {
		t.Fatalf("restored paused, yet %d stream requests:\n%s", len(st), w.logText())
	}
	if st, e, _, _ := nowPlaying(tm.screen()); st != "Paused" || e != want {
		t.Fatalf("the restored track moved: %s at %d s, want Paused at %d s", st, e, want)
	}
	tm.send(keySpace)
	r := w.waitCall("a stream request after space", func(r pcloudtest.Request) bool {
		return strings.HasPrefix(r.Host, "stream")
	})
	if got, _ := strconv.Atoi(r.Params.Get("start")); got < want-1 || got > want {
		t.Errorf("the restored track streamed from start=%q, want about %d", r.Params.Get("start"), want)
	}
	tm.waitClock("Playing", func(e int) bool { return e >= want })
	// The restored folder was opened by path: its parents are still there.
	tm.send(keyBack)
	tm.waitFor("Album/", "Other/")
	tm.send(keyBack)
	tm.waitFor("Music/")
	tm.quit()
}

// No secret in --log, on the terminal or in stdout/stderr: login, play,
// logout, all logging to one file.
func TestNoSecretInLog(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	logFile := w.path("pcplay.log")
	var printed strings.Builder

	r := w.login("--log", logFile)
	printed.WriteString(r.stdout + r.stderr)
	b, err := os.ReadFile(w.tokenFile())
	if err != nil {
		t.Fatal(err)
	}
	token := regexp.MustCompile(`"[a-z_]*token[a-z_]*"\s*:\s*"([^"]+)"`).FindSubmatch(b)
	if token == nil || len(token[1]) < 16 {
		t.Fatalf("can't find the token in the token file %q", b)
	}
	secret := string(token[1])

	tm := w.start("--foreground", "--output", "null", "--bitrate", "128", "--api-url", w.api, "--log", logFile)
	tm.waitFor("Music/")
	tm.send(keyEnter)
	tm.waitFor("Album/")
	tm.send(keyEnter)
	tm.waitFor("a128")
	tm.send(keyEnter)
	tm.waitClock("Playing", func(e int) bool { return e >= 1 })
	tm.quit()
	printed.WriteString(tm.output())

	r = w.run("", "--api-url", w.api, "--log", logFile, "logout")
	if r.code != 0 {
		t.Fatalf("logout: exit %d, stderr %q", r.code, r.stderr)
	}
	printed.WriteString(r.stdout + r.stderr)

	// The saved token really was what the player used: the fake accepted
	// calls made with it, and the logout revoked it.
	if n := len(w.srv.Calls("getaudiolink")); n == 0 {
		t.Fatalf("the player never got a link; the fake saw:\n%s", w.logText())
	}
	if lo := w.srv.Calls("logout"); len(lo) != 1 || lo[0].Result != 0 {
		t.Fatalf("no successful logout; the fake saw:\n%s", w.logText())
	}
	digests := w.digestsSeen()
	if len(digests) == 0 {
		t.Fatal("the login never asked for a digest: the digest check would test nothing")
	}

	logb, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logb)
	// The log is a real debug log: it has the calls in it.
	for _, want := range []string{"listfolder", "getaudiolink"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log never mentions %s: is anything logged? log:\n%s", want, log)
		}
	}
	secrets := map[string]string{"the token": secret, "the password": password}
	for i, d := range digests {
		secrets["digest "+strconv.Itoa(i)] = d
		secrets["password digest "+strconv.Itoa(i)] = pcloudtest.PasswordDigest(email, password, d)
	}
	for where, text := range map[string]string{"the --log file": log, "the terminal and stdout/stderr": printed.String()} {
		for name, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains %s", where, name)
			}
		}
		if strings.Contains(strings.ToLower(text), "auth=") {
			i := strings.Index(strings.ToLower(text), "auth=")
			t.Errorf("%s contains auth=: …%s…", where, text[max(0, i-80):min(len(text), i+80)])
		}
	}
}

// A network that has gone quiet never freezes the keys: while the first
// listing hangs, the cursor keys are taken and q quits at once.
func TestQuitWhileFolderLoads(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("PCLOUD_TOKEN", w.srv.Token(email))
	w.stall("listfolder")
	tm := w.start("--foreground", "--output", "null", "--api-url", w.api)
	tm.waitFor("q quit")
	tm.send("j", "k", "?")
	tm.waitFor("seek +30s") // the help overlay opens while the listing hangs
	tm.send("\x1b")         // esc closes it
	tm.waitUntil("the help closed", func(s string) bool { return !strings.Contains(s, "seek +30s") })
	tm.quit()
	if n := len(w.srv.Calls("listfolder")); n != 0 {
		t.Errorf("the stalled listfolder reached the fake %d times", n)
	}
}

// SIGTERM (and SIGHUP, the terminal gone) end pcplay cleanly: the session
// is saved and restored on the next start.
func TestSignalSavesSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("PCLOUD_TOKEN", w.srv.Token(email))
	args := []string{"--foreground", "--output", "null", "--bitrate", "128", "--api-url", w.api}

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		tm := w.start(args...)
		tm.waitFor("Music/")
		tm.send(keyEnter)
		tm.waitFor("Album/")
		tm.send(keyEnter)
		tm.waitFor("Tone Title")
		tm.send("j", "j", keyEnter) // tagged (5 s)
		tm.waitClock("Playing", func(e int) bool { return e >= 1 })
		tm.send(keySpace)
		want := tm.waitClock("Paused", func(int) bool { return true })
		tm.signal(sig)
		code := tm.wait()
		if sig == syscall.SIGTERM {
			// Only a signal the terminal survives can be checked for
			// the terminal's restoration.
			if err := restoredErr(tm.output()); err != nil {
				t.Errorf("after %v: %v", sig, err)
			}
		}
		t.Logf("pcplay exited with %d after %v", code, sig)

		tm = w.start(args...)
		tm.waitUntil(fmt.Sprintf("Tone Title paused at %d s after %v", want, sig), func(s string) bool {
			st, e, _, ok := nowPlaying(s)
			return ok && st == "Paused" && e == want && strings.Contains(statusLine(s), "Tone Title")
		})
		tm.quit()
		// The next round starts with no session.
		if err := os.Remove(w.path("state", "pcplay", "session.json")); err != nil {
			t.Fatal(err)
		}
	}
}

// The layout follows the terminal: below the minimum one plain line, and
// back to the browser when it grows again.
func TestResize(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tm := w.start("--demo", "--output", "null")
	tm.waitFor("Demo Artist/")
	tm.resize(20, 6)
	s := tm.waitFor("Terminal too small")
	if strings.Contains(s, "Demo Artist") {
		t.Errorf("the too-small screen still shows the browser:\n%s", s)
	}
	tm.resize(60, 20)
	tm.waitFor("Demo Artist/")
	tm.resize(120, 40)
	tm.waitFor("Demo Artist/", "Queue")
	tm.quit()
}

// NO_COLOR=1: no colour at all, only bold, dim and reverse.
func TestNoColor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setenv("NO_COLOR", "1")
	w.setenv("COLORTERM", "truecolor")
	tm := w.start("--demo", "--output", "null")
	tm.waitFor("Demo Artist/")
	tm.send(keyEnter)
	tm.waitFor("First Album/")
	tm.send(keyEnter)
	tm.waitFor("Slow Pad")
	tm.send(keyEnter)
	tm.waitClock("Playing", func(int) bool { return true })
	tm.send("?")
	tm.waitFor("seek +30s")
	tm.quit()
	sgr := regexp.MustCompile("\x1b\\[([0-9;:]*)m")
	for _, m := range sgr.FindAllStringSubmatch(tm.output(), -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			if (n >= 30 && n <= 49 && n != 39 && n != 49) || (n >= 90 && n <= 107) {
				t.Fatalf("NO_COLOR=1, yet a colour: %q", m[0])
			}
		}
	}
}
