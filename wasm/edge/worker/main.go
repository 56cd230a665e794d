//go:build js && wasm

// Command worker is the edge endpoint (package edge) as a Cloudflare Worker,
// built with github.com/syumai/workers for standard Go's js/wasm.
//
// The model is compiled in, as Go source: model_gen.go holds the example
// model (k-means, K 3, on the UCI Wholesale customers file; generated from
// model.json in this folder by internal/edgebuild) as a model.Model literal,
// which model.FromFields checks and prepares when the instance starts.
// `go run ./cmd/build worker --model FILE --out DIR` replaces model_gen.go
// with the source of FILE through go build -overlay, so the repository is
// never modified by a build. Reading the model this way, and the requests
// with internal/jsonval, keeps encoding/json out of the binary (see
// docs/performance.md, "The edge worker").
//
// One Go instance serves every request of an isolate: main sets the handler
// with workers.ServeNonBlock, signals workers.Ready and then blocks, instead
// of workers.Serve, which ends the program after the first answer and makes
// the library's worker.mjs start a new Go runtime for every request. The
// worker.mjs that internal/edgebuild writes keeps that instance (and starts
// a new one only if it has exited). See bridge.go for how bodies cross to
// and from JavaScript without the library's stream adapters, whose js.Func
// callbacks are never released.
//
// Settings come from the Worker's environment, read once when the instance
// starts:
//
//	SEGKIT_ALLOWED_ORIGINS  a var: origins allowed by CORS, comma-separated
//	                        ("https://shop.example,https://www.shop.example",
//	                        or "*"); empty or unset: no CORS headers
//	SEGKIT_BEARER_TOKEN     a secret: when set, every /v1/ request must carry
//	                        "Authorization: Bearer <token>"
package main

import (
	"fmt"
	"os"
	"strings"

	"net/http"

	"github.com/segkit/segkit/core/model"
	"github.com/segkit/segkit/wasm/edge"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

// Names of the Worker variables and secrets the worker reads; the same
// names as internal/edgebuild's (which this package does not import: it
// runs commands), checked by the e2e test that sets them.
const (
	EnvAllowedOrigins = "SEGKIT_ALLOWED_ORIGINS"
	EnvBearerToken    = "SEGKIT_BEARER_TOKEN"
)

func main() {
	h, err := handler()
	if err != nil {
		// Printed to the Worker's log; the worker answers 500 JSON while
		// the instance is gone (see worker.mjs).
		fmt.Fprintln(os.Stderr, "segkit edge:", err)
		os.Exit(1)
	}
	workers.ServeNonBlock(bridge{h})
	workers.Ready()
	select {}
}

// handler checks the compiled-in model and builds the endpoint with the
// settings of the Worker's environment.
func handler() (http.Handler, error) {
	m, err := model.FromFields(modelFields)
	if err != nil {
		return nil, fmt.Errorf("embedded model: %w", err)
	}
	opt := edge.Options{
		AllowedOrigins: splitList(cloudflare.Getenv(EnvAllowedOrigins)),
		BearerToken:    strings.TrimSpace(cloudflare.Getenv(EnvBearerToken)),
	}
	return edge.New(m, opt)
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
