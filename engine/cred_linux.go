package engine

import "golang.org/x/sys/unix"

func peerCred(fd int) (*peer, error) {
	uc, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return nil, err
	}
	return &peer{UID: int(uc.Uid), PID: int(uc.Pid)}, nil
}
