package pcloudtest

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) account(email string) *account {
	a := s.accounts[strings.ToLower(email)]
	if a == nil {
		panic("pcloudtest: no account " + email)
	}
	return a
}

// Token mints a valid token for an account, like an OAuth token pasted into
// PCLOUD_TOKEN. It is valid on the account's region's API only, as auth= or
// as a bearer. It panics for an unknown account.
func (s *Server) Token(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(email)
	t := randomHex(32) // 64 characters: pCloud's tokens are at most 64 bytes
	s.tokens[t] = tokenInfo{email: strings.ToLower(a.Email), region: a.Region}
	return t
}

// RevokeAll invalidates every token (2000 for auth=, 2094 for a bearer).
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]tokenInfo{}
	s.sessions++
}

// ApproveDevice lets the account's logins through (no more 1022).
func (s *Server) ApproveDevice(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.account(email).approved = true
}

// ExpireTFATokens makes every pending 2FA token expire: tfa_login answers 2064.
func (s *Server) ExpireTFATokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.tfa {
		p.expires = time.Time{}
	}
}

// ResetRateLimit forgets failed logins and lifts a 4000 lock-out.
func (s *Server) ResetRateLimit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bad = map[string][]time.Time{}
	s.lockUntil = map[string]time.Time{}
}
