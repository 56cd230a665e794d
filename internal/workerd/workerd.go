// Package workerd runs Cloudflare's local Workers runtime, workerd (the
// npm package pinned in package-lock.json), for the edge worker's tests
// and load test: on 127.0.0.1, on a socket this process opens and hands
// over (so no port is guessed), with its memory readable while it runs.
package workerd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Binary returns the workerd of node_modules under root (the repository
// root), or an error saying how to install it.
func Binary(root string) (string, error) {
	p, err := filepath.Abs(filepath.Join(root, "node_modules", ".bin", "workerd"))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("workerd: %s is missing: run `npm ci --no-audit --no-fund` in the repository root "+
			"(`go run ./cmd/build test` does it)", p)
	}
	return p, nil
}

// Server is a running workerd.
type Server struct {
	URL     string // http://127.0.0.1:PORT
	PID     int
	Started time.Duration // from the start of the process to the first answer of /health

	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  bytes.Buffer // workerd's output
	err  error        // how it ended, once done is closed
}

// Start runs `bin serve config` with the config's socket "http" on a fresh
// 127.0.0.1 port, and returns once the worker answers GET /health (any
// status) or fails. ctx ends the process.
func Start(ctx context.Context, bin, config string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("workerd: %w", err)
	}
	f, err := ln.(*net.TCPListener).File()
	ln.Close()
	if err != nil {
		return nil, fmt.Errorf("workerd: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), done: make(chan struct{})}
	s.cmd = exec.CommandContext(ctx, bin, "serve", filepath.Base(config), "--socket-fd", "http=3")
	s.cmd.Dir = filepath.Dir(config)
	s.cmd.ExtraFiles = []*os.File{f} // fd 3
	s.cmd.Stdout = (*lockedWriter)(s)
	s.cmd.Stderr = (*lockedWriter)(s)
	err = s.cmd.Start()
	f.Close() // the child has its own copy; once it ends, connections are refused
	if err != nil {
		return nil, fmt.Errorf("workerd: %w", err)
	}
	s.PID = s.cmd.Process.Pid
	t0 := time.Now()
	go func() {
		err := s.cmd.Wait()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.done)
	}()
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Close()
		return nil, err
	}
	s.Started = time.Since(t0)
	return s, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-s.done:
			return fmt.Errorf("workerd: exited before serving: %v\n%s", s.err, s.Log())
		default:
		}
		resp, err := client.Get(s.URL + "/health")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("workerd: not serving after %v: %v\n%s", limit, err, s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type lockedWriter Server

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.Write(p)
}

// Log returns what workerd has printed so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// RSS returns workerd's resident memory in bytes (VmRSS of
// /proc/PID/status; Linux only).
func (s *Server) RSS() (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.PID) + "/status")
	if err != nil {
		return 0, fmt.Errorf("workerd: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb * 1024, nil
				}
			}
		}
	}
	return 0, errors.New("workerd: no VmRSS in /proc/" + strconv.Itoa(s.PID) + "/status")
}

// Close stops workerd and waits for it to end.
func (s *Server) Close() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	return nil
}
