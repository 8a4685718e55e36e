package scrobble

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/pcplay/pcplay/player"
)

// Options are what a Scrobbler works with.
type Options struct {
	Queue    *Queue
	Services []Service
	Logger   *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	// Notify is told one sentence when something needs the person (a
	// token refused), and "" when all is well again; nil: nothing.
	Notify func(service, sentence string)
	// Listened is told each listen once it is in the history ([Queue.Remember]);
	// nil: nothing.
	Listened func(Listen)
}

// Backoff bounds: after a failure a sender waits MinBackoff, doubling up
// to MaxBackoff, unless the service said how long.
const (
	MinBackoff = 15 * time.Second
	MaxBackoff = 15 * time.Minute
)

// Run follows the player's snapshots until ctx ends or the channel
// closes: it keeps each listen in the history when it counts (with no
// service too), sends "now playing" when a play starts and queues the
// listen, and one sender per service sends the queue. Listens
// queued before (an earlier run) are sent at once.
func Run(ctx context.Context, statuses <-chan player.Status, o Options) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Notify == nil {
		o.Notify = func(string, string) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	senders := make([]*sender, len(o.Services))
	for i, svc := range o.Services {
		s := &sender{svc: svc, o: o, kick: make(chan struct{}, 1), playing: make(chan Listen, 1)}
		senders[i] = s
		s.poke()
		wg.Add(1)
		go func() { defer wg.Done(); s.run(ctx) }()
	}
	defer func() { cancel(); wg.Wait() }()
	var rules Rules
	for st := range statuses {
		started, counted := rules.Feed(st, o.Now())
		if started != nil && sendable(*started) {
			for _, s := range senders {
				if s.svc.Ready() {
					s.nowPlaying(*started)
				}
			}
		}
		if counted == nil {
			continue
		}
		// The history keeps every listen, sent or not.
		if err := o.Queue.Remember(ctx, *counted); err != nil {
			o.Logger.Error("scrobble: the listen could not be kept in the history", "err", err)
		} else if o.Listened != nil {
			o.Listened(*counted)
		}
		if !sendable(*counted) {
			o.Logger.Info("scrobble: a listen without an artist is not sent", "fileid", counted.Track.FileID)
			continue
		}
		var names []string
		var to []*sender
		for _, s := range senders {
			if s.svc.Ready() {
				names, to = append(names, s.svc.Name()), append(to, s)
			}
		}
		if len(names) == 0 {
			continue
		}
		// On disk before any network call.
		if err := o.Queue.Add(ctx, *counted, names...); err != nil {
			o.Logger.Error("scrobble: the listen could not be queued", "err", err)
			continue
		}
		o.Logger.Info("scrobble: listen queued", "fileid", counted.Track.FileID, "services", names)
		for _, s := range to {
			s.poke()
		}
	}
}

// sendable: both services need an artist and a title.
func sendable(l Listen) bool { return l.Track.Artist != "" && titleOf(l.Track) != "" }

// sender sends one service's queue, in order, and its "now playing".
type sender struct {
	svc     Service
	o       Options
	kick    chan struct{} // something was queued (capacity 1)
	playing chan Listen   // the latest play started (capacity 1)

	until   time.Time     // backing off: nothing sent before
	backoff time.Duration // the next backoff
	refused string        // the credential the service refused; "" none
}

func (s *sender) poke() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *sender) nowPlaying(l Listen) {
	for {
		select {
		case s.playing <- l:
			return
		default:
		}
		select {
		case <-s.playing: // latest wins
		default:
		}
	}
}

// run waits for work: a listen queued, a play started, or the end of a
// backoff. No timer runs unless something waits to be sent.
func (s *sender) run(ctx context.Context) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		var tick <-chan time.Time
		if !s.until.IsZero() {
			if timer == nil {
				timer = time.NewTimer(s.until.Sub(s.o.Now()))
			} else {
				timer.Reset(s.until.Sub(s.o.Now()))
			}
			tick = timer.C
		}
		select {
		case <-ctx.Done():
			return
		case l := <-s.playing:
			if s.usable() && !s.waiting() {
				if err := s.svc.NowPlaying(ctx, l); err != nil {
					s.o.Logger.Info("scrobble: now playing not sent", "service", s.svc.Name(), "err", err.Error())
					if se, _ := verdictOf(err); se.Verdict == Refused {
						s.refuse(ctx, se)
					}
				}
			}
		case <-s.kick:
		case <-tick:
			s.until = time.Time{}
		}
		if timer != nil && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		if !s.waiting() {
			s.drain(ctx)
		}
	}
}

func (s *sender) waiting() bool { return !s.until.IsZero() && s.o.Now().Before(s.until) }

// usable: there are credentials, and not the ones the service refused.
func (s *sender) usable() bool {
	if !s.svc.Ready() {
		return false
	}
	if s.refused != "" {
		if s.svc.Credential() == s.refused {
			return false
		}
		s.refused = "" // a new login
		_ = s.o.Queue.NoteNeeds(context.Background(), s.svc.Name(), "")
		s.o.Notify(s.svc.Name(), "")
	}
	return true
}

// drain sends the queue until it is empty or a send fails.
func (s *sender) drain(ctx context.Context) {
	s.until = time.Time{}
	for ctx.Err() == nil && s.usable() {
		name := s.svc.Name()
		n, err := s.o.Queue.Count(ctx, name)
		if err != nil || n == 0 {
			return
		}
		batch, err := s.o.Queue.Peek(ctx, name, min(n, s.svc.Batch()))
		if err != nil || len(batch) == 0 {
			return
		}
		if !s.send(ctx, batch) {
			return
		}
	}
}

// send sends batch; it reports whether to go on.
func (s *sender) send(ctx context.Context, batch []Queued) bool {
	name := s.svc.Name()
	ls := make([]Listen, len(batch))
	seqs := make([]int64, len(batch))
	for i, q := range batch {
		ls[i], seqs[i] = q.Listen, q.Seq
	}
	err := s.svc.Submit(ctx, ls)
	if err == nil {
		if err := s.o.Queue.Remove(ctx, name, seqs...); err != nil {
			s.o.Logger.Error("scrobble: sent, but not taken out of the queue", "service", name, "err", err)
			return false
		}
		s.backoff = 0
		_ = s.o.Queue.NoteOK(ctx, name, s.o.Now())
		s.o.Logger.Info("scrobble: sent", "service", name, "listens", len(batch))
		return true
	}
	if ctx.Err() != nil {
		return false
	}
	se, _ := verdictOf(err)
	switch se.Verdict {
	case Invalid:
		if len(batch) > 1 {
			// Which one? Each alone: only the invalid one is dropped.
			for _, q := range batch {
				if !s.send(ctx, []Queued{q}) {
					return false
				}
			}
			return true
		}
		s.o.Logger.Warn("scrobble: the service rejected a listen; it is dropped", "service", name,
			"fileid", batch[0].Track.FileID, "listened_at", batch[0].Started.Unix(), "why", se.Msg)
		_ = s.o.Queue.NoteErr(ctx, name, "a listen was rejected and dropped: "+se.Msg, s.o.Now())
		_ = s.o.Queue.Remove(ctx, name, seqs...)
		return true
	case Refused:
		s.refuse(ctx, se)
		return false
	}
	wait := se.Wait
	if wait <= 0 {
		s.backoff = min(max(MinBackoff, 2*s.backoff), MaxBackoff)
		wait = s.backoff
	}
	s.until = s.o.Now().Add(wait)
	s.o.Logger.Info("scrobble: not sent; trying again later", "service", name, "in", wait, "why", se.Msg)
	_ = s.o.Queue.NoteErr(ctx, name, se.Msg, s.o.Now())
	return false
}

// refuse stops sending with the current credentials and says so once.
func (s *sender) refuse(ctx context.Context, se *SendError) {
	if s.refused != "" {
		return
	}
	s.refused = s.svc.Credential()
	needs := s.svc.Title() + " refused the token; run pcplay scrobble login " + s.svc.Name() + " (listens wait in the queue)"
	s.o.Logger.Warn("scrobble: "+needs, "why", se.Msg)
	_ = s.o.Queue.NoteErr(ctx, s.svc.Name(), se.Msg, s.o.Now())
	_ = s.o.Queue.NoteNeeds(ctx, s.svc.Name(), needs)
	s.o.Notify(s.svc.Name(), needs)
}
