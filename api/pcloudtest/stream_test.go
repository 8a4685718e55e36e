package pcloudtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcplay/pcplay/internal/mpeg"
)

func fid(s *Server, p string) string { return strconv.FormatUint(s.FileID(p), 10) }

const onePath = "/Music/Album/01 One.mp3"

func TestStreamBasics(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	urls := audioLink(t, s, tok, fid(s, onePath), "abitrate", "320")
	want := frames(200, 320)
	for i, u := range urls {
		st, h, body, err := get(t, u)
		if err != nil || st != 200 || !bytes.Equal(body, want) {
			t.Fatalf("host %d: %d %v len %d", i, st, err, len(body))
		}
		if h.Get("Content-Type") != "audio/mpeg" || h.Get("Content-Length") != strconv.Itoa(len(want)) {
			t.Fatalf("headers %v", h)
		}
	}
	// HEAD.
	resp, err := client.Head(urls[0])
	if err != nil || resp.StatusCode != 200 || resp.ContentLength != int64(len(want)) {
		t.Fatalf("HEAD: %v %v", resp, err)
	}
	resp.Body.Close()
	// Unknown link, other method.
	if st, _, _, _ := get(t, "http://"+s.Hosts()[0]+"/0123456789abcdef0123456789abcdef/x.mp3"); st != 404 {
		t.Fatalf("unknown path: %d", st)
	}
	if st, _, _, _ := get(t, "http://"+s.Hosts()[1]+"/"); st != 404 {
		t.Fatalf("root path: %d", st)
	}
	resp, err = client.Post(urls[0], "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != 405 {
		t.Fatalf("POST: %v %v", resp, err)
	}
	resp.Body.Close()
	// Audio links ignore Range by default.
	st, h, body, _ := get(t, urls[0], "Range", "bytes=100-199")
	if st != 200 || len(body) != len(want) || h.Get("Content-Range") != "" {
		t.Fatalf("audio Range: %d len %d", st, len(body))
	}
	s.SetAudioRange(true)
	st, h, body, _ = get(t, urls[0], "Range", "bytes=100-199")
	if st != 206 || !bytes.Equal(body, want[100:200]) || h.Get("Content-Range") != "bytes 100-199/"+strconv.Itoa(len(want)) {
		t.Fatalf("audio Range with SetAudioRange: %d len %d %q", st, len(body), h.Get("Content-Range"))
	}
	// The log names the link path as getaudiolink gave it.
	if c := s.Calls(urls[0][len("http://"+s.Hosts()[0]):]); len(c) < 4 || c[0].Path != urls[0][len("http://"+s.Hosts()[0]):] {
		t.Fatalf("Calls(link path): %+v", c)
	}
	// Video sound track.
	vu := audioLink(t, s, tok, fid(s, "/Music/Video.mp4"))
	if st, h, body, _ := get(t, vu[0]); st != 200 || !bytes.Equal(body, frames(80, 128)) || h.Get("Content-Type") != "audio/mpeg" {
		t.Fatalf("video: %d %d", st, len(body))
	}
	// The stream log.
	c := s.Calls("/")
	if len(c) < 5 || c[0].Host != "stream0" || c[1].Host != "stream1" || c[0].Method != "GET" || c[0].Params.Get("fileid") != "1000" {
		t.Fatalf("stream log: %+v", c)
	}
	if c[0].Params.Get("served") != "320" || c[0].Params.Get("abitrate") != "320" {
		t.Fatalf("stream log bitrates: %v", c[0].Params)
	}
	if p := s.Calls(c[0].Path[:10]); len(p) == 0 {
		t.Fatal("Calls by path prefix found nothing")
	}
}

func TestGetfilelinkRange(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	m := callAPI(t, s.URL(), "getfilelink", vals("auth", tok, "path", "/Docs/readme.pdf"))
	wantResult(t, m, 0)
	u := "http://" + m["hosts"].([]any)[0].(string) + str(m, "path")
	st, h, full, _ := get(t, u)
	if st != 200 || len(full) != 5000 || h.Get("Content-Type") != "application/pdf" || h.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("file: %d %d %v", st, len(full), h)
	}
	for rg, want := range map[string][2]int{
		"bytes=10-19": {10, 20}, "bytes=4990-": {4990, 5000}, "bytes=-5": {4995, 5000},
		"bytes=4990-9999": {4990, 5000}, "bytes=0-0": {0, 1},
	} {
		st, h, body, _ := get(t, u, "Range", rg)
		if st != 206 || !bytes.Equal(body, full[want[0]:want[1]]) ||
			h.Get("Content-Range") != "bytes "+strconv.Itoa(want[0])+"-"+strconv.Itoa(want[1]-1)+"/5000" {
			t.Errorf("%s: %d len %d %q", rg, st, len(body), h.Get("Content-Range"))
		}
	}
	for _, rg := range []string{"bytes=5000-", "bytes=-0"} {
		if st, h, _, _ := get(t, u, "Range", rg); st != 416 || h.Get("Content-Range") != "bytes */5000" {
			t.Errorf("%s: %d", rg, st)
		}
	}
	for _, rg := range []string{"bytes=0-1,5-6", "items=1-2", "bytes=x-y", "bytes=9-3"} {
		if st, _, body, _ := get(t, u, "Range", rg); st != 200 || len(body) != 5000 {
			t.Errorf("%s: %d %d", rg, st, len(body))
		}
	}
	s.SetRefuseRange(true)
	if st, _, body, _ := get(t, u, "Range", "bytes=10-19"); st != 200 || len(body) != 5000 {
		t.Fatalf("refused range: %d %d", st, len(body))
	}
	// An audio file's original.
	m = callAPI(t, s.URL(), "getfilelink", vals("auth", tok, "fileid", fid(s, onePath)))
	wantResult(t, m, 0)
	if st, _, body, _ := get(t, "http://"+s.Hosts()[1]+str(m, "path")); st != 200 || !bytes.Equal(body, frames(200, 320)) {
		t.Fatalf("original: %d %d", st, len(body))
	}
	wantResult(t, callAPI(t, s.URL(), "getfilelink", vals("auth", tok, "path", "/Docs")), 2009)
	wantResult(t, callAPI(t, s.URL(), "getfilelink", vals("auth", tok)), 1004)
}

// withTags puts an ID3v2 tag and a Xing/Info frame in front of frames.
func withTags(audio []byte) []byte {
	id3 := []byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 100}
	id3 = append(id3, make([]byte, 100)...)
	info := make([]byte, frameLen(128))
	info[0], info[1], info[2], info[3] = 0xFF, 0xFB, 9<<4, 0x00
	copy(info[4+32:], "Info")
	out := append(id3, info...)
	return append(out, audio...)
}

func TestStartSkipsWholeFrames(t *testing.T) {
	plain := frames(300, 128)
	tagged := withTags(frames(300, 128))
	s := newTestServer(t, func(o *Options) {
		o.Root = Dir("", AudioFile("plain.mp3", map[int][]byte{128: plain}, Tags{}),
			AudioFile("tagged.mp3", map[int][]byte{128: tagged}, Tags{}))
	})
	tok := s.Token(alice)
	fl := frameLen(128)
	// A frame lasts 1152/44100 s; the first frame starting at or after N
	// seconds has index ceil(N*44100/1152).
	first := func(sec int) int { return (sec*44100 + 1151) / 1152 }
	if first(1) != 39 || first(2) != 77 {
		t.Fatalf("arithmetic: %d %d", first(1), first(2))
	}
	u := audioLink(t, s, tok, fid(s, "/plain.mp3"))[0]
	for _, sec := range []int{1, 2, 5, 7} {
		st, h, body, err := get(t, u+"?start="+strconv.Itoa(sec))
		want := plain[first(sec)*fl:]
		if err != nil || st != 200 || !bytes.Equal(body, want) || h.Get("Content-Length") != strconv.Itoa(len(want)) {
			t.Fatalf("start=%d: %d %v got %d bytes want %d", sec, st, err, len(body), len(want))
		}
		if body[4] != byte(first(sec)%250)+1 {
			t.Fatalf("start=%d: wrong frame", sec)
		}
	}
	if _, _, body, _ := get(t, u+"?start=0"); !bytes.Equal(body, plain) {
		t.Fatal("start=0 is the whole file")
	}
	if st, _, body, _ := get(t, u+"?start=100"); st != 200 || len(body) != 0 {
		t.Fatalf("start past end: %d %d", st, len(body))
	}
	for _, bad := range []string{"abc", "-1", "NaN"} {
		if st, _, _, _ := get(t, u+"?start="+bad); st != 400 {
			t.Errorf("start=%s: %d", bad, st)
		}
	}
	// Tagged: start=0 keeps ID3 and Info, start=N serves from a frame without them.
	tu := audioLink(t, s, tok, fid(s, "/tagged.mp3"))[0]
	if _, _, body, _ := get(t, tu); !bytes.Equal(body, tagged) {
		t.Fatal("tagged whole")
	}
	_, _, body, _ := get(t, tu+"?start=1")
	audioStart := 110 + fl
	if !bytes.Equal(body, tagged[audioStart+first(1)*fl:]) {
		t.Fatalf("tagged start=1: %d bytes", len(body))
	}
	if st := mpeg.Scan(body); st.InfoOff != -1 || st.DataStart != 0 || len(st.Frames) != 300-first(1) {
		t.Fatalf("served body: info %d start %d frames %d", st.InfoOff, st.DataStart, len(st.Frames))
	}
	c := s.Calls("/")
	if c[len(c)-1].Params.Get("start") != "1" {
		t.Fatalf("start not logged: %+v", c[len(c)-1])
	}
}

func TestHostDownAndStatus(t *testing.T) {
	s := newTestServer(t, func(o *Options) { o.StreamHosts = 3 })
	if len(s.Hosts()) != 3 {
		t.Fatalf("hosts %v", s.Hosts())
	}
	urls := audioLink(t, s, s.Token(alice), fid(s, onePath))
	if len(urls) != 3 {
		t.Fatalf("urls %v", urls)
	}
	s.SetHostDown(0, true)
	if _, _, _, err := get(t, urls[0]); err == nil {
		t.Fatal("host 0 still answers")
	}
	if st, _, _, err := get(t, urls[1]); err != nil || st != 200 {
		t.Fatalf("host 1: %d %v", st, err)
	}
	s.SetHostDown(0, true) // idempotent
	s.SetHostDown(0, false)
	if st, _, _, err := get(t, urls[0]); err != nil || st != 200 {
		t.Fatalf("host 0 back: %d %v", st, err)
	}
	s.SetHostStatus(1, 503)
	if st, _, _, _ := get(t, urls[1]); st != 503 {
		t.Fatalf("status: %d", st)
	}
	if st, _, _, _ := get(t, urls[2]); st != 200 {
		t.Fatalf("host 2: %d", st)
	}
	s.SetHostStatus(1, 0)
	if st, _, _, _ := get(t, urls[1]); st != 200 {
		t.Fatalf("host 1 normal: %d", st)
	}
}

func TestCut(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	u := audioLink(t, s, tok, fid(s, onePath), "abitrate", "128")[0]
	want := frames(200, 128)
	s.CutNextAfter(5000)
	// Answers without a body do not use the one-shot cut up.
	if st, _, _, _ := get(t, u+"?start=x"); st != 400 {
		t.Fatalf("bad start: %d", st)
	}
	if resp, err := client.Head(u); err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v", err)
	} else {
		resp.Body.Close()
	}
	st, _, body, err := get(t, u)
	if st != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(body, want[:5000]) {
		t.Fatalf("cut next: %d %v %d", st, err, len(body))
	}
	if _, _, body, err := get(t, u); err != nil || len(body) != len(want) {
		t.Fatalf("after cut next: %v %d", err, len(body))
	}
	s.CutAfter(1000)
	for i := 0; i < 2; i++ {
		_, _, body, err := get(t, u+"?start=1")
		if err == nil || !bytes.Equal(body, want[39*frameLen(128):39*frameLen(128)+1000]) {
			t.Fatalf("cut %d: %v %d", i, err, len(body))
		}
	}
	// Without Content-Length the cut shows as well.
	s.SetContentLength(false)
	if _, _, body, err := get(t, u); err == nil || len(body) != 1000 {
		t.Fatalf("chunked cut: %v %d", err, len(body))
	}
	s.CutAfter(0)
	if _, _, body, err := get(t, u); err != nil || len(body) != len(want) {
		t.Fatalf("cut off: %v %d", err, len(body))
	}
}

func TestNoContentLength(t *testing.T) {
	s := newTestServer(t, nil)
	s.SetContentLength(false)
	u := audioLink(t, s, s.Token(alice), fid(s, "/Music/Album/02 Two.mp3"))[0]
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.ContentLength != -1 || resp.Header.Get("Content-Length") != "" ||
		len(resp.TransferEncoding) == 0 || !bytes.Equal(body, frames(100, 64)) {
		t.Fatalf("no length: cl %d te %v err %v len %d", resp.ContentLength, resp.TransferEncoding, err, len(body))
	}
	// Tiny body too (net/http would add a length on its own).
	resp, err = client.Get(u + "?start=3")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.ContentLength != -1 {
		t.Fatalf("small body has a length %d", resp.ContentLength)
	}
	s.SetContentLength(true)
	if _, h, _, _ := get(t, u); h.Get("Content-Length") == "" {
		t.Fatal("length back on")
	}
}

func TestExpiry(t *testing.T) {
	c := newClock()
	s := newTestServer(t, func(o *Options) { o.Now = c.Now })
	tok := s.Token(alice)
	one, two := fid(s, onePath), fid(s, "/Music/Album/02 Two.mp3")

	s.ExpireOnFirstUse(true)
	u1 := audioLink(t, s, tok, one)
	st, _, body, _ := get(t, u1[0])
	if st != 410 || !strings.Contains(string(body), "Your download expired") {
		t.Fatalf("first use: %d %q", st, body)
	}
	if st, _, _, _ := get(t, u1[1]); st != 410 {
		t.Fatalf("expired link on the other host: %d", st)
	}
	u2 := audioLink(t, s, tok, one)
	if st, _, _, _ := get(t, u2[0]); st != 200 {
		t.Fatalf("fresh link: %d", st)
	}
	if st, _, _, _ := get(t, u2[0]+"?start=1"); st != 200 {
		t.Fatalf("fresh link reused: %d", st)
	}
	if st, _, _, _ := get(t, audioLink(t, s, tok, two)[0]); st != 410 {
		t.Fatalf("other file's first link: %d", st)
	}
	s.ExpireOnFirstUse(false)
	if st, _, _, _ := get(t, audioLink(t, s, tok, two)[0]); st != 200 {
		t.Fatalf("switch off: %d", st)
	}

	// ExpireAll.
	u3 := audioLink(t, s, tok, one)
	s.ExpireAll()
	if st, _, _, _ := get(t, u3[0]); st != 410 {
		t.Fatalf("ExpireAll: %d", st)
	}

	// TTL.
	s.SetLinkTTL(time.Minute)
	m := callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one, "timeformat", "timestamp"))
	exp, _ := m["expires"].(interface{ Int64() (int64, error) }).Int64()
	if exp != c.Now().Add(time.Minute).Unix() {
		t.Fatalf("expires %d, want %d", exp, c.Now().Add(time.Minute).Unix())
	}
	u4 := "http://" + s.Hosts()[0] + str(m, "path")
	if st, _, _, _ := get(t, u4); st != 200 {
		t.Fatalf("before ttl: %d", st)
	}
	c.Add(61 * time.Second)
	if st, _, _, _ := get(t, u4); st != 410 {
		t.Fatalf("after ttl: %d", st)
	}
}

func TestRate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(o *Options) { o.StreamHosts = 1 })
	if len(s.Hosts()) != 2 {
		t.Fatalf("StreamHosts 1 gave %d hosts, want the minimum 2", len(s.Hosts()))
	}
	s.SetRate(200_000)
	u := audioLink(t, s, s.Token(alice), fid(s, "/Music/Album/02 Two.mp3"))[0]
	st, _, body, err := get(t, u)
	if err != nil || st != 200 || !bytes.Equal(body, frames(100, 64)) {
		t.Fatalf("rate: %d %v %d", st, err, len(body))
	}
	// At 1000 bytes/s the 290 kB body cannot arrive within the moment we
	// wait: whatever the machine's load, a rate-limited sender is only slower.
	s.SetRate(1000)
	big := audioLink(t, s, s.Token(alice), fid(s, onePath), "abitrate", "320")[0]
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", big, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, cancel)
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	cancel()
	if n == 0 || n >= int64(len(frames(200, 320))) {
		t.Fatalf("received %d bytes at 1000 B/s", n)
	}
	s.SetRate(0)
	if st, _, body, err := get(t, big); err != nil || st != 200 || len(body) != len(frames(200, 320)) {
		t.Fatalf("rate off: %d %v %d", st, err, len(body))
	}
}

func TestStall(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	u := audioLink(t, s, s.Token(alice), fid(s, onePath), "abitrate", "128")[0]
	want := frames(200, 128)
	s.StallNextAfter(3000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make([]byte, 3000)
	if _, err := io.ReadFull(resp.Body, got); err != nil || !bytes.Equal(got, want[:3000]) {
		t.Fatalf("before stall: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 10))
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("stalled stream returned: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	// Only the next request stalls.
	if _, _, body, err := get(t, u); err != nil || len(body) != len(want) {
		t.Fatalf("after stall: %v %d", err, len(body))
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("read after cancel succeeded")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("cancel did not end the stalled read")
	}
	// Close ends a stall too.
	s.StallNextAfter(0)
	resp2, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	go s.Close()
	if _, err := io.ReadAll(resp2.Body); err == nil {
		t.Fatal("stall survived Close")
	}
}

func TestLogRedaction(t *testing.T) {
	var logMu sync.Mutex
	var debug strings.Builder
	s := newTestServer(t, func(o *Options) {
		o.Accounts = append(o.Accounts, Account{Email: "tfa@example.com", Password: "tfapass", TFA: true, TFACode: "314159"})
		o.Logf = func(format string, args ...any) {
			logMu.Lock()
			defer logMu.Unlock()
			debug.WriteString(strings.ToLower(sprintf(format, args...)))
		}
	})
	secrets := []string{alicePW, "tfapass", "314159"}
	m := digestLogin(t, s.URL(), alice, alicePW)
	tok := str(m, "auth")
	secrets = append(secrets, tok)
	d := callAPI(t, s.URL(), "getdigest", nil)
	secrets = append(secrets, str(d, "digest"), PasswordDigest(alice, alicePW, str(d, "digest")))
	callAPI(t, s.URL(), "userinfo", vals("username", alice, "digest", str(d, "digest"), "passworddigest", PasswordDigest(alice, alicePW, str(d, "digest"))))
	postAPI(t, s.URL(), "login", vals("username", alice, "password", alicePW, "getauth", "1"))
	tm := callAPI(t, s.URL(), "login", vals("username", "tfa@example.com", "password", "tfapass"))
	secrets = append(secrets, str(tm, "token"))
	ok := callAPI(t, s.URL(), "tfa_login", vals("token", str(tm, "token"), "code", "314159", "getauth", "1"))
	secrets = append(secrets, str(ok, "auth"))
	mt := s.Token(alice)
	secrets = append(secrets, mt)
	callAPI(t, s.URL(), "listfolder", vals("access_token", mt, "folderid", "0"))
	bearer(t, s.URL(), "listfolder?folderid=0", mt)
	u := audioLink(t, s, tok, fid(s, onePath))
	get(t, u[0]+"?start=1")
	callAPI(t, s.URL(), "logout", vals("auth", tok))

	log := s.Log()
	if len(log) < 10 {
		t.Fatalf("log has %d entries", len(log))
	}
	var all strings.Builder
	for _, r := range log {
		all.WriteString(r.Host + r.Method + r.Path)
		for k, vs := range r.Params {
			all.WriteString(k + "=" + strings.Join(vs, ","))
		}
	}
	logMu.Lock()
	dbg := debug.String()
	logMu.Unlock()
	for _, sec := range secrets {
		if sec == "" {
			t.Fatal("empty secret in the list")
		}
		if strings.Contains(all.String(), sec) {
			t.Errorf("secret %q in Log()", sec)
		}
		if strings.Contains(dbg, strings.ToLower(sec)) {
			t.Errorf("secret %q in Logf", sec)
		}
	}
	if !strings.Contains(all.String(), "auth="+Redacted) || !strings.Contains(all.String(), "code="+Redacted) {
		t.Fatal("redacted parameters not kept")
	}
	if dbg == "" {
		t.Fatal("Logf never called")
	}
	// Log returns copies.
	log[0].Params.Set("x", "y")
	if s.Log()[0].Params.Get("x") != "" {
		t.Fatal("Log shares its maps")
	}
	s.ResetLog()
	if len(s.Log()) != 0 {
		t.Fatal("ResetLog")
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one := fid(s, onePath)
	// quiet calls: no t.Fatal off the test goroutine.
	call := func(method string, p map[string]string) map[string]any {
		v := vals()
		for k, x := range p {
			v.Set(k, x)
		}
		resp, err := client.Get(s.URL() + "/" + method + "?" + v.Encode())
		if err != nil {
			t.Error(err)
			return nil
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Error(err)
		}
		return m
	}
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				switch (g + i) % 4 {
				case 0:
					m := call("listfolder", map[string]string{"auth": tok, "folderid": "0", "recursive": "1"})
					if r, _ := m["result"].(float64); r != 0 && r != 5000 {
						t.Errorf("listfolder %v", r)
					}
				case 1:
					m := call("getaudiolink", map[string]string{"auth": tok, "fileid": one})
					if r, _ := m["result"].(float64); r == 0 {
						resp, err := client.Get("http://" + m["hosts"].([]any)[1].(string) + m["path"].(string) + "?start=1")
						if err == nil {
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
						}
					}
				case 2:
					s.FailNext(1, 5000)
					s.SetRate(0)
					s.CutNextAfter(100)
					s.SetHostStatus(0, 0)
					s.SetContentLength(i%2 == 0)
					s.ExpireOnFirstUse(i%3 == 0)
				case 3:
					_ = s.Log()
					_ = s.Calls("/")
					s.SetHostDown(0, i%2 == 0)
					d := call("getdigest", nil)
					dg, _ := d["digest"].(string)
					call("userinfo", map[string]string{"getauth": "1", "username": alice, "digest": dg,
						"passworddigest": PasswordDigest(alice, alicePW, dg)})
				}
			}
		}(g)
	}
	wg.Wait()
	s.SetHostDown(0, false)
	if len(s.Log()) < 40 {
		t.Fatalf("log has %d entries", len(s.Log()))
	}
}

func TestOldLinksForgotten(t *testing.T) {
	c := newClock()
	s := newTestServer(t, func(o *Options) { o.Now = c.Now })
	tok := s.Token(alice)
	s.SetLinkTTL(time.Minute)
	old := audioLink(t, s, tok, fid(s, onePath))[0]
	c.Add(30 * time.Minute)
	if st, _, _, _ := get(t, old); st != 410 {
		t.Fatalf("expired link: %d", st)
	}
	c.Add(2 * time.Hour)
	var fresh string
	for i := 0; i < 256; i++ {
		fresh = audioLink(t, s, tok, fid(s, onePath))[0]
	}
	if st, _, _, _ := get(t, old); st != 404 {
		t.Fatalf("long-expired link: %d, want 404 (forgotten)", st)
	}
	if st, _, _, _ := get(t, fresh); st != 200 {
		t.Fatalf("fresh link: %d", st)
	}
}
