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
	"fmt"
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

	// InMemory: no socket; the hosts are reached with InMemoryClient only
	// (memtransport.go), and such a server can be made inside a
	// testing/synctest bubble. Down, Up and the other switches work the same, but for the
	// silent host, which is a socket.
	InMemory bool
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
	data    []byte // audio links: the variant served; thumbnails: the picture; file links: nil (see node.original)
	ctype   string // thumbnails: image/jpeg or image/png; else "" (the file's)
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

	apis     map[string]*listener // "us", "eu"
	streams  []*listener
	inMemory bool // Options.InMemory
	memOnce  sync.Once
	mem      *MemNet // InMemory, InMemoryClient

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
		inMemory:        opts.InMemory,
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
	s.addAccounts(opts.Accounts)
	n := opts.StreamHosts
	if n < 2 {
		n = 2
	}
	s.listen(n)
	s.debugf("pcloudtest: api us %s, eu %s, %d stream hosts", s.apis["us"].addr, s.apis["eu"].addr, n)
	return s
}

// addAccounts registers the accounts of Options, with their defaults (region
// us, 2FA by app) and the user ids 7000001 on; a bad account panics.
func (s *Server) addAccounts(accts []Account) {
	for i, a := range accts {
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
}

// listen starts the API listeners of both regions and n stream hosts; a
// listener that cannot start closes the server and panics.
func (s *Server) listen(n int) {
	s.hostStatus = make([]int, n)
	s.apis = map[string]*listener{}
	for _, region := range []string{"us", "eu"} {
		l := &listener{name: "api-" + region, addr: s.listenAddr(), handler: s.apiHandler(region), connCtx: withConnState, mem: s.inMemory}
		if err := l.start(); err != nil {
			s.Close()
			panic("pcloudtest: " + err.Error())
		}
		s.apis[region] = l
	}
	for i := 0; i < n; i++ {
		l := &listener{name: fmt.Sprintf("stream%d", i), addr: s.listenAddr(), mem: s.inMemory}
		l.handler = s.streamHandler(i, l.name)
		if err := l.start(); err != nil {
			s.Close()
			panic("pcloudtest: " + err.Error())
		}
		s.streams = append(s.streams, l)
	}
}

// listenAddr is where the next listener listens: a random port, or in
// memory an address of its own in this server (a loopback one, which the
// client accepts plain http to, where nothing listens).
func (s *Server) listenAddr() string {
	if !s.inMemory {
		return "127.0.0.1:0"
	}
	return fmt.Sprintf("127.77.0.%d:9", len(s.apis)+len(s.streams)+1)
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
