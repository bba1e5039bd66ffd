// Package kcpconf applies one named KCP mode to a kcp-go session, so that both peers of an
// interop run use the same settings as kcpj's presets (KcpConfig.classic/normal/fast).
package kcpconf

import (
	"fmt"

	kcp "github.com/xtaci/kcp-go"
)

// Apply configures s like kcpj's preset of the same name. kcp-go's own defaults are nodelay 0,
// interval 100, resend 0, congestion window on, windows 32/32, mtu 1400, stream off, ACKs at the
// next update (ackNoDelay off), flush on every Write (writeDelay off). kcpj's receive window is
// at least 128 (ikcp's floor), so both windows are set explicitly here.
func Apply(s *kcp.UDPSession, mode string, window int) error {
	switch mode {
	case "classic", "default":
		s.SetNoDelay(0, 100, 0, 0)
	case "normal":
		s.SetNoDelay(0, 40, 0, 0)
	case "fast":
		s.SetNoDelay(1, 10, 2, 1)
	default:
		return fmt.Errorf("unknown mode %q (classic, normal, fast)", mode)
	}
	s.SetWindowSize(window, window)
	s.SetMtu(1400)
	s.SetStreamMode(false)
	s.SetWriteDelay(false)
	s.SetACKNoDelay(false)
	return nil
}
