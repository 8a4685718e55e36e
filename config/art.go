package config

import (
	"github.com/BurntSushi/toml"

	"github.com/pcplay/pcplay/art"
)

// artSetting applies `art = auto|kitty|sixel|iterm2|blocks|off`: how the
// now-playing panel draws the cover (auto: as the terminal says it can).
func (a *fileApplier) artSetting(p toml.Primitive, v any) {
	str, ok := v.(string)
	if !ok {
		a.fail(p, "art", "art = %s: must be a string: auto, kitty, sixel, iterm2, blocks or off", tomlValue(v))
		return
	}
	s, err := art.ParseSetting(str)
	if err != nil {
		a.fail(p, "art", "art = %q: use auto, kitty, sixel, iterm2, blocks or off", clip(str))
		return
	}
	a.s.Art = string(s)
}
