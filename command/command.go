// Package command is the one table of the commands a running pcplay takes.
//
// Each command is declared once, in table.go: its name on the wire, the
// arguments it uses and how they are checked, what it does (its handler,
// acting on a Target), one line of help, what it changes, and, when a shell
// may give it, its `pcplay ctl` spelling. The engine's socket protocol
// dispatches and checks through the table, its client sends by the table's
// names, and `pcplay ctl`'s parsing, usage and --help come from it; so does
// the README's ctl table (a test holds the two together). Adding a command
// is one entry and its handler.
//
// A command answers a Result: structured data (the status, the queue) when
// it has any, and the subsystems it changes (player, mixer, queue, options,
// library, stored playlists), which an MPD server announces to its idle
// clients.
package command

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/playlist"
	"github.com/pcplay/pcplay/scrobble"
)

// Target is what the commands act on: a running pcplay's player and what
// it keeps beside (its login, the session's folder, the library).
type Target interface {
	player.Controller
	// Login uses a new login a client sent. It must not log the token.
	Login(token, kind, region string) error
	// ReloadLogin uses the saved login (pcplay login or logout changed
	// it), or none when there is none.
	ReloadLogin() error
	// SetFolder keeps the folder a UI leaves on, for the session.
	SetFolder(path string, id uint64)
	// Rescan scans the whole library again.
	Rescan()
	// Measure measures, in the background, the durations of tracks not
	// known yet.
	Measure(fileIDs []uint64)
}

// Request is a command's arguments: on the wire, the fields beside "cmd".
// A command uses the fields its entry's Args name; the others are zeroed
// before its check and its handler see the request.
type Request struct {
	Index  int            `json:"index,omitempty"`  // a queue index; move's from; replace's start
	To     int            `json:"to,omitempty"`     // move's to
	Ms     int64          `json:"ms,omitempty"`     // seek, seek_by: milliseconds
	Value  int            `json:"value,omitempty"`  // volume, bitrate, repeat
	On     bool           `json:"on,omitempty"`     // shuffle
	Tracks []player.Track `json:"tracks,omitempty"` // play_now, enqueue, insert_next, replace
	Seq    uint64         `json:"seq,omitempty"`    // sync
	Files  []uint64       `json:"files,omitempty"`  // measure: file ids

	Path     string `json:"path,omitempty"`     // folder
	FolderID uint64 `json:"folderid,omitempty"` // folder

	Token  string `json:"token,omitempty"` // login
	Kind   string `json:"kind,omitempty"`
	Region string `json:"region,omitempty"`
}

// Call is one command with its arguments, as it goes on the wire:
// {"cmd":"volume","value":70}.
type Call struct {
	Cmd string `json:"cmd,omitempty"`
	Request
}

// Args is a set of Request fields: the ones a command uses.
type Args uint16

// Request fields.
const (
	ArgIndex Args = 1 << iota
	ArgTo
	ArgMs
	ArgValue
	ArgOn
	ArgTracks
	ArgSeq
	ArgFiles
	ArgFolder // Path and FolderID
	ArgLogin  // Token, Kind and Region
)

// keep zeroes the fields of r not in a.
func (a Args) keep(r Request) Request {
	var k Request
	if a&ArgIndex != 0 {
		k.Index = r.Index
	}
	if a&ArgTo != 0 {
		k.To = r.To
	}
	if a&ArgMs != 0 {
		k.Ms = r.Ms
	}
	if a&ArgValue != 0 {
		k.Value = r.Value
	}
	if a&ArgOn != 0 {
		k.On = r.On
	}
	if a&ArgTracks != 0 {
		k.Tracks = r.Tracks
	}
	if a&ArgSeq != 0 {
		k.Seq = r.Seq
	}
	if a&ArgFiles != 0 {
		k.Files = r.Files
	}
	if a&ArgFolder != 0 {
		k.Path, k.FolderID = r.Path, r.FolderID
	}
	if a&ArgLogin != 0 {
		k.Token, k.Kind, k.Region = r.Token, r.Kind, r.Region
	}
	return k
}

// Subsystems is a set of the parts of a running pcplay a command changes.
// MPD's idle subsystems map onto them: player, mixer, playlist (Queue),
// options, database and update (Library), stored_playlist
// (StoredPlaylists).
type Subsystems uint8

// Subsystems.
const (
	Player          Subsystems = 1 << iota // playback: state, track, position
	Mixer                                  // volume, mute
	Queue                                  // the queue
	Options                                // shuffle, repeat, bitrate
	Library                                // the music library
	StoredPlaylists                        // saved playlists
)

var subsystemNames = []string{"player", "mixer", "queue", "options", "library", "stored_playlists"}

// String is the names of the subsystems in s, space-separated.
func (s Subsystems) String() string {
	var names []string
	for i, n := range subsystemNames {
		if s&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, " ")
}

// Result is what a command answers.
type Result struct {
	Status *player.Status // status, queue: the player's status
	Queue  []player.Track // queue: the queue (non-nil, maybe empty)
	// History is the history command's answer (non-nil, maybe empty).
	History []scrobble.Listen
	// Changed is what the command changes: its entry's Changes.
	Changed Subsystems
}

// Handler carries out a command whose request has been checked.
type Handler func(t Target, r Request) (Result, error)

// Command is one entry of the table.
type Command struct {
	Name    string     // on the wire: {"cmd":"NAME"}
	Help    string     // one line: what it does
	Args    Args       // the request fields it uses
	Changes Subsystems // what it changes
	// Check refuses a request out of bounds, before anything is done,
	// with a sentence naming the field (or the entry of a list). nil:
	// any request is fine.
	Check func(name string, r Request) error
	// Do carries out the command. nil for a server-level command, whose
	// handler the server gives (Runner.Server).
	Do Handler
	// Server marks a server-level command (hello, sync, shutdown): it is
	// about the connection or the process, and the server handles it.
	Server bool
	// Split sends a track list too long for one line as several calls,
	// in the order they are to be sent; parts are the list cut to size
	// (none for an empty list). nil: the list goes whole.
	Split func(r Request, parts [][]player.Track) []Call
	// Ctl is its `pcplay ctl` spelling; nil: ctl does not offer it.
	Ctl *Ctl
}

// Ctl is a command's `pcplay ctl` spelling.
type Ctl struct {
	Name    string   // ctl NAME
	Aliases []string // other names for it
	// Usage is one line of `pcplay ctl --help` for each form of the
	// command. nil: one form without arguments, the command's Help.
	Usage []Usage
	// Parse turns the command line (the name as typed first) into what
	// ctl does; now is the player's status before (for relative changes;
	// the zero Status when only checking). Its errors are *UsageError.
	// nil: the command takes no argument and ctl sends it as it is.
	Parse func(line []string, now player.Status) (CtlCall, error)
}

// Usage is one form of a ctl command: its arguments and what it does.
type Usage struct{ Args, Help string }

// CtlCall is what a `pcplay ctl` command line does: send Call (Cmd "":
// nothing), after loading Load's tracks into it, then print Show.
type CtlCall struct {
	Call
	Load *Load
	Show Show
}

// Load is a PATH of `ctl add|play PATH` whose tracks go in the call, and
// the verb of the sentence ctl says then: "Added 2 tracks from /Music.".
type Load struct{ Path, Verb string }

// Show is what ctl prints after a command.
type Show int

// What ctl prints.
const (
	ShowStatus     Show = iota // the status, one line
	ShowStatusJSON             // the status, a JSON object
	ShowQueue                  // the queue, a line a track
	ShowQueueJSON              // the queue, a JSON array
	ShowSleep                  // the sleep timer's time left, one line
	ShowVolume                 // the status line, then the volume ("volume 55%")
	ShowLyrics                 // the playing track's lyrics, plain text
)

// UsageError is a mistake in a ctl command line (exit status 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// RefusedError is a command refused before anything was done: unknown,
// server-level where the server does not take it, or with an argument out
// of bounds.
type RefusedError struct{ Msg string }

func (e *RefusedError) Error() string { return e.Msg }

// Runner runs the table's commands on a Target; the server gives the
// handlers of the server-level commands it takes.
type Runner struct {
	Target Target
	Server map[string]Handler
}

// Run checks and carries out the command name with r. A *RefusedError says
// it was refused and nothing was done; any other error is the handler's.
func (rn Runner) Run(name string, r Request) (Result, error) {
	e, ok := Lookup(name)
	if !ok {
		if name == "" {
			return Result{}, &RefusedError{"a request without a command"}
		}
		return Result{}, &RefusedError{fmt.Sprintf("unknown command %q", Clip(name))}
	}
	h := e.Do
	if e.Server {
		h = rn.Server[e.Name]
		if h == nil {
			return Result{}, &RefusedError{fmt.Sprintf("%s is not taken here", e.Name)}
		}
	}
	r = e.Args.keep(r)
	if e.Check != nil {
		if err := e.Check(e.Name, r); err != nil {
			return Result{}, &RefusedError{err.Error()}
		}
	}
	res, err := h(rn.Target, r)
	if err != nil {
		return Result{}, err
	}
	res.Changed = e.Changes
	return res, nil
}

// Run checks and carries out the command name with r on t (no server-level
// commands).
func Run(t Target, name string, r Request) (Result, error) {
	return Runner{Target: t}.Run(name, r)
}

var (
	indexOnce sync.Once
	byName    map[string]*Command
	byCtl     map[string]*Command // ctl names and aliases
)

func index() {
	indexOnce.Do(func() {
		byName, byCtl = map[string]*Command{}, map[string]*Command{}
		for i := range table {
			e := &table[i]
			byName[e.Name] = e
			if e.Ctl != nil {
				for _, n := range append([]string{e.Ctl.Name}, e.Ctl.Aliases...) {
					byCtl[n] = e
				}
			}
		}
	})
}

// Lookup is the command called name.
func Lookup(name string) (*Command, bool) {
	index()
	e, ok := byName[name]
	return e, ok
}

// All is the table, in its order.
func All() []Command { return slices.Clone(table) }

// ParseCtl turns a `pcplay ctl` command line into what ctl does. now is the
// status before (the zero Status to check the line without an engine). Its
// errors are *UsageError.
func ParseCtl(args []string, now player.Status) (CtlCall, error) {
	if len(args) == 0 {
		return CtlCall{}, usagef("ctl needs a command: %s", CtlList())
	}
	index()
	e, ok := byCtl[args[0]]
	if !ok {
		return CtlCall{}, usagef("unknown ctl command %q: the commands are %s", Clip(args[0]), CtlList())
	}
	if e.Ctl.Parse == nil {
		if len(args) > 1 {
			return CtlCall{}, usagef("ctl %s takes no argument", args[0])
		}
		return CtlCall{Call: Call{Cmd: e.Name}}, nil
	}
	return e.Ctl.Parse(args, now)
}

// CtlUsage is every form of every ctl command, in the table's order: the
// command line ("vol 70|+5|-5") and what it does.
func CtlUsage() []Usage {
	var out []Usage
	for _, e := range table {
		if e.Ctl == nil {
			continue
		}
		us := e.Ctl.Usage
		if us == nil {
			us = []Usage{{Help: e.Help}}
		}
		for _, u := range us {
			line := e.Ctl.Name
			if u.Args != "" {
				line += " " + u.Args
			}
			if len(e.Ctl.Aliases) > 0 && u == us[0] {
				u.Help += " (also: " + strings.Join(e.Ctl.Aliases, ", ") + ")"
			}
			out = append(out, Usage{Args: line, Help: u.Help})
		}
	}
	return out
}

// CtlNames are the ctl commands' names (without aliases), in the table's
// order.
func CtlNames() []string {
	var out []string
	for _, e := range table {
		if e.Ctl != nil {
			out = append(out, e.Ctl.Name)
		}
	}
	return out
}

// CtlList is the ctl command lines on one line, for an error: "play, play
// PATH, pause, …".
func CtlList() string {
	var lines []string
	for _, u := range CtlUsage() {
		lines = append(lines, u.Args)
	}
	return strings.Join(lines, ", ") + " (PATH: a pCloud file or folder, or " + PlaylistPrefix + "NAME)"
}

// PlaylistPrefix starts a ctl PATH that names a playlist.
const PlaylistPrefix = playlist.TargetPrefix

// Clip bounds a string from a peer before it is logged or echoed.
func Clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// act is a handler that answers nothing.
func act(f func(t Target, r Request)) Handler {
	return func(t Target, r Request) (Result, error) {
		f(t, r)
		return Result{}, nil
	}
}

// call is a handler that calls a method without arguments.
func call(f func(Target)) Handler {
	return func(t Target, _ Request) (Result, error) {
		f(t)
		return Result{}, nil
	}
}
