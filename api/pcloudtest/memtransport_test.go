package pcloudtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// An in-memory server in a synctest bubble answers as the sockets do, its
// switches hold, and a paced stream takes time on the bubble's clock only.
func TestInMemory(t *testing.T) {
	t.Parallel()
	// The same listing over sockets, to compare with.
	sock := newTestServer(t, nil)
	q := "/listfolder?" + vals("auth", sock.Token(alice), "path", "/Music", "recursive", "1").Encode()
	_, _, listing, err := get(t, sock.URL()+q)
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		s := newTestServer(t, func(o *Options) { o.InMemory = true })
		hc := s.InMemoryClient()
		fetch := func(method, u string, hdr ...string) (*http.Response, []byte, error) {
			t.Helper()
			req, _ := http.NewRequest(method, u, nil)
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			resp, err := hc.Do(req)
			if err != nil {
				return nil, nil, err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			return resp, b, err
		}
		tok := s.Token(alice)
		q := "/listfolder?" + vals("auth", tok, "path", "/Music", "recursive", "1").Encode()
		if resp, b, err := fetch("GET", s.URL()+q); err != nil || resp.StatusCode != 200 || !bytes.Equal(b, listing) {
			t.Fatalf("listfolder in memory: %v\n%s\nover sockets:\n%s", err, b, listing)
		}
		_, b, err := fetch("GET", s.URL()+"/getaudiolink?"+vals("auth", tok, "fileid", fid(s, onePath), "abitrate", "128").Encode())
		var link map[string]any
		if err == nil {
			link = decode(t, "getaudiolink", &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(b))})
		}
		if err != nil || len(link["hosts"].([]any)) != 2 {
			t.Fatalf("getaudiolink: %v %s", err, b)
		}
		u := "http://" + link["hosts"].([]any)[1].(string) + str(link, "path")
		want := frames(200, 128)
		if resp, b, err := fetch("GET", u); err != nil || resp.StatusCode != 200 || resp.ContentLength != int64(len(want)) || !bytes.Equal(b, want) {
			t.Fatalf("stream: %v %d bytes", err, len(b))
		}
		if resp, b, err := fetch("HEAD", u); err != nil || resp.ContentLength != int64(len(want)) || len(b) != 0 {
			t.Fatalf("HEAD: %v %d bytes", err, len(b))
		}
		s.SetAudioRange(true)
		if resp, b, err := fetch("GET", u, "Range", "bytes=10-19"); err != nil || resp.StatusCode != 206 || !bytes.Equal(b, want[10:20]) {
			t.Fatalf("range: %v, %d bytes", err, len(b))
		}

		// Down refuses the connection as TCP does; Up serves again.
		s.Down()
		if _, _, err := fetch("GET", s.URL()+q); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("down: %v", err)
		}
		if _, _, err := fetch("GET", u); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("stream host down: %v", err)
		}
		s.Up()
		if resp, _, err := fetch("GET", s.URL()+q); err != nil || resp.StatusCode != 200 {
			t.Fatalf("up: %v", err)
		}

		// A cut connection ends the body short.
		s.CutNextAfter(1000)
		if _, b, err := fetch("GET", u); !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(b, want[:1000]) {
			t.Fatalf("cut: %v after %d bytes", err, len(b))
		}

		// Paced: the body takes its time, on the bubble's clock.
		const rate = 16_000
		s.SetRate(rate)
		start := time.Now()
		if _, b, err := fetch("GET", u); err != nil || !bytes.Equal(b, want) {
			t.Fatalf("paced: %v %d bytes", err, len(b))
		}
		if took, min := time.Since(start), time.Duration(len(want)-rate/50)*time.Second/rate; took < min {
			t.Fatalf("%d bytes at %d B/s took %v, want at least %v", len(want), rate, took, min)
		}
		s.SetRate(0)

		// A stalled stream waits until cancelled.
		s.StallNextAfter(3000)
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 3000)
		if _, err := io.ReadFull(resp.Body, got); err != nil || !bytes.Equal(got, want[:3000]) {
			t.Fatalf("before the stall: %v", err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := resp.Body.Read(make([]byte, 10))
			done <- err
		}()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("the stalled stream returned %v", err)
		default:
		}
		cancel()
		if err := <-done; err == nil {
			t.Fatal("a read after the cancel succeeded")
		}
		resp.Body.Close()

		s.Close()
		if _, _, err := fetch("GET", s.URL()+q); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("closed: %v", err)
		}
	})
}
