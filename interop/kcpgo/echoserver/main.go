// Command echoserver is a kcp-go echo server for kcpj's interop tests, with kcp-go's FEC (-fec D/P)
// and kcptun's packet encryption (-crypt METHOD -key PASSPHRASE) when asked.
//
// It prints "LISTENING host:port" on its first line, then echoes every message of every
// session. A line "SNMP" on its standard input makes it print kcp-go's counters as one line
// ("SNMP FECRecovered=... ..."). Each message must start with its own length as a 4-byte big-endian integer: a message
// whose length disagrees (a reassembly error by the peer) makes it print "BAD ..." on stderr and
// exit with status 3. It exits by itself after -timeout.
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"time"

	kcp "github.com/xtaci/kcp-go"

	"kcpconf"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	mode := flag.String("mode", "fast", "KCP mode: classic, normal, fast")
	window := flag.Int("window", 128, "send and receive window, segments")
	checkLength := flag.Bool("check-length", true, "require the 4-byte length prefix")
	timeout := flag.Duration("timeout", 120*time.Second, "exit after this long")
	layers := kcpconf.LayerFlags()
	flag.Parse()

	data, parity, err := layers.Shards()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	block, err := layers.Block()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	l, err := kcp.ListenWithOptions(*listen, block, data, parity)
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(2)
	}
	fmt.Printf("LISTENING %s\n", l.Addr().String())
	os.Stdout.Sync()
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			if in.Text() == "SNMP" {
				fmt.Println(kcpconf.Snmp())
				os.Stdout.Sync()
			}
		}
	}()
	go func() {
		time.Sleep(*timeout)
		fmt.Fprintln(os.Stderr, "timeout: exiting")
		os.Exit(4)
	}()
	for {
		s, err := l.AcceptKCP()
		if err != nil {
			fmt.Fprintln(os.Stderr, "accept:", err)
			os.Exit(2)
		}
		if err := kcpconf.Apply(s, *mode, *window); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		go serve(s, *checkLength)
	}
}

func serve(s *kcp.UDPSession, checkLength bool) {
	defer s.Close()
	buf := make([]byte, 1<<20)
	count := 0
	for {
		n, err := s.Read(buf)
		if err != nil {
			return
		}
		if checkLength {
			if n < 4 || int(binary.BigEndian.Uint32(buf)) != n {
				fmt.Fprintf(os.Stderr, "BAD message %d from %s: read %d bytes, prefix says %d\n",
					count, s.RemoteAddr(), n, prefix(buf, n))
				os.Exit(3)
			}
		}
		count++
		if _, err := s.Write(buf[:n]); err != nil {
			return
		}
	}
}

func prefix(b []byte, n int) int {
	if n < 4 {
		return -1
	}
	return int(binary.BigEndian.Uint32(b))
}
