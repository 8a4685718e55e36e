package host

import (
	"context"
	"log/slog"
	"sync"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/scrobble"
)

// Scrobbling: the host runs a [scrobble.Run] on its player's snapshots,
// for the services that have credentials (read again as listens come, so
// that a login made while the engine runs is taken).

// startScrobble opens the queue and starts the scrobbler, which also keeps
// the listening history (host/history.go); the demo's queue is in memory
// and has no services (it writes nothing of the person's).
func (h *Host) startScrobble(ctx context.Context) {
	h.stopScrobble = func() {}
	h.hist = newListenHistory()
	var (
		q    *scrobble.Queue
		svcs []scrobble.Service
		err  error
	)
	if h.s.Demo {
		q, err = scrobble.OpenMemoryQueue()
	} else {
		var path string
		if path, err = config.ScrobbleQueuePath(true); err != nil {
			h.logger.Error("scrobble: no place for the queue", "err", err)
			return
		}
		q, err = scrobble.OpenQueue(path)
		svcs = ScrobbleServices(h.s, h.logger)
	}
	if err != nil {
		h.logger.Error("scrobble: no queue", "err", err)
		return
	}
	if n := q.Notice(); n != "" {
		h.logger.Warn("scrobble: " + n)
		h.Tell(n)
	}
	h.hist.open(q)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		scrobble.Run(ctx, h.Subscribe(ctx), scrobble.Options{
			Queue: q, Services: svcs, Logger: h.logger, Listened: h.hist.listened,
		})
	}()
	h.stopScrobble = func() { cancel(); <-done; h.hist.close(); q.Close() }
}

// ScrobbleServices are the clients of ListenBrainz and Last.fm by the
// settings; their credentials are read from the saved files (or
// PCPLAY_LISTENBRAINZ_TOKEN) each time they are needed.
func ScrobbleServices(s config.Settings, logger *slog.Logger) []scrobble.Service {
	ua := "pcplay/" + scrobble.Version
	lb := &scrobble.ListenBrainz{Root: s.Scrobble.ListenBrainzURL, UserAgent: ua, Token: func() string {
		if t := s.Scrobble.ListenBrainzToken; t != "" {
			return t
		}
		return savedSecret("listenbrainz", logger)
	}}
	lf := &scrobble.Lastfm{Root: s.Scrobble.LastfmURL, APIKey: s.Scrobble.LastfmAPIKey, Secret: s.Scrobble.LastfmSecret, UserAgent: ua,
		Session: func() string { return savedSecret("lastfm", logger) }}
	return []scrobble.Service{lb, lf}
}

var warnedSaved sync.Map // service → the problem said once

// savedSecret is the saved credential of service; "" none. A problem with
// the file is logged once (without the file's bytes).
func savedSecret(service string, logger *slog.Logger) string {
	path, err := config.ScrobbleLoginPath(service)
	if err != nil {
		return ""
	}
	l, err := config.LoadScrobbleLogin(path)
	if err != nil {
		if _, said := warnedSaved.Swap(service, err.Error()); !said && logger != nil {
			logger.Warn("scrobble: "+err.Error(), "service", service)
		}
		return ""
	}
	return l.Secret
}
