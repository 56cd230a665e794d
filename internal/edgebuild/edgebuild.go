package edgebuild

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/wasm/edge"
)

// workerMJS is the worker's entry point (see its comments).
//
//go:embed worker.mjs
var workerMJS []byte

// Names of the Worker variables and secrets the worker reads (see
// wasm/edge/worker).
const (
	EnvAllowedOrigins = "SEGKIT_ALLOWED_ORIGINS"
	EnvBearerToken    = "SEGKIT_BEARER_TOKEN"
)

// CompatibilityDate is the Workers compatibility date of the generated
// configurations; the pinned workerd (1.20260426.1) supports it.
const CompatibilityDate = "2026-04-01"

// LocalAddr is where the generated workerd.capnp listens.
const LocalAddr = "127.0.0.1:8787"

// marker is the file that marks a folder written by Build, which a later
// Build may replace.
const marker = ".segkit-worker"

// workerPkg is the js/wasm main, relative to the repository root.
const workerPkg = "./wasm/edge/worker"

// Options say what to build.
type Options struct {
	// Model is the model file (JSON written by `segkit cluster --model` or
	// the page); required.
	Model string
	// Out is the folder to write. It must not exist, be empty, or hold an
	// earlier build (which is replaced); required.
	Out string
	// Root is the repository root (the folder of go.mod); "" means the
	// working directory.
	Root string
	// Log receives the commands run, one line each; nil discards them.
	Log io.Writer
	// Shipped builds the worker as syumai/workers ships it instead: the
	// library's generated worker.mjs, which starts a Go runtime for every
	// request, and a main that calls workers.Serve with the handler (no
	// settings from the environment). It is the baseline of the load
	// test, not for deployment.
	Shipped bool
}

// Result describes a build.
type Result struct {
	Dir        string // the folder written (Options.Out)
	ModelID    string // the embedded model's id
	WasmBytes  int64  // size of build/app.wasm
	WasmGzip   int64  // size of build/app.wasm gzipped at level 9
	ModelBytes int64  // size of the model file
}

// Build validates the model and writes the worker folder (see the package
// documentation). On any error nothing is left behind and Out is unchanged.
func Build(ctx context.Context, opt Options) (*Result, error) {
	if opt.Model == "" || opt.Out == "" {
		return nil, errors.New("edgebuild: a model file and an output folder are required")
	}
	root, err := filepath.Abs(cmp.Or(opt.Root, "."))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, "wasm", "edge", "worker", "main.go")); err != nil {
		return nil, fmt.Errorf("edgebuild: %s is not the segkit repository root (no wasm/edge/worker)", root)
	}
	raw, err := os.ReadFile(opt.Model)
	if err != nil {
		return nil, fmt.Errorf("edgebuild: model: %w", err)
	}
	m, err := model.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("edgebuild: model %s: %w", opt.Model, err)
	}
	// What the worker does when it starts: a model it would refuse is
	// refused here, not by every request of the deployed worker.
	if _, err := edge.New(m, edge.Options{}); err != nil {
		return nil, fmt.Errorf("edgebuild: model %s: %w", opt.Model, err)
	}
	out, err := filepath.Abs(opt.Out)
	if err != nil {
		return nil, err
	}
	if err := replaceable(out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("edgebuild: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("edgebuild: %w", err)
	}
	defer os.RemoveAll(tmp) // after a successful rename it no longer exists
	// MkdirTemp makes the folder private; the build is an ordinary folder.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("edgebuild: %w", err)
	}
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	src, err := ModelSource(m)
	if err != nil {
		return nil, err
	}
	res, err := build(ctx, root, tmp, src, opt.Shipped, log)
	if err != nil {
		return nil, err
	}
	res.ModelID, res.ModelBytes = m.ID, int64(len(raw))
	if err := install(tmp, out); err != nil {
		return nil, err
	}
	res.Dir = out
	return res, nil
}

// build writes the worker folder into dir.
func build(ctx context.Context, root, dir string, modelSrc []byte, shipped bool, log io.Writer) (*Result, error) {
	bdir := filepath.Join(dir, "build")
	if err := run(ctx, root, nil, log, "go", "tool", "workers-assets-gen", "-mode=go", "-o", bdir); err != nil {
		return nil, err
	}
	// The tool also writes a worker.mjs that starts a Go runtime per
	// request; ours replaces it.
	if !shipped {
		if err := os.WriteFile(filepath.Join(bdir, "worker.mjs"), workerMJS, 0o644); err != nil {
			return nil, err
		}
	}
	// The overlay files live outside the output folder.
	ovDir, err := os.MkdirTemp("", "segkit-worker-overlay-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(ovDir)
	modelCopy := filepath.Join(ovDir, "model_gen.go")
	if err := os.WriteFile(modelCopy, modelSrc, 0o644); err != nil {
		return nil, err
	}
	replace := map[string]string{filepath.Join(root, filepath.FromSlash(WorkerModelFile)): modelCopy}
	if shipped {
		mainCopy := filepath.Join(ovDir, "main.go")
		if err := os.WriteFile(mainCopy, []byte(shippedMain), 0o644); err != nil {
			return nil, err
		}
		replace[filepath.Join(root, "wasm", "edge", "worker", "main.go")] = mainCopy
	}
	ov, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil {
		return nil, err
	}
	ovFile := filepath.Join(ovDir, "overlay.json")
	if err := os.WriteFile(ovFile, ov, 0o644); err != nil {
		return nil, err
	}
	wasm := filepath.Join(bdir, "app.wasm")
	if err := run(ctx, root, []string{"GOOS=js", "GOARCH=wasm"}, log, "go", "build", "-trimpath",
		"-ldflags=-s -w", "-overlay", ovFile, "-o", wasm, workerPkg); err != nil {
		return nil, err
	}
	files := map[string]string{
		"wrangler.toml": WranglerConfig(),
		"workerd.capnp": WorkerdConfig(LocalAddr, nil),
		marker:          "a segkit edge worker, written by `go run ./cmd/build worker`; the next build replaces this folder\n",
		".gitignore":    ".wrangler/\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	size, gz, err := sizes(wasm)
	if err != nil {
		return nil, err
	}
	return &Result{WasmBytes: size, WasmGzip: gz}, nil
}

// shippedMain replaces wasm/edge/worker/main.go for Options.Shipped: the
// library's own way, workers.Serve, which ends the runtime after one answer.
const shippedMain = `//go:build js && wasm

package main

import (
	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/wasm/edge"
	"github.com/syumai/workers"
)

func main() {
	m, err := model.FromFields(modelFields)
	if err != nil {
		panic(err)
	}
	h, err := edge.New(m, edge.Options{})
	if err != nil {
		panic(err)
	}
	workers.Serve(h)
}
`

// run runs a command in dir, its output going to log.
func run(ctx context.Context, dir string, env []string, log io.Writer, argv ...string) error {
	fmt.Fprintf(log, "%s%s\n", envPrefix(env), strings.Join(argv, " "))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("edgebuild: %s: %w\n%s", strings.Join(argv, " "), err, out.String())
	}
	log.Write(out.Bytes())
	return nil
}

func envPrefix(env []string) string {
	if len(env) == 0 {
		return ""
	}
	return strings.Join(env, " ") + " "
}

// replaceable fails unless dir is absent, empty, or an earlier build.
func replaceable(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("edgebuild: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("edgebuild: %s exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("edgebuild: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
		return fmt.Errorf("edgebuild: %s is not empty and not an earlier worker build (no %s); choose another --out", dir, marker)
	}
	return nil
}

// install moves the finished folder tmp to out, replacing an earlier build.
func install(tmp, out string) error {
	old := ""
	if entries, err := os.ReadDir(out); err == nil {
		if len(entries) == 0 {
			if err := os.Remove(out); err != nil {
				return fmt.Errorf("edgebuild: %w", err)
			}
		} else {
			old = tmp + ".old"
			if err := os.Rename(out, old); err != nil {
				return fmt.Errorf("edgebuild: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("edgebuild: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// sizes returns a file's size and its size gzipped at level 9.
func sizes(path string) (int64, int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	var n countWriter
	zw, _ := gzip.NewWriterLevel(&n, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	return int64(len(b)), int64(n), nil
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// WranglerConfig returns the wrangler.toml of a worker folder.
func WranglerConfig() string {
	return `# A segkit edge worker (go run ./cmd/build worker). Deploy: npx wrangler deploy
# Run locally: npx wrangler dev (or: workerd serve workerd.capnp)
name = "segkit-edge"
main = "build/worker.mjs"
compatibility_date = "` + CompatibilityDate + `"

[vars]
# Origins allowed to call the endpoint from a browser (CORS), comma-separated, or "*".
` + EnvAllowedOrigins + ` = ""

# Optional bearer token, as a secret (not here):
#   npx wrangler secret put ` + EnvBearerToken + `
# With it set, every /v1/ request must carry "Authorization: Bearer <token>".
`
}

// WorkerdConfig returns a workerd configuration (Cap'n Proto text) for the
// worker folder it is written into: the worker listening on addr, with
// vars as text bindings (SEGKIT_ALLOWED_ORIGINS, SEGKIT_BEARER_TOKEN).
// Its socket is named "http", so `workerd serve --socket-addr http=ADDR`
// or `--socket-fd http=FD` can move it.
func WorkerdConfig(addr string, vars map[string]string) string {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`# A segkit edge worker for Cloudflare's workerd (go run ./cmd/build worker).
# Run: npx workerd serve workerd.capnp   (from this folder; node_modules/.bin/workerd in the segkit repository)
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "segkit-edge", worker = .worker) ],
  sockets = [ (name = "http", address = ` + strconv.Quote(addr) + `, http = (), service = "segkit-edge") ],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "` + CompatibilityDate + `",
  # Settings, e.g. (name = "` + EnvAllowedOrigins + `", text = "https://shop.example"),
  #                (name = "` + EnvBearerToken + `", text = "…")
  bindings = [`)
	for i, k := range names {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    (name = %s, text = %s)", strconv.Quote(k), strconv.Quote(vars[k]))
	}
	b.WriteString("\n  ],\n);\n")
	return b.String()
}
