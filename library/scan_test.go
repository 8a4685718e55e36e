package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

// limits make a recursive listing of more than 60 entries answer 5000: a
// generated account of 300 tracks (most of them in /Music) then has
// listings split, as 3000 tracks did with 600; the size of the account is
// not the point of these tests (bench/cmd/libbench measures 100,000), and
// under -race every track indexed costs milliseconds.
var limits = pcloudtest.ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: 60, MaxDepth: 40}

func TestScanGenerated(t *testing.T) {
	t.Parallel()
	const tracks = 300
	root := pcloudtest.Generate(pcloudtest.GenOptions{Tracks: tracks, Seed: 1})
	f := newFixture(t, root)
	f.srv.SetListLimits(limits)
	var last Progress
	if err := f.lib.Scan(context.Background(), f.c, ScanOptions{Progress: func(p Progress) { last = p }}); err != nil {
		t.Fatal(err)
	}
	if !last.Done || last.Files != tracks || last.FoldersLeft != 0 {
		t.Fatalf("last progress %+v", last)
	}
	if n, _ := f.lib.Count(context.Background()); n != tracks {
		t.Fatalf("%d tracks indexed, want %d", n, tracks)
	}
	for _, id := range audioIDs(root) {
		if _, ok, err := f.lib.Track(context.Background(), id); !ok || err != nil {
			t.Fatalf("file %d not indexed (%v)", id, err)
		}
	}
	split := 0
	for _, r := range f.srv.Calls("listfolder") {
		if r.Params.Get("recursive") == "1" && (r.Params.Get("folderid") == "0" || r.Params.Get("path") == "/") {
			t.Fatalf("the root was listed recursively: %v", r.Params)
		}
		if r.Result == 5000 {
			split++
			// The folder is then listed plainly.
			found := false
			for _, r2 := range f.srv.Calls("listfolder") {
				found = found || (r2.Params.Get("folderid") == r.Params.Get("folderid") && r2.Params.Get("recursive") == "")
			}
			if !found {
				t.Fatalf("folder %s answered 5000 and was not listed plainly", r.Params.Get("folderid"))
			}
		}
	}
	if split == 0 {
		t.Fatal("no listing was split on 5000: the limit did not bite")
	}
	// An unchanged account: one diff call, no listing.
	f.srv.ResetLog()
	f.scan(t)
	if d, lf := len(f.srv.Calls("diff")), len(f.srv.Calls("listfolder")); d != 1 || lf != 0 || len(f.srv.Log()) != 1 {
		t.Fatalf("rescan of an unchanged account: %d diff, %d listfolder, %d calls", d, lf, len(f.srv.Log()))
	}
}

func TestScanDepthSplit(t *testing.T) {
	t.Parallel()
	deep := pcloudtest.Dir("L0")
	cur := deep
	for i := 1; i < 6; i++ {
		n := pcloudtest.Dir("L"+strings.Repeat("x", i), tagged("t.mp3", pcloudtest.Tags{Title: "T"}))
		cur.Children = append(cur.Children, n)
		cur = n
	}
	f := newFixture(t, pcloudtest.Dir("", deep))
	f.srv.SetListLimits(pcloudtest.ListLimits{RefuseRootRecursive: true, MaxDepth: 3})
	f.scan(t)
	if n, _ := f.lib.Count(context.Background()); n != 5 {
		t.Fatalf("%d tracks, want 5", n)
	}
}

func TestScanResume(t *testing.T) {
	t.Parallel()
	const tracks = 300
	gen := func() *pcloudtest.Node { return pcloudtest.Generate(pcloudtest.GenOptions{Tracks: tracks, Seed: 2}) }
	full := newFixture(t, gen())
	full.srv.SetListLimits(limits)
	full.scan(t)
	fullCalls := len(full.srv.Calls("listfolder"))

	f := newFixture(t, gen())
	f.srv.SetListLimits(limits)
	ctx, cancel := context.WithCancel(context.Background())
	err := f.lib.Scan(ctx, f.c, ScanOptions{Parallel: 1, Progress: func(p Progress) {
		if p.FoldersDone >= 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan: %v", err)
	}
	if done, _ := f.lib.Scanned(context.Background()); done {
		t.Fatal("an interrupted scan says it is complete")
	}
	before := len(f.srv.Calls("listfolder"))
	// A new process: the index is opened again.
	f.lib.Close()
	f.lib = f.open(t)
	f.srv.ResetLog()
	var first, last Progress
	reports := 0
	if err := f.lib.Scan(context.Background(), f.c, ScanOptions{Progress: func(p Progress) {
		if reports++; reports == 1 {
			first = p
		}
		last = p
	}}); err != nil {
		t.Fatal(err)
	}
	after := len(f.srv.Calls("listfolder"))
	if done, _ := f.lib.Scanned(context.Background()); !done {
		t.Fatal("a resumed scan did not finish")
	}
	if n, _ := f.lib.Count(context.Background()); n != tracks {
		t.Fatalf("%d tracks after resume, want %d", n, tracks)
	}
	// The files shown are the index's: those of the first run count too.
	if !last.Done || last.Files != tracks {
		t.Errorf("the resumed scan's last report: %+v, want Done and %d files", last, tracks)
	}
	if first.Files == 0 {
		t.Errorf("the resumed scan's first report counts none of the files indexed before: %+v", first)
	}
	if after >= fullCalls || before == 0 {
		t.Fatalf("resume made %d listings (%d before the cancel), a full scan %d", after, before, fullCalls)
	}
}

func TestDamagedIndexRebuilt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pcloudtest.Dir("", pcloudtest.Dir("A", tagged("01 x.mp3", pcloudtest.Tags{Title: "X"}))))
	f.scan(t)
	f.lib.Close()
	if err := os.WriteFile(f.lib.Path(), []byte(strings.Repeat("this is not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(f.lib.Path() + "-wal")
	f.lib = f.open(t)
	msg := f.lib.Notice()
	if msg == "" || strings.Contains(msg, "\n") || !strings.HasSuffix(msg, ".") || !strings.Contains(msg, "rebuilt") {
		t.Fatalf("notice %q", msg)
	}
	if _, err := os.Stat(f.lib.Path() + ".damaged"); err != nil {
		t.Fatalf("damaged file not kept: %v", err)
	}
	f.srv.ResetLog()
	f.scan(t)
	if n, _ := f.lib.Count(context.Background()); n != 1 || len(f.srv.Calls("listfolder")) == 0 {
		t.Fatalf("after rebuild: %d tracks", n)
	}
}

func TestScanRetriesRateLimitAndTooOldDiff(t *testing.T) {
	t.Parallel()
	root := pcloudtest.Dir("", pcloudtest.Dir("A", tagged("01 a.mp3", pcloudtest.Tags{})), pcloudtest.Dir("B", tagged("01 b.mp3", pcloudtest.Tags{})),
		pcloudtest.Dir("Videos", pcloudtest.VideoFile("live.mp4", map[int][]byte{64: []byte("mp3")})))
	f := newFixture(t, root)
	ctx := context.Background()
	// The first listings are refused for the rate (4000): retried, not split.
	f.srv.SetListLimits(limits)
	if err := f.lib.Scan(ctx, f.c, ScanOptions{Parallel: 1, Backoff: func(int) time.Duration { return time.Millisecond }}); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetLog()
	f.srv.FailNext(2, 4000)
	if err := f.lib.Rescan(ctx, f.c, ScanOptions{Parallel: 1, Backoff: func(int) time.Duration { return time.Millisecond }}); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.lib.Count(ctx); n != 2 {
		t.Fatalf("%d tracks after a rate-limited scan", n)
	}
	// History gone: the next Scan is a full one, and sees the new file.
	f.srv.AddFile("/A", tagged("02 c.mp3", pcloudtest.Tags{}))
	f.srv.ForgetDiffs()
	f.srv.ResetLog()
	f.scan(t)
	if n, _ := f.lib.Count(ctx); n != 3 || len(f.srv.Calls("listfolder")) == 0 {
		t.Fatalf("after a too old diffid: %d tracks, %d listings", n, len(f.srv.Calls("listfolder")))
	}
	// Video sound only when asked.
	v, err := Open(f.lib.Path()+"-video.db", Options{Video: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Scan(ctx, f.c, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if ts, _ := v.TracksUnder(ctx, "/Videos"); len(ts) != 1 || !ts[0].Video {
		t.Fatalf("video tracks %+v", ts)
	}
	if ts, _ := f.lib.TracksUnder(ctx, "/Videos"); len(ts) != 0 {
		t.Fatalf("video indexed without the option: %+v", ts)
	}
}

// stutter is a Source whose plain listings are heard twice by the
// visitor, the first time cut short after cut entries, as the api's own
// retry of a listing cut in the middle does.
type stutter struct {
	*api.Client
	cut int
}

var errCut = errors.New("cut short")

func (s *stutter) ListFolderWith(ctx context.Context, id uint64, o api.ListOptions) (*api.Metadata, error) {
	if o.Recursive {
		return nil, &api.Error{Code: 5000, Method: "listfolder"} // split: list plainly
	}
	if o.Visit != nil {
		n := 0
		_, err := s.Client.ListFolderWith(ctx, id, api.ListOptions{Visit: func(ev api.ListEvent, m *api.Metadata) error {
			if n++; n > s.cut {
				return errCut
			}
			return o.Visit(ev, m)
		}})
		if err != nil && err != errCut {
			return nil, fmt.Errorf("the cut listing: %v", err)
		}
	}
	return s.Client.ListFolderWith(ctx, id, o)
}

// A listing heard again from its start after a try cut short (deep in a
// folder) is written once and right: every track at its path, every folder
// listed once.
func TestListingTriedAgainAfterACut(t *testing.T) {
	for _, cut := range []int{2, 5, 9} {
		f := newFixture(t, pcloudtest.Dir("",
			pcloudtest.Dir("Music",
				pcloudtest.Dir("A", pcloudtest.Dir("A1", tagged("1.mp3", pcloudtest.Tags{}), tagged("2.mp3", pcloudtest.Tags{}))),
				pcloudtest.Dir("B", tagged("3.mp3", pcloudtest.Tags{}), pcloudtest.Dir("B1", tagged("4.mp3", pcloudtest.Tags{}))),
				tagged("5.mp3", pcloudtest.Tags{}))))
		f.srv.ResetLog()
		if err := f.lib.Scan(context.Background(), &stutter{Client: f.c, cut: cut}, ScanOptions{}); err != nil {
			t.Fatal(err)
		}
		ts, err := f.lib.TracksUnder(context.Background(), "/")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tr := range ts {
			got = append(got, tr.Path)
		}
		want := []string{"/Music/A/A1/1.mp3", "/Music/A/A1/2.mp3", "/Music/B/B1/4.mp3", "/Music/B/3.mp3", "/Music/5.mp3"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("cut after %d: paths %q, want %q", cut, got, want)
		}
		lists := map[string]int{}
		for _, r := range f.srv.Log() {
			if r.Method == "listfolder" && r.Params.Get("recursive") != "1" && r.Params.Get("folderid") != "" {
				lists[r.Params.Get("folderid")]++
			}
		}
		for id, n := range lists {
			if n != 2 { // the try cut short (or heard whole), then the whole one
				t.Errorf("cut after %d: folder %s listed %d times", cut, id, n)
			}
		}
	}
}

// peek is a Source that counts the tracks in the index while a recursive
// listing is still being read, at its event number at.
type peek struct {
	*api.Client
	lib   *Library
	at    int
	count int
}

func (p *peek) ListFolderWith(ctx context.Context, id uint64, o api.ListOptions) (*api.Metadata, error) {
	if o.Visit != nil && o.Recursive {
		visit, n := o.Visit, 0
		o.Visit = func(ev api.ListEvent, m *api.Metadata) error {
			if n++; n == p.at {
				p.count, _ = p.lib.Count(ctx)
			}
			return visit(ev, m)
		}
	}
	return p.Client.ListFolderWith(ctx, id, o)
}

// A listing is written as it is read, in bounded steps: the index holds
// tracks of a recursive listing of 260 files before its end was read.
func TestListingWrittenAsItIsRead(t *testing.T) {
	// Batches of 100 (2,000 in use): the same proof on a tenth of the
	// tracks (this took 15 s under -race).
	defer func(n int) { writeBatch = n }(writeBatch)
	writeBatch = 100
	f := newFixture(t, pcloudtest.Generate(pcloudtest.GenOptions{Tracks: 260, Seed: 7}))
	p := &peek{Client: f.c, lib: f.lib, at: writeBatch + 50}
	if err := f.lib.Scan(context.Background(), p, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if total, _ := f.lib.Count(context.Background()); total != 260 || p.count == 0 || p.count >= total {
		t.Fatalf("%d of %d tracks written at event %d of the listing", p.count, total, p.at)
	}
}
