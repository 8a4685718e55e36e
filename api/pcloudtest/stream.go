package pcloudtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/mpeg"
)

type scanKey struct {
	fileID  uint64
	bitrate int
}

// streamPlan is what one stream request will be served, decided under s.mu.
type streamPlan struct {
	status   int
	text     string // body of an error status
	link     *link
	cut      int64 // 0 = none
	stall    int64 // -1 = none
	rate     int
	noLength bool
	end      int64 // EndStreamsAfter: close-delimited, closed after end bytes; 0 = none
	ranges   bool  // honour Range
}

func (s *Server) streamHandler(idx int, name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		logged := url.Values{}
		if q.Has("start") {
			logged.Set("start", q.Get("start"))
		}
		if rg := r.Header.Get("Range"); rg != "" {
			logged.Set("range", rg)
		}
		entry := Request{Time: s.now(), Host: name, Method: r.Method, Path: r.URL.Path, Params: logged}

		pl := s.plan(idx, r)
		if l := pl.link; l != nil {
			logged.Set("fileid", strconv.FormatUint(l.file.id, 10))
			if l.audio {
				logged.Set("served", strconv.Itoa(l.bitrate))
				if l.asked != "" {
					logged.Set("abitrate", l.asked)
				}
			}
		}
		if pl.status != 0 {
			entry.Status = pl.status
			s.record(entry)
			http.Error(w, pl.text, pl.status)
			return
		}
		l := pl.link
		body := l.data
		if !l.audio && l.data == nil {
			body = l.file.original()
		}
		ctype := l.file.contentType
		if l.ctype != "" {
			ctype = l.ctype // a thumbnail
		}
		if l.audio {
			ctype = "audio/mpeg"
			if q.Has("start") {
				sec, err := strconv.ParseFloat(q.Get("start"), 64)
				if err != nil || !(sec >= 0 && sec <= 1e7) { // NaN fails too
					entry.Status = http.StatusBadRequest
					s.record(entry)
					http.Error(w, "Invalid 'start'.", http.StatusBadRequest)
					return
				}
				if off := s.startOffset(l, int(sec)); off > 0 {
					body = body[off:]
				}
			}
		}
		status := http.StatusOK
		h := w.Header()
		h.Set("Content-Type", ctype)
		if pl.ranges {
			h.Set("Accept-Ranges", "bytes")
			if rg := r.Header.Get("Range"); rg != "" {
				from, to, ok, satisfiable := parseRange(rg, int64(len(body)))
				if ok && !satisfiable {
					h.Set("Content-Range", fmt.Sprintf("bytes */%d", len(body)))
					entry.Status = http.StatusRequestedRangeNotSatisfiable
					s.record(entry)
					http.Error(w, "Requested range not satisfiable.", entry.Status)
					return
				}
				if ok {
					h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to-1, len(body)))
					body = body[from:to]
					status = http.StatusPartialContent
				}
			}
		}
		if r.Method != http.MethodHead {
			s.takeOneShots(&pl)
		}
		switch {
		case pl.end > 0:
			// No length and no chunks: the body ends when the connection
			// closes (net/http closes it after this reply).
			h.Set("Transfer-Encoding", "identity")
		case !pl.noLength:
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		entry.Status = status
		s.record(entry)
		w.WriteHeader(status)
		rc := http.NewResponseController(w)
		if pl.noLength || pl.end > 0 {
			_ = rc.Flush() // headers out now: no Content-Length
		}
		if r.Method == http.MethodHead {
			return
		}
		s.send(w, r, rc, body, pl)
	})
}

// plan checks the host, the link and the fault switches, under s.mu.
func (s *Server) plan(idx int, r *http.Request) streamPlan {
	s.mu.Lock()
	defer s.mu.Unlock()
	pl := streamPlan{stall: -1}
	if st := s.hostStatus[idx]; st != 0 {
		pl.status, pl.text = st, http.StatusText(st)
		return pl
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		pl.status, pl.text = http.StatusMethodNotAllowed, "Method not allowed."
		return pl
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	l := s.links[id]
	if l == nil {
		pl.status, pl.text = http.StatusNotFound, "Not found."
		return pl
	}
	pl.link = l
	st := 0
	switch {
	case l.dead:
		st = s.deadStatus(l)
	case s.now().After(l.expires):
		st = http.StatusGone
	default:
		st = s.expireFirstUse(l) // ExpireNextLinks
	}
	if st != 0 {
		pl.status, pl.text = st, expiredText(st)
		return pl
	}
	if s.expireFirst && !l.used && !s.expiredFiles[l.file.id] {
		s.expiredFiles[l.file.id] = true
		l.dead = true
		pl.status, pl.text = http.StatusGone, "Your download expired"
		return pl
	}
	l.used = true
	pl.rate = s.rate
	pl.noLength = s.noLength
	pl.ranges = !s.refuseRange && (!l.audio || s.audioRange)
	pl.cut = s.cutAfter
	return pl
}

// takeOneShots gives a response that serves a body the one-shot faults
// (CutNextAfter, StallNextAfter, EndNextStreamsAfter) and EndStreamsAfter.
func (s *Server) takeOneShots(pl *streamPlan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pl.end = s.takeEnd()
	if s.cutNext > 0 {
		pl.cut = s.cutNext
		s.cutNext = 0
	}
	if s.stallNext >= 0 {
		pl.stall = s.stallNext
		s.stallNext = -1
	}
}

// startOffset is the offset of the first whole frame at or after sec seconds
// (len of the data past the end), 0 for sec 0.
func (s *Server) startOffset(l *link, sec int) int {
	if sec <= 0 {
		return 0
	}
	key := scanKey{l.file.id, l.bitrate}
	s.mu.Lock()
	st, ok := s.scans[key]
	s.mu.Unlock()
	if !ok {
		st = mpeg.Scan(l.data)
		s.mu.Lock()
		s.scans[key] = st
		s.mu.Unlock()
	}
	off := st.OffsetForSecond(sec)
	if off > len(l.data) {
		off = len(l.data)
	}
	return off
}

// send writes the body under the plan's faults.
func (s *Server) send(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, body []byte, pl streamPlan) {
	abort := false
	if pl.cut > 0 && pl.cut < int64(len(body)) {
		body = body[:pl.cut]
		abort = true
	}
	if pl.end > 0 && pl.end < int64(len(body)) {
		body = body[:pl.end] // then a clean close: the reply is close-delimited
	}
	stall := false
	if pl.stall >= 0 && pl.stall < int64(len(body)) {
		body = body[:pl.stall]
		stall = true
	}
	ctx := r.Context()
	start := time.Now()
	var sent int64
	for len(body) > 0 {
		chunk := 32 << 10
		if pl.rate > 0 {
			chunk = max(pl.rate/50, 1) // about 50 writes a second
		}
		chunk = min(chunk, len(body))
		if _, err := w.Write(body[:chunk]); err != nil {
			return
		}
		body = body[chunk:]
		sent += int64(chunk)
		if pl.rate > 0 {
			_ = rc.Flush()
			due := start.Add(time.Duration(float64(sent) / float64(pl.rate) * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return
				case <-s.closed:
					t.Stop()
					return
				}
			}
		}
	}
	if stall {
		_ = rc.Flush()
		s.waitClosed(ctx)
		panic(http.ErrAbortHandler)
	}
	if abort {
		_ = rc.Flush()
		panic(http.ErrAbortHandler) // the connection closes mid-body
	}
}

// parseRange parses a single "bytes=" range against size. ok is false when
// the header is not a single byte range (then it is ignored, like multiple
// ranges); satisfiable is false for a range outside the body. to is exclusive.
func parseRange(h string, size int64) (from, to int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" { // suffix: the last b bytes
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		return max(size-n, 0), size, true, true
	}
	f, err := strconv.ParseInt(a, 10, 64)
	if err != nil || f < 0 {
		return 0, 0, false, false
	}
	t := size - 1
	if b != "" {
		t, err = strconv.ParseInt(b, 10, 64)
		if err != nil || t < f {
			return 0, 0, false, false
		}
	}
	if f >= size {
		return 0, 0, true, false
	}
	return f, min(t+1, size), true, true
}
