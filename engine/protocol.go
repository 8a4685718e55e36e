package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// Protocol is the version of the socket protocol. A client and an engine of
// different protocols refuse each other.
//
// 3: the queue goes in pages ({"queue":{"gen","total","from","tracks"}}),
// a client line is at most 256 KiB, and a line must end within
// LineTimeout once begun.
const Protocol = 3

// Line limits.
const (
	// MaxClientLine bounds a line from a client. Long track lists go as
	// several commands (command.Command.Split), so a command needs room
	// for one track at the most: 4 texts of command.MaxTrackText bytes,
	// each escaped to at most 6 bytes a byte in JSON, is under 100 KiB.
	MaxClientLine = 256 << 10
	// MaxServerLine bounds a line from the engine. The queue goes in
	// pages of about queuePageBytes, so lines stay far below it.
	MaxServerLine = 8 << 20
)

// Connections.
const (
	// MaxConns is how many connections the engine serves at once (those
	// still in the hello included). One more is refused with a sentence
	// and closed; a UI or ctl that finds the engine full says so.
	MaxConns = 64
	// LineTimeout bounds a line from a client once its first byte came:
	// a line begun and not ended within it drops the client with an error
	// line. Between lines a client may stay silent for ever, at no cost.
	LineTimeout = 5 * time.Second
)

// Timeouts.
const (
	// HandshakeTimeout bounds the hello exchange and the first snapshot on
	// both sides.
	HandshakeTimeout = 5 * time.Second
	// WriteTimeout bounds one write on either side; a peer that does not
	// read for that long is dropped.
	WriteTimeout = 5 * time.Second
	// commandWriteTimeout bounds a client's command write: commands are
	// fire-and-forget and never hold up the UI for long.
	commandWriteTimeout = 2 * time.Second
)

// Version is this program's version, sent in the hello. main sets it.
var Version = "dev"

type hello struct {
	Protocol int    `json:"protocol"`
	Version  string `json:"version"`
	PID      int    `json:"pid,omitempty"` // the engine's process id
}

// request is a line from a client: the hello, or a command of the table
// ({"cmd":"NAME", ...its arguments}).
type request struct {
	Hello *hello `json:"hello,omitempty"`
	command.Call
}

// queueMsg is one page of the queue as of generation Gen: its Total
// tracks go in pages, in order, each with the tracks from index From on;
// nothing else comes between the pages of a generation. A client keeps the
// queue it had until the last page of a generation has come (an empty
// queue is one page of no tracks). When the queue grew at its end since
// the one last sent, of generation Base, the first page says so and the
// pages start at From, that queue's length: only the new tracks go.
type queueMsg struct {
	Gen    uint64         `json:"gen"`
	Base   uint64         `json:"base,omitempty"`
	Total  int            `json:"total"`
	From   int            `json:"from"`
	Tracks []player.Track `json:"tracks"`
}

// message is a line from the engine.
type message struct {
	Hello   *hello         `json:"hello,omitempty"`
	Refused string         `json:"refused,omitempty"` // the hello was refused: a sentence
	Queue   *queueMsg      `json:"queue,omitempty"`
	Status  *player.Status `json:"status,omitempty"`
	Sync    uint64         `json:"sync,omitempty"`
	Error   string         `json:"error,omitempty"` // the last line was refused; the engine closes
	Bye     string         `json:"bye,omitempty"`   // the engine is going away: why
	// Library is the music library's state (scan progress, generation),
	// sent after the first status and whenever it changes.
	Library *library.State `json:"library,omitempty"`
	// Lyrics is the playing track's lyrics state (engine/lyrics.go), sent
	// after the first status and whenever it changes.
	Lyrics *lyrics.State `json:"lyrics,omitempty"`
	// Listened is how many listens the host recorded since it started
	// (engine/history.go), sent after the first status and at each one.
	Listened *uint64 `json:"listened,omitempty"`
	// History is the history command's answer.
	History *historyMsg `json:"history,omitempty"`

	// withQueue: the writer sends the whole queue (pages) before this
	// message (the queue command's answer). Not on the wire.
	withQueue bool
}

// errLineTooLong is a line over the limit.
var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes (without the newline). A
// longer line is errLineTooLong; the rest of it is not read. The line may
// be r's buffer: it is good until the next read from r.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := r.ReadSlice('\n')
		if len(line)+len(frag) > max+1 { // +1: the newline
			return nil, errLineTooLong
		}
		if line == nil && err == nil { // all of it in the buffer: no copy
			return bytes.TrimRight(frag[:len(frag)-1], "\r"), nil
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return bytes.TrimRight(line[:len(line)-1], "\r"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// decodeLine parses one JSON object; anything else is an error. (Unmarshal
// reads line where it is; a Decoder would copy it.)
func decodeLine(line []byte, v any) error {
	if err := json.Unmarshal(line, v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) && strings.Contains(se.Error(), "after top-level value") {
			return errors.New("more than one JSON value on a line")
		}
		return fmt.Errorf("not a JSON object: %s", shortErr(err))
	}
	return nil
}

// shortErr keeps an error's text short (JSON errors may quote the input).
func shortErr(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// encodeLine is v as one line, or an error when it is over max.
func encodeLine(v any, max int) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(b)+1 > max {
		return nil, fmt.Errorf("a %d-byte message is over the %d-byte limit", len(b), max)
	}
	return append(b, '\n'), nil
}
