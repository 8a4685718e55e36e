package player

import (
	"math/rand/v2"
	"slices"
)

// entry is one queue slot. The id tells apart two entries of the same file and
// survives moves, so the current track is known by its id, not its index.
type entry struct {
	id uint64
	t  Track
}

// queue holds the tracks in display order and, with shuffle on, a separate
// play order (a permutation of the entry ids). All methods run under
// Player.mu.
type queue struct {
	items   []entry
	lastID  uint64
	shuffle bool
	shuf    []uint64 // play order when shuffle is on
	repeat  Repeat
	rng     *rand.Rand
	undo    []queueSnap // for Undo, the latest last
}

func (q *queue) newEntries(tracks []Track) []entry {
	es := make([]entry, len(tracks))
	for i, t := range tracks {
		q.lastID++
		es[i] = entry{id: q.lastID, t: t}
	}
	return es
}

func (q *queue) indexOf(id uint64) int {
	if id == 0 {
		return -1
	}
	for i, e := range q.items {
		if e.id == id {
			return i
		}
	}
	return -1
}

func (q *queue) track(id uint64) (Track, bool) {
	if i := q.indexOf(id); i >= 0 {
		return q.items[i].t, true
	}
	return Track{}, false
}

func (q *queue) tracks() []Track {
	out := make([]Track, len(q.items))
	for i, e := range q.items {
		out[i] = e.t
	}
	return out
}

// order is the play order as entry ids.
func (q *queue) order() []uint64 {
	if q.shuffle {
		return q.shuf
	}
	ids := make([]uint64, len(q.items))
	for i, e := range q.items {
		ids[i] = e.id
	}
	return ids
}

// follow is the entry that plays after id: natural is true when a track ended
// by itself (repeat one plays it again), false for the user's "next". 0: none.
func (q *queue) follow(id uint64, natural bool) uint64 {
	if natural && q.repeat == RepeatOne && q.indexOf(id) >= 0 {
		return id
	}
	ord := q.order()
	if len(ord) == 0 {
		return 0
	}
	i := slices.Index(ord, id)
	if i < 0 {
		return ord[0]
	}
	if i+1 < len(ord) {
		return ord[i+1]
	}
	if q.repeat == RepeatAll {
		return ord[0]
	}
	return 0
}

// precede is the entry before id in play order (wrapping with repeat all). 0: none.
func (q *queue) precede(id uint64) uint64 {
	ord := q.order()
	i := slices.Index(ord, id)
	if i < 0 || len(ord) == 0 {
		return 0
	}
	if i > 0 {
		return ord[i-1]
	}
	if q.repeat == RepeatAll {
		return ord[len(ord)-1]
	}
	return 0
}

// insertAt puts es at display index i; with shuffle on they also enter the
// play order: right after cur when next is true, else at random later spots.
func (q *queue) insertAt(i int, es []entry, cur uint64, next bool) {
	i = max(0, min(i, len(q.items)))
	q.items = slices.Insert(q.items, i, es...)
	if !q.shuffle {
		return
	}
	at := slices.Index(q.shuf, cur) + 1 // 0 when no current
	if next {
		ids := make([]uint64, len(es))
		for k, e := range es {
			ids[k] = e.id
		}
		q.shuf = slices.Insert(q.shuf, at, ids...)
		return
	}
	for _, e := range es {
		j := at + q.rng.IntN(len(q.shuf)-at+1)
		q.shuf = slices.Insert(q.shuf, j, e.id)
	}
}

func (q *queue) remove(i int) entry {
	e := q.items[i]
	q.items = slices.Delete(q.items, i, i+1)
	if k := slices.Index(q.shuf, e.id); k >= 0 {
		q.shuf = slices.Delete(q.shuf, k, k+1)
	}
	return e
}

func (q *queue) move(from, to int) {
	e := q.items[from]
	q.items = slices.Delete(q.items, from, from+1)
	q.items = slices.Insert(q.items, to, e)
}

func (q *queue) clear() {
	q.items = nil
	q.shuf = nil
}

// setShuffle turns shuffle on (drawing a new play order that starts with cur)
// or off.
func (q *queue) setShuffle(on bool, cur uint64) {
	q.shuffle = on
	if !on {
		q.shuf = nil
		return
	}
	q.shuf = q.shuf[:0]
	if q.indexOf(cur) < 0 {
		cur = 0
	}
	rest := make([]uint64, 0, len(q.items))
	for _, e := range q.items {
		if e.id != cur {
			rest = append(rest, e.id)
		}
	}
	q.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	if cur != 0 {
		q.shuf = append(q.shuf, cur)
	}
	q.shuf = append(q.shuf, rest...)
}

// Entry is one entry of the queue as a remote sees it: its id, given by the
// player when the track entered the queue and kept through moves and undo
// (two entries of one file have two ids), and its track. Ids are never
// saved: a restored session gets new ones.
type Entry struct {
	ID    uint64
	Track Track
}

// QueueView is the queue with its entries' ids, in display order, as one
// snapshot: Gen is the Status.QueueGen it is at, Current the current
// entry's index and Next the index of the entry that plays after it by
// itself (its play order: shuffle and repeat count); -1 when none.
type QueueView struct {
	Entries []Entry
	Gen     uint64
	Current int
	Next    int
}

// View is the queue with its entries' ids (an MPD server's song ids).
func (p *Player) View() QueueView {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := QueueView{Entries: make([]Entry, len(p.q.items)), Gen: p.gen, Current: p.q.indexOf(p.curID), Next: -1}
	for i, e := range p.q.items {
		v.Entries[i] = Entry{ID: e.id, Track: e.t}
	}
	if v.Current >= 0 {
		v.Next = p.q.indexOf(p.q.follow(p.curID, true))
	}
	return v
}
