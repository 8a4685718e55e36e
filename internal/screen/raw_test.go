package screen

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// rawModel: r changes the view and writes a raw sequence; x clears the
// screen; q quits.
type rawModel struct{ text string }

func (m rawModel) Init() tea.Cmd { return nil }

func (m rawModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "r":
			m.text = "picture below"
			return m, tea.Raw("\x1b_Graw-marker\x1b\\")
		case "x":
			return m, tea.ClearScreen
		case "q":
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m rawModel) View() tea.View {
	v := tea.NewView(m.text)
	v.AltScreen = true
	return v
}

// tea.Raw's text is written as it is, after the frame of the Update that
// asked for it; tea.ClearScreen clears the screen and draws it all again.
func TestRawAfterTheFrameAndClearScreen(t *testing.T) {
	r := startRun(t, rawModel{text: "start"})
	r.waitScreen("start")
	r.key("r")
	r.waitFor("the raw sequence", func(_, raw string) bool { return strings.Contains(raw, "raw-marker") })
	r.mu.Lock()
	raw := r.raw.String()
	r.mu.Unlock()
	if f, m := strings.LastIndex(raw, "below"), strings.Index(raw, "\x1b_Graw-marker\x1b\\"); f < 0 || m < f {
		t.Fatalf("the raw sequence came before the frame: %q", raw)
	}
	n := len(raw)
	r.key("x")
	r.waitFor("a clear and a whole frame", func(_, raw string) bool {
		tail := raw[n:]
		return strings.Contains(tail, "\x1b[2J") && strings.Contains(tail, "picture below")
	})
	r.waitScreen("picture below")
	r.key("q")
	r.wait()
	if r.err != nil {
		t.Fatal(r.err)
	}
}
