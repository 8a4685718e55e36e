// Package api is a client for pCloud's HTTP JSON API, as far as pcplay uses
// it: the three ways in (sign in on another device: NewSignIn and
// WaitSignIn, an OAuth long poll; password and two-factor login by the
// login method, with userinfo as the fallback and *PasswordsRefused where
// pCloud takes no passwords; a pasted token: ProbeToken), user info, folder
// listings, audio stream links and file links.
//
// Every call takes a context, retries what is worth retrying (pCloud's 5xxx,
// HTTP 429/5xx, network failures) a bounded number of times with jittered
// back-off, and returns an *Error carrying pCloud's result code and message.
// Error.Sentence (or Sentence for any error) explains a failure to a person;
// IsAuth, IsRateLimit and IsRetryable classify it.
//
// Requests are sent as POST forms (the token as auth=, or as an
// Authorization: Bearer header for OAuth tokens), so no secret sits in a URL;
// every error text and log line is passed through Redact as well.
//
// Accounts live in one of two regions (RegionUS, RegionEU). When a login or
// the first authenticated call is refused with 2000/2094, the client tries
// the other region once and, if that works, stays there (see Client.Region).
package api
