package library

import (
	"context"
	"sync"
	"time"

	"github.com/pcplay/pcplay/api"
)

// State is what a [Keeper] tells the views: how far the scan is, whether the
// lists are complete, and a generation that changes whenever the index
// did (the views then read their lists again).
type State struct {
	Scanning    bool   `json:"scanning,omitempty"`     // a scan (first one, or R) is under way
	Rescanning  bool   `json:"rescanning,omitempty"`   // the scan under way is R's: the lists are the index as it was, kept whole
	Complete    bool   `json:"complete,omitempty"`     // a full scan has finished: the lists are whole
	Files       int    `json:"files,omitempty"`        // tracks in the index as the scan runs (the index's count at its end)
	FoldersDone int    `json:"folders_done,omitempty"` // folders listed by the running scan
	FoldersLeft int    `json:"folders_left,omitempty"` // folders known and not yet listed
	Gen         uint64 `json:"gen,omitempty"`          // changes with every change of the index
	Err         string `json:"err,omitempty"`          // the last failure, a sentence; "" when all is well
	Notice      string `json:"notice,omitempty"`       // Open's notice (a damaged index rebuilt)
}

// KeeperOptions configure a [Keeper].
type KeeperOptions struct {
	Folders  []string // the library folders; none: the whole account
	Parallel int      // listings in flight (default 4)
	// Wait is one blocking diff's longest wait (see [FollowOptions.Wait]).
	Wait time.Duration
	// RetryWait is the pause after a failure (see [FollowOptions]).
	RetryWait time.Duration
	// Every is the least time between two progress reports of a scan
	// (default 200 ms); the end of a scan is always reported. The lists
	// are read again ([State.Gen] moves on) at most every 10 Every.
	Every time.Duration
	// Measure, when set, measures durations for Measure (measure.go).
	Measure Measurer
}

// Keeper keeps an index fresh for as long as [Keeper.Run] runs: the scan (resumed
// where it stopped), then pCloud's change feed; [Keeper.Rescan] scans again by
// hand. It is the one writer of the index (the engine's, or the one
// process of --foreground). Its [State] reaches the views through
// [Keeper.LibraryState].
type Keeper struct {
	lib *Library
	src Source
	o   KeeperOptions

	mu      sync.Mutex
	st      State
	changed chan struct{} // closed and replaced at each change of st
	last    time.Time     // the last progress published
	lastGen time.Time     // the last progress that moved Gen on
	rescan  chan struct{}
	retry   chan struct{} // Retry: end a wait after a failure now
	durs    chan played

	meas     measurer
	measWake chan struct{}
}

type played struct {
	fileID uint64
	d      time.Duration
}

// NewKeeper makes the keeper of lib, reading pCloud through src.
func NewKeeper(lib *Library, src Source, o KeeperOptions) *Keeper {
	if o.Every <= 0 {
		o.Every = 200 * time.Millisecond
	}
	k := &Keeper{lib: lib, src: src, o: o, changed: make(chan struct{}),
		rescan: make(chan struct{}, 1), retry: make(chan struct{}, 1), durs: make(chan played, 64), measWake: make(chan struct{}, 1)}
	k.st.Notice = lib.Notice()
	k.st.Complete, _ = lib.Scanned(context.Background())
	if lib.configChanged(context.Background(), o.Folders) {
		k.st.Complete = false // scanned for other folders: Run scans again
	}
	return k
}

// Library is the index the keeper writes.
func (k *Keeper) Library() *Library { return k.lib }

// LibraryState is the current [State] and a channel closed at its next
// change.
func (k *Keeper) LibraryState() (State, <-chan struct{}) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.st, k.changed
}

// Rescan asks [Keeper.Run] to scan everything again (the R key).
func (k *Keeper) Rescan() {
	select {
	case k.rescan <- struct{}{}:
	default:
	}
}

// Retry ends the wait after a failure now (the login changed: what failed
// may work), rather than after RetryWait, so the error stays in the state
// only until the next try says otherwise. Asked while nothing waits, it
// makes the next wait after a failure end at once.
func (k *Keeper) Retry() {
	select {
	case k.retry <- struct{}{}:
	default:
	}
}

// Played records a track's duration, learnt while it plays (the player's
// Status.Duration); a track already measured, or not in the index, is
// left alone. It never blocks.
func (k *Keeper) Played(fileID uint64, d time.Duration) {
	if fileID == 0 || d <= 0 {
		return
	}
	select {
	case k.durs <- played{fileID, d}:
	default:
	}
}

func (k *Keeper) set(fn func(s *State), publish bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fn(&k.st)
	if publish {
		k.last = time.Now()
		close(k.changed)
		k.changed = make(chan struct{})
	}
}

// progress is the scan's report; reports closer together than [KeeperOptions.Every] are
// folded into the next one.
func (k *Keeper) progress(p Progress) {
	k.mu.Lock()
	due := p.Done || time.Since(k.last) >= k.o.Every
	// The lists are read again at most every 10 reports: on 100,000
	// tracks, Artists takes ~100 ms.
	reread := p.Done || time.Since(k.lastGen) >= 10*k.o.Every
	if reread {
		k.lastGen = time.Now()
	}
	k.mu.Unlock()
	k.set(func(s *State) {
		s.Scanning = !p.Done
		s.Files, s.FoldersDone, s.FoldersLeft = p.Files, p.FoldersDone, p.FoldersLeft
		s.Err = ""
		if reread {
			s.Gen++
		}
		if p.Done {
			s.Complete, s.Rescanning = true, false
		}
	}, due)
}

func (k *Keeper) indexChanged(int) {
	k.set(func(s *State) { s.Gen++; s.Scanning, s.Rescanning = false, false; s.Complete = true; s.Err = "" }, true)
}

func (k *Keeper) failed(err error) {
	k.set(func(s *State) { s.Err = sentence(err) }, true)
}

// sentence is err for the status line.
func sentence(err error) string {
	if api.IsAuth(err) {
		return "Library: pCloud refused the login; log in again (pcplay login), then R rescans."
	}
	return "Library: " + api.Sentence(err)
}

// Run scans and follows the change feed until ctx ends. A failure that
// retrying cannot mend (the login refused) is reported in [State.Err] and
// tried again after [KeeperOptions.RetryWait] (default 15 s), or at once on [Keeper.Rescan].
func (k *Keeper) Run(ctx context.Context) {
	go k.durations(ctx)
	if k.o.Measure != nil {
		for range measureInFlight {
			go k.measuring(ctx)
		}
	}
	fo := FollowOptions{
		ScanOptions: ScanOptions{Folders: k.o.Folders, Parallel: k.o.Parallel, Progress: k.progress},
		Wait:        k.o.Wait, RetryWait: k.o.RetryWait,
		Changed: k.indexChanged, Error: k.failed,
	}
	for ctx.Err() == nil {
		fctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- k.lib.Follow(fctx, k.src, fo) }()
		var err error
		rescan := false
		select {
		case <-k.rescan:
			rescan = true
			cancel()
			<-done
		case err = <-done:
		}
		cancel()
		if ctx.Err() != nil {
			return
		}
		if rescan {
			// The lists stay as complete as they were (see Library.Rescan).
			k.set(func(s *State) { s.Scanning, s.Rescanning, s.Files, s.FoldersDone, s.FoldersLeft = true, true, 0, 0, 0 }, true)
			err = k.lib.Rescan(ctx, k.src, fo.ScanOptions)
			if err == nil {
				k.indexChanged(0)
				continue
			}
		}
		if err == nil || ctx.Err() != nil {
			continue
		}
		k.set(func(s *State) { s.Scanning, s.Rescanning = false, false }, false)
		k.failed(err)
		t := time.NewTimer(k.o.retryAfter())
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-k.retry:
		case <-k.rescan:
			k.Rescan() // Follow's scan resumes; rescan asked again below
		}
		t.Stop()
	}
}

// durations records the durations [Keeper.Played] hands in, one at a time.
func (k *Keeper) durations(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-k.durs:
			t, ok, err := k.lib.Track(ctx, p.fileID)
			if err != nil || !ok || t.Duration > 0 {
				continue
			}
			if k.lib.SetDuration(ctx, t.FileID, t.Hash, p.d) == nil {
				k.set(func(s *State) { s.Gen++ }, true)
			}
		}
	}
}

// retryAfter is the pause after a failure [Library.Follow] gives up on (the login
// refused: a new one may come from the login screen soon).
func (o KeeperOptions) retryAfter() time.Duration {
	if o.RetryWait > 0 {
		return o.RetryWait
	}
	return 15 * time.Second
}
