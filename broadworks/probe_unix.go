//go:build unix

package broadworks

import (
	"crypto/tls"
	"errors"
	"net"
	"syscall"
)

// peerClosed reports, without blocking or consuming anything, whether the
// server has closed conn (an idle timeout, a forced logout): a peek at the
// socket that returns end of stream or a reset. Data waiting while no
// request is in flight (an unsolicited LogoutRequest, a TLS close_notify)
// also ends the session, except on a TLS connection that has not carried a
// document yet (used is false), where it may be a session ticket. Conns
// without a socket (net.Pipe) are never reported closed.
func peerClosed(conn net.Conn, used bool) error {
	isTLS := false
	if tc, ok := conn.(*tls.Conn); ok {
		conn, isTLS = tc.NetConn(), true
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	var (
		n    int
		rerr error
		b    [1]byte
	)
	if err := rc.Read(func(fd uintptr) bool {
		n, _, rerr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true
	}); err != nil {
		return err
	}
	switch {
	case rerr == nil && n == 0:
		return errors.New("connection closed by the server")
	case rerr == nil && (!isTLS || used):
		return errors.New("unexpected data from the server while idle")
	case rerr == nil, errors.Is(rerr, syscall.EAGAIN), errors.Is(rerr, syscall.EWOULDBLOCK), errors.Is(rerr, syscall.EINTR):
		return nil
	default:
		return rerr
	}
}
