package snapcast

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/player"
)

// fakeEngine is a connection to an engine: a player.Controller that
// records the calls and publishes the statuses the test gives it.
type fakeEngine struct {
	mu     sync.Mutex
	hub    player.Hub
	st     player.Status
	q      []player.Track
	calls  []string
	closed bool
}

func newFakeEngine(st player.Status, q []player.Track) *fakeEngine {
	return &fakeEngine{st: st, q: q}
}

func (f *fakeEngine) call(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeEngine) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// publish is the engine's next status.
func (f *fakeEngine) publish(st player.Status) {
	f.mu.Lock()
	f.st = st
	f.mu.Unlock()
	f.hub.Publish(st)
}

// lose ends the connection (the engine went away).
func (f *fakeEngine) lose() { f.hub.Close() }

func (f *fakeEngine) Status() player.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}
func (f *fakeEngine) Queue() []player.Track {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.q)
}
func (f *fakeEngine) Subscribe(ctx context.Context) <-chan player.Status {
	return f.hub.Subscribe(ctx, f.Status())
}
func (f *fakeEngine) Play()                            { f.call("play") }
func (f *fakeEngine) Pause()                           { f.call("pause") }
func (f *fakeEngine) Toggle()                          { f.call("toggle") }
func (f *fakeEngine) Stop()                            { f.call("stop") }
func (f *fakeEngine) Next()                            { f.call("next") }
func (f *fakeEngine) Prev()                            { f.call("prev") }
func (f *fakeEngine) PlayIndex(i int)                  { f.call(fmt.Sprint("playindex ", i)) }
func (f *fakeEngine) Seek(to time.Duration)            { f.call(fmt.Sprint("seek ", to)) }
func (f *fakeEngine) SeekBy(d time.Duration)           { f.call(fmt.Sprint("seekby ", d)) }
func (f *fakeEngine) SetVolume(v int)                  { f.call(fmt.Sprint("volume ", v)) }
func (f *fakeEngine) ToggleMute()                      { f.call("mute") }
func (f *fakeEngine) SetBitrate(kbps int)              { f.call(fmt.Sprint("bitrate ", kbps)) }
func (f *fakeEngine) SetShuffle(on bool)               { f.call(fmt.Sprint("shuffle ", on)) }
func (f *fakeEngine) SetRepeat(r player.Repeat)        { f.call(fmt.Sprint("repeat ", r)) }
func (f *fakeEngine) SetSleep(d time.Duration)         { f.call(fmt.Sprint("sleep ", d)) }
func (f *fakeEngine) PlayNow(tracks []player.Track)    { f.call("playnow") }
func (f *fakeEngine) Enqueue(tracks []player.Track)    { f.call("enqueue") }
func (f *fakeEngine) InsertNext(tracks []player.Track) { f.call("insertnext") }
func (f *fakeEngine) Replace(ts []player.Track, s int) { f.call("replace") }
func (f *fakeEngine) Remove(i int)                     { f.call("remove") }
func (f *fakeEngine) Move(from, to int)                { f.call("move") }
func (f *fakeEngine) Clear()                           { f.call("clear") }
func (f *fakeEngine) Undo()                            { f.call("undo") }

func (f *fakeEngine) Close() error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.hub.Close()
	return nil
}

func (f *fakeEngine) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func (f *fakeEngine) lastCall() string {
	c := f.Calls()
	if len(c) == 0 {
		return ""
	}
	return c[len(c)-1]
}

var tagged = player.Track{FileID: 7, Name: "tagged.mp3", Title: "Tone Title", Artist: "Fixture Artist", Album: "Fixture Album", TrackNo: 3}

func playing(t player.Track, index int, pos time.Duration) player.Status {
	return player.Status{State: player.Playing, Index: index, Track: t, Position: pos, Duration: 200 * time.Second, Volume: 70, QueueGen: 1}
}

// rig runs Serve in a synctest bubble on pipes: send writes a line to its
// stdin, next reads a line of its stdout.
type rig struct {
	t      *testing.T
	in     *io.PipeWriter
	lines  chan map[string]any
	done   chan error
	said   chan string
	mu     sync.Mutex
	engine []player.Controller // what the connects return, in turn (nil: none)
	tries  int
}

func newRig(t *testing.T, engines ...player.Controller) *rig {
	r := &rig{t: t, lines: make(chan map[string]any, 100), done: make(chan error, 1), said: make(chan string, 100), engine: engines}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	r.in = inW
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				m = map[string]any{"unparsable": sc.Text()}
			}
			r.lines <- m
		}
		close(r.lines)
	}()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		inW.Close()
		<-r.done
		outW.Close()
	})
	go func() {
		r.done <- Serve(ctx, inR, outW, Options{
			Connect: r.connect,
			Say:     func(s string) { r.said <- s },
			Logger:  slog.New(slog.DiscardHandler),
		})
	}()
	return r
}

func (r *rig) connect(context.Context) (player.Controller, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	if len(r.engine) == 0 {
		return nil, errors.New("no pcplay engine is running")
	}
	c := r.engine[0]
	r.engine = r.engine[1:]
	if c == nil {
		return nil, errors.New("no pcplay engine is running")
	}
	return c, nil
}

func (r *rig) send(line string) {
	r.t.Helper()
	if _, err := io.WriteString(r.in, line+"\n"); err != nil {
		r.t.Fatal(err)
	}
}

// next is the plugin's next line (within a virtual minute).
func (r *rig) next() map[string]any {
	r.t.Helper()
	select {
	case m, ok := <-r.lines:
		if !ok {
			r.t.Fatal("the plugin's stdout ended")
		}
		return m
	case <-time.After(time.Minute):
		r.t.Fatal("the plugin said nothing for a minute")
	}
	return nil
}

// nextProperties is the next Properties notification, skipping nothing.
func (r *rig) nextProperties() map[string]any {
	r.t.Helper()
	m := r.next()
	if m["method"] != "Plugin.Stream.Player.Properties" {
		r.t.Fatalf("got %v, want a Properties notification", m)
	}
	return m["params"].(map[string]any)
}

// ask sends a request with id and returns its response (which must be the
// next line: no notification came before it).
func (r *rig) ask(id int, method string, params string) map[string]any {
	r.t.Helper()
	line := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q`, id, method)
	if params != "" {
		line += `,"params":` + params
	}
	r.send(line + "}")
	m := r.next()
	if m["id"] != float64(id) {
		r.t.Fatalf("after request %d the plugin said %v, want its response", id, m)
	}
	return m
}

func metaOf(p map[string]any) map[string]any { return p["metadata"].(map[string]any) }

// The plugin says it is ready, answers GetProperties while there is no
// engine (stopped, no control), looks for one again without saying so
// twice, and tells snapserver the track once it finds one.
func TestReadyThenEngineFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newFakeEngine(playing(tagged, 0, 12*time.Second), []player.Track{tagged, {FileID: 8, Name: "b.mp3"}})
		r := newRig(t, nil, nil, e)
		if m := r.next(); m["method"] != "Plugin.Stream.Ready" || m["jsonrpc"] != "2.0" {
			t.Fatalf("first line %v, want Plugin.Stream.Ready", m)
		}
		synctest.Wait()
		res := r.ask(1, "Plugin.Stream.Player.GetProperties", "")["result"].(map[string]any)
		if res["playbackStatus"] != "stopped" || res["canControl"] != false || len(metaOf(res)) != 0 {
			t.Errorf("properties with no engine: %v", res)
		}
		p := r.nextProperties()
		want := map[string]any{"playbackStatus": "playing", "canControl": true, "canGoNext": true, "canGoPrevious": true,
			"canPlay": true, "canPause": true, "canSeek": true, "position": 12.0, "volume": 70.0, "loopStatus": "none", "shuffle": false}
		for k, v := range want {
			if p[k] != v {
				t.Errorf("%s = %v, want %v", k, p[k], v)
			}
		}
		m := metaOf(p)
		if m["title"] != "Tone Title" || !slices.Equal(m["artist"].([]any), []any{"Fixture Artist"}) || m["album"] != "Fixture Album" ||
			m["duration"] != 200.0 || m["trackNumber"] != 3.0 || m["trackId"] != "/pcplay/track/7" {
			t.Errorf("metadata = %v", m)
		}
		if r.tries != 3 {
			t.Errorf("%d attempts to connect, want 3", r.tries)
		}
		var said []string
		for len(r.said) > 0 {
			said = append(said, <-r.said)
		}
		if len(said) != 2 || !strings.HasPrefix(said[0], "no pcplay engine to show: no pcplay engine is running; looking again every 2s") ||
			said[1] != "connected to the pcplay engine" {
			t.Errorf("said %q, want the missing engine once, then the connection", said)
		}
	})
}

// The position running on with the clock is not sent every second; a
// jump (a seek), a pause, another track are.
func TestPropertiesOnChangesOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := player.Track{FileID: 8, Name: "Some Song.mp3"}
		e := newFakeEngine(playing(tagged, 0, 12*time.Second), []player.Track{tagged, b})
		r := newRig(t, e)
		r.next() // ready
		r.nextProperties()
		for s := 13; s <= 20; s++ {
			time.Sleep(time.Second)
			e.publish(playing(tagged, 0, time.Duration(s)*time.Second))
		}
		synctest.Wait()
		if p := r.ask(2, "Plugin.Stream.Player.GetProperties", "")["result"].(map[string]any); p["position"] != 20.0 {
			t.Errorf("GetProperties position = %v, want 20 (the latest)", p["position"])
		}
		e.publish(playing(tagged, 0, 100*time.Second))
		if p := r.nextProperties(); p["position"] != 100.0 {
			t.Errorf("after a seek: position %v, want 100", p["position"])
		}
		st := playing(tagged, 0, 100*time.Second)
		st.State = player.Paused
		e.publish(st)
		if p := r.nextProperties(); p["playbackStatus"] != "paused" {
			t.Errorf("after a pause: %v", p["playbackStatus"])
		}
		// Paused, the position stays: nothing to tell a minute later.
		time.Sleep(time.Minute)
		e.publish(st)
		synctest.Wait()
		if len(r.lines) != 0 {
			t.Errorf("a paused position that did not move was sent again: %v", <-r.lines)
		}
		e.publish(playing(b, 1, 0))
		p := r.nextProperties()
		m := metaOf(p)
		if m["title"] != "Some Song" || m["artist"] != nil || p["canGoNext"] != false {
			t.Errorf("an untagged last track: %v", p)
		}
	})
}

// Each command of Control and each property of SetProperty reaches the
// engine; the answers carry the request's id.
func TestControlAndSetProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newFakeEngine(playing(tagged, 0, 0), []player.Track{tagged})
		r := newRig(t, e)
		r.next()
		r.nextProperties()
		cases := []struct{ method, params, call string }{
			{"Plugin.Stream.Player.Control", `{"command":"play"}`, "play"},
			{"Plugin.Stream.Player.Control", `{"command":"pause"}`, "pause"},
			{"Plugin.Stream.Player.Control", `{"command":"playPause"}`, "toggle"},
			{"Plugin.Stream.Player.Control", `{"command":"stop"}`, "stop"},
			{"Plugin.Stream.Player.Control", `{"command":"next"}`, "next"},
			{"Plugin.Stream.Player.Control", `{"command":"previous"}`, "prev"},
			{"Plugin.Stream.Player.Control", `{"command":"seek","params":{"offset":-10.5}}`, "seekby -10.5s"},
			{"Plugin.Stream.Player.Control", `{"command":"setPosition","params":{"position":17.827}}`, "seek 17.827s"},
			{"Plugin.Stream.Player.SetProperty", `{"volume":55}`, "volume 55"},
			{"Plugin.Stream.Player.SetProperty", `{"shuffle":true}`, "shuffle true"},
			{"Plugin.Stream.Player.SetProperty", `{"loopStatus":"track"}`, "repeat one"},
			{"Plugin.Stream.Player.SetProperty", `{"loopStatus":"playlist"}`, "repeat all"},
			{"Plugin.Stream.Player.SetProperty", `{"loopStatus":"none"}`, "repeat off"},
		}
		for i, c := range cases {
			resp := r.ask(10+i, c.method, c.params)
			if resp["result"] != "ok" || resp["error"] != nil {
				t.Errorf("%s %s: answered %v", c.method, c.params, resp)
			}
			if got := e.lastCall(); got != c.call {
				t.Errorf("%s %s: the engine got %q, want %q", c.method, c.params, got, c.call)
			}
		}
		if n := len(e.Calls()); n != len(cases) {
			t.Errorf("%d calls for %d requests", n, len(cases))
		}
	})
}

// Bad requests get a JSON-RPC error and change nothing; the plugin goes on.
func TestBadRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newFakeEngine(playing(tagged, 0, 0), []player.Track{tagged})
		r := newRig(t, e)
		r.next()
		r.nextProperties()
		for i, c := range []struct {
			method, params string
			code           float64
		}{
			{"Plugin.Stream.Player.Control", `{"command":"rewind"}`, codeInvalidParams},
			{"Plugin.Stream.Player.Control", `{"command":"seek"}`, codeInvalidParams},
			{"Plugin.Stream.Player.Control", `{"command":"setPosition","params":{"position":-3}}`, codeInvalidParams},
			{"Plugin.Stream.Player.Control", `"next"`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{"volume":101}`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{"volume":"loud"}`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{"loopStatus":"forever"}`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{"rate":2}`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{"mute":true}`, codeInvalidParams},
			{"Plugin.Stream.Player.SetProperty", `{}`, codeInvalidParams},
			{"Plugin.Stream.Player.Rewind", ``, codeNoMethod},
		} {
			resp := r.ask(20+i, c.method, c.params)
			er, _ := resp["error"].(map[string]any)
			if er == nil || er["code"] != c.code || er["message"] == "" {
				t.Errorf("%s %s: answered %v, want error %v", c.method, c.params, resp, c.code)
			}
		}
		r.send(`{"jsonrpc":"2.0","method":"Plugin.Stream.Player.Control","params":{"command":"next"}}`) // no id: not answered
		r.send(`this is not json`)
		if m := r.next(); m["id"] != nil || m["error"].(map[string]any)["code"] != float64(codeParse) {
			t.Errorf("a line that is not JSON: %v", m)
		}
		r.send(strings.Repeat("x", maxLine+10))
		if m := r.next(); m["error"] == nil {
			t.Errorf("a line too long: %v", m)
		}
		if resp := r.ask(99, "Plugin.Stream.Player.Control", `{"command":"next"}`); resp["result"] != "ok" {
			t.Errorf("after the bad lines: %v", resp)
		}
		if got := e.Calls(); !slices.Equal(got, []string{"next"}) {
			t.Errorf("the engine got %v, want only the last next", got)
		}
	})
}

// The engine going away: snapserver is told (stopped, no control),
// commands are refused with a sentence, and the plugin connects to the
// next engine.
func TestEngineGoesAndComes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e1 := newFakeEngine(playing(tagged, 0, 0), []player.Track{tagged})
		b := player.Track{FileID: 8, Name: "b.mp3", Title: "Bee"}
		e2 := newFakeEngine(playing(b, 0, 5*time.Second), []player.Track{b})
		r := newRig(t, e1, nil, e2)
		r.next()
		r.nextProperties()
		e1.lose()
		p := r.nextProperties()
		if p["playbackStatus"] != "stopped" || p["canControl"] != false || len(metaOf(p)) != 0 {
			t.Errorf("after the engine went: %v", p)
		}
		if !e1.isClosed() {
			t.Error("the lost connection was not closed")
		}
		resp := r.ask(5, "Plugin.Stream.Player.Control", `{"command":"next"}`)
		if er, _ := resp["error"].(map[string]any); er == nil || !strings.Contains(er["message"].(string), "no pcplay engine is running") {
			t.Errorf("a command with no engine: %v", resp)
		}
		p = r.nextProperties()
		if metaOf(p)["title"] != "Bee" || p["canControl"] != true {
			t.Errorf("after the next engine came: %v", p)
		}
	})
}

// snapserver closing the plugin's stdin ends it.
func TestStdinEndEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inR, inW := io.Pipe()
		var out bytes.Buffer
		done := make(chan error, 1)
		go func() {
			done <- Serve(context.Background(), inR, &out, Options{Connect: func(context.Context) (player.Controller, error) {
				return nil, errors.New("none")
			}})
		}()
		inW.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v, want nil at the end of stdin", err)
		}
		if !strings.HasPrefix(out.String(), `{"jsonrpc":"2.0","method":"Plugin.Stream.Ready"}`) {
			t.Errorf("stdout = %q", out.String())
		}
	})
}

// --help, an argument, an unknown flag; snapserver's flags are taken.
func TestRunArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, 0, "usage: pcplay snapcast-plugin"},
		{[]string{"help"}, 0, "usage: pcplay snapcast-plugin"},
		{[]string{"extra"}, 2, `pcplay snapcast-plugin takes no argument ("extra")`},
		{[]string{"--bogus=1"}, 2, "pcplay snapcast-plugin: unknown flag --bogus; see pcplay snapcast-plugin --help"},
		{[]string{"--snapcast-port"}, 2, "flag needs an argument"},
	} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), c.args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, slog.New(slog.DiscardHandler))
		if code != c.code || !strings.Contains(out.String()+errb.String(), c.out) {
			t.Errorf("Run(%q) = %d, %q %q; want %d with %q", c.args, code, out.String(), errb.String(), c.code, c.out)
		}
	}
}
