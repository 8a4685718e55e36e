package scrobble

import (
	"net/url"
	"testing"
)

// The signature as Last.fm documents it, against a digest made apart
// (printf 'api_keyKEYartist[0]A...SECRET' | md5sum): the names sorted,
// format left out, the secret last.
func TestSign(t *testing.T) {
	p := url.Values{
		"method": {"track.scrobble"}, "sk": {"SK"}, "api_key": {"KEY"}, "format": {"json"},
		"artist[0]": {"A"}, "track[0]": {"T"}, "timestamp[0]": {"1700000000"},
	}
	if got, want := Sign(p, "SECRET"), "67aa5df7ce75c1283460eabe540f300a"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}
