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

// outage is the state of one request waiting for pCloud: its tries, the
// next one and the countdown's ticks.
type outage struct {
	kind     waitKind
	gen      uint64 // this wait's; answers and ticks of another are stale
	tries    int    // failed tries so far
	delay    time.Duration
	at       time.Time // the next try
	why      string    // the reason, in words
	inFlight bool      // the next try is under way
	tick     uint64    // the tick armed last; older ones are stale
	armed    bool      // a tick is pending
}

// waitKind says which of the browser's waits a tick is for.
type waitKind int

const (
	waitListing   waitKind = iota
	waitAdd                // browser_addwait.go
	waitPlaylists          // playlists_wait.go
	waitOpen               // an open playlist (playlists_wait.go)
	waitPicker             // the playlists offered by A (plpicker_wait.go)
	waitPlAdd              // a whole playlist to add (playlists_wait.go)
)

// listWait is a listing waiting for pCloud.
type listWait struct {
	outage
	id      uint64 // the folder asked for (pathID: the start path)
	f       *folder
	refresh bool
	show    []*folder // the breadcrumbs once listed; nil: f is shown already
	back    *folder   // the folder shown meanwhile, when show is set
}

// retryTickMsg is a tick of a wait's countdown.
type retryTickMsg struct {
	kind      waitKind
	gen, tick uint64
}

// again counts a try that failed with err, sets the next and arms the
// countdown to it.
func (o *outage) again(err error, e *env, now time.Time) tea.Cmd {
	o.inFlight = false
	o.tries++
	o.why = sentence(err)
	o.delay = retryDelay(o.tries, e.retryBase(), api.IsRateLimit(err))
	o.at = now.Add(o.delay)
	return o.arm(e, now)
}

// arm schedules the next tick of the countdown: at the next whole second
// left, or at the try.
func (o *outage) arm(e *env, now time.Time) tea.Cmd {
	rem := o.at.Sub(now)
	d := rem % time.Second
	if d <= 0 {
		d = min(rem, time.Second)
	}
	d = max(d, time.Millisecond)
	o.tick++
	o.armed = true
	msg := retryTickMsg{kind: o.kind, gen: o.gen, tick: o.tick}
	return e.blocking("retry", tea.Tick(d, func(time.Time) tea.Msg { return msg }))
}

// ticked takes a tick: again says the try is due; cmd is the next tick
// while it is not. A stale tick gives neither: its chain stops.
func (o *outage) ticked(msg retryTickMsg, now time.Time, e *env) (again bool, cmd tea.Cmd) {
	if msg.gen != o.gen || msg.tick != o.tick {
		return false, nil
	}
	o.armed = false
	if o.inFlight {
		return false, nil
	}
	if o.at.After(now) {
		return false, o.arm(e, now)
	}
	return true, nil
}

// trying marks the next try under way: a pending tick is stale now.
func (o *outage) trying() {
	o.inFlight, o.armed = true, false
	o.tick++
}

// text is the waiting line.
func (o *outage) text(now time.Time) string {
	s := "pCloud unreachable — retrying now"
	if rem := o.at.Sub(now); !o.inFlight && rem > 0 {
		s = fmt.Sprintf("pCloud unreachable — retrying in %d s", int((rem+time.Second-1)/time.Second))
	}
	if o.why != "" {
		s += " · " + o.why
	}
	return s
}

// retryBase is the first wait of the back-off.
func (e *env) retryBase() time.Duration {
	if e.o.RetryBase > 0 {
		return e.o.RetryBase
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
		w = &listWait{outage: outage{kind: waitListing, gen: b.waitGen}, id: msg.id, f: cur, refresh: msg.refresh}
		if cur.meta == nil && cur.from != nil {
			// Opening a folder: the one it was opened from stays shown.
			w.show, b.stack, w.back = b.stack, cur.from, cur.from[len(cur.from)-1]
		}
		b.wait = w
	}
	w.f.loading, w.f.err = false, ""
	return w.again(msg.err, b.e, b.now())
}

// onTick counts down, and tries again when a wait is over.
func (b *browser) onTick(msg retryTickMsg) tea.Cmd {
	switch msg.kind {
	case waitAdd:
		return b.onAddTick(msg)
	case waitListing:
	default:
		return nil
	}
	w := b.wait
	if w == nil {
		return nil // the wait ended: the chain stops here
	}
	again, cmd := w.ticked(msg, b.now(), b.e)
	if again {
		return b.retryNow()
	}
	return cmd
}

// retryNow makes the waiting listing's next try at once.
func (b *browser) retryNow() tea.Cmd {
	w := b.wait
	w.trying()
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

// endWait ends the wait that a listing answered, showing its folder when
// the person is still where it left them.
func (b *browser) endWait() {
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
