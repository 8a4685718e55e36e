//go:build unix

package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
	"github.com/pcplay/pcplay/library"
)

// The music library through the binary: the engine scans the fake's
// generated account; views 2-4 and the search show it.

const libSeed = 5

// libLimits make pCloud split the big folders (a recursive listing of more
// than 25 entries answers 5000), so that a scan takes many listings.
var libLimits = pcloudtest.ListLimits{RefuseRootRecursive: true, MaxRecursiveFiles: 25}

// newLibraryWorld is an engine world whose fake serves a generated account
// of n tracks, reached through api (a gate the test may shut).
func newLibraryWorld(t *testing.T, n int) (*engineWorld, *listGate) {
	t.Helper()
	w := newWorld(t)
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: email, Password: password}},
		Root:     pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: libSeed}),
	})
	t.Cleanup(srv.Close)
	srv.SetListLimits(libLimits)
	w.srv = srv
	g := newListGate(t, srv.URL())
	ew := &engineWorld{world: w, ids: map[string]uint64{}, token: srv.Token(email)}
	ew.setenv("PCLOUD_TOKEN", ew.token)
	ew.flags = []string{"--output", "null", "--bitrate", "128", "--api-url", g.url}
	t.Cleanup(ew.stopAll)
	return ew, g
}

// listGate is a proxy to the fake that lets a number of listfolder calls
// through and holds the others until opened.
type listGate struct {
	url string

	mu      sync.Mutex
	allow   int // listfolder calls still let through; <0: all
	passed  int // listfolder calls let through
	waiting int
	open    chan struct{}
}

func newListGate(t *testing.T, target string) *listGate {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &listGate{allow: -1, open: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorHandler = func(rw http.ResponseWriter, _ *http.Request, _ error) { rw.WriteHeader(http.StatusBadGateway) }
	hs := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/listfolder") {
			g.mu.Lock()
			hold := g.allow == 0
			if hold {
				g.waiting++
			} else {
				g.passed++
				if g.allow > 0 {
					g.allow--
				}
			}
			open := g.open
			g.mu.Unlock()
			if hold {
				select {
				case <-open:
				case <-r.Context().Done():
					return
				}
			}
		}
		rp.ServeHTTP(rw, r)
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(g.release)
	g.url = hs.URL
	return g
}

// only lets n more listfolder calls through.
func (g *listGate) only(n int) {
	g.mu.Lock()
	g.allow = n
	g.mu.Unlock()
}

// release lets every call through from now on.
func (g *listGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.allow = -1
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

func (g *listGate) counts() (passed, waiting int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.passed, g.waiting
}

// fullScanCalls is the listfolder calls of a full scan of the same account
// by the library package in this process.
func fullScanCalls(t *testing.T, n int) int {
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: email, Password: password}},
		Root:     pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: libSeed}),
	})
	defer srv.Close()
	srv.SetListLimits(libLimits)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Token: srv.Token(email)})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(filepath.Join(t.TempDir(), "library.db"), library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if err := lib.Scan(context.Background(), c, library.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	return len(srv.Calls("listfolder"))
}

// albumOf finds in the generated tree an album folder of tagged tracks
// with track numbers (at least three), and its artist.
func albumOf(root *pcloudtest.Node) (artist, album string, titles []string) {
	type tr struct {
		no    int
		title string
	}
	var walk func(n *pcloudtest.Node) bool
	walk = func(n *pcloudtest.Node) bool {
		var ts []tr
		audio := 0
		var a, b string
		for _, c := range n.Children {
			if c.Folder {
				if walk(c) {
					return true
				}
				continue
			}
			if c.Category != 3 {
				continue // the cover, notes
			}
			audio++
			if c.Artist != "" && c.Album != "" && c.TrackNo > 0 {
				ts = append(ts, tr{c.TrackNo, c.Title})
				a, b = c.Artist, c.Album
			}
		}
		if len(ts) < 3 || len(ts) != audio || strings.Contains(n.Name, "Disc") {
			return false
		}
		artist, album = a, b
		sort.Slice(ts, func(i, j int) bool { return ts[i].no < ts[j].no })
		for _, x := range ts {
			titles = append(titles, x.title)
		}
		return true
	}
	if !walk(root) {
		return "", "", nil
	}
	return artist, album, titles
}

// generatedAlbum is the account newLibraryWorld(t, n) serves, and an
// album of it (see albumOf).
func generatedAlbum(t *testing.T, n int) (root *pcloudtest.Node, artist, album string, titles []string) {
	t.Helper()
	root = pcloudtest.Generate(pcloudtest.GenOptions{Tracks: n, Seed: libSeed})
	if artist, album, titles = albumOf(root); artist == "" {
		t.Fatal("the generated account has no numbered album")
	}
	return root, artist, album, titles
}

// rowOf is the row (0 first) of the line holding text in the list under
// the title line of the left pane.
func rowOf(t *testing.T, screen, text string) int {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i, l := range lines[1:] {
		if strings.Contains(l, text) {
			return i
		}
	}
	t.Fatalf("%q is not on the screen:\n%s", text, screen)
	return -1
}

// cursorTo moves the left pane's cursor ("› ") onto the row holding text
// with j and k. It looks again after every move, so a list that grows or
// re-sorts under it (a scan's last batch landing) cannot make it stop on
// a neighbour.
func (tm *term) cursorTo(text string) {
	tm.t.Helper()
	var s string
	on := func() bool {
		s = tm.screen()
		cur, at := -1, -1
		for i, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "› ") {
				cur = i
			}
			if strings.Contains(l, text) && at < 0 {
				at = i
			}
		}
		if cur >= 0 && cur == at {
			return true
		}
		switch {
		case cur < 0 || at < 0:
		case at > cur:
			tm.send(strings.Repeat("j", at-cur))
		default:
			tm.send(strings.Repeat("k", cur-at))
		}
		// Let the keys land before looking again.
		time.Sleep(100 * time.Millisecond)
		return false
	}
	if !poll.Eventually(patience, on) {
		tm.t.Fatalf("the cursor never reached %q; the screen:\n%s", text, s)
	}
}

func TestLibraryViewsAndSearch(t *testing.T) {
	t.Parallel()
	const n = 40
	w, _ := newLibraryWorld(t, n)
	root, artist, album, titles := generatedAlbum(t, n)

	tm := w.start(w.args()...)
	tm.waitFor("pCloud")
	tm.send("2")
	// The rows move while the scan adds artists: count them once it is done.
	tm.waitUntil("the whole list of artists", func(s string) bool {
		return strings.Contains(s, "▸ "+artist) && !strings.Contains(s, "Scanning pCloud")
	})
	tm.cursorTo("▸ " + artist)
	tm.send(keyEnter)
	tm.waitFor("Artists › "+artist, "▸ "+album)
	tm.cursorTo("▸ " + album)
	tm.send(keyEnter)
	s := tm.waitFor(append([]string{"Artists › " + artist + " › " + album}, titles...)...)
	// The tracks in track-number order.
	at := -1
	for i, title := range titles {
		r := rowOf(t, s, title)
		if r <= at {
			t.Fatalf("track %d %q is not after the one before; screen:\n%s", i+1, title, s)
		}
		at = r
	}

	// The album's durations are measured in the background (the generated
	// tracks are all the 8-second "mono" fixture).
	tm.waitUntil("the album's durations", func(s string) bool {
		for _, title := range titles {
			ok := false
			for _, l := range strings.Split(s, "\n") {
				if strings.Contains(l, title) && strings.Contains(l, "0:08") {
					ok = true
				}
			}
			if !ok {
				return false
			}
		}
		return true
	})

	// Search in Songs finds a song of another folder and plays it.
	other := songElsewhere(root, album)
	if other == "" {
		t.Fatal("the generated account has no song to search for")
	}
	tm.send("4", "/")
	tm.send(other)
	tm.waitUntil("the song in the results", func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "› ♪ ") && strings.Contains(l, other) {
				return true // under the cursor: the first result
			}
		}
		return false
	})
	tm.send(keyEnter, keyEnter)
	if !poll.Eventually(patience, func() bool {
		st := w.status()
		return st.Track != nil && st.Track.Title == other
	}) {
		t.Fatalf("%q does not play: %+v; the screen:\n%s", other, w.status(), tm.screen())
	}
	tm.quit()
}

// songElsewhere is the title of a tagged track outside album whose
// title is no other track's.
func songElsewhere(root *pcloudtest.Node, album string) string {
	count := map[string]int{}
	var all []*pcloudtest.Node
	var walk func(n *pcloudtest.Node)
	walk = func(n *pcloudtest.Node) {
		for _, c := range n.Children {
			if c.Folder {
				walk(c)
			} else if c.Category == 3 && c.Title != "" {
				count[c.Title]++
				all = append(all, c)
			}
		}
	}
	walk(root)
	word := regexp.MustCompile(`^[A-Za-z0-9 ]+$`)
	for _, c := range all {
		if c.Album != album && count[c.Title] == 1 && word.MatchString(c.Title) {
			return c.Title
		}
	}
	return ""
}

// A scan cut by the engine's stop resumes at the next start with fewer
// listings than a full scan; a damaged index is rebuilt with one sentence.
func TestLibraryResumeAndRebuild(t *testing.T) {
	t.Parallel()
	const n = 120
	full := fullScanCalls(t, n)
	w, g := newLibraryWorld(t, n)
	first := full / 3
	g.only(first)
	w.startEngine()
	poll.Until(t, "the scan held midway", func() bool { _, waiting := g.counts(); return waiting > 0 })
	w.stopAll()

	db := w.path("state", "pcplay", "library.db")
	g.release()
	before, _ := g.counts()
	w.startEngine()
	idx := openIndex(t, db)
	poll.Until(t, "the resumed scan's end", func() bool {
		idx.Reload()
		done, _ := idx.Scanned(context.Background())
		return done
	})

	if c, _ := idx.Count(context.Background()); c != n {
		t.Fatalf("the resumed scan indexed %d tracks, want %d", c, n)
	}
	after, _ := g.counts()
	if resumed := after - before; resumed >= full || resumed == 0 {
		t.Fatalf("the resumed scan made %d listings; a full one makes %d (the first run made %d)", resumed, full, before)
	}
	idx.Close()
	w.stopAll()

	// A damaged index: rebuilt, with the sentence on the UI's status line.
	for _, s := range []string{"-wal", "-shm"} {
		os.Remove(db + s)
	}
	if err := os.WriteFile(db, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := w.start(w.args()...)
	tm.waitFor("The music library index was damaged")
	tm.send("3")
	tm.waitFor("Albums", "▸ ")
	if _, err := os.Stat(db + ".damaged"); err != nil {
		t.Fatalf("the damaged index was not kept aside: %v", err)
	}
	tm.quit()
}

// openIndex opens the engine's index read only once it exists.
func openIndex(t *testing.T, path string) *library.Library {
	t.Helper()
	var idx *library.Library
	poll.Until(t, "the index", func() bool {
		var err error
		idx, err = library.OpenReader(path)
		return err == nil
	})

	return idx
}

// `pcplay ctl rescan` through the binary: the engine lists the account
// again while the index keeps every track and the UI every artist, saying
// it is rescanning; a file removed meanwhile is gone at the end.
func TestLibraryRescanKeepsTheViews(t *testing.T) {
	t.Parallel()
	const n = 40
	w, g := newLibraryWorld(t, n)
	root, artist, album, titles := generatedAlbum(t, n)
	db := w.path("state", "pcplay", "library.db")
	tm := w.start(w.args()...)
	tm.waitFor("pCloud")
	tm.send("2")
	tm.waitUntil("the whole list of artists", func(s string) bool {
		return strings.Contains(s, "▸ "+artist) && !strings.Contains(s, "Scanning pCloud")
	})
	idx := openIndex(t, db)
	defer idx.Close()
	poll.Until(t, "the first scan's end", func() bool { done, _ := idx.Scanned(context.Background()); return done })

	g.only(0) // the rescan's listings wait
	if out := w.ctl("rescan"); out == "" {
		t.Fatal("ctl rescan printed nothing")
	}
	tm.waitFor("Rescanning pCloud", "▸ "+artist)
	poll.Until(t, "a listing held", func() bool { _, waiting := g.counts(); return waiting > 0 })
	if s := tm.screen(); !strings.Contains(s, "▸ "+artist) {
		t.Fatalf("the artists went away during the rescan:\n%s", s)
	}
	// Read anew in the middle of it: the index still holds every track,
	// and a view opened now lists them.
	idx.Reload()
	if c, _ := idx.Count(context.Background()); c != n {
		t.Fatalf("during the rescan the index holds %d tracks, want its %d", c, n)
	}
	tm.send("3")
	tm.waitFor("Albums", "▸ "+album)
	w.srv.Remove(pathOf(t, root, titles[0])) // before the listings go on
	g.release()
	tm.waitUntil("the rescan's end", func(s string) bool { return !strings.Contains(s, "Rescanning pCloud") })
	poll.Until(t, "the removed track gone", func() bool {
		idx.Reload()
		c, _ := idx.Count(context.Background())
		return c == n-1
	})
	tm.quit()
}

// pathOf is the pCloud path of the track titled title in the generated
// tree.
func pathOf(t *testing.T, root *pcloudtest.Node, title string) string {
	t.Helper()
	var walk func(n *pcloudtest.Node, dir string) string
	walk = func(n *pcloudtest.Node, dir string) string {
		for _, c := range n.Children {
			p := dir + "/" + c.Name
			if c.Folder {
				if found := walk(c, p); found != "" {
					return found
				}
			} else if c.Title == title {
				return p
			}
		}
		return ""
	}
	p := walk(root, "")
	if p == "" {
		t.Fatalf("no track titled %q", title)
	}
	return p
}
