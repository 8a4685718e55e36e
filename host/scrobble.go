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

// startScrobble opens the queue and starts the scrobbler; the demo has
// none.
func (h *Host) startScrobble(ctx context.Context) {
	h.stopScrobble = func() {}
	if h.s.Demo {
		return
	}
	path, err := config.ScrobbleQueuePath(true)
	if err != nil {
		h.logger.Error("scrobble: no place for the queue", "err", err)
		return
	}
	q, err := scrobble.OpenQueue(path)
	if err != nil {
		h.logger.Error("scrobble: no queue", "err", err)
		return
	}
	if n := q.Notice(); n != "" {
		h.logger.Warn("scrobble: " + n)
		h.Tell(n)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		scrobble.Run(ctx, h.Subscribe(ctx), scrobble.Options{
			Queue: q, Services: ScrobbleServices(h.s, h.logger), Logger: h.logger,
		})
	}()
	h.stopScrobble = func() { cancel(); <-done; q.Close() }
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
