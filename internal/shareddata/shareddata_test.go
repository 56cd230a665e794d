package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLocateHonoursEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvVar, dir)
	got, err := Locate()
	if err != nil || got != dir {
		t.Fatalf("Locate() = %q, %v; want %q", got, err, dir)
	}
	t.Setenv(EnvVar, filepath.Join(dir, "nope"))
	if _, err := Locate(); err == nil {
		t.Fatal("Locate() with a missing folder succeeded")
	}
}

func TestDefaultHasReadme(t *testing.T) {
	os.Unsetenv(EnvVar)
	p := Path(t, "README.md")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared data README missing: %v", err)
	}
}
