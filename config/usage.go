package config

import (
	"fmt"
	"strings"
)

// Usage is the --help text: the command line, the flags, the environment
// variables, the config file's path and every config key with its default.
// ctlCommands lists the ctl commands (the command table's, which config
// does not import).
func Usage(ctlCommands string) string {
	var b strings.Builder
	b.WriteString(`pcplay: a terminal audio player for your pCloud music

Usage:
  pcplay [flags]               open the player; the music plays in a background
                               engine that outlives the terminal (q leaves it
                               playing, Q stops it; --foreground: one process)
  pcplay [flags] login         sign in on another device (a URL and a QR code);
                               login --password: e-mail and password;
                               login --token: a token read from stdin
  pcplay [flags] logout        log out: revoke the saved token and delete it
  pcplay ctl COMMAND           ` + wrapUsage("control the running engine: "+ctlCommands+
		"; exit status 0 done, 1 no engine or a pCloud error, 2 usage; pcplay ctl --help says what each does") + `
  pcplay stop                  stop playback and the background engine
                               (nothing running is fine)
  pcplay playlist COMMAND      list, import FILE.m3u8, export NAME, push NAME:
                               the playlists, pCloud's and this machine's
  pcplay [flags] service install|uninstall|status
                               the engine as a systemd user service: it
                               starts at login (at boot with loginctl
                               enable-linger) and puts the session back
  pcplay scrobble login listenbrainz|lastfm, scrobble status
                               scrobble to ListenBrainz or Last.fm; status:
                               the account, listens queued, last error
  pcplay snapcast-plugin       snapserver's controlscript for the stream that
                               --output pipe:PATH feeds (see its --help)
  pcplay help [COMMAND]        as --help; of a command, as COMMAND --help
  pcplay version               as --version

Flags (before the command):
`)
	for _, f := range flagHelp {
		name := "--" + f.name
		switch {
		case strings.HasPrefix(f.arg, "["): // an optional value: --demo[=WORLD]
			name += f.arg
		case f.arg != "":
			name += " " + f.arg
		}
		fmt.Fprintf(&b, "  %-20s %s\n", name, f.help)
	}
	fmt.Fprintf(&b, `
Environment:
  %-25s pCloud token (auth token or OAuth access token);
  %-25s wins over the saved login
  %-25s same as --api-url
  %-25s same as --region
  %-25s same as --bitrate
  %-25s same as --output
  %-25s same as --config
  %-25s as idle_exit, winning over the file (the service: 0)
  %-25s pcplay playlist, ctl add: wait for pCloud (15s)
  %-25s as mpd_listen, winning over the file
  %-25s OAuth Client ID for pcplay login (as client_id)
  %-25s a ListenBrainz user token, for one run
  %-25s as listenbrainz_url
  %-25s config and token files (default ~/.config)
  %-25s session state (default ~/.local/state)
  Flags win over the environment, which wins over the config file.
`, EnvToken, "", EnvAPIURL, EnvRegion, EnvBitrate, EnvOutput, EnvConfig, EnvIdleExit, EnvCLIWait, EnvMPDListen, EnvClientID, EnvListenBrainzToken, EnvListenBrainzURL, "XDG_CONFIG_HOME", "XDG_STATE_HOME")

	fmt.Fprintf(&b, "\nConfig file: %s (TOML; a missing file is fine)\n", displayDefaultPath())
	for _, k := range fileKeys {
		fmt.Fprintf(&b, "  %-28s %s\n", k.key+" = "+k.def, k.help)
	}
	b.WriteString(`  [keys]                       rebind keys: action = ["key", ...]
                               e.g. next = ["n", "ctrl+n"]
  actions: `)
	line := len("  actions: ")
	for i, a := range KnownActions {
		w := a
		if i < len(KnownActions)-1 {
			w += ","
		}
		if line+len(w)+1 > 80 {
			b.WriteString("\n           ")
			line = len("           ")
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	b.WriteString("\n")
	if p, err := TokenPath(); err == nil {
		fmt.Fprintf(&b, "\nSaved login: %s (mode 0600; the password is never stored)\n", p)
	}
	return b.String()
}

// ExampleFile is a config file with every key set to its default and a
// comment for each, for the README or a first config.toml.
func ExampleFile() string {
	var b strings.Builder
	b.WriteString("# pcplay config file (TOML). Every key is optional; these are the defaults.\n")
	b.WriteString("# Flags and environment variables win over this file.\n\n")
	for _, k := range fileKeys {
		fmt.Fprintf(&b, "# %s\n%s = %s\n\n", k.help, k.key, k.def)
	}
	b.WriteString("# Rebind keys: action = [\"key\", ...] replaces the action's keys.\n")
	b.WriteString("# Actions: " + strings.Join(KnownActions, ", ") + "\n")
	b.WriteString("[keys]\n# next = [\"n\", \"ctrl+n\"]\n")
	return b.String()
}

// wrapUsage wraps text into the usage's right-hand column (31 cells in,
// 80 wide).
func wrapUsage(text string) string {
	const indent, width = 31, 80
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && indent+len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	lines = append(lines, line)
	return strings.Join(lines, "\n"+strings.Repeat(" ", indent))
}
