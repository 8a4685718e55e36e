package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/pcplay/pcplay/player"
)

// do carries out one command. An error closes the connection.
func (c *conn) do(r request) error {
	p := c.s.p
	switch r.Cmd {
	case "play":
		p.Play()
	case "pause":
		p.Pause()
	case "toggle":
		p.Toggle()
	case "stop":
		p.Stop()
	case "next":
		p.Next()
	case "prev":
		p.Prev()
	case "play_index":
		p.PlayIndex(r.Index)
	case "seek":
		p.Seek(time.Duration(r.Ms) * time.Millisecond)
	case "seek_by":
		p.SeekBy(time.Duration(r.Ms) * time.Millisecond)
	case "volume":
		p.SetVolume(r.Value)
	case "mute":
		p.ToggleMute()
	case "bitrate":
		p.SetBitrate(r.Value)
	case "shuffle":
		p.SetShuffle(r.On)
	case "repeat":
		p.SetRepeat(player.Repeat(r.Value))
	case "play_now":
		p.PlayNow(r.Tracks)
	case "enqueue":
		p.Enqueue(r.Tracks)
	case "insert_next":
		p.InsertNext(r.Tracks)
	case "remove":
		p.Remove(r.Index)
	case "move":
		p.Move(r.Index, r.To)
	case "clear":
		p.Clear()
	case "replace", "undo":
		return c.doQueue(r)
	case "status":
		st := p.Status()
		c.reply(message{Status: &st})
	case "sync":
		st := p.Status()
		c.reply(message{Status: &st, Sync: r.Seq})
	case "login":
		if c.s.opts.Login == nil {
			c.s.log.Warn("a login was sent; this engine takes none")
			return nil
		}
		if err := c.s.opts.Login(r.Token, r.Kind, r.Region); err != nil {
			c.s.log.Error("the login sent by a client failed", "err", err)
		} else {
			c.s.log.Info("a client sent its login", "kind", clip(r.Kind), "region", clip(r.Region))
		}
	case "folder":
		if c.s.opts.Folder != nil {
			c.s.opts.Folder(r.Path, r.FolderID)
		}
	case "rescan":
		if c.s.opts.Library != nil {
			c.s.opts.Library.Rescan()
		}
	case "measure":
		if c.s.opts.Library != nil && len(r.Files) <= maxMeasure {
			c.s.opts.Library.Measure(r.Files)
		}
	case "shutdown":
		c.s.log.Info("shutdown asked by a client")
		c.s.stopOnce.Do(func() { close(c.s.stop) })
	case "":
		if r.Hello != nil {
			return errors.New("a second hello")
		}
		return errors.New("a line without a command")
	default:
		return fmt.Errorf("unknown command %q", clip(r.Cmd))
	}
	return nil
}
