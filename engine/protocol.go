package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/library"
	"github.com/pcplay/pcplay/lyrics"
	"github.com/pcplay/pcplay/player"
)

// Protocol is the version of the socket protocol. A client and an engine of
// different protocols refuse each other.
const Protocol = 2

// Line limits.
const (
	MaxClientLine = 1 << 20 // a command (a long PlayNow list fits)
	MaxServerLine = 8 << 20 // a queue message
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

// queueMsg is the queue as of generation Gen.
type queueMsg struct {
	Gen    uint64         `json:"gen"`
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
}

// errLineTooLong is a line over the limit.
var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes (without the newline). A
// longer line is errLineTooLong; the rest of it is not read.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := r.ReadSlice('\n')
		if len(line)+len(frag) > max+1 { // +1: the newline
			return nil, errLineTooLong
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

// decodeLine parses one JSON object; anything else is an error.
func decodeLine(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("not a JSON object: %s", shortErr(err))
	}
	if d.More() {
		return errors.New("more than one JSON value on a line")
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
