package player

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// StreamOptions configure a TrackStream.
type StreamOptions struct {
	HTTPClient   *http.Client                    // nil → a client with connect/header timeouts, no overall timeout
	Links        LinkSource                      // where stream links come from
	Bitrate      int                             // kbit/s asked of getaudiolink
	ReadAhead    int                             // compressed bytes read ahead of playback; default 1 MiB
	KeepBehind   int                             // compressed bytes kept behind the play point; default 512 KiB
	StallTimeout time.Duration                   // no body bytes for this long → reconnect; default 5s
	MaxRetries   int                             // attempts per incident before failing (faults that are neither the network's nor pCloud's); default 6
	Backoff      func(attempt int) time.Duration // the quick retries after a fault; default jittered 200ms·2^n capped at 3s
	// The outage policy (stream_policy.go): after QuickRetries quick tries
	// the stream waits RetryBase·2^n (capped at RetryCap, with jitter)
	// between tries, as long as pCloud can't be reached; RateLimitWait at
	// least after pCloud's 4xxx. Expiring links get fresh ones for
	// ExpiryLimit. Defaults 1 s, 4 s, 60 s, 2 min. A try of a wait is
	// cheap (one request to a stream host of the link the stream has), so
	// that the music is back within RetryCap or so of pCloud's return.
	RetryBase     time.Duration
	RetryCap      time.Duration
	RateLimitWait time.Duration
	ExpiryLimit   time.Duration
	// HostTimeout: a stream host that sends no answer (its head) for this
	// long gives way to the next host of the link; default 15 s. It is
	// then tried after the others for BadHostFor, by every stream of the
	// player (stream_hosts.go); default 5 min.
	HostTimeout time.Duration
	BadHostFor  time.Duration
	// RebufferAhead: after the buffer ran dry, play resumes once this much
	// audio arrived (or the body ended); default 3 s. SlowAfter: throughput
	// below the bitrate for this long of receiving sets Slow; default 10 s.
	RebufferAhead time.Duration
	SlowAfter     time.Duration
	Logger        *slog.Logger // nil → discard
	OnChange      func()       // called whenever Status() changes; must not block

	// debounce overrides seekDebounce (tests, benchmarks); <0 = none.
	debounce time.Duration
	// hosts is the memory of bad stream hosts shared by a player's
	// streams; nil: the stream's own.
	hosts *hostMemory
}

// withDefaults fills in what o leaves unset and keeps the buffers at
// workable sizes.
func (o StreamOptions) withDefaults() StreamOptions {
	if o.ReadAhead <= 0 {
		o.ReadAhead = defaultReadAhead
	}
	o.ReadAhead = max(o.ReadAhead, 64<<10)
	if o.KeepBehind <= 0 {
		o.KeepBehind = defaultKeepBehind
	}
	o.KeepBehind = max(o.KeepBehind, 16<<10)
	if o.StallTimeout <= 0 {
		o.StallTimeout = defaultStall
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = defaultMaxRetries
	}
	if o.Backoff == nil {
		o.Backoff = defaultBackoff
	}
	o.RetryBase = cmp.Or(max(o.RetryBase, 0), time.Second)
	o.RetryCap = cmp.Or(max(o.RetryCap, 0), defaultRetryCap)
	o.RateLimitWait = cmp.Or(max(o.RateLimitWait, 0), 60*time.Second)
	o.ExpiryLimit = cmp.Or(max(o.ExpiryLimit, 0), 2*time.Minute)
	o.HostTimeout = cmp.Or(max(o.HostTimeout, 0), defaultHostTimeout)
	o.BadHostFor = cmp.Or(max(o.BadHostFor, 0), defaultBadHostFor)
	if o.hosts == nil {
		o.hosts = newHostMemory()
	}
	o.RebufferAhead = cmp.Or(max(o.RebufferAhead, 0), 3*time.Second)
	o.SlowAfter = cmp.Or(max(o.SlowAfter, 0), 10*time.Second)
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.debounce == 0:
		o.debounce = seekDebounce
	case o.debounce < 0:
		o.debounce = 0
	}
	return o
}

// TrackStatus is what a TrackStream is doing.
type TrackStatus int

// Track stream states.
const (
	TrackConnecting   TrackStatus = iota // asking for a link / connecting
	TrackBuffering                       // connected, no PCM ready to play
	TrackPlaying                         // PCM available
	TrackReconnecting                    // recovering from a network fault
	TrackEnded                           // all samples delivered
	TrackFailed                          // failed for good; Err says why
	TrackWaiting                         // pCloud can't be reached: holding, Outage says until when and why
)

// String names the status.
func (s TrackStatus) String() string {
	switch s {
	case TrackConnecting:
		return "connecting"
	case TrackBuffering:
		return "buffering"
	case TrackPlaying:
		return "playing"
	case TrackReconnecting:
		return "reconnecting"
	case TrackEnded:
		return "ended"
	case TrackFailed:
		return "failed"
	case TrackWaiting:
		return "waiting"
	}
	return "unknown"
}

const (
	defaultReadAhead  = 1 << 20
	defaultKeepBehind = 512 << 10
	defaultStall      = 5 * time.Second
	defaultMaxRetries = 6
	// defaultRetryCap is the longest wait between the tries of an outage:
	// the music is back within about that of pCloud's return.
	defaultRetryCap    = 4 * time.Second
	defaultHostTimeout = 15 * time.Second
	defaultBadHostFor  = 5 * time.Minute
	// pcmSamples is the decoded look-ahead: about 3 s at 44.1/48 kHz
	// (512 KiB).
	pcmSamples = 131072
	// refillAt: the decoder is woken to refill the PCM ring once this many
	// samples are free (about 1.5 s), so that go-mp3 decodes in one long
	// burst every 1.5 s rather than a few frames after every pull of the
	// speaker: its tables stay in cache, and the engine wakes less
	// (bench/README.md, "decode bursts").
	refillAt = pcmSamples / 2
	// seekDebounce: seeks beyond the buffer made within this long of each
	// other are collapsed into one request.
	seekDebounce = 200 * time.Millisecond
	// decoderDelay is the delay of the standard MPEG Layer III synthesis
	// filterbank that go-mp3 implements (528 + 1 samples).
	decoderDelay = 529
	// minFill: after an underrun the status says playing again once this many
	// samples are decoded (or the decoder is done).
	minFill = 4096
)

// TrackStream streams one track: HTTP mp3 → bounded byte ring → go-mp3 →
// small PCM ring → Stream. See OpenTrack.
//
// Two goroutines do the work. The fetcher gets links, makes the requests
// (one per `start=` second: a segment), reads bodies into the byte ring
// (ReadAhead ahead of the decoder, KeepBehind behind it) and indexes their
// frames as they arrive: ring offset → track sample. The decoder runs go-mp3
// over a non-seeking reader on the ring and writes 16-bit PCM into a ~0.5 s
// ring that Stream converts to float64.
//
// Track samples are counted after the gapless trim (LAME encoder delay +
// the 529-sample decoder delay; the Info frame is never decoded), so sample
// 0 is the first sample of the source. A seek inside the ring restarts the
// decoder a few frames early (bit reservoir, filterbank overlap) and drops
// samples up to the target: sample-exact. Beyond the ring, a new request
// starts at the whole second. After a fault the next request starts a few
// frames before the end of what arrived; its first frame is matched
// byte-for-byte with the frames already received, so the join is exact when
// the server cuts the same file, and the decoder drops what it already has.
type TrackStream struct {
	fileID uint64
	o      StreamOptions
	log    *slog.Logger
	client *http.Client

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ready  chan struct{}
	kick   chan struct{} // wakes the fetcher (seek, close)
	space  chan struct{} // wakes the decoder (PCM ring has room, seek)

	readyOnce sync.Once
	closeOnce sync.Once

	rate       atomic.Int64 // sample rate; 0 until known
	durNS      atomic.Int64 // duration; 0 unknown
	downloaded atomic.Bool
	lastStatus atomic.Int32
	aheadB     atomic.Int64 // compressed bytes received ahead of the decoder
	byteRate   atomic.Int64 // bytes a second of the frames received; 0 unknown
	bodyOpen   atomic.Bool  // a body is being received
	slow       atomic.Bool  // throughput stayed below the bitrate (SlowAfter)

	// mu guards the compressed side: byte ring, segments, frame index,
	// fetcher and decoder coordination. Never held while calling out.
	mu        sync.Mutex
	cond      *sync.Cond // on mu: byte ring data/space, segments, jobs
	closed    bool
	ring      byteRing
	segs      []*segment
	nextSegID int
	idx       frameIndex
	ix        indexer
	decCur    int64 // decoder's read offset in ring
	bytesIn   int64 // body bytes received, all requests
	decWait   bool  // decoder waits for bytes/segments
	fetchWait bool  // fetcher waits for ring space
	job       decJob
	fetchGen  uint64      // bumped by seeks beyond the buffer
	next      *fetchReq   // request to make; nil = none
	nextAt    time.Time   // not before
	reqCancel func()      // cancels the request in flight
	switching bool        // SetBitrate ended the request in flight
	fetchErr  error       // fetcher gave up
	totalP    int64       // valid samples of the whole track; 0 unknown
	trackInfo bool        // totalP/trim came from a Xing/LAME tag
	trimStart int64       // samples to drop at the start of a start=0 stream
	cbrBits   int         // bitrate of the first frames while they agree; -1 VBR
	cbrFrames int         // frames seen agreeing on cbrBits
	clBytes   int64       // audio bytes of the first response when known (for CBR duration)
	clStart   int         // its start second
	link      Link        // current link
	haveLink  bool        //
	linkStale bool        // its hosts failed: a fresh one is preferred (getLink)
	linkAsked time.Time   // when a fresh link was last asked for in place of a stale one
	netBuf    []byte      // body read buffer (fetcher only)
	decBuf    []byte      // go-mp3 output buffer (decoder only)
	cmpBuf    []byte      // scratch for matchEarlier
	rr        *ringReader // decoder's reader (decoder only)
	attempts  int         // failed attempts in the current incident
	expSince  time.Time   // first link expiry of the current incident
	held      bool        // retries wait (the player is paused)
	endP      int64       // the furthest track sample indexed
	chainP    int64       // track sample after the last indexed frame
	chainOK   bool        // chainP is set
	exactP    int64       // sample count of a complete start=0 body without a Xing tag

	// pmu guards the PCM side, what Stream touches. Lock order: mu, then pmu.
	pmu       sync.Mutex
	pcm       pcmRing
	pcmGen    uint64 // job generation whose samples the ring holds
	headP     int64  // track sample (after gapless trim) of the next sample Stream returns
	posOver   time.Duration
	posOverOK bool // Position reports posOver (rate unknown or seek pending)
	decDone   bool // the decoder delivered everything it will
	finalErr  error
	finished  bool // Stream returned ok=false
	gotPCM    bool // some PCM was ever decoded
	starved   bool // no PCM to play (start, after a seek, underrun)
	connected bool
	recon     bool
	rebuf     bool      // ran dry after playing: resume with RebufferAhead buffered
	played    bool      // Stream gave samples since the start or the last seek
	waiting   bool      // waiting for pCloud (outage policy)
	waitUntil time.Time // next try
	waitWhy   string    // why, in words
}

// fetchReq is a request for a stream starting at sec.
type fetchReq struct {
	sec    int
	resume bool // continue after a fault (keep the buffered audio)
	probe  bool // ask whether audio follows the end of a body that ended short of the known length or with none known
}

// OpenTrack starts streaming fileID from start and returns at once: the
// link, the connection and decoding happen on goroutines. Stream gives
// silence (0, true) until PCM is decoded; Ready says when.
func OpenTrack(fileID uint64, start time.Duration, o StreamOptions) *TrackStream {
	o = o.withDefaults()
	if start < 0 {
		start = 0
	}
	t := &TrackStream{
		fileID:  fileID,
		o:       o,
		log:     o.Logger,
		client:  o.HTTPClient,
		ready:   make(chan struct{}),
		kick:    make(chan struct{}, 1),
		space:   make(chan struct{}, 1),
		ring:    newByteRing(o.ReadAhead + o.KeepBehind),
		pcm:     newPCMRing(pcmSamples),
		netBuf:  make([]byte, 32<<10),
		decBuf:  make([]byte, 1152*4),
		starved: true,
		rebuf:   true, // the start buffers RebufferAhead too (at once on a fast link)
		cbrBits: 0,
	}
	t.cond = sync.NewCond(&t.mu)
	t.ctx, t.cancel = context.WithCancel(context.Background())
	t.rr = &ringReader{t: t}
	t.posOver, t.posOverOK = start, true
	sec := int(start / time.Second)
	t.job = decJob{gen: 1, seg: 0, from: -1, discardT: start}
	t.pcmGen = 1
	t.next = &fetchReq{sec: sec}
	t.nextAt = time.Now()
	if o.Links == nil {
		t.fetchErr = errors.New("no stream link source was configured")
		t.next = nil
	}
	t.wg.Add(2)
	go t.fetchLoop()
	go t.decodeLoop()
	return t
}

// Close stops the goroutines and lets the buffers go; idempotent. It does not
// wait for the goroutines (they end promptly once the context is cancelled).
func (t *TrackStream) Close() {
	t.closeOnce.Do(func() {
		t.cancel()
		t.mu.Lock()
		t.closed = true
		if t.reqCancel != nil {
			t.reqCancel()
		}
		t.cond.Broadcast()
		t.mu.Unlock()
		t.pmu.Lock()
		if !t.finished {
			t.finished = true
			t.decDone = true
		}
		t.pmu.Unlock()
		t.wake()
		go t.release()
	})
}

// release lets the buffers go once the goroutines have ended (the player may
// keep a closed TrackStream around for a while).
func (t *TrackStream) release() {
	t.wg.Wait()
	t.mu.Lock()
	t.ring = byteRing{}
	t.idx = frameIndex{}
	t.ix = indexer{}
	t.segs = nil
	t.netBuf, t.decBuf, t.cmpBuf = nil, nil, nil
	t.mu.Unlock()
	t.pmu.Lock()
	t.pcm = pcmRing{}
	t.pmu.Unlock()
}

func (t *TrackStream) wake() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
	select {
	case t.space <- struct{}{}:
	default:
	}
}

func (t *TrackStream) markReady() { t.readyOnce.Do(func() { close(t.ready) }) }
