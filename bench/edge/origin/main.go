// Command origin is the benchmark's origin: a minimal HTTP/1.1 server over raw TCP that
// answers every request with the same small body, so that it costs far less CPU than the
// proxies measured in front of it. It echoes the request path in X-Origin-Uri so run.sh can
// check that a rewrite happened. Not a general server: request bodies must carry a
// Content-Length (they are discarded); anything else closes the connection.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:8081", "address to listen on (loopback)")
	size := flag.Int("body", 64, "response body size in bytes")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), *size)
	head := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + strconv.Itoa(*size) + "\r\nX-Origin-Uri: "

	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		ln.Close()
		os.Exit(0)
	}()
	fmt.Fprintf(os.Stderr, "origin listening on %s\n", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(c, head, body)
	}
}

func serve(c net.Conn, head string, body []byte) {
	defer c.Close()
	br := bufio.NewReaderSize(c, 8<<10)
	out := make([]byte, 0, 4<<10)
	for {
		// Request line.
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		sp1 := bytes.IndexByte(line, ' ')
		if sp1 < 0 {
			return
		}
		rest := line[sp1+1:]
		sp2 := bytes.IndexByte(rest, ' ')
		if sp2 < 0 {
			return
		}
		uri := rest[:sp2]
		if q := bytes.IndexByte(uri, '?'); q >= 0 {
			uri = uri[:q]
		}
		out = append(out[:0], head...)
		out = append(out, uri...)
		out = append(out, "\r\n\r\n"...)
		out = append(out, body...)
		// Header lines: only Content-Length matters.
		var clen int64
		for {
			h, err := br.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(h) <= 2 {
				break
			}
			if len(h) > 15 && bytes.EqualFold(h[:15], []byte("content-length:")) {
				clen, _ = strconv.ParseInt(string(bytes.TrimSpace(h[15:])), 10, 64)
			}
		}
		if clen > 0 {
			if _, err := io.CopyN(io.Discard, br, clen); err != nil {
				return
			}
		}
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}
