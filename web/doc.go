// Command web is segkit's page UI: Vugu components compiled to WebAssembly
// (segkit.wasm), mounted on index.html by main_wasm.go. It never runs the core
// on the page's thread: every file and fit goes to the engine in a dedicated
// Web Worker (wasm/engine), which is this same binary started by
// engine-worker.js (main_wasm.go picks the role), so the page's thread only
// draws and a browser fetches one wasm file, not two.
//
// Components are one per card: DataCard (bring a file), PreviewTable (what
// segkit sees), SettingsCard (columns, scaling, k, run, cancel, progress),
// ResultsCard (metrics, downloads) and SegmentCard (one segment). Root holds
// the state they share; handlers never block — they read what they need
// from the DOM, then work in a goroutine that locks the event environment
// to change the state and ask for a render.
//
// The same UI is the widget: in widget.html (embed.js's iframe) widget.js
// defines window.segkitWidget, and main_wasm.go then connects Root to it
// (widget.go): the host's options (mode, preset algorithm and k, columns,
// hidden steps, strings) and data come in, and load, progress, result and
// error events go out.
//
// Build it with `go run ./cmd/build dist`; regenerate the *_gen.go files with
// `go tool vugugen -skip-go-mod -skip-main ./web`.
package main
