package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// Stat reads one file's metadata (pCloud's stat): its folder, hash, tags
// and whether pCloud makes thumbnails of it.
func (c *Client) Stat(ctx context.Context, fileID uint64) (*Metadata, error) {
	ans, err := c.authed(ctx, call{method: "stat", params: url.Values{"fileid": {strconv.FormatUint(fileID, 10)}}})
	if err != nil {
		return nil, err
	}
	raw, ok := ans["metadata"]
	if !ok || isNull(raw) {
		return nil, &Error{Method: "stat", Err: &decodeError{`no "metadata" in the answer`}, region: c.Region()}
	}
	m, err := DecodeMetadata(raw)
	if err != nil {
		return nil, &Error{Method: "stat", Err: &decodeError{c.scrub(err.Error())}, region: c.Region()}
	}
	return m, nil
}

// Thumbnail bounds of getthumblink, in pixels.
const (
	MinThumb       = 16
	MaxThumbWidth  = 2048
	MaxThumbHeight = 1024
)

// ThumbSize brings a wanted thumbnail size into getthumblink's bounds:
// each side 16..2048 (width) or 16..1024 (height), rounded up to a
// multiple of 4.
func ThumbSize(w, h int) (int, int) {
	fix := func(v, hi int) int {
		v = min(max(v, MinThumb), hi)
		return min((v+3)/4*4, hi)
	}
	return fix(w, MaxThumbWidth), fix(h, MaxThumbHeight)
}

// ThumbLink asks for a link to a thumbnail of a file (an image, or
// anything whose metadata says thumb) of at most w x h pixels (see
// [ThumbSize]; pCloud keeps the aspect ratio), JPEG, or PNG when png is
// set. pCloud answers 1014 for a file it makes no thumbnails of.
func (c *Client) ThumbLink(ctx context.Context, fileID uint64, w, h int, png bool) (Link, error) {
	w, h = ThumbSize(w, h)
	p := url.Values{
		"fileid":     {strconv.FormatUint(fileID, 10)},
		"size":       {strconv.Itoa(w) + "x" + strconv.Itoa(h)},
		"timeformat": {"timestamp"},
	}
	if png {
		p.Set("type", "png")
	}
	return c.link(ctx, "getthumblink", p)
}

// ErrTooLarge is [Client.Fetch]'s error for a body over its limit.
var ErrTooLarge = errors.New("pcloud: the file is larger than pcplay reads for this")

// Fetch reads a link's bytes (a thumbnail, a file's first bytes), from
// each host in turn until one answers, at most limit bytes; rng, when not
// "", is an HTTP Range ("bytes=0-9"). A link is bound to the address that
// asked for it: fetch with the client that asked.
func (c *Client) Fetch(ctx context.Context, l Link, rng string, limit int64) ([]byte, error) {
	var last error
	for _, u := range l.URLs() {
		b, err := c.fetchOne(ctx, u, rng, limit)
		if err == nil || errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
			return b, err
		}
		last = err
	}
	if last == nil {
		last = errors.New("pcloud: the link has no hosts")
	}
	return nil, last
}

func (c *Client) fetchOne(ctx context.Context, u, rng string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, errors.New("pcloud: a link pCloud gave cannot be read")
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		// The error names the URL: no auth in it (links carry none), but
		// keep it short.
		return nil, fmt.Errorf("pcloud: the file host did not answer")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		return nil, fmt.Errorf("pcloud: the file host answered %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, errors.New("pcloud: the file host's answer was cut short")
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}
