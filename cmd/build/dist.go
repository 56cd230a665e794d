package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/segkit/segkit/web/site"
)

// distDir is where `dist` writes the static site.
const distDir = "dist"

// wasmName is the page's one WebAssembly binary (./web): the UI in the
// window, the engine in engine-worker.js's workers.
const wasmName = "segkit.wasm"

// vuguHelperStart is how Vugu's render helper begins; segkit.js accepts the
// helper's eval only when it starts so (see there).
const vuguHelperStart = "(function(){if(window.vuguRender)return;"

// runDist builds the static site into dist/.
func runDist(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dist", flag.ContinueOnError)
	out := fs.String("out", distDir, "output folder (emptied first)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return buildDist(ctx, *out)
}

// buildDist writes the page into out: index.html, segkit.wasm (the UI in
// the window and the engine in its workers: one binary, so the Go runtime
// and the standard library travel once; with .gz and .br copies), wasm_exec.js, Vugu's render helper, the static files of
// web/static, the sample data and _headers.
func buildDist(ctx context.Context, out string) error {
	for _, page := range []string{"index.html", filepath.Join("web", "static", "widget.html"), filepath.Join("web", "static", "bridge.html")} {
		if err := checkMetaCSP(page); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	wasm := []string{"GOOS=js", "GOARCH=wasm"}
	if err := step(ctx, "build "+wasmName, wasm, "go", "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(out, wasmName), "./web"); err != nil {
		return err
	}
	root, err := goroot(ctx)
	if err != nil {
		return err
	}
	copies := map[string]string{
		filepath.Join(root, "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		"index.html": "index.html",
		filepath.Join("testdata", "wholesale-customers.csv"):  "wholesale-customers.csv",
		filepath.Join("testdata", "online-retail-sample.csv"): "online-retail-sample.csv",
	}
	static, err := os.ReadDir(filepath.Join("web", "static"))
	if err != nil {
		return err
	}
	for _, e := range static {
		if !e.IsDir() {
			copies[filepath.Join("web", "static", e.Name())] = e.Name()
		}
	}
	for src, dst := range copies {
		if err := copyFile(src, filepath.Join(out, dst)); err != nil {
			return err
		}
	}
	helper, err := vuguHelper(ctx)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "vugu-render.js"), []byte(helper), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "_headers"), []byte(site.HeadersFile()), 0o644); err != nil {
		return err
	}
	// The brotli copy takes seconds when not cached: made while gzip runs.
	type brResult struct {
		size int64
		err  error
	}
	brDone := make(chan brResult, 1)
	go func() {
		size, err := brotliFile(ctx, filepath.Join(out, wasmName))
		brDone <- brResult{size, err}
	}()
	fmt.Println("dist: sizes (gzip -9, and brotli 11 for the wasm, sent to browsers that accept them)")
	for _, name := range []string{wasmName, "wasm_exec.js", "vugu-render.js", "embed.js", "segkit-api.js"} {
		wasm := strings.HasSuffix(name, ".wasm")
		raw, gz, err := gzipFile(filepath.Join(out, name), wasm)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("  %-15s %9s raw  %9s gzip", name, kb(raw), kb(gz))
		if wasm {
			r := <-brDone
			br, err := r.size, r.err
			switch {
			case errors.Is(err, errNoNode):
				line += "  (no node on PATH: no brotli copy, gzip only)"
			case err != nil:
				return err
			default:
				line += fmt.Sprintf("  %9s brotli", kb(br))
			}
		}
		fmt.Println(line)
	}
	if err := pruneBrotliCache(out); err != nil {
		return err
	}
	fmt.Printf("dist: the page is in %s/\n", out)
	return nil
}

func kb(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1024) }

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// gzipFile measures a file compressed with gzip -9, and writes the
// compressed copy beside it (name.gz) when keep is set.
func gzipFile(name string, keep bool) (raw, gz int64, err error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		return 0, 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	if keep {
		if err := os.WriteFile(name+".gz", buf.Bytes(), 0o644); err != nil {
			return 0, 0, err
		}
	}
	return int64(len(b)), int64(buf.Len()), nil
}

// checkMetaCSP fails when a page's meta tag does not carry exactly the
// policy that serve sends (less frame-ancestors).
func checkMetaCSP(index string) error {
	b, err := os.ReadFile(index)
	if err != nil {
		return err
	}
	want := `<meta http-equiv="Content-Security-Policy" content="` + site.MetaCSP() + `">`
	if !bytes.Contains(b, []byte(want)) {
		return fmt.Errorf("%s: the Content-Security-Policy meta tag must read\n%s\n(the policy is web/site.CSP without frame-ancestors)", index, want)
	}
	return nil
}

// vuguHelper returns the JavaScript that Vugu's DOM renderer evaluates at
// start-up (the constant jsHelperScript of its domrender package), so that
// the page can load it as a file instead of through eval.
func vuguHelper(ctx context.Context) (string, error) {
	dir, err := output(ctx, nil, "go", "list", "-m", "-f", "{{.Dir}}", "github.com/vugu/vugu")
	if err != nil {
		return "", fmt.Errorf("locating the vugu module: %w", err)
	}
	file := filepath.Join(strings.TrimSpace(dir), "domrender", "renderer-js-script.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name != "jsHelperScript" || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					return "", fmt.Errorf("%s: jsHelperScript is not a literal", file)
				}
				src, err := strconv.Unquote(lit.Value)
				if err != nil {
					return "", err
				}
				if !strings.HasPrefix(src, vuguHelperStart) {
					return "", fmt.Errorf("%s: Vugu's helper no longer starts with %q; update web/static/segkit.js", file, vuguHelperStart)
				}
				return "// Vugu's DOM render helper (github.com/vugu/vugu domrender, MIT licence), extracted by cmd/build.\n" + src + "\n", nil
			}
		}
	}
	return "", fmt.Errorf("%s: no jsHelperScript constant", file)
}

// errNoNode is brotliFile's error when Node.js is not installed.
var errNoNode = errors.New("node is not on PATH")

// brotliScript compresses argv[1] into argv[2] with brotli at its best
// (quality 11, a 16 MB window): about a quarter smaller than gzip -9 for the
// wasm binaries.
const brotliScript = `const z = require('zlib'), fs = require('fs');
const b = fs.readFileSync(process.argv[1]);
fs.writeFileSync(process.argv[2], z.brotliCompressSync(b, {params: {
  [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_LGWIN]: 24,
  [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length}}));`

// brotliFile writes name.br, the file compressed with brotli, and returns its
// size. Go's standard library has no brotli encoder, so Node.js's zlib makes
// it; quality 11 takes seconds, so the result is kept in .cache/brotli under
// the file's SHA-256 and an unchanged binary costs nothing the next time.
// Without node it returns errNoNode and the site is served with gzip only.
func brotliFile(ctx context.Context, name string) (int64, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	sum := sha256.Sum256(b)
	cached := filepath.Join(".cache", "brotli", hex.EncodeToString(sum[:])+".br")
	if _, err := os.Stat(cached); err != nil {
		if _, err := exec.LookPath("node"); err != nil {
			return 0, errNoNode
		}
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
			return 0, err
		}
		tmp := cached + ".tmp"
		cmd := exec.CommandContext(ctx, "node", "-e", brotliScript, name, tmp)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			os.Remove(tmp)
			return 0, fmt.Errorf("brotli of %s with node: %w", name, err)
		}
		if err := os.Rename(tmp, cached); err != nil {
			return 0, err
		}
	}
	br, err := os.ReadFile(cached)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(name+".br", br, 0o644); err != nil {
		return 0, err
	}
	return int64(len(br)), nil
}

// pruneBrotliCache removes from .cache/brotli every copy but that of the
// wasm binary in out, so the cache holds one build's worth, not one per
// build ever made.
func pruneBrotliCache(out string) error {
	dir := filepath.Join(".cache", "brotli")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	keep := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(out, wasmName))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	keep[hex.EncodeToString(sum[:])+".br"] = true
	for _, e := range entries {
		if !keep[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
