//go:build !linux && !darwin

package engine

import "errors"

func peerCred(int) (*peer, error) {
	return nil, errors.New("reading a socket peer's credentials is not supported on this system")
}
