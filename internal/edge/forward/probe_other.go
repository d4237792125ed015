//go:build !unix

package forward

import "net"

// alive cannot peek on this platform; a dead connection shows up as an error instead.
func alive(net.Conn, bool) bool { return true }
