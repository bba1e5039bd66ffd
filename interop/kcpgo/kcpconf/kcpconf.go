// Package kcpconf configures kcp-go sessions for kcpj's interop tests: one named KCP mode, so that
// both peers use the same settings as kcpj's presets (KcpConfig.classic/normal/fast), and the
// datagram layers (FEC shard counts, kcptun's packet encryption) from command-line flags.
package kcpconf

import (
	"crypto/sha1"
	"flag"
	"fmt"
	"strings"

	kcp "github.com/xtaci/kcp-go"
	"golang.org/x/crypto/pbkdf2"
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

// Layers holds the -fec, -crypt and -key flags.
type Layers struct {
	fec   *string
	crypt *string
	key   *string
}

// LayerFlags registers -fec D/P, -crypt METHOD and -key PASSPHRASE on the default flag set.
func LayerFlags() *Layers {
	return &Layers{
		fec:   flag.String("fec", "0/0", "FEC data/parity shards, e.g. 10/3 (0/0: off)"),
		crypt: flag.String("crypt", "", "kcptun's packet cipher: aes, aes-128, aes-192, xor, none, 3des, blowfish (empty: no BlockCrypt at all)"),
		key:   flag.String("key", "it's a secrect", "kcptun's passphrase (PBKDF2-HMAC-SHA1, salt kcp-go, 4096 iterations)"),
	}
}

// Shards parses -fec.
func (l *Layers) Shards() (int, int, error) {
	var d, p int
	if _, err := fmt.Sscanf(strings.TrimSpace(*l.fec), "%d/%d", &d, &p); err != nil {
		return 0, 0, fmt.Errorf("bad -fec %q: expected DATA/PARITY", *l.fec)
	}
	return d, p, nil
}

// Block builds kcptun's BlockCrypt for -crypt and -key (nil without -crypt).
func (l *Layers) Block() (kcp.BlockCrypt, error) {
	if *l.crypt == "" {
		return nil, nil
	}
	key := pbkdf2.Key([]byte(*l.key), []byte("kcp-go"), 4096, 32, sha1.New)
	switch *l.crypt {
	case "none":
		return kcp.NewNoneBlockCrypt(key)
	case "xor":
		return kcp.NewSimpleXORBlockCrypt(key)
	case "aes-128":
		return kcp.NewAESBlockCrypt(key[:16])
	case "aes-192":
		return kcp.NewAESBlockCrypt(key[:24])
	case "aes":
		return kcp.NewAESBlockCrypt(key)
	case "3des":
		return kcp.NewTripleDESBlockCrypt(key[:24])
	case "blowfish":
		return kcp.NewBlowfishBlockCrypt(key)
	}
	return nil, fmt.Errorf("unknown -crypt %q", *l.crypt)
}

// Snmp is one line of kcp-go's process-wide counters, for the tests to read.
func Snmp() string {
	s := kcp.DefaultSnmp.Copy()
	return fmt.Sprintf("SNMP FECRecovered=%d FECErrs=%d FECParityShards=%d FECShortShards=%d"+
		" InCsumErrors=%d KCPInErrors=%d InPkts=%d OutPkts=%d RetransSegs=%d",
		s.FECRecovered, s.FECErrs, s.FECParityShards, s.FECShortShards,
		s.InCsumErrors, s.KCPInErrors, s.InPkts, s.OutPkts, s.RetransSegs)
}
