// Command echoclient is a kcp-go client for kcpj's interop tests (no FEC, no encryption).
//
// It sends -count messages of varying sizes (some larger than one segment) to an echo server,
// reads the echoes back as a byte stream and checks that it equals what was sent, byte for byte.
// Note that kcp-go's Write splits a buffer larger than mss into separate messages of at most mss
// bytes, so the server sees those as several messages. Prints "OK <messages> <bytes>" and exits
// 0 on success; prints "FAIL ..." and exits 1 otherwise (also on -timeout).
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
	flag.Parse()

	s, err := kcp.DialWithOptions(*connect, nil, 0, 0)
	if err != nil {
		fmt.Println("FAIL dial:", err)
		os.Exit(1)
	}
	defer s.Close()
	if err := kcpconf.Apply(s, *mode, *window); err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
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
		fmt.Printf("FAIL read after %v: %v\n", time.Until(deadline), err)
		os.Exit(1)
	}
	if err := <-writeErr; err != nil {
		fmt.Println("FAIL write:", err)
		os.Exit(1)
	}
	for i := range got {
		if got[i] != expected[i] {
			fmt.Printf("FAIL byte %d: got %d, want %d\n", i, got[i], expected[i])
			os.Exit(1)
		}
	}
	fmt.Printf("OK %d %d\n", *count, len(expected))
}
