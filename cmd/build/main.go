// Command build is segkit's single entry point for building and checking the
// project:
//
//	go run ./cmd/build serve   # build the page into dist/ and serve it at http://127.0.0.1:8080
//	go run ./cmd/build dist    # build the page (static site) into dist/
//	go run ./cmd/build generate # regenerate web/*_gen.go from the .vugu files
//	go run ./cmd/build test    # every check CI runs: gofmt, vet, unit tests (-race), core under js/wasm, e2e in chromium
//	go run ./cmd/build bench   # Go benchmarks plus the scikit-learn peer, ratios into bench-out/
//	go run ./cmd/build bench -browser # the page in headless Chromium vs ml-kmeans and scikit-learn, into bench-out/browser.json
//	go run ./cmd/build bench-dbscan # DBSCAN against the npm library density-clustering
//	go run ./cmd/build quality # every algorithm's ARI on the labelled benchmark sets against scikit-learn
//	go run ./cmd/build worker --model FILE --out DIR # the edge worker for a model, ready for wrangler deploy
//	go run ./cmd/build loadtest # the edge worker in local workerd: latency, requests/s, memory
//
// Each target installs or checks what it needs on a fresh Debian machine
// before it starts, and stops at the first failing step with a non-zero exit.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// target is one thing `go run ./cmd/build` can do.
type target struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var targets = map[string]target{
	"test":         {"gofmt, vet (native and js/wasm), unit tests with -race, core tests under js/wasm, dependency rules", runTest},
	"bench":        {"benchmarks: parsing and k-means ladders, k-means against scikit-learn in the same run (-browser: the page in Chromium)", runBench},
	"bench-dbscan": {"DBSCAN 100k×2 against the npm library density-clustering, same rows, ratio (-full: npm on every row)", runBenchDBSCAN},
	"quality":      {"every algorithm on every labelled benchmark set, segkit and scikit-learn, ARI into docs/quality.md (-algos to choose)", runQuality},
	"dist":         {"build the page (UI and engine wasm, worker, sample, _headers) into dist/", runDist},
	"serve":        {"build dist/ and serve it at http://127.0.0.1:8080 (-addr) with the CSP header", runServe},
	"worker":       {"build the edge worker for a model (--model FILE --out DIR): build/, wrangler.toml, workerd.capnp", runWorker},
	"loadtest":     {"load test of the edge worker in local workerd: p50/p99, requests/s, memory over 50,000 requests", runLoadTest},
	"generate":     {"regenerate the Vugu components' *_gen.go files in web/ (vugugen + gofmt)", runGenerate},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	t, ok := targets[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "build: unknown target %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := t.run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "build %s: FAILED: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	names := make([]string, 0, len(targets))
	for n := range targets {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: go run ./cmd/build <target> [args]\n\ntargets:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-12s %s\n", n, targets[n].summary)
	}
	fmt.Fprint(os.Stderr, b.String())
}
