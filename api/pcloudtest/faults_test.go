package pcloudtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSilentHost(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	if s.SilentHost() != "" {
		t.Fatal("a silent host before the switch")
	}
	s.SetSilentHost(true)
	urls := audioLink(t, s, tok, fid(s, onePath))
	if len(urls) != 3 || !strings.HasPrefix(urls[0], "http://"+s.SilentHost()+"/") {
		t.Fatalf("hosts with the silent one: %v (silent %s)", urls, s.SilentHost())
	}
	// It accepts, and answers nothing: the client's header timeout fires.
	quick := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 300 * time.Millisecond}}
	resp, err := quick.Get(urls[0])
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the silent host answered %d", resp.StatusCode)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("silent host: %v, want a timeout", err)
	}
	if n := s.SilentConns(); n != 1 {
		t.Fatalf("silent host accepted %d connections", n)
	}
	// The real hosts follow it.
	if st, _, body, err := get(t, urls[1]); err != nil || st != 200 || len(body) == 0 {
		t.Fatalf("second host: %d %v", st, err)
	}
	// A raw connection is held open and never written to, until Close.
	c, err := net.Dial("tcp", s.SilentHost())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := c.Read(make([]byte, 10)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("silent host read: %d %v", n, err)
	}
	s.SetSilentHost(false)
	if urls := audioLink(t, s, tok, fid(s, onePath)); len(urls) != 2 || slices.ContainsFunc(urls, func(u string) bool {
		return strings.Contains(u, s.SilentHost())
	}) {
		t.Fatalf("hosts after the switch is off: %v", urls)
	}
	s.Close()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Read(make([]byte, 10)); !errors.Is(err, io.EOF) {
		t.Fatalf("after Close the held connection reads %v, want EOF", err)
	}
}

// getNoLength GETs u and checks the body was close-delimited: no length, no
// chunks, and a clean end.
func getNoLength(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d, read: %v (want a clean end)", resp.StatusCode, err)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 0 || !resp.Close {
		t.Fatalf("not close-delimited: length %d, transfer encoding %v, close %v", resp.ContentLength, resp.TransferEncoding, resp.Close)
	}
	return body
}

func TestEndStreamsShort(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	u := audioLink(t, s, s.Token(alice), fid(s, onePath), "abitrate", "128")[0]
	want := frames(200, 128)

	s.EndNextStreamsAfter(2, 5000)
	// A HEAD does not take one of them, and keeps its length.
	if resp, err := client.Head(u); err != nil || resp.ContentLength != int64(len(want)) {
		t.Fatalf("HEAD: %v", err)
	} else {
		resp.Body.Close()
	}
	for i := 0; i < 2; i++ {
		if body := getNoLength(t, u); !bytes.Equal(body, want[:5000]) {
			t.Fatalf("response %d: %d bytes, want the first 5000", i, len(body))
		}
	}
	if st, h, body, err := get(t, u); err != nil || st != 200 || h.Get("Content-Length") == "" || !bytes.Equal(body, want) {
		t.Fatalf("third response: %d %v %q %d", st, err, h.Get("Content-Length"), len(body))
	}

	// Every response, from start= on; a body shorter than n comes whole.
	s.EndStreamsAfter(1000)
	off := 39 * frameLen(128) // second 1
	for i := 0; i < 2; i++ {
		if body := getNoLength(t, u+"?start=1"); !bytes.Equal(body, want[off:off+1000]) {
			t.Fatalf("start=1, response %d: %d bytes", i, len(body))
		}
	}
	last := 192 * frameLen(128) // second 5: the last 8 frames, under 5000 bytes
	s.EndStreamsAfter(5000)
	if body := getNoLength(t, u+"?start=5"); !bytes.Equal(body, want[last:]) {
		t.Fatalf("the tail: %d bytes, want %d", len(body), len(want)-last)
	}
	s.EndStreamsAfter(0)
	if _, h, body, err := get(t, u); err != nil || h.Get("Content-Length") == "" || len(body) != len(want) {
		t.Fatalf("switched off: %v %d", err, len(body))
	}
}

func TestRateBelowBitrate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	const rate = 12_000 // bytes/s, under the 16 kB/s of 128 kbit/s
	s.SetRate(rate)
	u := audioLink(t, s, s.Token(alice), fid(s, onePath), "abitrate", "128")[0]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.AfterFunc(700*time.Millisecond, cancel)
	n, _ := io.Copy(io.Discard, resp.Body)
	elapsed := time.Since(start)
	// The sender is paced from its first byte: however slow the machine,
	// the client cannot have more than the rate allows over the time it
	// waited (plus one write of rate/50 bytes).
	if limit := int64(rate*elapsed.Seconds()) + rate/50; n == 0 || n > limit {
		t.Fatalf("received %d bytes in %v at %d B/s (limit %d)", n, elapsed, rate, limit)
	}
}

func TestExpireNextLinks(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one := fid(s, onePath)
	before := audioLink(t, s, tok, one) // issued before, used after: counts too
	s.ExpireNextLinks(3, 403)
	for i := 0; i < 3; i++ {
		u := before
		if i > 0 {
			u = audioLink(t, s, tok, one)
		}
		if st, _, _, _ := get(t, u[0]); st != 403 {
			t.Fatalf("link %d: %d, want 403", i, st)
		}
		if st, _, _, _ := get(t, u[1]); st != 403 {
			t.Fatalf("link %d on the other host: %d, want 403 again", i, st)
		}
	}
	u := audioLink(t, s, tok, one)
	if st, _, _, _ := get(t, u[0]); st != 200 {
		t.Fatalf("fourth link: %d", st)
	}
	// A link used once is not a first use any more.
	s.ExpireNextLinks(1, 0)
	if st, _, _, _ := get(t, u[1]); st != 200 {
		t.Fatalf("a used link: %d", st)
	}
	if st, _, body, _ := get(t, audioLink(t, s, tok, one)[0]); st != 410 || !strings.Contains(string(body), "expired") {
		t.Fatalf("status 0 means 410: %d %q", st, body)
	}
	defer func() {
		if recover() == nil {
			t.Error("ExpireNextLinks(1, 500) did not panic")
		}
	}()
	s.ExpireNextLinks(1, 500)
}

// rawAPI GETs method and returns status, content type and body.
func rawAPI(t *testing.T, base, method string, kv ...string) (int, string, []byte) {
	t.Helper()
	st, h, body, err := get(t, base+"/"+method+"?"+vals(kv...).Encode())
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return st, h.Get("Content-Type"), body
}

func TestMalformNext(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one := fid(s, onePath)
	check := map[Malformed]func(ctype string, body []byte) bool{
		MalformedJSON: func(ct string, b []byte) bool {
			var v any
			return strings.HasPrefix(ct, "application/json") && len(b) > 0 && json.Unmarshal(b, &v) != nil
		},
		MalformedHTML: func(ct string, b []byte) bool {
			return strings.HasPrefix(ct, "text/html") && bytes.Contains(b, []byte("<html>"))
		},
		MalformedEmpty: func(ct string, b []byte) bool { return len(b) == 0 },
		MalformedNoResult: func(ct string, b []byte) bool {
			var m map[string]any
			if json.Unmarshal(b, &m) != nil {
				return false
			}
			_, has := m["result"]
			return !has && m["path"] != nil && m["hosts"] != nil
		},
	}
	for kind, ok := range check {
		t.Run(kind.String(), func(t *testing.T) {
			s.MalformNext("getaudiolink", 2, kind)
			for i := 0; i < 2; i++ {
				st, ct, body := rawAPI(t, s.URL(), "getaudiolink", "auth", tok, "fileid", one)
				if st != 200 || !ok(ct, body) {
					t.Fatalf("call %d: %d %s %q", i, st, ct, body)
				}
				// Other methods are not touched.
				wantResult(t, callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0")), 0)
			}
			wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one)), 0)
		})
	}
	calls := s.Calls("getaudiolink")
	if len(calls) != 12 || calls[0].Result != -1 || calls[0].Params.Get("auth") != Redacted || calls[2].Result != 0 {
		t.Fatalf("log: %+v", calls)
	}
	// "" is any method, for the next k calls in all.
	s.MalformNext("", 1, MalformedEmpty)
	if _, _, body := rawAPI(t, s.RegionURL("eu"), "getdigest"); len(body) != 0 {
		t.Fatalf("any method: %q", body)
	}
	wantResult(t, callAPI(t, s.URL(), "getdigest", nil), 0)
	s.MalformNext("getdigest", 5, MalformedHTML)
	s.MalformNext("getdigest", 0, 0) // cleared
	wantResult(t, callAPI(t, s.URL(), "getdigest", nil), 0)
}

func TestFailMethod(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	one := fid(s, onePath)
	list := vals("auth", tok, "folderid", "0")
	for _, code := range []int{1000, 2000, 2094, 4000, 5000, 5002} {
		s.FailMethod("getaudiolink", code)
		for i := 0; i < 3; i++ {
			m := callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one))
			wantResult(t, m, code)
			if str(m, "error") != Message(code) {
				t.Fatalf("%d: message %q", code, str(m, "error"))
			}
		}
		wantResult(t, callAPI(t, s.URL(), "listfolder", list), 0)
	}
	// Every method; a method's own switch wins.
	s.FailMethod("", 4000)
	wantResult(t, callAPI(t, s.URL(), "listfolder", list), 4000)
	wantResult(t, callAPI(t, s.RegionURL("eu"), "getdigest", nil), 4000)
	wantResult(t, postAPI(t, s.URL(), "userinfo", vals("auth", tok)), 4000)
	wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one)), 5002)
	s.FailMethod("", 0)
	wantResult(t, callAPI(t, s.URL(), "listfolder", list), 0)
	s.FailMethod("getaudiolink", 0)
	wantResult(t, callAPI(t, s.URL(), "getaudiolink", vals("auth", tok, "fileid", one)), 0)
	if c := s.Calls("userinfo"); len(c) != 1 || c[0].Result != 4000 || c[0].Params.Get("auth") != Redacted {
		t.Fatalf("log: %+v", c)
	}
}

func TestDownAndUp(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	urls := audioLink(t, s, tok, fid(s, onePath))
	s.Down()
	for _, u := range append([]string{s.URL() + "/getdigest", s.RegionURL("eu") + "/getdigest"}, urls...) {
		// Refused, or reset: the freed port can be taken meanwhile by a
		// listener of another test binary running beside this one (go test
		// runs packages in parallel), which then drops the connection.
		if _, _, _, err := get(t, u); err == nil || !strings.Contains(err.Error(), "refused") && !strings.Contains(err.Error(), "reset by peer") {
			t.Fatalf("%s while down: %v", u, err)
		}
	}
	s.Down() // idempotent
	s.Up()
	wantResult(t, callAPI(t, s.URL(), "getdigest", nil), 0)
	wantResult(t, callAPI(t, s.RegionURL("eu"), "getdigest", nil), 0)
	for _, u := range urls {
		if st, _, _, err := get(t, u); err != nil || st != 200 {
			t.Fatalf("%s after Up: %d %v", u, st, err)
		}
	}
}
