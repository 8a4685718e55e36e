// Package e2e runs the built pcplay binary as a person would: on a command
// line, and in a pseudo-terminal read through a terminal emulator, against
// the fake pCloud (api/pcloudtest) started in the test process.
//
// Every run gets its own HOME and XDG directories, so nothing touches the
// real user's files. Most tests need no tmux: a Go pty (creack/pty) and a
// screen model (charmbracelet/x/vt) stand in for the terminal; the tmux
// tests (a terminal that goes away) need tmux, and fail without it when $CI
// is set. The background engine's tests (engine_test.go, tmux_test.go) share
// this harness: one world, one binary built in TestMain, one polling loop
// (eventually).
package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/internal/testpar"
)

// bin is the pcplay binary TestMain built.
var bin string

// patience is how long a test waits for something the program should do
// soon. It is generous: the machine may be loaded.
const patience = 60 * time.Second

func TestMain(m *testing.M) {
	testHelper()
	flag.Parse()
	// Most of these tests wait on the binary in real time (music playing,
	// an outage, a snapserver): twice as many at once as CPUs.
	testpar.Widen(2)
	if testing.Short() {
		// Every test that needs the binary says it skipped (newWorld).
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "pcplay-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "pcplay")
	// Built as the releases are (scripts/release.sh): without cgo, so the
	// speaker is purego's (player/alsa_lib.go).
	build := exec.Command("go", "build", "-o", bin, "github.com/pcplay/pcplay")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	email    = "e2e@example.com"
	password = "correct horse battery"
	tfaEmail = "tfa@example.com"
	tfaCode  = "424242"
)

// music is the fake account's library: /Music/Album holds three fixtures
// (a128 and b128 are 20 s, tagged 5 s), /Music/Other one more.
var music = []string{"a128", "b128", "tagged"}

// world is one private home for pcplay (config, state and runtime
// directories) and a fake pCloud behind a recording proxy.
type world struct {
	t    *testing.T
	home string
	srv  *pcloudtest.Server
	// api is the URL pcplay is given: a reverse proxy to the fake's API
	// that remembers the digests it handed out (they never reach the
	// fake's redacted log).
	api string
	env []string

	mu      sync.Mutex
	digests []string
	// hold, while open, makes the proxy stall the API method it names
	// until the channel is closed (a network that has gone quiet).
	hold       chan struct{}
	holdMethod string
}

// stall makes API calls of method hang until the returned func is called
// (or the test ends).
func (w *world) stall(method string) (release func()) {
	ch := make(chan struct{})
	w.mu.Lock()
	w.hold, w.holdMethod = ch, method
	w.mu.Unlock()
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	w.t.Cleanup(release)
	return release
}

// newWorld makes the world; tweaks change the fake's options (a switch
// such as RefuseOAuthCollections).
func newWorld(t *testing.T, tweaks ...func(*pcloudtest.Options)) *world {
	t.Helper()
	if bin == "" {
		t.Skip("skipped in -short mode: the end-to-end tests build and run the pcplay binary")
	}
	home := t.TempDir()
	var files []*pcloudtest.Node
	for _, n := range music {
		f := fixtures.Get(n)
		files = append(files, pcloudtest.AudioFile(f.File, map[int][]byte{128: f.Data()},
			pcloudtest.Tags{Title: f.Title, Artist: f.Artist}))
	}
	other := fixtures.Get("b128")
	opts := pcloudtest.Options{
		Accounts: []pcloudtest.Account{
			{Email: email, Password: password},
			{Email: tfaEmail, Password: password, TFA: true, TFACode: tfaCode},
		},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music",
			pcloudtest.Dir("Album", files...),
			pcloudtest.Dir("Other", pcloudtest.AudioFile("other.mp3", map[int][]byte{128: other.Data()}, pcloudtest.Tags{})),
		)),
	}
	for _, f := range tweaks {
		f(&opts)
	}
	srv := pcloudtest.NewServer(opts)
	t.Cleanup(srv.Close)
	w := &world{t: t, home: home, srv: srv}
	w.api = w.proxy(srv.URL())

	for _, d := range []string{"config", "state", "run", "cache"} {
		if err := os.Mkdir(filepath.Join(home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	w.env = []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		// Engines of parallel tests would race for MPD's port 6600: the
		// MPD tests set their own address.
		"PCPLAY_MPD_LISTEN=off",
	}
	return w
}

// proxy puts a reverse proxy in front of the fake's API that records every
// getdigest answer's digest.
func (w *world) proxy(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		w.t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	digestRE := regexp.MustCompile(`"digest"\s*:\s*"([^"]+)"`)
	rp.ErrorHandler = func(rw http.ResponseWriter, _ *http.Request, _ error) {
		rw.WriteHeader(http.StatusBadGateway) // a client that gave up: nothing to say
	}
	rp.ModifyResponse = func(r *http.Response) error {
		if !strings.HasSuffix(r.Request.URL.Path, "/getdigest") {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return err
		}
		if m := digestRE.FindSubmatch(b); m != nil {
			w.mu.Lock()
			w.digests = append(w.digests, string(m[1]))
			w.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		return nil
	}
	ps := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		hold, method := w.hold, w.holdMethod
		w.mu.Unlock()
		if hold != nil && strings.HasSuffix(r.URL.Path, "/"+method) {
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(rw, r)
	}))
	w.t.Cleanup(ps.Close)
	return ps.URL
}

// digestsSeen is every digest the fake handed out through the proxy.
func (w *world) digestsSeen() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.digests...)
}

// setenv replaces or adds an environment variable; an empty value removes it.
func (w *world) setenv(key, value string) {
	out := w.env[:0:0]
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	if value != "" {
		out = append(out, key+"="+value)
	}
	w.env = out
}

func (w *world) path(elem ...string) string {
	return filepath.Join(append([]string{w.home}, elem...)...)
}

// tokenFile is where pcplay login keeps the token.
func (w *world) tokenFile() string { return w.path("config", "pcplay", "token.json") }

// result is a finished command-line run.
type result struct {
	stdout, stderr string
	code           int
}

// run runs pcplay with args and stdin (not a terminal) and waits for it.
func (w *world) run(stdin string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	c := exec.CommandContext(ctx, bin, args...)
	c.Env = w.env
	c.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		w.t.Fatalf("pcplay %q: %v", args, err)
	}
	if ctx.Err() != nil {
		w.t.Fatalf("pcplay %q did not finish within %v; stdout %q stderr %q", args, patience, r.stdout, r.stderr)
	}
	return r
}

// login runs `pcplay login` for the plain account and checks it worked.
func (w *world) login(extra ...string) result {
	w.t.Helper()
	args := append([]string{"--api-url", w.api}, extra...)
	r := w.run(email+"\n"+password+"\n", append(args, "login", "--password")...)
	if r.code != 0 {
		w.t.Fatalf("pcplay login: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	return r
}

// calls is the fake's log of one API method or of the stream hosts ("stream").
func (w *world) calls(method string) []pcloudtest.Request {
	if method != "stream" {
		return w.srv.Calls(method)
	}
	var out []pcloudtest.Request
	for _, r := range w.srv.Log() {
		if strings.HasPrefix(r.Host, "stream") {
			out = append(out, r)
		}
	}
	return out
}

// waitCall waits until the fake's log has a request that ok accepts.
func (w *world) waitCall(what string, ok func(pcloudtest.Request) bool) pcloudtest.Request {
	w.t.Helper()
	var found pcloudtest.Request
	seen := func() bool {
		for _, r := range w.srv.Log() {
			if ok(r) {
				found = r
				return true
			}
		}
		return false
	}
	if !poll.Eventually(patience, seen) {
		w.t.Fatalf("the fake never saw %s; its log:\n%s", what, w.logText())
	}
	return found
}

// logText is the fake's request log, one line a request (secrets redacted
// by the fake).
func (w *world) logText() string {
	var b strings.Builder
	for _, r := range w.srv.Log() {
		fmt.Fprintf(&b, "  %s %s %s %v -> %d/%d\n", r.Host, r.Method, r.Path, r.Params, r.Status, r.Result)
	}
	return b.String()
}
