package engine

import (
	"fmt"
	"log/slog"

	"github.com/pcplay/pcplay/command"
	"github.com/pcplay/pcplay/player"
)

// target is what the engine's commands act on when Options.Target is nil:
// the player, and Options' hooks for the rest (a hook left nil: that
// command does nothing).
type target struct {
	player.Controller
	opts Options
	log  *slog.Logger
}

var _ command.Target = target{}

func (t target) Login(token, kind, region string) error {
	if t.opts.Login == nil {
		t.log.Warn("a login was sent; this engine takes none")
		return nil
	}
	if err := t.opts.Login(token, kind, region); err != nil {
		return fmt.Errorf("the login sent by a client failed: %w", err)
	}
	t.log.Info("a client sent its login", "kind", command.Clip(kind), "region", command.Clip(region))
	return nil
}

func (t target) ReloadLogin() error {
	t.log.Warn("the saved login changed; this engine takes no login")
	return nil
}

func (t target) SetFolder(path string, id uint64) {
	if t.opts.Folder != nil {
		t.opts.Folder(path, id)
	}
}

func (t target) Rescan() {
	if t.opts.Library != nil {
		t.opts.Library.Rescan()
	}
}

func (t target) Measure(fileIDs []uint64) {
	if t.opts.Library != nil {
		t.opts.Library.Measure(fileIDs)
	}
}

// commands is the runner of one connection's commands: the table on the
// engine's target, with the server-level commands answered here.
func (c *conn) commands() command.Runner {
	return command.Runner{
		Target: sharedQueue{c.s.target, c.s},
		Server: map[string]command.Handler{
			"sync": func(t command.Target, r command.Request) (command.Result, error) {
				st := t.Status()
				c.reply(message{Status: &st, Sync: r.Seq})
				return command.Result{}, nil
			},
			"shutdown": func(command.Target, command.Request) (command.Result, error) {
				c.s.log.Info("shutdown asked by a client")
				c.s.stopOnce.Do(func() { close(c.s.stop) })
				return command.Result{}, nil
			},
			"ui": func(command.Target, command.Request) (command.Result, error) {
				c.markUI()
				return command.Result{}, nil
			},
			"hello": func(command.Target, command.Request) (command.Result, error) {
				return command.Result{}, &command.RefusedError{Msg: "a second hello"}
			},
		},
	}
}

// sharedQueue is the engine's target with the queue the connections send
// (queueSnapshot, read-only): the queue command's answer makes no copy of
// its own (answer sends the queue the writer's way, not the Result's).
type sharedQueue struct {
	command.Target
	s *server
}

func (t sharedQueue) Queue() []player.Track { return t.s.queueSnapshot().tracks }

// answer sends what a command answered: the queue (in pages, the
// writer's current copy rather than res.Queue), then the status.
func (c *conn) answer(res command.Result) {
	if res.History != nil {
		c.reply(message{History: &historyMsg{Listens: fitHistory(res.History)}})
	}
	if res.Status == nil {
		return
	}
	c.reply(message{Status: res.Status, withQueue: res.Queue != nil})
}
