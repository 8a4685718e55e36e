package mpd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/command"
)

// MPD's error codes (ACK [code@index]).
const (
	ackNotList       = 1
	ackArg           = 2
	ackPassword      = 3
	ackPermission    = 4
	ackUnknown       = 5
	ackNoExist       = 50
	ackPlaylistMax   = 51
	ackSystem        = 52
	ackPlaylistLoad  = 53
	ackUpdateAlready = 54
	ackPlayerSync    = 55
	ackExist         = 56
)

// maxListCommands and maxListBytes bound a command list.
const (
	maxListCommands = 10_000
	maxListBytes    = 4 << 20
)

// ackError is a command's failure as MPD answers it.
type ackError struct {
	code int
	msg  string
}

func (e *ackError) Error() string { return e.msg }

func ackf(code int, format string, a ...any) error {
	return &ackError{code, fmt.Sprintf(format, a...)}
}

// errClose ends the connection after the answer (the close command).
var errClose = errors.New("close")

// client is one connection.
type client struct {
	s    *Server
	conn net.Conn
	w    *bufio.Writer

	lines chan string // the reader's lines; closed when it stops
	rerr  error       // why the reader stopped (read after lines closed)
	wake  chan struct{}

	mu      sync.Mutex
	pending subsystems

	authed      bool
	tags        tagMask // the tag types the client wants
	binaryLimit int
	pic         picture // the last picture read, for its next chunks

	ctx context.Context
}

func newClient(s *Server, conn net.Conn) *client {
	return &client{s: s, conn: conn, w: bufio.NewWriterSize(deadlineWriter{conn, s.o.WriteTimeout}, 16<<10),
		lines: make(chan string), wake: make(chan struct{}, 1),
		authed: s.o.Password == "", tags: allTags, binaryLimit: 8192}
}

// post records changes for idle.
func (c *client) post(m subsystems) {
	c.mu.Lock()
	c.pending |= m
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns and clears the pending changes in want.
func (c *client) take(want subsystems) subsystems {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.pending & want
	c.pending &^= got
	return got
}

// read reads the connection's lines until it fails.
func (c *client) read() {
	defer close(c.lines)
	r := bufio.NewReaderSize(c.conn, MaxLine)
	for {
		b, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			c.rerr = fmt.Errorf("a line longer than %d bytes", MaxLine)
			return
		}
		if err != nil {
			if len(b) == 0 || err != io.EOF {
				c.rerr = err
				return
			}
		}
		line := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		c.lines <- line
		if err != nil {
			c.rerr = err
			return
		}
	}
}

func (c *client) serve(ctx context.Context) {
	c.ctx = ctx
	go c.read()
	defer func() {
		c.conn.Close()
		for range c.lines { // the reader ends: its connection is closed
		}
	}()
	c.printf("OK MPD %s\n", Version)
	if c.flush() != nil {
		return
	}
	var list []string
	inList, listOK, listBytes := false, false, 0
	for {
		line, ok := <-c.lines
		if !ok {
			if c.rerr != nil && !errors.Is(c.rerr, io.EOF) && !errors.Is(c.rerr, net.ErrClosed) {
				if strings.HasPrefix(c.rerr.Error(), "a line longer") {
					c.printf("ACK [%d@0] {} %s\n", ackArg, c.rerr)
					c.flush()
				}
			}
			return
		}
		if inList {
			switch strings.TrimSpace(line) {
			case "command_list_end":
				inList = false
				err := c.runList(list, listOK)
				list = nil
				if err == errClose || c.flush() != nil {
					return
				}
			default:
				listBytes += len(line)
				if len(list) >= maxListCommands || listBytes > maxListBytes {
					c.printf("ACK [%d@%d] {} a command list of more than %d commands or %d MiB\n", ackArg, len(list), maxListCommands, maxListBytes>>20)
					c.flush()
					return
				}
				list = append(list, line)
			}
			continue
		}
		name, args, err := ParseLine(line)
		switch {
		case err != nil:
			code := ackArg
			if err == errNoCommand {
				code = ackUnknown
			}
			c.ack(code, 0, "", err.Error())
		case name == "command_list_begin" || name == "command_list_ok_begin":
			inList, listOK, list, listBytes = true, name == "command_list_ok_begin", nil, 0
			continue
		case name == "idle":
			if !c.idle(args) {
				return
			}
		case name == "noidle":
			continue // not idle: MPD ignores it, without an answer
		default:
			err := c.exec(name, args)
			if err == errClose {
				c.flush()
				return
			}
			if err != nil {
				c.ackErr(0, name, err)
			} else {
				c.printf("OK\n")
			}
		}
		if c.flush() != nil {
			return
		}
	}
}

// runList runs a command list: each command in turn until one fails (its
// ACK carries its index), list_OK after each with ok.
func (c *client) runList(list []string, ok bool) error {
	for i, line := range list {
		name, args, err := ParseLine(line)
		if err != nil {
			c.ack(ackArg, i, "", err.Error())
			return nil
		}
		switch name {
		case "idle", "noidle", "command_list_begin", "command_list_ok_begin":
			c.ack(ackArg, i, name, fmt.Sprintf("%s is not allowed in a command list", name))
			return nil
		}
		if err := c.exec(name, args); err != nil {
			if err == errClose {
				return err
			}
			c.ackErr(i, name, err)
			return nil
		}
		if ok {
			c.printf("list_OK\n")
		}
	}
	c.printf("OK\n")
	return nil
}

// idle waits for changes to the subsystems args name (all when none) or
// for noidle; false: the connection is to end.
func (c *client) idle(args []string) bool {
	var want subsystems
	for _, a := range args {
		i := -1
		for k, n := range subsystemNames {
			if strings.EqualFold(a, n) {
				i = k
			}
		}
		if i < 0 {
			c.ack(ackArg, 0, "idle", fmt.Sprintf("Unrecognized idle event: %s", command.Clip(a)))
			return true
		}
		want |= 1 << i
	}
	if !c.authed {
		c.ack(ackPermission, 0, "idle", `you don't have permission for "idle"`)
		return true
	}
	if want == 0 {
		want = ^subsystems(0)
	}
	if c.flush() != nil {
		return false
	}
	for {
		if got := c.take(want); got != 0 {
			c.changed(got)
			return true
		}
		select {
		case <-c.wake:
		case line, ok := <-c.lines:
			if !ok {
				return false
			}
			if strings.TrimSpace(line) != "noidle" {
				// MPD: only noidle may come while idle.
				return false
			}
			c.changed(c.take(want))
			return true
		}
	}
}

func (c *client) changed(m subsystems) {
	for i, n := range subsystemNames {
		if m&(1<<i) != 0 {
			c.printf("changed: %s\n", n)
		}
	}
	c.printf("OK\n")
}

// exec runs one command, writing its answer but not its OK.
func (c *client) exec(name string, args []string) error {
	spec, ok := commands[name]
	if !ok {
		return errUnknown(name)
	}
	if !c.authed && !spec.open {
		return ackf(ackPermission, "you don't have permission for %q", name)
	}
	if len(args) < spec.min || (spec.max >= 0 && len(args) > spec.max) {
		return ackf(ackArg, "wrong number of arguments for %q", name)
	}
	return spec.fn(c, args)
}

// run runs a table command, and tells the idle clients what it changed.
func (c *client) run(name string, r command.Request) (command.Result, error) {
	res, err := c.s.runner.Run(name, r)
	if err != nil {
		var re *command.RefusedError
		if errors.As(err, &re) {
			return res, ackf(ackArg, "%s", re.Msg)
		}
		return res, ackf(ackSystem, "%s", err.Error())
	}
	c.s.notify(ofChanged(res.Changed))
	return res, nil
}

// callCtx bounds a command's pCloud or index work.
func (c *client) callCtx() (context.Context, context.CancelFunc) {
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, c.s.o.CallTimeout)
}

// unknownError is an unknown command: MPD's ACK names no command.
type unknownError struct{ name string }

func (e *unknownError) Error() string { return fmt.Sprintf("unknown command %q", command.Clip(e.name)) }

func errUnknown(name string) error { return &unknownError{name} }

func (c *client) ackErr(i int, name string, err error) {
	var ae *ackError
	var ue *unknownError
	if errors.As(err, &ue) {
		c.ack(ackUnknown, i, "", ue.Error())
		return
	}
	if errors.As(err, &ae) {
		c.ack(ae.code, i, name, ae.msg)
		return
	}
	c.ack(ackSystem, i, name, err.Error())
}

func (c *client) ack(code, i int, name, msg string) {
	c.printf("ACK [%d@%d] {%s} %s\n", code, i, name, oneLine(msg))
}

func (c *client) printf(format string, a ...any) { fmt.Fprintf(c.w, format, a...) }

// kv writes one "Key: value" line; the value is made one line.
func (c *client) kv(key, value string) {
	c.w.WriteString(key)
	c.w.WriteString(": ")
	c.w.WriteString(oneLine(value))
	c.w.WriteByte('\n')
}

func (c *client) kvInt(key string, n int64) { c.kv(key, strconv.FormatInt(n, 10)) }

func (c *client) flush() error { return c.w.Flush() }

// deadlineWriter gives each write to the connection its deadline, and
// clears it after: a client that stops reading fails the write that
// waited too long, and an idle connection has no timer armed.
type deadlineWriter struct {
	conn    net.Conn
	timeout time.Duration
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	d.conn.SetWriteDeadline(time.Now().Add(d.timeout))
	n, err := d.conn.Write(p)
	d.conn.SetWriteDeadline(time.Time{})
	return n, err
}

// oneLine keeps a value on its line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
