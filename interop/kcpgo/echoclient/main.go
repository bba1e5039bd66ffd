// Command echoclient is a kcp-go client for kcpj's interop tests, with kcp-go's FEC (-fec D/P) and
// kcptun's packet encryption (-crypt METHOD -key PASSPHRASE) when asked.
//
// It sends -count messages of varying sizes (some larger than one segment) to an echo server,
// reads the echoes back as a byte stream and checks that it equals what was sent, byte for byte.
// Note that kcp-go's Write splits a buffer larger than mss into separate messages of at most mss
// bytes, so the server sees those as several messages. Prints "OK <messages> <bytes>" and exits
// 0 on success; prints "FAIL ..." and exits 1 otherwise (also on -timeout). Either way a second
// line follows with kcp-go's counters ("SNMP FECRecovered=... ...").
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	kcp "github.com/xtaci/kcp-go"

	"kcpconf"
)

func size(i int) int {
	s := 1 + (i*7919)%1500
	if i%10 == 0 {
		s += 1376 * (1 + i%7) // 2 to 8 segments' worth
	}
	return s
}

func message(i int) []byte {
	b := make([]byte, size(i))
	for j := range b {
		b[j] = byte(i*31 + j)
	}
	return b
}

func main() {
	connect := flag.String("connect", "", "server host:port")
	count := flag.Int("count", 1000, "messages to send")
	mode := flag.String("mode", "fast", "KCP mode: classic, normal, fast")
	window := flag.Int("window", 128, "send and receive window, segments")
	timeout := flag.Duration("timeout", 60*time.Second, "give up after this long")
	layers := kcpconf.LayerFlags()
	flag.Parse()

	data, parity, err := layers.Shards()
	if err != nil {
		fail(err.Error())
	}
	block, err := layers.Block()
	if err != nil {
		fail(err.Error())
	}
	s, err := kcp.DialWithOptions(*connect, block, data, parity)
	if err != nil {
		fail(fmt.Sprint("dial: ", err))
	}
	defer s.Close()
	if err := kcpconf.Apply(s, *mode, *window); err != nil {
		fail(err.Error())
	}
	deadline := time.Now().Add(*timeout)
	s.SetDeadline(deadline)

	var expected []byte
	for i := 0; i < *count; i++ {
		expected = append(expected, message(i)...)
	}
	writeErr := make(chan error, 1)
	go func() {
		for i := 0; i < *count; i++ {
			if _, err := s.Write(message(i)); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	}()

	got := make([]byte, len(expected))
	if _, err := io.ReadFull(s, got); err != nil {
		fail(fmt.Sprintf("read after %v: %v", time.Until(deadline), err))
	}
	if err := <-writeErr; err != nil {
		fail(fmt.Sprint("write: ", err))
	}
	for i := range got {
		if got[i] != expected[i] {
			fail(fmt.Sprintf("byte %d: got %d, want %d", i, got[i], expected[i]))
		}
	}
	fmt.Printf("OK %d %d\n", *count, len(expected))
	fmt.Println(kcpconf.Snmp())
}

func fail(why string) {
	fmt.Println("FAIL " + why)
	fmt.Println(kcpconf.Snmp())
	os.Exit(1)
}
