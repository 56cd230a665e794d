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
// The model is compiled in as Go source: Build decodes and checks the model
// file natively, writes it as a model.Model literal (ModelSource, a small
// reflect-based generator) and builds with go build -overlay, which puts
// that source in place of wasm/edge/worker/model_gen.go (the example model)
// for this one build, so the repository is never modified. The worker
// hands the literal to model.FromFields, the checks of model.Decode without
// the JSON, so encoding/json is not linked into app.wasm.
// Everything is written to a temporary folder beside DIR and renamed into
// place at the end, so a failed build leaves DIR as it was.
//
// `go run ./cmd/build worker` and the e2e tests build through Build, and
// WorkerdConfig writes the local runtime's configuration for both.
package edgebuild
