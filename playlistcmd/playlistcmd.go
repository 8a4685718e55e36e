// Package playlistcmd is `pcplay playlist`: list, import, export and push
// playlists from a shell.
package playlistcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/playlist"
)

// playlistUsage is the help of `pcplay playlist`.
const playlistUsage = `usage: pcplay playlist COMMAND
  list                         the playlists: pCloud's and those kept on this machine
  import FILE.m3u8 [NAME]      make a playlist of an m3u8 file of pCloud paths
                               (FILE - reads stdin; NAME defaults to the file's)
  export NAME [FILE.m3u8]      write a playlist as m3u8 with pCloud paths (stdout without FILE)
  push NAME                    copy a playlist kept on this machine to pCloud
Exit status: 0 done, 1 a pCloud or file error (with a sentence), 2 usage.
A command gives up when pCloud sends nothing for 15 s (PCPLAY_CLI_WAIT=DURATION).`

// playlistTimeout bounds one playlist command (a long import lists many
// folders).
const playlistTimeout = 10 * time.Minute

// Run is `pcplay playlist ARGS...`; it returns the exit status.
func Run(ctx context.Context, s config.Settings, args []string, std cli.Stdio, logger *slog.Logger) int {
	usage := func(msg string) int {
		if msg != "" {
			fmt.Fprintln(std.Err, "pcplay: "+msg)
		}
		fmt.Fprintln(std.Err, playlistUsage)
		return config.ExitUsage
	}
	if len(args) == 0 {
		return usage("playlist needs a command")
	}
	want := map[string][2]int{"list": {0, 0}, "import": {1, 2}, "export": {1, 2}, "push": {1, 1}}
	cmd := args[0]
	if cmd == "help" || cmd == "--help" || cmd == "-h" {
		fmt.Fprintln(std.Out, playlistUsage)
		return 0
	}
	n, ok := want[cmd]
	if !ok {
		return usage(fmt.Sprintf("unknown playlist command %q", cmd))
	}
	if len(args)-1 < n[0] || len(args)-1 > n[1] {
		return usage(fmt.Sprintf("playlist %s takes %s", cmd, argCount(n)))
	}
	ctx, cancel := context.WithTimeout(ctx, playlistTimeout)
	defer cancel()
	pc, err := Open(s, logger)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	ctx, stop := pc.Bind(ctx)
	defer stop()
	damaged := pc.Client == nil && s.LoginProblem != ""
	switch {
	case damaged:
		// Said at start (config's warning); here what it means for the
		// playlists.
		fmt.Fprintln(std.Err, "pcplay: pCloud's playlists can't be reached until you log in again (pcplay login); the damaged token file is replaced then.")
		if cmd != "list" && cmd != "export" {
			return 1
		}
	case pc.Client == nil && cmd != "list" && cmd != "export":
		fmt.Fprintln(std.Err, "pcplay: you are not logged in to pCloud: log in first (pcplay login).")
		return 1
	}
	switch cmd {
	case "list":
		code := pc.list(ctx, std, !damaged)
		if damaged {
			return 1 // the list lacks pCloud's playlists
		}
		return code
	case "import":
		return pc.importM3U(ctx, std, args[1:])
	case "export":
		return pc.export(ctx, std, args[1:])
	}
	return pc.push(ctx, std, args[1])
}

func argCount(n [2]int) string {
	switch {
	case n[0] == 0 && n[1] == 0:
		return "no argument"
	case n[0] == n[1]:
		return "one argument"
	}
	return fmt.Sprintf("%d or %d arguments", n[0], n[1])
}

// Env is what the playlist commands work with.
type Env struct {
	Client *api.Client // nil without a login
	Store  *playlist.Auto
	pat    *patience // Client's: gives up when pCloud keeps silent (patience.go)
}

// Bind makes ctx end once a call to pCloud gave up (NoAnswer): a command
// stops there instead of trying what is left.
func (p *Env) Bind(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.pat == nil {
		return context.WithCancel(ctx)
	}
	return p.pat.bind(ctx)
}

// NoAnswer is a *NoAnswerError once a call to pCloud gave up (pCloud sent
// nothing for PCPLAY_CLI_WAIT, default 15 s), else nil: what went wrong,
// whatever the errors it caused say.
func (p *Env) NoAnswer() error { return noAnswer(p.pat) }

// Open is the login and playlist store of the settings, as the playlist
// commands (and `pcplay ctl add|play PATH`) use them: Client is nil
// without a login. Client gives up once pCloud keeps silent for
// PCPLAY_CLI_WAIT (patience.go).
func Open(s config.Settings, logger *slog.Logger) (*Env, error) {
	var c *api.Client
	var pat *patience
	if s.Token != "" {
		wait, err := cliWait()
		if err != nil {
			return nil, err
		}
		pat = newPatience(http.DefaultTransport.(*http.Transport).Clone(), wait)
		if c, err = host.NewClientHTTP(s, logger, cliHTTPClient(pat)); err != nil {
			return nil, err
		}
	}
	dir, err := config.StateDir()
	if err != nil {
		return nil, err
	}
	store, err := playlist.NewAuto(c, filepath.Join(dir, "playlists"))
	if err != nil {
		return nil, err
	}
	return &Env{Client: c, Store: store, pat: pat}, nil
}

// notice says on stderr where the playlists are kept, when not in pCloud.
func (p *Env) notice(std cli.Stdio) {
	if n := p.Store.Notice(); n != "" {
		fmt.Fprintln(std.Err, "pcplay: "+n)
	}
}

func (p *Env) fail(std cli.Stdio, err error) int {
	if na := p.NoAnswer(); na != nil {
		fmt.Fprintln(std.Err, "pcplay: "+na.Error()+".")
		return 1
	}
	fmt.Fprintln(std.Err, "pcplay: "+textsafe.Line(playlist.Sentence(err)))
	return 1
}

func (p *Env) list(ctx context.Context, std cli.Stdio, notice bool) int {
	list, err := p.Store.List(ctx)
	if notice {
		p.notice(std)
	}
	tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
	for _, pl := range list {
		where := "pCloud"
		switch {
		case pl.Problem != "":
			where = "on this machine: " + pl.Problem
		case pl.Local:
			where = "on this machine"
		case pl.ReadOnly:
			where = "pCloud, read-only"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", textsafe.Line(pl.Name), tracksWord(pl.Tracks), textsafe.Line(where))
	}
	tw.Flush()
	if err != nil {
		return p.fail(std, err)
	}
	if len(list) == 0 {
		fmt.Fprintln(std.Err, "pcplay: no playlists yet.")
	}
	return 0
}

// tracksHave is "1 track has" or "N tracks have".
func tracksHave(n int) string {
	if n == 1 {
		return "1 track has"
	}
	return tracksWord(n) + " have"
}

func tracksWord(n int) string {
	if n == 1 {
		return "1 track"
	}
	return fmt.Sprintf("%d tracks", n)
}

func (p *Env) importM3U(ctx context.Context, std cli.Stdio, args []string) int {
	file := args[0]
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(std.In, 64<<20))
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(std.Err, "pcplay: can't read %s: %v\n", file, unwrapPathErr(err))
		return 1
	}
	entries, name, err := playlist.ReadM3U(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(std.Err, "pcplay: %s: %v\n", file, err)
		return 1
	}
	if len(args) > 1 {
		name = args[1]
	}
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if file == "-" && len(args) < 2 && name == "-" {
		fmt.Fprintln(std.Err, "pcplay: give the playlist a name: pcplay playlist import - NAME")
		return config.ExitUsage
	}
	if len(entries) == 0 {
		fmt.Fprintf(std.Err, "pcplay: %s has no tracks; no playlist made.\n", file)
		return 1
	}
	tracks, bad, err := playlist.Resolve(ctx, playlist.NewAPIResolver(p.Client), entries)
	if err != nil {
		return p.fail(std, err)
	}
	for _, u := range bad {
		fmt.Fprintf(std.Err, "pcplay: line %d: %s: %s.\n", u.Line, textsafe.Line(u.Path), textsafe.Line(u.Reason))
	}
	if len(tracks) == 0 {
		fmt.Fprintf(std.Err, "pcplay: none of the %d tracks of %s is in your pCloud; no playlist made.\n", len(entries), file)
		return 1
	}
	pl, res, err := p.Store.Create(ctx, name, tracks)
	p.notice(std)
	if err != nil {
		return p.fail(std, err)
	}
	where := "pCloud"
	if pl.Local {
		where = "kept on this machine"
	}
	fmt.Fprintf(std.Out, "Imported %s into playlist %q (%s).\n", tracksWord(res.Added), name, where)
	if res.Duplicates > 0 || res.Failed > 0 {
		fmt.Fprintln(std.Out, res.Sentence())
	}
	return 0
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// find looks a playlist up by name, or says why not.
func (p *Env) find(ctx context.Context, std cli.Stdio, name string) (playlist.Playlist, int) {
	pl, err := playlist.Find(ctx, p.Store, name)
	if err != nil {
		p.notice(std)
		if errors.Is(err, playlist.ErrNotFound) {
			fmt.Fprintf(std.Err, "pcplay: there is no playlist called %q (pcplay playlist list shows them).\n", name)
			return pl, 1
		}
		return pl, p.fail(std, err)
	}
	return pl, 0
}

func (p *Env) export(ctx context.Context, std cli.Stdio, args []string) int {
	pl, code := p.find(ctx, std, args[0])
	if code != 0 {
		return code
	}
	tracks, err := p.Store.Open(ctx, pl.ID)
	if err != nil {
		return p.fail(std, err)
	}
	if p.Client != nil {
		if _, err := playlist.FillPaths(ctx, playlist.NewAPIResolver(p.Client), tracks); err != nil && ctx.Err() != nil {
			return p.fail(std, err)
		}
	}
	knownDurations(ctx, tracks)
	var buf bytes.Buffer
	written, _ := playlist.WriteM3U(&buf, pl.Name, tracks)
	if written.Unknown > 0 {
		fmt.Fprintf(std.Err, "pcplay: the pCloud path of %s could not be found; written as a comment line instead.\n", tracksWord(written.Unknown))
	}
	if written.Unwritable > 0 {
		fmt.Fprintf(std.Err, "pcplay: %s a line break in its pCloud path, which an m3u8 line cannot hold; written as a comment line instead (rename it in pCloud to export it).\n", tracksHave(written.Unwritable))
	}
	missing := written.Comments()
	if len(args) < 2 || args[1] == "-" {
		out := buf.Bytes()
		if isTerminal(std.Out) {
			// For a person to read: names from pCloud made inert. A pipe
			// or a file gets the exact bytes.
			out = []byte(textsafe.Text(buf.String()))
		}
		if _, err := std.Out.Write(out); err != nil {
			fmt.Fprintln(std.Err, "pcplay: "+err.Error())
			return 1
		}
		return 0
	}
	if err := config.WriteFileAtomic(args[1], buf.Bytes(), config.Umasked(0o666)); err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	fmt.Fprintf(std.Out, "Exported %s of %q to %s.\n", tracksWord(len(tracks)-missing), pl.Name, args[1])
	return 0
}

func (p *Env) push(ctx context.Context, std cli.Stdio, name string) int {
	pl, code := p.find(ctx, std, name)
	if code != 0 {
		return code
	}
	if !pl.Local {
		fmt.Fprintf(std.Out, "%q is already in pCloud.\n", pl.Name)
		return 0
	}
	got, res, err := p.Store.Push(ctx, pl.ID)
	if err != nil {
		return p.fail(std, err)
	}
	fmt.Fprintf(std.Out, "Pushed %q to pCloud: %s\n", got.Name, res.Sentence())
	return 0
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// knownDurations fills in the durations the music library knows (the
// m3u8's #EXTINF gives them); without an index, the tracks stay as they
// are.
func knownDurations(ctx context.Context, tracks []playlist.Track) {
	open, err := host.IndexReader()
	if err != nil {
		return
	}
	lib, err := open()
	if err != nil {
		return
	}
	defer lib.Close()
	for i := range tracks {
		if tracks[i].Duration > 0 {
			continue
		}
		if t, ok, err := lib.Track(ctx, tracks[i].FileID); err == nil && ok {
			tracks[i].Duration = t.Duration
		}
	}
}
