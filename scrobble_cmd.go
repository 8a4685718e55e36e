package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/host"
	"github.com/pcplay/pcplay/internal/cli"
	"github.com/pcplay/pcplay/internal/qrterm"
	"github.com/pcplay/pcplay/internal/textsafe"
	"github.com/pcplay/pcplay/scrobble"
)

// scrobbleUsage is `pcplay scrobble --help`.
const scrobbleUsage = `Usage:
  pcplay scrobble login listenbrainz   read your ListenBrainz user token from
                                       stdin, check it, and save it
  pcplay scrobble login lastfm         approve pcplay on Last.fm (a link and
                                       a QR code), and save the session
  pcplay scrobble logout listenbrainz|lastfm
  pcplay scrobble status               per service: the account, the listens
                                       queued, the last success, the last error

The engine scrobbles to every service you are logged in to: a track longer
than 30 s counts once heard for half its length or 4 minutes. Listens wait
in a queue on disk until the service takes them.
`

// runScrobble is `pcplay scrobble ...`.
func runScrobble(ctx context.Context, s config.Settings, args []string, std cli.Stdio, logger *slog.Logger) int {
	if len(args) == 0 || isHelpArg(args[0]) {
		fmt.Fprint(std.Out, scrobbleUsage)
		if len(args) == 0 {
			return config.ExitUsage
		}
		return 0
	}
	service := ""
	switch args[0] {
	case "status":
		if len(args) > 1 {
			fmt.Fprintf(std.Err, "pcplay: scrobble status takes no argument (%q)\n", clipArg(args[1]))
			return config.ExitUsage
		}
		return scrobbleStatus(ctx, s, std, logger)
	case "login", "logout":
		if len(args) != 2 || (args[1] != "listenbrainz" && args[1] != "lastfm") {
			fmt.Fprintf(std.Err, "pcplay: scrobble %s needs the service: listenbrainz or lastfm (a token is read from stdin, never given here)\n", args[0])
			return config.ExitUsage
		}
		service = args[1]
	default:
		fmt.Fprintf(std.Err, "pcplay: unknown scrobble command %q: login, logout or status (see pcplay scrobble --help)\n", clipArg(args[0]))
		return config.ExitUsage
	}
	path, err := config.ScrobbleLoginPath(service)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: "+err.Error())
		return 1
	}
	if args[0] == "logout" {
		if err := config.DeleteScrobbleLogin(path); err != nil {
			fmt.Fprintln(std.Err, "pcplay: "+err.Error())
			return 1
		}
		fmt.Fprintf(std.Out, "Logged out of %s; pcplay no longer scrobbles there.\n", serviceTitle(service))
		return 0
	}
	if service == "listenbrainz" {
		return loginListenBrainz(ctx, s, path, std)
	}
	return loginLastfm(ctx, s, path, std, logger)
}

func serviceTitle(service string) string {
	if service == "lastfm" {
		return "Last.fm"
	}
	return "ListenBrainz"
}

func servicesOf(s config.Settings, logger *slog.Logger) (*scrobble.ListenBrainz, *scrobble.Lastfm) {
	svcs := host.ScrobbleServices(s, logger)
	return svcs[0].(*scrobble.ListenBrainz), svcs[1].(*scrobble.Lastfm)
}

// loginListenBrainz reads the token from stdin, checks it, saves it.
func loginListenBrainz(ctx context.Context, s config.Settings, path string, std cli.Stdio) int {
	in := bufio.NewReader(io.LimitReader(std.In, 64<<10))
	tok, err := prompt(std, in, "Paste your ListenBrainz user token (listenbrainz.org/settings): ", true)
	tok = strings.TrimSpace(tok)
	if err != nil && tok == "" {
		return inputFailed(std, err)
	}
	if tok == "" || len(tok) > 4096 || strings.ContainsAny(tok, " \t\"\\&?#") {
		fmt.Fprintln(std.Err, "pcplay: that is not a ListenBrainz token: paste it, or pipe it in (pcplay scrobble login listenbrainz < file)")
		return 1
	}
	lb, _ := servicesOf(s, slog.New(slog.DiscardHandler))
	vctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	user, err := lb.ValidateToken(vctx, tok)
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: the token was not saved: "+strings.ReplaceAll(err.Error(), tok, "…"))
		return 1
	}
	if err := config.SaveScrobbleLogin(path, config.ScrobbleLogin{Secret: tok, User: user}); err != nil {
		fmt.Fprintln(std.Err, "pcplay: the token works, but it could not be saved: "+err.Error())
		return 1
	}
	fmt.Fprintf(std.Out, "Scrobbling to ListenBrainz as %s.\n", textsafe.Line(user))
	if s.Scrobble.ListenBrainzToken != "" {
		fmt.Fprintf(std.Out, "Note: %s is set and wins over the saved token; unset it to use this one.\n", config.EnvListenBrainzToken)
	}
	return 0
}

// loginLastfm is Last.fm's desktop flow: a request token, the page to
// approve it (as text and a QR code), then the session once approved.
func loginLastfm(ctx context.Context, s config.Settings, path string, std cli.Stdio, logger *slog.Logger) int {
	_, lf := servicesOf(s, logger)
	if lf.APIKey == "" || lf.Secret == "" {
		fmt.Fprintln(std.Err, "pcplay: "+config.NoLastfmAppSentence)
		return 1
	}
	sctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	tctx, cancel := context.WithTimeout(sctx, time.Minute)
	token, err := lf.Token(tctx)
	cancel()
	if err != nil {
		fmt.Fprintln(std.Err, "pcplay: Last.fm did not start the login: "+err.Error())
		return 1
	}
	link := lf.AuthURL(lastfmAuthRoot(s), token)
	if qr, err := qrterm.String(link); err == nil {
		fmt.Fprint(std.Out, qr)
	}
	fmt.Fprintf(std.Out, "Open this page on a phone or computer (or scan the code) and allow pcplay:\n%s\n", link)
	fmt.Fprintln(std.Out, "Waiting for the approval… (ctrl+c cancels)")
	deadline := time.Now().Add(10 * time.Minute)
	for {
		gctx, cancel := context.WithTimeout(sctx, time.Minute)
		key, user, err := lf.GetSession(gctx, token)
		cancel()
		if err == nil {
			if err := config.SaveScrobbleLogin(path, config.ScrobbleLogin{Secret: key, User: user}); err != nil {
				fmt.Fprintln(std.Err, "pcplay: logged in, but the session could not be saved: "+err.Error())
				return 1
			}
			fmt.Fprintf(std.Out, "Scrobbling to Last.fm as %s.\n", textsafe.Line(user))
			return 0
		}
		var se *scrobble.SendError
		if !errors.Is(err, scrobble.ErrNotApproved) && (!errors.As(err, &se) || se.Verdict != scrobble.Retry) {
			fmt.Fprintln(std.Err, "pcplay: not logged in to Last.fm: "+err.Error())
			return 1
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(std.Err, "pcplay: the approval did not come in 10 minutes; run pcplay scrobble login lastfm again.")
			return 1
		}
		select {
		case <-sctx.Done():
			fmt.Fprintln(std.Err, "pcplay: cancelled; not logged in to Last.fm.")
			return 130
		case <-time.After(lastfmPoll):
		}
	}
}

// lastfmPoll is how often the approval is asked for.
var lastfmPoll = 3 * time.Second

// lastfmAuthRoot is the approval page: Last.fm's, or beside another API
// root's (a test's).
func lastfmAuthRoot(s config.Settings) string {
	if s.Scrobble.LastfmURL == config.DefaultLastfmURL {
		return config.DefaultLastfmAuthURL
	}
	u, err := url.Parse(s.Scrobble.LastfmURL)
	if err != nil {
		return config.DefaultLastfmAuthURL
	}
	return u.Scheme + "://" + u.Host + "/api/auth/"
}

// scrobbleStatus prints, per service, the account, the number queued, the
// last success and the last error; it reads the queue and the saved
// credentials itself (no engine needed).
func scrobbleStatus(ctx context.Context, s config.Settings, std cli.Stdio, logger *slog.Logger) int {
	var q *scrobble.Queue
	if path, err := config.ScrobbleQueuePath(false); err == nil {
		if _, err := os.Stat(path); err == nil {
			if q, err = scrobble.OpenQueue(path); err != nil {
				fmt.Fprintln(std.Err, "pcplay: "+err.Error())
				return 1
			}
			defer q.Close()
			if n := q.Notice(); n != "" {
				fmt.Fprintln(std.Err, "pcplay: "+n)
			}
		}
	}
	for _, service := range []string{"listenbrainz", "lastfm"} {
		account := "not logged in (pcplay scrobble login " + service + ")"
		if path, err := config.ScrobbleLoginPath(service); err == nil {
			l, err := config.LoadScrobbleLogin(path)
			switch {
			case err != nil:
				account = err.Error()
			case l.Secret != "" && l.User != "":
				account = textsafe.Line(l.User)
			case l.Secret != "":
				account = "logged in"
			}
		}
		if service == "listenbrainz" && s.Scrobble.ListenBrainzToken != "" {
			account = "the token in " + config.EnvListenBrainzToken
		}
		if service == "lastfm" && (s.Scrobble.LastfmAPIKey == "" || s.Scrobble.LastfmSecret == "") {
			account += "; no API key and secret (lastfm_api_key, lastfm_secret)"
		}
		fmt.Fprintf(std.Out, "%s: %s\n", serviceTitle(service), account)
		if st, _ := stateOf(ctx, q, service); st.Needs != "" {
			fmt.Fprintf(std.Out, "  %s\n", textsafe.Line(st.Needs))
		}
		var n int
		var st scrobble.State
		if q != nil {
			n, _ = q.Count(ctx, service)
			st, _ = q.State(ctx, service)
		}
		fmt.Fprintf(std.Out, "  queued:       %d\n", n)
		fmt.Fprintf(std.Out, "  last success: %s\n", when(st.LastOK))
		if st.LastErr != "" {
			fmt.Fprintf(std.Out, "  last error:   %s (%s)\n", textsafe.Line(st.LastErr), when(st.LastErrAt))
		} else {
			fmt.Fprintf(std.Out, "  last error:   none\n")
		}
	}
	return 0
}

func stateOf(ctx context.Context, q *scrobble.Queue, service string) (scrobble.State, error) {
	if q == nil {
		return scrobble.State{}, nil
	}
	return q.State(ctx, service)
}

// scrobbleNotices are the lines the UI shows at start when a service
// needs the person (a refused token); none while all is well.
func scrobbleNotices(s config.Settings) []string {
	path, err := config.ScrobbleQueuePath(false)
	if err != nil || s.Demo {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	q, err := scrobble.OpenQueue(path)
	if err != nil {
		return nil
	}
	defer q.Close()
	var out []string
	for _, service := range []string{"listenbrainz", "lastfm"} {
		if st, err := q.State(context.Background(), service); err == nil && st.Needs != "" {
			out = append(out, textsafe.Line(st.Needs))
		}
	}
	return out
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
