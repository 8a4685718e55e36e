package api

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// fromPasted marks an [*Error] about a token given to [Client.ProbeToken].
const fromPasted = "\x00pasted"

// fromSentence is the sentence for a token refused in both regions and
// both ways, naming where it came from.
func fromSentence(from string) string {
	if from == fromPasted {
		return "pCloud does not accept that token (as an auth token or as an access token, in either region): check that it was copied whole, or log in another way (pcplay login)."
	}
	return "pCloud does not accept the token in " + from + " (it is wrong, revoked or expired): fix it, or unset " + from + " to use the saved login or log in (pcplay login)."
}

// isTokenRefusal reports a token refused by pCloud: 1000, 2000 or 2094.
func isTokenRefusal(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) && (e.Code == 1000 || e.Code == 2000 || e.Code == 2094) {
		return e, true
	}
	return nil, false
}

// ProbeToken finds out what a pasted token is: a userinfo call sends it as
// an auth token and as an OAuth access token, in the client's region and
// then the other one (when its URL is known), until pCloud accepts it. The
// client then holds the token with the kind and region that worked.
// When every try is refused the error's [Sentence] says so (and the client
// holds no token); any other failure (network, server) is returned as it
// is.
func (c *Client) ProbeToken(ctx context.Context, token string) (UserInfo, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return UserInfo{}, errors.New("pcloud: the token is empty")
	}
	if len(token) > 4096 || strings.ContainsAny(token, " \t\r\n&?#") {
		return UserInfo{}, errors.New("pcloud: that does not look like a pCloud token (it has spaces or URL characters)")
	}
	st := c.snapshot()
	st.token, st.kind, st.confirmed = token, TokenUnknown, false
	ans, err := c.probe(ctx, st, call{method: "userinfo", auth: true, params: url.Values{"timeformat": {"timestamp"}}}, fromPasted)
	if err != nil {
		return UserInfo{}, err
	}
	ui, err := decodeUser(ans)
	if err != nil {
		return UserInfo{}, &Error{Method: "userinfo", Err: &decodeError{scrub(err.Error(), token)}, region: c.Region()}
	}
	return ui, nil
}

// probe runs an authenticated call with a token of unknown kind: auth=
// then bearer, in st's region then the other one. The first that works
// sets the client's token, kind and region. from names the token in the
// error when all are refused.
func (c *Client) probe(ctx context.Context, st state, cl call, from string) (map[string]jsonRaw, error) {
	tries := []state{st}
	if r, base, ok := c.otherBase(st); ok {
		tries = append(tries, withBase(st, r, base))
	}
	var last *Error
	for _, at := range tries {
		for _, kind := range []TokenKind{TokenAuth, TokenBearer} {
			at.kind = kind
			ans, err := c.doAt(ctx, at, cl)
			if err == nil {
				c.mu.Lock()
				if c.token == st.token || from == fromPasted {
					c.token, c.kind, c.confirmed = at.token, kind, true
					c.region, c.base, c.scheme = at.region, at.base, at.scheme
				}
				c.mu.Unlock()
				if at.base != st.base || from == fromPasted {
					c.hc.CloseIdleConnections()
				}
				c.log.Info("pcloud: token accepted", "kind", kind.String(), "region", string(at.region))
				return ans, nil
			}
			e, refused := isTokenRefusal(err)
			if !refused || ctx.Err() != nil {
				return nil, err
			}
			last = e
		}
	}
	last.both, last.token, last.from = true, true, from
	return nil, last
}
