package host

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	pathpkg "path"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
)

// session.go is the session policy: what a start puts back (queue, track and
// second, paused; volume and modes; the folder) and who writes it. The host
// is the session's one writer, in the engine and in the one-process program
// alike; an attached UI only tells the engine its folder. The conversion
// between player and config types is here, once.

// sessionFile is where the session is kept, and where problems with it are
// told.
type sessionFile struct {
	path   string // "": no session (the demo library is new every start)
	stderr io.Writer
	logger *slog.Logger
}

// newSessionFile is the session at config.SessionPath(); none for the demo.
func newSessionFile(demo bool, stderr io.Writer, logger *slog.Logger) sessionFile {
	f := sessionFile{stderr: stderr, logger: logger}
	if !demo {
		f.path, _ = config.SessionPath()
	}
	return f
}

// load is the saved session; ok is false when there is none. A session that
// can't be read is said on stderr and ignored.
func (f sessionFile) load() (sess config.Session, ok bool) {
	if f.path == "" {
		return config.Session{}, false
	}
	sess, err := config.LoadSession(f.path)
	if err != nil {
		fmt.Fprintln(f.stderr, "pcplay: the saved session is ignored: "+err.Error())
		f.logger.Warn("session ignored", "err", err)
		return config.Session{}, false
	}
	return sess, sess.Version != 0
}

// restore is the saved session for its writer: one that can't be read is
// set aside as session.json.bad (the next save would replace it, and
// what it held with it) and said by tell.
func (f sessionFile) restore(tell func(string)) (sess config.Session, ok bool) {
	if f.path == "" {
		return config.Session{}, false
	}
	sess, err := config.LoadSession(f.path)
	if err == nil {
		return sess, sess.Version != 0
	}
	f.logger.Warn("session ignored", "err", err)
	msg := "The saved session is ignored (" + err.Error() + ")"
	if rerr := os.Rename(f.path, f.path+".bad"); rerr == nil {
		msg += "; it is kept as " + filepath.Base(f.path) + ".bad beside it"
	} else {
		f.logger.Warn("the damaged session could not be set aside", "err", rerr)
	}
	tell(msg + ".")
	return config.Session{}, false
}

// SavedFolder is the folder a UI opens on: the saved one, else def.
func SavedFolder(sess config.Session, ok bool, def string) string {
	if ok && sess.Folder.Path != "" {
		return sess.Folder.Path
	}
	return def
}

// LoadSession is the saved session of the account, for a UI attached to an
// engine (the engine, its writer, restored it); ok is false when there is
// none.
func LoadSession(stderr io.Writer, logger *slog.Logger) (sess config.Session, ok bool) {
	return newSessionFile(false, stderr, logger).load()
}

// write writes the session.
func (f sessionFile) write(sess config.Session) error {
	if f.path == "" {
		return nil
	}
	return config.SaveSession(f.path, sess)
}

// restoreSession puts back the queue, the track and the second, paused
// (playing, with config resume_playing, when it was playing); and the
// volume and modes. A bitrate given by flag or environment wins over
// the saved one, and so does a bitrate or volume changed in the config
// file since the session was saved.
func restoreSession(p *player.Player, sess config.Session, s config.Settings) {
	// A setting changed since the session was saved (in the config file)
	// wins over the session's value; else the session's, as the person
	// left it, wins over the setting.
	changed := func(saved, now int) bool { return sess.Settings != nil && saved != now }
	if sess.Settings == nil || !changed(sess.Settings.Volume, s.Volume) {
		p.SetVolume(sess.Volume)
	}
	p.SetShuffle(sess.Shuffle)
	p.SetRepeat(playerRepeat(sess.Repeat))
	if sess.Bitrate != 0 && !s.ExplicitBitrate && (sess.Settings == nil || !changed(sess.Settings.Bitrate, s.Bitrate)) {
		p.SetBitrate(sess.Bitrate)
	}
	if len(sess.Queue) > 0 {
		p.Enqueue(playerTracks(sess.Queue))
		if sess.Index >= 0 {
			p.Cue(sess.Index, sess.Position)
			if s.ResumePlaying && sess.Playing {
				p.Play() // from the cued second
			}
		}
	}
}

// ValidFolder reports whether path can be the session's folder: "" (none)
// or a clean pCloud path from the top ("/Music/Live").
func ValidFolder(path string) bool {
	return path == "" || strings.HasPrefix(path, "/") && pathpkg.Clean(path) == path && len(path) <= 4096 && utf8.ValidString(path)
}

func clipText(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// session is the session as the host keeps it: the folder the last UI
// told it (at first the restored one), saved with the player's state.
type session struct {
	file sessionFile
	p    player.Controller

	// settings are the settings' bitrate and volume, saved with the
	// session (see config.Session.Settings).
	settings config.SessionSettings

	// tell shows a sentence in the status line of every UI (the
	// player's Tell); nil: nowhere.
	tell func(string)

	mu      sync.Mutex // one save at a time; guards folder and saved
	folder  config.Folder
	saved   savedState // what is on disk (of the player)
	has     bool       // saved is known
	failing bool       // the last save failed (and that was told)
}

// setFolder keeps the folder a UI shows as it leaves and saves the session
// now.
func (e *session) setFolder(path string, id uint64) {
	if !ValidFolder(path) {
		e.file.logger.Warn("a folder that is not a pCloud path was ignored", "path", clipText(path))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.folder == (config.Folder{Path: path, ID: id}) {
		return
	}
	e.folder = config.Folder{Path: path, ID: id}
	e.saveLocked(true)
}

// save saves the session when the player's state differs from what is on
// disk.
func (e *session) save() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.saveLocked(false)
}

func (e *session) saveLocked(force bool) {
	st := e.p.Status()
	now := savedStateOf(st)
	if !force && e.has && now == e.saved {
		return
	}
	sess := sessionOf(st, e.p.Queue(), e.folder)
	set := e.settings
	sess.Settings = &set
	if err := sess.Validate(); err != nil && sess.Folder != (config.Folder{}) {
		// One bad field never stops the rest from being saved.
		e.file.logger.Warn("the session's folder was not saved", "err", err)
		sess.Folder = config.Folder{}
	}
	if err := e.file.write(sess); err != nil {
		// Told once, not at every save while the disk stays full; told
		// again after a save that worked.
		if !e.failing {
			e.failing = true
			e.file.logger.Error("saving the session failed", "err", err)
			e.say("The session could not be saved (" + err.Error() + "); the queue and position are saved once it can be.")
		}
		return // what is on disk is still the old: try again at the next change
	}
	if e.failing {
		e.failing = false
		e.file.logger.Info("the session is saved again")
	}
	e.saved, e.has = now, true
}

// say tells msg where the person sees it: the status line of every UI (a
// UI that starts later shows it too), else stderr.
func (e *session) say(msg string) {
	if e.tell != nil {
		e.tell(msg)
		return
	}
	fmt.Fprintln(e.file.stderr, "pcplay: "+msg)
}

// sessionOf is what is saved of a player's state.
func sessionOf(st player.Status, q []player.Track, folder config.Folder) config.Session {
	return config.Session{
		Version:  config.SessionVersion,
		Folder:   folder,
		Queue:    sessionTracks(q),
		Index:    st.Index,
		Position: st.Position,
		Volume:   st.Volume,
		Shuffle:  st.Shuffle,
		Repeat:   sessionRepeat(st.Repeat),
		Bitrate:  st.Bitrate,
		Playing:  isPlaying(st.State),
	}
}

// isPlaying reports whether a state is the music playing, or about to
// (loading, buffering, reconnecting, waiting for pCloud): what a session
// left so starts playing again with config resume_playing.
func isPlaying(s player.State) bool {
	switch s {
	case player.Playing, player.Loading, player.Buffering, player.Reconnecting, player.Waiting:
		return true
	}
	return false
}

func sessionTracks(q []player.Track) []config.SessionTrack {
	if q == nil {
		return nil
	}
	out := make([]config.SessionTrack, len(q))
	for i, t := range q {
		out[i] = config.SessionTrack{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo,
			DurationMS: t.Duration.Milliseconds()}
	}
	return out
}

func playerTracks(q []config.SessionTrack) []player.Track {
	out := make([]player.Track, len(q))
	for i, t := range q {
		out[i] = player.Track{FileID: t.FileID, Name: t.Name, Title: t.Title, Artist: t.Artist, Album: t.Album, TrackNo: t.TrackNo,
			Duration: time.Duration(t.DurationMS) * time.Millisecond}
	}
	return out
}

// repeats pairs the player's repeat modes with the saved ones.
var repeats = []struct {
	p player.Repeat
	c config.Repeat
}{
	{player.RepeatOff, config.RepeatOff},
	{player.RepeatAll, config.RepeatAll},
	{player.RepeatOne, config.RepeatOne},
}

func sessionRepeat(r player.Repeat) config.Repeat {
	for _, m := range repeats {
		if m.p == r {
			return m.c
		}
	}
	return config.RepeatOff
}

func playerRepeat(r config.Repeat) player.Repeat {
	for _, m := range repeats {
		if m.c == r {
			return m.p
		}
	}
	return player.RepeatOff
}
