package player

import (
	"context"
	"errors"

	"github.com/pcplay/pcplay/api"
)

// apiLinks adapts the api client to LinkSource.
type apiLinks struct{ c *api.Client }

// LinksFromAPI makes the api client a LinkSource (getaudiolink).
func LinksFromAPI(c *api.Client) LinkSource { return apiLinks{c} }

func (a apiLinks) AudioLink(ctx context.Context, fileID uint64, bitrate int) (Link, error) {
	if a.c == nil {
		return Link{}, errors.New("no pCloud client")
	}
	l, err := a.c.AudioLink(ctx, fileID, bitrate)
	if err != nil {
		return Link{}, err
	}
	return Link{URLs: l.URLs(), Expires: l.Expires}, nil
}
