package player

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pcplay/pcplay/api"
)

// loop is the player's goroutine: it follows the mixer through track changes,
// preloads the next track, and publishes events.
func (p *Player) loop() {
	defer close(p.done)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-p.wake:
		case <-t.C:
		}
		p.mu.Lock()
		var closing []*source
		p.sync(&closing)
		p.slowLink(&closing)
		p.preload(&closing)
		p.noteDurationLocked()
		st := p.statusLocked()
		p.mu.Unlock()
		closeAll(closing)
		p.publish(st)

		// While playing, wake for the next whole second of position (and to
		// check on preloading); otherwise sleep until poked.
		d := time.Hour
		if st.State != Stopped && st.State != Paused && st.State != Errored {
			d = time.Second - st.Position%time.Second + 5*time.Millisecond
			d = max(20*time.Millisecond, min(time.Second, d))
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(d)
	}
}

// sync brings the player's view in line with the mixer's (which moves on by
// itself when a track ends) and handles ended tracks. Under p.mu.
func (p *Player) sync(closing *[]*source) {
	for {
		rc, ended := p.mix.take()
		last := p.endedLocked(ended, closing)
		switch {
		case rc == p.cur:
			return
		case rc != nil && rc == p.nxt:
			// The mixer moved on to the preloaded follower.
			p.cur, p.nxt = rc, nil
			p.curID = rc.entry
			p.errored = false
		case rc == nil:
			if !p.ranOutLocked(last, closing) {
				return
			}
		default:
			// rc is something we did not hand over; adopt it.
			p.cur = rc
			p.curID = rc.entry
		}
	}
}

// endedLocked closes the sources the mixer ran out of and notes the failed
// ones; it returns the most recent (nil when none). Under p.mu.
func (p *Player) endedLocked(ended []*source, closing *[]*source) (last *source) {
	for _, s := range ended {
		*closing = append(*closing, s)
		if isFailed(s) {
			p.failed(s)
		} else {
			p.failRun = 0
		}
		last = s
	}
	return last
}

// ranOutLocked handles the mixer running out with nothing (playable)
// preloaded, last being the source it ran out of: it starts the follower in
// play order (true) or stops (false). Under p.mu.
func (p *Player) ranOutLocked(last *source, closing *[]*source) bool {
	if last == nil {
		last = p.cur
	}
	*closing = append(*closing, p.cur, p.nxt)
	p.cur, p.nxt = nil, nil
	lastID, wasFailed := p.curID, false
	if last != nil {
		lastID, wasFailed = last.entry, isFailed(last)
	}
	p.curID = lastID
	// A failed track is not repeated by repeat one. After an account
	// error no other track would play: stop once.
	next := p.q.follow(lastID, !wasFailed)
	if next != 0 && p.failRun < len(p.q.items) && !(wasFailed && IsAccountError(last.ts.Err())) {
		p.startLocked(next, 0, closing)
		return true
	}
	p.errored = wasFailed
	if !wasFailed && next == 0 {
		// End of the queue: the cursor goes back to the first track.
		if ord := p.q.order(); len(ord) > 0 {
			p.curID = ord[0]
		}
	}
	// Suspend once what was pulled has been heard.
	time.AfterFunc(p.out.Latency()+50*time.Millisecond, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.cur == nil && !p.closed {
			p.out.SetPaused(true)
		}
	})
	return false
}

func isFailed(s *source) bool {
	return s.ts.Status() == TrackFailed || s.ts.Err() != nil
}

func (p *Player) failed(s *source) {
	p.failRun++
	name := s.track.Title
	if name == "" {
		name = s.track.Name
	}
	err := s.ts.Err()
	if err == nil {
		err = errors.New("the stream failed")
	}
	p.needLogin = IsAccountError(err)
	if p.needLogin {
		p.errMsg = err.Error() // the sentence that leads to the login
	} else {
		p.errMsg = fmt.Sprintf("Could not play %q: %s.", name, strings.TrimRight(trackWords(err), ". "))
	}
	p.log.Warn("track failed", "fileid", s.track.FileID, "err", err)
}

// trackWords is a track's failure in words: pCloud's answers by their
// sentence, not their code.
func trackWords(err error) string {
	var le *linkError
	if errors.As(err, &le) {
		return api.Sentence(le.err)
	}
	return err.Error()
}

// preload opens the follower of the current track when the current one is
// near its end or fully downloaded. Under p.mu.
func (p *Player) preload(closing *[]*source) {
	if p.cur == nil || p.paused {
		return
	}
	want := p.q.follow(p.curID, true)
	if p.nxt != nil {
		if p.nxt.entry == want && want != 0 {
			return
		}
		p.dropNext(closing)
		if p.nxt != nil { // the mixer took it meanwhile
			return
		}
	}
	if want == 0 {
		return
	}
	ts := p.cur.ts
	dur, pos := ts.Duration(), ts.Position()
	if !ts.Downloaded() && (dur <= 0 || dur-pos > p.cfg.PreloadAhead) {
		return
	}
	if ts.Status() == TrackFailed {
		return
	}
	t, _ := p.q.track(want)
	s := p.openSource(want, t, 0)
	p.mix.mu.Lock()
	ok := p.mix.cur == p.cur && p.mix.next == nil
	if ok {
		p.mix.next = s
	}
	p.mix.mu.Unlock()
	if !ok {
		*closing = append(*closing, s)
		p.poke()
		return
	}
	p.nxt = s
}

// dropNext takes the preloaded follower back from the mixer, unless the mixer
// already plays it. Under p.mu.
func (p *Player) dropNext(closing *[]*source) {
	if p.nxt == nil {
		return
	}
	p.mix.mu.Lock()
	took := p.mix.next != p.nxt
	if !took {
		p.mix.next = nil
	}
	p.mix.mu.Unlock()
	if took {
		p.sync(closing)
		return
	}
	*closing = append(*closing, p.nxt)
	p.nxt = nil
}

func (p *Player) openSource(id uint64, t Track, start time.Duration) *source {
	o := p.cfg.Stream
	o.Links = p.cfg.Links
	o.Bitrate = p.bitrate
	if o.HTTPClient == nil {
		o.HTTPClient = p.cfg.HTTPClient
	}
	if o.Logger == nil {
		o.Logger = p.log
	}
	o.OnChange = p.poke
	if o.hosts == nil {
		o.hosts = p.hosts
	}
	return newSource(id, t, p.open(t.FileID, start, o), p.out.SampleRate())
}

// startLocked plays entry id from start, replacing whatever plays. Under p.mu.
func (p *Player) startLocked(id uint64, start time.Duration, closing *[]*source) {
	t, ok := p.q.track(id)
	if !ok {
		return
	}
	p.cued = false
	s := p.openSource(id, t, start)
	p.mix.mu.Lock()
	p.mix.cutLocked()
	oldCur, oldNext := p.mix.cur, p.mix.next
	p.mix.cur, p.mix.next = s, nil
	p.mix.paused = false
	p.mix.mu.Unlock()
	*closing = append(*closing, oldCur, oldNext, p.cur, p.nxt)
	p.cur, p.nxt = s, nil
	p.curID = id
	p.errored = false
	p.needLogin = false
	p.paused = false
	p.out.SetPaused(false)
	p.changed()
}

// stopLocked stops playback; the cursor stays. Under p.mu.
func (p *Player) stopLocked(closing *[]*source) {
	p.mix.mu.Lock()
	p.mix.cutLocked()
	oldCur, oldNext := p.mix.cur, p.mix.next
	p.mix.cur, p.mix.next = nil, nil
	p.mix.mu.Unlock()
	*closing = append(*closing, oldCur, oldNext, p.cur, p.nxt)
	p.cur, p.nxt = nil, nil
	p.paused = false
	p.cued = false
	p.out.SetPaused(true)
}
