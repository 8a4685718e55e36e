package api

import "fmt"

// PasswordsRefused is a password login that pCloud refused in a way that
// is neither a wrong password nor a two-factor or new-device answer (or
// that gave no token from the login method nor from userinfo): pCloud no
// longer takes passwords from apps like pcplay for this account. Signing
// in on another device ([Client.WaitSignIn]) or a pasted token still works.
type PasswordsRefused struct {
	Code    int    // pCloud's result code; 0 when both answers carried no token
	Message string // pCloud's text for it
	Method  string // the method that refused ("login" or "userinfo")
}

func (p *PasswordsRefused) Error() string {
	if p.Code == 0 {
		return "pcloud: password logins give no token"
	}
	return Redact(fmt.Sprintf("pcloud: password logins refused: %s: %d %s", p.Method, p.Code, p.Message))
}

// PasswordsRefusedSentence is what [PasswordsRefused] says to a person.
const PasswordsRefusedSentence = "pCloud no longer accepts passwords for apps here: sign in on another device instead (pcplay login, or the login screen's first choice), or paste a token (pcplay login --token)."

// Sentence points the person to signing in on another device.
func (p *PasswordsRefused) Sentence() string { return PasswordsRefusedSentence }
