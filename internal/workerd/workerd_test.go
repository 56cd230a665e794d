package workerd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBinaryMissing(t *testing.T) {
	_, err := Binary(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("error %v, want one saying to run npm ci", err)
	}
}

// TestStartFailure: a runtime that exits at once is an error carrying its
// output, not a hang.
func TestStartFailure(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "workerd")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"no such config: $2\" >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "missing.capnp")
	_, err := Start(context.Background(), fake, config)
	if err == nil || !strings.Contains(err.Error(), "exited before serving") || !strings.Contains(err.Error(), "no such config: missing.capnp") {
		t.Fatalf("error %v", err)
	}
}

func TestRSS(t *testing.T) {
	s := &Server{PID: os.Getpid()}
	rss, err := s.RSS()
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 {
		t.Fatalf("RSS of this test process: %d bytes", rss)
	}
}
