package player

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcplay/pcplay/internal/defaults"
)

// Config configures a Player. Links and Output are required.
type Config struct {
	Links  LinkSource
	Output Output
	// HTTPClient fetches the streams; nil: the stream client with connect,
	// TLS and response-header timeouts (a host that accepts and never
	// answers gives way to the next one) and no overall timeout.
	HTTPClient *http.Client
	Bitrate    int // kbit/s asked of getaudiolink; 0: defaults.Bitrate
	Volume     int // 0..100 as given: 0 is silent (config's default is defaults.Volume)
	Logger     *slog.Logger
	// Stream is passed to OpenTrack for every track; the player fills in
	// Links, Bitrate, HTTPClient (when unset, from Config.HTTPClient) and
	// OnChange.
	Stream StreamOptions
	// AutoBitrate: when a stream arrives slower than its bitrate, the
	// player steps down to the next lower of defaults.Bitrates by itself
	// (config auto_bitrate); else it suggests it once in Status.Err.
	AutoBitrate bool
	// PreloadAhead: the next track is opened this long before the current
	// one ends (or as soon as the current one is fully downloaded), so the
	// change of track has no gap. Default 20 s.
	PreloadAhead time.Duration
}

// Defaults of the player's own (the shared ones are in internal/defaults).
const (
	DefaultPreloadAhead = 20 * time.Second
	// prevRestart: Prev restarts the current track when it has played longer.
	prevRestart = 3 * time.Second
)

// Player owns the queue and the playback and reports events. All methods are
// safe for concurrent use and never block on the network.
type Player struct {
	cfg  Config
	out  Output
	log  *slog.Logger
	open openFunc
	mix  *mixer
	hub  Hub
	// hosts: the stream hosts that failed lately, shared by the streams
	// (stream_hosts.go).
	hosts *hostMemory

	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	closeOnce sync.Once

	mu        sync.Mutex
	q         queue
	curID     uint64  // entry playing or, when stopped, the one Play starts
	cur       *source // what the mixer plays (nil: stopped)
	nxt       *source // preloaded follower handed to the mixer
	paused    bool
	cued      bool          // stopped at cueAt of curID, shown as paused (Cue)
	cueAt     time.Duration // where Play starts a cued track
	volume    int
	muted     bool
	bitrate   int
	errMsg    string
	errored   bool // the last track failed and nothing plays
	failRun   int  // tracks failed in a row, to stop a queue of failures
	needLogin bool // the last failure was an account error (AccountError)
	slowSaid  bool // the suggestion of a lower bitrate was made (at this bitrate)
	sleep     sleepTimer

	devErr   atomic.Pointer[string] // what is wrong with the sound device now ("" or nil: nothing)
	gen      uint64
	closed   bool
	lastSent Status
}

var _ Controller = (*Player)(nil)

// New makes a player and starts its output (suspended until something plays).
func New(cfg Config) (*Player, error) {
	return newPlayer(cfg, openReal)
}

func newPlayer(cfg Config, open openFunc) (*Player, error) {
	if cfg.Links == nil {
		return nil, errors.New("player: Config.Links is required")
	}
	if cfg.Output == nil {
		return nil, errors.New("player: Config.Output is required")
	}
	if cfg.Output.SampleRate() <= 0 {
		return nil, fmt.Errorf("player: output sample rate %d is not positive", cfg.Output.SampleRate())
	}
	if cfg.Bitrate == 0 {
		cfg.Bitrate = defaults.Bitrate
	}
	if !defaults.ValidBitrate(cfg.Bitrate) {
		return nil, fmt.Errorf("player: bitrate %d kbit/s is outside %d..%d", cfg.Bitrate, defaults.MinBitrate, defaults.MaxBitrate)
	}
	cfg.Volume = clampVolume(cfg.Volume)
	if cfg.PreloadAhead <= 0 {
		cfg.PreloadAhead = DefaultPreloadAhead
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p := &Player{
		cfg:     cfg,
		out:     cfg.Output,
		log:     cfg.Logger,
		open:    open,
		wake:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
		volume:  cfg.Volume,
		bitrate: cfg.Bitrate,
		hosts:   newHostMemory(),
	}
	p.q.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	p.mix = newMixer(p.wake)
	p.mix.gain = gainFor(p.volume, false)
	p.out.SetPaused(true)
	if w, ok := p.out.(deviceWatcher); ok {
		w.WatchDevice(func(err error) {
			var msg string
			if err != nil {
				msg = deviceSentence(err)
			}
			p.devErr.Store(&msg)
			p.poke()
		})
	}
	if err := p.out.Start(p.mix); err != nil {
		return nil, fmt.Errorf("player: starting the audio output: %w", err)
	}
	p.lastSent = p.Status()
	go p.loop()
	return p, nil
}

// clampVolume brings v into defaults.MinVolume..MaxVolume.
func clampVolume(v int) int { return max(defaults.MinVolume, min(defaults.MaxVolume, v)) }

// gainFor maps a 0..100 volume to an amplitude factor on a logarithmic
// scale (as beep's effects.Volume with Base 2): 100 is unity, every 15 steps
// down halve the amplitude (−6 dB), 0 and mute are silent.
func gainFor(v int, muted bool) float64 {
	if muted || v <= 0 {
		return 0
	}
	return math.Pow(2, float64(v-defaults.MaxVolume)/15)
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func closeAll(ss []*source) {
	for _, s := range ss {
		if s != nil {
			s.close()
		}
	}
}

// changed wakes the loop to publish. Under p.mu or not.
func (p *Player) changed() { p.poke() }

// do runs f under p.mu after syncing with the mixer, then closes what f
// replaced and wakes the loop.
func (p *Player) do(f func(closing *[]*source)) {
	var closing []*source
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.sync(&closing)
	f(&closing)
	p.mu.Unlock()
	closeAll(dedupe(closing))
	p.poke()
}

func dedupe(ss []*source) []*source {
	out := ss[:0]
	for i, s := range ss {
		if s == nil {
			continue
		}
		dup := false
		for _, o := range ss[:i] {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Close stops playback, the loop and the output, and closes subscriber
// channels.
func (p *Player) Close() error {
	var err error
	p.closeOnce.Do(func() {
		var closing []*source
		p.mu.Lock()
		p.stopLocked(&closing)
		p.sleep.stop()
		p.closed = true
		p.mu.Unlock()
		close(p.quit)
		<-p.done
		closeAll(dedupe(closing))
		// Drain sources the mixer ended meanwhile.
		for {
			select {
			case s := <-p.mix.ended:
				s.close()
				continue
			default:
			}
			break
		}
		err = p.out.Close()
		p.hub.Close()
	})
	return err
}
