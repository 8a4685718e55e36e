package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sampleSession() Session {
	return Session{
		Folder: Folder{Path: "/Music/Jazz", ID: 1234},
		Queue: []SessionTrack{
			{FileID: 11, Name: "01 So What.mp3", Title: "So What", Artist: "Miles Davis", Album: "Kind of Blue", TrackNo: 1},
			{FileID: 12, Name: "02 Freddie Freeloader.mp3"},
			{FileID: 1 << 62, Name: "ünïcødé – ♫.mp3", Title: "\"quoted\"\n"},
		},
		Index:    1,
		Position: 83*time.Second + 250*time.Millisecond,
		Volume:   40,
		Shuffle:  true,
		Repeat:   RepeatAll,
		Bitrate:  256,
	}
}

func TestSessionRoundTrip(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	p, err := SessionPath()
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSession()
	s.Queue[0].DurationMS = 562_310 // a length the player has known
	if err := SaveSession(p, s); err != nil {
		t.Fatal(err)
	}
	assertMode(t, p, 0o600)
	got, err := LoadSession(p)
	if err != nil {
		t.Fatal(err)
	}
	s.Version = SessionVersion
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
	}
	// Position is in seconds in the file.
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m["position"] != 83.25 || m["version"] != float64(SessionVersion) {
		t.Errorf("file has position %v, version %v; want 83.25 seconds, version %d", m["position"], m["version"], SessionVersion)
	}
}

func TestSessionEmptyQueueRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s", "session.json")
	s := Session{Folder: Folder{Path: "/"}, Index: -1, Volume: 70}
	if err := SaveSession(p, s); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSession(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Index != -1 || got.Queue != nil || got.Volume != 70 || got.Folder.Path != "/" || got.Repeat != RepeatOff {
		t.Errorf("got %+v", got)
	}
}

func TestLoadSessionMissing(t *testing.T) {
	s, err := LoadSession(filepath.Join(t.TempDir(), "none.json"))
	if err != nil || !reflect.DeepEqual(s, Session{}) {
		t.Fatalf("missing: %+v, %v", s, err)
	}
}

func TestLoadSessionCorrupt(t *testing.T) {
	good, err := json.Marshal(withVersion(sampleSession()))
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	cases := map[string]string{
		"truncated":       string(good[:len(good)/2]),
		"empty":           "",
		"garbage":         "\x00\x01PRIVATEFOLDERNAME",
		"not an object":   `[1,2,3]`,
		"null":            `null`,
		"newer version":   mutate(func(m map[string]any) { m["version"] = 99 }),
		"no version":      mutate(func(m map[string]any) { delete(m, "version") }),
		"index too big":   mutate(func(m map[string]any) { m["index"] = 3 }),
		"index negative":  mutate(func(m map[string]any) { m["index"] = -2 }),
		"volume":          mutate(func(m map[string]any) { m["volume"] = 101 }),
		"repeat":          mutate(func(m map[string]any) { m["repeat"] = 3 }),
		"bitrate":         mutate(func(m map[string]any) { m["bitrate"] = 999 }),
		"position":        mutate(func(m map[string]any) { m["position"] = -1 }),
		"position type":   mutate(func(m map[string]any) { m["position"] = "PRIVATEFOLDERNAME" }),
		"position huge":   mutate(func(m map[string]any) { m["position"] = 1e300 }),
		"folder relative": mutate(func(m map[string]any) { m["folder"] = "PRIVATEFOLDERNAME" }),
		"queue type":      mutate(func(m map[string]any) { m["queue"] = "PRIVATEFOLDERNAME" }),
		"track no id":     mutate(func(m map[string]any) { m["queue"] = []any{map[string]any{"name": "x"}}; m["index"] = 0 }),
		"fileid negative": mutate(func(m map[string]any) { m["queue"] = []any{map[string]any{"fileid": -1}}; m["index"] = 0 }),
		"duration negative": mutate(func(m map[string]any) {
			m["queue"] = []any{map[string]any{"fileid": 5, "duration_ms": -1}}
			m["index"] = 0
		}),
	}
	dir := t.TempDir()
	for name, body := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := LoadSession(p)
		if err == nil {
			t.Errorf("%s: loaded %+v", name, s)
			continue
		}
		if !reflect.DeepEqual(s, Session{}) {
			t.Errorf("%s: returned a session with the error", name)
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
		if strings.Contains(err.Error(), "PRIVATEFOLDERNAME") {
			t.Errorf("%s: error shows the file's contents: %v", name, err)
		}
	}
}

func withVersion(s Session) Session {
	s.Version = SessionVersion
	return s
}

func TestSaveSessionRefusesInvalid(t *testing.T) {
	p := filepath.Join(t.TempDir(), "session.json")
	bad := sampleSession()
	bad.Index = 7
	if err := SaveSession(p, bad); err == nil {
		t.Error("saved a session whose index is outside the queue")
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("a refused session left a file: %v", err)
	}
}

func TestSaveSessionKeepsOldOnCrash(t *testing.T) {
	p := filepath.Join(t.TempDir(), "session.json")
	s := sampleSession()
	if err := SaveSession(p, s); err != nil {
		t.Fatal(err)
	}
	// In-process stand-in for a crash: the hook panics between write and
	// rename (the subprocess test in atomic_test.go kills a real process).
	testHookBeforeRename = func(string) { panic("crash") }
	func() {
		defer func() { _ = recover() }()
		s2 := s
		s2.Index = 2
		_ = SaveSession(p, s2)
	}()
	testHookBeforeRename = nil
	got, err := LoadSession(p)
	if err != nil || got.Index != 1 {
		t.Fatalf("after a crash mid-save: %+v, %v; want the old session", got, err)
	}
}

// A session.json as pcplay wrote it before [Session] had its own types (the
// queue as player tracks, repeat as a number) still loads, field for field.
func TestLoadSessionOfTheFirstFormat(t *testing.T) {
	const old = `{"version":1,"folder":"/Music/Jazz","folderid":1234,` +
		`"queue":[{"fileid":11,"name":"01 So What.mp3","title":"So What","artist":"Miles Davis","album":"Kind of Blue","trackno":1},` +
		`{"fileid":12,"name":"02 Freddie Freeloader.mp3"},` +
		`{"fileid":4611686018427387904,"name":"ünïcødé – ♫.mp3","title":"\"quoted\"\n"}],` +
		`"index":1,"position":83.25,"volume":40,"shuffle":true,"repeat":1,"bitrate":256}` + "\n"
	p := filepath.Join(t.TempDir(), "session.json")
	if err := os.WriteFile(p, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSession(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := withVersion(sampleSession()); !reflect.DeepEqual(got, want) {
		t.Fatalf("the first format:\n got %+v\nwant %+v", got, want)
	}
	// And it is written back the same way.
	if err := SaveSession(p, got); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != old {
		t.Errorf("written back as\n%s\nwas\n%s", b, old)
	}
	for code, want := range map[int]Repeat{0: RepeatOff, 2: RepeatOne} {
		body := strings.Replace(old, `"repeat":1`, `"repeat":`+strconv.Itoa(code), 1)
		os.WriteFile(p, []byte(body), 0o600)
		if got, err := LoadSession(p); err != nil || got.Repeat != want {
			t.Errorf("repeat %d loaded as %q, %v; want %q", code, got.Repeat, err, want)
		}
	}
}
