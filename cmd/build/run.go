package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// step runs a command with the repository root as working directory,
// streaming its output, and reports how long it took.
func step(ctx context.Context, name string, env []string, argv ...string) error {
	fmt.Printf("==> %s: %s\n", name, strings.Join(argv, " "))
	start := time.Now()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), env...)
	err := cmd.Run()
	fmt.Printf("<== %s: %s (%.1fs)\n", name, status(err), time.Since(start).Seconds())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// output runs a command and returns its standard output.
func output(ctx context.Context, env []string, argv ...string) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	return string(b), err
}

func status(err error) string {
	if err != nil {
		return "failed"
	}
	return "ok"
}

// goroot returns the root of the Go toolchain running this build.
func goroot(ctx context.Context) (string, error) {
	out, err := output(ctx, nil, "go", "env", "GOROOT")
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(out), nil
}

// wasmEnv returns the environment that makes `go test` run js/wasm test
// binaries under Node with Go's own wasm_exec glue.
func wasmEnv(ctx context.Context) ([]string, error) {
	root, err := goroot(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath("node"); err != nil {
		return nil, fmt.Errorf("node is required to run js/wasm tests: %w (install Debian's nodejs)", err)
	}
	return []string{
		"GOOS=js", "GOARCH=wasm",
		"PATH=" + filepath.Join(root, "lib", "wasm") + string(os.PathListSeparator) + os.Getenv("PATH"),
	}, nil
}

// ensureDebianPackage installs a Debian package when the command it provides
// is missing. It needs root; elsewhere it says what to install.
func ensureDebianPackage(ctx context.Context, command, pkg string) error {
	if _, err := exec.LookPath(command); err == nil {
		return nil
	}
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		return fmt.Errorf("%s is missing: install the Debian package %q (apt-get install -y %s)", command, pkg, pkg)
	}
	if err := step(ctx, "apt-get update", []string{"DEBIAN_FRONTEND=noninteractive"}, "apt-get", "update", "-q"); err != nil {
		return err
	}
	return step(ctx, "install "+pkg, []string{"DEBIAN_FRONTEND=noninteractive"}, "apt-get", "install", "-y", "-q", pkg)
}

// ensureNodeModules installs the pinned JavaScript tools of package-lock.json
// (workerd and wrangler for the edge worker, the JavaScript peers of the
// benchmarks) with `npm ci` unless node_modules already holds exactly that
// lockfile's packages.
func ensureNodeModules(ctx context.Context) error {
	lock, err := os.ReadFile("package-lock.json")
	if err != nil {
		return fmt.Errorf("package-lock.json: %w", err)
	}
	sum := sha256.Sum256(lock)
	stamp := filepath.Join("node_modules", ".segkit-lock-sha256")
	want := hex.EncodeToString(sum[:])
	if have, err := os.ReadFile(stamp); err == nil && string(have) == want {
		return nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("npm is required to install the pinned test tools: %w (install Debian's nodejs and npm)", err)
	}
	if err := step(ctx, "npm ci (pinned test tools)", nil, "npm", "ci", "--no-audit", "--no-fund"); err != nil {
		return err
	}
	return os.WriteFile(stamp, []byte(want), 0o644)
}
