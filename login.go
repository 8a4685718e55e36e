package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/engine"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
)

// savedLogin is what is remembered of the client's login.
func savedLogin(c *api.Client, email string) config.SavedLogin {
	kind := config.KindAuth
	if c.TokenKind() == api.TokenBearer {
		kind = config.KindBearer
	}
	return config.SavedLogin{Token: c.Token(), Kind: kind, Region: string(c.Region()), Email: email}
}

// saveLogin remembers the client's token and region for the next start.
func saveLogin(c *api.Client, email string) error {
	path, err := config.TokenPath()
	if err != nil {
		return err
	}
	return config.SaveLogin(path, savedLogin(c, email))
}

// onLogin is the UI's OnLogin: it saves the login the login screen made,
// then hands it to also (when not nil).
func onLogin(c *api.Client, logger *slog.Logger, also func(config.SavedLogin)) func(api.UserInfo) {
	return func(u api.UserInfo) {
		if err := saveLogin(c, u.Email); err != nil {
			logger.Error("saving the login failed", "err", err)
		}
		if also != nil {
			also(savedLogin(c, u.Email))
		}
	}
}

// runPasswordLogin is `pcplay login --password`: asks for the e-mail, the
// password (not echoed) and, for two-factor accounts, the code; saves the
// token, never the password.
func runPasswordLogin(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	s.Token = ""
	c, err := host.NewClient(s, logger)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	in := bufio.NewReader(std.In)
	lctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	region, err := api.ParseLoginRegion(s.Region)
	if err != nil {
		region = api.RegionAuto
	}
	// A person at a terminal is asked again after a typo; a script's one
	// answer gets one try.
	tries := 1
	if isTerminal(std.In) {
		tries = loginTries
	}
	var email string
	for try := 1; ; try++ {
		var password string
		if email, err = prompt(std, in, "pCloud e-mail: ", false); err != nil {
			return inputFailed(std, err)
		}
		if password, err = prompt(std, in, "Password: ", true); err != nil {
			return inputFailed(std, err)
		}
		_, err = c.LoginIn(lctx, region, email, password)
		var tfa *api.TFARequired
		if errors.As(err, &tfa) {
			fmt.Fprintln(std.Out, tfa.Sentence())
			err = tfaCode(lctx, c, tfa, std, in, tries)
		}
		if err == nil || !hasCode(err, 2000) || try == tries {
			break
		}
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err)+" Try again.")
	}
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err))
		return 1
	}
	if err := saveLogin(c, email); err != nil {
		fmt.Fprintln(std.Err, "pcplay: logged in, but the token could not be saved: "+err.Error())
		return 1
	}
	loggedIn(s.TokenSource == "env", std, c, email)
	return 0
}

// loginTries is how many times a person at a terminal is asked for the
// password, or the two-factor code, before login gives up.
const loginTries = 3

// tfaCode asks for the two-factor code until pCloud takes it, tries times
// at most.
func tfaCode(ctx context.Context, c *api.Client, tfa *api.TFARequired, std cli.Stdio, in *bufio.Reader, tries int) error {
	for try := 1; ; try++ {
		code, err := prompt(std, in, "Code: ", false)
		if err != nil {
			return fmt.Errorf("no input: %w", err)
		}
		_, err = c.TFALogin(ctx, tfa.Token, code, true)
		if err == nil || !hasCode(err, 2012) || try == tries {
			return err
		}
		fmt.Fprintln(std.Err, "pcplay: "+api.Sentence(err))
	}
}

// hasCode reports whether err is pCloud's answer code.
func hasCode(err error, code int) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == code
}

// runLogout is `pcplay logout`: revokes the saved token with pCloud, then
// deletes it. The file goes even when pCloud can't be reached.
func runLogout(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	path, err := config.TokenPath()
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	saved, err := config.LoadLogin(path)
	if err == nil && saved.Token == "" {
		fmt.Fprintln(std.Out, "Not logged in.")
		return 0
	}
	if err != nil && !slices.Contains(s.Warnings, err.Error()) { // else already said at start
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
	}
	status := 0
	if saved.Token != "" {
		s.Token, s.TokenKind = saved.Token, saved.Kind
		if saved.Region != "" && s.APIURL == "" {
			s.Region = saved.Region
		}
		c, err := host.NewClient(s, logger)
		if err == nil {
			lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err = c.Logout(lctx)
			cancel()
		}
		if err != nil && !api.IsAuth(err) {
			fmt.Fprintln(std.Err, "pcplay: pCloud did not confirm the logout ("+api.Sentence(err)+"); the saved token is deleted anyway.")
			status = 1
		}
	}
	if err := config.DeleteLogin(path); err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	fmt.Fprintln(std.Out, "Logged out.")
	if tellEngine((*engine.Client).ReloadLogin) {
		fmt.Fprintln(std.Out, "The running engine has no login now: it can't play from pCloud until pcplay login.")
	}
	return status
}

// prompt reads one line, saying label first when stdin is a terminal (a
// script piping the answer in gets no prompt in its output). Secret input
// is not echoed at a terminal.
func prompt(std cli.Stdio, in *bufio.Reader, label string, secret bool) (string, error) {
	f, ok := std.In.(*os.File)
	atTerminal := ok && term.IsTerminal(f.Fd())
	if atTerminal {
		fmt.Fprint(std.Out, label)
	}
	if atTerminal && secret {
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(std.Out)
		return string(b), err
	}
	line, err := in.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func inputFailed(std cli.Stdio, err error) int {
	fmt.Fprintln(std.Err, "\npcplay: no input: "+err.Error())
	return 1
}
