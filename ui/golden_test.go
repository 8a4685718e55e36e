package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/player"
)

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {40, 12}}

var goldenQueue = []player.Track{
	{FileID: 101, Name: "01 Come Together.mp3", Artist: "The Beatles", Title: "Come Together"},
	{FileID: 102, Name: "02 Something.mp3", Artist: "The Beatles", Title: "Something"},
	{FileID: 103, Name: "03 Maxwell.mp3", Artist: "The Beatles", Title: "Maxwell's Silver Hammer"},
	{FileID: 104, Name: "10 Octopus's Garden.mp3"},
}

func playing(d time.Duration) player.Status {
	return player.Status{
		State: player.Playing, Index: 1, Track: goldenQueue[1],
		Position: 83*time.Second + 400*time.Millisecond, Duration: d,
		Volume: 70, Bitrate: 192, Shuffle: true, Repeat: player.RepeatAll, QueueGen: 1,
	}
}

// scenes set a harness up for one golden view.
var scenes = []struct {
	name  string
	login bool
	setup func(h *harness, srv *pcloudtest.Server)
}{
	{"browser", false, func(h *harness, _ *pcloudtest.Server) {
		h.keys("enter", "enter", "j")
		h.status(playing(183*time.Second), goldenQueue)
	}},
	{"queue", false, func(h *harness, _ *pcloudtest.Server) {
		h.keys("enter")
		h.status(playing(183*time.Second), goldenQueue)
		h.keys("tab", "j", "j")
	}},
	{"nowplaying_duration", false, func(h *harness, _ *pcloudtest.Server) {
		h.status(playing(183*time.Second), goldenQueue)
	}},
	{"nowplaying_noduration", false, func(h *harness, _ *pcloudtest.Server) {
		st := playing(0)
		st.State = player.Buffering
		st.Shuffle, st.Repeat = false, player.RepeatOff
		h.status(st, goldenQueue)
	}},
	{"paused", false, func(h *harness, _ *pcloudtest.Server) {
		st := playing(183 * time.Second)
		st.State = player.Paused
		h.status(st, goldenQueue)
	}},
	{"help", false, func(h *harness, _ *pcloudtest.Server) {
		h.keys("?")
	}},
	{"filter", false, func(h *harness, _ *pcloudtest.Server) {
		h.keys("enter", "enter", "/")
		h.typeText("beat")
	}},
	{"bitrate", false, func(h *harness, _ *pcloudtest.Server) {
		h.status(playing(183*time.Second), goldenQueue)
		h.keys("b", "j")
	}},
	{"error", false, func(h *harness, srv *pcloudtest.Server) {
		srv.FailNext(1, 2003)
		h.keys("enter")
	}},
	{"listing_wait", false, func(h *harness, srv *pcloudtest.Server) {
		srv.FailNext(1, 5000) // the countdown shows 1 s: the first wait is 0.75-1 s
		h.keys("enter")
	}},
	{"player_error", false, func(h *harness, _ *pcloudtest.Server) {
		st := playing(183 * time.Second)
		st.State = player.Reconnecting
		st.Err = "Can't reach pCloud's stream host; trying again."
		h.status(st, goldenQueue)
	}},
	{"login_choices", true, func(h *harness, _ *pcloudtest.Server) {}},
	{"login_noclientid", true, func(h *harness, _ *pcloudtest.Server) {
		h.m.s.e.o.ClientID = ""
		h.m.s.login = newLogin(h.m.s.e, h.m.s.keys.Quit)
	}},
	{"login_signin", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("enter")
	}},
	{"login_token", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("3")
		h.typeText("0123456789abcdef")
	}},
	{"login", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("2")
		h.typeText(testEmail)
		h.keys("tab")
		h.typeText("secret")
	}},
	{"login_region", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("2")
		h.typeText(testEmail)
		h.keys("tab")
		h.typeText("secret")
		h.keys("tab", "right", "right") // EU
	}},
	{"login_error", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("2")
		h.login(testEmail, "wrong")
	}},
	{"tfa", true, func(h *harness, _ *pcloudtest.Server) {
		h.keys("2")
		h.login("tfa@example.com", testPass)
		h.typeText("12")
	}},
}

func TestGolden(t *testing.T) {
	for _, sc := range scenes {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				srv := newFake(t,
					pcloudtest.Account{Email: testEmail, Password: testPass},
					pcloudtest.Account{Email: "tfa@example.com", Password: testPass, TFA: true, TFACode: "1", TFAType: 1})
				var o Options
				if sc.login {
					c := newClient(t, srv, "")
					o = Options{Library: c, Auth: c, NeedLogin: true, ClientID: goldenClientID, NoClientID: goldenNoClientID}
				} else {
					o = Options{Library: newClient(t, srv, srv.Token(testEmail))}
				}
				h := newHarness(t, o, sz[0], sz[1])
				fixSignIn(h)
				sc.setup(h, srv)
				v := plainView(h.m)
				checkSize(t, v, sz[0], sz[1])
				golden.RequireEqual(t, v)
			})
		}
	}
	for _, sz := range [][2]int{{29, 24}, {80, 7}, {10, 3}} {
		t.Run(fmt.Sprintf("toosmall_%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h, _ := browse(t, sz[0], sz[1], Options{})
			v := plainView(h.m)
			if strings.Count(v, "\n") != 0 || !strings.HasPrefix(v, "Terminal") {
				t.Fatalf("want one plain line, got %q", v)
			}
			golden.RequireEqual(t, v)
		})
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// checkSize asserts that the view fills exactly w×h cells, no line wider.
// osc8 is a hyperlink's start or end (the sign-in URL's): no cells.
var osc8 = regexp.MustCompile("\x1b\\]8;[^\a\x1b]*(?:\a|\x1b\\\\)")

func checkSize(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := len([]rune(osc8.ReplaceAllString(sgr.ReplaceAllString(l, ""), ""))); n != w {
			t.Errorf("line %d is %d cells, want %d: %q", i, n, w, l)
		}
	}
}

func TestResizeAnyTime(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter", "enter")
	h.status(playing(183*time.Second), goldenQueue)
	for _, sz := range [][2]int{{120, 40}, {40, 12}, {20, 5}, {100, 30}, {99, 30}, {30, 8}, {200, 60}} {
		h.send(tea_ws(sz[0], sz[1]))
		v := plainView(h.m)
		if sz[0] < MinWidth || sz[1] < MinHeight {
			if !strings.HasPrefix(v, "Terminal too small") {
				t.Fatalf("%v: %q", sz, v)
			}
			continue
		}
		checkSize(t, v, sz[0], sz[1])
		wide := strings.Contains(v, "│")
		if wide != (sz[0] >= WideWidth) {
			t.Fatalf("%v: two panes = %v", sz, wide)
		}
	}
}

// TestNoColor: with NO_COLOR the terminal gets no colour at all, and the
// cursor and marks are still there (reverse video and glyphs).
func TestNoColor(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	h.keys("enter")
	h.status(playing(183*time.Second), goldenQueue)
	raw := h.m.View().Content
	if !regexp.MustCompile("\x1b\\[[0-9;]*3[0-7]m").MatchString(raw) {
		t.Fatal("the view has no colours to begin with")
	}
	for _, env := range [][]string{{"NO_COLOR=1", "TERM=xterm-256color", "COLORTERM=truecolor"}} {
		p := colorprofile.Env(env)
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: p}
		_, _ = w.WriteString(raw)
		out := b.String()
		for _, m := range sgr.FindAllString(out, -1) {
			for _, param := range strings.Split(strings.Trim(m, "\x1b[m"), ";") {
				if strings.HasPrefix(param, "3") || strings.HasPrefix(param, "4") && len(param) == 2 || strings.HasPrefix(param, "9") {
					t.Fatalf("colour %q with %v (profile %v)", m, env, p)
				}
			}
		}
		if !strings.Contains(out, "\x1b[7m") {
			t.Fatalf("no reverse-video cursor without colour")
		}
		if !strings.Contains(out, "▶ Playing") {
			t.Fatal("no playing mark without colour")
		}
	}
}

// TestClockWholeSeconds: player events within one second draw the same
// screen, so the renderer writes nothing for them.
func TestClockWholeSeconds(t *testing.T) {
	for _, w := range []int{40, 80, 120, 250} {
		h, _ := browse(t, w, 24, Options{})
		st := playing(183 * time.Second)
		var prev string
		for ms := 83_000; ms < 90_000; ms += 100 {
			st.Position = time.Duration(ms) * time.Millisecond
			h.status(st, nil)
			v := h.m.View().Content
			if changed := v != prev; changed != (ms%1000 == 0) && prev != "" {
				t.Fatalf("width %d at %d ms: view changed = %v", w, ms, changed)
			}
			prev = v
		}
	}
}

// The sign-in request of the golden views: a fixed request id, so that
// the URL and its QR code are the same every run.
const (
	goldenClientID   = "AbCdEfGhIjK"
	goldenRequestID  = "QWZKEMRXWAPBRHTKYCVFNQBTCEDXFAGMHUJXLYSV"
	goldenNoClientID = "Signing in on another device needs a pCloud app's Client ID: create an app in pCloud's \"My Apps\", copy its Client ID, and put client_id = \"...\" in the config file or PCPLAY_CLIENT_ID in the environment."
)

// fixSignIn makes h's sign-in requests use goldenRequestID.
func fixSignIn(h *harness) {
	h.m.s.e.newSignIn = func(clientID string) (api.SignIn, error) {
		return api.SignIn{ClientID: clientID, RequestID: goldenRequestID}, nil
	}
}
