package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// Error is a failed pCloud call: an error answer from the API ([Error.Code] and
// [Error.Message] are pCloud's), an unexpected HTTP status, a network failure ([Error.Err]),
// or an answer that could not be read. Its strings never carry a secret.
type Error struct {
	Code       int    // pCloud's result code; 0 when the API gave none
	Message    string // pCloud's error text (or the X-Error header)
	Method     string // the API method, e.g. "listfolder"
	HTTPStatus int    // the HTTP status when it was not 200, else 0
	Err        error  // the network or decoding cause, already redacted

	region Region             // the region the call went to, for the 2000 hint
	extra  map[string]jsonRaw // a 2297 answer, until tfaError reads it
	both   bool               // both regions refused (2000/2094)
	ended  bool               // the caller's context ended: not retryable
	token  bool               // 2000 for a token, not for a password
	from   string             // where the refused token came from ([Options.TokenFrom], or fromPasted)
	// passing: an answer that could not be read is taken as a passing
	// fault and tried again (a listing: the player's streams are too).
	passing bool
}

// Error returns e.g. "pcloud: listfolder: 2005 Directory does not exist.".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pcloud: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	switch {
	case e.Code != 0:
		b.WriteString(strconv.Itoa(e.Code))
		if e.Message != "" {
			b.WriteString(" ")
			b.WriteString(e.Message)
		}
	case e.HTTPStatus != 0:
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
		if t := http.StatusText(e.HTTPStatus); t != "" {
			b.WriteString(" ")
			b.WriteString(t)
		}
		if e.Message != "" {
			b.WriteString(": ")
			b.WriteString(e.Message)
		}
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString("unknown error")
	}
	return Redact(b.String())
}

// Unwrap returns the (redacted) cause.
func (e *Error) Unwrap() error { return e.Err }

// Sentence explains the error to a person, in one or two sentences.
func (e *Error) Sentence() string {
	return Redact(e.sentence())
}

func (e *Error) sentence() string {
	if s, ok := collectionSentence(e); ok {
		return s
	}
	switch c := e.Code; {
	case e.from != "" && (c == 1000 || c == 2000 || c == 2094):
		return fromSentence(e.from)
	case c == 1000:
		return "You are not logged in to pCloud, or the saved login has expired: log in again (pcplay login)."
	case c == 1022:
		return "pCloud wants you to approve this device: open pcloud.com, confirm the login from the new device e-mail or notification, then try again."
	case c == 2000 && e.token:
		return "pCloud no longer accepts the saved login (the token expired, was revoked, or belongs to the other region): log in again (pcplay login)."
	case c == 2000 && e.both:
		return "Wrong e-mail or password (pCloud's US and EU regions both refused it)."
	case c == 2000:
		return fmt.Sprintf("Wrong e-mail or password, or your account is in the other region (try --region %s).", otherRegion(e.region))
	case c == 2002:
		return "A folder on the way to that path does not exist in your pCloud."
	case c == 2003:
		return "pCloud denies access to that file or folder."
	case c == 2005:
		return "That folder does not exist in your pCloud (moved or deleted?)."
	case c == 2009:
		return "That file does not exist in your pCloud any more (moved or deleted?)."
	case c == 2010:
		return "pCloud says the path is not valid."
	case c == 2012:
		return "That two-factor code is wrong: check it and try again."
	case c == 2044:
		return "pCloud can only make video links for video files."
	case c == 2064:
		return "The two-factor login took too long and expired: log in again from the start."
	case c == 2094 && e.both:
		return "pCloud does not accept the access token in either region: it is wrong or revoked. Log in again (or check PCLOUD_TOKEN)."
	case c == 2094:
		return "pCloud does not accept the access token: it is wrong, revoked, or belongs to the other region. Log in again (or check PCLOUD_TOKEN)."
	case c == 2297:
		return "This account uses two-factor authentication: enter the code from your authenticator app or SMS."
	case c == 4000:
		return "Too many login attempts from this address; wait a while before trying again."
	case c >= 4000 && c < 5000:
		return fmt.Sprintf("pCloud is limiting requests from this address (%d %s); wait a while before trying again.", c, e.Message)
	case c >= 5000 && c < 6000:
		return fmt.Sprintf("pCloud has an internal problem right now (%d %s); try again in a little while.", c, e.Message)
	case c >= 1000 && c < 2000:
		return fmt.Sprintf("pCloud refused pcplay's request (%d %s); this is a bug in pcplay.", c, e.Message)
	case c != 0:
		return fmt.Sprintf("pCloud says: %s (%d).", strings.TrimSuffix(e.Message, "."), c)
	}
	if e.HTTPStatus == http.StatusTooManyRequests {
		return "pCloud asks pcplay to slow down; try again in a little while."
	}
	if e.HTTPStatus >= 500 {
		return fmt.Sprintf("pCloud's servers answered with an error (HTTP %d); try again in a little while.", e.HTTPStatus)
	}
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("pCloud answered with an unexpected HTTP %d %s.", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	}
	if errors.Is(e.Err, context.Canceled) {
		return "Cancelled."
	}
	if e.ended && errors.Is(e.Err, context.DeadlineExceeded) {
		return "pCloud took too long to answer."
	}
	var de *decodeError
	if errors.As(e.Err, &de) {
		return "pCloud sent an answer pcplay can't read (" + de.Error() + ")."
	}
	if e.Err != nil {
		return "Can't reach pCloud: " + netCause(e.Err) + ". Check the network connection."
	}
	if e.Message != "" {
		return e.Message
	}
	return "pCloud call failed."
}

// netCause describes a network error briefly.
func netCause(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "it took too long to answer"
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "no such host " + dns.Name
		}
		return "can't look up " + dns.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed unexpectedly"
	case errors.As(err, &ne) && ne.Timeout():
		return "the connection timed out"
	case isCertError(err):
		return "its certificate is not valid here (" + err.Error() + ")"
	}
	return err.Error()
}

func isCertError(err error) bool {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var tv *tls.CertificateVerificationError
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &tv)
}

// TFARequired is returned by [Client.Login] when the account uses two-factor
// authentication (pCloud's 2297). Pass [TFARequired.Token] and the person's code to
// [Client.TFALogin]. Its strings never show the token.
type TFARequired struct {
	Token string // the 2FA token for TFALogin and SendTFASMS; a secret
	Type  int    // 1: code by SMS, 2: authenticator app
	err   *Error
}

// Two-factor types.
const (
	TFASMS = 1
	TFAApp = 2
)

func (t *TFARequired) Error() string {
	return "pcloud: two-factor authentication required"
}

// Unwrap gives the underlying [*Error] (code 2297).
func (t *TFARequired) Unwrap() error {
	if t.err == nil {
		return nil
	}
	return t.err
}

// Sentence asks the person for the code.
func (t *TFARequired) Sentence() string {
	switch t.Type {
	case TFASMS:
		return "This account uses two-factor authentication: enter the code pCloud sent by SMS."
	case TFAApp:
		return "This account uses two-factor authentication: enter the code from your authenticator app."
	}
	return "This account uses two-factor authentication: enter the code."
}

// messages are pCloud's texts for its result codes, for answers that
// carry none.
var messages = map[int]string{
	1000: "Log in required.",
	1002: "No full path or folderid provided.",
	1004: "No fileid or path provided.",
	1005: "Unknown content-type requested.",
	1022: "Please provide 'code'.",
	2000: "Log in failed.",
	2002: "A component of parent directory does not exist.",
	2003: "Access denied.",
	2005: "Directory does not exist.",
	2009: "File not found.",
	2010: "Invalid path.",
	2012: "Invalid 'code' provided.",
	2044: "Video links can only be generated for videos.",
	2064: "2FA token expired.",
	2094: "Invalid 'access_token' provided.",
	2297: "Two-factor authentication required.",
	4000: "Too many login tries from this IP address.",
	5000: "Internal error. Try again later.",
	5002: "Internal error, no servers available. Try again later.",
}

func apiCode(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsAuth reports whether err means the login or the token is not accepted,
// so the person has to log in (again): 1000, 1022, 2000, 2012, 2064, 2094,
// 2297, and [*PasswordsRefused].
func IsAuth(err error) bool {
	var t *TFARequired
	var pr *PasswordsRefused
	if errors.As(err, &t) || errors.As(err, &pr) {
		return true
	}
	e, ok := apiCode(err)
	if !ok {
		return false
	}
	switch e.Code {
	case 1000, 1022, 2000, 2012, 2064, 2094, 2297:
		return true
	}
	return false
}

// IsRateLimit reports whether pCloud refused because of too many requests
// (4xxx, e.g. 4000 too many logins). Wait long before trying again.
func IsRateLimit(err error) bool {
	e, ok := apiCode(err)
	return ok && e.Code >= 4000 && e.Code < 5000
}

// IsRetryable reports whether trying the same call again later may work:
// pCloud's 5xxx, HTTP 429/500/502/503/504/509, and network failures
// (timeouts, refused or reset connections, early EOF). The end of the
// caller's context, certificate problems and rate limits (4xxx) are not.
func IsRetryable(err error) bool {
	e, ok := apiCode(err)
	if !ok {
		return false
	}
	if e.ended || errors.Is(e.Err, context.Canceled) {
		return false
	}
	if e.Code != 0 {
		return e.Code >= 5000 && e.Code < 6000
	}
	switch e.HTTPStatus {
	case 0:
	case 429, 500, 502, 503, 504, 509:
		return true
	default:
		return false
	}
	if e.Err == nil {
		return false
	}
	var de *decodeError
	if errors.As(e.Err, &de) {
		return e.passing
	}
	if isCertError(e.Err) {
		return false
	}
	var dns *net.DNSError
	if errors.As(e.Err, &dns) {
		return !dns.IsNotFound
	}
	return true
}

// Sentence explains any error to a person: an [*Error] or [*TFARequired] by
// its own [Sentence], cancellations plainly, anything else by its redacted
// text.
func Sentence(err error) string {
	if err == nil {
		return ""
	}
	var t *TFARequired
	if errors.As(err, &t) {
		return t.Sentence()
	}
	var pr *PasswordsRefused
	if errors.As(err, &pr) {
		return pr.Sentence()
	}
	if e, ok := apiCode(err); ok {
		return e.Sentence()
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, context.DeadlineExceeded):
		return "pCloud took too long to answer."
	}
	s := strings.TrimPrefix(Redact(err.Error()), "pcloud: ")
	if s == "" {
		return "Something went wrong."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// decodeError is an answer that was not the JSON expected.
type decodeError struct{ msg string }

func (d *decodeError) Error() string { return d.msg }

// safeError is a redacted copy of a network error. Unwrap still reaches the
// cause for errors.Is/As (timeouts, ECONNREFUSED); a [*url.Error] on the way
// has its URL redacted.
type safeError struct {
	msg   string
	cause error
}

func (s *safeError) Error() string { return s.msg }
func (s *safeError) Unwrap() error { return s.cause }

func sanitize(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = &url.Error{Op: ue.Op, URL: scrub(ue.URL, secrets...), Err: ue.Err}
	}
	return &safeError{msg: scrub(err.Error(), secrets...), cause: cause}
}
