package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
)

// queueKeyMap is the keys of the queue pane.
type queueKeyMap struct {
	listKeyMap
	Play             key.Binding // play the track under the cursor
	Remove           key.Binding
	Add              key.Binding // named in the empty queue's hint
	PlayNext         key.Binding // the entry plays next
	MoveDown, MoveUp key.Binding
	Jump             key.Binding // to the playing track; the cursor follows it again
	AddToPlaylist    key.Binding
	Undo             key.Binding // named in the notice of a removal
}

func newQueueKeys(k KeyMap) queueKeyMap {
	return queueKeyMap{
		listKeyMap: newListKeys(k), Play: k.Open, Remove: k.Remove, Add: k.Add,
		PlayNext: k.PlayNext, MoveDown: k.MoveDown, MoveUp: k.MoveUp, Jump: k.Jump,
		AddToPlaylist: k.AddToPlaylist, Undo: k.Undo,
	}
}

// queuePane is the player's queue as a list: it owns the copy of the queue
// the player last reported, the cursor and the filter. The cursor follows
// the playing track until the person moves it; Jump brings it back.
type queuePane struct {
	e       *env
	keys    queueKeyMap
	tracks  []player.Track
	gen     uint64 // the QueueGen of tracks
	playing int    // index of the playing track, -1 for none
	file    uint64 // the playing track's file
	follow  bool   // the cursor follows the playing track
	list    list
}

func newQueuePane(e *env, k KeyMap) queuePane {
	return queuePane{e: e, keys: newQueueKeys(k), playing: -1, follow: true}
}

// setStatus takes the player's Status, and the queue when it was read for it.
func (q *queuePane) setStatus(st player.Status, tracks []player.Track, fresh bool) {
	moved := q.playing != st.Index
	q.playing = st.Index
	if fresh && moved && st.Track.FileID != q.file {
		q.follow = true // a new list plays (enter in a view): follow it
	}
	q.file = st.Track.FileID
	if fresh {
		q.tracks = tracks
		q.gen = st.QueueGen
		q.list.setTexts(queueTexts(tracks))
	}
	if q.follow && q.playing >= 0 && (moved || fresh) {
		q.list.selectOrig(q.playing)
	}
}

// updateKey handles a key of the queue pane; page is the rows of a page.
func (q *queuePane) updateKey(k tea.KeyPressMsg, page int) (cmd tea.Cmd, handled bool) {
	km := q.keys
	if km.update(k, &q.list, page) {
		q.follow = false
		return nil, true
	}
	if key.Matches(k, km.Jump) {
		q.follow = true
		if q.playing >= 0 {
			q.list.selectOrig(q.playing)
		}
		return nil, true
	}
	i := q.list.selected()
	if i < 0 || i >= len(q.tracks) || !q.e.hasPlayer() {
		return nil, matchesAny(k, km.Play, km.Remove, km.PlayNext, km.MoveDown, km.MoveUp, km.AddToPlaylist)
	}
	switch {
	case key.Matches(k, km.Play):
		q.follow = true
		return q.e.player.call(func(p player.Controller) { p.PlayIndex(i) }), true
	case key.Matches(k, km.Remove):
		return tea.Batch(
			q.e.player.call(func(p player.Controller) { p.Remove(i) }),
			notice("Removed "+q.tracks[i].Label()+" from the queue ("+keyName(km.Undo)+" undoes)", false)), true
	case key.Matches(k, km.MoveDown):
		return q.move(i, i+1), true
	case key.Matches(k, km.MoveUp):
		return q.move(i, i-1), true
	case key.Matches(k, km.PlayNext):
		return q.playNext(i), true
	case key.Matches(k, km.AddToPlaylist):
		t := playlist.FromQueue(q.tracks[i])
		return func() tea.Msg {
			return pickPlaylistMsg{what: plTrackText(t), tracks: []playlist.Track{t}}
		}, true
	}
	return nil, false
}

// move moves entry i to to, the cursor with it. The copy of the queue
// changes at once, so that quick repeats step from the new place; the
// player's next report confirms it.
func (q *queuePane) move(i, to int) tea.Cmd {
	if q.list.filter != "" {
		return notice("Clear the filter (esc) to move tracks.", true)
	}
	if to < 0 || to >= len(q.tracks) {
		return nil
	}
	q.follow = false
	q.moveLocal(i, to)
	return q.e.player.call(func(p player.Controller) { p.Move(i, to) })
}

func (q *queuePane) moveLocal(i, to int) {
	t := q.tracks[i]
	q.tracks = slices.Insert(slices.Delete(slices.Clone(q.tracks), i, i+1), to, t)
	switch {
	case q.playing == i:
		q.playing = to
	case i < q.playing && to >= q.playing:
		q.playing--
	case i > q.playing && to <= q.playing && q.playing >= 0:
		q.playing++
	}
	q.list.setTexts(queueTexts(q.tracks))
	q.list.selectOrig(to)
}

// playNext moves entry i right after the playing track (E in the queue).
func (q *queuePane) playNext(i int) tea.Cmd {
	if q.playing < 0 || i == q.playing {
		return nil
	}
	to := q.playing + 1
	if i < q.playing {
		to = q.playing
	}
	if i == to {
		return notice(q.tracks[i].Label()+" plays next already", false)
	}
	name := q.tracks[i].Label()
	q.moveLocal(i, to)
	return tea.Batch(q.e.player.call(func(p player.Controller) { p.Move(i, to) }), notice(name+" plays next", false))
}

// queueTime is " · 1:02:03" when every track's length is known, " · 12:34+"
// when some are, else "".
func queueTime(ts []player.Track) string {
	var total time.Duration
	known := 0
	for _, t := range ts {
		if t.Duration > 0 {
			total += t.Duration
			known++
		}
	}
	switch {
	case known == 0:
		return ""
	case known < len(ts):
		return " · " + player.Clock(total) + "+"
	}
	return " · " + player.Clock(total)
}

func queueTexts(q []player.Track) []string {
	out := make([]string, len(q))
	for i, t := range q {
		out[i] = trackLabel(t)
	}
	return out
}

// view draws the pane in w×h cells; narrow adds the tab hint.
func (q *queuePane) view(w, h int, focused, narrow bool, tab key.Binding, filter filterInput) []string {
	info := plural(len(q.tracks), "track") + queueTime(q.tracks)
	if q.list.filter != "" {
		info = fmt.Sprintf("%d/%d", q.list.Len(), len(q.tracks))
	}
	if narrow {
		info += "  " + keyName(tab) + ": browser"
	}
	out := paneTitle("Queue", info, &q.list, filter, w, focused)
	rows := h - len(out)
	switch {
	case len(q.tracks) == 0:
		// A key stays with its verb when the hint wraps (no-break spaces).
		hint := fmt.Sprintf("The queue is empty: %s\u00a0plays, %s\u00a0adds.", keyName(q.keys.Play), keyName(q.keys.Add))
		for _, l := range wrap(hint, w-2) { // whole, on as many lines as it needs
			out = append(out, stDim.Render(fit("  "+l, w)))
		}
	case q.list.Len() == 0:
		out = append(out, stDim.Render(fit("  nothing matches “"+shown(q.list.filter)+"”", w)))
	default:
		num := len(strconv.Itoa(len(q.tracks)))
		for r := q.list.offset; r < q.list.Len() && r < q.list.offset+rows; r++ {
			out = append(out, q.row(r, num, w, focused && r == q.list.cursor))
		}
	}
	return pad(out, w, h)
}

func (q *queuePane) row(r, num, w int, cursor bool) string {
	i := q.list.At(r)
	mark := "  "
	if cursor {
		mark = "› "
	}
	playing := i == q.playing
	pm := "  "
	if playing {
		pm = "▶ "
	}
	line := fit(fmt.Sprintf("%s%s%*d. %s", mark, pm, num, i+1, trackLabel(q.tracks[i])), w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case playing:
		return stPlaying.Render(line)
	}
	return line
}
