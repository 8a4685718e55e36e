//go:build unix

package e2e

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/mpeg"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/scrobble/scrobbletest"
)

// scrobbleWorld is an engine world with fake ListenBrainz and Last.fm
// servers, logged in to both: ListenBrainz through `pcplay scrobble login
// listenbrainz` (the token on stdin), Last.fm with a saved session.
// /Music/Long holds long.mp3, a tagged 34 s track (half: 17 s), then
// next.mp3, a tagged 5 s one (too short to count).
type scrobbleWorld struct {
	*engineWorld
	lb      *scrobbletest.ListenBrainz
	lf      *scrobbletest.Lastfm
	lbToken string
	session string
}

const (
	lbUser   = "alice"
	lfKey    = "0123456789abcdef0123456789abcdef"
	lfSecret = "fedcba9876543210fedcba9876543210"
)

// longSeconds is the long track's length.
const longSeconds = 34

// longTrack is a 34 s CBR mp3 without a Xing/Info frame: the audio frames
// of the 20 s a128 fixture, then the first 14 s of b128's.
func longTrack(t *testing.T) []byte {
	a, b := fixtures.Get("a128").Data(), fixtures.Get("b128").Data()
	sa, sb := mpeg.Scan(a), mpeg.Scan(b)
	cut := (longSeconds - 20) * 44100 / 1152
	if len(sa.Frames) == 0 || len(sb.Frames) <= cut {
		t.Fatal("the fixtures are not what longTrack expects")
	}
	out := append([]byte(nil), a[sa.DataStart:sa.AudioEnd]...)
	return append(out, b[sb.DataStart:sb.Frames[cut].Off]...)
}

func newScrobbleWorld(t *testing.T) *scrobbleWorld {
	t.Helper()
	long := longTrack(t)
	w := &scrobbleWorld{engineWorld: newEngineWorld(t, func(o *pcloudtest.Options) {
		o.Root.Children[0].Children = append(o.Root.Children[0].Children, pcloudtest.Dir("Long",
			pcloudtest.AudioFile("long.mp3", map[int][]byte{128: long}, pcloudtest.Tags{Title: "Long Song", Artist: "The Band", Album: "Far"}),
			pcloudtest.AudioFile("next.mp3", map[int][]byte{128: fixtures.Get("tagged").Data()}, pcloudtest.Tags{Title: "Next", Artist: "The Band"}),
		))
	})}
	w.lbToken = "lbtoken-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	w.lb = scrobbletest.NewListenBrainz(map[string]string{w.lbToken: lbUser})
	t.Cleanup(w.lb.Close)
	w.lf = scrobbletest.NewLastfm(lfKey, lfSecret, "bob")
	t.Cleanup(w.lf.Close)
	w.setenv(config.EnvListenBrainzURL, w.lb.URL())
	w.setenv(config.EnvLastfmURL, w.lf.URL())
	cfg := "lastfm_api_key = \"" + lfKey + "\"\nlastfm_secret = \"" + lfSecret + "\"\n"
	if err := os.MkdirAll(w.path("config", "pcplay"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.path("config", "pcplay", "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.run(w.lbToken+"\n", w.args("scrobble", "login", "listenbrainz")...)
	if r.code != 0 || !strings.Contains(r.stdout, "as "+lbUser) {
		t.Fatalf("scrobble login listenbrainz: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	w.noSecret("scrobble login listenbrainz", r.stdout+r.stderr)
	w.session = w.lf.Session()
	if err := config.SaveScrobbleLogin(w.path("config", "pcplay", "lastfm.json"), config.ScrobbleLogin{Secret: w.session, User: "bob"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// noSecret fails when text holds the ListenBrainz token, the Last.fm
// session key or the app's secret.
func (w *scrobbleWorld) noSecret(where, text string) {
	w.t.Helper()
	for _, s := range []string{w.lbToken, w.session, lfSecret} {
		if s != "" && strings.Contains(text, s) {
			w.t.Errorf("%s shows a secret: %q", where, text)
		}
	}
}

// noSecretAnywhere: not in the engine's log, nor in any process's argv
// (checked while the engine runs, by the caller).
func (w *scrobbleWorld) noSecretInLogs() {
	w.t.Helper()
	logs, _ := filepath.Glob(w.path("state", "pcplay", "*.log*"))
	if len(logs) == 0 {
		w.t.Error("no engine log to check")
	}
	for _, p := range logs {
		b, _ := os.ReadFile(p)
		w.noSecret(p, string(b))
	}
}

func (w *scrobbleWorld) noSecretInArgv() {
	w.t.Helper()
	for _, pid := range append(w.pids(true), w.pids(false)...) {
		b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		w.noSecret("the command line of pid "+strconv.Itoa(pid), string(b))
	}
}

// scrobbleStatus is `pcplay scrobble status`.
func (w *scrobbleWorld) scrobbleStatus() string {
	w.t.Helper()
	out, errs, code := w.pcplay("scrobble", "status")
	if code != 0 {
		w.t.Fatalf("scrobble status: exit %d: %s", code, errs)
	}
	w.noSecret("scrobble status", out+errs)
	return out
}

var queuedRE = regexp.MustCompile(`(?m)^(ListenBrainz|Last\.fm):.*\n\s+queued:\s+(\d+)`)

// queued is the number queued per service, as scrobble status says.
func (w *scrobbleWorld) queued() map[string]int {
	w.t.Helper()
	out := w.scrobbleStatus()
	m := map[string]int{}
	for _, g := range queuedRE.FindAllStringSubmatch(out, -1) {
		m[g[1]], _ = strconv.Atoi(g[2])
	}
	if len(m) != 2 {
		w.t.Fatalf("scrobble status printed %q", out)
	}
	return m
}

func (w *scrobbleWorld) waitFor(what string, cond func() bool) {
	w.t.Helper()
	if !poll.Eventually(patience, cond) {
		w.t.Fatalf("timed out waiting for %s", what)
	}
}

// playing is the position of the long track while it plays.
func (w *scrobbleWorld) position() (name string, pos time.Duration) {
	st := w.status()
	if st.Track == nil {
		return "", 0
	}
	if st.Track.Name == "long.mp3" && st.DurationSeconds > 0 && (st.DurationSeconds < longSeconds-1 || st.DurationSeconds > longSeconds+1) {
		w.t.Fatalf("the long track is %v s long, not %d", st.DurationSeconds, longSeconds)
	}
	return st.Track.Name, time.Duration(st.PositionSeconds * float64(time.Second))
}

func TestScrobbleOneListenAfterHalf(t *testing.T) {
	t.Parallel()
	w := newScrobbleWorld(t)
	w.startEngine()
	start := time.Now().Unix()
	w.ctl("play", "/Music/Long")
	w.waitFor("playing_now and updateNowPlaying", func() bool { return len(w.lb.Playing()) == 1 && len(w.lf.Playing()) == 1 })
	if p := w.lb.Playing()[0]; p.Artist != "The Band" || p.Track != "Long Song" || p.Album != "Far" {
		t.Errorf("playing_now was %+v", p)
	}
	w.noSecretInArgv()
	// Before half: nothing.
	w.waitFor("14 s into the long track", func() bool { n, p := w.position(); return n == "long.mp3" && p >= 14*time.Second })
	if n, m := len(w.lb.Listens()), len(w.lf.Scrobbles()); n != 0 || m != 0 {
		t.Fatalf("listens before half the track: ListenBrainz %d, Last.fm %d", n, m)
	}
	w.waitFor("the listen", func() bool { return len(w.lb.Listens()) == 1 && len(w.lf.Scrobbles()) == 1 })
	if n, p := w.position(); n != "long.mp3" || p < 16*time.Second {
		t.Errorf("the listen came at %v of %s, before half of it", p, n)
	}
	// On to the end of the track (a seek saves time: what is heard after
	// the listen does not matter), and the next track starts (its now
	// playing came): still one listen.
	w.ctl("seek", strconv.Itoa(longSeconds-4))
	w.waitFor("the next track's now playing", func() bool { return len(w.lb.Playing()) == 2 && len(w.lf.Playing()) == 2 })
	l, s := w.lb.Listens(), w.lf.Scrobbles()
	if len(l) != 1 || len(s) != 1 {
		t.Fatalf("listens: ListenBrainz %+v, Last.fm %+v; want one each", l, s)
	}
	for _, x := range []scrobbletest.Listen{l[0], s[0]} {
		if x.Artist != "The Band" || x.Track != "Long Song" || x.ListenedAt < start || x.ListenedAt > start+15 {
			t.Errorf("the listen is %+v; want The Band – Long Song, listened at %d (when it began)", x, start)
		}
	}
	if l[0].Type != "single" {
		t.Errorf("the listen was sent as %q, not single", l[0].Type)
	}
	if good, bad := w.lf.Signatures(); good < 3 || bad != 0 {
		t.Errorf("Last.fm signatures: %d good, %d bad", good, bad)
	}
	for _, ua := range w.lb.UserAgents() {
		if !strings.HasPrefix(ua, "pcplay/") {
			t.Errorf("User-Agent %q", ua)
		}
	}
	if q := w.queued(); q["ListenBrainz"] != 0 || q["Last.fm"] != 0 {
		t.Errorf("queued after sending: %v", q)
	}
	if out := w.scrobbleStatus(); !strings.Contains(out, "ListenBrainz: "+lbUser) || strings.Contains(out, "last success: never") {
		t.Errorf("scrobble status:\n%s", out)
	}
	w.noSecretInLogs()
}

func TestScrobbleSeekAheadIsNoListen(t *testing.T) {
	t.Parallel()
	w := newScrobbleWorld(t)
	w.startEngine()
	w.ctl("play", "/Music/Long")
	w.waitFor("playing_now", func() bool { return len(w.lb.Playing()) == 1 })
	w.ctl("seek", "30")
	w.waitFor("the next track's now playing", func() bool { return len(w.lb.Playing()) == 2 && len(w.lf.Playing()) == 2 })
	if n, m := len(w.lb.Listens()), len(w.lf.Scrobbles()); n != 0 || m != 0 {
		t.Errorf("seeking past half made listens: ListenBrainz %d, Last.fm %d", n, m)
	}
	if q := w.queued(); q["ListenBrainz"] != 0 || q["Last.fm"] != 0 {
		t.Errorf("queued: %v", q)
	}
}

func TestScrobbleListenSurvivesStopAndKill(t *testing.T) {
	t.Parallel()
	w := newScrobbleWorld(t)
	w.lb.Fail(503, 0)
	w.lf.Fail(503, 0)
	w.startEngine()
	w.ctl("play", "/Music/Long")
	w.waitFor("the listen queued", func() bool { q := w.queued(); return q["ListenBrainz"] == 1 && q["Last.fm"] == 1 })
	if out := w.scrobbleStatus(); !strings.Contains(out, "503") {
		t.Errorf("scrobble status says no 503:\n%s", out)
	}
	// pcplay stop: the engine goes, the listen stays.
	if _, errs, code := w.pcplay("stop"); code != 0 {
		t.Fatalf("pcplay stop: %d %s", code, errs)
	}
	w.waitFor("the engine gone", func() bool { return w.engineCount() == 0 })
	if q := w.queued(); q["ListenBrainz"] != 1 || q["Last.fm"] != 1 {
		t.Fatalf("after pcplay stop, queued: %v", q)
	}
	dbs, _ := filepath.Glob(w.path("state", "pcplay", "scrobble.db*"))
	for _, p := range dbs {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v; want mode 0600", p, fi.Mode())
		}
	}
	if len(dbs) == 0 {
		t.Error("no scrobble.db in the state directory")
	}
	// A new engine tries (503 again), and is killed -9.
	before := w.lb.Requests()
	p := w.startEngine()
	w.waitFor("the new engine's try", func() bool { return w.lb.Requests() > before })
	p.cmd.Process.Signal(syscall.SIGKILL)
	w.waitFor("the engine killed", p.exited)
	if q := w.queued(); q["ListenBrainz"] != 1 || q["Last.fm"] != 1 {
		t.Fatalf("after kill -9, queued: %v", q)
	}
	// The services are back: the next engine sends it, once.
	w.lb.Fail(0, 0)
	w.lf.Fail(0, 0)
	w.startEngine()
	w.waitFor("the queue sent", func() bool { q := w.queued(); return q["ListenBrainz"] == 0 && q["Last.fm"] == 0 })
	if l, s := w.lb.Listens(), w.lf.Scrobbles(); len(l) != 1 || len(s) != 1 || l[0].Track != "Long Song" || s[0].Track != "Long Song" {
		t.Errorf("sent: ListenBrainz %+v, Last.fm %+v; want the long track once each", l, s)
	}
	w.noSecretInLogs()
}

func TestScrobbleLogins(t *testing.T) {
	t.Parallel()
	w := newScrobbleWorld(t)
	// The ListenBrainz token newScrobbleWorld saved: 0600.
	for _, f := range []string{"listenbrainz.json", "lastfm.json"} {
		if fi, err := os.Stat(w.path("config", "pcplay", f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", f, fi.Mode(), err)
		}
	}
	// A token ListenBrainz refuses is not saved, nor said.
	bad := "not-a-token-" + strconv.Itoa(os.Getpid())
	r := w.run(bad+"\n", w.args("scrobble", "login", "listenbrainz")...)
	if r.code == 0 || strings.Contains(r.stdout+r.stderr, bad) || !strings.Contains(r.stderr, "not valid") {
		t.Errorf("a refused token: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	// A token on the command line is refused, and not repeated.
	r = w.run("", w.args("scrobble", "login", "listenbrainz", bad)...)
	if r.code != 2 || strings.Contains(r.stdout+r.stderr, bad) || !strings.Contains(r.stderr, "stdin") {
		t.Errorf("a token in argv: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	// Last.fm: the link (and a QR code), the approval, the session saved.
	os.Remove(w.path("config", "pcplay", "lastfm.json"))
	c := exec.Command(bin, w.args("scrobble", "login", "lastfm")...)
	c.Env = w.env
	out, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	c.Stderr = &errb
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var text strings.Builder
	for sc.Scan() {
		text.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "/api/auth/?api_key="+lfKey+"&token=") {
			break
		}
	}
	if !strings.Contains(text.String(), "▀") && !strings.Contains(text.String(), "█") {
		t.Errorf("no QR code:\n%s", text.String())
	}
	w.lf.Approve()
	rest, _ := io.ReadAll(out)
	if err := c.Wait(); err != nil {
		t.Fatalf("scrobble login lastfm: %v\n%s%s\n%s", err, text.String(), rest, errb.String())
	}
	if !strings.Contains(string(rest), "Scrobbling to Last.fm as bob") {
		t.Errorf("login said %q", rest)
	}
	l, err := config.LoadScrobbleLogin(w.path("config", "pcplay", "lastfm.json"))
	if err != nil || l.Secret == "" {
		t.Fatalf("the session was not saved: %v", err)
	}
	w.session = l.Secret
	w.noSecret("scrobble login lastfm", text.String()+string(rest)+errb.String())
	if fi, err := os.Stat(w.path("config", "pcplay", "lastfm.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("lastfm.json: %v; want 0600", err)
	}
	if out := w.scrobbleStatus(); !strings.Contains(out, "Last.fm: bob") {
		t.Errorf("scrobble status:\n%s", out)
	}
}

// A token the service refuses: sending stops, the person is told once in
// scrobble status and by one line on the UI's screen, the listens wait,
// and the token is shown nowhere. Last.fm goes on meanwhile.
func TestScrobbleRefusedToken(t *testing.T) {
	t.Parallel()
	w := newScrobbleWorld(t)
	w.lbToken = "refused-" + strconv.Itoa(os.Getpid()) + "-token"
	if err := config.SaveScrobbleLogin(w.path("config", "pcplay", "listenbrainz.json"), config.ScrobbleLogin{Secret: w.lbToken, User: lbUser}); err != nil {
		t.Fatal(err)
	}
	w.startEngine()
	w.ctl("play", "/Music/Long")
	w.waitFor("the refusal", func() bool { return w.lb.Refused() >= 1 })
	w.waitFor("Last.fm's now playing", func() bool { return len(w.lf.Playing()) == 1 })
	w.waitFor("scrobble status to say it", func() bool {
		return strings.Contains(w.scrobbleStatus(), "ListenBrainz refused the token; run pcplay scrobble login listenbrainz")
	})
	tm := w.start(w.args()...)
	tm.waitFor("ListenBrainz refused the token")
	tm.quit()
	w.noSecret("the screen", tm.output())
	if n := w.lb.Refused(); n != 1 {
		t.Errorf("%d calls with the refused token; want 1, then none", n)
	}
	w.noSecretInLogs()
}
