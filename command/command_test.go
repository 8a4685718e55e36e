package command

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/player"
)

// recorder is a Target that notes each call.
type recorder struct {
	calls []string
	st    player.Status
	q     []player.Track
	login error
}

func (r *recorder) note(format string, a ...any) {
	r.calls = append(r.calls, fmt.Sprintf(format, a...))
}

func (r *recorder) Status() player.Status                          { return r.st }
func (r *recorder) Queue() []player.Track                          { return r.q }
func (r *recorder) Subscribe(context.Context) <-chan player.Status { return nil }
func (r *recorder) Play()                                          { r.note("Play") }
func (r *recorder) Pause()                                         { r.note("Pause") }
func (r *recorder) Toggle()                                        { r.note("Toggle") }
func (r *recorder) Stop()                                          { r.note("Stop") }
func (r *recorder) Next()                                          { r.note("Next") }
func (r *recorder) Prev()                                          { r.note("Prev") }
func (r *recorder) PlayIndex(i int)                                { r.note("PlayIndex %d", i) }
func (r *recorder) Seek(d time.Duration)                           { r.note("Seek %v", d) }
func (r *recorder) SeekBy(d time.Duration)                         { r.note("SeekBy %v", d) }
func (r *recorder) SetVolume(v int)                                { r.note("SetVolume %d", v) }
func (r *recorder) ToggleMute()                                    { r.note("ToggleMute") }
func (r *recorder) SetBitrate(k int)                               { r.note("SetBitrate %d", k) }
func (r *recorder) SetShuffle(on bool)                             { r.note("SetShuffle %v", on) }
func (r *recorder) SetRepeat(m player.Repeat)                      { r.note("SetRepeat %v", m) }
func (r *recorder) SetSleep(d time.Duration)                       { r.note("SetSleep %v", d) }
func (r *recorder) PlayNow(ts []player.Track)                      { r.note("PlayNow %d", len(ts)) }
func (r *recorder) Enqueue(ts []player.Track)                      { r.note("Enqueue %d", len(ts)) }
func (r *recorder) InsertNext(ts []player.Track)                   { r.note("InsertNext %d", len(ts)) }
func (r *recorder) Replace(ts []player.Track, start int)           { r.note("Replace %d %d", len(ts), start) }
func (r *recorder) Remove(i int)                                   { r.note("Remove %d", i) }
func (r *recorder) Move(from, to int)                              { r.note("Move %d %d", from, to) }
func (r *recorder) Clear()                                         { r.note("Clear") }
func (r *recorder) Undo()                                          { r.note("Undo") }
func (r *recorder) Close() error                                   { return nil }
func (r *recorder) Login(token, kind, region string) error {
	r.note("Login %s %s", kind, region)
	return r.login
}
func (r *recorder) ReloadLogin() error               { r.note("ReloadLogin"); return nil }
func (r *recorder) SetFolder(path string, id uint64) { r.note("SetFolder %s %d", path, id) }
func (r *recorder) Rescan()                          { r.note("Rescan") }
func (r *recorder) Measure(ids []uint64)             { r.note("Measure %d", len(ids)) }

// The table holds together: one entry a name and a ctl name, each with
// one line of help and a handler (or the server's), every track list
// splittable.
func TestTableIsWellFormed(t *testing.T) {
	names, ctlNames := map[string]bool{}, map[string]bool{}
	all := Subsystems(1<<len(subsystemNames) - 1)
	for _, e := range All() {
		switch {
		case e.Name == "" || names[e.Name]:
			t.Errorf("%q: empty or twice", e.Name)
		case e.Help == "" || strings.Contains(e.Help, "\n"):
			t.Errorf("%s: help %q is not one line", e.Name, e.Help)
		case (e.Do == nil) != e.Server:
			t.Errorf("%s: a handler, or server-level, not both or neither", e.Name)
		case e.Changes&^all != 0:
			t.Errorf("%s: changes %b beyond the subsystems", e.Name, e.Changes)
		case e.Args&ArgTracks != 0 && e.Split == nil:
			t.Errorf("%s: carries tracks but says not how to split a long list", e.Name)
		}
		names[e.Name] = true
		if e.Ctl == nil {
			continue
		}
		for _, n := range append([]string{e.Ctl.Name}, e.Ctl.Aliases...) {
			if n == "" || ctlNames[n] || strings.ContainsAny(n, " \t") {
				t.Errorf("%s: ctl name %q empty, twice or with a space", e.Name, n)
			}
			ctlNames[n] = true
		}
		for _, u := range e.Ctl.Usage {
			if u.Help == "" || strings.Contains(u.Help+u.Args, "\n") {
				t.Errorf("%s: ctl usage %+v is not one line", e.Name, u)
			}
		}
	}
	for _, want := range []string{"hello", "sync", "status", "shutdown"} {
		if !names[want] {
			t.Errorf("no %s in the table", want)
		}
	}
}

func TestRunChecksThenDoes(t *testing.T) {
	rec := &recorder{}
	res, err := Run(rec, "volume", Request{Value: 70})
	if err != nil || res.Changed != Mixer || !reflect.DeepEqual(rec.calls, []string{"SetVolume 70"}) {
		t.Fatalf("volume 70: %+v, %v, calls %v", res, err, rec.calls)
	}
	rec.calls = nil
	for _, tc := range []struct {
		name string
		r    Request
		want string
	}{
		{"volume", Request{Value: 101}, "volume 101"},
		{"remove", Request{Index: -2}, "remove -2"},
		{"play_index", Request{Index: -1}, "play_index -1"},
		{"enqueue", Request{Tracks: []player.Track{{FileID: 1}, {}}}, "entry 2 of 2"},
		{"replace", Request{}, "replace without tracks"},
		{"login", Request{Kind: "auth"}, "without a token"},
		{"frob", Request{}, `unknown command "frob"`},
		{"", Request{}, "without a command"},
		{"sync", Request{Seq: 1}, "not taken here"}, // server-level: no server
	} {
		_, err := Run(rec, tc.name, tc.r)
		var refused *RefusedError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %+v: %v, want refused with %q", tc.name, tc.r, err, tc.want)
		}
	}
	if len(rec.calls) != 0 {
		t.Errorf("refused commands reached the target: %v", rec.calls)
	}

	// A handler's error is not a refusal.
	rec.login = errors.New("pCloud said no")
	_, err = Run(rec, "login", Request{Token: "tok", Kind: "auth"})
	var refused *RefusedError
	if err == nil || errors.As(err, &refused) {
		t.Errorf("a failing login: %v, want the handler's error", err)
	}
}

// The server gives the server-level handlers; fields a command does not
// use never reach its check or its handler.
func TestRunnerServerAndUnusedFields(t *testing.T) {
	rec := &recorder{}
	var got Request
	rn := Runner{Target: rec, Server: map[string]Handler{
		"sync": func(_ Target, r Request) (Result, error) { got = r; return Result{}, nil },
	}}
	if _, err := rn.Run("sync", Request{Seq: 7, Value: 101, Tracks: []player.Track{{}}}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Request{Seq: 7}) {
		t.Errorf("sync saw %+v, want only its seq", got)
	}
	// volume's bound is not play's.
	if _, err := rn.Run("play", Request{Value: 101, Index: -1}); err != nil {
		t.Errorf("play with fields it does not use: %v", err)
	}
	if _, err := rn.Run("shutdown", Request{}); err == nil {
		t.Error("a server-level command the server does not take ran")
	}
}

func TestStatusAndQueueAnswer(t *testing.T) {
	rec := &recorder{st: player.Status{Volume: 42, QueueGen: 3}}
	res, err := Run(rec, "status", Request{})
	if err != nil || res.Status == nil || res.Status.Volume != 42 || res.Queue != nil {
		t.Errorf("status: %+v, %v", res, err)
	}
	res, err = Run(rec, "queue", Request{})
	if err != nil || res.Status == nil || res.Queue == nil || len(res.Queue) != 0 {
		t.Errorf("queue of an empty queue: %+v, %v", res, err)
	}
	rec.q = []player.Track{{FileID: 1}, {FileID: 2}}
	if res, _ = Run(rec, "queue", Request{}); len(res.Queue) != 2 {
		t.Errorf("queue: %+v", res)
	}
}

func TestSubsystemsString(t *testing.T) {
	if got := (Player | Queue | StoredPlaylists).String(); got != "player queue stored_playlists" {
		t.Errorf("String = %q", got)
	}
}

// A long list split by an entry's Split arrives whole and in order.
func TestSplitKeepsTheOrder(t *testing.T) {
	ts := make([]player.Track, 7)
	for i := range ts {
		ts[i] = player.Track{FileID: uint64(i + 1)}
	}
	parts := [][]player.Track{ts[:3], ts[3:5], ts[5:]}
	for _, tc := range []struct {
		name string
		r    Request
		want []string
	}{
		{"enqueue", Request{Tracks: ts}, []string{"enqueue 1-3", "enqueue 4-5", "enqueue 6-7"}},
		{"insert_next", Request{Tracks: ts}, []string{"insert_next 6-7", "insert_next 4-5", "insert_next 1-3"}},
		{"play_now", Request{Tracks: ts}, []string{"insert_next 6-7", "insert_next 4-5", "play_now 1-3"}},
		{"replace", Request{Tracks: ts, Index: 4}, []string{"replace 1-3 from -1", "enqueue 4-5", "enqueue 6-7", "play_index 4"}},
	} {
		e, _ := Lookup(tc.name)
		var got []string
		for _, c := range e.Split(tc.r, parts) {
			s := c.Cmd
			if len(c.Tracks) > 0 {
				s += fmt.Sprintf(" %d-%d", c.Tracks[0].FileID, c.Tracks[len(c.Tracks)-1].FileID)
			}
			if c.Cmd == "replace" || c.Cmd == "play_index" {
				if c.Cmd == "replace" {
					s += " from"
				}
				s += fmt.Sprintf(" %d", c.Index)
			}
			got = append(got, s)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s split: %v, want %v", tc.name, got, tc.want)
		}
	}
	// One part or none: as it is.
	e, _ := Lookup("replace")
	if calls := e.Split(Request{Tracks: ts[:2], Index: 1}, [][]player.Track{ts[:2]}); len(calls) != 1 || calls[0].Index != 1 || len(calls[0].Tracks) != 2 {
		t.Errorf("replace in one part: %+v", calls)
	}
	e, _ = Lookup("enqueue")
	if calls := e.Split(Request{}, nil); len(calls) != 0 {
		t.Errorf("enqueue of nothing sends %+v", calls)
	}
}
