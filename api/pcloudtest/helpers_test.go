package pcloudtest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// frames makes n MPEG-1 Layer III frames, 44.1 kHz stereo, at kbps (no
// padding), each frame's body filled with its index so that a test can tell
// which frame a byte belongs to.
func frames(n, kbps int) []byte {
	idx := map[int]byte{32: 1, 40: 2, 48: 3, 56: 4, 64: 5, 80: 6, 96: 7, 112: 8, 128: 9, 160: 10, 192: 11, 224: 12, 256: 13, 320: 14}[kbps]
	if idx == 0 {
		panic("bad kbps")
	}
	flen := 144 * kbps * 1000 / 44100
	out := make([]byte, 0, n*flen)
	for i := 0; i < n; i++ {
		f := make([]byte, flen)
		f[0], f[1], f[2], f[3] = 0xFF, 0xFB, idx<<4, 0x00
		for j := 4; j < flen; j++ {
			f[j] = byte(i%250) + 1 // never 0xFF: no false sync
		}
		out = append(out, f...)
	}
	return out
}

func frameLen(kbps int) int { return 144 * kbps * 1000 / 44100 }

const (
	alice   = "alice@example.com"
	alicePW = "correct horse"
	erin    = "erin@example.eu"
	erinPW  = "eu-secret"
)

// library: /Music/Album/01 One.mp3 (128+320), 02 Two.mp3 (trackno as string),
// /Music/Video.mp4, /Docs/readme.pdf, /Empty.
func testTree() *Node {
	return Dir("",
		Dir("Music",
			Dir("Album",
				AudioFile("01 One.mp3", map[int][]byte{128: frames(200, 128), 320: frames(200, 320)}, Tags{Artist: "Art", Album: "Alb", Title: "One", Genre: "Rock", TrackNo: 1}),
				func() *Node {
					n := AudioFile("02 Two.mp3", map[int][]byte{64: frames(100, 64)}, Tags{Title: "Two", TrackNo: 2})
					n.TrackNoAsString = true
					return n
				}(),
			),
			VideoFile("Video.mp4", map[int][]byte{128: frames(80, 128)}),
		),
		Dir("Docs", OtherFile("readme.pdf", 4, 5000)),
		Dir("Empty"),
	)
}

func newTestServer(t *testing.T, mod func(*Options)) *Server {
	t.Helper()
	o := Options{
		Root: testTree(),
		Accounts: []Account{
			{Email: alice, Password: alicePW},
			{Email: erin, Password: erinPW, Region: "eu"},
		},
	}
	if mod != nil {
		mod(&o)
	}
	s := NewServer(o)
	t.Cleanup(s.Close)
	return s
}

var client = &http.Client{Timeout: 30 * time.Second}

// callAPI GETs base/method?params and decodes the JSON answer.
func callAPI(t *testing.T, base, method string, params url.Values) map[string]any {
	t.Helper()
	resp, err := client.Get(base + "/" + method + "?" + params.Encode())
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return decode(t, method, resp)
}

func postAPI(t *testing.T, base, method string, params url.Values) map[string]any {
	t.Helper()
	resp, err := client.PostForm(base+"/"+method, params)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return decode(t, method, resp)
}

func decode(t *testing.T, method string, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: HTTP %d", method, resp.StatusCode)
	}
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: decode: %v", method, err)
	}
	res := result(m)
	xe := resp.Header.Get("X-Error")
	if (res != 0) != (xe != "") {
		t.Fatalf("%s: result %d but X-Error %q", method, res, xe)
	}
	if res != 0 {
		if e, _ := m["error"].(string); e == "" {
			t.Fatalf("%s: result %d without error string", method, res)
		}
	}
	return m
}

func result(m map[string]any) int {
	n, ok := m["result"].(json.Number)
	if !ok {
		return -1
	}
	v, _ := n.Int64()
	return int(v)
}

func wantResult(t *testing.T, m map[string]any, code int) {
	t.Helper()
	if got := result(m); got != code {
		t.Fatalf("result %d (%v), want %d", got, m["error"], code)
	}
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// get fetches a URL and returns status, headers and body.
func get(t *testing.T, u string, hdr ...string) (int, http.Header, []byte, error) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// audioLink asks the fake for a link and returns the URLs, one per host.
func audioLink(t *testing.T, s *Server, tok string, fileID string, extra ...string) []string {
	t.Helper()
	p := vals(append([]string{"auth", tok, "fileid", fileID}, extra...)...)
	m := callAPI(t, s.URL(), "getaudiolink", p)
	wantResult(t, m, 0)
	var urls []string
	for _, h := range m["hosts"].([]any) {
		urls = append(urls, "http://"+h.(string)+str(m, "path"))
	}
	return urls
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// login does getdigest + userinfo with passworddigest and returns the answer.
func digestLogin(t *testing.T, base, user, pw string) map[string]any {
	t.Helper()
	d := callAPI(t, base, "getdigest", nil)
	wantResult(t, d, 0)
	dg := str(d, "digest")
	return callAPI(t, base, "userinfo", vals("getauth", "1", "logout", "1", "username", user,
		"digest", dg, "passworddigest", PasswordDigest(user, pw, dg)))
}

func sha1hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
