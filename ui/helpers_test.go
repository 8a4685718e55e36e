package ui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/player"
)

// recPlayer is a [player.Controller] that records the calls made on it.
type recPlayer struct {
	mu    sync.Mutex
	calls []string
	st    player.Status
	queue []player.Track
	ch    chan player.Status
}

func newRecPlayer() *recPlayer {
	return &recPlayer{st: player.Status{Index: -1, Volume: 70, Bitrate: 192}, ch: make(chan player.Status, 16)}
}

func (p *recPlayer) rec(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, fmt.Sprintf(format, a...))
}

// take returns the calls so far and forgets them.
func (p *recPlayer) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.calls
	p.calls = nil
	return c
}

func (p *recPlayer) Status() player.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

func (p *recPlayer) Queue() []player.Track {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]player.Track(nil), p.queue...)
}

func (p *recPlayer) Subscribe(ctx context.Context) <-chan player.Status { return p.ch }
func (p *recPlayer) Play()                                              { p.rec("Play") }
func (p *recPlayer) Pause()                                             { p.rec("Pause") }
func (p *recPlayer) Toggle()                                            { p.rec("Toggle") }
func (p *recPlayer) Stop()                                              { p.rec("Stop") }
func (p *recPlayer) Next()                                              { p.rec("Next") }
func (p *recPlayer) Prev()                                              { p.rec("Prev") }
func (p *recPlayer) PlayIndex(i int)                                    { p.rec("PlayIndex(%d)", i) }
func (p *recPlayer) Seek(to time.Duration)                              { p.rec("Seek(%v)", to) }
func (p *recPlayer) SeekBy(d time.Duration)                             { p.rec("SeekBy(%v)", d) }
func (p *recPlayer) SetVolume(v int)                                    { p.rec("SetVolume(%d)", v) }
func (p *recPlayer) ToggleMute()                                        { p.rec("ToggleMute") }
func (p *recPlayer) SetBitrate(k int)                                   { p.rec("SetBitrate(%d)", k) }
func (p *recPlayer) SetShuffle(on bool)                                 { p.rec("SetShuffle(%v)", on) }
func (p *recPlayer) SetRepeat(r player.Repeat)                          { p.rec("SetRepeat(%d)", r) }
func (p *recPlayer) SetSleep(d time.Duration)                           { p.rec("SetSleep(%v)", d) }
func (p *recPlayer) PlayNow(t []player.Track)                           { p.rec("PlayNow(%s)", names(t)) }
func (p *recPlayer) Enqueue(t []player.Track)                           { p.rec("Enqueue(%s)", names(t)) }
func (p *recPlayer) InsertNext(t []player.Track)                        { p.rec("InsertNext(%s)", names(t)) }
func (p *recPlayer) Remove(i int)                                       { p.rec("Remove(%d)", i) }
func (p *recPlayer) Move(from, to int)                                  { p.rec("Move(%d,%d)", from, to) }
func (p *recPlayer) Clear()                                             { p.rec("Clear") }
func (p *recPlayer) Undo()                                              { p.rec("Undo") }
func (p *recPlayer) Replace(t []player.Track, start int)                { p.rec("Replace(%s;%d)", names(t), start) }
func (p *recPlayer) Close() error                                       { p.rec("Close"); return nil }

func names(ts []player.Track) string {
	n := make([]string, len(ts))
	for i, t := range ts {
		n[i] = t.Name
	}
	return strings.Join(n, ",")
}

// deferredMsg is a Cmd that waits (a timer, a channel read), kept aside
// by the harness instead of run.
type deferredMsg struct {
	kind string
	cmd  tea.Cmd
}

// deferWaits makes m's waiting Cmds come back at once as a deferredMsg.
func deferWaits(m Model) {
	m.s.e.waits = func(kind string, c tea.Cmd) tea.Cmd {
		return func() tea.Msg { return deferredMsg{kind, c} }
	}
}

// harness drives a [Model] the way bubbletea would, running commands
// synchronously; blocking commands (timers, channel reads) are kept aside.
type harness struct {
	t        testing.TB
	m        Model
	p        *recPlayer
	deferred map[string]tea.Cmd
	quit     bool
}

func newHarness(t testing.TB, o Options, w, h int) *harness {
	t.Helper()
	if o.Player == nil {
		o.Player = newRecPlayer()
	}
	if o.StatusTimeout == 0 {
		o.StatusTimeout = 10 * time.Millisecond // fire("clear") waits this long
	}
	m := New(o)
	deferWaits(m)
	hs := &harness{t: t, m: m, deferred: map[string]tea.Cmd{}}
	if rp, ok := o.Player.(*recPlayer); ok {
		hs.p = rp
	}
	t.Cleanup(m.Close)
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case deferredMsg:
		h.deferred[msg.kind] = msg.cmd
	case tea.QuitMsg:
		h.quit = true
	default:
		h.send(msg)
	}
}

// fire runs a kept-aside blocking command (e.g. "clear", "status").
func (h *harness) fire(kind string) {
	h.t.Helper()
	c, ok := h.deferred[kind]
	if !ok {
		h.t.Fatalf("no pending %q command", kind)
	}
	delete(h.deferred, kind)
	h.run(c)
}

// status makes the player report st and delivers it.
func (h *harness) status(st player.Status, queue []player.Track) {
	h.t.Helper()
	h.p.mu.Lock()
	h.p.st = st
	if queue != nil {
		h.p.queue = queue
	}
	h.p.mu.Unlock()
	h.p.ch <- st
	h.fire("status")
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(press(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var special = map[string]rune{
	"enter": tea.KeyEnter, "tab": tea.KeyTab, "backspace": tea.KeyBackspace, "esc": tea.KeyEscape,
	"space": tea.KeySpace, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd, "delete": tea.KeyDelete,
}

// press builds the key message bubbletea sends for a key name.
func press(k string) tea.KeyPressMsg {
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(k, "ctrl+"):
			mod |= tea.ModCtrl
			k = k[5:]
			continue
		case strings.HasPrefix(k, "shift+"):
			mod |= tea.ModShift
			k = k[6:]
			continue
		case strings.HasPrefix(k, "alt+"):
			mod |= tea.ModAlt
			k = k[4:]
			continue
		}
		break
	}
	if c, ok := special[k]; ok {
		msg := tea.KeyPressMsg{Code: c, Mod: mod}
		if c == tea.KeySpace && mod == 0 {
			msg.Text = " "
		}
		return msg
	}
	r := []rune(k)[0]
	msg := tea.KeyPressMsg{Code: r, Mod: mod}
	if mod == 0 {
		msg.Text = k
	}
	if r >= 'A' && r <= 'Z' {
		msg.Code = r + 'a' - 'A'
		msg.ShiftedCode = r
		msg.Mod |= tea.ModShift
		msg.Text = k
	}
	return msg
}

// plainView renders the view as a terminal without colours shows it.
func plainView(m Model) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	_, _ = w.WriteString(m.View().Content)
	return b.String()
}

// noStyle strips every escape sequence.
func noStyle(m Model) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = w.WriteString(m.View().Content)
	return b.String()
}

// ---- a fake library over real HTTP ----

var mp3Stub = map[int][]byte{128: bytes.Repeat([]byte{0xff, 0xfb, 0x90, 0x64}, 256)}

func song(name, artist, title string) *pcloudtest.Node {
	return pcloudtest.AudioFile(name, mp3Stub, pcloudtest.Tags{Artist: artist, Title: title})
}

func testTree() *pcloudtest.Node {
	return pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			pcloudtest.Dir("Abbey Road",
				song("01 Come Together.mp3", "The Beatles", "Come Together"),
				song("02 Something.mp3", "The Beatles", "Something"),
				song("10 Octopus's Garden.mp3", "", ""),
				pcloudtest.OtherFile("cover.jpg", 1, 123456),
				song("03 Maxwell.mp3", "The Beatles", "Maxwell's Silver Hammer"),
			),
			pcloudtest.Dir("Empty"),
			pcloudtest.Dir("Live",
				pcloudtest.Dir("1969", song("a.mp3", "X", "A")),
				song("b.mp3", "Y", "B"),
			),
			song("loose.mp3", "Solo", "Loose"),
			pcloudtest.VideoFile("concert.mp4", mp3Stub),
			pcloudtest.OtherFile("notes.pdf", 4, 2048),
		),
		pcloudtest.OtherFile("readme.txt", 0, 12),
	)
}

const (
	testEmail = "ann@example.com"
	testPass  = "correct horse"
)

func newFake(t testing.TB, accounts ...pcloudtest.Account) *pcloudtest.Server {
	t.Helper()
	if len(accounts) == 0 {
		accounts = []pcloudtest.Account{{Email: testEmail, Password: testPass}}
	}
	srv := pcloudtest.NewServer(pcloudtest.Options{Accounts: accounts, Root: testTree()})
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t testing.TB, srv *pcloudtest.Server, token string) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: token, TokenKind: api.TokenAuth, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browse builds a harness browsing the fake as a logged-in user.
func browse(t testing.TB, w, h int, o Options) (*harness, *pcloudtest.Server) {
	t.Helper()
	srv := newFake(t)
	o.Library = newClient(t, srv, srv.Token(testEmail))
	return newHarness(t, o, w, h), srv
}

// slowLib is a [Library] whose listings wait for release.
type slowLib struct{ release chan struct{} }

func (l *slowLib) ListFolder(ctx context.Context, id uint64, recursive bool) (*api.Metadata, error) {
	select {
	case <-l.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &api.Metadata{Name: "/", IsFolder: true, FolderID: id}, nil
}

func tea_ws(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// runAll runs a command tree and drops the messages.
func runAll(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if b, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range b {
			runAll(c)
		}
	}
}

// screen names the screen shown: "login", "tfa" or "main".
func (h *harness) screen() string {
	switch {
	case h.m.s.screen == screenMain:
		return "main"
	case h.m.s.login.stage == stageTFA:
		return "tfa"
	}
	return "login"
}
