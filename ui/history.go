package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

// HistoryFeed is the listening history as a host keeps it (the host, and
// the engine's client, satisfy it).
type HistoryFeed interface {
	// History is the last n listens, newest first (it may wait on disk
	// or the engine: called in a Cmd).
	History(ctx context.Context, n int) ([]scrobble.Listen, error)
	// HistoryState is the count of listens recorded, and a channel
	// closed at the next.
	HistoryState() (uint64, <-chan struct{})
}

// historyEmpty is what view 6 says before the first listen.
const historyEmpty = "Nothing yet: a track over 30 s counts once half of it has played."

// historyKeyMap is the History view's keys beyond every view's.
type historyKeyMap struct {
	viewKeyMap
	PlayNext, Tab key.Binding
}

// historyView is view 6, History: what was listened to, newest first,
// each listen with its day and time; enter plays from there (the queue
// becoming the list), a adds, E plays next. It asks the history again
// at each listen the host records.
type historyView struct {
	e      *env
	keys   historyKeyMap
	filter filterInput
	l      list

	listens  []scrobble.Listen
	loaded   bool
	loading  bool
	err      string
	watching bool             // a watch Cmd is out
	now      func() time.Time // the clock of "today" and "yesterday"
}

func newHistoryView(e *env, k KeyMap, f filterInput) *historyView {
	return &historyView{e: e, keys: historyKeyMap{viewKeyMap: newViewKeys(k), PlayNext: k.PlayNext, Tab: k.Tab}, filter: f, now: time.Now}
}

// historyMsg is the history read (to: the view that asked).
type historyMsg struct {
	to      *historyView
	listens []scrobble.Listen
	err     error
}

// historyChangedMsg: a listen was recorded; next is closed at the one after.
type historyChangedMsg struct {
	to   *historyView
	next <-chan struct{}
}

func (v *historyView) keyMap() viewKeyMap { return v.keys.viewKeyMap }
func (v *historyView) list() *list        { return &v.l }
func (v *historyView) start() tea.Cmd     { return tea.Batch(v.read(), v.watch(nil)) }

// historyShown is how many listens view 6 shows (and reads again at each
// new one): the recent ones; `pcplay ctl history 5000` has them all.
const historyShown = 1000

// read asks for the history in a Cmd.
func (v *historyView) read() tea.Cmd {
	feed := v.e.o.History
	if feed == nil {
		v.loaded = true
		return nil
	}
	v.loading = true
	ctx := v.e.ctx
	return func() tea.Msg {
		ls, err := feed.History(ctx, historyShown)
		return historyMsg{to: v, listens: ls, err: err}
	}
}

// watch waits for the next listen recorded (re-armed after each, once).
func (v *historyView) watch(next <-chan struct{}) tea.Cmd {
	feed := v.e.o.History
	if feed == nil || (v.watching && next == nil) {
		return nil
	}
	v.watching = true
	ctx := v.e.ctx
	return v.e.blocking("history", func() tea.Msg {
		if next == nil {
			_, next = feed.HistoryState()
		} else {
			select {
			case <-next:
			case <-ctx.Done():
				return nil
			}
			_, next = feed.HistoryState()
		}
		if ctx.Err() != nil {
			return nil
		}
		return historyChangedMsg{to: v, next: next}
	})
}

func (v *historyView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case historyMsg:
		if msg.to != v {
			return nil
		}
		v.loaded, v.loading = true, false
		if msg.err != nil {
			v.err = sentence(msg.err)
			return nil
		}
		v.err = ""
		v.listens = msg.listens
		texts := make([]string, len(v.listens))
		ids := make([]string, len(v.listens))
		for i, l := range v.listens {
			texts[i], ids[i] = trackLabel(l.Track), l.Key()
		}
		// A new listen lands above: below the newest row the cursor stays
		// on its listen, on it, on the newest.
		top := v.l.cursor == 0
		v.l.setRows(texts, ids)
		if top {
			v.l.top()
		}
	case historyChangedMsg:
		if msg.to != v {
			return nil
		}
		v.watching = false
		// The first state only arms the watch (start reads already).
		cmd := v.watch(msg.next)
		if v.loaded {
			return tea.Batch(cmd, v.read())
		}
		return cmd
	}
	return nil
}

// tracks is the listens' tracks from i on (enter: the queue from there).
func (v *historyView) tracks(from int) []player.Track {
	out := make([]player.Track, 0, len(v.listens)-from)
	for _, l := range v.listens[from:] {
		out = append(out, l.Track)
	}
	return out
}

func (v *historyView) updateKey(k tea.KeyPressMsg, page int) (tea.Cmd, bool) {
	km := v.keys
	if km.update(k, &v.l, page) {
		return nil, true
	}
	i := v.l.selected()
	switch {
	case key.Matches(k, km.Refresh):
		return v.read(), true
	case i < 0 || i >= len(v.listens):
		return nil, matchesAny(k, km.Open, km.Add, km.PlayNext)
	case key.Matches(k, km.Open):
		ts := v.tracks(i)
		return v.e.player.call(func(p player.Controller) { p.Replace(ts, 0) }), true
	case key.Matches(k, km.Add):
		t := v.listens[i].Track
		return tea.Batch(v.e.player.call(func(p player.Controller) { p.Enqueue([]player.Track{t}) }),
			notice("Added "+trackLabel(t)+" to the queue", false)), true
	case key.Matches(k, km.PlayNext):
		t := v.listens[i].Track
		return tea.Batch(v.e.player.call(func(p player.Controller) { p.InsertNext([]player.Track{t}) }),
			notice(trackLabel(t)+" plays next", false)), true
	}
	return nil, false
}

// whenText is a listen's day and time as view 6 shows it: "today 14:03",
// "yesterday 21:40", "Mon 09:12" within the week, else "2026-11-02".
func whenText(at, now time.Time) string {
	at, now = at.Local(), now.Local()
	day := func(t time.Time) time.Time { y, m, d := t.Date(); return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }
	days := int(day(now).Sub(day(at)).Hours()/24 + 0.5)
	switch {
	case days == 0:
		return "today " + at.Format("15:04")
	case days == 1:
		return "yesterday " + at.Format("15:04")
	case days > 1 && days < 7:
		return at.Format("Mon 15:04")
	}
	return at.Format("2006-01-02")
}

func (v *historyView) view(w, h int, focused, narrow bool) []string {
	info := ""
	switch {
	case !v.loaded:
		info = "loading…"
	case v.l.filter != "":
		info = fmt.Sprintf("%d/%d", v.l.Len(), len(v.listens))
	default:
		info = plural(len(v.listens), "listen")
	}
	if narrow {
		info += "  " + keyName(v.keys.Tab) + ": queue"
	}
	out := paneTitle("History", info, &v.l, v.filter, w, focused)
	say := func(st func(...string) string, text string) {
		for _, l := range wrap(text, w-2) {
			out = append(out, st(fit("  "+l, w)))
		}
	}
	switch {
	case v.e.o.History == nil:
		say(stDim.Render, "No listening history here.")
	case v.err != "" && len(v.listens) == 0:
		say(stErr.Render, "✗ "+shown(v.err))
	case !v.loaded:
		say(stDim.Render, "Loading…")
	case len(v.listens) == 0:
		say(stDim.Render, historyEmpty)
	case v.l.Len() == 0:
		say(stDim.Render, "nothing matches “"+shown(v.l.filter)+"”")
	default:
		n := h - len(out)
		now := v.now()
		start := max(v.l.offset, v.l.cursor-n+1)
		for r := start; r < v.l.Len() && r < start+n; r++ {
			out = append(out, v.row(v.listens[v.l.At(r)], now, w, focused && r == v.l.cursor))
		}
	}
	return pad(out, w, h)
}

func (v *historyView) row(l scrobble.Listen, now time.Time, w int, cursor bool) string {
	mark := "  "
	if cursor {
		mark = "› "
	}
	line := leftRight(mark+v.e.trackIcon(l.Track.FileID)+trackLabel(l.Track), whenText(l.Started, now), w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case v.e.isPlaying(l.Track.FileID):
		return stPlaying.Render(line)
	}
	return line
}
