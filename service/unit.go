package service

import (
	"fmt"
	"path/filepath"
	"strings"
)

// UnitName is the systemd user unit's name.
const UnitName = "pcplay.service"

// EnvIdleExit is the variable the unit sets so that the engine never exits
// for being idle (config.EnvIdleExit; written out here so that the unit's
// text can be read at a glance next to its test).
const EnvIdleExit = "PCPLAY_IDLE_EXIT"

// PackagedExe is where the .deb puts pcplay; the packaged unit runs it.
const PackagedExe = "/usr/bin/pcplay"

// Unit is the text of the user unit that runs exe's engine with the global
// flags flags (already normalized by engineFlags).
//
// Why it is this way:
//   - Type=simple: `pcplay engine` stays in the foreground (it does not
//     fork; started by a pcplay it is put in its own session by the starter).
//   - PCPLAY_IDLE_EXIT=0: an engine exits after idle_exit with nothing
//     playing and no client; under a unit that would leave the service dead
//     (or, restarted, exiting every 10 minutes), and with it the socket the
//     UI and `pcplay ctl` attach to. The service is meant to be there.
//   - Restart=on-failure: a crash, no sound device yet at boot (exit 3: a USB
//     DAC that comes late) or no network is retried every 5 s, for ever
//     (StartLimitIntervalSec=0); an engine that ends cleanly (`pcplay stop`,
//     Q in the UI, systemctl stop: exit 0) is not started again, since that
//     is what the person asked for; a mistake in the config file (exit 2) is
//     not retried either: it needs a person.
//   - ExecStartPre=-pcplay stop: an engine a pcplay started outside the
//     unit would hold the socket and make the service's fail; it saves its
//     session and ends, and the service's puts the session back ("-": no
//     engine, or none stopped, is fine).
func Unit(exe string, flags []string) string {
	cmd := func(sub string) string {
		words := []string{quoteExec(exe)}
		for _, f := range flags {
			words = append(words, quoteExec(f))
		}
		return strings.Join(append(words, sub), " ")
	}
	return fmt.Sprintf(`# pcplay's background engine as a systemd user service: it plays your
# pCloud music, and the pcplay UI and pcplay ctl attach to it as to any
# engine. Written by "pcplay service install" (uninstall removes it).
# Music after a reboot with no one logged in: loginctl enable-linger USER.
[Unit]
Description=pcplay engine (plays your pCloud music)
Documentation=https://github.com/pcplay/pcplay#install
StartLimitIntervalSec=0

[Service]
Type=simple
ExecStartPre=-%s
ExecStart=%s
Environment=%s=0
Restart=on-failure
RestartSec=5s
RestartPreventExitStatus=2

[Install]
WantedBy=default.target
`, cmd("stop"), cmd("engine"), EnvIdleExit)
}

// quoteExec quotes one word of an Exec= line: systemd splits on spaces,
// honours double quotes with C escapes, and expands %specifiers and $VARS
// (%% and $$ are the literal characters).
func quoteExec(w string) string {
	w = strings.ReplaceAll(w, "%", "%%")
	w = strings.ReplaceAll(w, "$", "$$")
	if w != "" && !strings.ContainsAny(w, " \t\n\"'\\;") {
		return w
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range w {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Flags of pcplay that take a value (the others are booleans), and those of
// them whose value may be a file: a relative path is made absolute, the
// unit's working directory being the home directory. A test checks these
// against pcplay --help.
var (
	valueFlags = map[string]bool{"api-url": true, "region": true, "bitrate": true, "output": true, "config": true, "log": true}
	pathFlags  = map[string]bool{"output": true, "config": true, "log": true}
	// notForService are flags that make no sense for the service's engine.
	notForService = map[string]string{
		"demo":       "the demo library plays in the foreground (pcplay --demo), never in the service",
		"foreground": "the service is the background engine: --foreground does not apply to it",
	}
)

// engineFlags are the global flags a `pcplay FLAGS service install` was
// given, as the unit passes them to its engine (`pcplay FLAGS engine`, as
// a pcplay starting an engine does): one --name=value word each, relative
// file names made absolute from cwd. --demo and --foreground are refused.
func engineFlags(raw []string, cwd string) ([]string, error) {
	var out []string
	for i := 0; i < len(raw); i++ {
		tok := raw[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" || tok == "--" {
			return nil, fmt.Errorf("unexpected %q before service", tok)
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(tok, "-"), "=")
		if why, bad := notForService[name]; bad {
			return nil, fmt.Errorf("--%s: %s", name, why)
		}
		if !valueFlags[name] {
			if hasVal {
				name += "=" + val
			}
			out = append(out, "--"+name)
			continue
		}
		if !hasVal {
			if i+1 >= len(raw) {
				return nil, fmt.Errorf("--%s needs a value", name)
			}
			i++
			val = raw[i]
		}
		if pathFlags[name] {
			val = absFile(name, val, cwd)
		}
		out = append(out, "--"+name+"="+val)
	}
	return out, nil
}

// absFile is val, the value of --name, with a relative file name made
// absolute from cwd. --output's speaker and null are not files, its
// pipe:PATH is; ~/ is left to pcplay to expand (HOME is set in a user unit).
func absFile(name, val, cwd string) string {
	if name == "output" {
		if val == "speaker" || val == "null" {
			return val
		}
		if p, ok := strings.CutPrefix(val, "pipe:"); ok {
			return "pipe:" + absFile("pipe", p, cwd)
		}
	}
	if val == "" || filepath.IsAbs(val) || strings.HasPrefix(val, "~/") {
		return val
	}
	return filepath.Join(cwd, val)
}
