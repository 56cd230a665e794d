package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/segkit/segkit/internal/edgebuild"
)

// runWorker builds the edge worker for a model into a deployable folder.
func runWorker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	modelPath := fs.String("model", "", "the model JSON written by `segkit cluster --model` or the page (required)")
	out := fs.String("out", "", "the folder to write: absent, empty, or an earlier worker build (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("worker takes no arguments besides its flags, got %q", fs.Args())
	}
	if *modelPath == "" || *out == "" {
		fs.Usage()
		return errors.New("worker needs --model FILE and --out DIR")
	}
	fmt.Printf("==> worker: building the edge worker for %s into %s\n", *modelPath, *out)
	res, err := edgebuild.Build(ctx, edgebuild.Options{Model: *modelPath, Out: *out, Log: os.Stdout})
	if err != nil {
		return err
	}
	fmt.Printf(`<== worker: model %s embedded; build/app.wasm %.2f MB, %.2f MB gzipped (%d bytes)

%s
  build/       worker.mjs, runtime.mjs, wasm_exec.js, app.wasm
  wrangler.toml, workerd.capnp

Deploy to Cloudflare (from %[5]s):
  npx wrangler deploy
  npx wrangler secret put %[6]s      # optional: require "Authorization: Bearer <token>" on /v1/
  set %[7]s in wrangler.toml [vars] for CORS (comma-separated origins, or "*")

Run it locally, offline (from %[5]s; in the segkit repository workerd is node_modules/.bin/workerd):
  npx workerd serve workerd.capnp    # http://%[8]s (settings: bindings in workerd.capnp)
  npx wrangler dev                   # http://127.0.0.1:8787
  curl -s -X POST http://%[8]s/v1/assign -H 'Content-Type: application/json' \
    -d '{"customer": {...the model's input columns...}}'
`, res.ModelID, float64(res.WasmBytes)/1e6, float64(res.WasmGzip)/1e6, res.WasmGzip,
		res.Dir, edgebuild.EnvBearerToken, edgebuild.EnvAllowedOrigins, edgebuild.LocalAddr)
	return nil
}
