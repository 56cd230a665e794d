package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPruneBrotliCache keeps the cached brotli copy of the current
// binary and removes every other entry.
func TestPruneBrotliCache(t *testing.T) {
	t.Chdir(t.TempDir())
	out := "dist"
	cache := filepath.Join(".cache", "brotli")
	for _, d := range []string{out, cache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	body := []byte("\x00asm segkit")
	if err := os.WriteFile(filepath.Join(out, wasmName), body, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	want := []string{hex.EncodeToString(sum[:]) + ".br"}
	// An older build's copy (another binary) goes, like stray files.
	old := sha256.Sum256([]byte("\x00asm older"))
	for _, name := range append(slices.Clone(want), hex.EncodeToString(old[:])+".br", "0123.br", "old.br.tmp") {
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
