package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/web/site"
)

// benchFiles returns the files of the browser benchmark's page as `go run
// ./cmd/build bench -browser` serves them beside the site: web/bench's page
// and script, the ml-kmeans worker bundled with the pinned esbuild, and a
// tiny data set in both of the bench's formats — two groups of four points,
// (0,0) (0,1) (1,0) (1,1) and the same moved by (10,10), so that k = 2 has
// the centres (0.5, 0.5) and (10.5, 10.5) and the inertia 8 × 0.5 = 4.
func benchFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range []string{"index.html", "bench.js"} {
		b, err := os.ReadFile(filepath.Join("..", "web", "bench", f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = b
	}
	esbuild := filepath.Join("..", "node_modules", ".bin", "esbuild")
	if _, err := os.Stat(esbuild); err != nil {
		t.Fatalf("esbuild is missing (%v): run `npm ci --no-audit --no-fund` at the repository root (go run ./cmd/build test does)", err)
	}
	out := filepath.Join(t.TempDir(), "peer-worker.js")
	cmd := exec.Command(esbuild, filepath.Join("..", "web", "bench", "peer-worker.js"), "--bundle", "--format=iife",
		"--platform=browser", "--target=es2020", "--log-level=warning", "--outfile="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bundling the ml-kmeans worker: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	files["peer-worker.js"] = b
	var csv bytes.Buffer
	var f64 bytes.Buffer
	csv.WriteString("id,x1,x2\n")
	for i, p := range [][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {10, 10}, {10, 11}, {11, 10}, {11, 11}} {
		fmt.Fprintf(&csv, "C%03d,%g,%g\n", i+1, p[0], p[1])
		binary.Write(&f64, binary.LittleEndian, p[:])
	}
	files["tiny.csv"], files["tiny.f64"] = csv.Bytes(), f64.Bytes()
	return files
}

// serveBench answers the tab's requests for /bench/* from files through the
// DevTools protocol, with the site's headers (its Content-Security-Policy
// included): the bench page is not part of dist/, and the network log of the
// run admits only dist/'s files, so these requests never reach the server.
func serveBench(t *testing.T, ctx context.Context, files map[string][]byte) {
	t.Helper()
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: siteURL + "/bench/*"}}}); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".csv": "text/csv; charset=utf-8", ".f64": "application/octet-stream"}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			name := path.Base(strings.SplitN(ev.Request.URL, "?", 2)[0])
			body, ok := files[name]
			code := int64(http.StatusOK)
			if !ok {
				code, body = http.StatusNotFound, []byte("not a file of the bench page")
			}
			headers := []*fetch.HeaderEntry{{Name: "Content-Type", Value: types[path.Ext(name)]}}
			for k, v := range site.Headers {
				headers = append(headers, &fetch.HeaderEntry{Name: k, Value: v})
			}
			chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: code,
				ResponseHeaders: headers, Body: body})
		}
	}()
}

// benchCall evaluates a call of the bench page's API.
func benchCall[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// wasmBudget is the most wasm a cold load of the page may transfer (the
// page issue: 1.5 MB).
const wasmBudget = 1_500_000

// TestBenchPage loads the browser benchmark's page under the site's
// Content-Security-Policy and runs each of its measurements once on a tiny
// file with a known answer: the engine (load and k-means, as the page runs
// it), ml-kmeans in its worker, and the transfer sizes. Any exception or
// CSP violation in the console fails it (tab).
func TestBenchPage(t *testing.T) {
	files := benchFiles(t)
	ctx := tab(t, time.Minute)
	serveBench(t, ctx, files)
	// The bench measures the network: the offline copy's service worker,
	// registered by the page in earlier tests of this browser, would answer
	// instead (go run ./cmd/build bench opens the bench page in a browser
	// context of its own, where no page has run).
	if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: siteURL, StorageTypes: "service_workers,cache_storage"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/bench/index.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the bench page", `document.documentElement.dataset.bench === 'ready'`)

	benchCall[json.RawMessage](t, ctx, `segkitBench.startEngine()`)
	load := benchCall[struct {
		Bytes, Rows int
		Columns     []struct{ Name, Type string }
	}](t, ctx, `segkitBench.load('tiny.csv')`)
	if load.Bytes != len(files["tiny.csv"]) || load.Rows != 8 || len(load.Columns) != 3 || load.Columns[2].Name != "x2" || load.Columns[2].Type != "integer" {
		t.Errorf("load: %+v", load)
	}
	type engineFit struct {
		Seconds     float64  `json:"seconds"`
		WallSeconds float64  `json:"wall_seconds"`
		Inertia     float64  `json:"inertia"`
		Iterations  int      `json:"iterations"`
		Rows        int      `json:"rows"`
		K           int      `json:"k"`
		Columns     []string `json:"columns"`
		Scale       string   `json:"scale"`
	}
	fit := benchCall[engineFit](t, ctx, `segkitBench.fit({algorithm: 'kmeans', k: 2, columns: ['x1', 'x2'], scale: 'none', seed: 1, n_init: 1})`)
	if fit.Rows != 8 || fit.K != 2 || fit.Scale != "none" || math.Abs(fit.Inertia-4) > 1e-9 || fit.Iterations < 1 || !(fit.WallSeconds >= fit.Seconds) {
		t.Errorf("segkit fit: %+v, want 8 rows, k = 2, inertia 4", fit)
	}

	benchCall[json.RawMessage](t, ctx, `segkitBench.startPeer()`)
	if got := benchCall[struct{ Rows int }](t, ctx, `segkitBench.loadPeer('tiny.f64', 2)`); got.Rows != 8 {
		t.Errorf("ml-kmeans loaded %d rows, want 8", got.Rows)
	}
	peer := benchCall[struct {
		Seconds, Inertia float64
		Iterations, Rows int
	}](t, ctx, `segkitBench.fitPeer({k: 2, seed: 1, tolerance: 1e-6, maxIterations: 300})`)
	if peer.Rows != 8 || math.Abs(peer.Inertia-4) > 1e-9 || peer.Iterations < 1 || peer.Seconds < 0 {
		t.Errorf("ml-kmeans fit: %+v, want 8 rows, inertia 4", peer)
	}

	sizes := benchCall[[]struct {
		Name            string `json:"name"`
		TransferSize    int64  `json:"transfer_size"`
		EncodedBodySize int64  `json:"encoded_body_size"`
		DecodedBodySize int64  `json:"decoded_body_size"`
		ContentEncoding string `json:"content_encoding"`
	}](t, ctx, `segkitBench.transfer(['../segkit.wasm'])`)
	raw, err := os.Stat(filepath.Join(distDir, "segkit.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	// Chromium accepts brotli, even on plain http to 127.0.0.1, so it gets
	// the .br copy that dist makes with Node.
	br, err := os.Stat(filepath.Join(distDir, "segkit.wasm.br"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 1 || sizes[0].ContentEncoding != "br" || sizes[0].EncodedBodySize != br.Size() || sizes[0].DecodedBodySize != raw.Size() ||
		sizes[0].TransferSize <= br.Size() {
		t.Errorf("transfer %+v, want the brotli copy (%d bytes) of segkit.wasm (%d bytes)", sizes, br.Size(), raw.Size())
	}
	// The page issue's budget: at most 1.5 MB of wasm on the wire for a
	// cold load, which sends the binary once (TestNetworkLog).
	if br.Size() > wasmBudget {
		t.Errorf("segkit.wasm is %d bytes with brotli, over the page's budget of %d", br.Size(), wasmBudget)
	}
	benchCall[bool](t, ctx, `segkitBench.stop()`)
}
