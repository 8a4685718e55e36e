package command

import (
	"fmt"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/player"
)

// table is every command, once. Its order is the order of `pcplay ctl
// --help`.
var table = []Command{
	{
		Name: "play", Help: "resume", Changes: Player,
		Do: call(Target.Play),
		Ctl: &Ctl{Name: "play", Usage: []Usage{
			{"", "resume"},
			{"PATH", "PATH becomes the queue and plays from its first track"},
		}, Parse: func(line []string, _ player.Status) (CtlCall, error) {
			if len(line) == 1 {
				return send("play", Request{}), nil
			}
			return loadPath(line, "replace", "Playing", Request{Index: 0})
		}},
	},
	{
		Name: "pause", Help: "pause", Changes: Player,
		Do:  call(Target.Pause),
		Ctl: &Ctl{Name: "pause"},
	},
	{
		Name: "toggle", Help: "pause, or resume when paused", Changes: Player,
		Do:  call(Target.Toggle),
		Ctl: &Ctl{Name: "toggle"},
	},
	{
		Name: "next", Help: "the next track", Changes: Player,
		Do:  call(Target.Next),
		Ctl: &Ctl{Name: "next"},
	},
	{
		Name: "prev", Help: "the previous track", Changes: Player,
		Do:  call(Target.Prev),
		Ctl: &Ctl{Name: "prev"},
	},
	{
		Name: "stop", Help: "stop playback; the engine keeps running (pcplay stop ends it)", Changes: Player,
		Do:  call(Target.Stop),
		Ctl: &Ctl{Name: "stop"},
	},
	{
		Name: "seek", Help: "seek to ms", Args: ArgMs, Changes: Player,
		Check: checkSeek,
		Do:    act(func(t Target, r Request) { t.Seek(time.Duration(r.Ms) * time.Millisecond) }),
		Ctl: &Ctl{Name: "seek", Usage: []Usage{{"+10|-10|90|1:30", "seek by or to seconds (m:ss, h:mm:ss)"}},
			Parse: parseSeek},
	},
	{
		Name: "seek_by", Help: "seek by ms (back when negative)", Args: ArgMs, Changes: Player,
		Check: checkSeekBy,
		Do:    act(func(t Target, r Request) { t.SeekBy(time.Duration(r.Ms) * time.Millisecond) }),
	},
	{
		Name: "volume", Help: "set the volume to value", Args: ArgValue, Changes: Mixer,
		Check: checkVolume,
		Do:    act(func(t Target, r Request) { t.SetVolume(r.Value) }),
		Ctl: &Ctl{Name: "vol", Aliases: []string{"volume"},
			Usage: []Usage{{"70|+5|-5", fmt.Sprintf("set or change the volume, %d..%d", defaults.MinVolume, defaults.MaxVolume)}},
			Parse: parseVolume},
	},
	{
		Name: "mute", Help: "mute, or unmute when muted", Changes: Mixer,
		Do:  call(Target.ToggleMute),
		Ctl: &Ctl{Name: "mute", Parse: parseMute},
	},
	{
		Name: "shuffle", Help: "shuffle on or off", Args: ArgOn, Changes: Options,
		Do: act(func(t Target, r Request) { t.SetShuffle(r.On) }),
		Ctl: &Ctl{Name: "shuffle", Usage: []Usage{{"[on|off]", "shuffle on or off; without an argument, switch it"}},
			Parse: parseShuffle},
	},
	{
		Name: "repeat", Help: "the repeat mode: 0 off, 1 all, 2 one", Args: ArgValue, Changes: Options,
		Check: checkRepeat,
		Do:    act(func(t Target, r Request) { t.SetRepeat(player.Repeat(r.Value)) }),
		Ctl: &Ctl{Name: "repeat", Usage: []Usage{{"off|all|one", "repeat nothing, the whole queue, or the track"}},
			Parse: parseRepeat},
	},
	{
		Name: "bitrate", Help: "stream at value kbit/s", Args: ArgValue, Changes: Options,
		Check: checkBitrate,
		Do:    act(func(t Target, r Request) { t.SetBitrate(r.Value) }),
		Ctl: &Ctl{Name: "bitrate",
			Usage: []Usage{{"N", fmt.Sprintf("stream at N kbit/s, %d..%d", defaults.MinBitrate, defaults.MaxBitrate)}},
			Parse: parseBitrate},
	},
	{
		Name: "sleep", Help: "fade out and pause in ms (the last 10 s fade); 0: no sleep timer", Args: ArgMs, Changes: Player,
		Check: checkSleep,
		Do:    act(func(t Target, r Request) { t.SetSleep(time.Duration(r.Ms) * time.Millisecond) }),
		Ctl: &Ctl{Name: "sleep", Usage: []Usage{
			{"30m|90s|1h|off", "pause then, fading out over the last 10 s; off: cancel"},
			{"", "the time left before the sleep timer pauses the music"},
		}, Parse: parseSleep},
	},
	{
		Name: "status", Help: "answer the status now",
		Do: func(t Target, _ Request) (Result, error) {
			st := t.Status()
			return Result{Status: &st}, nil
		},
		Ctl: &Ctl{Name: "status", Usage: []Usage{
			{"", "the status, one line: playing  Title – Artist  1:23 / 4:56"},
			{"--json", "the status as a JSON object"},
		}, Parse: jsonOrNot(ShowStatus, ShowStatusJSON)},
	},
	{
		Name: "queue", Help: "answer the queue and the status now",
		Do: func(t Target, _ Request) (Result, error) {
			st, q := t.Status(), t.Queue()
			if q == nil {
				q = []player.Track{}
			}
			return Result{Status: &st, Queue: q}, nil
		},
		Ctl: &Ctl{Name: "queue", Usage: []Usage{
			{"", "the queue, a line a track (▶ on the playing one)"},
			{"--json", "the queue as a JSON array"},
		}, Parse: jsonOrNot(ShowQueue, ShowQueueJSON)},
	},
	{
		Name: "history", Help: fmt.Sprintf("answer the last value listens, newest first (0: %d; at most %d)", HistoryDefault, HistoryMax), Args: ArgValue,
		Check: checkHistory,
		Do:    doHistory,
		Ctl: &Ctl{Name: "history", Usage: []Usage{
			{"[N]", fmt.Sprintf("the last N listens (default %d), newest first, a line each", HistoryDefault)},
			{"[N] --json", "the same as a JSON array"},
		}, Parse: parseHistory},
	},
	{
		Name: "lyrics", Help: "look up the playing track's lyrics, and each next track's (they come as lyrics messages)",
		Do: func(t Target, _ Request) (Result, error) {
			if w, ok := t.(interface{ WantLyrics() }); ok {
				w.WantLyrics()
			}
			return Result{}, nil
		},
		Ctl: &Ctl{Name: "lyrics", Usage: []Usage{{"", "the playing track's lyrics, as plain text"}},
			Parse: func(line []string, _ player.Status) (CtlCall, error) {
				if len(line) > 1 {
					return CtlCall{}, usagef("ctl lyrics takes no argument")
				}
				return CtlCall{Call: Call{Cmd: "lyrics"}, Show: ShowLyrics}, nil
			}},
	},
	{
		Name: "play_index", Help: "play the track at index (from 0)", Args: ArgIndex, Changes: Player,
		Check: checkIndex,
		Do:    act(func(t Target, r Request) { t.PlayIndex(r.Index) }),
		Ctl: &Ctl{Name: "jump", Usage: []Usage{{"N", "play the queue's track N (as ctl queue numbers them)"}},
			Parse: position("play_index")},
	},
	{
		Name: "play_now", Help: "insert tracks after the current one and play the first", Args: ArgTracks, Changes: Queue | Player,
		Check: checkTracks,
		Do:    act(func(t Target, r Request) { t.PlayNow(r.Tracks) }),
		// The later parts inserted first, so that the order comes out right.
		Split: func(_ Request, parts [][]player.Track) []Call {
			var calls []Call
			for i := len(parts) - 1; i > 0; i-- {
				calls = append(calls, Call{"insert_next", Request{Tracks: parts[i]}})
			}
			if len(parts) > 0 {
				calls = append(calls, Call{"play_now", Request{Tracks: parts[0]}})
			}
			return calls
		},
	},
	{
		Name: "enqueue", Help: "append tracks to the queue", Args: ArgTracks, Changes: Queue,
		Check: checkTracks,
		Do:    act(func(t Target, r Request) { t.Enqueue(r.Tracks) }),
		Split: func(_ Request, parts [][]player.Track) []Call {
			var calls []Call
			for _, p := range parts {
				calls = append(calls, Call{"enqueue", Request{Tracks: p}})
			}
			return calls
		},
		Ctl: &Ctl{Name: "add", Usage: []Usage{{"PATH", "append PATH's tracks to the queue"}},
			Parse: func(line []string, _ player.Status) (CtlCall, error) {
				return loadPath(line, "enqueue", "Added", Request{})
			}},
	},
	{
		Name: "insert_next", Help: "insert tracks after the current one", Args: ArgTracks, Changes: Queue,
		Check: checkTracks,
		Do:    act(func(t Target, r Request) { t.InsertNext(r.Tracks) }),
		Split: func(_ Request, parts [][]player.Track) []Call {
			var calls []Call
			for i := len(parts) - 1; i >= 0; i-- {
				calls = append(calls, Call{"insert_next", Request{Tracks: parts[i]}})
			}
			return calls
		},
	},
	{
		Name: "replace", Help: "tracks become the queue; play the one at index (-1: none)", Args: ArgTracks | ArgIndex, Changes: Queue | Player,
		Check: checkReplace,
		Do:    act(func(t Target, r Request) { t.Replace(r.Tracks, r.Index) }),
		// A replace that starts nothing, enqueues, then play_index: the
		// change of track waits for the whole list.
		Split: func(r Request, parts [][]player.Track) []Call {
			if len(parts) <= 1 {
				return []Call{{"replace", r}}
			}
			calls := []Call{{"replace", Request{Tracks: parts[0], Index: -1}}}
			for _, p := range parts[1:] {
				calls = append(calls, Call{"enqueue", Request{Tracks: p}})
			}
			if r.Index >= 0 && r.Index < len(r.Tracks) {
				calls = append(calls, Call{"play_index", Request{Index: r.Index}})
			}
			return calls
		},
	},
	{
		Name: "remove", Help: "remove the track at index (the playing one: the next plays)", Args: ArgIndex, Changes: Queue | Player,
		Check: checkIndex,
		Do:    act(func(t Target, r Request) { t.Remove(r.Index) }),
		Ctl: &Ctl{Name: "remove", Usage: []Usage{{"N", "remove the queue's track N (as ctl queue numbers them)"}},
			Parse: position("remove")},
	},
	{
		Name: "move", Help: "move the track at index to to", Args: ArgIndex | ArgTo, Changes: Queue | Player,
		Check: checkMove,
		Do:    act(func(t Target, r Request) { t.Move(r.Index, r.To) }),
	},
	{
		Name: "clear", Help: "empty the queue and stop (u in the UI brings it back)", Changes: Queue | Player,
		Do:  call(Target.Clear),
		Ctl: &Ctl{Name: "clear"},
	},
	{
		Name: "undo", Help: "take back the last replace, remove or clear", Changes: Queue | Player,
		Do: call(Target.Undo),
	},
	{
		Name: "login", Help: "use a new login: token, kind (auth, bearer), region (us, eu, auto); never logged", Args: ArgLogin,
		Check: checkLogin,
		Do: func(t Target, r Request) (Result, error) {
			return Result{}, t.Login(r.Token, r.Kind, r.Region)
		},
	},
	{
		Name: "reload_login", Help: "the saved login changed (pcplay login or logout): play with it, or with none", Changes: Library | StoredPlaylists,
		Do: func(t Target, _ Request) (Result, error) { return Result{}, t.ReloadLogin() },
	},
	{
		Name: "folder", Help: "the folder (path, folderid) a leaving UI shows, kept for the session", Args: ArgFolder,
		Do: act(func(t Target, r Request) { t.SetFolder(r.Path, r.FolderID) }),
	},
	{
		Name: "rescan", Help: "scan the whole library again", Changes: Library,
		Ctl: &Ctl{Name: "rescan", Usage: []Usage{{"", "list the whole library again, as R does"}}},
		Do:  call(Target.Rescan),
	},
	{
		Name: "measure", Help: fmt.Sprintf("measure the durations of files (at most %d; more: ignored)", MaxMeasure), Args: ArgFiles, Changes: Library,
		Do: act(func(t Target, r Request) {
			if len(r.Files) <= MaxMeasure {
				t.Measure(r.Files)
			}
		}),
	},
	{
		Name: "sync", Help: "answered with {\"sync\":seq} once every earlier command took effect", Args: ArgSeq,
		Server: true,
	},
	{
		Name: "shutdown", Help: "save the session and exit",
		Server: true,
	},
	{
		Name: "ui", Help: "this connection is a UI: while one is attached the engine does not exit for being idle (pcplay ctl's connections do not count)",
		Server: true,
	},
	{
		Name: "hello", Help: "the first line, {\"hello\":{\"protocol\":N,\"version\":V}}; a second one is refused",
		Server: true,
	},
}
