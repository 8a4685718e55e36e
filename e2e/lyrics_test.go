//go:build unix

package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/lyrics"
)

// albumLRC is the sidecar of /Music/Album/a128.mp3 (20 s long).
const albumLRC = "\xEF\xBB\xBF[ti:A128]\r\n[offset:+500]\r\n[00:01.00]First line\r\n[00:04.00][00:12.00]Chorus line\r\n[00:07.50]Third line\r\n[00:15.000]Last line\r\n"

// withSidecar adds a128.lrc beside a128.mp3.
func withSidecar(o *pcloudtest.Options) {
	album := o.Root.Children[0].Children[0]
	album.Children = append(album.Children, pcloudtest.TextFile("a128.lrc", albumLRC))
}

// A sidecar .lrc through the binary: `ctl lyrics` prints it as text, and
// `ctl status --json`'s lyrics_line is the line at its position.
func TestLyricsSidecarThroughCtl(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t, withSidecar)
	// lyrics_online is off: LRCLIB is never asked.
	lb := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		t.Errorf("LRCLIB was asked %s while lyrics_online is off", r.URL)
	}))
	t.Cleanup(lb.Close)
	w.setenv("PCPLAY_LRCLIB_URL", lb.URL)
	w.startEngine()
	w.ctl("play", "/Music/Album/a128.mp3")
	w.ctl("pause")

	// Nothing was looked up before anyone asked; a script polling
	// status --json asks, and gets lyrics_line without ctl lyrics.
	if n := len(w.calls("getfilelink")); n != 0 {
		t.Errorf("%d getfilelink calls before lyrics were asked for", n)
	}
	poll.Until(t, "status --json carrying lyrics_line", func() bool { return w.status().LyricsLine != nil })

	// The library must know the track's folder: ask until it does.
	var out string
	poll.Until(t, "ctl lyrics printing the sidecar", func() bool {
		o, _, code := w.pcplay("ctl", "lyrics")
		out = o
		return code == 0
	})
	// A figure: ctl lyrics, the lyrics known, against ctl status, in the
	// same run (each a whole ctl process).
	t0 := time.Now()
	w.ctl("status")
	base := time.Since(t0)
	t0 = time.Now()
	w.ctl("lyrics")
	t.Logf("ctl lyrics (known) took %.2fx ctl status's time (%v vs %v)", float64(time.Since(t0))/float64(base), time.Since(t0).Round(time.Millisecond), base.Round(time.Millisecond))
	want := "First line\nChorus line\nThird line\nChorus line\nLast line\n"
	if out != want {
		t.Errorf("ctl lyrics printed %q, want %q", out, want)
	}

	parsed := lyrics.ParseLRC([]byte(albumLRC))
	for _, sec := range []string{"0", "5", "9", "12", "16"} {
		w.ctl("seek", sec)
		var st = w.status()
		poll.Until(t, "the seek to "+sec, func() bool {
			st = w.status()
			return st.PositionSeconds >= mustFloat(sec) && st.PositionSeconds < mustFloat(sec)+1
		})
		i := parsed.LineAt(time.Duration(st.PositionSeconds * float64(time.Second)))
		wantLine := ""
		if i >= 0 {
			wantLine = parsed.Lines[i].Text
		}
		if st.LyricsLine == nil || *st.LyricsLine != wantLine {
			got := "<absent>"
			if st.LyricsLine != nil {
				got = *st.LyricsLine
			}
			t.Errorf("at %.2f s lyrics_line is %q, want %q", st.PositionSeconds, got, wantLine)
		}
	}

	// Another track without lyrics: followed, and said so.
	w.ctl("play", "/Music/Other/other.mp3")
	var errs string
	poll.Until(t, "ctl lyrics on a track without any", func() bool {
		_, e, code := w.pcplay("ctl", "lyrics")
		errs = e
		return code == 1 && strings.Contains(e, "No lyrics found")
	})
	if !strings.Contains(errs, "other.lrc and other.txt in the track's folder") || !strings.Contains(errs, "the file's tags") || strings.Contains(errs, "LRCLIB") {
		t.Errorf("ctl lyrics said %q", errs)
	}
	if st := w.status(); st.LyricsLine != nil {
		t.Errorf("lyrics_line %q on a track without lyrics", *st.LyricsLine)
	}
}

func mustFloat(s string) float64 {
	var f float64
	for _, c := range s {
		f = f*10 + float64(c-'0')
	}
	return f
}

// In tmux: L shows the sidecar synced, the line at the position marked,
// and it follows a seek; ctl status --json agrees.
func TestTmuxLyricsPane(t *testing.T) {
	w := newTmuxWorld(t, withSidecar)
	w.saveSession() // a128 paused at 2 s
	w.start("ui")
	w.waitScreen("ui", "a128.mp3")
	// The library must know the track's folder first.
	poll.Until(t, "the engine finding the sidecar", func() bool {
		_, _, code := w.pcplay("ctl", "lyrics")
		return code == 0
	})
	w.tmux("send-keys", "-t", "ui", "L")
	w.waitScreen("ui", "▶ First line")
	if scr := w.screen("ui"); !strings.Contains(scr, "Chorus line") || !strings.Contains(scr, "from a128.lrc in the track's folder") {
		t.Errorf("the pane:\n%s", scr)
	}
	w.ctl("seek", "9")
	w.waitScreen("ui", "▶ Third line")
	if st := w.status(); st.LyricsLine == nil || *st.LyricsLine != "Third line" {
		t.Errorf("status --json at %.1f s: lyrics_line %v", st.PositionSeconds, st.LyricsLine)
	}
	w.tmux("send-keys", "-t", "ui", "Escape")
	poll.Until(t, "the pane closing", func() bool { return !strings.Contains(w.screen("ui"), "▶ Third line") })
}

// With lyrics_online = true and PCPLAY_LRCLIB_URL, a track that has none
// in pCloud gets LRCLIB's, asked by its artist and title (without it,
// LRCLIB is never asked: TestLyricsSidecarThroughCtl).
func TestLyricsOnline(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		asked []url.Values
	)
	lb := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Query())
		mu.Unlock()
		if r.URL.Query().Get("track_name") != "Tone Title" {
			rw.Write([]byte("[]"))
			return
		}
		song := map[string]any{"trackName": "Tone Title", "artistName": "Fixture Artist", "duration": 5,
			"syncedLyrics": "[00:00.50]Online one\n[00:02.00]Online two"}
		if r.URL.Path == "/api/search" {
			json.NewEncoder(rw).Encode([]any{song})
			return
		}
		json.NewEncoder(rw).Encode(song)
	}))
	t.Cleanup(lb.Close)
	w := newEngineWorld(t)
	w.setenv("PCPLAY_LRCLIB_URL", lb.URL)
	cfg := w.path("config", "pcplay", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("lyrics_online = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.startEngine()
	w.ctl("play", "/Music/Album/tagged.mp3")
	w.ctl("pause")
	var out, errs string
	if !poll.Eventually(patience, func() bool {
		o, e, code := w.pcplay("ctl", "lyrics")
		out, errs = o, e
		return code == 0
	}) {
		log, _ := os.ReadFile(w.path("state", "pcplay", "engine.log"))
		t.Fatalf("ctl lyrics never printed LRCLIB's lyrics; it said %q; the engine's log:\n%s", errs, log)
	}
	if out != "Online one\nOnline two\n" {
		t.Errorf("ctl lyrics printed %q", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) == 0 || asked[0].Get("artist_name") != "Fixture Artist" || asked[0].Get("track_name") != "Tone Title" {
		t.Errorf("LRCLIB was asked %v", asked)
	}
}
