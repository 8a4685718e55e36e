package art

import (
	"context"
	"os/exec"
	"time"
)

// Where finds out where pcplay runs: inside tmux or not (getenv: TMUX,
// TERM), and inside tmux whether tmux passes sequences through to the
// terminal outside (`tmux show -gv allow-passthrough`, given a second).
func Where(getenv func(string) string) Env {
	e := Env{Tmux: InTmux(getenv)}
	if !e.Tmux {
		return e
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", "show", "-gv", "allow-passthrough").Output()
	e.Passthrough = err == nil && PassthroughOn(string(out))
	return e
}
