package engine

import (
	"bytes"
	"encoding/json"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/pcplay/pcplay/player"
)

// The queue on the wire: pages of about queuePageBytes of JSON, encoded
// one at a time into a pooled buffer and written as they are made. Every
// connection sends from the engine's one copy of the latest queue
// (queueSnapshot; its strings are the player's), and remembers only the
// generation and length it sent: no copy a client.

// queuePageBytes is the size a page of the queue is cut at (a page holds
// at least one track, however long).
const queuePageBytes = 64 << 10

// queueSnap is the queue as the engine took it for generation gen.
type queueSnap struct {
	gen    uint64
	tracks []player.Track
	// grewFrom are the earlier generations (up to maxGrewFrom) whose
	// queues this one only added tracks to, with their lengths: a client
	// sent one of them gets the added tracks alone.
	grewFrom map[uint64]int
}

// maxGrewFrom bounds queueSnap.grewFrom.
const maxGrewFrom = 256

// sentQueue is the queue a connection sent last: its generation and
// length (not the tracks: a connection holds no copy of the queue).
type sentQueue struct {
	gen uint64
	n   int
	ok  bool
}

// queueSnapshot is the player's queue and the generation it is labelled
// with: the engine keeps the latest one, and every connection sends from
// it while the generation is the same (it is read, never changed). The
// generation is read before the queue: a queue that changed in between is
// newer than its label, and the status with the newer generation has it
// sent again. Both are read under s.qmu, so a label is never given to two
// different queues.
func (s *server) queueSnapshot() *queueSnap {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	gen := s.p.Status().QueueGen
	prev := s.qlast
	if prev != nil && prev.gen == gen {
		return prev
	}
	q := &queueSnap{gen: gen, tracks: s.p.Queue()}
	if prev != nil && prev.gen != 0 && len(prev.tracks) > 0 && grew(prev.tracks, q.tracks) {
		q.grewFrom = make(map[uint64]int, min(len(prev.grewFrom), maxGrewFrom)+1)
		if len(prev.grewFrom) < maxGrewFrom {
			maps.Copy(q.grewFrom, prev.grewFrom)
		}
		q.grewFrom[prev.gen] = len(prev.tracks)
	}
	s.qlast = q
	return q
}

// pagePool holds the buffers pages are encoded into.
var pagePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// sendQueue sends the current queue in pages, after last, the queue last
// sent on this connection: when the queue only grew at its end since,
// only the new tracks go. It returns what it sent (ok false when the
// connection failed).
func (c *conn) sendQueue(last sentQueue) sentQueue {
	q := c.s.queueSnapshot()
	from := 0
	var base uint64
	if last.ok && last.gen != 0 && last.n > 0 {
		if n, ok := q.grewFrom[last.gen]; ok && n == last.n || q.gen == last.gen {
			from, base = last.n, last.gen
		}
	}
	buf := pagePool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 4*queuePageBytes { // one huge track's buffer is not kept
			buf.Reset()
			pagePool.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	total := len(q.tracks)
	for {
		buf.Reset()
		buf.WriteString(`{"queue":{"gen":`)
		buf.WriteString(strconv.FormatUint(q.gen, 10))
		if base != 0 {
			buf.WriteString(`,"base":`)
			buf.WriteString(strconv.FormatUint(base, 10))
			base = 0 // on the first page only
		}
		buf.WriteString(`,"total":`)
		buf.WriteString(strconv.Itoa(total))
		buf.WriteString(`,"from":`)
		buf.WriteString(strconv.Itoa(from))
		buf.WriteString(`,"tracks":[`)
		n := from
		for n < total && (n == from || buf.Len() < queuePageBytes) {
			if n > from {
				buf.WriteByte(',')
			}
			if err := enc.Encode(q.tracks[n]); err != nil {
				c.s.log.Error("queue not sent", "err", err)
				return sentQueue{}
			}
			buf.Truncate(buf.Len() - 1) // Encode's newline
			n++
		}
		buf.WriteString("]}}\n")
		if buf.Len() > MaxServerLine {
			c.s.log.Error("queue not sent: a track is over the line limit", "index", from, "bytes", buf.Len())
			return sentQueue{}
		}
		c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
		if _, err := c.nc.Write(buf.Bytes()); err != nil {
			c.s.log.Info("client write", "err", err)
			return sentQueue{}
		}
		from = n
		if from >= total {
			return sentQueue{gen: q.gen, n: total, ok: true}
		}
	}
}

// grew reports whether now is was with tracks added at its end. The
// tracks of a queue share their strings with the queue they were copied
// from, so comparing them is mostly comparing pointers.
func grew(was, now []player.Track) bool {
	if len(now) < len(was) {
		return false
	}
	for i := range was {
		if was[i] != now[i] {
			return false
		}
	}
	return true
}

// queueBuild is a queue whose pages are coming.
type queueBuild struct {
	gen    uint64
	total  int
	tracks []player.Track
}

// maxQueuePrealloc bounds the room made for a queue before its tracks come.
const maxQueuePrealloc = 1 << 18

// applyQueue takes one page of the queue; c.mu is held. The queue changes
// only when the last page of a generation has come, all at once; a page
// out of order (never sent by an engine) drops the pages gathered.
func (c *Client) applyQueue(m *queueMsg) {
	switch {
	case m.From == 0:
		c.building = &queueBuild{gen: m.Gen, total: max(m.Total, 0)}
		if len(m.Tracks) < m.Total {
			c.building.tracks = make([]player.Track, 0, min(m.Total, maxQueuePrealloc))
		}
	case m.Base != 0:
		// The queue of generation Base, and more. Appending may write
		// past c.q's end in its array, never into c.q.
		if m.Base != c.qgen || len(c.q) != m.From {
			c.building = nil
			return
		}
		c.building = &queueBuild{gen: m.Gen, total: m.Total, tracks: c.q[:m.From]}
	case c.building == nil || c.building.gen != m.Gen || len(c.building.tracks) != m.From:
		c.building = nil
		return
	}
	b := c.building
	if b.tracks == nil {
		b.tracks = m.Tracks // the whole queue in one page
	} else {
		b.tracks = append(b.tracks, m.Tracks...)
	}
	switch {
	case len(b.tracks) == b.total:
		c.q, c.qgen, c.building = b.tracks, b.gen, nil
		if c.q == nil {
			c.q = []player.Track{}
		}
	case len(b.tracks) > b.total:
		c.building = nil
	}
}
