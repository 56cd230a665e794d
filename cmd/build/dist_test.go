package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPruneBrotliCache keeps the cached brotli copies of the current
// binaries and removes every other entry.
func TestPruneBrotliCache(t *testing.T) {
	t.Chdir(t.TempDir())
	out := "dist"
	cache := filepath.Join(".cache", "brotli")
	for _, d := range []string{out, cache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for _, name := range []string{"ui.wasm", "engine.wasm"} {
		body := []byte("\x00asm " + name)
		if err := os.WriteFile(filepath.Join(out, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		want = append(want, hex.EncodeToString(sum[:])+".br")
	}
	for _, name := range append(slices.Clone(want), "0123.br", "old.br.tmp") {
		if err := os.WriteFile(filepath.Join(cache, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := pruneBrotliCache(out); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(cache)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("cache holds %v, want %v", got, want)
	}
}
