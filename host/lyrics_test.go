package host

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/player"
)

// The host looks lyrics up only once asked, then for each track played:
// the sidecar of the first track, then the second track's none.
func TestHostLyrics(t *testing.T) {
	f := fixtures.Get("a128")
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "l@example.com", Password: "pw"}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Album",
			pcloudtest.AudioFile("one.mp3", map[int][]byte{128: f.Data()}, pcloudtest.Tags{}),
			pcloudtest.TextFile("one.lrc", "[00:01.00]hello\n[00:02.00]world\n"),
			pcloudtest.AudioFile("two.mp3", map[int][]byte{128: f.Data()}, pcloudtest.Tags{}),
		)),
	})
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	h, err := Open(context.Background(), config.Settings{Output: "null", Region: "us", APIURL: srv.URL(),
		Token: srv.Token("l@example.com"), TokenKind: config.KindAuth, Bitrate: 128, Volume: 70}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	one, two := srv.FileID("/Album/one.mp3"), srv.FileID("/Album/two.mp3")
	h.Replace([]player.Track{{FileID: one, Name: "one.mp3"}, {FileID: two, Name: "two.mp3"}}, 0)
	poll.Until(t, "playing", func() bool { return h.Status().State == player.Playing })
	if st, _ := h.LyricsState(); st.FileID != 0 || st.Following || len(srv.Calls("getfilelink")) != 0 {
		t.Fatalf("lyrics looked up unasked: %+v", st)
	}
	// The library knows the folder once scanned; ask until then.
	poll.Until(t, "the sidecar", func() bool {
		h.WantLyrics()
		st, next := h.LyricsState()
		if !st.Settled(one) {
			select {
			case <-next:
			case <-time.After(time.Second):
			}
			st, _ = h.LyricsState()
		}
		return st.Settled(one) && st.Lyrics.Synced()
	})
	if st, _ := h.LyricsState(); st.Lyrics.Lines[1].Text != "world" || !st.Following {
		t.Errorf("the sidecar: %+v", st)
	}
	h.Next()
	poll.Until(t, "the next track's none", func() bool {
		st, _ := h.LyricsState()
		return st.Settled(two)
	})
	if st, _ := h.LyricsState(); st.Lyrics != nil || len(st.Looked) != 2 || st.Err != "" {
		t.Errorf("the next track: %+v", st)
	}
}
