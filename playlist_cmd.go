package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/playlist"
)

// playlistUsage is the help of `pcplay playlist`.
const playlistUsage = `usage: pcplay playlist COMMAND
  list                         the playlists: pCloud's and those kept on this machine
  import FILE.m3u8 [NAME]      make a playlist of an m3u8 file of pCloud paths
                               (FILE - reads stdin; NAME defaults to the file's)
  export NAME [FILE.m3u8]      write a playlist as m3u8 with pCloud paths (stdout without FILE)
  push NAME                    copy a playlist kept on this machine to pCloud
Exit status: 0 done, 1 a pCloud or file error (with a sentence), 2 usage.`

// playlistTimeout bounds one playlist command (a long import lists many
// folders).
const playlistTimeout = 10 * time.Minute

// runPlaylist is `pcplay playlist ...`.
func runPlaylist(ctx context.Context, s config.Settings, args []string, std stdio, logger *slog.Logger) int {
	usage := func(msg string) int {
		if msg != "" {
			fmt.Fprintln(std.err, "pcplay: "+msg)
		}
		fmt.Fprintln(std.err, playlistUsage)
		return config.ExitUsage
	}
	if len(args) == 0 {
		return usage("playlist needs a command")
	}
	want := map[string][2]int{"list": {0, 0}, "import": {1, 2}, "export": {1, 2}, "push": {1, 1}}
	cmd := args[0]
	if cmd == "help" || cmd == "--help" || cmd == "-h" {
		fmt.Fprintln(std.out, playlistUsage)
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
	pc, err := playlistEnv(s, logger)
	if err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	if pc.client == nil && cmd != "list" && cmd != "export" {
		fmt.Fprintln(std.err, "pcplay: you are not logged in to pCloud: log in first (pcplay login).")
		return 1
	}
	switch cmd {
	case "list":
		return pc.list(ctx, std)
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

// playlistCmd is what the playlist commands work with.
type playlistCmd struct {
	client *api.Client // nil without a login
	store  *playlist.Auto
}

func playlistEnv(s config.Settings, logger *slog.Logger) (*playlistCmd, error) {
	var c *api.Client
	if s.Token != "" {
		var err error
		if c, err = newClient(s, logger); err != nil {
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
	return &playlistCmd{client: c, store: store}, nil
}

// notice says on stderr where the playlists are kept, when not in pCloud.
func (p *playlistCmd) notice(std stdio) {
	if n := p.store.Notice(); n != "" {
		fmt.Fprintln(std.err, "pcplay: "+n)
	}
}

func (p *playlistCmd) fail(std stdio, err error) int {
	fmt.Fprintln(std.err, "pcplay: "+playlist.Sentence(err))
	return 1
}

func (p *playlistCmd) list(ctx context.Context, std stdio) int {
	list, err := p.store.List(ctx)
	p.notice(std)
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
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
		fmt.Fprintf(tw, "%s\t%s\t%s\n", pl.Name, tracksWord(pl.Tracks), where)
	}
	tw.Flush()
	if err != nil {
		return p.fail(std, err)
	}
	if len(list) == 0 {
		fmt.Fprintln(std.err, "pcplay: no playlists yet.")
	}
	return 0
}

func tracksWord(n int) string {
	if n == 1 {
		return "1 track"
	}
	return fmt.Sprintf("%d tracks", n)
}

func (p *playlistCmd) importM3U(ctx context.Context, std stdio, args []string) int {
	file := args[0]
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(std.in, 64<<20))
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(std.err, "pcplay: can't read %s: %v\n", file, unwrapPathErr(err))
		return 1
	}
	entries, name, err := playlist.ReadM3U(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(std.err, "pcplay: %s: %v\n", file, err)
		return 1
	}
	if len(args) > 1 {
		name = args[1]
	}
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if file == "-" && len(args) < 2 && name == "-" {
		fmt.Fprintln(std.err, "pcplay: give the playlist a name: pcplay playlist import - NAME")
		return config.ExitUsage
	}
	if len(entries) == 0 {
		fmt.Fprintf(std.err, "pcplay: %s has no tracks; no playlist made.\n", file)
		return 1
	}
	tracks, bad, err := playlist.Resolve(ctx, playlist.NewAPIResolver(p.client), entries)
	if err != nil {
		return p.fail(std, err)
	}
	for _, u := range bad {
		fmt.Fprintf(std.err, "pcplay: line %d: %s: %s.\n", u.Line, u.Path, u.Reason)
	}
	if len(tracks) == 0 {
		fmt.Fprintf(std.err, "pcplay: none of the %d tracks of %s is in your pCloud; no playlist made.\n", len(entries), file)
		return 1
	}
	pl, res, err := p.store.Create(ctx, name, tracks)
	p.notice(std)
	if err != nil {
		return p.fail(std, err)
	}
	where := "pCloud"
	if pl.Local {
		where = "kept on this machine"
	}
	fmt.Fprintf(std.out, "Imported %s into playlist %q (%s).\n", tracksWord(res.Added), name, where)
	if res.Duplicates > 0 || res.Failed > 0 {
		fmt.Fprintln(std.out, res.Sentence())
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
func (p *playlistCmd) find(ctx context.Context, std stdio, name string) (playlist.Playlist, int) {
	pl, err := playlist.Find(ctx, p.store, name)
	if err != nil {
		p.notice(std)
		if errors.Is(err, playlist.ErrNotFound) {
			fmt.Fprintf(std.err, "pcplay: there is no playlist called %q (pcplay playlist list shows them).\n", name)
			return pl, 1
		}
		return pl, p.fail(std, err)
	}
	return pl, 0
}

func (p *playlistCmd) export(ctx context.Context, std stdio, args []string) int {
	pl, code := p.find(ctx, std, args[0])
	if code != 0 {
		return code
	}
	tracks, err := p.store.Open(ctx, pl.ID)
	if err != nil {
		return p.fail(std, err)
	}
	if p.client != nil {
		if _, err := playlist.FillPaths(ctx, playlist.NewAPIResolver(p.client), tracks); err != nil && ctx.Err() != nil {
			return p.fail(std, err)
		}
	}
	var buf bytes.Buffer
	missing, _ := playlist.WriteM3U(&buf, pl.Name, tracks)
	if missing > 0 {
		fmt.Fprintf(std.err, "pcplay: the pCloud path of %s could not be found; written as a comment line instead.\n", tracksWord(missing))
	}
	if len(args) < 2 || args[1] == "-" {
		if _, err := std.out.Write(buf.Bytes()); err != nil {
			fmt.Fprintln(std.err, "pcplay: "+err.Error())
			return 1
		}
		return 0
	}
	if err := config.WriteFileAtomic(args[1], buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(std.err, "pcplay: "+err.Error())
		return 1
	}
	fmt.Fprintf(std.out, "Exported %s of %q to %s.\n", tracksWord(len(tracks)-missing), pl.Name, args[1])
	return 0
}

func (p *playlistCmd) push(ctx context.Context, std stdio, name string) int {
	pl, code := p.find(ctx, std, name)
	if code != 0 {
		return code
	}
	if !pl.Local {
		fmt.Fprintf(std.out, "%q is already in pCloud.\n", pl.Name)
		return 0
	}
	got, res, err := p.store.Push(ctx, pl.ID)
	if err != nil {
		return p.fail(std, err)
	}
	fmt.Fprintf(std.out, "Pushed %q to pCloud: %s\n", got.Name, res.Sentence())
	return 0
}
