package engine

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pcplay/pcplay/command"
)

// conn is one client connection.
type conn struct {
	s       *server
	nc      net.Conn
	ctx     context.Context
	cancel  context.CancelFunc
	replies chan message // for the writer, in order
	done    chan struct{}

	mu  sync.Mutex
	bye string // why the engine ends the connection

	ui bool // the client said it is a UI (markUI); guarded by s.mu
}

// markUI counts the connection as an attached UI (the "ui" command): UIs,
// not every connection, keep an idle engine (a status bar polling ctl
// status kept it for ever).
func (c *conn) markUI() {
	c.s.mu.Lock()
	if !c.ui {
		c.ui = true
		c.s.uis++
	}
	c.s.mu.Unlock()
	c.s.poke()
}

// end makes the connection say goodbye with reason and close.
func (c *conn) end(reason string) {
	c.mu.Lock()
	if c.bye == "" {
		c.bye = reason
	}
	c.mu.Unlock()
	c.cancel()
	// A reader waiting for a hello gives up now (after the hello, the
	// writer closes the connection once it has said goodbye).
	c.nc.SetReadDeadline(time.Unix(1, 0))
}

func (c *conn) serve() {
	s := c.s
	attached := false
	defer func() {
		c.cancel()
		c.nc.Close()
		s.mu.Lock()
		delete(s.conns, c)
		if attached {
			s.attached--
		}
		if c.ui {
			s.uis--
		}
		last := len(s.conns) == 0
		s.mu.Unlock()
		if last { // no one to send the queue to: no copy of it kept
			s.qmu.Lock()
			s.qlast = nil
			s.qmu.Unlock()
		}
		s.poke()
		s.wg.Done()
	}()

	// A small buffer: an idle connection holds little (a long line is
	// gathered by readLine, up to MaxClientLine, only while it comes).
	r := bufio.NewReaderSize(c.nc, readBufSize)
	log, clientVersion, ok := c.greet(r)
	if !ok {
		return
	}
	s.mu.Lock()
	s.attached++
	attached = true
	s.mu.Unlock()
	s.poke()
	log.Info("client attached", "client_version", command.Clip(clientVersion))

	go c.write()
	defer func() {
		c.cancel()
		<-c.done
	}()
	c.readCommands(r, log)
}

// greet checks the peer and exchanges hellos. It returns the connection's
// logger and the client's version, and false when the connection must end
// (the reason has been written to the peer and logged).
func (c *conn) greet(r *bufio.Reader) (*slog.Logger, string, bool) {
	log := c.s.log
	pr, err := c.s.opts.peerOf(c.nc)
	if err == nil {
		err = allowPeer(pr, c.s.uid)
	}
	if err != nil {
		log.Warn("connection refused", "err", err)
		c.writeNow(message{Error: "Refused: " + err.Error()})
		return log, "", false
	}
	log = log.With("peer_pid", pr.PID)

	c.nc.SetReadDeadline(time.Now().Add(serverHandshakeTimeout))
	line, err := readLine(r, MaxClientLine)
	if err != nil {
		if errors.Is(err, errLineTooLong) {
			c.writeNow(message{Error: fmt.Sprintf("The hello line is over %d bytes.", MaxClientLine)})
		}
		log.Info("no hello", "err", err)
		return log, "", false
	}
	var req request
	if err := decodeLine(line, &req); err != nil || req.Hello == nil {
		if err == nil {
			err = errors.New("the first line must be a hello")
		}
		c.writeNow(message{Error: "Bad hello: " + err.Error()})
		log.Info("bad hello", "err", err)
		return log, "", false
	}
	me := &hello{Protocol: Protocol, Version: Version, PID: os.Getpid()}
	if req.Hello.Protocol != Protocol {
		c.writeNow(message{Hello: me, Refused: mismatchSentence(Version, Protocol, req.Hello.Protocol)})
		log.Info("protocol mismatch", "client_version", command.Clip(req.Hello.Version), "client_protocol", req.Hello.Protocol)
		return log, "", false
	}
	c.nc.SetReadDeadline(time.Time{})
	if !c.writeNow(message{Hello: me}) {
		return log, "", false
	}
	return log, req.Hello.Version, true
}

// readCommands reads and carries out the client's commands until it
// detaches or sends a line that ends the connection.
func (c *conn) readCommands(r *bufio.Reader, log *slog.Logger) {
	cmds := c.commands()
	for {
		line, err := c.nextLine(r)
		if err != nil {
			switch {
			case errors.Is(err, errLineTooLong):
				c.fail(fmt.Sprintf("A line over %d bytes was refused.", MaxClientLine))
				log.Warn("oversized line; closing the connection")
			case errors.Is(err, os.ErrDeadlineExceeded) && c.ctx.Err() == nil:
				c.fail(fmt.Sprintf("A line was begun and not ended within %v; closing the connection.", LineTimeout))
				log.Warn("a line not ended in time; closing the connection")
			case c.ctx.Err() == nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed):
				log.Info("client read", "err", err)
			}
			log.Info("client detached")
			return
		}
		if len(line) == 0 {
			continue
		}
		var req request
		if err := decodeLine(line, &req); err != nil {
			c.fail("Refused a line: " + err.Error())
			log.Warn("malformed line; closing the connection", "err", err)
			return
		}
		name := req.Cmd
		if name == "" && req.Hello != nil {
			name = "hello"
		}
		res, err := cmds.Run(name, req.Request)
		var refused *command.RefusedError
		switch {
		case errors.As(err, &refused):
			c.fail(err.Error())
			log.Warn("refused a command; closing the connection", "cmd", command.Clip(name), "err", err)
			return
		case err != nil:
			log.Error("a client's command failed", "cmd", name, "err", err)
			if name == "history" { // said to the client, who waits for it
				c.reply(message{History: &historyMsg{Error: err.Error()}})
			}
		}
		c.answer(res)
	}
}

// readBufSize is the read buffer of a connection.
const readBufSize = 4 << 10

// nextLine waits for the client's next line, for ever and with no timer
// while nothing comes (a UI may be idle for hours), then reads it: once
// its first byte is there, the line must end within LineTimeout and
// MaxClientLine bytes.
func (c *conn) nextLine(r *bufio.Reader) ([]byte, error) {
	if _, err := r.Peek(1); err != nil {
		return nil, err
	}
	if buf, _ := r.Peek(r.Buffered()); bytes.IndexByte(buf, '\n') >= 0 {
		return readLine(r, MaxClientLine) // all there: no deadline needed
	}
	c.nc.SetReadDeadline(time.Now().Add(LineTimeout))
	line, err := readLine(r, MaxClientLine)
	if err == nil {
		c.nc.SetReadDeadline(time.Time{})
	}
	return line, err
}

// fail sends an error line through the writer and ends the connection.
func (c *conn) fail(msg string) {
	select {
	case c.replies <- message{Error: msg}:
	case <-c.ctx.Done():
	}
	c.end("")
}

// writeNow writes one message before the writer runs (handshake).
func (c *conn) writeNow(m message) bool {
	b, err := encodeLine(m, MaxServerLine)
	if err != nil {
		return false
	}
	c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	_, err = c.nc.Write(b)
	return err == nil
}

// write sends the snapshot, then events and replies, until the connection
// ends; then it says goodbye when the engine ends it and closes it. The
// queue goes before a status whose QueueGen this client has not been sent
// (and before the queue command's answer), in pages.
func (c *conn) write() {
	defer close(c.done)
	defer c.nc.Close()
	s := c.s
	sub := s.p.Subscribe(c.ctx)
	var (
		sent  sentQueue       // the queue last sent
		libC  <-chan struct{} // the library's next change; armed after the first status
		lyrC  <-chan struct{} // the lyrics' next change (engine/lyrics.go), likewise
		lisC  <-chan struct{} // the next listen recorded (engine/history.go), likewise
		armed bool
	)
	send := func(m message) bool {
		if m.withQueue || m.Status != nil && (!sent.ok || m.Status.QueueGen != sent.gen) {
			if sent = c.sendQueue(sent); !sent.ok {
				return false
			}
		}
		return c.send(m)
	}
	for {
		select {
		case st, ok := <-sub:
			if !ok { // ctx ended (or the player closed)
				c.finish(send)
				return
			}
			if !send(message{Status: &st}) {
				c.cancel()
				return
			}
			if !armed {
				libC, armed = c.sendLibrary(send), true
				lyrC = c.sendLyrics(send)
				lisC = c.sendListened(send)
			}
		case <-libC:
			libC = c.sendLibrary(send)
		case <-lyrC:
			lyrC = c.sendLyrics(send)
		case <-lisC:
			lisC = c.sendListened(send)
		case m := <-c.replies:
			if !send(m) {
				c.cancel()
				return
			}
			if m.Error != "" {
				c.cancel()
				return
			}
		case <-c.ctx.Done():
			c.finish(send)
			return
		}
	}
}

// sendNext sends m, a state the client follows (the library's, the
// lyrics', the count of listens), and returns next, the channel of its
// next change. When the send failed it ends the connection and returns
// nil: a nil channel blocks a select for ever (and a synctest bubble sees
// it as durably blocked, where a channel made outside it is not).
func (c *conn) sendNext(send func(message) bool, m message, next <-chan struct{}) <-chan struct{} {
	if !send(m) {
		c.cancel()
		return nil
	}
	return next
}

// finish sends the replies queued before the end (an error line), then the
// goodbye when the engine ends the connection.
func (c *conn) finish(send func(message) bool) {
	for {
		select {
		case m := <-c.replies:
			if !send(m) {
				return
			}
			continue
		default:
		}
		break
	}
	c.goodbye()
}

func (c *conn) goodbye() {
	c.mu.Lock()
	bye := c.bye
	c.mu.Unlock()
	if bye != "" {
		c.send(message{Bye: bye})
	}
}

func (c *conn) send(m message) bool {
	b, err := encodeLine(m, MaxServerLine)
	if err != nil {
		c.s.log.Error("message not sent", "err", err)
		return true // skip it; the connection is fine
	}
	c.nc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	if _, err := c.nc.Write(b); err != nil {
		c.s.log.Info("client write", "err", err)
		return false
	}
	return true
}

// reply queues a message for the writer.
func (c *conn) reply(m message) {
	select {
	case c.replies <- m:
	case <-c.ctx.Done():
	}
}

// mismatchSentence is what a person reads when client and engine speak
// different protocols.
func mismatchSentence(engineVersion string, engineProto, clientProto int) string {
	return fmt.Sprintf("the running pcplay engine is version %s (protocol %d); this pcplay speaks protocol %d — run `pcplay stop` and start again",
		engineVersion, engineProto, clientProto)
}
