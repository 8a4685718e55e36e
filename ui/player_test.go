package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/fixtures"
	"github.com/pcplay/pcplay/player"
)

// TestWithRealPlayer drives the UI with the real engine (null output)
// against the fake: open a folder, play, pause, seek, next, stop.
func TestWithRealPlayer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("plays audio in real time")
	}
	a := fixtures.Get("a128").Data()
	b := fixtures.Get("b128").Data()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}},
		Root: pcloudtest.Dir("", pcloudtest.Dir("Music",
			pcloudtest.AudioFile("1 a.mp3", map[int][]byte{128: a}, pcloudtest.Tags{Artist: "Sine", Title: "A"}),
			pcloudtest.AudioFile("2 b.mp3", map[int][]byte{128: b}, pcloudtest.Tags{Artist: "Sine", Title: "B"}),
		)),
	})
	t.Cleanup(srv.Close)
	c := newClient(t, srv, srv.Token(testEmail))
	p, err := player.New(player.Config{Links: player.LinksFromAPI(c), Output: player.NewNull(44100), Bitrate: 128})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	h := newHarness(t, Options{Library: c, Player: p}, 80, 24)

	// until delivers player events until cond holds (generous deadline).
	until := func(what string, cond func(player.Status) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond(h.m.s.bar.st) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; status %+v\n%s", what, h.m.s.bar.st, noStyle(h.m))
			}
			c, ok := h.deferred["status"]
			if !ok {
				t.Fatalf("no status read armed while waiting for %s", what)
			}
			delete(h.deferred, "status")
			got := make(chan tea.Msg, 1)
			go func() { got <- c() }()
			select {
			case msg := <-got:
				h.send(msg)
			case <-time.After(time.Until(deadline)):
				t.Fatalf("no player event while waiting for %s", what)
			}
		}
	}

	h.keys("enter", "enter") // Music, play "1 a.mp3" and queue the rest
	until("playing A", func(s player.Status) bool {
		return s.State == player.Playing && s.Track.Title == "A" && s.Position > 0
	})
	until("the queue", func(player.Status) bool { return len(h.m.s.queue.tracks) == 2 })
	wantScreen(t, h, "▶ Playing  Sine – A")

	h.keys("space")
	until("paused", func(s player.Status) bool { return s.State == player.Paused })
	wantScreen(t, h, "⏸ Paused")

	before := h.m.s.bar.st.Position
	h.keys("right")
	if got := h.m.s.bar.st.Position; got < before+4*time.Second {
		t.Fatalf("seek target not shown at once: %v -> %v", before, got)
	}
	until("the seek", func(s player.Status) bool { return s.Position >= before+4*time.Second })

	h.keys("space", "n")
	until("track B", func(s player.Status) bool { return s.Track.Title == "B" && s.State == player.Playing })
	wantScreen(t, h, "Sine – B")

	h.keys("Q")
	if !h.quit || !h.m.StopRequested() {
		t.Fatal("Q didn't quit")
	}
	if st := p.Status(); st.State == player.Playing {
		t.Fatalf("still playing after Q: %+v", st)
	}
}
