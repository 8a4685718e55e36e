package host

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/pcplay/pcplay/api"
	"github.com/pcplay/pcplay/config"
	"github.com/pcplay/pcplay/player"
)

// NewClient builds the pCloud client of the settings: the API URL (or the
// region's), and the token with its kind.
func NewClient(s config.Settings, logger *slog.Logger) (*api.Client, error) {
	return NewClientHTTP(s, logger, nil)
}

// NewClientHTTP is NewClient on hc (nil: the api client's own, whose
// patience suits the engine; a command line gives up sooner).
func NewClientHTTP(s config.Settings, logger *slog.Logger, hc *http.Client) (*api.Client, error) {
	region := api.RegionUS
	if s.Region == "eu" {
		region = api.RegionEU
	}
	kind := api.TokenAuth
	switch s.TokenKind {
	case config.KindBearer:
		kind = api.TokenBearer
	case "":
		if s.Token != "" {
			kind = api.TokenUnknown // PCLOUD_TOKEN: the first call finds out
		}
	}
	return api.New(api.Options{
		BaseURL:    s.APIURL,
		Region:     region,
		Token:      s.Token,
		TokenKind:  kind,
		TokenFrom:  TokenFrom(s),
		Logger:     logger,
		HTTPClient: hc,
	})
}

// TokenFrom names the environment variable the token came from, "" for a
// saved login: a refusal then names the variable, not "log in again".
func TokenFrom(s config.Settings) string {
	if s.TokenSource == "env" {
		return config.EnvToken
	}
	return ""
}

// account is the host's pCloud login: the client of the current login,
// replaced when a new one is given ([Host.Login]). It is the player's link
// source and the library's source, so both follow the login.
type account struct {
	// dial makes the client for a login (the settings' API URL and region,
	// or the demo's server).
	dial func(token, kind, region string) (*api.Client, error)

	mu    sync.Mutex
	c     *api.Client
	token string
}

// login makes the client for token (kind "auth" or "bearer"; region "us",
// "eu" or "" for the settings'). The same token again changes nothing.
func (a *account) login(token, kind, region string) error {
	_, err := a.swap(token, kind, region, nil)
	return err
}

// swap is login with a check: a new client is taken only when check, if
// not nil, passes it. changed reports whether the login changed.
func (a *account) swap(token, kind, region string, check func(*api.Client) error) (changed bool, err error) {
	a.mu.Lock()
	same := a.c != nil && token == a.token
	a.mu.Unlock()
	if same {
		return false, nil
	}
	c, err := a.dial(token, kind, region)
	if err != nil {
		return false, err
	}
	if check != nil {
		if err := check(c); err != nil {
			return false, err
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.c, a.token = c, token
	return true, nil
}

// settingsDial is the dial of an account: s with the login's token, kind
// and region.
func settingsDial(s config.Settings, logger *slog.Logger) func(token, kind, region string) (*api.Client, error) {
	return func(token, kind, region string) (*api.Client, error) {
		s := s
		s.Token, s.TokenKind = token, kind
		if region == "us" || region == "eu" {
			s.Region = region
		}
		return NewClient(s, logger)
	}
}

var errNoClient = errors.New("no pCloud login yet")

// client is the current login's client.
func (a *account) client() (*api.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.c == nil {
		return nil, errNoClient
	}
	return a.c, nil
}

// current is the current client; nil before the first login.
func (a *account) current() *api.Client {
	c, _ := a.client()
	return c
}

// AudioLink makes the account a [player.LinkSource].
func (a *account) AudioLink(ctx context.Context, fileID uint64, bitrate int) (player.Link, error) {
	c, err := a.client()
	if err != nil {
		return player.Link{}, err
	}
	return player.LinksFromAPI(c).AudioLink(ctx, fileID, bitrate)
}

// ListFolderWith, ListPath and Diff make the account a [library.Source].

func (a *account) ListFolderWith(ctx context.Context, folderID uint64, o api.ListOptions) (*api.Metadata, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	return c.ListFolderWith(ctx, folderID, o)
}

func (a *account) ListPath(ctx context.Context, path string, recursive bool) (*api.Metadata, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	return c.ListPath(ctx, path, recursive)
}

func (a *account) Diff(ctx context.Context, o api.DiffOptions) (*api.DiffPage, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	return c.Diff(ctx, o)
}
