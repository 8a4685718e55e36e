package ui

import (
	"errors"

	"github.com/pcplay/pcplay/api"
)

// sentence is an error for a person ([api.Sentence]; never a secret).
func sentence(err error) string {
	if err == nil {
		return ""
	}
	return api.Sentence(err)
}

// errCode is pCloud's result code in err, 0 when there is none.
func errCode(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// tfaRequired reports whether err asks for a two-factor code.
func tfaRequired(err error) (token string, typ int, ok bool) {
	var t *api.TFARequired
	if errors.As(err, &t) {
		return t.Token, t.Type, true
	}
	return "", 0, false
}
