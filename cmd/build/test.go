package main

import (
	"context"
	"fmt"
	"strings"
)

// runTest runs every check CI runs, in order, stopping at the first failure.
func runTest(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("test takes no arguments, got %q", args)
	}
	if err := ensureDebianPackage(ctx, "gcc", "gcc"); err != nil { // -race needs cgo
		return err
	}
	if err := ensureDebianPackage(ctx, "chromium", "chromium"); err != nil { // e2e tests of the page
		return err
	}
	if err := ensureDebianPackage(ctx, "node", "nodejs"); err != nil { // js/wasm tests, workerd
		return err
	}
	if err := ensureDebianPackage(ctx, "npm", "npm"); err != nil { // the pinned JS tools below
		return err
	}
	if err := ensureNodeModules(ctx); err != nil { // workerd for the edge e2e, the JS peers
		return err
	}
	wasm, err := wasmEnv(ctx)
	if err != nil {
		return err
	}
	if err := checkGofmt(ctx); err != nil {
		return err
	}
	if err := checkCoreDeps(ctx); err != nil {
		return err
	}
	if err := checkGeneratedUI(ctx); err != nil {
		return err
	}
	// The e2e tests need the built site and a browser; they run last, below.
	pkgs, err := output(ctx, nil, "go", "list", "./...")
	if err != nil {
		return fmt.Errorf("go list ./...: %w", err)
	}
	var unit []string
	for _, p := range strings.Fields(pkgs) {
		if !strings.HasSuffix(p, "/e2e") && !strings.Contains(p, "/e2e/") {
			unit = append(unit, p)
		}
	}
	steps := []struct {
		name string
		env  []string
		argv []string
	}{
		{"vet (native)", nil, []string{"go", "vet", "./..."}},
		{"vet (report generators, -tags report)", nil, []string{"go", "vet", "-tags", "report", "./core/cluster/"}},
		{"vet (js/wasm)", wasm, []string{"go", "vet", "./core/...", "./internal/...", "./wasm/...", "./web/..."}},
		{"unit tests (native, -race)", []string{"CGO_ENABLED=1"}, append([]string{"go", "test", "-race", "-shuffle=on", "-count=1"}, unit...)},
		{"core tests (js/wasm under node)", wasm, []string{"go", "test", "-count=1", "./core/..."}},
	}
	for _, s := range steps {
		if err := step(ctx, s.name, s.env, s.argv...); err != nil {
			return err
		}
	}
	// The page, end to end in headless Chromium, on the site just built.
	if err := buildDist(ctx, distDir); err != nil {
		return err
	}
	if err := step(ctx, "e2e tests (chromium)", nil, "go", "test", "-count=1", "-timeout=10m", "-v", "./e2e/..."); err != nil {
		return err
	}
	fmt.Println("build test: all checks passed")
	return nil
}

// checkGofmt fails when any Go file is not gofmt -s clean.
func checkGofmt(ctx context.Context) error {
	fmt.Println("==> gofmt -s -l .")
	out, err := output(ctx, nil, "gofmt", "-s", "-l", ".")
	if err != nil {
		return fmt.Errorf("gofmt: %w", err)
	}
	if files := strings.TrimSpace(out); files != "" {
		return fmt.Errorf("files need gofmt -s -w:\n%s", files)
	}
	return nil
}

// forbiddenInCore are packages that core/ must never import, directly or
// through a non-standard dependency: it compiles natively and to js/wasm
// alike, and only wasm/ and web/ touch the browser. (Under js/wasm the
// standard library itself imports syscall/js — os, time, net/http — which is
// not a dependency of ours.)
var forbiddenInCore = []string{"syscall/js", "github.com/vugu/"}

// checkCoreDeps fails when a core package, or any non-standard package it
// depends on, imports the browser or the UI framework when built for js/wasm.
func checkCoreDeps(ctx context.Context) error {
	fmt.Println("==> core dependency rule: GOOS=js GOARCH=wasm go list -deps ./core/...")
	out, err := output(ctx, []string{"GOOS=js", "GOARCH=wasm"}, "go", "list", "-deps",
		"-f", "{{if not .Standard}}{{.ImportPath}} {{join .Imports \" \"}}{{end}}", "./core/...")
	if err != nil {
		return fmt.Errorf("go list -deps ./core/...: %w", err)
	}
	if bad := forbiddenImports(out); len(bad) > 0 {
		return fmt.Errorf("core/ must not depend on the browser or the UI: %s", strings.Join(bad, "; "))
	}
	return nil
}

// forbiddenImports reads lines of "package import import ..." and returns
// "package imports X" for every forbidden import.
func forbiddenImports(listing string) []string {
	var bad []string
	for _, line := range strings.Split(listing, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		for _, imp := range f[1:] {
			for _, p := range forbiddenInCore {
				if imp == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(imp, p)) {
					bad = append(bad, f[0]+" imports "+imp)
				}
			}
		}
	}
	return bad
}
