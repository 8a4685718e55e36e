package playlist

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/pcplay/pcplay/api"
)

// RefusedNotice is the line shown while playlists are kept locally
// because pCloud refused them.
const RefusedNotice = "Playlists are kept on this machine because pCloud refused playlists for this login."

// NoLoginNotice is the line shown when there is no pCloud login at all.
const NoLoginNotice = "Playlists are kept on this machine (no pCloud login)."

// Auto is the [Store] the UI uses: pCloud's collections, plus the local
// playlists; when pCloud refuses collections for this login (reported of
// OAuth tokens), local playlists only, with [Auto.Notice] saying why. Ids route
// each call to its store.
type Auto struct {
	pc    *PCloud // nil without a login
	local *Local
	// userinfo checks the login when a collection call is refused.
	userinfo func(context.Context) error

	mu      sync.Mutex
	refused bool
}

// NewAuto uses c's login (nil: no login, local playlists only) and keeps
// local playlists in dir.
func NewAuto(c *api.Client, dir string) (*Auto, error) {
	l, err := NewLocal(dir)
	if err != nil {
		return nil, err
	}
	a := &Auto{local: l}
	if c != nil && c.Token() != "" {
		a.pc = NewPCloud(c)
		a.userinfo = func(ctx context.Context) error { _, err := c.UserInfo(ctx); return err }
	}
	return a, nil
}

// Local is the local store.
func (a *Auto) Local() *Local { return a.local }

// Notice is "" while pCloud keeps the playlists, else one line saying
// why they are kept on this machine.
func (a *Auto) Notice() string {
	switch {
	case a.pc == nil:
		return NoLoginNotice
	case a.isRefused():
		return RefusedNotice
	}
	return ""
}

func (a *Auto) isRefused() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.refused
}

// cloud is the pCloud store, or nil when there is none or it refused.
func (a *Auto) cloud() *PCloud {
	if a.pc == nil || a.isRefused() {
		return nil
	}
	return a.pc
}

// refusal reports whether err is pCloud refusing collections for a login
// that otherwise works (then it remembers so). The codes of that refusal
// are not published: 1000, 2003 or 2094 on a collection_* call while
// userinfo accepts the same token is taken as one (pcloudtest's
// RefuseOAuthCollections answers 2003, its unverified pick).
func (a *Auto) refusal(ctx context.Context, err error) bool {
	var e *api.Error
	if a.pc == nil || !errors.As(err, &e) || !api.IsCollectionMethod(err) {
		return false
	}
	if e.Code != 2094 && e.Code != 1000 && e.Code != 2003 {
		return false
	}
	if a.userinfo(ctx) != nil {
		return false
	}
	a.mu.Lock()
	a.refused = true
	a.mu.Unlock()
	return true
}

// List returns pCloud's playlists then the local ones. When pCloud fails
// (not a refusal) the local ones come back with the error.
func (a *Auto) List(ctx context.Context) ([]Playlist, error) {
	var out []Playlist
	var cerr error
	if pc := a.cloud(); pc != nil {
		out, cerr = pc.List(ctx)
		if cerr != nil && a.refusal(ctx, cerr) {
			out, cerr = nil, nil
		}
	}
	local, err := a.local.List(ctx)
	out = append(out, local...)
	return out, errors.Join(cerr, err)
}

func (a *Auto) route(id string) (Store, error) {
	switch {
	case strings.HasPrefix(id, LocalPrefix):
		return a.local, nil
	case strings.HasPrefix(id, PCloudPrefix) && a.cloud() != nil:
		return a.pc, nil
	}
	return nil, notFound(id)
}

// Open returns a playlist's tracks.
func (a *Auto) Open(ctx context.Context, id string) ([]Track, error) {
	s, err := a.route(id)
	if err != nil {
		return nil, err
	}
	return s.Open(ctx, id)
}

// Create makes the playlist in pCloud, or locally when pCloud refuses.
func (a *Auto) Create(ctx context.Context, name string, tracks []Track) (Playlist, AddResult, error) {
	if pc := a.cloud(); pc != nil {
		p, r, err := pc.Create(ctx, name, tracks)
		if err == nil || !a.refusal(ctx, err) {
			return p, r, err
		}
	}
	return a.local.Create(ctx, name, tracks)
}

// Add appends tracks.
func (a *Auto) Add(ctx context.Context, id string, tracks []Track) (AddResult, error) {
	s, err := a.route(id)
	if err != nil {
		return AddResult{}, err
	}
	return s.Add(ctx, id, tracks)
}

// Remove removes tracks by position.
func (a *Auto) Remove(ctx context.Context, id string, positions []int) error {
	s, err := a.route(id)
	if err != nil {
		return err
	}
	return s.Remove(ctx, id, positions)
}

// Move moves a track.
func (a *Auto) Move(ctx context.Context, id string, from, to int) error {
	s, err := a.route(id)
	if err != nil {
		return err
	}
	return s.Move(ctx, id, from, to)
}

// Rename renames a playlist.
func (a *Auto) Rename(ctx context.Context, id, name string) error {
	s, err := a.route(id)
	if err != nil {
		return err
	}
	return s.Rename(ctx, id, name)
}

// Delete deletes a playlist.
func (a *Auto) Delete(ctx context.Context, id string) error {
	s, err := a.route(id)
	if err != nil {
		return err
	}
	return s.Delete(ctx, id)
}

// Push copies a local playlist to pCloud (create, then link in batches)
// and, once all of it is there, deletes the local copy. It fails with a
// sentence when pCloud refuses playlists for this login or the name is
// taken there; the local playlist then stays as it was.
func (a *Auto) Push(ctx context.Context, id string) (Playlist, AddResult, error) {
	if !strings.HasPrefix(id, LocalPrefix) {
		return Playlist{}, AddResult{}, failure(ErrNotFound, nil, "Only playlists kept on this machine can be pushed to pCloud.")
	}
	pc := a.cloud()
	if pc == nil {
		return Playlist{}, AddResult{}, failure(ErrRefused, nil, "pCloud refuses playlists for this login, so this one stays on this machine; log in with your password (pcplay login --password) to push it.")
	}
	list, err := a.local.List(ctx)
	if err != nil {
		return Playlist{}, AddResult{}, err
	}
	name := ""
	for _, p := range list {
		if p.ID == id {
			name = p.Name
		}
	}
	tracks, err := a.local.Open(ctx, id)
	if err != nil {
		return Playlist{}, AddResult{}, err
	}
	p, r, err := pc.Create(ctx, name, tracks)
	if err != nil {
		if a.refusal(ctx, err) {
			return Playlist{}, AddResult{}, failure(ErrRefused, err, "pCloud refuses playlists for this login, so this one stays on this machine; log in with your password (pcplay login --password) to push it.")
		}
		if errors.Is(err, ErrNameTaken) {
			return Playlist{}, AddResult{}, failure(ErrNameTaken, err, "pCloud already has a playlist called %q: rename this one first, then push it.", name)
		}
		return p, r, err
	}
	if err := a.local.Delete(ctx, id); err != nil {
		return p, r, err
	}
	return p, r, nil
}

// Find looks a playlist up by name in s: exactly, else ignoring case when
// that is unambiguous (for `pcplay playlist export NAME` and `ctl play
// playlist:NAME`). A listing error is returned when the name is not
// found among what could be listed.
func Find(ctx context.Context, s Store, name string) (Playlist, error) {
	list, err := s.List(ctx)
	var fold []Playlist
	for _, p := range list {
		if p.Name == name {
			return p, nil
		}
		if strings.EqualFold(p.Name, name) {
			fold = append(fold, p)
		}
	}
	if len(fold) == 1 {
		return fold[0], nil
	}
	if err != nil {
		return Playlist{}, err
	}
	return Playlist{}, failure(ErrNotFound, nil, "There is no playlist called %q.", name)
}
