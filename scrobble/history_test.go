package scrobble_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pcplay/pcplay/player"
	"github.com/pcplay/pcplay/scrobble"
)

func listenAt(i int) scrobble.Listen {
	return scrobble.Listen{
		Started:  time.UnixMilli(1_700_000_000_000 + int64(i)*1000),
		Duration: 3 * time.Minute,
		Track:    player.Track{FileID: uint64(i + 1), Name: fmt.Sprintf("%d.mp3", i), Artist: "A", Title: fmt.Sprint("T", i), Album: "Al", TrackNo: i % 20},
	}
}

// TestHistoryBoundedNewestFirstDurable: the history answers the newest
// first, keeps the last HistoryMax listens (the oldest dropped), and
// survives closing and opening the file again.
func TestHistoryBoundedNewestFirstDurable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "scrobble.db")
	q, err := scrobble.OpenQueue(path)
	if err != nil {
		t.Fatal(err)
	}
	if ls, err := q.History(ctx, 10); err != nil || ls == nil || len(ls) != 0 {
		t.Fatalf("empty history: %v, %v (want an empty, non-nil list)", ls, err)
	}
	total := scrobble.HistoryMax + 7
	var first []scrobble.Listen // one transaction, then one by one
	for i := range scrobble.HistoryMax - 3 {
		first = append(first, listenAt(i))
	}
	if err := q.Remember(ctx, first...); err != nil {
		t.Fatal(err)
	}
	for i := scrobble.HistoryMax - 3; i < total; i++ {
		if err := q.Remember(ctx, listenAt(i)); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	q, err = scrobble.OpenQueue(path)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	ls, err := q.History(ctx, scrobble.HistoryMax+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != scrobble.HistoryMax {
		t.Fatalf("the history holds %d listens, want %d", len(ls), scrobble.HistoryMax)
	}
	for k, l := range ls {
		want := listenAt(total - 1 - k)
		want.Track.Duration = want.Duration
		if l.Track != want.Track || !l.Started.Equal(want.Started) || l.Duration != want.Duration {
			t.Fatalf("listen %d is %+v, want %+v", k, l, want)
		}
	}
	// Only the first HistoryMax+7 rows ever existed: the oldest 7 are gone.
	if last := ls[len(ls)-1]; last.Track.FileID != 8 {
		t.Fatalf("the oldest kept is file %d, want 8", last.Track.FileID)
	}
	if ls, _ := q.History(ctx, 3); len(ls) != 3 || ls[0].Track.FileID != uint64(total) {
		t.Fatalf("History(3): %d listens, first %v", len(ls), ls)
	}
}

// TestRunKeepsHistoryWithoutServices: the scrobbler's one rule records a
// listen in the history though no service is set up, once half the track
// was heard, and not before; Listened is told. (Virtual time: a snapshot
// a second.)
func TestRunKeepsHistoryWithoutServices(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, err := scrobble.OpenMemoryQueue()
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		ctx := context.Background()
		sts := make(chan player.Status)
		began := time.Now()
		told := make(chan scrobble.Listen, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			scrobble.Run(ctx, sts, scrobble.Options{Queue: q, Listened: func(l scrobble.Listen) { told <- l }})
		}()
		tr := player.Track{FileID: 9, Name: "untagged.mp3"} // no artist: not sendable, still a listen
		feed := func(s int) {
			sts <- player.Status{State: player.Playing, Index: 0, Track: tr, Position: time.Duration(s) * time.Second, Duration: time.Minute}
			synctest.Wait()
			time.Sleep(time.Second)
		}
		for s := 0; s <= 29; s++ {
			feed(s)
		}
		if ls, _ := q.History(ctx, 10); len(ls) != 0 {
			t.Fatalf("before half: %d listens in the history", len(ls))
		}
		feed(30)
		close(sts)
		<-done
		ls, err := q.History(ctx, 10)
		if err != nil || len(ls) != 1 || ls[0].Track.FileID != 9 || !ls[0].Started.Equal(began) {
			t.Fatalf("after half: %v, %v", ls, err)
		}
		select {
		case l := <-told:
			if l.Track.FileID != 9 {
				t.Fatalf("Listened told %v", l)
			}
		default:
			t.Fatal("Listened was not told")
		}
	})
}

// BenchmarkRemember is the cost of keeping one listen (a full history:
// insert, trim, sync), against BenchmarkQueueAdd, queuing one for a
// service (the scrobbler's write before this change).
func BenchmarkRemember(b *testing.B) {
	ctx := context.Background()
	q, err := scrobble.OpenQueue(filepath.Join(b.TempDir(), "scrobble.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	fillHistory(b, q)
	b.ResetTimer()
	for i := range b.N {
		if err := q.Remember(ctx, listenAt(scrobble.HistoryMax+i)); err != nil {
			b.Fatal(err)
		}
	}
}

// fillHistory keeps HistoryMax listens in q.
func fillHistory(b *testing.B, q *scrobble.Queue) {
	b.Helper()
	var full []scrobble.Listen
	for i := range scrobble.HistoryMax {
		full = append(full, listenAt(i))
	}
	if err := q.Remember(context.Background(), full...); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkQueueAdd(b *testing.B) {
	ctx := context.Background()
	q, err := scrobble.OpenQueue(filepath.Join(b.TempDir(), "scrobble.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	b.ResetTimer()
	for i := range b.N {
		if err := q.Add(ctx, listenAt(i), "listenbrainz"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryAll reads the whole history (what view 6 asks at each
// listen).
func BenchmarkHistoryAll(b *testing.B) {
	ctx := context.Background()
	q, err := scrobble.OpenMemoryQueue()
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	fillHistory(b, q)
	b.ResetTimer()
	for range b.N {
		if ls, err := q.History(ctx, scrobble.HistoryMax); err != nil || len(ls) != scrobble.HistoryMax {
			b.Fatal(len(ls), err)
		}
	}
}
