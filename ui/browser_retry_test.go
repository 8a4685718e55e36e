package ui

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/playlist"
)

const waitingLine = "pCloud unreachable — retrying in"

// inBubble runs f in a testing/synctest bubble with the fake pCloud in
// memory (srv, reached by c, as newFake and newClient make them): the
// countdown's ticks take no real time, and the clock stands still while the
// model works, so what a wait shows does not depend on the machine's speed
// (a 1 ms wait reads "retrying in 1 s" until its tick, however loaded).
func inBubble(t *testing.T, f func(t *testing.T, srv *pcloudtest.Server, c *api.Client)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		srv := pcloudtest.NewServer(pcloudtest.Options{Accounts: []pcloudtest.Account{{Email: testEmail, Password: testPass}}, Root: testTree(), InMemory: true})
		t.Cleanup(srv.Close)
		c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(testEmail), TokenKind: api.TokenAuth, MaxAttempts: 1, HTTPClient: srv.InMemoryClient()})
		if err != nil {
			t.Fatal(err)
		}
		f(t, srv, c)
	})
}

// untilListed fires the countdown's ticks until the browser waits no more.
func untilListed(t *testing.T, h *harness) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.m.s.folders().wait != nil {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for pCloud:\n%s", noStyle(h.m))
		}
		h.fire("retry")
	}
}

// noTick checks that no countdown tick is pending: the chain stopped.
func noTick(t *testing.T, h *harness) {
	t.Helper()
	if w := h.m.s.folders().wait; w != nil {
		t.Fatalf("a listing still waits: %+v", w)
	}
	if _, ok := h.deferred["retry"]; ok {
		t.Fatal("a countdown tick is still pending")
	}
}

func TestListingOutageKeepsFolderAndLoadsWhenBack(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		h.keys("enter") // Music
		srv.Down()
		h.keys("enter") // Abbey Road, while pCloud is down
		b := h.m.s.folders()
		if got := b.cur().name; got != "Music" {
			t.Fatalf("shows %q during the outage, want Music still", got)
		}
		wantScreen(t, h, "pCloud › Music", "▸ Abbey Road/", "Solo – Loose", waitingLine, "Can't reach pCloud", "opening Abbey Road…")
		if strings.Contains(noStyle(h.m), "dial tcp") {
			t.Fatalf("a raw Go error on screen:\n%s", noStyle(h.m))
		}
		if b.wait == nil || !b.wait.armed {
			t.Fatalf("no countdown armed: %+v", b.wait)
		}
		// A few tries fail while it is down, each waiting longer.
		for range 3 {
			h.fire("retry")
		}
		if b.wait == nil || b.wait.tries < 2 {
			t.Fatalf("not retrying: %+v", b.wait)
		}
		srv.Up()
		untilListed(t, h) // no key
		wantScreen(t, h, "pCloud › Music › Abbey Road", "The Beatles – Come Together")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		noTick(t, h)
		h.keys("backspace") // the cursor Music had is kept
		if got := selectedName(h); got != "Abbey Road" {
			t.Fatalf("back in Music on %q", got)
		}
	})
}

func TestListingOutageStartFolder(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		srv.Down()
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		wantScreen(t, h, "pCloud", waitingLine)
		if strings.Contains(noStyle(h.m), "✗") {
			t.Fatalf("a failure shown for a listing that waits:\n%s", noStyle(h.m))
		}
		srv.Up()
		untilListed(t, h)
		wantScreen(t, h, "▸ Music/", "readme.txt")
		noTick(t, h)
	})
}

func TestListingOutageRefreshKeepsItems(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		srv.Down()
		h.keys("R")
		wantScreen(t, h, "▸ Music/", "readme.txt", waitingLine)
		srv.Up()
		untilListed(t, h)
		wantScreen(t, h, "▸ Music/", "readme.txt")
		noTick(t, h)
	})
}

func TestListingOutageNavigatingAwayCancels(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Hour}, 80, 24)
		h.keys("enter") // Music
		srv.Down()
		h.keys("enter") // Abbey Road waits
		if h.m.s.folders().wait == nil {
			t.Fatal("not waiting")
		}
		h.keys("backspace") // back to the top folder
		if w := h.m.s.folders().wait; w != nil {
			t.Fatalf("the wait goes on after leaving: %+v", w)
		}
		wantScreen(t, h, "▸ Music/", "readme.txt")
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
		srv.Up()
		n := len(srv.Calls("listfolder"))
		// The tick armed before is stale: it stops the chain, lists nothing.
		b := h.m.s.folders()
		h.fire("retry") // at most a second
		if got := len(srv.Calls("listfolder")); got != n {
			t.Fatalf("%d listings after the wait was cancelled", got-n)
		}
		noTick(t, h)
		if got := b.cur().name; got != "pCloud" {
			t.Fatalf("shows %q", got)
		}
	})
}

func TestListingRateLimitWaitsLongAndRRetries(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c}, 80, 24)
		srv.FailMethod("listfolder", 4000)
		h.keys("enter") // Music
		w := h.m.s.folders().wait
		if w == nil {
			t.Fatalf("4000 does not wait:\n%s", noStyle(h.m))
		}
		if w.delay < 60*time.Second || w.delay > 75*time.Second {
			t.Fatalf("4000 waits %v, want 60-75 s", w.delay)
		}
		wantScreen(t, h, waitingLine, "Too many login attempts")
		if !strings.Contains(noStyle(h.m), "retrying in 6") && !strings.Contains(noStyle(h.m), "retrying in 7") {
			t.Fatalf("countdown not about a minute:\n%s", noStyle(h.m))
		}
		srv.FailMethod("listfolder", 0)
		h.keys("R") // at once, without waiting the minute
		noTickAfterR := h.m.s.folders().wait
		if noTickAfterR != nil {
			t.Fatalf("R did not list at once: %+v", noTickAfterR)
		}
		wantScreen(t, h, "pCloud › Music", "▸ Abbey Road/")
	})
}

func TestRetryDelayBackoff(t *testing.T) {
	t.Parallel()
	base := time.Second
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 32 * time.Second, 7: 60 * time.Second, 40: 60 * time.Second} {
		for range 20 {
			d := retryDelay(n, base, false)
			if d < want*3/4 || d > want {
				t.Fatalf("try %d waits %v, want %v-%v", n, d, want*3/4, want)
			}
		}
	}
	for range 20 {
		if d := retryDelay(1, base, true); d < 60*time.Second || d > 75*time.Second {
			t.Fatalf("a rate limit waits %v", d)
		}
	}
}

func TestListingNotTransientFailsAsBefore(t *testing.T) {
	t.Parallel()
	h, srv := browse(t, 80, 24, Options{RetryBase: time.Millisecond})
	srv.FailMethod("listfolder", 2003)
	h.keys("enter")
	if w := h.m.s.folders().wait; w != nil {
		t.Fatalf("2003 waits: %+v", w)
	}
	wantScreen(t, h, "pCloud › Music", "denies access")
	noTick(t, h)
}

func TestListingWaitThenLoginRefused(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, Auth: c, RetryBase: time.Millisecond}, 80, 24)
		h.keys("enter") // Music
		srv.Down()
		h.keys("enter") // Abbey Road waits
		if h.m.s.folders().wait == nil {
			t.Fatal("not waiting")
		}
		srv.FailMethod("listfolder", 2000) // the token was revoked meanwhile
		srv.Up()
		untilListed(t, h)
		if got := h.screen(); got != "login" {
			t.Fatalf("screen %q after pCloud refused the login, want login:\n%s", got, noStyle(h.m))
		}
		noTick(t, h)
	})
}

func TestAddFolderWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		h.keys("enter") // Music, on Abbey Road
		h.p.take()
		srv.Down()
		h.keys("a")
		b := h.m.s.folders()
		if b.adding == nil {
			t.Fatalf("the add does not wait:\n%s", noStyle(h.m))
		}
		wantScreen(t, h, "Adding Abbey Road: "+waitingLine)
		wantCalls(t, h.p)
		srv.Up()
		deadline := time.Now().Add(10 * time.Second)
		for b.adding != nil {
			if time.Now().After(deadline) {
				t.Fatalf("still waiting:\n%s", noStyle(h.m))
			}
			h.fire("retry")
		}
		wantCalls(t, h.p, "Enqueue(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")
		noTick(t, h)
		if strings.Contains(noStyle(h.m), "unreachable") {
			t.Fatalf("the waiting line stayed:\n%s", noStyle(h.m))
		}
	})
}

func TestPlaylistsListWaitsForPCloud(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		store, err := playlist.NewAuto(c, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, Options{Library: c, Playlists: store}, 100, 30) // withPlaylists's
		h.m.s.e.o.RetryBase = time.Millisecond
		q := abbeyQueue(srv)
		if _, _, err := store.Create(t0(h), "Road trip", playlist.FromQueueAll(q[:1])); err != nil {
			t.Fatal(err)
		}
		srv.Down()
		h.keys("5")
		v := h.m.s.playlists()
		if v.wait == nil {
			t.Fatalf("the list does not wait:\n%s", noStyle(h.m))
		}
		wantScreen(t, h, "Playlists", waitingLine)
		if strings.Contains(noStyle(h.m), "✗") {
			t.Fatalf("a failure shown for a list that waits:\n%s", noStyle(h.m))
		}
		srv.Up()
		deadline := time.Now().Add(10 * time.Second)
		for v.wait != nil {
			if time.Now().After(deadline) {
				t.Fatalf("still waiting:\n%s", noStyle(h.m))
			}
			h.fire("retry")
		}
		wantScreen(t, h, "Road trip")
		noTick(t, h)
	})
}

func TestListingStartWaitSurvivesParentAtTheTop(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		srv.Down()
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		h.keys("backspace") // nowhere to go: the wait goes on
		if h.m.s.folders().wait == nil {
			t.Fatalf("backspace at the top ended the wait:\n%s", noStyle(h.m))
		}
		wantScreen(t, h, waitingLine)
		srv.Up()
		untilListed(t, h)
		wantScreen(t, h, "▸ Music/")
	})
}

func TestListingErrorThenOutageOnR(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Millisecond}, 80, 24)
		srv.FailNext(1, 2003)
		h.keys("enter") // Music: denied, shown in place
		wantScreen(t, h, "pCloud › Music", "denies access")
		srv.Down()
		h.keys("R") // the folder stays the one shown, now waiting
		wantScreen(t, h, "pCloud › Music", waitingLine)
		if strings.Contains(noStyle(h.m), "denies access") {
			t.Fatalf("the old error stayed with the waiting line:\n%s", noStyle(h.m))
		}
		srv.Up()
		untilListed(t, h)
		wantScreen(t, h, "pCloud › Music", "▸ Abbey Road/")
		noTick(t, h)
	})
}

// R during an add's wait reads the folder at once.
func TestAddFolderWaitR(t *testing.T) {
	t.Parallel()
	inBubble(t, func(t *testing.T, srv *pcloudtest.Server, c *api.Client) {
		h := newHarness(t, Options{Library: c, RetryBase: time.Hour}, 80, 24)
		h.keys("enter") // Music, on Abbey Road
		h.p.take()
		srv.Down()
		h.keys("E")
		wantScreen(t, h, "Adding Abbey Road: "+waitingLine)
		srv.Up()
		h.keys("R") // at once, not in an hour
		wantCalls(t, h.p, "InsertNext(01 Come Together.mp3,02 Something.mp3,03 Maxwell.mp3,10 Octopus's Garden.mp3)")
		if h.m.s.folders().adding != nil {
			t.Fatal("the add still waits")
		}
		h.fire("retry") // the tick armed before is stale
		noTick(t, h)
	})
}
