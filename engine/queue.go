package engine

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"
	"time"
	"weak"

	"github.com/pcplay/pcplay/player"
)

// The queue on the wire: pages of about queuePageBytes of JSON, encoded
// one at a time into a pooled buffer and written as they are made. Every
// connection that is sent the queue of a generation shares one copy of it
// (queueSnapshot), held while some connection still sends it or keeps it
// as the queue it last sent (to send only the tracks added since): in
// steady state one copy of the track list (its strings are the player's),
// not one a client.

// queuePageBytes is the size a page of the queue is cut at (a page holds
// at least one track, however long).
const queuePageBytes = 64 << 10

// queueSnap is the queue as the engine took it for generation gen.
type queueSnap struct {
	gen    uint64
	tracks []player.Track
}

// queueSnapshot is the player's queue and the generation it is labelled
// with. Every connection that asks while the generation is the same gets
// the same copy (it is read, never changed). The generation is read before
// the queue: a queue that changed in between is newer than its label, and
// the status with the newer generation has it sent again.
func (s *server) queueSnapshot() *queueSnap {
	gen := s.p.Status().QueueGen
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if q := s.qsnap.Value(); q != nil && q.gen == gen {
		return q
	}
	q := &queueSnap{gen: gen, tracks: s.p.Queue()}
	s.qsnap = weak.Make(q)
	return q
}

// pagePool holds the buffers pages are encoded into.
var pagePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// sendQueue sends the current queue in pages, after last, the queue last
// sent on this connection (nil: none): when the queue only grew at its end
// since, only the new tracks go. It returns the queue sent, or nil when
// the connection failed.
func (c *conn) sendQueue(last *queueSnap) *queueSnap {
	q := c.s.queueSnapshot()
	from := 0
	var base uint64
	if last != nil && last.gen != 0 && len(last.tracks) > 0 && grew(last.tracks, q.tracks) {
		from, base = len(last.tracks), last.gen
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
				return nil
			}
			buf.Truncate(buf.Len() - 1) // Encode's newline
			n++
		}
		buf.WriteString("]}}\n")
		if buf.Len() > MaxServerLine {
			c.s.log.Error("queue not sent: a track is over the line limit", "index", from, "bytes", buf.Len())
			return nil
		}
		c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
		if _, err := c.nc.Write(buf.Bytes()); err != nil {
			c.s.log.Info("client write", "err", err)
			return nil
		}
		from = n
		if from >= total {
			return q
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
