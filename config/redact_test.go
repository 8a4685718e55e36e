package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSettingsNeverShowToken(t *testing.T) {
	const tok = "TOPSECRETTOKEN"
	e := newTestEnv(t, EnvToken, tok)
	s := e.mustLoad(t)
	if s.Token != tok {
		t.Fatalf("token %q", s.Token)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("settings", "s", s)
	log.Info("settings", slog.Any("s", &s))
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"%v":   fmt.Sprintf("%v", s),
		"%+v":  fmt.Sprintf("%+v", s),
		"%s":   fmt.Sprint(&s),
		"slog": buf.String(),
		"json": string(j),
	} {
		if strings.Contains(out, tok) {
			t.Errorf("%s shows the token: %s", name, out)
		}
		if name != "json" && !strings.Contains(out, "env (hidden)") {
			t.Errorf("%s does not say where the token came from: %s", name, out)
		}
	}
}
