package ui

import (
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

// queueKeyMap is the keys of the queue pane.
type queueKeyMap struct {
	listKeyMap
	Play   key.Binding // play the track under the cursor
	Remove key.Binding
	Add    key.Binding // named in the empty queue's hint
}

func newQueueKeys(k KeyMap) queueKeyMap {
	return queueKeyMap{listKeyMap: newListKeys(k), Play: k.Open, Remove: k.Remove, Add: k.Add}
}

// queuePane is the player's queue as a list: it owns the copy of the queue
// the player last reported, the cursor and the filter.
type queuePane struct {
	e       *env
	keys    queueKeyMap
	tracks  []player.Track
	gen     uint64 // the QueueGen of tracks
	playing int    // index of the playing track, -1 for none
	list    list
}

func newQueuePane(e *env, k KeyMap) queuePane {
	return queuePane{e: e, keys: newQueueKeys(k), playing: -1}
}

// setStatus takes the player's Status, and the queue when it was read for it.
func (q *queuePane) setStatus(st player.Status, tracks []player.Track, fresh bool) {
	q.playing = st.Index
	if fresh {
		q.tracks = tracks
		q.gen = st.QueueGen
		q.list.setTexts(queueTexts(tracks))
	}
}

// updateKey handles a key of the queue pane; page is the rows of a page.
func (q *queuePane) updateKey(k tea.KeyPressMsg, page int) (cmd tea.Cmd, handled bool) {
	km := q.keys
	if km.update(k, &q.list, page) {
		return nil, true
	}
	i := q.list.selected()
	switch {
	case key.Matches(k, km.Play):
		if i < 0 {
			return nil, true
		}
		return q.e.player.call(func(p player.Controller) { p.PlayIndex(i) }), true
	case key.Matches(k, km.Remove):
		if i < 0 || !q.e.hasPlayer() {
			return nil, true
		}
		return tea.Batch(
			q.e.player.call(func(p player.Controller) { p.Remove(i) }),
			notice("Removed "+trackText(q.tracks[i])+" from the queue", false)), true
	}
	return nil, false
}

func queueTexts(q []player.Track) []string {
	out := make([]string, len(q))
	for i, t := range q {
		out[i] = trackText(t)
	}
	return out
}

// trackText is how a track reads: "artist – title" when tagged, else its
// file name.
func trackText(t player.Track) string {
	switch {
	case t.Title != "" && t.Artist != "":
		return t.Artist + " – " + t.Title
	case t.Title != "":
		return t.Title
	}
	return t.Name
}

// view draws the pane in w×h cells; narrow adds the tab hint.
func (q *queuePane) view(w, h int, focused, narrow bool, tab key.Binding, filter filterInput) []string {
	info := plural(len(q.tracks), "track")
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
		hint := fmt.Sprintf("  The queue is empty: %s plays, %s adds.", keyName(q.keys.Play), keyName(q.keys.Add))
		out = append(out, stDim.Render(fit(hint, w)))
	case q.list.Len() == 0:
		out = append(out, stDim.Render(fit("  nothing matches “"+q.list.filter+"”", w)))
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
	line := fit(fmt.Sprintf("%s%s%*d. %s", mark, pm, num, i+1, trackText(q.tracks[i])), w)
	switch {
	case cursor:
		return stCursor.Render(line)
	case playing:
		return stPlaying.Render(line)
	}
	return line
}
