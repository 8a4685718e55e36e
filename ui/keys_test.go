package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/player"
)

func TestPlayerKeys(t *testing.T) {
	h, _ := browse(t, 80, 24, Options{})
	tr := player.Track{FileID: 9, Name: "x.mp3", Title: "X", Artist: "Y"}
	h.status(player.Status{State: player.Playing, Index: 0, Track: tr, Position: 62_500 * 1e6, Duration: 200 * 1e9, Volume: 70, Bitrate: 192, QueueGen: 1}, []player.Track{tr})
	wantScreen(t, h, "▶ Playing  Y – X", "1:02 / 3:20")
	cases := []struct {
		key  string
		want []string
	}{
		{"space", []string{"Toggle"}},
		{"right", []string{"SeekBy(5s)"}},
		{"left", []string{"SeekBy(-5s)"}},
		{"shift+right", []string{"SeekBy(30s)"}},
		{"shift+left", []string{"SeekBy(-30s)"}},
		{"n", []string{"Next"}},
		{"p", []string{"Prev"}},
		{"+", []string{"SetVolume(75)"}},
		{"=", []string{"SetVolume(80)"}},
		{"-", []string{"SetVolume(75)"}},
		{"s", []string{"SetShuffle(true)"}},
		{"s", []string{"SetShuffle(false)"}},
		{"r", []string{"SetRepeat(1)"}},
		{"r", []string{"SetRepeat(2)"}},
		{"r", []string{"SetRepeat(0)"}},
	}
	for _, c := range cases {
		h.keys(c.key)
		wantCalls(t, h.p, c.want...)
	}
	// Seeks show their target at once: 62.5 +5 -5 +30 -30 = 62.5 s.
	if got := player.Clock(h.m.s.bar.st.Position); got != "1:02" {
		t.Fatalf("position %s", got)
	}
	h.keys("shift+right")
	wantScreen(t, h, "1:32 / 3:20")
	for range 10 {
		h.keys("shift+right")
	}
	wantScreen(t, h, "3:20 / 3:20")
	for range 20 {
		h.keys("shift+left")
	}
	wantScreen(t, h, "0:00 / 3:20")
	h.p.take()
	// Volume stays in 0..100.
	for range 30 {
		h.keys("+")
	}
	if h.m.s.bar.st.Volume != 100 {
		t.Fatalf("volume %d", h.m.s.bar.st.Volume)
	}
	h.p.take()
	// Bitrate picker.
	h.keys("b")
	wantScreen(t, h, "Bitrate", "192 kbit/s  (current)")
	h.keys("j", "enter")
	wantCalls(t, h.p, "SetBitrate(256)")
	wantScreen(t, h, "256k")
	h.keys("b", "k", "esc")
	wantCalls(t, h.p)
	// Q stops and quits.
	h.keys("Q")
	wantCalls(t, h.p, "Stop")
	if !h.quit || !h.m.StopRequested() {
		t.Fatal("Q didn't stop and quit")
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		h, _ := browse(t, 80, 24, Options{Detach: true})
		tr := player.Track{FileID: 9, Name: "x.mp3"}
		h.status(player.Status{State: player.Playing, Index: 0, Track: tr}, nil)
		h.keys(k)
		if !h.quit || h.m.StopRequested() {
			t.Fatalf("%s: quit=%v stop=%v", k, h.quit, h.m.StopRequested())
		}
		if !strings.Contains(h.m.QuitMessage(), "keeps playing") {
			t.Fatalf("%s: quit message %q", k, h.m.QuitMessage())
		}
		wantCalls(t, h.p)
	}
}

func TestHelpFromBindings(t *testing.T) {
	o := Options{Keys: DefaultKeyMap()}
	if err := o.Keys.Rebind("next", []string{"N", "ctrl+n"}); err != nil {
		t.Fatal(err)
	}
	h, _ := browse(t, 120, 40, o)
	h.keys("?")
	sc := noStyle(h.m)
	for _, b := range []string{"N/ctrl+n", "next track", "shift+←", "seek -30s", "reload folder", "stop playback and quit"} {
		if !strings.Contains(sc, b) {
			t.Fatalf("help lacks %q:\n%s", b, sc)
		}
	}
	h.keys("esc")
	if h.m.s.help.open {
		t.Fatal("esc didn't close help")
	}
	h.keys("N")
	wantCalls(t, h.p, "Next")
	h.keys("n") // no longer bound
	wantCalls(t, h.p)
}

func TestRebind(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Rebind("seek_fwd_long", []string{"L"}); err != nil {
		t.Fatal(err)
	}
	if got := k.SeekFwdLong.Keys(); !slices.Equal(got, []string{"L"}) || k.SeekFwdLong.Help().Key != "L" {
		t.Fatalf("keys %q help %q", got, k.SeekFwdLong.Help().Key)
	}
	for _, bad := range []struct {
		action string
		keys   []string
	}{{"nope", []string{"x"}}, {"next", nil}, {"next", []string{""}}} {
		if err := k.Rebind(bad.action, bad.keys); err == nil {
			t.Errorf("Rebind(%q, %q) accepted", bad.action, bad.keys)
		}
	}
	var nilMap *KeyMap
	if err := nilMap.Rebind("next", []string{"x"}); err == nil {
		t.Error("nil KeyMap accepted")
	}
	acts := Actions()
	for _, a := range []string{"up", "page_down", "seek_back_long", "vol_up", "stop_quit", "refresh"} {
		if !slices.Contains(acts, a) {
			t.Errorf("Actions lacks %q: %q", a, acts)
		}
	}
	for _, a := range acts {
		if err := k.Rebind(a, []string{"f1"}); err != nil {
			t.Errorf("Rebind(%q): %v", a, err)
		}
	}
}

func TestHelpScrollsWhenSmall(t *testing.T) {
	h, _ := browse(t, 40, 12, Options{})
	h.keys("?")
	first := noStyle(h.m)
	h.keys("j", "j", "j")
	if noStyle(h.m) == first {
		t.Fatal("help didn't scroll")
	}
	h.keys("G") // the bottom; j many times stays there
	for range 100 {
		h.keys("j")
	}
	wantScreen(t, h, "stop playback and quit")
	h.keys("?")
	if h.m.s.help.open {
		t.Fatal("? didn't close help")
	}
}

// TestHelpTopAndBottom: g and G scroll the overlay to its first and last
// lines, as in a list.
func TestHelpTopAndBottom(t *testing.T) {
	h, _ := browse(t, 40, 12, Options{})
	h.keys("?")
	top := noStyle(h.m)
	h.keys("G")
	wantScreen(t, h, "stop playback and quit")
	if strings.Contains(noStyle(h.m), "page down") {
		t.Fatal("G: the first group is still on screen")
	}
	bottom := noStyle(h.m)
	h.keys("j")
	if noStyle(h.m) != bottom {
		t.Fatal("j scrolled past the bottom")
	}
	h.keys("g")
	if noStyle(h.m) != top {
		t.Fatalf("g didn't go back to the top:\n%s", noStyle(h.m))
	}
}

// TestHelpListsTheFilterKeys: the filter input's keys are in the overlay.
func TestHelpListsTheFilterKeys(t *testing.T) {
	h, _ := browse(t, 120, 40, Options{})
	h.keys("?")
	wantScreen(t, h, "Filter (typing)", "keeps the filter", "ctrl+u", "backspace")
}

// TestHelpOnTheLoginScreen: ? opens the overlay of the login screen's
// keys where no field takes the text; in a field it is text.
func TestHelpOnTheLoginScreen(t *testing.T) {
	srv := newFake(t)
	c := newClient(t, srv, "")
	h := newHarness(t, Options{Library: c, Auth: c, NeedLogin: true}, 80, 24)
	h.keys("?")
	wantScreen(t, h, "Log in", "log in: e-mail and password", "next region", "trust this device", "back, cancel", "quit")
	if strings.Contains(noStyle(h.m), "pause / resume") {
		t.Fatal("the login screen's help lists the player's keys")
	}
	h.keys("j", "G", "g", "esc") // esc closes the overlay, not the login screen
	if h.m.s.help.open || h.quit || h.screen() != "login" {
		t.Fatalf("esc: help open %v, quit %v, screen %s", h.m.s.help.open, h.quit, h.screen())
	}
	h.keys("2")
	h.typeText(testEmail)
	h.keys("tab")
	h.typeText("pw?")
	if h.m.s.help.open || h.m.s.login.password.String() != "pw?" {
		t.Fatalf("? in the password: help open %v", h.m.s.help.open)
	}
	h.keys("ctrl+u")
	h.typeText(testPass)
	h.keys("tab", "?") // the region row takes no text
	wantScreen(t, h, "previous region")
	h.keys("?", "shift+tab", "enter")
	if h.screen() != "main" || h.m.s.help.open {
		t.Fatalf("after logging in: screen %s, help open %v", h.screen(), h.m.s.help.open)
	}
	// A login that comes while the overlay is open (the other device
	// approved) closes it.
	h2 := newHarness(t, Options{Library: c, Auth: c, NeedLogin: true}, 80, 24)
	h2.keys("?")
	h2.send(loggedInMsg{info: api.UserInfo{Email: testEmail}})
	if h2.screen() != "main" || h2.m.s.help.open {
		t.Fatalf("logged in behind the overlay: screen %s, help open %v", h2.screen(), h2.m.s.help.open)
	}
}

func TestMovementKeys(t *testing.T) {
	lib := staticLib{0: bigFolder(100)}
	h := newHarness(t, Options{Library: lib}, 80, 24) // 20 rows
	page := h.m.s.listHeight() - 1
	cases := []struct {
		key  string
		want int
	}{
		{"down", 1}, {"j", 2}, {"up", 1}, {"k", 0}, {"k", 0},
		{"pgdown", page}, {"ctrl+f", 2 * page}, {"pgup", page}, {"ctrl+b", 0},
		{"G", 99}, {"j", 99}, {"g", 0}, {"end", 99}, {"home", 0},
	}
	l := &h.m.s.folders().cur().list
	for _, c := range cases {
		h.keys(c.key)
		if l.cursor != c.want {
			t.Fatalf("after %s the cursor is %d, want %d", c.key, l.cursor, c.want)
		}
	}
	// The cursor row is always on screen.
	h.keys("G")
	wantScreen(t, h, "› ")
	wantCalls(t, h.p)
}

func TestKeysStillWorkWhileLoading(t *testing.T) {
	lib := &slowLib{release: make(chan struct{})}
	p := newRecPlayer()
	m := New(Options{Library: lib, Player: p})
	deferWaits(m)
	t.Cleanup(m.Close)
	m.Update(tea_ws(80, 24))
	// Init's listing blocks in the library; Update must not.
	cmd := m.Init()
	done := make(chan struct{})
	go func() { defer close(done); runAll(cmd) }()
	nm, _ := m.Update(press("j"))
	nm, toggle := nm.Update(press("space"))
	if got := p.take(); len(got) != 0 {
		t.Fatalf("Update called the player itself: %q", got)
	}
	runAll(toggle)
	_, q := nm.Update(press("q"))
	if q == nil {
		t.Fatal("q gave no command while loading")
	}
	if got := p.take(); !slices.Equal(got, []string{"Toggle"}) {
		t.Fatalf("calls %q", got)
	}
	if !strings.Contains(noStyle(m), "Loading") && !m.s.quitting {
		t.Fatal("no loading state")
	}
	close(lib.release)
	<-done
}

// TestViewChangesNothing: the scroll offsets are settled by Update, so a
// View shows the cursor and leaves the model as it was.
func TestViewChangesNothing(t *testing.T) {
	lib := staticLib{0: bigFolder(100)}
	h := newHarness(t, Options{Library: lib}, 40, 12)
	l := &h.m.s.folders().cur().list
	snap := func() [3]int { return [3]int{l.cursor, l.offset, h.m.s.help.offset} }
	for _, step := range [][]string{{"G"}, {"k", "k"}, {"g"}, {"pgdown", "pgdown"}, {"/", "7"}, {"esc"}, {"?", "j", "j", "j"}, {"G", "G", "G", "G", "G"}, {"esc"}} {
		h.keys(step...)
		before := snap()
		v1 := plainView(h.m)
		if after := snap(); after != before {
			t.Fatalf("after %q View moved cursor/offset/help offset from %v to %v", step, before, after)
		}
		if v2 := plainView(h.m); v2 != v1 {
			t.Fatalf("after %q two Views differ", step)
		}
		if !h.m.s.help.open && !strings.Contains(v1, "› ") {
			t.Fatalf("after %q the cursor is off screen:\n%s", step, v1)
		}
	}
}
