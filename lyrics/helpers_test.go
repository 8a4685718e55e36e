package lyrics

import (
	"bytes"
	"context"
	"encoding/binary"
	"strconv"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/api/pcloudtest"
)

// id3Tag is an ID3v2.4 tag of the frames (id, data), padded.
func id3Tag(frames ...[2][]byte) []byte {
	var body bytes.Buffer
	for _, f := range frames {
		body.Write(f[0])
		body.Write(syncsafeBytes(len(f[1])))
		body.Write([]byte{0, 0})
		body.Write(f[1])
	}
	body.Write(make([]byte, 512)) // padding
	out := []byte{'I', 'D', '3', 4, 0, 0}
	out = append(out, syncsafeBytes(body.Len())...)
	return append(out, body.Bytes()...)
}

func syncsafeBytes(n int) []byte {
	return []byte{byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
}

func frame(id string, data []byte) [2][]byte { return [2][]byte{[]byte(id), data} }

// uslt is a USLT frame in UTF-8.
func uslt(text string) [2][]byte {
	return frame("USLT", append([]byte("\x03eng\x00"), text...))
}

// sylt is a SYLT frame in UTF-16 with BOM, stamps in ms.
func sylt(lines []Line) [2][]byte {
	b := []byte{1, 'e', 'n', 'g', 2, 1}
	b = append(b, utf16z("")...)
	for _, l := range lines {
		b = append(b, utf16z(l.Text)...)
		b = binary.BigEndian.AppendUint32(b, uint32(l.At.Milliseconds()))
	}
	return frame("SYLT", b)
}

func utf16z(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return append(b, 0, 0)
}

// apic is a picture frame of n bytes: what makes a tag big.
func apic(n int) [2][]byte {
	b := append([]byte("\x00image/jpeg\x00\x03\x00"), bytes.Repeat([]byte{0xAB}, n)...)
	return frame("APIC", b)
}

// world is the fake pCloud with tree, and a client logged in to it.
func world(t *testing.T, tree *pcloudtest.Node) (*pcloudtest.Server, *api.Client) {
	t.Helper()
	srv := pcloudtest.NewServer(pcloudtest.Options{
		Accounts: []pcloudtest.Account{{Email: "a@example.com", Password: "pw-Secret-1234", Region: "us"}},
		Root:     tree,
	})
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL(), Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx(t), "a@example.com", "pw-Secret-1234"); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }
