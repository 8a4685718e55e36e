package api

import (
	"regexp"
	"strings"
)

// Redacted replaces a secret in strings produced by this package.
const Redacted = "REDACTED"

var (
	// name=value pairs in query strings, form bodies and free text. The
	// prefix [a-z_]* also catches getauth=, tfa_token=, oauth_token= and
	// the like: over-redacting is harmless.
	reKV = regexp.MustCompile(`(?i)\b([a-z_]*(?:auth|access_token|password|passworddigest|digest|code|token|secret))(=|%3D)([^&\s"'<>;,]*)`)
	// The same names as JSON members: "auth":"...".
	reJSON = regexp.MustCompile(`(?i)("[a-z_]*(?:auth|access_token|password|passworddigest|digest|code|token|secret)"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)`)
	// Authorization: Bearer xyz
	reBearer = regexp.MustCompile(`(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/=]+`)
	// user:password@ in URLs.
	reUserinfo = regexp.MustCompile(`//[^/@\s"']+@`)
)

// Redact removes secrets from s: the values of auth=, access_token=,
// password=, passworddigest=, digest=, code=, token= (and of the same names
// as JSON members), Bearer tokens, and user:password@ in URLs. Every error
// and log line of this package goes through it.
func Redact(s string) string {
	if s == "" {
		return s
	}
	// Each pattern needs a character that most strings lack: skip the
	// regular expressions when it is absent.
	if strings.Contains(s, "=") || strings.Contains(s, "%3") {
		s = reKV.ReplaceAllString(s, "${1}${2}"+Redacted)
	}
	if strings.Contains(s, ":") {
		s = reJSON.ReplaceAllString(s, `${1}"`+Redacted+`"`)
	}
	if strings.Contains(strings.ToLower(s), "bearer") {
		s = reBearer.ReplaceAllString(s, "${1}${2}"+Redacted)
	}
	if strings.Contains(s, "@") {
		s = reUserinfo.ReplaceAllString(s, "//"+Redacted+"@")
	}
	return s
}

// scrub is [Redact] plus the removal of secrets the caller knows verbatim
// (the token in use, a password being sent), wherever they appear.
func scrub(s string, secrets ...string) string {
	s = Redact(s)
	for _, sec := range secrets {
		if len(sec) >= 4 && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}
