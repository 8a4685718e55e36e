package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ErrLinkExpired is ReadRange's error when the file host refuses the link
// (403, 404, 410: "Your download expired"): ask for a new one.
var ErrLinkExpired = errors.New("pcloud: the download link expired")

// MaxRangeRead bounds one ReadRange.
const MaxRangeRead = 64 << 20

// ReadRange reads n bytes from off of the file behind a link of
// [Client.FileLink], with a Range request, trying the link's hosts in
// turn (the next one after a connection error or a 5xx). It returns fewer
// bytes at the end of the file and none past it. size is the whole file's
// size when the host tells it, else -1. A host that ignores Range is read
// up to off+n only. The link holds no secret, but no URL is put in an
// error anyway.
func (c *Client) ReadRange(ctx context.Context, l Link, off, n int64) (data []byte, size int64, err error) {
	if off < 0 || n <= 0 || n > MaxRangeRead {
		return nil, -1, fmt.Errorf("pcloud: a ranged read of %d bytes at %d is out of bounds", n, off)
	}
	urls := l.URLs()
	if len(urls) == 0 {
		return nil, -1, errors.New("pcloud: the download link has no host")
	}
	var last error
	for _, u := range urls {
		data, size, retry, err := c.readRange(ctx, u, off, n)
		if err == nil || !retry || ctx.Err() != nil {
			return data, size, err
		}
		last = err
	}
	return nil, -1, last
}

// readRange is one host's try; retry says the next host may do better.
func (c *Client) readRange(ctx context.Context, u string, off, n int64) (data []byte, size int64, retry bool, err error) {
	host := "the file host"
	if pu, perr := url.Parse(u); perr == nil {
		host = pu.Host
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, -1, false, fmt.Errorf("pcloud: a bad download link: %v", Redact(err.Error()))
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	resp, err := c.hc.Do(req)
	if err != nil {
		why := err
		var ue *url.Error
		if errors.As(err, &ue) {
			why = ue.Err // the URL stays out
		}
		return nil, -1, true, fmt.Errorf("pcloud: %s could not be reached: %v", host, Redact(why.Error()))
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent:
		from, total, ok := contentRange(resp.Header.Get("Content-Range"))
		if !ok || from != off {
			return nil, -1, false, fmt.Errorf("pcloud: %s answered another range than asked (%q)", host, clipHeader(resp.Header.Get("Content-Range")))
		}
		data, err := readUpTo(resp.Body, n)
		return data, total, err != nil, err
	case code == http.StatusOK:
		size := resp.ContentLength
		if _, err := io.CopyN(io.Discard, resp.Body, off); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, size, false, nil
			}
			return nil, -1, true, fmt.Errorf("pcloud: reading from %s: %v", host, err)
		}
		data, err := readUpTo(resp.Body, n)
		return data, size, err != nil, err
	case code == http.StatusRequestedRangeNotSatisfiable:
		_, total, _ := contentRange(resp.Header.Get("Content-Range"))
		return nil, total, false, nil
	case code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusGone:
		return nil, -1, false, fmt.Errorf("%w (%s answered %d)", ErrLinkExpired, host, code)
	case code >= 500:
		return nil, -1, true, fmt.Errorf("pcloud: %s answered %d", host, code)
	default:
		return nil, -1, false, fmt.Errorf("pcloud: %s answered %d to a ranged read", host, code)
	}
}

// readUpTo reads the body, at most n bytes.
func readUpTo(r io.Reader, n int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, fmt.Errorf("pcloud: the download broke off: %v", err)
	}
	return data, nil
}

// contentRange reads "bytes FROM-TO/TOTAL" or "bytes */TOTAL" (total -1
// when "*").
func contentRange(h string) (from, total int64, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !found {
		return 0, -1, false
	}
	rng, tot, found := strings.Cut(spec, "/")
	if !found {
		return 0, -1, false
	}
	total = -1
	if t, err := strconv.ParseInt(strings.TrimSpace(tot), 10, 64); err == nil && t >= 0 {
		total = t
	}
	if rng == "*" {
		return 0, total, true
	}
	a, _, found := strings.Cut(rng, "-")
	f, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	if !found || err != nil || f < 0 {
		return 0, total, false
	}
	return f, total, true
}

func clipHeader(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
