package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// Config configures a Player. Links and Output are required.
type Config struct {
	Links  LinkSource
	Output Output
	// HTTPClient fetches the streams; nil: the stream client with connect,
	// TLS and response-header timeouts (a host that accepts and never
	// answers gives way to the next one) and no overall timeout.
	HTTPClient *http.Client
	Bitrate    int // kbit/s asked of getaudiolink; 0: defaults.Bitrate
	Volume     int // 0..100 as given: 0 is silent (config's default is defaults.Volume)
	Logger     *slog.Logger
	// Stream is passed to OpenTrack for every track; the player fills in
	// Links, Bitrate, HTTPClient (when unset, from Config.HTTPClient) and
	// OnChange.
	Stream StreamOptions
	// PreloadAhead: the next track is opened this long before the current
	// one ends (or as soon as the current one is fully downloaded), so the
	// change of track has no gap. Default 20 s.
	PreloadAhead time.Duration
}

// Defaults of the player's own (the shared ones are in internal/defaults).
const (
	DefaultPreloadAhead = 20 * time.Second
	// prevRestart: Prev restarts the current track when it has played longer.
	prevRestart = 3 * time.Second
)

// Player owns the queue and the playback and reports events. All methods are
// safe for concurrent use and never block on the network.
type Player struct {
	cfg  Config
	out  Output
	log  *slog.Logger
	open openFunc
	mix  *mixer
	hub  Hub

	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	closeOnce sync.Once

	mu       sync.Mutex
	q        queue
	curID    uint64  // entry playing or, when stopped, the one Play starts
	cur      *source // what the mixer plays (nil: stopped)
	nxt      *source // preloaded follower handed to the mixer
	paused   bool
	cued     bool          // stopped at cueAt of curID, shown as paused (Cue)
	cueAt    time.Duration // where Play starts a cued track
	volume   int
	muted    bool
	bitrate  int
	errMsg   string
	errored  bool // the last track failed and nothing plays
	failRun  int  // tracks failed in a row, to stop a queue of failures
	gen      uint64
	closed   bool
	lastSent Status
}

var _ Controller = (*Player)(nil)

// New makes a player and starts its output (suspended until something plays).
func New(cfg Config) (*Player, error) {
	return newPlayer(cfg, openReal)
}

func newPlayer(cfg Config, open openFunc) (*Player, error) {
	if cfg.Links == nil {
		return nil, errors.New("player: Config.Links is required")
	}
	if cfg.Output == nil {
		return nil, errors.New("player: Config.Output is required")
	}
	if cfg.Output.SampleRate() <= 0 {
		return nil, fmt.Errorf("player: output sample rate %d is not positive", cfg.Output.SampleRate())
	}
	if cfg.Bitrate == 0 {
		cfg.Bitrate = defaults.Bitrate
	}
	if !defaults.ValidBitrate(cfg.Bitrate) {
		return nil, fmt.Errorf("player: bitrate %d kbit/s is outside %d..%d", cfg.Bitrate, defaults.MinBitrate, defaults.MaxBitrate)
	}
	cfg.Volume = clampVolume(cfg.Volume)
	if cfg.PreloadAhead <= 0 {
		cfg.PreloadAhead = DefaultPreloadAhead
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p := &Player{
		cfg:     cfg,
		out:     cfg.Output,
		log:     cfg.Logger,
		open:    open,
		wake:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
		volume:  cfg.Volume,
		bitrate: cfg.Bitrate,
	}
	p.q.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	p.mix = newMixer(p.wake)
	p.mix.gain = gainFor(p.volume, false)
	p.out.SetPaused(true)
	if err := p.out.Start(p.mix); err != nil {
		return nil, fmt.Errorf("player: starting the audio output: %w", err)
	}
	p.lastSent = p.Status()
	go p.loop()
	return p, nil
}

// clampVolume brings v into defaults.MinVolume..MaxVolume.
func clampVolume(v int) int { return max(defaults.MinVolume, min(defaults.MaxVolume, v)) }

// gainFor maps a 0..100 volume to an amplitude factor on a logarithmic
// scale (as beep's effects.Volume with Base 2): 100 is unity, every 15 steps
// down halve the amplitude (−6 dB), 0 and mute are silent.
func gainFor(v int, muted bool) float64 {
	if muted || v <= 0 {
		return 0
	}
	return math.Pow(2, float64(v-defaults.MaxVolume)/15)
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

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
		p.preload(&closing)
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

func closeAll(ss []*source) {
	for _, s := range ss {
		if s != nil {
			s.close()
		}
	}
}

func (p *Player) publish(st Status) {
	p.mu.Lock()
	send := visible(p.lastSent, st)
	if send {
		p.lastSent = st
	}
	p.mu.Unlock()
	if send {
		p.hub.Publish(st)
	}
}

// sync brings the player's view in line with the mixer's (which moves on by
// itself when a track ends) and handles ended tracks. Under p.mu.
func (p *Player) sync(closing *[]*source) {
	for {
		// Read the mixer's current source and what it ran out of together:
		// the mixer sends to ended under r.mu.
		var ended []*source
		p.mix.mu.Lock()
		rc := p.mix.cur
	drain:
		for {
			select {
			case s := <-p.mix.ended:
				ended = append(ended, s)
			default:
				break drain
			}
		}
		p.mix.mu.Unlock()
		var last *source // the most recent source the mixer ran out of
		for _, s := range ended {
			*closing = append(*closing, s)
			if isFailed(s) {
				p.failed(s)
			} else {
				p.failRun = 0
			}
			last = s
		}
		if rc == p.cur {
			return
		}
		// The mixer moved on from p.cur.
		if rc != nil && rc == p.nxt {
			p.cur, p.nxt = rc, nil
			p.curID = rc.entry
			p.errored = false
			continue
		}
		if rc == nil {
			// Ran out with nothing (playable) preloaded.
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
			// A failed track is not repeated by repeat one.
			next := p.q.follow(lastID, !wasFailed)
			if next != 0 && p.failRun < len(p.q.items) {
				p.startLocked(next, 0, closing)
				continue
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
			return
		}
		// rc is something we did not hand over; adopt it.
		p.cur = rc
		p.curID = rc.entry
	}
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
	p.errMsg = fmt.Sprintf("Could not play %q: %s.", name, strings.TrimRight(err.Error(), ". "))
	p.log.Warn("track failed", "fileid", s.track.FileID, "err", err)
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
	oldCur, oldNext := p.mix.cur, p.mix.next
	p.mix.cur, p.mix.next = s, nil
	p.mix.paused = false
	p.mix.mu.Unlock()
	*closing = append(*closing, oldCur, oldNext, p.cur, p.nxt)
	p.cur, p.nxt = s, nil
	p.curID = id
	p.errored = false
	p.paused = false
	p.out.SetPaused(false)
	p.changed()
}

// stopLocked stops playback; the cursor stays. Under p.mu.
func (p *Player) stopLocked(closing *[]*source) {
	p.mix.mu.Lock()
	oldCur, oldNext := p.mix.cur, p.mix.next
	p.mix.cur, p.mix.next = nil, nil
	p.mix.mu.Unlock()
	*closing = append(*closing, oldCur, oldNext, p.cur, p.nxt)
	p.cur, p.nxt = nil, nil
	p.paused = false
	p.cued = false
	p.out.SetPaused(true)
}

// changed wakes the loop to publish. Under p.mu or not.
func (p *Player) changed() { p.poke() }

// do runs f under p.mu after syncing with the mixer, then closes what f
// replaced and wakes the loop.
func (p *Player) do(f func(closing *[]*source)) {
	var closing []*source
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.sync(&closing)
	f(&closing)
	p.mu.Unlock()
	closeAll(dedupe(closing))
	p.poke()
}

func dedupe(ss []*source) []*source {
	out := ss[:0]
	for i, s := range ss {
		if s == nil {
			continue
		}
		dup := false
		for _, o := range ss[:i] {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Status is the current snapshot.
func (p *Player) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statusLocked()
}

func (p *Player) positionLocked() time.Duration {
	if p.cur == nil {
		return 0
	}
	p.mix.mu.Lock()
	pend := p.cur.pending()
	p.mix.mu.Unlock()
	return max(0, p.cur.ts.Position()-pend)
}

func (p *Player) statusLocked() Status {
	st := Status{
		Index:    p.q.indexOf(p.curID),
		Volume:   p.volume,
		Muted:    p.muted,
		Shuffle:  p.q.shuffle,
		Repeat:   p.q.repeat,
		Bitrate:  p.bitrate,
		Err:      p.errMsg,
		QueueGen: p.gen,
	}
	if st.Index >= 0 {
		st.Track = p.q.items[st.Index].t
	}
	switch {
	case p.closed || p.cur == nil:
		st.State = Stopped
		if p.errored {
			st.State = Errored
		}
		if p.cued && st.Index >= 0 && !p.closed {
			st.State = Paused
			st.Position = p.cueAt
		}
	default:
		st.Position = p.positionLocked()
		st.Duration = p.cur.ts.Duration()
		switch p.cur.ts.Status() {
		case TrackConnecting:
			st.State = Loading
		case TrackBuffering:
			st.State = Buffering
		case TrackReconnecting:
			st.State = Reconnecting
		case TrackFailed:
			st.State = Errored
		default:
			st.State = Playing
		}
		if p.paused {
			st.State = Paused
		}
	}
	return st
}

// Queue is a copy of the queue in display order.
func (p *Player) Queue() []Track {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.q.tracks()
}

// Subscribe returns a channel of Status snapshots, latest wins; it receives
// the current one at once. It closes when ctx ends or the player closes.
func (p *Player) Subscribe(ctx context.Context) <-chan Status {
	p.mu.Lock()
	st := p.statusLocked()
	p.mu.Unlock()
	return p.hub.Subscribe(ctx, st)
}

// Play resumes when paused, or starts the current (else the first) track.
func (p *Player) Play() {
	p.do(func(c *[]*source) {
		if p.cur != nil {
			if p.paused {
				p.setPausedLocked(false)
			}
			return
		}
		id := p.curID
		if p.q.indexOf(id) < 0 {
			id = 0
			if ord := p.q.order(); len(ord) > 0 {
				id = ord[0]
			}
		}
		if id != 0 {
			p.errMsg = ""
			p.failRun = 0
			start := time.Duration(0)
			if p.cued && id == p.curID {
				start = p.cueAt.Truncate(time.Second)
			}
			p.startLocked(id, start, c)
		}
	})
}

func (p *Player) setPausedLocked(on bool) {
	if p.cur == nil || p.paused == on {
		return
	}
	p.paused = on
	p.mix.mu.Lock()
	p.mix.paused = on
	p.mix.mu.Unlock()
	p.out.SetPaused(on)
}

// Pause pauses; the output device is suspended.
func (p *Player) Pause() {
	p.do(func(*[]*source) { p.setPausedLocked(true) })
}

// Toggle pauses or resumes (starts when stopped).
func (p *Player) Toggle() {
	p.mu.Lock()
	playing := p.cur != nil && !p.paused
	p.mu.Unlock()
	if playing {
		p.Pause()
	} else {
		p.Play()
	}
}

// Stop stops playback; Play starts the current track again from its start.
func (p *Player) Stop() {
	p.do(func(c *[]*source) { p.stopLocked(c) })
}

// Next plays the next track in play order (stops after the last one unless
// repeat all).
func (p *Player) Next() {
	p.do(func(c *[]*source) {
		p.errMsg, p.failRun = "", 0
		next := p.q.follow(p.curID, false)
		if next == 0 {
			p.stopLocked(c)
			return
		}
		p.startLocked(next, 0, c)
	})
}

// Prev restarts the current track when it has played more than 3 s, else
// plays the previous one in play order.
func (p *Player) Prev() {
	p.do(func(c *[]*source) {
		p.errMsg, p.failRun = "", 0
		if p.cur != nil && p.positionLocked() > prevRestart {
			p.seekLocked(0, c)
			return
		}
		prev := p.q.precede(p.curID)
		if prev == 0 {
			prev = p.curID
		}
		if prev != 0 {
			p.startLocked(prev, 0, c)
		}
	})
}

// PlayIndex plays the track at display index i.
func (p *Player) PlayIndex(i int) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			p.errMsg = fmt.Sprintf("There is no track %d in the queue.", i+1)
			return
		}
		p.errMsg, p.failRun = "", 0
		p.startLocked(p.q.items[i].id, 0, c)
	})
}

// Seek jumps to to in the current track (past its end: the next track);
// nothing while stopped.
func (p *Player) Seek(to time.Duration) {
	p.do(func(c *[]*source) { p.seekLocked(to, c) })
}

// SeekBy jumps by d from the current position (or the pending seek target).
func (p *Player) SeekBy(d time.Duration) {
	p.do(func(c *[]*source) {
		if p.cued && p.cur == nil {
			p.seekLocked(p.cueAt+d, c)
			return
		}
		if p.cur == nil {
			return
		}
		p.seekLocked(p.positionLocked()+d, c)
	})
}

func (p *Player) seekLocked(to time.Duration, c *[]*source) {
	to = max(0, to)
	if p.cur == nil {
		if p.cued {
			p.cueAt = to // cued: move the cue point
		}
		return // stopped: nothing to seek in
	}
	if d := p.cur.ts.Duration(); d > 0 && to >= d {
		if next := p.q.follow(p.curID, false); next != 0 {
			p.startLocked(next, 0, c)
		} else {
			p.stopLocked(c)
		}
		return
	}
	p.mix.mu.Lock()
	if p.mix.cur == p.cur {
		p.cur.ts.Seek(to)
		p.cur.flush()
	}
	p.mix.mu.Unlock()
}

// SetVolume sets the volume, 0..100 on a logarithmic scale.
func (p *Player) SetVolume(v int) {
	p.do(func(*[]*source) {
		p.volume = clampVolume(v)
		p.setGainLocked()
	})
}

func (p *Player) setGainLocked() {
	g := gainFor(p.volume, p.muted)
	p.mix.mu.Lock()
	p.mix.gain = g
	p.mix.mu.Unlock()
}

// ToggleMute mutes or unmutes.
func (p *Player) ToggleMute() {
	p.do(func(*[]*source) {
		p.muted = !p.muted
		p.setGainLocked()
	})
}

// SetBitrate sets the bitrate asked of getaudiolink (defaults.MinBitrate..
// MaxBitrate); the current track reopens at its position with the new
// bitrate.
func (p *Player) SetBitrate(kbps int) {
	p.do(func(c *[]*source) {
		if !defaults.ValidBitrate(kbps) {
			p.errMsg = fmt.Sprintf("Bitrate %d kbit/s is outside %d..%d.", kbps, defaults.MinBitrate, defaults.MaxBitrate)
			return
		}
		if kbps == p.bitrate {
			return
		}
		p.bitrate = kbps
		if p.cur != nil {
			paused := p.paused
			pos := p.positionLocked().Truncate(time.Second)
			p.startLocked(p.curID, pos, c)
			if paused {
				p.setPausedLocked(true)
			}
		}
	})
}

// SetShuffle turns shuffle on (a new play order, keeping the current track)
// or off. The displayed queue keeps its order.
func (p *Player) SetShuffle(on bool) {
	p.do(func(c *[]*source) {
		p.q.setShuffle(on, p.curID)
		p.dropNext(c)
	})
}

// SetRepeat sets the repeat mode.
func (p *Player) SetRepeat(r Repeat) {
	p.do(func(c *[]*source) {
		if r < RepeatOff || r > RepeatOne {
			p.errMsg = fmt.Sprintf("Unknown repeat mode %d.", r)
			return
		}
		p.q.repeat = r
		p.dropNext(c)
	})
}

func (p *Player) queueChangedLocked(c *[]*source) {
	p.gen++
	if p.nxt != nil && p.nxt.entry != p.q.follow(p.curID, true) {
		p.dropNext(c)
	}
}

// PlayNow inserts tracks after the current one and starts the first.
func (p *Player) PlayNow(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		es := p.q.newEntries(tracks)
		p.q.insertAt(p.q.indexOf(p.curID)+1, es, p.curID, true)
		p.queueChangedLocked(c)
		p.errMsg, p.failRun = "", 0
		p.startLocked(es[0].id, 0, c)
	})
}

// Enqueue appends tracks to the queue.
func (p *Player) Enqueue(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		p.q.insertAt(len(p.q.items), p.q.newEntries(tracks), p.curID, false)
		p.queueChangedLocked(c)
	})
}

// InsertNext puts tracks right after the current one.
func (p *Player) InsertNext(tracks []Track) {
	if len(tracks) == 0 {
		return
	}
	p.do(func(c *[]*source) {
		p.q.insertAt(p.q.indexOf(p.curID)+1, p.q.newEntries(tracks), p.curID, true)
		p.queueChangedLocked(c)
	})
}

// Remove deletes the track at display index i; removing the playing track
// plays the one that followed it.
func (p *Player) Remove(i int) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			p.errMsg = fmt.Sprintf("There is no track %d in the queue.", i+1)
			return
		}
		id := p.q.items[i].id
		var follow uint64
		if id == p.curID {
			follow = p.q.follow(id, false)
		}
		p.q.remove(i)
		if id == p.curID {
			p.cued = false
			playing := p.cur != nil
			p.curID = follow
			if playing && follow != 0 {
				p.startLocked(follow, 0, c)
			} else if playing {
				p.stopLocked(c)
				p.curID = 0
				if ord := p.q.order(); len(ord) > 0 {
					p.curID = ord[0]
				}
			}
		}
		p.queueChangedLocked(c)
	})
}

// Move moves the track at display index from to index to.
func (p *Player) Move(from, to int) {
	p.do(func(c *[]*source) {
		n := len(p.q.items)
		if from < 0 || from >= n || to < 0 || to >= n {
			p.errMsg = fmt.Sprintf("Cannot move track %d to %d: the queue has %d tracks.", from+1, to+1, n)
			return
		}
		if from == to {
			return
		}
		p.q.move(from, to)
		p.queueChangedLocked(c)
	})
}

// Clear empties the queue and stops.
func (p *Player) Clear() {
	p.do(func(c *[]*source) {
		p.stopLocked(c)
		p.q.clear()
		p.curID = 0
		p.errored = false
		p.gen++
	})
}

// Cue makes the track at display index i current, paused at at, without
// opening its stream: Play (or Toggle) starts it there. It restores a saved
// session. Seeks while cued move the cue point.
func (p *Player) Cue(i int, at time.Duration) {
	p.do(func(c *[]*source) {
		if i < 0 || i >= len(p.q.items) {
			return
		}
		p.stopLocked(c)
		p.curID = p.q.items[i].id
		p.cueAt = max(0, at)
		p.cued = true
		p.errMsg, p.errored = "", false
	})
}

// Close stops playback, the loop and the output, and closes subscriber
// channels.
func (p *Player) Close() error {
	var err error
	p.closeOnce.Do(func() {
		var closing []*source
		p.mu.Lock()
		p.stopLocked(&closing)
		p.closed = true
		p.mu.Unlock()
		close(p.quit)
		<-p.done
		closeAll(dedupe(closing))
		// Drain sources the mixer ended meanwhile.
		for {
			select {
			case s := <-p.mix.ended:
				s.close()
				continue
			default:
			}
			break
		}
		err = p.out.Close()
		p.hub.Close()
	})
	return err
}
