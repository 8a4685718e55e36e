package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// walk visits m and everything below it.
func walk(m *Metadata, f func(*Metadata)) {
	f(m)
	for _, c := range m.Contents {
		walk(c, f)
	}
}

func find(m *Metadata, name string) *Metadata {
	var out *Metadata
	walk(m, func(x *Metadata) {
		if x.Name == name {
			out = x
		}
	})
	return out
}

func TestListFolderRecursive(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	root, err := c.ListFolder(ctxT(t), 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if !root.IsFolder || root.FolderID != 0 || len(root.Contents) != 3 {
		t.Fatalf("root = %+v", root)
	}
	p := srv.Calls("listfolder")[0].Params
	if p.Get("recursive") != "1" || p.Get("timeformat") != "timestamp" || p.Get("folderid") != "0" {
		t.Fatalf("listfolder params %v", p)
	}

	music := find(root, "Music")
	if music == nil || !music.IsFolder || music.FolderID != srv.FolderID("/Music") || music.ParentFolderID != 0 {
		t.Fatalf("Music = %+v", music)
	}
	live := find(root, "Live")
	if live == nil || live.FolderID != srv.FolderID("/Music/Live") || live.ParentFolderID != music.FolderID || len(live.Contents) != 1 {
		t.Fatalf("Live = %+v", live)
	}

	intro := find(root, "01 Intro é.mp3")
	if intro == nil {
		t.Fatal("no intro")
	}
	if intro.IsFolder || intro.FileID != srv.FileID("/Music/01 Intro é.mp3") || intro.ParentFolderID != music.FolderID {
		t.Fatalf("intro ids %+v", intro)
	}
	if intro.Artist != "The Band" || intro.Album != "First" || intro.Title != "Intro" || intro.Genre != "Rock" || intro.TrackNo != 1 {
		t.Fatalf("intro tags %+v", intro)
	}
	if intro.Category != CategoryAudio || intro.ContentType != "audio/mpeg" || !intro.Playable() || intro.Size <= 0 {
		t.Fatalf("intro kind %+v", intro)
	}
	if intro.Created.IsZero() || intro.Modified.Before(intro.Created) || intro.Created.Year() < 2000 {
		t.Fatalf("intro dates %v %v", intro.Created, intro.Modified)
	}
	// trackno sent as a string.
	if second := find(root, "02 Second.mp3"); second == nil || second.TrackNo != 2 {
		t.Fatalf("second = %+v", second)
	}
	if third := find(root, "03 Third.mp3"); third == nil || third.TrackNo != 0 || third.Artist != "" {
		t.Fatalf("third = %+v", third)
	}
	clip := find(root, "clip.mp4")
	if clip == nil || clip.Category != CategoryVideo || !clip.Playable() {
		t.Fatalf("clip = %+v", clip)
	}
	notes := find(root, "notes.txt")
	if notes == nil || notes.Category != CategoryDocument || notes.Playable() || notes.Size != 1234 {
		t.Fatalf("notes = %+v", notes)
	}

	// Hashes are uint64: the fake gives every other file one above 2^63.
	var files, big int
	seen := map[uint64]bool{}
	walk(root, func(m *Metadata) {
		if m.IsFolder {
			if m.FileID != 0 {
				t.Errorf("folder %q has a fileid", m.Name)
			}
			return
		}
		files++
		if m.Hash == 0 || seen[m.Hash] {
			t.Errorf("file %q hash %d", m.Name, m.Hash)
		}
		seen[m.Hash] = true
		if m.Hash >= 1<<63 {
			big++
		}
	})
	if files != 6 || big == 0 {
		t.Fatalf("%d files, %d with a hash above 2^63", files, big)
	}
}

func TestListFolderFlatAndPath(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	m, err := c.ListFolder(ctxT(t), srv.FolderID("/Music"), false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Music" || len(m.Contents) != 4 {
		t.Fatalf("Music = %+v", m)
	}
	if live := find(m, "Live"); live == nil || live.Contents != nil {
		t.Fatalf("a flat listing has nested contents: %+v", live)
	}
	if srv.Calls("listfolder")[0].Params.Has("recursive") {
		t.Fatal("recursive sent for a flat listing")
	}

	m2, err := c.ListPath(ctxT(t), "/Music/Live", false)
	if err != nil {
		t.Fatal(err)
	}
	if m2.FolderID != srv.FolderID("/Music/Live") || len(m2.Contents) != 1 || m2.Contents[0].TrackNo != 7 {
		t.Fatalf("Live = %+v", m2)
	}

	// Missing folders: 2005 by id.
	_, err = c.ListFolder(ctxT(t), 987654, false)
	e := wantCode(t, err, 2005)
	if e.Error() != "pcloud: listfolder: 2005 Directory does not exist." {
		t.Fatalf("Error() = %q", e.Error())
	}
	if !strings.Contains(Sentence(err), "folder does not exist") || IsAuth(err) || IsRetryable(err) {
		t.Fatalf("2005: sentence %q", Sentence(err))
	}
	// By path: 2005 or 2002 (a missing component) as pCloud says.
	_, err = c.ListPath(ctxT(t), "/Music/Nope", false)
	wantCode(t, err, 2005)
	_, err = c.ListPath(ctxT(t), "/Nope/Deeper", false)
	if e, ok := apiCode(err); !ok || (e.Code != 2002 && e.Code != 2005) {
		t.Fatalf("missing parent: %v", err)
	}
	// Bad input is refused before any call.
	srv.ResetLog()
	for _, p := range []string{"", "Music", "/a\x00b"} {
		if _, err := c.ListPath(ctxT(t), p, false); err == nil {
			t.Errorf("ListPath(%q) succeeded", p)
		}
	}
	if len(srv.Log()) != 0 {
		t.Fatal("bad paths were sent")
	}
}

func fetch(t *testing.T, u string) []byte {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %d %v", resp.StatusCode, err)
	}
	return b
}

func TestAudioLink(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	id := srv.FileID("/Music/01 Intro é.mp3")
	l, err := c.AudioLink(ctxT(t), id, 128)
	if err != nil {
		t.Fatal(err)
	}
	if !eq(l.Hosts, srv.Hosts()) || len(l.Hosts) < 2 || l.Scheme != "http" || !strings.HasPrefix(l.Path, "/") {
		t.Fatalf("link %+v, hosts %v", l, srv.Hosts())
	}
	if !l.Expires.After(time.Now()) || l.Expires.After(time.Now().Add(48*time.Hour)) {
		t.Fatalf("expires %v", l.Expires)
	}
	p := srv.Calls("getaudiolink")[0].Params
	if p.Get("abitrate") != "128" || p.Get("fileid") != "" && p.Get("fileid") != itoa(id) || p.Get("timeformat") != "timestamp" {
		t.Fatalf("params %v", p)
	}
	urls := l.URLs()
	if len(urls) != len(l.Hosts) || !strings.HasPrefix(urls[0], "http://"+l.Hosts[0]+"/") {
		t.Fatalf("urls %v", urls)
	}
	for _, u := range urls {
		if got := fetch(t, u); !bytes.Equal(got, testAudio) {
			t.Fatalf("stream of %s: %d bytes", u, len(got))
		}
	}
	// 320 gets the 320 variant.
	l, err = c.AudioLink(ctxT(t), id, 320)
	if err != nil {
		t.Fatal(err)
	}
	if got := fetch(t, l.URLs()[0]); len(got) != 2*len(testAudio) {
		t.Fatalf("320 variant: %d bytes", len(got))
	}
	// 0: pCloud's default, no abitrate sent.
	srv.ResetLog()
	if _, err := c.AudioLink(ctxT(t), id, 0); err != nil {
		t.Fatal(err)
	}
	if srv.Calls("getaudiolink")[0].Params.Get("abitrate") != "" {
		t.Fatal("abitrate sent for 0")
	}
	// Out of range: refused locally.
	srv.ResetLog()
	for _, b := range []int{-1, 15, 321, 100000} {
		if _, err := c.AudioLink(ctxT(t), id, b); err == nil || !strings.Contains(err.Error(), "16..320") {
			t.Errorf("bitrate %d: %v", b, err)
		}
	}
	if len(srv.Log()) != 0 {
		t.Fatal("bad bitrates were sent")
	}
	// A video's sound track.
	if _, err := c.AudioLink(ctxT(t), srv.FileID("/clip.mp4"), 128); err != nil {
		t.Fatalf("video: %v", err)
	}
	// Missing file: 2009.
	_, err = c.AudioLink(ctxT(t), 99999999, 128)
	wantCode(t, err, 2009)
	if !strings.Contains(Sentence(err), "file does not exist") {
		t.Fatalf("sentence %q", Sentence(err))
	}
}

func itoa(u uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			return string(b[i:])
		}
	}
}

func TestFileLink(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)
	l, err := c.FileLink(ctxT(t), srv.FileID("/Music/03 Third.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Hosts) < 2 || l.Scheme != "http" || l.Expires.IsZero() {
		t.Fatalf("link %+v", l)
	}
	if got := fetch(t, l.URLs()[1]); !bytes.Equal(got, testAudio) {
		t.Fatalf("file: %d bytes", len(got))
	}
	_, err = c.FileLink(ctxT(t), 4242424242)
	wantCode(t, err, 2009)
}

func TestRetryBounds(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionUS)
	login(t, c, usEmail, usPass)

	// 5002 twice, then success: exactly 3 calls.
	srv.ResetLog()
	srv.FailNext(2, 5002)
	if _, err := c.ListFolder(ctxT(t), 0, false); err != nil {
		t.Fatalf("after two 5002: %v", err)
	}
	if got := results(srv.Calls("listfolder")); !eq(got, []int{5002, 5002, 0}) {
		t.Fatalf("results %v", got)
	}
	// Always failing: exactly MaxAttempts (default 4) calls, then the error.
	srv.ResetLog()
	srv.FailNext(100, 5000)
	_, err := c.AudioLink(ctxT(t), srv.FileID("/Music/03 Third.mp3"), 128)
	e := wantCode(t, err, 5000)
	if got := len(srv.Calls("getaudiolink")); got != DefaultMaxAttempts {
		t.Fatalf("%d calls, want %d", got, DefaultMaxAttempts)
	}
	if !IsRetryable(err) || !strings.Contains(e.Sentence(), "internal problem") {
		t.Fatalf("5000: retryable %v sentence %q", IsRetryable(err), e.Sentence())
	}
	srv.FailNext(0, 0)
	// 5002's sentence too.
	srv.FailNext(100, 5002)
	c1 := newClient(t, srv, RegionUS, func(o *Options) { o.MaxAttempts = 1; o.Token = c.Token() })
	_, err = c1.UserInfo(ctxT(t))
	wantCode(t, err, 5002)
	if !strings.Contains(Sentence(err), "internal problem") {
		t.Fatalf("5002 sentence %q", Sentence(err))
	}
	srv.FailNext(0, 0)

	// 4000 is not retried: exactly one call.
	srv.ResetLog()
	srv.FailNext(1, 4000)
	_, err = c.ListFolder(ctxT(t), 0, false)
	wantCode(t, err, 4000)
	if !IsRateLimit(err) || IsRetryable(err) || len(srv.Calls("listfolder")) != 1 {
		t.Fatalf("4000: %d calls", len(srv.Calls("listfolder")))
	}
	// The back-off is told the attempt numbers 1, 2, 3.
	var mu sync.Mutex
	var seen []int
	c3 := newClient(t, srv, RegionUS, func(o *Options) {
		o.Token = c.Token()
		o.MaxAttempts = 4
		o.Backoff = func(n int) time.Duration { mu.Lock(); seen = append(seen, n); mu.Unlock(); return 0 }
	})
	srv.FailNext(100, 5000)
	_, _ = c3.ListFolder(ctxT(t), 0, false)
	srv.FailNext(0, 0)
	if !eq(seen, []int{1, 2, 3}) {
		t.Fatalf("backoff attempts %v", seen)
	}
}

func TestRetryHonoursContext(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tok := srv.Token(usEmail)
	c := newClient(t, srv, RegionUS, func(o *Options) {
		o.Token = tok
		// Cancel during the first wait, which would otherwise be an hour.
		o.Backoff = func(int) time.Duration { cancel(); return time.Hour }
	})
	srv.FailNext(100, 5000)
	defer srv.FailNext(0, 0)
	_, err := c.ListFolder(ctx, 0, false)
	wantCode(t, err, 5000)
	if n := len(srv.Calls("listfolder")); n != 1 {
		t.Fatalf("%d calls after cancel", n)
	}
	// A call with a cancelled context: not retryable, sentence says so.
	_, err = c.ListFolder(ctx, 0, false)
	if err == nil || IsRetryable(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if s := Sentence(err); s != "Cancelled." {
		t.Fatalf("sentence %q", s)
	}
}

func TestBearerRegionSwitch(t *testing.T) {
	for _, tc := range []struct {
		name         string
		start, found Region
		email        string
		kind         TokenKind
		code         int
	}{
		{"bearer us to eu", RegionUS, RegionEU, euEmail, TokenBearer, 2094},
		{"bearer eu to us", RegionEU, RegionUS, usEmail, TokenBearer, 2094},
		{"auth us to eu", RegionUS, RegionEU, euEmail, TokenAuth, 2000},
		{"auth eu to us", RegionEU, RegionUS, usEmail, TokenAuth, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			tok := srv.Token(tc.email)
			c := newClient(t, srv, tc.start, func(o *Options) { o.Token, o.TokenKind = tok, tc.kind })
			ui, err := c.UserInfo(ctxT(t))
			if err != nil || ui.Email != tc.email {
				t.Fatalf("UserInfo = %+v, %v", ui, err)
			}
			if c.Region() != tc.found || c.BaseURL() != srv.RegionURL(string(tc.found)) {
				t.Fatalf("region %v", c.Region())
			}
			calls := srv.Calls("userinfo")
			if got := results(calls); !eq(got, []int{tc.code, 0}) {
				t.Fatalf("results %v", got)
			}
			if tc.kind == TokenBearer && calls[0].Params.Has("auth") {
				t.Fatal("bearer token sent as auth=")
			}
			if tc.kind == TokenAuth && !calls[0].Params.Has("auth") {
				t.Fatal("auth token not sent as auth=")
			}
			// Once confirmed, a refusal is not retried elsewhere.
			srv.RevokeAll()
			srv.ResetLog()
			_, err = c.ListFolder(ctxT(t), 0, false)
			wantCode(t, err, tc.code)
			if !IsAuth(err) || len(srv.Log()) != 1 {
				t.Fatalf("after revoke: %d calls", len(srv.Log()))
			}
		})
	}
}

func TestRevokedBearer2094(t *testing.T) {
	srv := newServer(t)
	tok := srv.Token(usEmail)
	c := newClient(t, srv, RegionUS, func(o *Options) { o.Token, o.TokenKind = tok, TokenBearer })
	srv.RevokeAll()
	_, err := c.AudioLink(ctxT(t), srv.FileID("/Music/03 Third.mp3"), 128)
	e := wantCode(t, err, 2094)
	if !IsAuth(err) || !strings.Contains(e.Sentence(), "access token") {
		t.Fatalf("sentence %q", e.Sentence())
	}
	// Both regions were asked, and the client stayed in its region.
	if got := hosts(srv.Calls("getaudiolink")); !eq(got, []string{"api-us", "api-eu"}) || c.Region() != RegionUS {
		t.Fatalf("hosts %v region %v", got, c.Region())
	}
}

func TestConcurrentCalls(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, RegionEU, func(o *Options) { o.Token = srv.Token(usEmail); o.TokenKind = TokenBearer })
	id := srv.FileID("/Music/03 Third.mp3")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := c.ListFolder(ctxT(t), 0, true)
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := c.AudioLink(ctxT(t), id, 192)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c.Region() != RegionUS {
		t.Fatalf("region %v", c.Region())
	}
}
