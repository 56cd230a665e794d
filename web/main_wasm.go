//go:build js && wasm

package main

import (
	"log"

	"github.com/segkit/segkit/wasm/engine/worker"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"
	"github.com/vugu/vugu/js"
)

// main starts the page's UI in a window; in a Web Worker (engine-worker.js
// loads this same binary, segkit.wasm, so a browser fetches and caches one
// file for both) it runs the engine instead.
func main() {
	if !js.Global().Get("document").Truthy() {
		worker.Run()
		return
	}
	renderer, err := domrender.New("#app")
	if err != nil {
		log.Fatal(err)
	}
	defer renderer.Release()
	buildEnv, err := vugu.NewBuildEnv(renderer.EventEnv())
	if err != nil {
		log.Fatal(err)
	}
	root := newRoot(renderer.EventEnv())
	if bridge := js.Global().Get("segkitWidget"); bridge.Truthy() {
		// Embedded by embed.js: widget.js carries the host's options and data.
		root.connectWidget(bridge)
	}
	go root.start()
	first := true
	for ok := true; ok; ok = renderer.EventWait() {
		if err := renderer.Render(buildEnv.RunBuild(root)); err != nil {
			log.Fatal(err)
		}
		if first {
			first = false
			js.Global().Get("performance").Call("mark", "segkit-first-render")
		}
	}
}
