// Package snapcast is `pcplay snapcast-plugin`: a Snapcast stream plugin
// (snapserver's `controlscript` of the pipe source that pcplay's
// --output pipe:PATH feeds), so that Snapweb and Snapdroid show what
// pcplay plays and their buttons reach it.
//
// snapserver starts the plugin with the stream's id (and, from 0.26, its
// HTTP port and host) and speaks newline-delimited JSON-RPC 2.0 on its
// stdin and stdout (snapcast's doc/json_rpc_api/stream_plugin.md): the
// plugin says Plugin.Stream.Ready, answers Plugin.Stream.Player.
// GetProperties, Control (play, pause, playPause, stop, next, previous,
// seek, setPosition) and SetProperty (volume, shuffle, loopStatus), and
// sends Plugin.Stream.Player.Properties when something shown changes. On
// the other side it is a client of the pcplay engine's socket, like
// `pcplay ctl`: it does not keep the engine alive nor start one; while
// there is none it says so (stopped, canControl false) and looks for one
// again every few seconds.
package snapcast

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/player"
)

// Options are how Serve finds the engine.
type Options struct {
	// Connect connects to the running engine (engine.Find); an error: none
	// now. The connection ends when its Subscribe channel closes.
	Connect func(ctx context.Context) (player.Controller, error)
	// Retry is the wait before looking for the engine again (default
	// DefaultRetry).
	Retry time.Duration
	// Say gets a sentence for snapserver's log (the plugin's stderr) when
	// the engine comes or goes; nil: none.
	Say    func(string)
	Logger *slog.Logger
}

// DefaultRetry is how often the plugin looks for an engine while there is
// none.
const DefaultRetry = 2 * time.Second

// maxLine bounds a request line from snapserver.
const maxLine = 1 << 20

// seekJump is how far the position may be from where it would be by the
// clock before the plugin tells snapserver (a seek): a position that runs
// on as expected is not sent every second.
const seekJump = 2 * time.Second

// JSON-RPC 2.0 error codes.
const (
	codeParse          = -32700
	codeInvalidRequest = -32600
	codeNoMethod       = -32601
	codeInvalidParams  = -32602
	codeNoEngine       = -32000
)

// ErrStdoutClosed is Serve's error when snapserver stopped reading.
var ErrStdoutClosed = errors.New("snapserver closed the plugin's stdout")

// Serve is the plugin: requests from in, answers and notifications to out,
// the engine through opts.Connect. It returns nil when in ends (snapserver
// stopped the stream), ctx's error when ctx ends.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	if opts.Retry <= 0 {
		opts.Retry = DefaultRetry
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Say == nil {
		opts.Say = func(string) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &server{out: out, opts: opts}
	defer s.drop()

	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go readLines(ctx, in, lines, readErr)

	if err := s.send(notification{Method: "Plugin.Stream.Ready"}); err != nil {
		return err
	}
	type dialed struct {
		c   player.Controller
		err error
	}
	conns := make(chan dialed, 1)
	dial := func() {
		go func() {
			c, err := opts.Connect(ctx)
			if err == nil && c == nil {
				err = errors.New("no engine")
			}
			conns <- dialed{c, err}
		}()
	}
	dial()
	var (
		retry <-chan time.Time
		sub   <-chan player.Status // closes when the connection ends (or Serve's)
		said  string
	)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-readErr:
			return err
		case line := <-lines:
			if err := s.request(line); err != nil {
				return err
			}
		case d := <-conns:
			if d.err != nil {
				if msg := "no pcplay engine to show: " + d.err.Error() + "; looking again every " + opts.Retry.String(); msg != said {
					said = msg
					opts.Say(msg)
				}
				retry = time.After(opts.Retry)
				continue
			}
			s.c = d.c
			sub = d.c.Subscribe(ctx)
			said = "connected to the pcplay engine"
			opts.Say(said)
		case <-retry:
			retry = nil
			dial()
		case st, ok := <-sub:
			if !ok {
				why := s.st.Err
				s.drop()
				sub = nil
				said = "the pcplay engine went away (" + why + "); looking for it again every " + opts.Retry.String()
				opts.Say(said)
				if err := s.notifyNow(); err != nil {
					return err
				}
				retry = time.After(opts.Retry)
				continue
			}
			if err := s.status(st); err != nil {
				return err
			}
		}
	}
}

// readLines sends each line of in to lines; at the end, nil (EOF) or the
// error to errc.
func readLines(ctx context.Context, in io.Reader, lines chan<- []byte, errc chan<- error) {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, err := readLine(r)
		if len(line) > 0 {
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			errc <- err
			return
		}
	}
}

// readLine is one line without its end; one longer than maxLine is
// skipped whole and given as tooLong.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	long := false
	for {
		part, err := r.ReadSlice('\n')
		if long = long || len(line)+len(part) > maxLine; !long {
			line = append(line, part...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if long {
			return tooLong, err
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// tooLong stands for a line longer than maxLine.
var tooLong = []byte("too long")

// server is Serve's state, owned by its loop.
type server struct {
	out  io.Writer
	opts Options
	c    player.Controller // nil: no engine

	st        player.Status
	queueGen  uint64
	queueLen  int
	queueSeen bool // queueLen is of queueGen

	sent     *properties // last sent
	sentPos  time.Duration
	sentAt   time.Time
	sentPlay bool
}

func (s *server) drop() {
	if s.c != nil {
		s.c.Close()
	}
	s.c, s.st, s.queueSeen = nil, player.Status{Index: -1}, false
}

type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  any    `json:"params,omitempty"`
}

type request struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (s *server) send(v any) error {
	if n, ok := v.(notification); ok {
		n.JSONRPC = "2.0"
		v = n
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := s.out.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("%w: %v", ErrStdoutClosed, err)
	}
	return nil
}

// request answers one line from snapserver.
func (s *server) request(line []byte) error {
	var req request
	if bytes.Equal(line, tooLong) {
		return s.send(response{JSONRPC: "2.0", ID: json.RawMessage("null"), Error: &rpcError{codeInvalidRequest, fmt.Sprintf("a request longer than %d bytes", maxLine)}})
	}
	if err := json.Unmarshal(line, &req); err != nil {
		return s.send(response{JSONRPC: "2.0", ID: json.RawMessage("null"), Error: &rpcError{codeParse, "not JSON: " + err.Error()}})
	}
	if len(req.ID) == 0 || string(req.ID) == "null" {
		return nil // a notification: nothing to answer
	}
	if req.Method == "" {
		return s.send(response{JSONRPC: "2.0", ID: req.ID, Error: &rpcError{codeInvalidRequest, "no method"}})
	}
	result, rerr := s.call(req.Method, req.Params)
	resp := response{JSONRPC: "2.0", ID: req.ID, Result: result, Error: rerr}
	if rerr == nil && result == nil {
		resp.Result = "ok"
	}
	if rerr != nil {
		s.opts.Logger.Info("snapcast request refused", "method", req.Method, "err", rerr.Message)
	}
	return s.send(resp)
}

// call runs one method: its result, or the error to answer.
func (s *server) call(method string, params json.RawMessage) (any, *rpcError) {
	switch method {
	case "Plugin.Stream.Player.GetProperties":
		return s.properties(), nil
	case "Plugin.Stream.Player.Control":
		var p struct {
			Command string `json:"command"`
			Params  struct {
				Offset   *float64 `json:"offset"`
				Position *float64 `json:"position"`
			} `json:"params"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, &rpcError{codeInvalidParams, "params: " + err.Error()}
		}
		return nil, s.control(p.Command, p.Params.Offset, p.Params.Position)
	case "Plugin.Stream.Player.SetProperty":
		var p map[string]json.RawMessage
		if err := json.Unmarshal(params, &p); err != nil || len(p) == 0 {
			return nil, &rpcError{codeInvalidParams, "params must be an object such as {\"volume\": 50}"}
		}
		for k, v := range p {
			if err := s.setProperty(k, v); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return nil, &rpcError{codeNoMethod, "pcplay does not know the method " + strconv.Quote(method)}
}

var errNoEngine = &rpcError{codeNoEngine, "no pcplay engine is running (start pcplay with --output pipe:PATH)"}

func (s *server) control(cmd string, offset, position *float64) *rpcError {
	c := s.c
	if c == nil {
		return errNoEngine
	}
	switch cmd {
	case "play":
		c.Play()
	case "pause":
		c.Pause()
	case "playPause":
		c.Toggle()
	case "stop":
		c.Stop()
	case "next":
		c.Next()
	case "previous":
		c.Prev()
	case "seek":
		d, ok := seconds(offset)
		if !ok {
			return &rpcError{codeInvalidParams, "seek needs params.offset, in seconds"}
		}
		c.SeekBy(d)
	case "setPosition":
		d, ok := seconds(position)
		if !ok || d < 0 {
			return &rpcError{codeInvalidParams, "setPosition needs params.position, in seconds from the start"}
		}
		c.Seek(d)
	default:
		return &rpcError{codeInvalidParams, "pcplay does not know the command " + strconv.Quote(cmd)}
	}
	return nil
}

// seconds is v seconds as a duration; false when missing or not finite (or
// beyond a day: no track is that long).
func seconds(v *float64) (time.Duration, bool) {
	if v == nil || math.IsNaN(*v) || math.Abs(*v) > 86400 {
		return 0, false
	}
	return time.Duration(*v * float64(time.Second)), true
}

func (s *server) setProperty(name string, raw json.RawMessage) *rpcError {
	c := s.c
	if c == nil {
		return errNoEngine
	}
	bad := func(want string) *rpcError {
		return &rpcError{codeInvalidParams, name + " must be " + want}
	}
	switch name {
	case "volume":
		var v float64
		if json.Unmarshal(raw, &v) != nil || math.IsNaN(v) || v < 0 || v > 100 {
			return bad("a number from 0 to 100")
		}
		c.SetVolume(int(math.Round(v)))
	case "shuffle":
		var v bool
		if json.Unmarshal(raw, &v) != nil {
			return bad("true or false")
		}
		c.SetShuffle(v)
	case "loopStatus":
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return bad(`"none", "track" or "playlist"`)
		}
		r, ok := map[string]player.Repeat{"none": player.RepeatOff, "track": player.RepeatOne, "playlist": player.RepeatAll}[v]
		if !ok {
			return bad(`"none", "track" or "playlist"`)
		}
		c.SetRepeat(r)
	case "rate":
		var v float64
		if json.Unmarshal(raw, &v) != nil || v != 1 {
			return bad("1: pcplay plays at its own pace only")
		}
	default:
		return &rpcError{codeInvalidParams, "pcplay has no property " + strconv.Quote(name) + " (volume, shuffle, loopStatus)"}
	}
	return nil
}

// status takes a new status from the engine and tells snapserver when
// something it shows changed.
func (s *server) status(st player.Status) error {
	s.st = st
	if !s.queueSeen || st.QueueGen != s.queueGen {
		s.queueGen, s.queueLen, s.queueSeen = st.QueueGen, len(s.c.Queue()), true
	}
	p := s.properties()
	if s.sent != nil && samePlay(*s.sent, p) {
		expect := s.sentPos
		if s.sentPlay {
			expect += time.Since(s.sentAt)
		}
		if d := st.Position - expect; d < seekJump && d > -seekJump {
			return nil
		}
	}
	return s.notify(p)
}

// notifyNow tells snapserver the properties as they are.
func (s *server) notifyNow() error { return s.notify(s.properties()) }

func (s *server) notify(p properties) error {
	s.sent, s.sentPos, s.sentAt, s.sentPlay = &p, s.st.Position, time.Now(), p.PlaybackStatus == "playing"
	return s.send(notification{Method: "Plugin.Stream.Player.Properties", Params: p})
}

// samePlay reports whether a and b show the same, the position aside.
func samePlay(a, b properties) bool {
	a.Position, b.Position = 0, 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// properties are a stream's properties as snapserver reads them.
type properties struct {
	PlaybackStatus string    `json:"playbackStatus"`
	LoopStatus     string    `json:"loopStatus"`
	Shuffle        bool      `json:"shuffle"`
	Volume         int       `json:"volume"`
	Rate           float64   `json:"rate"`
	Position       float64   `json:"position"`
	CanGoNext      bool      `json:"canGoNext"`
	CanGoPrevious  bool      `json:"canGoPrevious"`
	CanPlay        bool      `json:"canPlay"`
	CanPause       bool      `json:"canPause"`
	CanSeek        bool      `json:"canSeek"`
	CanControl     bool      `json:"canControl"`
	Metadata       *metadata `json:"metadata"` // always there: snapserver 0.26 reads it unchecked
}

// metadata is the playing track, with MPRIS's names (snapserver 0.26
// warns of "file", which its documentation lists).
type metadata struct {
	TrackID     string   `json:"trackId,omitempty"`
	Title       string   `json:"title,omitempty"`
	Artist      []string `json:"artist,omitempty"`
	Album       string   `json:"album,omitempty"`
	Duration    float64  `json:"duration,omitempty"`
	TrackNumber int      `json:"trackNumber,omitempty"`
}

var loopStatus = map[player.Repeat]string{player.RepeatOff: "none", player.RepeatOne: "track", player.RepeatAll: "playlist"}

// properties is what snapserver is told of the engine's status.
func (s *server) properties() properties {
	st := s.st
	p := properties{PlaybackStatus: "stopped", LoopStatus: loopStatus[st.Repeat], Rate: 1, Metadata: &metadata{}}
	if s.c == nil {
		return p
	}
	p.Shuffle, p.Volume, p.CanControl = st.Shuffle, st.Volume, true
	if st.Muted {
		p.Volume = 0
	}
	switch st.State {
	case player.Stopped, player.Errored:
	case player.Paused:
		p.PlaybackStatus = "paused"
	default:
		p.PlaybackStatus = "playing"
	}
	p.CanPlay = s.queueLen > 0
	if st.Index < 0 {
		return p
	}
	p.Position = st.Position.Seconds()
	p.CanPause, p.CanGoPrevious = true, true
	p.CanGoNext = st.Index+1 < s.queueLen || st.Repeat == player.RepeatAll || st.Shuffle
	t := st.Track
	d := st.Duration
	if d <= 0 {
		d = t.Duration
	}
	p.CanSeek = d > 0
	m := p.Metadata
	m.TrackID = "/pcplay/track/" + strconv.FormatUint(t.FileID, 10)
	m.Title = textsafe.Line(t.Title)
	if m.Title == "" {
		m.Title = textsafe.Line(strings.TrimSuffix(t.Name, path.Ext(t.Name)))
	}
	if t.Artist != "" {
		m.Artist = []string{textsafe.Line(t.Artist)}
	}
	m.Album = textsafe.Line(t.Album)
	m.Duration = d.Seconds()
	m.TrackNumber = t.TrackNo
	return p
}
