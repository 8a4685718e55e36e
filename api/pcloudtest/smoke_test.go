package pcloudtest

import (
	"bytes"
	"strconv"
	"testing"
)

func TestSmoke(t *testing.T) {
	s := newTestServer(t, nil)
	tok := s.Token(alice)
	m := callAPI(t, s.URL(), "listfolder", vals("auth", tok, "folderid", "0", "recursive", "1"))
	wantResult(t, m, 0)
	id := strconv.FormatUint(s.FileID("/Music/Album/01 One.mp3"), 10)
	urls := audioLink(t, s, tok, id, "abitrate", "128")
	st, _, body, err := get(t, urls[0])
	if err != nil || st != 200 || !bytes.Equal(body, frames(200, 128)) {
		t.Fatalf("stream: %d %v len %d", st, err, len(body))
	}
}
