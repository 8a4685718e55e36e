package ui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/pcplay/pcplay/player"
)

func (s *state) onKey(k tea.KeyPressMsg) tea.Cmd {
	if k.String() == "ctrl+c" {
		return s.quit(false)
	}
	switch s.screen {
	case screenLogin, screenTFA:
		return s.loginKey(k)
	}
	km := s.keys

	if s.help {
		switch {
		case key.Matches(k, km.Quit):
			return s.quit(false)
		case key.Matches(k, km.StopQuit):
			return s.quit(true)
		case key.Matches(k, km.Help), k.String() == "esc":
			s.help = false
			s.helpOffset = 0
		case key.Matches(k, km.Up):
			s.helpOffset--
		case key.Matches(k, km.Down):
			s.helpOffset++
		case key.Matches(k, km.PageUp):
			s.helpOffset -= s.height / 2
		case key.Matches(k, km.PageDown):
			s.helpOffset += s.height / 2
		case key.Matches(k, km.Top):
			s.helpOffset = 0
		}
		return nil
	}
	if s.picker {
		return s.pickerKey(k)
	}
	l := s.focused()
	if l.typing {
		return s.filterKey(k, l)
	}
	if k.String() == "esc" {
		if l.filter != "" {
			l.setFilter("")
		}
		return nil
	}

	page := s.listHeight() - 1
	if page < 1 {
		page = 1
	}
	p := s.o.Player
	switch {
	case key.Matches(k, km.Quit):
		return s.quit(false)
	case key.Matches(k, km.StopQuit):
		return s.quit(true)
	case key.Matches(k, km.Help):
		s.help = true
	case key.Matches(k, km.Up):
		l.move(-1)
	case key.Matches(k, km.Down):
		l.move(1)
	case key.Matches(k, km.PageUp):
		l.move(-page)
	case key.Matches(k, km.PageDown):
		l.move(page)
	case key.Matches(k, km.Top):
		l.top()
	case key.Matches(k, km.Bottom):
		l.bottom()
	case key.Matches(k, km.Tab):
		if s.focus == paneBrowser {
			s.focus = paneQueue
		} else {
			s.focus = paneBrowser
		}
	case key.Matches(k, km.Filter):
		l.typing = true
	case key.Matches(k, km.Open):
		if s.focus == paneQueue {
			if i := s.ql.selected(); i >= 0 && p != nil {
				p.PlayIndex(i)
			}
			return nil
		}
		return s.br.open(s)
	case key.Matches(k, km.Parent):
		if s.focus == paneBrowser {
			return s.br.parent(s)
		}
	case key.Matches(k, km.Add):
		if s.focus == paneBrowser {
			return s.br.add(s)
		}
	case key.Matches(k, km.Refresh):
		if s.focus == paneBrowser {
			return s.br.refresh(s)
		}
	case key.Matches(k, km.Remove):
		if s.focus == paneQueue {
			if i := s.ql.selected(); i >= 0 && p != nil {
				p.Remove(i)
				return s.setMsg("Removed "+trackText(s.queue[i])+" from the queue", false)
			}
		}
	case key.Matches(k, km.Bitrate):
		s.picker = true
		s.pickerAt = 0
		for i, b := range s.o.Bitrates {
			if b == s.st.Bitrate {
				s.pickerAt = i
			}
		}
	case p == nil:
		return nil
	case key.Matches(k, km.Toggle):
		p.Toggle()
	case key.Matches(k, km.SeekBack):
		s.seek(p, -seekShort)
	case key.Matches(k, km.SeekFwd):
		s.seek(p, seekShort)
	case key.Matches(k, km.SeekBackLong):
		s.seek(p, -seekLong)
	case key.Matches(k, km.SeekFwdLong):
		s.seek(p, seekLong)
	case key.Matches(k, km.Next):
		p.Next()
	case key.Matches(k, km.Prev):
		p.Prev()
	case key.Matches(k, km.VolUp):
		s.st.Volume = min(100, s.st.Volume+volumeStep)
		p.SetVolume(s.st.Volume)
	case key.Matches(k, km.VolDown):
		s.st.Volume = max(0, s.st.Volume-volumeStep)
		p.SetVolume(s.st.Volume)
	case key.Matches(k, km.Shuffle):
		s.st.Shuffle = !s.st.Shuffle
		p.SetShuffle(s.st.Shuffle)
		return s.setMsg("Shuffle "+onOff(s.st.Shuffle), false)
	case key.Matches(k, km.Repeat):
		s.st.Repeat = (s.st.Repeat + 1) % 3
		p.SetRepeat(s.st.Repeat)
		return s.setMsg("Repeat "+s.st.Repeat.String(), false)
	}
	return nil
}

// seek asks the player and shows the target at once; the next Status
// confirms it.
func (s *state) seek(p player.Controller, d time.Duration) {
	p.SeekBy(d)
	if s.st.Index < 0 {
		return
	}
	pos := s.st.Position + d
	if s.st.Duration > 0 && pos > s.st.Duration {
		pos = s.st.Duration
	}
	s.st.Position = max(0, pos)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (s *state) focused() *list {
	if s.focus == paneQueue {
		return &s.ql
	}
	return &s.br.cur().list
}

// filterKey handles a key while the filter input is open: text edits the
// filter, arrows move, enter keeps the filter and closes the input, esc
// clears it.
func (s *state) filterKey(k tea.KeyPressMsg, l *list) tea.Cmd {
	km := s.keys
	switch k.String() {
	case "esc":
		l.typing = false
		l.setFilter("")
		return nil
	case "enter":
		l.typing = false
		return nil
	case "backspace":
		r := []rune(l.filter)
		if len(r) == 0 {
			l.typing = false
			return nil
		}
		l.setFilter(string(r[:len(r)-1]))
		return nil
	case "ctrl+u":
		l.setFilter("")
		return nil
	case "up":
		l.move(-1)
		return nil
	case "down":
		l.move(1)
		return nil
	}
	switch {
	case key.Matches(k, km.PageUp):
		l.move(-max(1, s.listHeight()-1))
	case key.Matches(k, km.PageDown):
		l.move(max(1, s.listHeight()-1))
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		l.setFilter(l.filter + k.Text)
	}
	return nil
}

func (s *state) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	km := s.keys
	switch {
	case key.Matches(k, km.Quit):
		return s.quit(false)
	case k.String() == "esc", key.Matches(k, km.Bitrate):
		s.picker = false
	case key.Matches(k, km.Up):
		s.pickerAt = max(0, s.pickerAt-1)
	case key.Matches(k, km.Down):
		s.pickerAt = min(len(s.o.Bitrates)-1, s.pickerAt+1)
	case key.Matches(k, km.Top):
		s.pickerAt = 0
	case key.Matches(k, km.Bottom):
		s.pickerAt = len(s.o.Bitrates) - 1
	case key.Matches(k, km.Open):
		s.picker = false
		b := s.o.Bitrates[s.pickerAt]
		s.st.Bitrate = b
		if s.o.Player != nil {
			s.o.Player.SetBitrate(b)
		}
		return s.setMsg(fmt.Sprintf("Bitrate %d kbit/s (from the next track or seek)", b), false)
	}
	return nil
}

func (s *state) onPaste(text string) tea.Cmd {
	switch s.screen {
	case screenLogin, screenTFA:
		s.login.paste(text)
		return nil
	}
	if l := s.focused(); l.typing {
		l.setFilter(l.filter + text)
	}
	return nil
}
