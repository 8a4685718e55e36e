// Package pcloudtest is an in-process fake of pCloud's HTTP JSON API and its
// stream hosts, faithful to pCloud's published API documentation
// (https://docs.pcloud.com: methods, parameters, result codes), for tests and
// for `pcplay --demo`.
//
// NewServer starts real HTTP listeners on 127.0.0.1: one API for the US region,
// one for the EU region and two or more stream hosts. Everything is served
// over plain http (the scheme of the API base URL), so getaudiolink's hosts
// are host:port pairs to be used with http://.
//
// Choices where the documentation is silent (each marked "unverified" in
// the code as well):
//   - A token minted by Token or returned by a login works both as auth= and
//     as an OAuth bearer (access_token= or Authorization: Bearer). An unknown
//     or revoked token answers 2000 when sent as auth= and 2094 when sent as a
//     bearer; a token of the other region likewise. No token at all: 1000.
//   - abitrate outside 16..320 is clamped into that range (no error code is
//     documented for it); a non-numeric abitrate is taken as the default 192.
//     The request log records the bitrate asked for ("abitrate") and the one
//     served ("served"), so tests can check what a client sends.
//   - getaudiolink on a file that is neither audio nor video answers 2009.
//   - A non-numeric fileid/folderid answers 1018/1017 ("Invalid 'fileid'
//     provided." — codes from pCloud's published error list).
//   - An unknown method answers result 1099 "Unknown method.".
//   - Audio links ignore Range (200, whole body) unless SetAudioRange(true);
//     getfilelink links honour a single byte range with 206 unless
//     SetRefuseRange(true).
//   - A request carrying Referer or Origin answers 7010 (browser origin).
//   - A 2FA login that passed never marks the device as trusted: every login
//     asks for the code again.
//   - The 4000 lock-out is counted per region (each region's API is its own
//     service) and only wrong passwords of accounts living in that region and
//     wrong 2FA codes count: unknown accounts do not, so a client's region
//     fallback cannot lock itself out.
//   - start= applies to audio links only; getfilelink links ignore it.
//   - Remembering the first login on a kept-alive connection (the document's
//     warning) is off unless SetConnMemory(true).
//   - An OAuth access token (from an approved oauth2_token, or OAuthToken)
//     works only as a bearer: sent as auth= it answers 2000.
//   - The 2026 login worlds are switches in Options (NoAuthFromUserinfo,
//     NoAuthFromLogin, RefusePasswords, RefuseOAuthCollections,
//     OAuthPollHold); the codes the document does not give are the
//     constants in oauth.go, each unverified. The request log keeps every
//     login's parameters but the secrets, so a test can check that no
//     logout=1 was sent (Calls("login")[i].Params.Get("logout")).
package pcloudtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pcplay/pcplay/internal/mpeg"
)

// Options configure a Server.
type Options struct {
	Accounts    []Account
	Root        *Node // the library; nil = empty root folder
	StreamHosts int   // number of separate stream listeners (default 2, min 2)
	// Logf is an optional debug log. It never receives a secret.
	Logf func(format string, args ...any)
	// Now is the server's clock (default time.Now); tests may drive digest,
	// token and link expiry with it.
	Now func() time.Time
	// LoginAttempts is how many failed logins from the IP within
	// LoginWindow lead to 4000 (default 5 within 10 minutes); the IP then
	// stays locked out for LoginLockout (default 15 minutes) or until
	// ResetRateLimit.
	LoginAttempts int
	LoginWindow   time.Duration
	LoginLockout  time.Duration

	// The 2026 login worlds (pcloud-api.md, "Logging in"), each off by
	// default.
	//
	// NoAuthFromUserinfo: userinfo with username, password digest and
	// getauth=1 answers the user without "auth" (reported since June
	// 2026); the login method still gives it.
	NoAuthFromUserinfo bool
	// NoAuthFromLogin: the login method answers without "auth" too (with
	// NoAuthFromUserinfo: no password login yields a token).
	NoAuthFromLogin bool
	// RefusePasswords: every password login (login, userinfo with a
	// username) answers PasswordsRefusedCode (unverified: pCloud publishes
	// no code for it), as reported from mid-April 2026.
	RefusePasswords bool
	// RefuseOAuthCollections: the collection_* methods refuse OAuth
	// access tokens with OAuthRefusedCode (reported; unverified code). The
	// methods themselves check it through call.collectionRefusal; other
	// code can ask Server.RefusesOAuthCollections.
	RefuseOAuthCollections bool
	// OAuthPollHold is how long an oauth2_token poll is held open before
	// it answers OAuthNotYetCode when nobody approved it (default 20s;
	// pCloud's hold is unverified). ApproveSignIn ends the hold at once.
	OAuthPollHold time.Duration
}

// Account is a pCloud account of the fake.
type Account struct {
	Email, Password string
	Region          string // "us" (default) or "eu": the account lives in that region's API
	TFA             bool   // login answers 2297 until tfa_login with TFACode
	TFACode         string
	TFAType         int  // 1 SMS, 2 authenticator app (default 2)
	NewDevice       bool // logins answer 1022 until Server.ApproveDevice(email)
	Premium         bool
}

type account struct {
	Account
	userID   uint64
	approved bool
}

type tokenInfo struct {
	email  string
	region string
	oauth  bool // an OAuth access token: bearer only
}

type tfaPending struct {
	email   string
	region  string
	expires time.Time
}

// link is an issued stream link.
type link struct {
	path    string
	file    *node
	audio   bool   // getaudiolink (else getfilelink)
	bitrate int    // served variant (audio links)
	asked   string // abitrate as the client sent it
	data    []byte // audio links: the variant served; file links: nil (see node.original)
	expires time.Time
	used    bool
	dead    bool // expired for good (410)
}

// Server is a running fake. All methods are safe for concurrent use.
type Server struct {
	lib  *library
	feed *feed // diff.go
	now  func() time.Time
	logf func(format string, args ...any)

	apis    map[string]*listener // "us", "eu"
	streams []*listener

	closeOnce sync.Once
	closed    chan struct{}

	mu        sync.Mutex
	accounts  map[string]*account // by lower-case email
	tokens    map[string]tokenInfo
	digests   map[string]time.Time
	tfa       map[string]*tfaPending
	bad       map[string][]time.Time // failed logins by region
	lockUntil map[string]time.Time   // 4000 until then, by region
	connMem   bool                   // SetConnMemory
	sessions  uint64                 // bumped by RevokeAll: forgets connections' logins
	maxBad    int
	window    time.Duration
	lockout   time.Duration

	failCalls int
	failCode  int
	httpCalls int
	httpCode  int

	links        map[string]*link
	scans        map[scanKey]mpeg.Stream
	linkTTL      time.Duration
	cutAfter     int64
	cutNext      int64
	stallNext    int64 // -1 off
	rate         int
	noLength     bool
	refuseRange  bool
	audioRange   bool
	expireFirst  bool
	expiredFiles map[uint64]bool // files whose link already expired under ExpireOnFirstUse
	hostStatus   []int
	coll         collState // collections.go
	flt          faults    // faults.go

	// The login worlds (Options) and the sign-in requests by request_id.
	noAuthUserinfo  bool
	noAuthLogin     bool
	refusePasswords bool
	refuseOAuthColl bool
	pollHold        time.Duration
	signIns         map[string]*signIn
	approveAny      string // ApproveSignIn(AnyRequest): this account approves new requests

	logMu sync.Mutex
	log   []Request
}

// listener is one HTTP listener that can be taken down and brought back on
// the same port.
type listener struct {
	name    string
	addr    string
	handler http.Handler
	connCtx func(context.Context, net.Conn) context.Context
	mu      sync.Mutex
	srv     *http.Server
	down    bool
}

func (l *listener) start() error {
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	if a := ln.Addr().String(); a != l.addr {
		l.addr = a // only on the first start: Hosts reads addr without a lock
	}
	srv := &http.Server{Handler: l.handler, ReadHeaderTimeout: 30 * time.Second, ConnContext: l.connCtx}
	l.srv = srv
	go func() { _ = srv.Serve(ln) }()
	return nil
}

func (l *listener) stop() {
	if l.srv != nil {
		_ = l.srv.Close()
		l.srv = nil
	}
}

// NewServer starts all listeners (US API, EU API, the stream hosts) on
// 127.0.0.1 at random ports. It panics when the options are unusable (a
// test helper: bad trees and duplicate accounts are programming errors).
func NewServer(opts Options) *Server {
	lib, err := buildLibrary(opts.Root)
	if err != nil {
		panic(err)
	}
	s := &Server{
		lib:          lib,
		feed:         newFeed(lib),
		now:          opts.Now,
		logf:         opts.Logf,
		closed:       make(chan struct{}),
		accounts:     map[string]*account{},
		tokens:       map[string]tokenInfo{},
		digests:      map[string]time.Time{},
		tfa:          map[string]*tfaPending{},
		bad:          map[string][]time.Time{},
		lockUntil:    map[string]time.Time{},
		links:        map[string]*link{},
		scans:        map[scanKey]mpeg.Stream{},
		linkTTL:      time.Hour,
		stallNext:    -1,
		expiredFiles: map[uint64]bool{},
		maxBad:       opts.LoginAttempts,
		window:       opts.LoginWindow,
		lockout:      opts.LoginLockout,

		noAuthUserinfo:  opts.NoAuthFromUserinfo,
		noAuthLogin:     opts.NoAuthFromLogin,
		refusePasswords: opts.RefusePasswords,
		refuseOAuthColl: opts.RefuseOAuthCollections,
		pollHold:        opts.OAuthPollHold,
		signIns:         map[string]*signIn{},
	}
	if s.pollHold <= 0 {
		s.pollHold = defaultPollHold
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBad <= 0 {
		s.maxBad = 5
	}
	if s.window <= 0 {
		s.window = 10 * time.Minute
	}
	if s.lockout <= 0 {
		s.lockout = 15 * time.Minute
	}
	for i, a := range opts.Accounts {
		key := strings.ToLower(a.Email)
		if key == "" {
			panic("pcloudtest: an account without an email")
		}
		if _, dup := s.accounts[key]; dup {
			panic("pcloudtest: duplicate account " + a.Email)
		}
		a.Region = strings.ToLower(a.Region)
		if a.Region == "" {
			a.Region = "us"
		}
		if a.Region != "us" && a.Region != "eu" {
			panic("pcloudtest: region must be us or eu, not " + a.Region)
		}
		if a.TFAType == 0 {
			a.TFAType = 2
		}
		s.accounts[key] = &account{Account: a, userID: uint64(7000001 + i)}
	}
	n := opts.StreamHosts
	if n < 2 {
		n = 2
	}
	s.hostStatus = make([]int, n)
	s.apis = map[string]*listener{}
	for _, region := range []string{"us", "eu"} {
		l := &listener{name: "api-" + region, addr: "127.0.0.1:0", handler: s.apiHandler(region), connCtx: withConnState}
		if err := l.start(); err != nil {
			s.Close()
			panic("pcloudtest: " + err.Error())
		}
		s.apis[region] = l
	}
	for i := 0; i < n; i++ {
		l := &listener{name: fmt.Sprintf("stream%d", i), addr: "127.0.0.1:0"}
		l.handler = s.streamHandler(i, l.name)
		if err := l.start(); err != nil {
			s.Close()
			panic("pcloudtest: " + err.Error())
		}
		s.streams = append(s.streams, l)
	}
	s.debugf("pcloudtest: api us %s, eu %s, %d stream hosts", s.apis["us"].addr, s.apis["eu"].addr, n)
	return s
}

func (s *Server) debugf(format string, args ...any) {
	if s.logf != nil {
		s.logf(format, args...)
	}
}

// Close stops every listener and ends stalled streams.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		for _, l := range s.apis {
			l.mu.Lock()
			l.stop()
			l.mu.Unlock()
		}
		for _, l := range s.streams {
			l.mu.Lock()
			l.stop()
			l.mu.Unlock()
		}
	})
}

// URL is the US API's base URL, e.g. http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.RegionURL("us") }

// RegionURL is the base URL of the "us" or "eu" API ("" for anything else).
func (s *Server) RegionURL(region string) string {
	l, ok := s.apis[strings.ToLower(region)]
	if !ok {
		return ""
	}
	return "http://" + l.addr
}

// Hosts are the stream hosts' host:port, in the order getaudiolink lists them.
func (s *Server) Hosts() []string {
	out := make([]string, len(s.streams))
	for i, l := range s.streams {
		out[i] = l.addr
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) account(email string) *account {
	a := s.accounts[strings.ToLower(email)]
	if a == nil {
		panic("pcloudtest: no account " + email)
	}
	return a
}

// Token mints a valid token for an account, like an OAuth token pasted into
// PCLOUD_TOKEN. It is valid on the account's region's API only, as auth= or
// as a bearer. It panics for an unknown account.
func (s *Server) Token(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(email)
	t := randomHex(32) // 64 characters: pCloud's tokens are at most 64 bytes
	s.tokens[t] = tokenInfo{email: strings.ToLower(a.Email), region: a.Region}
	return t
}

// RevokeAll invalidates every token (2000 for auth=, 2094 for a bearer).
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]tokenInfo{}
	s.sessions++
}

// ApproveDevice lets the account's logins through (no more 1022).
func (s *Server) ApproveDevice(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.account(email).approved = true
}

// ExpireTFATokens makes every pending 2FA token expire: tfa_login answers 2064.
func (s *Server) ExpireTFATokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.tfa {
		p.expires = time.Time{}
	}
}

// ResetRateLimit forgets failed logins and lifts a 4000 lock-out.
func (s *Server) ResetRateLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bad = map[string][]time.Time{}
	s.lockUntil = map[string]time.Time{}
}

// FileID is the fileid of the file at path, e.g. "/Music/Album/01.mp3". It
// panics when there is no such file (a test helper).
func (s *Server) FileID(path string) uint64 {
	s.lib.mu.RLock()
	defer s.lib.mu.RUnlock()
	n, _ := s.lib.lookup(path)
	if n == nil || n.folder {
		panic("pcloudtest: no file " + path)
	}
	return n.id
}

// FolderID is the folderid of the folder at path ("/" is 0). It panics when
// there is no such folder.
func (s *Server) FolderID(path string) uint64 {
	s.lib.mu.RLock()
	defer s.lib.mu.RUnlock()
	n, _ := s.lib.lookup(path)
	if n == nil || !n.folder {
		panic("pcloudtest: no folder " + path)
	}
	return n.id
}

// FailNext makes the next `calls` API calls (any method, either region)
// answer result=code with pCloud's message for it (5000, 5002, 4000, ...).
func (s *Server) FailNext(calls int, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCalls, s.failCode = calls, code
}

// FailNextHTTP makes the next `calls` API calls answer this HTTP status
// (429, 500, 502, 503, ...) with a plain-text body instead of JSON, as a
// proxy or an overloaded front end would. It is checked before FailNext.
func (s *Server) FailNextHTTP(calls int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.httpCalls, s.httpCode = calls, status
}

// SetAPIDown takes the API of a region ("us" or "eu") down (connection
// refused, open connections cut) or brings it back on the same port.
func (s *Server) SetAPIDown(region string, down bool) {
	l, ok := s.apis[strings.ToLower(region)]
	if !ok {
		panic("pcloudtest: no region " + region)
	}
	s.setDown(l, down)
}

// SetHostDown takes stream host i down (its listener is closed, open
// connections are cut: connection refused) or brings it back on the same port.
func (s *Server) SetHostDown(i int, down bool) {
	if i < 0 || i >= len(s.streams) {
		panic(fmt.Sprintf("pcloudtest: no stream host %d", i))
	}
	s.setDown(s.streams[i], down)
}

func (s *Server) setDown(l *listener, down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-s.closed:
		return // Close has stopped (or is about to stop) this listener
	default:
	}
	if l.down == down {
		return
	}
	l.down = down
	if down {
		l.stop()
		return
	}
	// The port was ours a moment ago; retry briefly in case the kernel is
	// still letting go of it.
	var err error
	for try := 0; try < 50; try++ {
		if err = l.start(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	panic("pcloudtest: cannot reopen " + l.name + ": " + err.Error())
}

// SetHostStatus makes stream host i answer every request with this HTTP
// status (e.g. 503); 0 = normal.
func (s *Server) SetHostStatus(i int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.hostStatus) {
		panic(fmt.Sprintf("pcloudtest: no stream host %d", i))
	}
	s.hostStatus[i] = status
}

// CutAfter ends each stream response (connection closed) after n bytes of
// body; 0 = off. Like all stream switches it applies to responses that start
// after the call.
func (s *Server) CutAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutAfter = n
}

// CutNextAfter cuts only the next stream response that serves a body (a GET
// answered 200/206) after n bytes.
func (s *Server) CutNextAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutNext = n
}

// ExpireOnFirstUse: while on, the first stream request of a file's link
// answers 410 "Your download expired" and that link stays dead; the next link
// of the same file (the client's fresh getaudiolink) works. Each file fails
// once per switching on.
func (s *Server) ExpireOnFirstUse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireFirst = on
	s.expiredFiles = map[uint64]bool{}
}

// ExpireAll makes every link issued so far expire now (410).
func (s *Server) ExpireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.links {
		l.dead = true
	}
}

// SetRate slows streams that start from now on to bytesPerSec; 0 = unlimited.
func (s *Server) SetRate(bytesPerSec int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = bytesPerSec
}

// StallNextAfter makes the next stream response that serves a body send n
// bytes and then nothing, keeping the connection open until the client gives
// up or Close.
func (s *Server) StallNextAfter(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 0 {
		n = 0
	}
	s.stallNext = n
}

// SetContentLength switches the Content-Length header of streams (default on;
// off: chunked transfer encoding).
func (s *Server) SetContentLength(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noLength = !on
}

// SetRefuseRange makes every stream ignore Range headers (always 200 with the
// whole body). By default getfilelink links honour a single range with 206
// and audio links ignore Range.
func (s *Server) SetRefuseRange(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseRange = on
}

// SetAudioRange makes audio links honour Range too (unless SetRefuseRange).
func (s *Server) SetAudioRange(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audioRange = on
}

// SetLinkTTL sets how long new links live (default 1h); stream requests after
// a link's expiry answer 410.
func (s *Server) SetLinkTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.linkTTL = d
}

// SetConnMemory makes the API remember the first login on each kept-alive
// connection, as the document warns pCloud does ("Don't mix accounts on one
// kept-alive connection"): once a connection has logged in or used a token,
// its later requests are served as that account whatever token they carry
// (or without any), until a login with logout=1 or a logout on it, or
// RevokeAll. Off by default.
func (s *Server) SetConnMemory(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connMem = on
}

// connState is what an API connection remembers.
type connState struct {
	email string // the first login; "" none
	gen   uint64 // Server.sessions when remembered
}

type connKey struct{}

func withConnState(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connState{})
}

// waitClosed blocks until ctx ends or the server closes.
func (s *Server) waitClosed(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.closed:
	}
}
