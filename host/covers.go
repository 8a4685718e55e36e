package host

import (
	"context"
	"errors"
)

// The host's covers: the pictures a remote protocol served beside the
// engine's socket (MPD's albumart and readpicture) asks for. The UI finds
// its own through its client (app.go); the host's are fetched with the
// account's client of the moment and share the state directory's cache.

// Covers is the host's cover finder.
func (h *Host) Covers() *Covers { return h.covers }

// Cover is the cover picture (JPEG, PNG or WebP bytes) of a file at
// about px x px pixels, as [Covers.Cover] finds it; nil and no error when
// the file has none.
func (h *Host) Cover(ctx context.Context, fileID uint64, px int) ([]byte, error) {
	b, err := h.covers.Cover(ctx, fileID, px)
	if errors.Is(err, ErrNoCover) {
		return nil, nil
	}
	return b, err
}

// newHostCovers makes the host's cover finder on the account's client,
// caching in the state directory's covers.
func (h *Host) newHostCovers() *Covers {
	return NewCovers(func() CoverAPI {
		if c := h.acct.current(); c != nil {
			return c
		}
		return nil // a nil *api.Client is not a client
	}, "")
}
