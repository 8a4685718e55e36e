package art

import (
	"testing"
)

// Each answer a terminal can give to Query, and what is drawn with it.
func TestDetect(t *testing.T) {
	const st = "\x1b\\"
	for _, c := range []struct {
		name   string
		answer string
		env    Env
		want   Choice
	}{
		{"kitty", "\x1b_Gi=31;OK" + st + "\x1bP>|kitty(0.35.2)" + st + "\x1b[?62;c", Env{}, Choice{Protocol: Kitty}},
		{"ghostty", "\x1b_Gi=31;OK" + st + "\x1bP>|ghostty 1.1.0" + st + "\x1b[?62;22c", Env{}, Choice{Protocol: Kitty}},
		{"kitty refused (konsole of old)", "\x1b_Gi=31;ENOTSUPPORTED:no" + st + "\x1b[?62;c", Env{}, Choice{Protocol: HalfBlocks}},
		{"kitty reply for another id", "\x1b_Gi=5;OK" + st + "\x1b[?62;c", Env{}, Choice{Protocol: HalfBlocks}},
		{"wezterm without kitty graphics", "\x1bP>|WezTerm 20240203" + st + "\x1b[?65;4;6;18;22c", Env{}, Choice{Protocol: ITerm2Images}},
		{"iterm2", "\x1bP>|iTerm2 3.5.0" + st + "\x1b[?62;4c", Env{}, Choice{Protocol: ITerm2Images}},
		{"mintty", "\x1bP>|mintty 3.7.0" + st + "\x1b[?64;1;2;4;6;9;15;21;22;28;29c", Env{}, Choice{Protocol: ITerm2Images}},
		{"xterm with sixel", "\x1bP>|XTerm(390)" + st + "\x1b[?63;1;2;4;6;9;15;22c", Env{}, Choice{Protocol: SixelGraphics}},
		{"foot", "\x1bP>|foot(1.16.2)" + st + "\x1b[?62;4;22c", Env{}, Choice{Protocol: SixelGraphics}},
		{"xterm without sixel", "\x1bP>|XTerm(390)" + st + "\x1b[?63;1;2;6;9;15;22c", Env{}, Choice{Protocol: HalfBlocks}},
		{"vte (gnome terminal)", "\x1b[?65;1;9c", Env{}, Choice{Protocol: HalfBlocks}},
		{"mosh: DA1 only", "\x1b[?62c", Env{}, Choice{Protocol: HalfBlocks}},
		{"linux console", "\x1b[?6c", Env{}, Choice{Protocol: HalfBlocks}},
		{"BEL-terminated answers", "\x1b_Gi=31;OK\x07\x1b[?62c", Env{}, Choice{Protocol: Kitty}},
		{"keys typed meanwhile", "jj\x1b[A\x1b_Gi=31;OK" + st + "q\x1b[?62c", Env{}, Choice{Protocol: Kitty}},
		{"nothing within the timeout", "", Env{}, Choice{Protocol: HalfBlocks}},
		{"cut short", "\x1b_Gi=31;O", Env{}, Choice{Protocol: HalfBlocks}},
		{"garbage", "\x1b\x1b\x1b[[[?;;c\x1bP\x1b_", Env{}, Choice{Protocol: HalfBlocks}},
		{"tmux, passthrough on, kitty outside", "\x1b_Gi=31;OK" + st + "\x1bP>|kitty(0.35.2)" + st + "\x1bP>|tmux 3.4" + st + "\x1b[?1;2;4c", Env{Tmux: true, Passthrough: true}, Choice{Protocol: KittyPlaceholders, Wrap: true}},
		{"tmux, passthrough off", "\x1bP>|tmux 3.4" + st + "\x1b[?1;2;4c", Env{Tmux: true}, Choice{Protocol: HalfBlocks}},
		{"tmux, sixel outside", "\x1bP>|XTerm(390)" + st + "\x1bP>|tmux 3.4" + st + "\x1b[?1;2;4c", Env{Tmux: true, Passthrough: true}, Choice{Protocol: HalfBlocks}},
		{"tmux, nothing", "", Env{Tmux: true}, Choice{Protocol: HalfBlocks}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := ParseAnswers([]byte(c.answer))
			if got := Decide(Auto, a, c.env); got != c.want {
				t.Errorf("Decide(auto, %q) = %+v, want %+v (answers %+v)", c.answer, got, c.want, a)
			}
		})
	}
}

func TestParseAnswers(t *testing.T) {
	a := ParseAnswers([]byte("\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;4;22c"))
	if !a.Kitty || len(a.Versions) != 1 || a.Versions[0] != "kitty(0.35.2)" || !a.Done || len(a.DA1) != 3 || a.DA1[1] != 4 {
		t.Errorf("answers %+v", a)
	}
	if a := ParseAnswers([]byte("\x1b_Gi=31;OK\x1b\\")); a.Done {
		t.Errorf("no DA1 yet: %+v", a)
	}
}

// The setting wins over the answers.
func TestDecideSetting(t *testing.T) {
	kitty := ParseAnswers([]byte("\x1b_Gi=31;OK\x1b\\\x1b[?62;4c"))
	for _, c := range []struct {
		s    Setting
		env  Env
		want Choice
	}{
		{Off, Env{}, Choice{Protocol: None}},
		{BlocksMode, Env{}, Choice{Protocol: HalfBlocks}},
		{SixelMode, Env{}, Choice{Protocol: SixelGraphics}},
		{ITerm2Mode, Env{}, Choice{Protocol: ITerm2Images}},
		{ITerm2Mode, Env{Tmux: true}, Choice{Protocol: ITerm2Images, Wrap: true}},
		{KittyMode, Env{}, Choice{Protocol: Kitty}},
		{KittyMode, Env{Tmux: true}, Choice{Protocol: KittyPlaceholders, Wrap: true}},
		{Auto, Env{}, Choice{Protocol: Kitty}},
	} {
		if got := Decide(c.s, kitty, c.env); got != c.want {
			t.Errorf("Decide(%s, kitty, %+v) = %+v, want %+v", c.s, c.env, got, c.want)
		}
	}
}

func TestParseSetting(t *testing.T) {
	for in, want := range map[string]Setting{"": Auto, "auto": Auto, " Kitty ": KittyMode, "SIXEL": SixelMode, "iterm2": ITerm2Mode, "blocks": BlocksMode, "off": Off} {
		if got, err := ParseSetting(in); err != nil || got != want {
			t.Errorf("ParseSetting(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSetting("pictures"); err == nil {
		t.Error("ParseSetting(pictures): no error")
	}
}

func TestQueryAndTmux(t *testing.T) {
	if q := Query(false); q != "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[>0q\x1b[c" {
		t.Errorf("Query = %q", q)
	}
	if q := Query(true); q != "\x1bPtmux;\x1b\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\x1b\\\x1b\\\x1bPtmux;\x1b\x1b[>0q\x1b\\\x1b[>0q\x1b[c" {
		t.Errorf("Query(tmux) = %q", q)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if !InTmux(env(map[string]string{"TMUX": "/tmp/x,1,0"})) || !InTmux(env(map[string]string{"TERM": "tmux-256color"})) || InTmux(env(map[string]string{"TERM": "xterm-kitty"})) {
		t.Error("InTmux")
	}
	if !PassthroughOn("on\n") || !PassthroughOn("all") || PassthroughOn("off") || PassthroughOn("") {
		t.Error("PassthroughOn")
	}
}

func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte("\x1b_Gi=31;OK\x1b\\\x1bP>|kitty\x1b\\\x1b[?62;4c"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Decide(Auto, ParseAnswers(b), Env{})
	})
}
