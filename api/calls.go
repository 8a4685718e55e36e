package api

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// authed runs an authenticated call. Until one has succeeded with the
// current token, a 2000 or 2094 answer makes it try the other region once
// (when known); if that works, the client stays there.
func (c *Client) authed(ctx context.Context, cl call) (map[string]jsonRaw, error) {
	cl.auth = true
	st := c.snapshot()
	if st.kind == TokenUnknown && st.token != "" {
		ans, err := c.probe(ctx, st, cl, c.tokenFrom)
		return ans, err
	}
	ans, err := c.doAt(ctx, st, cl)
	if err == nil {
		c.confirm(st)
		return ans, nil
	}
	var e *Error
	if errors.As(err, &e) && c.tokenFrom != "" && !st.confirmed && (e.Code == 1000 || e.Code == 2000 || e.Code == 2094) {
		e.from = c.tokenFrom
	}
	if st.confirmed || ctx.Err() != nil || !errors.As(err, &e) || (e.Code != 2000 && e.Code != 2094) {
		return nil, err
	}
	r, base, ok := c.otherBase(st)
	if !ok {
		return nil, err
	}
	c.log.Info("pcloud: token refused, trying the other region", "method", cl.method, "region", string(r))
	o := st
	o.region, o.base = r, base
	ans2, err2 := c.doAt(ctx, o, cl)
	if err2 != nil {
		var e2 *Error
		if errors.As(err2, &e2) && e2.Code == e.Code {
			e.both = true
		}
		return nil, err
	}
	c.mu.Lock()
	same := c.token == st.token && c.base == st.base
	c.mu.Unlock()
	if same {
		c.switchRegion(r, base)
		c.confirm(o)
	}
	return ans2, nil
}

// confirm notes that st's token works at st's base URL.
func (c *Client) confirm(st state) {
	c.mu.Lock()
	if c.token == st.token && c.base == st.base {
		c.confirmed = true
	}
	c.mu.Unlock()
}

// UserInfo returns the account the token belongs to. As the first
// authenticated call it also finds the token's region (see [Client.Region]).
func (c *Client) UserInfo(ctx context.Context) (UserInfo, error) {
	ans, err := c.authed(ctx, call{method: "userinfo", params: url.Values{"timeformat": {"timestamp"}}})
	if err != nil {
		return UserInfo{}, err
	}
	ui, err := decodeUser(ans)
	if err != nil {
		return UserInfo{}, &Error{Method: "userinfo", Err: &decodeError{c.scrub(err.Error())}, region: c.Region()}
	}
	return ui, nil
}

func (c *Client) scrub(s string) string {
	return scrub(s, c.Token())
}

// ListFolder lists a folder (0 is the root) with its contents; recursive
// lists the whole tree below it in one call.
func (c *Client) ListFolder(ctx context.Context, folderID uint64, recursive bool) (*Metadata, error) {
	p := url.Values{"folderid": {strconv.FormatUint(folderID, 10)}}
	return c.list(ctx, p, recursive)
}

// ListPath lists a folder by its path ("/" is the root, "/Music/Jazz").
func (c *Client) ListPath(ctx context.Context, path string, recursive bool) (*Metadata, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("pcloud: folder path %q must start with /", path)
	}
	if strings.ContainsRune(path, 0) {
		return nil, errors.New("pcloud: folder path contains a NUL byte")
	}
	return c.list(ctx, url.Values{"path": {path}}, recursive)
}

func (c *Client) list(ctx context.Context, p url.Values, recursive bool) (*Metadata, error) {
	p.Set("timeformat", "timestamp")
	if recursive {
		p.Set("recursive", "1")
	}
	return c.listCall(ctx, call{method: "listfolder", params: p})
}

func (c *Client) listCall(ctx context.Context, cl call) (*Metadata, error) {
	// The answer is read in the call (see call.check), so that one that
	// can't be read is tried again.
	var m *Metadata
	cl.check = func(ans map[string]jsonRaw) error {
		raw, ok := ans["metadata"]
		if !ok || isNull(raw) {
			return errors.New(`no "metadata" in the answer`)
		}
		if cl.stream != nil {
			return nil // passed on as it was read
		}
		var err error
		m, err = DecodeMetadata(raw)
		return err
	}
	if _, err := c.authed(ctx, cl); err != nil {
		return nil, err
	}
	return m, nil
}

// Bitrate limits of getaudiolink, in kbit/s.
const (
	MinBitrate     = 16
	MaxBitrate     = 320
	DefaultBitrate = 192
)

// AudioLink asks for a stream link of a file (audio, or a video's sound)
// transcoded to mp3 at bitrate kbit/s (16..320; 0 lets pCloud choose, 192).
func (c *Client) AudioLink(ctx context.Context, fileID uint64, bitrate int) (Link, error) {
	p := url.Values{
		"fileid":     {strconv.FormatUint(fileID, 10)},
		"timeformat": {"timestamp"},
	}
	if bitrate != 0 {
		if bitrate < MinBitrate || bitrate > MaxBitrate {
			return Link{}, fmt.Errorf("pcloud: bitrate %d kbit/s is out of range %d..%d", bitrate, MinBitrate, MaxBitrate)
		}
		p.Set("abitrate", strconv.Itoa(bitrate))
	}
	return c.link(ctx, "getaudiolink", p)
}

// FileLink asks for a download link of the original file (it honours Range).
func (c *Client) FileLink(ctx context.Context, fileID uint64) (Link, error) {
	p := url.Values{
		"fileid":     {strconv.FormatUint(fileID, 10)},
		"timeformat": {"timestamp"},
	}
	return c.link(ctx, "getfilelink", p)
}

func (c *Client) link(ctx context.Context, method string, p url.Values) (Link, error) {
	ans, err := c.authed(ctx, call{method: method, params: p})
	if err != nil {
		return Link{}, err
	}
	st := c.snapshot()
	l, err := decodeLink(ans, st.scheme)
	if err != nil {
		return Link{}, &Error{Method: method, Err: &decodeError{scrub(err.Error(), st.token)}, region: st.region}
	}
	return l, nil
}
