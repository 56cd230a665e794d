//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains that the UI runs in a browser; the native build exists so
// that `go vet ./...` and the unit tests cover this package.
func main() {
	fmt.Fprintln(os.Stderr, "segkit web UI: build it for the browser with `go run ./cmd/build dist`")
	os.Exit(2)
}
