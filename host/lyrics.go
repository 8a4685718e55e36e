package host

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// lyricsTimeout bounds one track's lyrics search.
const lyricsTimeout = time.Minute

// lyricsService looks up the playing track's lyrics once someone asked for
// them (WantLyrics: pcplay ctl lyrics, the L pane), and from then on for
// each track played; until then it costs pCloud nothing.
type lyricsService struct {
	h   *Host
	f   *lyrics.Finder
	log *slog.Logger

	mu     sync.Mutex
	want   bool
	again  bool // WantLyrics since the last look: look again if none was found
	st     lyrics.State
	next   chan struct{} // closed at the next state
	cancel context.CancelFunc
	kick   chan struct{}
}

// startLyrics starts the service; Close stops it.
func (h *Host) startLyrics(ctx context.Context) {
	f := &lyrics.Finder{Cloud: func() lyrics.Cloud {
		if c := h.acct.current(); c != nil {
			return c
		}
		return nil
	}}
	if h.s.Lyrics.Online {
		f.Online = &lyrics.LRCLIB{Root: h.s.Lyrics.LRCLIBURL, UserAgent: "pcplay (https://github.com/pcplay/pcplay)"}
	}
	ls := &lyricsService{h: h, f: f, log: h.logger, next: make(chan struct{}), kick: make(chan struct{}, 1)}
	h.lyr = ls
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ls.run(lctx, h.Subscribe(lctx))
	}()
	h.stopLyrics = func() { cancel(); <-done }
}

// LyricsState is the playing track's lyrics as known now, and a channel
// closed at the next change.
func (h *Host) LyricsState() (lyrics.State, <-chan struct{}) {
	ls := h.lyr
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.st, ls.next
}

// WantLyrics has the host look up the playing track's lyrics now, and each
// next track's.
func (h *Host) WantLyrics() {
	ls := h.lyr
	ls.mu.Lock()
	ls.want, ls.again = true, true
	ls.mu.Unlock()
	select {
	case ls.kick <- struct{}{}:
	default:
	}
}

func (ls *lyricsService) run(ctx context.Context, sub <-chan player.Status) {
	st := ls.h.Status()
	for {
		ls.follow(ctx, st)
		select {
		case <-ctx.Done():
			ls.stop()
			return
		case s, ok := <-sub:
			if !ok {
				ls.stop()
				return
			}
			st = s
		case <-ls.kick:
			st = ls.h.Status()
		}
	}
}

func (ls *lyricsService) stop() {
	ls.mu.Lock()
	if ls.cancel != nil {
		ls.cancel()
	}
	ls.mu.Unlock()
}

// follow starts the search of st's track when it is a new one and lyrics
// are wanted (again when the last search failed).
func (ls *lyricsService) follow(ctx context.Context, st player.Status) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	var id uint64
	if st.Index >= 0 {
		id = st.Track.FileID
	}
	again := ls.again && ls.st.Lyrics == nil && !ls.st.Loading // asked again after none: look again
	ls.again = false
	if !ls.want || (id == ls.st.FileID && (ls.st.Loading || ls.st.Err == "") && !again) {
		if ls.want && !ls.st.Following {
			ls.st.Following = true
			ls.publish()
		}
		return
	}
	if ls.cancel != nil {
		ls.cancel()
		ls.cancel = nil
	}
	ls.st = lyrics.State{FileID: id, Loading: id != 0, Following: true}
	ls.publish()
	if id == 0 {
		return
	}
	fctx, cancel := context.WithTimeout(ctx, lyricsTimeout)
	ls.cancel = cancel
	t := st.Track
	go func() {
		defer cancel()
		r := ls.f.Find(fctx, ls.trackOf(fctx, t))
		ls.log.Info("lyrics", "fileid", t.FileID, "found", r.Lyrics != nil, "looked", len(r.Looked), "tag_bytes", r.Fetched, "err", r.Err)
		ls.mu.Lock()
		defer ls.mu.Unlock()
		if ls.st.FileID != t.FileID || !ls.st.Loading || fctx.Err() == context.Canceled {
			return // another track since
		}
		ls.st = lyrics.State{FileID: t.FileID, Lyrics: r.Lyrics, Looked: r.Looked, Err: r.Err, Following: true}
		ls.publish()
	}()
}

// trackOf is what the finder needs: the library knows the folder and
// the content hash; else pCloud's stat.
func (ls *lyricsService) trackOf(ctx context.Context, t player.Track) lyrics.Track {
	lt := lyrics.Track{FileID: t.FileID, Name: t.Name, Artist: t.Artist, Title: t.Title, Album: t.Album, Duration: t.Duration}
	if k := ls.h.keeper; k != nil {
		if lib := k.Library(); lib != nil {
			if it, ok, err := lib.Track(ctx, t.FileID); err == nil && ok {
				lt.FolderID, lt.FolderKnown, lt.Hash = it.FolderID, true, it.Hash
				if lt.Duration == 0 {
					lt.Duration = it.Duration
				}
				if lt.Artist == "" {
					lt.Artist = it.Artist
				}
				if lt.Title == "" {
					lt.Title = it.Title
				}
			}
		}
	}
	if !lt.FolderKnown {
		// Not in the library (yet): pCloud says where the file is.
		if c := ls.h.acct.current(); c != nil {
			if m, err := c.Stat(ctx, t.FileID); err == nil && m != nil {
				lt.FolderID, lt.FolderKnown, lt.Hash = m.ParentFolderID, true, m.Hash
			}
		}
	}
	return lt
}

// publish wakes the watchers; ls.mu is held.
func (ls *lyricsService) publish() {
	close(ls.next)
	ls.next = make(chan struct{})
}
