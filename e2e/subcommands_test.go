//go:build unix

package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/command"
)

// Every sub-command prints its help for --help and -h, and refuses an
// argument it does not take before doing anything: `pcplay logout --help`
// logged the person out, and `stop --help` was an error.
func TestSubcommandHelpAndArguments(t *testing.T) {
	w := newWorld(t)
	w.login()
	for _, args := range [][]string{{"logout", "--help"}, {"logout", "-h"}, {"help", "logout"}, {"stop", "--help"}, {"stop", "-h"}, {"version", "--help"}} {
		name := args[0]
		if name == "help" {
			name = args[1]
		}
		r := w.run("", args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "usage: pcplay "+name+"\n") {
			t.Errorf("pcplay %q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"logout", "anything"}, {"stop", "now"}, {"version", "x"}} {
		r := w.run("", args...)
		if r.code != 2 || !strings.Contains(r.stderr, args[0]+" takes no argument") {
			t.Errorf("pcplay %q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(w.tokenFile()); err != nil {
		t.Fatalf("the saved login is gone after asking for help: %v", err)
	}
	if r := w.run("", "help", "ctl"); r.code != 0 || !strings.Contains(r.stdout, "pcplay ctl") {
		t.Errorf("pcplay help ctl: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := w.run("", "help", "playlist"); r.code != 0 || !strings.Contains(r.stdout, "pcplay playlist") {
		t.Errorf("pcplay help playlist: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := w.run("", "--api-url", w.api, "logout"); r.code != 0 || !strings.Contains(r.stdout, "Logged out") {
		t.Errorf("pcplay logout: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

// --log never follows a planted link (in /tmp anyone can plant one).
func TestLogThroughALinkIsRefused(t *testing.T) {
	w := newWorld(t)
	target := w.path("victim")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := w.path("x.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	r := w.run("", "--log", link, "version")
	if r.code != 2 || !strings.Contains(r.stderr, "symbolic link") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target holds %q", b)
	}
}

// --help lists the ctl commands of the command table (it had its own
// copy of the list).
func TestHelpListsTheCommandTable(t *testing.T) {
	w := newWorld(t)
	r := w.run("", "--help")
	text := strings.Join(strings.Fields(r.stdout), " ")
	for _, u := range command.CtlUsage() {
		if !strings.Contains(text, u.Args) {
			t.Errorf("--help lacks ctl %q", u.Args)
		}
	}
}
