package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// uiDir is the Vugu package of the page.
const uiDir = "web"

// vugugenNote ends a comment vugugen v0.4.0 writes into every event handler
// it generates, a note about its own unfinished event-capture syntax; it
// says nothing about this project's code, so generateUI drops it.
const vugugenNote = "implement capture, etc. mostly need to decide syntax"

// generateUI writes the Vugu components' *_gen.go files of dir (vugugen,
// without vugugen's note to itself, then gofmt -s, since vugugen's output is
// not gofmt-clean).
func generateUI(ctx context.Context, dir string) error {
	if err := step(ctx, "vugugen "+dir, nil, "go", "tool", "vugugen", "-skip-go-mod", "-skip-main", dir); err != nil {
		return err
	}
	gen, err := filepath.Glob(filepath.Join(dir, "*_gen.go"))
	if err != nil {
		return err
	}
	for _, f := range gen {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var out []string
		for _, line := range strings.Split(string(b), "\n") {
			if t := strings.TrimSpace(line); !(strings.HasPrefix(t, "//") && strings.HasSuffix(t, vugugenNote)) {
				out = append(out, line)
			}
		}
		if err := os.WriteFile(f, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			return err
		}
	}
	return step(ctx, "gofmt generated code", nil, append([]string{"gofmt", "-s", "-w"}, gen...)...)
}

// checkGeneratedUI regenerates the components in a scratch copy of web/ and
// fails when any *_gen.go differs from the committed one (or is missing or
// extra): the generated code is committed and must match its .vugu source.
func checkGeneratedUI(ctx context.Context) error {
	fmt.Println("==> generated UI code matches the .vugu files")
	scratch, err := os.MkdirTemp(".", ".vugugen-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	files, err := os.ReadDir(uiDir)
	if err != nil {
		return err
	}
	for _, f := range files {
		name := f.Name()
		if f.IsDir() || strings.HasSuffix(name, "_gen.go") || !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".vugu")) {
			continue
		}
		if err := copyFile(filepath.Join(uiDir, name), filepath.Join(scratch, name)); err != nil {
			return err
		}
	}
	if err := generateUI(ctx, scratch); err != nil {
		return err
	}
	want, _ := filepath.Glob(filepath.Join(scratch, "*_gen.go"))
	have, _ := filepath.Glob(filepath.Join(uiDir, "*_gen.go"))
	var stale []string
	if len(want) != len(have) {
		stale = append(stale, fmt.Sprintf("%d generated files expected, %d committed", len(want), len(have)))
	}
	for _, w := range want {
		name := filepath.Base(w)
		a, _ := os.ReadFile(w)
		b, err := os.ReadFile(filepath.Join(uiDir, name))
		if err != nil || !bytes.Equal(a, b) {
			stale = append(stale, filepath.Join(uiDir, name))
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("generated UI code is stale (%s): run `go run ./cmd/build generate` and commit the result", strings.Join(stale, ", "))
	}
	return nil
}

// runGenerate regenerates the UI's *_gen.go files.
func runGenerate(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("generate takes no arguments, got %q", args)
	}
	return generateUI(ctx, "./"+uiDir)
}
