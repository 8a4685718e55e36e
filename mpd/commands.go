package mpd

import (
	"crypto/subtle"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/internal/defaults"
	"github.com/pcplay/pcplay/player"
)

// spec is one MPD command: its handler, its number of arguments (max -1:
// any) and whether it needs no password.
type spec struct {
	fn       func(c *client, args []string) error
	min, max int
	open     bool
}

// commands is every MPD command the server takes (set in init: the
// handlers refer to it).
var commands map[string]spec

func init() {
	commands = map[string]spec{
		// The connection.
		"ping":           {fn: func(*client, []string) error { return nil }, open: true},
		"close":          {fn: func(*client, []string) error { return errClose }, max: -1, open: true},
		"password":       {fn: cmdPassword, min: 1, max: 1, open: true},
		"commands":       {fn: cmdCommands, open: true},
		"notcommands":    {fn: cmdNotCommands, open: true},
		"tagtypes":       {fn: cmdTagTypes, max: -1},
		"binarylimit":    {fn: cmdBinaryLimit, min: 1, max: 1},
		"outputs":        {fn: cmdOutputs},
		"enableoutput":   {fn: cmdOutput(true), min: 1, max: 1},
		"disableoutput":  {fn: cmdOutput(false), min: 1, max: 1},
		"toggleoutput":   {fn: cmdOutput(false), min: 1, max: 1},
		"decoders":       {fn: cmdDecoders},
		"urlhandlers":    {fn: func(*client, []string) error { return nil }},
		"listpartitions": {fn: func(c *client, _ []string) error { c.kv("partition", "default"); return nil }},
		"channels":       {fn: func(*client, []string) error { return nil }},
		"readmessages":   {fn: func(*client, []string) error { return nil }},
		"config":         {fn: refuse(ackPermission, "pcplay does not tell its configuration over MPD")},

		// Playback and status.
		"status":             {fn: cmdStatus},
		"currentsong":        {fn: cmdCurrentSong},
		"stats":              {fn: cmdStats},
		"clearerror":         {fn: func(*client, []string) error { return nil }},
		"play":               {fn: cmdPlay, max: 1},
		"playid":             {fn: cmdPlayID, max: 1},
		"pause":              {fn: cmdPause, max: 1},
		"stop":               {fn: tableCmd("stop")},
		"next":               {fn: tableCmd("next")},
		"previous":           {fn: tableCmd("prev")},
		"seek":               {fn: cmdSeek, min: 2, max: 2},
		"seekid":             {fn: cmdSeekID, min: 2, max: 2},
		"seekcur":            {fn: cmdSeekCur, min: 1, max: 1},
		"setvol":             {fn: cmdSetVol, min: 1, max: 1},
		"volume":             {fn: cmdVolume, min: 1, max: 1},
		"getvol":             {fn: cmdGetVol},
		"random":             {fn: cmdRandom, min: 1, max: 1},
		"repeat":             {fn: cmdRepeat, min: 1, max: 1},
		"single":             {fn: cmdSingle, min: 1, max: 1},
		"consume":            {fn: cmdConsume, min: 1, max: 1},
		"crossfade":          {fn: zeroOnly("crossfade", "pcplay does not crossfade (it plays tracks gaplessly)"), min: 1, max: 1},
		"mixrampdb":          {fn: func(*client, []string) error { return nil }, min: 1, max: 1},
		"mixrampdelay":       {fn: zeroOnly("mixrampdelay", "pcplay does not mix tracks into each other"), min: 1, max: 1},
		"replay_gain_mode":   {fn: cmdReplayGainMode, min: 1, max: 1},
		"replay_gain_status": {fn: func(c *client, _ []string) error { c.kv("replay_gain_mode", "off"); return nil }},

		// Pictures: the track's cover.
		"albumart":    {fn: cmdPicture(false), min: 2, max: 2},
		"readpicture": {fn: cmdPicture(true), min: 2, max: 2},
	}
	for k, v := range queueCommands {
		commands[k] = v
	}
	for k, v := range libraryCommands {
		commands[k] = v
	}
	for k, v := range playlistCommands {
		commands[k] = v
	}
}

func refuse(code int, msg string) func(*client, []string) error {
	return func(*client, []string) error { return &ackError{code, msg} }
}

// tableCmd is an MPD command that is a table command without arguments.
func tableCmd(name string) func(*client, []string) error {
	return func(c *client, _ []string) error {
		_, err := c.run(name, command.Request{})
		return err
	}
}

func cmdPassword(c *client, args []string) error {
	pw := c.s.o.Password
	if pw == "" || subtle.ConstantTimeCompare([]byte(args[0]), []byte(pw)) != 1 {
		return ackf(ackPassword, "incorrect password")
	}
	c.authed = true
	return nil
}

func sortedNames() []string {
	names := make([]string, 0, len(commands)+5)
	for n := range commands {
		names = append(names, n)
	}
	names = append(names, "idle", "noidle", "command_list_begin", "command_list_ok_begin", "command_list_end")
	slices.Sort(names)
	return names
}

func cmdCommands(c *client, _ []string) error {
	for _, n := range sortedNames() {
		if spec, ok := commands[n]; c.authed || (ok && spec.open) {
			c.kv("command", n)
		}
	}
	return nil
}

func cmdNotCommands(c *client, _ []string) error {
	if c.authed {
		return nil
	}
	for _, n := range sortedNames() {
		if spec, ok := commands[n]; !ok || !spec.open {
			c.kv("command", n)
		}
	}
	return nil
}

func cmdBinaryLimit(c *client, args []string) error {
	n, err := atoi(args[0])
	if err != nil || n < 64 {
		return ackf(ackArg, "Value too small")
	}
	c.binaryLimit = n
	return nil
}

func cmdOutputs(c *client, _ []string) error {
	c.kv("outputid", "0")
	c.kv("outputname", "pcplay")
	c.kv("plugin", "pcplay")
	c.kv("outputenabled", "1")
	return nil
}

func cmdOutput(enable bool) func(*client, []string) error {
	return func(_ *client, args []string) error {
		if args[0] != "0" {
			return ackf(ackNoExist, "No such audio output")
		}
		if !enable {
			return ackf(ackSystem, "pcplay's one output can't be turned off: pause instead")
		}
		return nil
	}
}

func cmdDecoders(c *client, _ []string) error {
	c.kv("plugin", "pcplay")
	c.kv("suffix", "mp3")
	c.kv("mime_type", "audio/mpeg")
	return nil
}

func zeroOnly(name, msg string) func(*client, []string) error {
	return func(_ *client, args []string) error {
		if f, err := strconv.ParseFloat(args[0], 64); err == nil && f == 0 {
			return nil
		}
		return ackf(ackSystem, "%s", msg)
	}
}

func cmdReplayGainMode(_ *client, args []string) error {
	if args[0] == "off" {
		return nil
	}
	return ackf(ackSystem, "pcplay has no replay gain: only off")
}

// atoi is a whole number argument.
func atoi(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, ackf(ackArg, "Integer expected: %s", command.Clip(s))
	}
	return n, nil
}

func parseBool(s string) (bool, error) {
	switch s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, ackf(ackArg, "Boolean (0/1) expected: %s", command.Clip(s))
}

// parseSeconds is a time argument in seconds, fractions allowed.
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e7 {
		return 0, ackf(ackArg, "Number expected: %s", command.Clip(s))
	}
	return time.Duration(f * float64(time.Second)), nil
}

// mpdState is the player's state in MPD's words.
func mpdState(s player.State) string {
	switch s {
	case player.Playing, player.Loading, player.Buffering, player.Reconnecting, player.Waiting:
		return "play"
	case player.Paused:
		return "pause"
	}
	return "stop"
}

func cmdStatus(c *client, _ []string) error {
	st := c.s.b.Status()
	v := c.s.b.View()
	ls, _ := c.s.b.LibraryState()
	vol := st.Volume
	if st.Muted {
		vol = 0
	}
	c.kvInt("volume", int64(vol))
	c.kv("repeat", bit(st.Repeat != player.RepeatOff))
	c.kv("random", bit(st.Shuffle))
	c.kv("single", bit(st.Repeat == player.RepeatOne))
	c.kv("consume", "0")
	c.kv("partition", "default")
	c.kv("playlist", strconv.FormatUint(v.Gen, 10))
	c.kvInt("playlistlength", int64(len(v.Entries)))
	c.kv("mixrampdb", "0.000000")
	state := mpdState(st.State)
	c.kv("state", state)
	if v.Current >= 0 {
		c.kvInt("song", int64(v.Current))
		c.kv("songid", strconv.FormatUint(v.Entries[v.Current].ID, 10))
	}
	if state != "stop" {
		c.kv("time", fmt.Sprintf("%d:%d", int64(st.Position/time.Second), int64(st.Duration/time.Second)))
		c.kv("elapsed", seconds(st.Position))
		c.kvInt("bitrate", int64(st.Bitrate))
		if st.Duration > 0 {
			c.kv("duration", seconds(st.Duration))
		}
		c.kv("audio", "44100:16:2")
	}
	if v.Next >= 0 {
		c.kvInt("nextsong", int64(v.Next))
		c.kv("nextsongid", strconv.FormatUint(v.Entries[v.Next].ID, 10))
	}
	if ls.Scanning {
		c.kv("updating_db", "1")
	}
	if st.Err != "" {
		c.kv("error", st.Err)
	}
	return nil
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

func cmdCurrentSong(c *client, _ []string) error {
	v := c.s.b.View()
	if v.Current < 0 {
		return nil
	}
	e := v.Entries[v.Current]
	c.song(e.Track, "", v.Current, e.ID)
	return nil
}

func cmdStats(c *client, _ []string) error {
	var artists, albums, songs int
	var playtime time.Duration
	if lib := c.s.b.Library(); lib != nil {
		ctx, cancel := c.callCtx()
		defer cancel()
		if as, err := lib.Artists(ctx); err == nil {
			artists = len(as)
		}
		if al, err := lib.Albums(ctx, ""); err == nil {
			albums = len(al)
		}
		songs, _ = lib.Count(ctx)
	}
	c.kvInt("artists", int64(artists))
	c.kvInt("albums", int64(albums))
	c.kvInt("songs", int64(songs))
	c.kvInt("uptime", int64(time.Since(c.s.start)/time.Second))
	c.kvInt("playtime", int64(playtime/time.Second))
	c.kvInt("db_playtime", 0)
	c.kvInt("db_update", c.s.start.Unix())
	return nil
}

// position is a queue position argument, checked against the queue.
func position(s string, n int) (int, error) {
	i, err := atoi(s)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= n {
		return 0, ackf(ackArg, "Bad song index")
	}
	return i, nil
}

// byID is the index of the entry with the id in s.
func byID(v player.QueueView, s string) (int, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, ackf(ackArg, "Integer expected: %s", command.Clip(s))
	}
	for i, e := range v.Entries {
		if e.ID == id {
			return i, nil
		}
	}
	return 0, ackf(ackNoExist, "No such song")
}

func (c *client) playIndex(i int) error {
	_, err := c.run("play_index", command.Request{Index: i})
	return err
}

func cmdPlay(c *client, args []string) error {
	v := c.s.b.View()
	if len(args) == 1 {
		i, err := position(args[0], len(v.Entries))
		if err != nil {
			return err
		}
		return c.playIndex(i)
	}
	st := c.s.b.Status()
	if (st.State == player.Stopped || st.State == player.Errored) && len(v.Entries) > 0 {
		i := max(v.Current, 0)
		return c.playIndex(i)
	}
	_, err := c.run("play", command.Request{})
	return err
}

func cmdPlayID(c *client, args []string) error {
	if len(args) == 0 {
		return cmdPlay(c, nil)
	}
	i, err := byID(c.s.b.View(), args[0])
	if err != nil {
		return err
	}
	return c.playIndex(i)
}

func cmdPause(c *client, args []string) error {
	name := "toggle"
	if len(args) == 1 {
		on, err := parseBool(args[0])
		if err != nil {
			return err
		}
		name = "play"
		if on {
			name = "pause"
		}
	}
	_, err := c.run(name, command.Request{})
	return err
}

// seekTo plays the entry at i (when it is not the current one) and seeks
// to d in it.
func (c *client) seekTo(v player.QueueView, i int, d time.Duration) error {
	if d < 0 {
		return ackf(ackArg, "Negative position")
	}
	if i != v.Current {
		if err := c.playIndex(i); err != nil {
			return err
		}
	}
	_, err := c.run("seek", command.Request{Ms: d.Milliseconds()})
	return err
}

func cmdSeek(c *client, args []string) error {
	v := c.s.b.View()
	i, err := position(args[0], len(v.Entries))
	if err != nil {
		return err
	}
	d, err := parseSeconds(args[1])
	if err != nil {
		return err
	}
	return c.seekTo(v, i, d)
}

func cmdSeekID(c *client, args []string) error {
	v := c.s.b.View()
	i, err := byID(v, args[0])
	if err != nil {
		return err
	}
	d, err := parseSeconds(args[1])
	if err != nil {
		return err
	}
	return c.seekTo(v, i, d)
}

func cmdSeekCur(c *client, args []string) error {
	d, err := parseSeconds(args[0])
	if err != nil {
		return err
	}
	if c.s.b.View().Current < 0 {
		return ackf(ackPlayerSync, "Not playing")
	}
	if strings.HasPrefix(args[0], "+") || strings.HasPrefix(args[0], "-") {
		_, err = c.run("seek_by", command.Request{Ms: d.Milliseconds()})
		return err
	}
	if d < 0 {
		return ackf(ackArg, "Negative position")
	}
	_, err = c.run("seek", command.Request{Ms: d.Milliseconds()})
	return err
}

func (c *client) setVolume(n int) error {
	if n < defaults.MinVolume || n > defaults.MaxVolume {
		return ackf(ackArg, "Invalid volume value")
	}
	_, err := c.run("volume", command.Request{Value: n})
	return err
}

func cmdSetVol(c *client, args []string) error {
	n, err := atoi(args[0])
	if err != nil {
		return err
	}
	return c.setVolume(n)
}

func cmdVolume(c *client, args []string) error {
	n, err := atoi(args[0])
	if err != nil {
		return err
	}
	st := c.s.b.Status()
	return c.setVolume(max(defaults.MinVolume, min(defaults.MaxVolume, st.Volume+n)))
}

func cmdGetVol(c *client, _ []string) error {
	st := c.s.b.Status()
	vol := st.Volume
	if st.Muted {
		vol = 0
	}
	c.kvInt("volume", int64(vol))
	return nil
}

func cmdRandom(c *client, args []string) error {
	on, err := parseBool(args[0])
	if err != nil {
		return err
	}
	_, err = c.run("shuffle", command.Request{On: on})
	return err
}

// pcplay's repeat modes in MPD's terms: repeat all is repeat 1; repeat
// one is repeat 1 with single 1. Single without repeat (stop after the
// track) is not a thing pcplay does.

func (c *client) setRepeat(r player.Repeat) error {
	_, err := c.run("repeat", command.Request{Value: int(r)})
	return err
}

func cmdRepeat(c *client, args []string) error {
	on, err := parseBool(args[0])
	if err != nil {
		return err
	}
	cur := c.s.b.Status().Repeat
	switch {
	case !on:
		return c.setRepeat(player.RepeatOff)
	case cur == player.RepeatOff:
		return c.setRepeat(player.RepeatAll)
	}
	return nil
}

func cmdSingle(c *client, args []string) error {
	cur := c.s.b.Status().Repeat
	switch args[0] {
	case "0":
		if cur == player.RepeatOne {
			return c.setRepeat(player.RepeatAll)
		}
		return nil
	case "1":
		if cur == player.RepeatOff {
			return ackf(ackSystem, "pcplay can't stop after the current track; with repeat on, single repeats the track")
		}
		return c.setRepeat(player.RepeatOne)
	case "oneshot":
		return ackf(ackSystem, "pcplay can't stop after the current track (single oneshot)")
	}
	return ackf(ackArg, "Boolean (0/1) expected: %s", command.Clip(args[0]))
}

func cmdConsume(_ *client, args []string) error {
	on, err := parseBool(args[0])
	if err != nil && args[0] != "oneshot" {
		return err
	}
	if on || args[0] == "oneshot" {
		return ackf(ackSystem, "pcplay does not consume the queue: tracks stay in it once played")
	}
	return nil
}
