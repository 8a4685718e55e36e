package pcloudtest

import (
	"strconv"
	"strings"
	"time"
)

// The 2026 login worlds of pcloud-api.md ("Logging in"). The result codes
// below are not published by pCloud: they are this fake's choices, marked
// unverified, and pcplay must not depend on their values.
const (
	// PasswordsRefusedCode answers every password login under
	// Options.RefusePasswords. Unverified.
	PasswordsRefusedCode = 2321
	// OAuthNotYetCode answers an oauth2_token poll that was held
	// Options.OAuthPollHold without the person approving it. Unverified.
	OAuthNotYetCode = 2313
	// OAuthRefusedCode answers a collection_* call made with an OAuth
	// access token under Options.RefuseOAuthCollections. Unverified
	// (pCloud's "Access denied." code is the guess).
	OAuthRefusedCode = 2003
	// missingParamCode answers an oauth2_token without client_id or
	// request_id. Unverified.
	missingParamCode = 1067
)

// defaultPollHold is how long an oauth2_token poll is held by default.
const defaultPollHold = 20 * time.Second

// signIn is one "sign in on another device" request, by request_id.
type signIn struct {
	approved chan struct{} // closed by ApproveSignIn
	email    string        // the account that approved
	region   string
	token    string
}

// AnyRequest, given to ApproveSignIn, approves whatever request_id the
// client polls with.
const AnyRequest = "any"

// ApproveSignIn stands in for the person's browser on the authorize page:
// the account email approves the sign-in request requestID (AnyRequest:
// every request polling now and the next one to come). The waiting
// oauth2_token polls on the account's region's API then answer with a new
// OAuth access token and that region's locationid (1 US, 2 EU); the other
// region's API never answers with the token. It panics for an unknown
// account.
func (s *Server) ApproveSignIn(requestID, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(email)
	if requestID == AnyRequest || requestID == "" {
		s.approveAny = strings.ToLower(a.Email)
		for _, r := range s.signIns {
			s.approveLocked(r, a)
		}
		return
	}
	s.approveLocked(s.signInLocked(requestID), a)
}

// SignInsWaiting is how many sign-in requests have been polled and not yet
// approved: a test can wait for pcplay to be polling before it approves.
func (s *Server) SignInsWaiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.signIns {
		if r.token == "" {
			n++
		}
	}
	return n
}

// OAuthToken mints an OAuth access token for an account, as an approved
// sign-in would: it works as a bearer (access_token= or Authorization)
// on the account's region's API, and is refused as auth= (2000).
func (s *Server) OAuthToken(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(email)
	t := randomHex(32)
	s.tokens[t] = tokenInfo{email: strings.ToLower(a.Email), region: a.Region, oauth: true}
	return t
}

// RefusesOAuthCollections reports Options.RefuseOAuthCollections: the
// collection_* methods answer OAuthRefusedCode to a call that came with an
// OAuth access token (see call.collectionRefusal).
func (s *Server) RefusesOAuthCollections() bool { return s.refuseOAuthColl }

// collectionRefusal is the answer code for a collection_* call, 0 when it
// may go on: under RefuseOAuthCollections, OAuthRefusedCode for a call
// whose token is an OAuth access token (sent as a bearer, or minted by a
// sign-in).
func (c *call) collectionRefusal() int {
	if !c.s.refuseOAuthColl {
		return 0
	}
	tok, bearer := c.token()
	c.s.mu.Lock()
	ti := c.s.tokens[tok]
	c.s.mu.Unlock()
	if bearer || ti.oauth {
		return OAuthRefusedCode
	}
	return 0
}

func (s *Server) signInLocked(requestID string) *signIn {
	r := s.signIns[requestID]
	if r == nil {
		r = &signIn{approved: make(chan struct{})}
		s.signIns[requestID] = r
		if s.approveAny != "" {
			s.approveLocked(r, s.accounts[s.approveAny])
		}
	}
	return r
}

func (s *Server) approveLocked(r *signIn, a *account) {
	if r.token != "" {
		return
	}
	r.email, r.region = strings.ToLower(a.Email), a.Region
	r.token = randomHex(32)
	s.tokens[r.token] = tokenInfo{email: r.email, region: r.region, oauth: true}
	close(r.approved)
}

// oauth2Token answers the "sign in on another device" long poll: held until
// the request is approved (on the account's region's API: the token), the
// hold ends (OAuthNotYetCode), the client goes away or the server closes.
func (c *call) oauth2Token() reply {
	s := c.s
	rid, cid := c.p.Get("request_id"), c.p.Get("client_id")
	if rid == "" || cid == "" {
		return fail(missingParamCode)
	}
	s.mu.Lock()
	r := s.signInLocked(rid)
	hold := s.pollHold
	s.mu.Unlock()
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-r.approved:
	case <-t.C:
		return fail(OAuthNotYetCode)
	case <-c.r.Context().Done():
		return fail(OAuthNotYetCode) // nobody reads it
	case <-s.closed:
		return fail(5000)
	}
	s.mu.Lock()
	email, region, token := r.email, r.region, r.token
	s.mu.Unlock()
	if region != c.region {
		// This API does not know the account: it holds the poll out.
		select {
		case <-t.C:
		case <-c.r.Context().Done():
		case <-s.closed:
		}
		return fail(OAuthNotYetCode)
	}
	loc := 1
	if region == "eu" {
		loc = 2
	}
	c.extra.Set("locationid", strconv.Itoa(loc))
	return reply{
		"result":       0,
		"access_token": token,
		"token_type":   "bearer",
		"uid":          s.accounts[email].userID,
		"locationid":   loc,
	}
}
