package ui

import (
	"fmt"
	"math/rand/v2"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api"
)

// The listings' outage policy, as the player's: a listing that fails
// because pCloud can't be reached (the network, HTTP 5xx, pCloud's 5xxx)
// or limits requests (4000) keeps the view as it was, says so in one line
// with a countdown, and tries again after a wait that doubles from
// Options.RetryBase (1 s) up to 60 of them, with jitter; 4xxx waits at
// least 60 of them. It loads by itself when pCloud answers; R tries at
// once; going to another folder ends the wait. The countdown is a chain
// of ticks, one a second, only while a listing waits.

// transient reports whether a listing that failed with err may work later
// without the person doing anything.
func transient(err error) bool {
	return api.IsRetryable(err) || api.IsRateLimit(err)
}

// retryDelay is the wait before try n+1 (n ≥ 1 failed tries): base·2^(n-1)
// capped at 60·base, three quarters to all of it; after a rate limit
// 60·base to 75·base.
func retryDelay(n int, base time.Duration, rateLimit bool) time.Duration {
	limit := 60 * base
	d := base << min(max(n-1, 0), 20)
	if d <= 0 || d > limit {
		d = limit
	}
	if rateLimit {
		return limit + rand.N(limit/4+1)
	}
	return d*3/4 + rand.N(d/4+1)
}

// listWait is a listing waiting for pCloud.
type listWait struct {
	id      uint64 // the folder asked for (pathID: the start path)
	f       *folder
	refresh bool
	show    []*folder // the breadcrumbs once listed; nil: f is shown already
	back    *folder   // the folder shown meanwhile, when show is set

	gen      uint64 // this wait's; listings and ticks of another are stale
	tries    int    // failed tries so far
	delay    time.Duration
	at       time.Time // the next try
	why      string    // the reason, in words
	inFlight bool      // the next try is under way
	tick     uint64    // the tick armed last; older ones are stale
	armed    bool      // a tick is pending
}

// retryTickMsg is a tick of a wait's countdown.
type retryTickMsg struct{ gen, tick uint64 }

// text is the waiting line.
func (w *listWait) text(now time.Time) string {
	s := "pCloud unreachable — retrying now"
	if rem := w.at.Sub(now); !w.inFlight && rem > 0 {
		s = fmt.Sprintf("pCloud unreachable — retrying in %d s", int((rem+time.Second-1)/time.Second))
	}
	if w.why != "" {
		s += " · " + w.why
	}
	return s
}

// retryBase is the first wait of the back-off.
func (b *browser) retryBase() time.Duration {
	if b.e.o.RetryBase > 0 {
		return b.e.o.RetryBase
	}
	return time.Second
}

// waitFor starts or goes on with the wait of a listing that failed
// because of pCloud or the network.
func (b *browser) waitFor(msg listingMsg) tea.Cmd {
	w := b.wait
	if msg.gen == 0 {
		cur := b.cur()
		if msg.id != pathID && cur.id != msg.id {
			return nil // a folder already left: nothing waits for it
		}
		b.cancelWait()
		w = &listWait{id: msg.id, f: cur, refresh: msg.refresh, gen: b.waitGen}
		if cur.meta == nil && cur.from != nil {
			// Opening a folder: the one it was opened from stays shown.
			w.show, b.stack, w.back = b.stack, cur.from, cur.from[len(cur.from)-1]
		}
		b.wait = w
	}
	w.f.loading, w.inFlight = false, false
	w.tries++
	w.why = sentence(msg.err)
	w.delay = retryDelay(w.tries, b.retryBase(), api.IsRateLimit(msg.err))
	w.at = b.now().Add(w.delay)
	return b.arm()
}

// arm schedules the next tick of the countdown: at the next whole second
// left, or at the try.
func (b *browser) arm() tea.Cmd {
	w := b.wait
	rem := w.at.Sub(b.now())
	d := rem % time.Second
	if d <= 0 {
		d = min(rem, time.Second)
	}
	d = max(d, time.Millisecond)
	w.tick++
	w.armed = true
	msg := retryTickMsg{gen: w.gen, tick: w.tick}
	return b.e.blocking("retry", tea.Tick(d, func(time.Time) tea.Msg { return msg }))
}

// onTick counts down, and tries again when the wait is over.
func (b *browser) onTick(msg retryTickMsg) tea.Cmd {
	w := b.wait
	if w == nil || msg.gen != w.gen || msg.tick != w.tick {
		return nil // a wait that ended: the chain stops here
	}
	w.armed = false
	if w.inFlight {
		return nil
	}
	if w.at.After(b.now()) {
		return b.arm()
	}
	return b.retryNow()
}

// retryNow makes the waiting listing's next try at once.
func (b *browser) retryNow() tea.Cmd {
	w := b.wait
	w.inFlight, w.armed = true, false
	w.tick++ // a pending tick is stale now
	w.f.loading = true
	if w.id == pathID {
		return b.listPath(w.f.path, w.gen)
	}
	return b.loadGen(w.id, w.refresh, w.gen)
}

// cancelWait ends the wait, if any: its late answers and ticks are stale.
func (b *browser) cancelWait() {
	b.waitGen++
	if b.wait != nil {
		b.wait.f.loading = false
		b.wait = nil
	}
}

// endWait ends the wait that msg answers, showing its folder when the
// person is still where it left them.
func (b *browser) endWait(msg listingMsg) {
	w := b.wait
	b.wait = nil
	if w.show != nil && b.cur() == w.back {
		b.stack = w.show
	}
}

// waitLine is the line the browser shows while cur's listing (or the one
// opened from cur) waits, else "".
func (b *browser) waitLine(cur *folder) string {
	w := b.wait
	if w == nil || (w.f != cur && w.back != cur) {
		return ""
	}
	return w.text(b.now())
}
