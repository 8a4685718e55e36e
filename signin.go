package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/qrterm"
)

// loginUsage is `pcplay login --help`.
const loginUsage = `Usage:
  pcplay [flags] login             sign in on another device: open the URL shown
                                   (or scan its QR code with a phone), approve
                                   pcplay there, and pcplay saves the token
  pcplay [flags] login --password  log in with e-mail and password (and the 2FA
                                   code), if pCloud still accepts passwords
  pcplay [flags] login --token     read a token (auth token or OAuth access
                                   token) from stdin, check it, and save it

Signing in on another device needs a Client ID: client_id in the config file,
or PCPLAY_CLIENT_ID (create an app in pCloud's "My Apps" to get one).
The token is saved in the token file (mode 0600); the password never is.
`

// runLogin is `pcplay login [--password | --token]`.
func runLogin(ctx context.Context, s config.Settings, args []string, std cli.Stdio, logger *slog.Logger) int {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	password := fs.Bool("password", false, "")
	token := fs.Bool("token", false, "")
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(std.Out, loginUsage)
		return 0
	case err != nil:
		fmt.Fprintf(std.Err, "pcplay: login: %v (see pcplay login --help)\n", err)
		return config.ExitUsage
	case fs.NArg() > 0:
		fmt.Fprintf(std.Err, "pcplay: login takes no argument (%q); a token is read from stdin with --token\n", clipArg(fs.Arg(0)))
		return config.ExitUsage
	case *password && *token:
		fmt.Fprintln(std.Err, "pcplay: login: choose one of --password and --token")
		return config.ExitUsage
	}
	switch {
	case *password:
		return runPasswordLogin(ctx, s, std, logger)
	case *token:
		return runTokenLogin(ctx, s, std, logger)
	}
	return runSignIn(ctx, s, std, logger)
}

// clipArg shows at most a few characters of an argument (it may be a
// token pasted in the wrong place).
func clipArg(a string) string {
	if len(a) > 6 {
		return a[:3] + "…"
	}
	return a
}

// runSignIn is `pcplay login`: sign in on another device. It shows the
// authorize URL as text and as a QR code, waits for the approval (ctrl+c
// cancels), and saves the access token with its region.
func runSignIn(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	if s.ClientID == "" {
		fmt.Fprintln(std.Err, "pcplay: "+config.NoClientIDSentence)
		fmt.Fprintln(std.Err, "Or log in with your password (pcplay login --password) or paste a token (pcplay login --token).")
		return 1
	}
	envToken := s.TokenSource == "env"
	s.Token, s.TokenKind, s.TokenSource = "", "", ""
	c, err := host.NewClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	req, err := api.NewSignIn(s.ClientID)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err))
		return 1
	}
	if qr, err := qrterm.String(req.URL()); err == nil {
		fmt.Fprint(std.Out, qr)
	} else {
		logger.Warn("no QR code", "err", err)
	}
	fmt.Fprintf(std.Out, "Open this page on a phone or computer (or scan the code) and approve pcplay:\n%s\n", req.URL())
	fmt.Fprintln(std.Out, "Waiting for the approval… (ctrl+c cancels)")
	req.OnTrouble = troubleOnce(std.Err, req)

	sctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	u, err := c.WaitSignIn(sctx, req)
	if err != nil {
		if sctx.Err() != nil {
			fmt.Fprintln(std.Err, "pcplay: cancelled; not logged in.")
			return 130
		}
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err))
		return 1
	}
	if err := saveLogin(c, u.Email); err != nil {
		fmt.Fprintln(std.Err, "pcplay: logged in, but the token could not be saved: "+err.Error())
		return 1
	}
	loggedIn(envToken, std, c, u.Email)
	return 0
}

// troubleOnce says on w each new kind of trouble the sign-in's polls meet
// (api.SignInTrouble), once: the polls are re-sent every few seconds.
func troubleOnce(w io.Writer, req api.SignIn) func(error) {
	var mu sync.Mutex
	last := ""
	return func(err error) {
		s := api.SignInTrouble(err, req)
		mu.Lock()
		defer mu.Unlock()
		if s != last {
			last = s
			fmt.Fprintln(w, "pcplay: "+s+" If this stays, check the Client ID, or press ctrl+c and log in with pcplay login --password.")
		}
	}
}

// runTokenLogin is `pcplay login --token`: the token comes from stdin
// (never argv), a userinfo call finds its kind and region, and it is saved.
func runTokenLogin(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	envToken := s.TokenSource == "env"
	s.Token, s.TokenKind, s.TokenSource = "", "", ""
	c, err := host.NewClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	in := bufio.NewReader(io.LimitReader(std.In, 64<<10))
	tok, err := prompt(std, in, "Paste the token: ", true)
	tok = strings.TrimSpace(tok)
	if err != nil && tok == "" {
		return inputFailed(std, err)
	}
	if tok == "" {
		fmt.Fprintln(std.Err, "pcplay: no token on stdin: paste it, or pipe it in (pcplay login --token < file)")
		return 1
	}
	lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	u, err := c.ProbeToken(lctx, tok)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err))
		return 1
	}
	if err := saveLogin(c, u.Email); err != nil {
		fmt.Fprintln(std.Err, "pcplay: the token works, but it could not be saved: "+err.Error())
		return 1
	}
	loggedIn(envToken, std, c, u.Email)
	return 0
}

// loggedIn tells the person the login worked and where, and that
// PCLOUD_TOKEN, when set, still wins over it.
func loggedIn(envToken bool, std cli.Stdio, c *api.Client, email string) {
	who := ""
	if email != "" {
		who = " as " + email
	}
	fmt.Fprintf(std.Out, "Logged in%s (%s region). Run pcplay to play.\n", who, strings.ToUpper(string(c.Region())))
	if !envToken && tellEngine((*engine.Client).ReloadLogin) {
		fmt.Fprintln(std.Out, "The running engine plays with this login now.")
	}
	if envToken {
		fmt.Fprintf(std.Out, "Note: %s is set and wins over the saved login; unset it to use this one.\n", config.EnvToken)
	}
}

// tellEngine sends a running engine of this user what the command line
// just changed of the login (send), and waits until it has taken it: the
// engine follows the person's login at once (it kept a revoked one). It
// reports whether an engine took it; no engine is fine.
func tellEngine(send func(*engine.Client)) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ec, err := engine.Find(ctx)
	if err != nil {
		return false
	}
	defer ec.Close()
	send(ec)
	return ec.Sync(ctx) == nil
}
