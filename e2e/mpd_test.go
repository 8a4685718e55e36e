//go:build unix

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"image/jpeg"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

// The real mpc against the engine's MPD server, the engine on the fake
// pCloud: what mpc does, pcplay ctl and the fake see.
func TestMPDWithMPC(t *testing.T) {
	t.Parallel()
	mpcBin, err := exec.LookPath("mpc")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("mpc is missing: scripts/install-deps.sh ci installs it (Debian package mpc)")
		}
		t.Skip("mpc is not installed (Debian package mpc)")
	}
	pic := quadrantJPEG(t)
	w := newEngineWorld(t, withCover(pic))
	// Streams at 1.5× real time for 128 kbit/s: a far seek is beyond what
	// has been read.
	w.srv.SetRate(24000)
	port := freePort(t)
	w.setenv("PCPLAY_MPD_LISTEN", "127.0.0.1:"+port)
	w.startEngine()
	poll.Until(t, "the MPD server answering", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		g, _ := bufio.NewReader(c).ReadString('\n')
		return strings.HasPrefix(g, "OK MPD ")
	})
	mpc := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		c := exec.CommandContext(ctx, mpcBin, append([]string{"--host", "127.0.0.1", "--port", port}, args...)...)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("mpc %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	a128 := strconv.FormatUint(w.ids["a128"], 10)

	t.Run("add, play, seek", func(t *testing.T) {
		mpc("add", "Music/Album")
		mpc("play")
		poll.Until(t, "mpc status: a128 playing", func() bool {
			s := mpc("status")
			return strings.Contains(s, "[playing]") && strings.Contains(s, "a128") && !strings.Contains(s, " 0:00/")
		})
		// Well past what the stream has fetched: a new request from
		// start=15.
		mpc("seek", "0:15")
		w.waitCall("a stream request with start=15 after mpc seek 0:15", func(r pcloudtest.Request) bool {
			return strings.HasPrefix(r.Host, "stream") && r.Params.Get("fileid") == a128 && r.Params.Get("start") == "15"
		})
		if cur := mpc("current"); !strings.Contains(cur, "a128") {
			t.Errorf("mpc current: %q", cur)
		}
		if q := mpc("playlist"); strings.Count(q, "\n") != 3 || !strings.Contains(q, "Tone Title") {
			t.Errorf("mpc playlist: %q", q)
		}
	})
	t.Run("next, pause, volume", func(t *testing.T) {
		mpc("next")
		poll.Until(t, "b128 current", func() bool { return strings.Contains(mpc("current"), "b128") })
		mpc("pause")
		if s := mpc("status"); !strings.Contains(s, "[paused]") {
			t.Errorf("mpc status after pause: %q", s)
		}
		mpc("volume", "40")
		if st := w.status(); st.Volume != 40 || st.State != "paused" {
			t.Errorf("pcplay ctl status after mpc volume 40: volume %d, %s", st.Volume, st.State)
		}
	})
	t.Run("ls, search, playlists", func(t *testing.T) {
		if ls := mpc("ls"); !strings.Contains(ls, "Music") {
			t.Errorf("mpc ls: %q", ls)
		}
		if ls := mpc("ls", "Music/Album"); !strings.Contains(ls, "Music/Album/tagged.mp3") {
			t.Errorf("mpc ls Music/Album: %q", ls)
		}
		poll.Until(t, "mpc search title tone: the indexed track", func() bool {
			return strings.TrimSpace(mpc("search", "title", "tone")) == "Music/Album/tagged.mp3"
		})
		mpc("save", "From MPD")
		if ls := mpc("lsplaylists"); !strings.Contains(ls, "From MPD") {
			t.Errorf("mpc lsplaylists: %q", ls)
		}
	})
	t.Run("albumart", func(t *testing.T) {
		// The album folder's Cover.JPG, as pCloud's 500 px thumbnail, in
		// chunks of MPD's 8192 bytes: the bytes the engine keeps in its
		// covers cache, a picture of the cover's four quadrants.
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		out, err := exec.CommandContext(ctx, mpcBin, "--host", "127.0.0.1", "--port", port, "albumart", "Music/Album/tagged.mp3").Output()
		if err != nil {
			t.Fatalf("mpc albumart: %v", err)
		}
		if len(out) <= 8192 {
			t.Errorf("mpc albumart: %d bytes, want a cover larger than one chunk", len(out))
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("mpc albumart: not a JPEG (%v), %d bytes", err, len(out))
		}
		if b := img.Bounds(); b.Dx() != 500 || b.Dy() != 500 {
			t.Errorf("mpc albumart: %v, want 500x500", b)
		}
		for _, q := range []struct {
			x, y    int
			r, g, b bool
		}{{100, 100, true, false, false}, {400, 100, false, true, false}, {100, 400, false, false, true}, {400, 400, true, true, true}} {
			r, g, b, _ := img.At(q.x, q.y).RGBA()
			if (r>>8 > 127) != q.r || (g>>8 > 127) != q.g || (b>>8 > 127) != q.b {
				t.Errorf("mpc albumart: at %d,%d %v, not the cover's quadrant", q.x, q.y, img.At(q.x, q.y))
			}
		}
		cached, _ := filepath.Glob(filepath.Join(w.home, "state", "pcplay", "covers", strconv.FormatUint(w.ids["tagged"], 10)+"-*-500"))
		if len(cached) != 1 {
			t.Fatalf("the engine's covers cache: %v, want the one cover", cached)
		}
		if b, _ := os.ReadFile(cached[0]); !bytes.Equal(b, out) {
			t.Errorf("mpc albumart: %d bytes that differ from the cached cover's %d", len(out), len(b))
		}
		// A song without a cover, raw: MPD's answers.
		if a := mpdAsk(t, port, `albumart "Music/Other/other.mp3" 0`); a != "ACK [50@0] {albumart} No file exists\n" {
			t.Errorf("albumart without a cover: %q", a)
		}
		if a := mpdAsk(t, port, `readpicture "Music/Other/other.mp3" 0`); a != "OK\n" {
			t.Errorf("readpicture without a cover: %q", a)
		}
	})
	t.Run("idle player returns on ctl next", func(t *testing.T) {
		done := make(chan string, 1)
		go func() {
			out, _ := exec.Command(mpcBin, "--host", "127.0.0.1", "--port", port, "idle", "player").CombinedOutput()
			done <- string(out)
		}()
		// mpc idle waits once it has connected, which this test can't see
		// from outside: pcplay ctl next until it returns (each next changes
		// the track, or stops at the end of the queue).
		deadline := time.After(patience)
		for {
			w.ctl("next")
			select {
			case got := <-done:
				if strings.TrimSpace(got) != "player" {
					t.Errorf("mpc idle player: %q", got)
				}
				return
			case <-time.After(2 * time.Second):
			case <-deadline:
				t.Fatal("mpc idle player did not return after pcplay ctl next")
			}
		}
	})
}

// mpdAsk sends one command to the MPD server on port and returns its
// answer (a text one: up to OK or ACK).
func mpdAsk(t *testing.T, port, line string) string {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(patience))
	r := bufio.NewReader(c)
	if g, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(g, "OK MPD ") {
		t.Fatalf("greeting %q: %v", g, err)
	}
	if _, err := c.Write([]byte(line + "\n")); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for {
		l, err := r.ReadString('\n')
		b.WriteString(l)
		if err != nil || l == "OK\n" || strings.HasPrefix(l, "ACK ") {
			return b.String()
		}
	}
}

// freePort is a TCP port on 127.0.0.1 nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// A port already taken (a real MPD on 6600): one line in the engine's log,
// a note in ctl status, and the engine plays on without the MPD server.
func TestMPDPortTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	w := newEngineWorld(t)
	w.setenv("PCPLAY_MPD_LISTEN", ln.Addr().String())
	w.startEngine() // ctl reaches it
	if st := w.status(); !strings.Contains(st.Error, "No MPD server: "+ln.Addr().String()+" is taken") {
		t.Errorf("ctl status says %q, want the MPD server's port taken", st.Error)
	}
	w.ctl("add", "/Music/Album")
	if st := w.status(); st.QueueLength != 3 {
		t.Errorf("the engine without its MPD server: queue of %d", st.QueueLength)
	}
	poll.Until(t, "the engine's log line", func() bool {
		b, _ := os.ReadFile(filepath.Join(w.home, "state", "pcplay", "engine.log"))
		return strings.Count(string(b), "no MPD server: cannot listen on "+ln.Addr().String()) == 1
	})
}

// MPD clients and a UI on one engine see one state: mpc's volume shows in
// the UI, the UI's n wakes an `mpc idle player`, and two MPD connections
// name the track the UI shows.
func TestMPDAndTheUI(t *testing.T) {
	t.Parallel()
	mpcBin, err := exec.LookPath("mpc")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("mpc is missing: scripts/install-deps.sh ci installs it (Debian package mpc)")
		}
		t.Skip("mpc is not installed (Debian package mpc)")
	}
	w := newTmuxWorld(t)
	port := freePort(t)
	w.setenv("PCPLAY_MPD_LISTEN", "127.0.0.1:"+port)
	w.saveSession() // a128, b128, tagged; paused at 0:02, volume 40
	w.start("ui")
	w.waitScreen("ui", "a128")
	mpc := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		out, err := exec.CommandContext(ctx, mpcBin, append([]string{"--host", "127.0.0.1", "--port", port}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("mpc %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	poll.Until(t, "the engine's MPD server", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
		}
		return err == nil
	})

	mpc("volume", "65")
	w.waitScreen("ui", "vol 65%")

	done := make(chan string, 1)
	go func() {
		out, _ := exec.Command(mpcBin, "--host", "127.0.0.1", "--port", port, "idle", "player").CombinedOutput()
		done <- string(out)
	}()
	// mpc idle waits once it has connected, which can't be seen from
	// outside: the UI's n until it returns (a128 → b128 → tagged).
	deadline := time.After(patience)
	for waiting := true; waiting; {
		w.tmux("send-keys", "-t", "ui", "n")
		select {
		case got := <-done:
			if strings.TrimSpace(got) != "player" {
				t.Errorf("mpc idle player after the UI's n: %q", got)
			}
			waiting = false
		case <-time.After(2 * time.Second):
		case <-deadline:
			t.Fatal("mpc idle player did not return after n in the UI")
		}
	}
	st := w.status()
	if st.Track == nil {
		t.Fatalf("no track after n: %+v", st)
	}
	label := strings.TrimSuffix(st.Track.Name, ".mp3")
	if st.Track.Title != "" {
		label = st.Track.Title
	}
	w.waitScreen("ui", label)
	a, b := mpdAsk(t, port, "currentsong"), mpdAsk(t, port, "currentsong")
	if a != b || !strings.Contains(a, "file: Music/Album/"+st.Track.Name) {
		t.Errorf("two MPD connections: %q and %q; the UI and ctl: %s", a, b, st.Track.Name)
	}
	if s := mpc("current"); !strings.Contains(s, label) {
		t.Errorf("mpc current %q, the UI shows %q", s, label)
	}
}
