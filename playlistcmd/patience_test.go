package playlistcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/config"
)

// silentAPI is the fake's silent listener (pcloudtest.Silent): it accepts
// connections and never answers. It returns its http:// URL.
func silentAPI(t *testing.T) string {
	t.Helper()
	url, stop, err := pcloudtest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// When pCloud's API accepts and never answers, the playlist commands give
// up after PCPLAY_CLI_WAIT (here half a second; 15 s by default) with the
// sentence that says so, not the api client's two minutes of retries.
func TestPlaylistCommandsGiveUpOnASilentAPI(t *testing.T) {
	w := newPlaylistWorld(t, false)
	w.login(config.KindAuth)
	w.env["PCPLAY_API_URL"] = silentAPI(t)
	t.Setenv(EnvCLIWait, "500ms")
	file := filepath.Join(w.dir, "in.m3u8")
	os.WriteFile(file, []byte(m3uIn), 0o600)
	const want = "pcplay: pCloud did not answer within 0.5 s; check the network and try again.\n"
	for _, args := range [][]string{{"playlist", "list"}, {"playlist", "import", file, "X"}, {"playlist", "export", "X"}} {
		_, errs, code := w.run("", args...)
		if code != 1 || !strings.HasSuffix(errs, want) {
			t.Errorf("%s with a silent API: exit %d, %q; want 1 and %q", strings.Join(args, " "), code, errs, want)
		}
	}
}

// A wait that is not a duration is a sentence naming the variable.
func TestCLIWaitChecked(t *testing.T) {
	w := newPlaylistWorld(t, false)
	w.login(config.KindAuth)
	t.Setenv(EnvCLIWait, "soon")
	_, errs, code := w.run("", "playlist", "list")
	if code != 1 || !strings.Contains(errs, EnvCLIWait+`="soon": must be a duration`) {
		t.Errorf("exit %d, %q", code, errs)
	}
}
