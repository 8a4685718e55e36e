package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// DefaultClientID is the OAuth client_id pcplay signs in with when neither
// the config file (client_id) nor PCPLAY_CLIENT_ID gives one. It is empty
// in the source; a build sets it with
//
//	go build -ldflags "-X github.com/pcplay/pcplay/config.DefaultClientID=ID"
var DefaultClientID = ""

// EnvClientID is the environment variable for the OAuth client_id.
const EnvClientID = "PCPLAY_CLIENT_ID"

// NoClientIDSentence says how to get a client_id, for `pcplay login` and
// the login screen when there is none.
const NoClientIDSentence = "Signing in on another device needs a pCloud app's Client ID: create an app in pCloud's \"My Apps\", copy its Client ID, and put client_id = \"...\" in the config file or PCPLAY_CLIENT_ID in the environment."

// checkClientID checks a client_id; problem is "" when it is usable.
func checkClientID(v string) (id, problem string) {
	id = strings.TrimSpace(v)
	switch {
	case id == "":
		return "", "is empty"
	case len(id) > 200 || strings.ContainsAny(id, " \t\r\n&?#/=%\"'"):
		return "", "is not a pCloud Client ID (it has spaces or URL characters)"
	}
	return id, ""
}

// clientIDFromEnv applies PCPLAY_CLIENT_ID over the file's client_id,
// then the built-in default when neither gave one.
func clientIDFromEnv(s *Settings, getenv func(string) string) error {
	if raw := getenv(EnvClientID); raw != "" {
		id, problem := checkClientID(raw)
		if problem != "" {
			return &UsageError{Msg: EnvClientID + " " + problem}
		}
		s.ClientID = id
	}
	if s.ClientID == "" {
		s.ClientID = DefaultClientID
	}
	return nil
}

// clientID reads the file's client_id key.
func (f *tomlFile) clientID(s *Settings, p toml.Primitive, v any) {
	str, ok := v.(string)
	if !ok {
		f.fail(p, "client_id", "client_id = %s: must be a string, the Client ID of your app in pCloud's My Apps", tomlValue(v))
		return
	}
	if strings.TrimSpace(str) == "" {
		return // none: PCPLAY_CLIENT_ID or the built-in default
	}
	id, problem := checkClientID(str)
	if problem != "" {
		f.fail(p, "client_id", "client_id %s", problem)
		return
	}
	s.ClientID = id
}
