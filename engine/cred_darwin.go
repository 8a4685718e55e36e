package engine

import "golang.org/x/sys/unix"

func peerCred(fd int) (*peer, error) {
	xu, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return nil, err
	}
	pid, _ := unix.GetsockoptInt(fd, unix.SOL_LOCAL, unix.LOCAL_PEERPID)
	return &peer{UID: int(xu.Uid), PID: pid}, nil
}
