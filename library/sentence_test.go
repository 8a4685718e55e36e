package library

import (
	"context"
	"strings"
	"testing"

	"github.com/pcplay/pcplay/api"
)

// A network failure reaches the status line as a sentence for a person,
// never as Go's error text (the URL, "dial tcp", the port).
func TestKeeperSentenceOfANetworkFailure(t *testing.T) {
	c, err := api.New(api.Options{BaseURL: "http://127.0.0.1:1", Token: "secret-token", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Diff(context.Background(), api.DiffOptions{})
	if err == nil {
		t.Fatal("a diff against a closed port did not fail")
	}
	got := sentence(err)
	for _, bad := range []string{"Post", "dial", "127.0.0.1", "secret-token", "pcloud:"} {
		if strings.Contains(got, bad) {
			t.Errorf("the status line says %q, which holds %q", got, bad)
		}
	}
	if !strings.HasPrefix(got, "Library: Can't reach pCloud") {
		t.Errorf("the status line says %q; want it to say pCloud can't be reached", got)
	}
}
