package ui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

const (
	seekShort  = 5 * time.Second
	seekLong   = 30 * time.Second
	volumeStep = 5
)

// playKeyMap is the keys that drive playback, wherever the focus is.
type playKeyMap struct {
	Toggle                    key.Binding
	SeekBack, SeekFwd         key.Binding
	SeekBackLong, SeekFwdLong key.Binding
	Next, Prev                key.Binding
	VolUp, VolDown, Mute      key.Binding
	Shuffle, Repeat           key.Binding
	Sleep                     key.Binding
}

func newPlayKeys(k KeyMap) playKeyMap {
	return playKeyMap{
		Toggle: k.Toggle, SeekBack: k.SeekBack, SeekFwd: k.SeekFwd,
		SeekBackLong: k.SeekBackLong, SeekFwdLong: k.SeekFwdLong,
		Next: k.Next, Prev: k.Prev, VolUp: k.VolUp, VolDown: k.VolDown, Mute: k.Mute,
		Shuffle: k.Shuffle, Repeat: k.Repeat, Sleep: k.Sleep,
	}
}

// noticeMsg asks the status line to show a message for a while.
type noticeMsg struct {
	text  string
	isErr bool
}

// notice is the Cmd a component returns to show a message. The names in
// text are shown as the status line draws it (see shown).
func notice(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return noticeMsg{text, isErr} }
}

type clearMsg struct{ gen int }

// bitrateMsg is a bitrate picked in the picker.
type bitrateMsg struct{ kbps int }

// statusBar is the now-playing bar (two lines) and the status line under
// it. It owns the player's last Status, changed at once by the play keys
// (the next Status confirms), and the message of the status line.
type statusBar struct {
	e    *env
	keys playKeyMap
	hint string // the status line when there is no message

	st      player.Status
	lastErr string
	now     func() time.Time // time.Now; tests set a clock

	// The settings the play keys and the picker asked of the player, until
	// it reports them (see asked).
	volume  asked[int]
	muted   asked[bool]
	shuffle asked[bool]
	repeat  asked[player.Repeat]
	bitrate asked[int]
	sleepAt asked[time.Time] // zero: off

	msg    string
	msgErr bool
	msgGen int
	held   bool // msg stays until replaced (see hold)

	// notices are [Options.Notices] not yet shown for a whole timeout;
	// onNotice: msg is the first of them (see nextNotice).
	notices  []string
	onNotice bool

	engine    engineState // the background engine's, when attached to one
	leaveHint string      // the hint while no engine runs
}

func newStatusBar(e *env, k KeyMap) statusBar {
	quit := keyName(k.Quit) + " quit"
	if e.o.Detach {
		quit = keyName(k.Quit) + " leave (music keeps playing)"
	}
	hint := keyName(k.Help) + " help · " + keyName(k.Filter) + " filter · " + keyName(k.Tab) + " switch · "
	var notices []string
	for _, n := range e.o.Notices {
		if n != "" {
			notices = append(notices, n)
		}
	}
	return statusBar{
		e: e, keys: newPlayKeys(k), hint: hint + quit, leaveHint: hint + keyName(k.Quit) + " quit",
		st: player.Status{Index: -1}, now: time.Now, notices: notices,
	}
}

// hold puts a line in the status line until another replaces it (no
// timer): for a state that lasts, such as a lost engine.
func (b *statusBar) hold(text string, isErr bool) tea.Cmd {
	b.msg, b.msgErr, b.held, b.onNotice = text, isErr, true, false
	b.msgGen++
	return nil
}

// keyPressed clears a message on the next key (or its timer clears it,
// whichever comes first); a held one stays, and so does a notice (its
// timer only ends it).
func (b *statusBar) keyPressed() {
	if !b.held && !b.onNotice {
		b.msg, b.msgErr = "", false
		b.msgGen++
	}
}

// nextNotice shows the first notice when the status line has no other
// message, with the timer that ends it. The top model calls it after
// every message while the main screen is up, so a notice put off by a
// message comes back once that one is gone.
func (b *statusBar) nextNotice() tea.Cmd {
	if len(b.notices) == 0 || b.msg != "" {
		return nil
	}
	text := b.notices[0]
	if n := len(b.notices) - 1; n > 0 {
		text += fmt.Sprintf(" (+%d more)", n)
	}
	cmd := b.show(text, false)
	b.onNotice = true
	return cmd
}

// message is what the status line shows, as shown (its sentences carry
// names): the message, else the reason of a failed track while the player
// is in the error state (the message saying it times out; the reason
// stays while it lasts).
func (b *statusBar) message() (text string, isErr bool) {
	if b.msg != "" {
		return shown(b.msg), b.msgErr
	}
	if b.st.State == player.Errored && b.st.Err != "" {
		return shown(b.st.Err), true
	}
	if b.st.State == player.Waiting {
		return shown(waitingText(b.st)), true
	}
	return "", false
}

// waitingText is the status line while the player waits for pCloud: the
// countdown (the player reports once a second while it waits) and why.
func waitingText(st player.Status) string {
	s := "pCloud unreachable — retrying now"
	if n := int(st.RetryIn / time.Second); n > 0 {
		s = fmt.Sprintf("pCloud unreachable — retrying in %d s", n)
	}
	if st.Reason != "" {
		s += " · " + st.Reason
	}
	return s
}

// show puts a line in the status line and arms the timer that clears it.
func (b *statusBar) show(text string, isErr bool) tea.Cmd {
	b.msg, b.msgErr, b.held, b.onNotice = text, isErr, false, false
	b.msgGen++
	gen := b.msgGen
	return b.e.blocking("clear", tea.Tick(b.e.o.StatusTimeout, func(time.Time) tea.Msg { return clearMsg{gen} }))
}

// update handles the bar's own messages.
func (b *statusBar) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case noticeMsg:
		return b.show(msg.text, msg.isErr)
	case clearMsg:
		if msg.gen == b.msgGen {
			if b.onNotice { // shown for a whole timeout: done
				b.notices, b.onNotice = b.notices[1:], false
			}
			b.msg, b.msgErr = "", false
		}
	case bitrateMsg:
		b.st.Bitrate = msg.kbps
		b.bitrate.set(msg.kbps, b.now())
		return tea.Batch(
			b.e.player.call(func(p player.Controller) { p.SetBitrate(msg.kbps) }),
			b.show(fmt.Sprintf("Bitrate %d kbit/s (from the next track or seek)", msg.kbps), false))
	}
	return nil
}

// setStatus takes a Status from the player; a new error is shown.
func (b *statusBar) setStatus(st player.Status) tea.Cmd {
	now := b.now()
	b.volume.apply(&st.Volume, now)
	b.muted.apply(&st.Muted, now)
	b.shuffle.apply(&st.Shuffle, now)
	b.repeat.apply(&st.Repeat, now)
	b.bitrate.apply(&st.Bitrate, now)
	if b.sleepAt.apply(&st.SleepAt, now) {
		st.SleepIn = sleepIn(st.SleepAt, now)
	}
	b.st = st
	if st.Err == b.lastErr {
		return nil
	}
	b.lastErr = st.Err
	if st.Err == "" {
		return nil
	}
	return b.show(st.Err, true)
}

// updateKey handles a play key; handled is false for any other key.
func (b *statusBar) updateKey(k tea.KeyPressMsg) (cmd tea.Cmd, handled bool) {
	if !b.e.hasPlayer() {
		return nil, false
	}
	km, call, st := b.keys, b.e.player.call, &b.st
	switch {
	case key.Matches(k, km.Toggle):
		return call(player.Controller.Toggle), true
	case key.Matches(k, km.SeekBack):
		return b.seek(-seekShort), true
	case key.Matches(k, km.SeekFwd):
		return b.seek(seekShort), true
	case key.Matches(k, km.SeekBackLong):
		return b.seek(-seekLong), true
	case key.Matches(k, km.SeekFwdLong):
		return b.seek(seekLong), true
	case key.Matches(k, km.Next):
		return call(player.Controller.Next), true
	case key.Matches(k, km.Prev):
		return call(player.Controller.Prev), true
	case key.Matches(k, km.VolUp):
		return b.setVolume(min(100, st.Volume+volumeStep)), true
	case key.Matches(k, km.VolDown):
		return b.setVolume(max(0, st.Volume-volumeStep)), true
	case key.Matches(k, km.Mute):
		st.Muted = !st.Muted
		b.muted.set(st.Muted, b.now())
		word := "Muted"
		if !st.Muted {
			word = "Unmuted"
		}
		return tea.Batch(call(player.Controller.ToggleMute), b.show(word, false)), true
	case key.Matches(k, km.Shuffle):
		st.Shuffle = !st.Shuffle
		on := st.Shuffle
		b.shuffle.set(on, b.now())
		return tea.Batch(call(func(p player.Controller) { p.SetShuffle(on) }), b.show("Shuffle "+onOff(on), false)), true
	case key.Matches(k, km.Repeat):
		st.Repeat = (st.Repeat + 1) % 3
		r := st.Repeat
		b.repeat.set(r, b.now())
		return tea.Batch(call(func(p player.Controller) { p.SetRepeat(r) }), b.show("Repeat "+r.String(), false)), true
	case key.Matches(k, km.Sleep):
		return b.nextSleep(), true
	}
	return nil, false
}

func (b *statusBar) setVolume(v int) tea.Cmd {
	b.st.Volume = v
	b.volume.set(v, b.now())
	return b.e.player.call(func(p player.Controller) { p.SetVolume(v) })
}

// seek asks the player and shows the target at once; the next Status
// confirms it.
func (b *statusBar) seek(d time.Duration) tea.Cmd {
	cmd := b.e.player.call(func(p player.Controller) { p.SeekBy(d) })
	st := &b.st
	if st.Index < 0 {
		return cmd
	}
	pos := st.Position + d
	if st.Duration > 0 && pos > st.Duration {
		pos = st.Duration
	}
	st.Position = max(0, pos)
	return cmd
}

// askedFor is how long a setting asked of the player wins over the
// player's reports: the engine client's write deadline.
const askedFor = 2 * time.Second

// asked is a setting the UI asked of the player. The calls run in Cmds and
// the player's reports may lag behind them (or come out of order), so a
// Status read before the player took the call would put the old value back
// and the next key would step from there (three quick + would make 75, 75,
// 80). For askedFor after the key, the asked value wins over the reports.
type asked[T comparable] struct {
	v     T
	until time.Time
}

func (a *asked[T]) set(v T, now time.Time) { *a = asked[T]{v: v, until: now.Add(askedFor)} }

// apply puts the asked value into a reported one while it is fresh, and
// says whether it did.
func (a *asked[T]) apply(got *T, now time.Time) bool {
	if now.Before(a.until) {
		*got = a.v
		return true
	}
	return false
}
