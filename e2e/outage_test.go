//go:build unix

package e2e

import (
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/poll"
)

// silentListener is the fake's silent listener (pcloudtest.Silent): it accepts
// connections and never answers. It returns its http:// URL.
func silentListener(t *testing.T) string {
	t.Helper()
	url, stop, err := pcloudtest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// An outage through the binary: `ctl status` says why the engine waits
// and when it tries again (and stops saying it once pCloud is back); and
// `ctl add PATH` against an API that accepts and never answers gives up
// after PCPLAY_CLI_WAIT (1 s here; 15 s by default) with a sentence saying
// so, instead of the api client's two minutes of retries.
func TestCtlDuringAnOutage(t *testing.T) {
	t.Parallel()
	w := newEngineWorld(t)
	w.startEngine()
	w.ctl("add", "/Music/Album")
	w.waitQueue("ctl add /Music/Album", "a128.mp3", "b128.mp3", "tagged.mp3")

	w.srv.Down()
	w.ctl("play")
	poll.Until(t, "the engine waiting for pCloud", func() bool { return w.status().State == "waiting" })
	st := w.status()
	if !strings.HasPrefix(st.Reason, "Can't reach pCloud") || st.RetryInSeconds == nil {
		t.Errorf("ctl status --json while waiting: reason %q, retry in %v", st.Reason, st.RetryInSeconds)
	}
	if out := w.ctl("status"); !strings.HasPrefix(out, "waiting  a128") || !strings.Contains(out, "(pCloud unreachable, retrying ") || !strings.Contains(out, ": Can't reach pCloud") {
		t.Errorf("ctl status while waiting printed %q", out)
	}
	w.srv.Up()
	poll.Until(t, "playing once pCloud is back", func() bool { return w.status().State == "playing" })
	if st := w.status(); st.Reason != "" || st.RetryInSeconds != nil {
		t.Errorf("ctl status --json while playing: reason %q, retry in %v", st.Reason, st.RetryInSeconds)
	}

	w.setenv("PCPLAY_CLI_WAIT", "1s")
	r := w.run("", "--output", "null", "--api-url", silentListener(t), "ctl", "add", "/Music")
	const want = "pcplay: pCloud did not answer within 1 s; check the network and try again\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("ctl add with a silent API: exit %d, stderr %q; want 1 and %q", r.code, r.stderr, want)
	}
}
