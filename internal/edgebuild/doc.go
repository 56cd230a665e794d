// Package edgebuild builds the edge worker (wasm/edge/worker) into a
// deployable folder for a given model:
//
//	DIR/build/worker.mjs    the entry point (this package's worker.mjs: one Go runtime per isolate)
//	DIR/build/runtime.mjs   from `go tool workers-assets-gen -mode=go` (syumai/workers)
//	DIR/build/wasm_exec.js  from the same tool (Go's wasm_exec.js with the runtime context)
//	DIR/build/app.wasm      GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w", model embedded
//	DIR/wrangler.toml       for `npx wrangler deploy` and `npx wrangler dev`
//	DIR/workerd.capnp       for `workerd serve workerd.capnp` (127.0.0.1:8787)
//
// The model is embedded with go build -overlay, which go:embed honours: the
// overlay replaces wasm/edge/worker/model.json (the example model) with the
// given file for this one build, so the repository is never modified.
// Everything is written to a temporary folder beside DIR and renamed into
// place at the end, so a failed build leaves DIR as it was.
//
// `go run ./cmd/build worker` and the e2e tests build through Build, and
// WorkerdConfig writes the local runtime's configuration for both.
package edgebuild
