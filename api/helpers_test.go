package api

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pcplay/pcplay/api/pcloudtest"
	"github.com/pcplay/pcplay/internal/syncbuf"
)

// Accounts of the test server.
const (
	usEmail  = "us.user@example.com"
	usPass   = "us-Secret-pw-7731"
	euEmail  = "eu.user@example.com"
	euPass   = "eu-Secret-pw-9912"
	tfaEmail = "tfa.user@example.com"
	tfaPass  = "tfa-Secret-pw-5510"
	tfaCode  = "482913"
	smsEmail = "sms.user@example.com"
	smsPass  = "sms-Secret-pw-3388"
	newEmail = "new.device@example.com"
	newPass  = "new-Secret-pw-1203"
)

var testAudio = bytes.Repeat([]byte{0xff, 0xfb, 0x90, 0x64}, 256)

func testTree() *pcloudtest.Node {
	return pcloudtest.Dir("",
		pcloudtest.Dir("Music",
			pcloudtest.AudioFile("01 Intro é.mp3", map[int][]byte{128: testAudio, 320: append(testAudio, testAudio...)},
				pcloudtest.Tags{Artist: "The Band", Album: "First", Title: "Intro", Genre: "Rock", TrackNo: 1}),
			func() *pcloudtest.Node {
				n := pcloudtest.AudioFile("02 Second.mp3", map[int][]byte{128: testAudio}, pcloudtest.Tags{Title: "Second", TrackNo: 2})
				n.TrackNoAsString = true
				return n
			}(),
			pcloudtest.AudioFile("03 Third.mp3", map[int][]byte{128: testAudio}, pcloudtest.Tags{}),
			pcloudtest.Dir("Live",
				pcloudtest.AudioFile("Live 1.mp3", map[int][]byte{192: testAudio}, pcloudtest.Tags{Artist: "The Band", TrackNo: 7}),
			),
		),
		pcloudtest.VideoFile("clip.mp4", map[int][]byte{128: testAudio}),
		pcloudtest.OtherFile("notes.txt", 4, 1234),
	)
}

func newServer(t *testing.T, mod ...func(*pcloudtest.Options)) *pcloudtest.Server {
	t.Helper()
	o := pcloudtest.Options{
		Accounts: []pcloudtest.Account{
			{Email: usEmail, Password: usPass, Region: "us"},
			{Email: euEmail, Password: euPass, Region: "eu", Premium: true},
			{Email: tfaEmail, Password: tfaPass, Region: "us", TFA: true, TFACode: tfaCode, TFAType: 2},
			{Email: smsEmail, Password: smsPass, Region: "eu", TFA: true, TFACode: tfaCode, TFAType: 1},
			{Email: newEmail, Password: newPass, Region: "us", NewDevice: true},
		},
		Root: testTree(),
	}
	for _, m := range mod {
		m(&o)
	}
	srv := pcloudtest.NewServer(o)
	t.Cleanup(srv.Close)
	return srv
}

type testClient struct {
	*Client
	logs *syncbuf.Buffer
}

// newClient makes a client for srv's region r, with both region URLs known,
// tiny back-off and a debug log captured as JSON.
func newClient(t *testing.T, srv *pcloudtest.Server, r Region, mod ...func(*Options)) testClient {
	t.Helper()
	logs := &syncbuf.Buffer{}
	o := Options{
		Region:     r,
		RegionURLs: map[Region]string{RegionUS: srv.RegionURL("us"), RegionEU: srv.RegionURL("eu")},
		Logger:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Backoff:    func(int) time.Duration { return time.Millisecond },
	}
	for _, m := range mod {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return testClient{c, logs}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func login(t *testing.T, c testClient, email, pw string) UserInfo {
	t.Helper()
	ui, err := c.Login(ctxT(t), email, pw)
	if err != nil {
		t.Fatalf("Login(%s): %v", email, err)
	}
	return ui
}

// wantCode asserts err is an [*Error] with this pCloud code.
func wantCode(t *testing.T, err error, code int) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %d, got nil", code)
	}
	e, ok := apiCode(err)
	if !ok {
		t.Fatalf("want *Error %d, got %T %v", code, err, err)
	}
	if e.Code != code {
		t.Fatalf("want code %d, got %d (%v)", code, e.Code, err)
	}
	return e
}

// hosts lists the Host field of the log entries.
func hosts(rs []pcloudtest.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Host)
	}
	return out
}

func results(rs []pcloudtest.Request) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.Result)
	}
	return out
}

func eq[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// noSecrets fails when any secret appears in s.
func noSecrets(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s leaks a secret %.4s…: %s", what, sec, strings.ReplaceAll(s, sec, "<SECRET>"))
		}
	}
}
