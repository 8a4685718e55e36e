package engine

import (
	"fmt"
	"net"
)

// peer is who is at the other end of a connection, as the kernel says.
type peer struct {
	UID int
	PID int // 0 when unknown
}

// allowPeer is the engine's access rule: only its own user may connect.
// A peer whose credentials could not be read is refused too.
func allowPeer(p *peer, ourUID int) error {
	if p == nil {
		return fmt.Errorf("the peer's credentials are unknown")
	}
	if p.UID != ourUID {
		return fmt.Errorf("uid %d may not use the pcplay engine of uid %d", p.UID, ourUID)
	}
	return nil
}

// peerOf reads the credentials of the process at the other end of c.
func peerOf(c net.Conn) (*peer, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return nil, fmt.Errorf("not a Unix socket connection")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return nil, err
	}
	var (
		p    *peer
		perr error
	)
	if err := raw.Control(func(fd uintptr) { p, perr = peerCred(int(fd)) }); err != nil {
		return nil, err
	}
	return p, perr
}
