package art

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Setting is the `art` setting of the config file.
type Setting string

// The settings.
const (
	Auto       Setting = "auto"
	KittyMode  Setting = "kitty"
	SixelMode  Setting = "sixel"
	ITerm2Mode Setting = "iterm2"
	BlocksMode Setting = "blocks"
	Off        Setting = "off"
)

// Settings lists the settings in the order the help shows them.
var Settings = []Setting{Auto, KittyMode, SixelMode, ITerm2Mode, BlocksMode, Off}

// ParseSetting reads an `art` setting; case and spaces around it do not
// matter.
func ParseSetting(s string) (Setting, error) {
	v := Setting(strings.ToLower(strings.TrimSpace(s)))
	if v == "" {
		return Auto, nil
	}
	for _, ok := range Settings {
		if v == ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("art = %q is not a setting pcplay knows; use auto, kitty, sixel, iterm2, blocks or off", s)
}

// Protocol is how a picture is drawn.
type Protocol int

// The protocols.
const (
	None              Protocol = iota // no picture (art = off)
	HalfBlocks                        // ▀ cells: works everywhere
	Kitty                             // kitty graphics, placed directly
	KittyPlaceholders                 // kitty graphics with Unicode placeholders (inside tmux)
	SixelGraphics
	ITerm2Images
)

func (p Protocol) String() string {
	return [...]string{"off", "blocks", "kitty", "kitty placeholders", "sixel", "iterm2"}[p]
}

// kittyQueryID is the image id of the kitty graphics query.
const kittyQueryID = 31

// kittyQuery asks whether the terminal speaks the kitty graphics protocol:
// a 1x1 RGB image with action query, which a kitty terminal answers with
// "i=31;OK" and does not keep.
const kittyQuery = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"

// Query is what to write to the terminal to find out what it can draw:
// the kitty graphics query, XTVERSION, then DA1. Every terminal answers
// DA1, and in order, so its answer marks the end of the answers. Inside
// tmux the kitty query and XTVERSION also go through tmux's passthrough to
// the terminal outside (tmux drops them when allow-passthrough is off, and
// answers its own XTVERSION and DA1).
func Query(inTmux bool) string {
	if inTmux {
		return TmuxWrap(kittyQuery) + TmuxWrap("\x1b[>0q") + "\x1b[>0q" + "\x1b[c"
	}
	return kittyQuery + "\x1b[>0q" + "\x1b[c"
}

// Answers is what a terminal answered to [Query].
type Answers struct {
	Kitty    bool     // the kitty graphics query was answered OK
	Versions []string // XTVERSION names, e.g. "kitty(0.35.2)", "tmux 3.4"
	DA1      []int    // the primary device attributes (4: sixel)
	Done     bool     // DA1 came: the terminal has said all it will
}

// AddKitty notes a kitty graphics reply: the options ("i=31") and the
// message ("OK", or an error such as "ENOTSUPPORTED:...").
func (a *Answers) AddKitty(options, message string) {
	if strings.Contains(","+options+",", ",i="+strconv.Itoa(kittyQueryID)+",") && message == "OK" {
		a.Kitty = true
	}
}

// AddVersion notes an XTVERSION answer.
func (a *Answers) AddVersion(name string) {
	if name = strings.TrimSpace(name); name != "" {
		a.Versions = append(a.Versions, name)
	}
}

// AddDA1 notes the DA1 answer.
func (a *Answers) AddDA1(attrs []int) { a.DA1, a.Done = attrs, true }

// ParseAnswers reads the bytes a terminal wrote back after [Query]: kitty
// graphics replies (APC G ... ST), XTVERSION (DCS >| ... ST) and DA1
// (CSI ? ... c). Anything else (keys typed meanwhile, other answers) is
// skipped; nothing in it can make it fail.
func ParseAnswers(b []byte) Answers {
	var a Answers
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0x1b)
		if i < 0 || i+1 >= len(b) {
			break
		}
		b = b[i:]
		switch b[1] {
		case '_': // APC
			body, rest := untilST(b[2:])
			if s, ok := strings.CutPrefix(string(body), "G"); ok {
				opts, msg, _ := strings.Cut(s, ";")
				a.AddKitty(opts, msg)
			}
			b = rest
		case 'P': // DCS
			body, rest := untilST(b[2:])
			if s, ok := strings.CutPrefix(string(body), ">|"); ok {
				a.AddVersion(s)
			}
			b = rest
		case '[': // CSI
			j := 2
			for j < len(b) && b[j] >= 0x20 && b[j] < 0x40 {
				j++
			}
			if j < len(b) && b[j] == 'c' && j > 2 && b[2] == '?' {
				var attrs []int
				for _, f := range strings.Split(string(b[3:j]), ";") {
					if n, err := strconv.Atoi(f); err == nil {
						attrs = append(attrs, n)
					}
				}
				a.AddDA1(attrs)
			}
			b = b[min(j+1, len(b)):]
		default:
			b = b[1:]
		}
	}
	return a
}

// untilST splits b at the string terminator (ESC \ or BEL).
func untilST(b []byte) (body, rest []byte) {
	for i := range b {
		switch {
		case b[i] == 0x07:
			return b[:i], b[i+1:]
		case b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\':
			return b[:i], b[i+2:]
		}
	}
	return b, nil
}

// Env is what pcplay knows of where it runs, apart from the answers.
type Env struct {
	// Tmux: inside tmux (TMUX is set, or TERM names tmux or screen).
	Tmux bool
	// Passthrough: tmux's allow-passthrough is on (`tmux show -gv
	// allow-passthrough`); only asked inside tmux.
	Passthrough bool
}

// Choice is how to draw: the protocol, and whether its sequences are to be
// wrapped in tmux's passthrough.
type Choice struct {
	Protocol Protocol
	Wrap     bool
}

// Decide picks the protocol from the setting, the terminal's answers and
// where pcplay runs. auto: the kitty protocol when the terminal answered
// its query (with Unicode placeholders inside tmux, so the picture stays
// in its pane); iTerm2 images for iTerm2, WezTerm and mintty; sixel when
// DA1 has attribute 4; else half blocks (and inside tmux, which moves
// panes under a picture it does not know of, half blocks unless kitty
// placeholders can be used). A setting other than auto is obeyed as it is
// (inside tmux, wrapped for passthrough).
func Decide(s Setting, a Answers, e Env) Choice {
	wrap := e.Tmux
	switch s {
	case Off:
		return Choice{Protocol: None}
	case BlocksMode:
		return Choice{Protocol: HalfBlocks}
	case KittyMode:
		if e.Tmux {
			return Choice{Protocol: KittyPlaceholders, Wrap: true}
		}
		return Choice{Protocol: Kitty}
	case SixelMode:
		return Choice{Protocol: SixelGraphics} // tmux draws sixel itself (3.4+)
	case ITerm2Mode:
		return Choice{Protocol: ITerm2Images, Wrap: wrap}
	}
	if a.Kitty {
		if e.Tmux {
			return Choice{Protocol: KittyPlaceholders, Wrap: true}
		}
		return Choice{Protocol: Kitty}
	}
	if e.Tmux {
		return Choice{Protocol: HalfBlocks}
	}
	for _, v := range a.Versions {
		l := strings.ToLower(v)
		if strings.HasPrefix(l, "iterm2") || strings.HasPrefix(l, "wezterm") || strings.HasPrefix(l, "mintty") {
			return Choice{Protocol: ITerm2Images}
		}
	}
	for _, n := range a.DA1 {
		if n == 4 {
			return Choice{Protocol: SixelGraphics}
		}
	}
	return Choice{Protocol: HalfBlocks}
}

// InTmux reports whether the environment says tmux (TMUX set, or TERM
// starting with "tmux" or "screen", which tmux sets inside its panes).
func InTmux(getenv func(string) string) bool {
	t := getenv("TERM")
	return getenv("TMUX") != "" || strings.HasPrefix(t, "tmux") || strings.HasPrefix(t, "screen")
}

// PassthroughOn reads `tmux show -gv allow-passthrough`'s output: "on" or
// "all".
func PassthroughOn(out string) bool {
	v := strings.TrimSpace(out)
	return v == "on" || v == "all"
}
