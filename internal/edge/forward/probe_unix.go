//go:build unix

package forward

import (
	"net"
	"syscall"
)

// alive tells whether an idle connection can still carry a request: the origin has not
// closed it (no EOF waiting) and, for plain HTTP, has not sent anything unasked (over TLS,
// bytes may be a session ticket, so only EOF counts). It peeks without blocking, so it costs
// one syscall; it is used only before sending a request that cannot be replayed.
func alive(c net.Conn, isTLS bool) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ok = false
	var buf [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK:
			ok = true // open and quiet
		case rerr == nil && n > 0:
			ok = isTLS
		}
		return true // never park: we only wanted a look
	})
	return err == nil && ok
}
