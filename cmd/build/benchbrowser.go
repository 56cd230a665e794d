package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
	"github.com/segkit/segkit/web/site"
)

// The browser benchmark's targets (the page issue, "Speed").
const (
	targetFirstRenderMS   = 1000  // first render of index.html on localhost, at most
	targetWasmBytes       = 1.5e6 // wasm bytes sent for a cold load of the page and its workers, at most
	targetParseMBPerS     = 50    // parsing a 100 MB CSV in the page, at least
	targetOverSKLearn     = 1.5   // segkit in wasm / scikit-learn native, at most
	targetMLKMeansOverOur = 4     // ml-kmeans / segkit in wasm, at least
)

// browserBenchDir is where the bench writes the site it serves (the built
// page plus the bench page, the ml-kmeans bundle and the generated data).
const browserBenchDir = "browser-site"

// The k-means problem of the native benchmark (benchKMeans).
const (
	benchD, benchK, benchSeed = 8, 8, 42
)

// benchBrowser builds the site, serves it with the bench page and the
// generated data on 127.0.0.1, drives headless Chromium through the
// measurements of the page issue (first render, wasm transfer size, parsing
// a 100 MB CSV in the page, k-means 1e6×8 in the engine against ml-kmeans in
// the same browser and scikit-learn natively, paired and interleaved, and
// the suggestion of k by the engine alone and with its helpers) and writes
// bench-out/browser.json.
func benchBrowser(ctx context.Context, out string, n, reps, parseMB int, helpers bool) error {
	if n < 100 || reps < 1 || parseMB < 1 {
		return fmt.Errorf("bench -browser: need -rows ≥ 100, -reps ≥ 1 and -parse-mb ≥ 1 (got %d, %d, %d)", n, reps, parseMB)
	}
	if err := ensureDebianPackage(ctx, "chromium", "chromium"); err != nil {
		return err
	}
	if err := ensureNodeModules(ctx); err != nil { // ml-kmeans and esbuild
		return err
	}
	rep := browserReport{Date: time.Now().UTC().Format(time.RFC3339), CPUs: runtime.NumCPU(), LoadBefore: loadAvg()}
	dir := filepath.Join(out, browserBenchDir)
	if err := buildBenchSite(ctx, dir); err != nil {
		return err
	}
	data, err := writeBenchData(filepath.Join(dir, "bench"), n, parseMB)
	if err != nil {
		return err
	}

	// The server: the site's own handler, so the same headers (CSP) and the
	// precompressed wasm.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	meter := &wasmMeter{next: site.Handler(dir)}
	srv := &http.Server{Handler: meter, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	fmt.Printf("==> serving %s at %s\n", dir, base)

	bctx, stop, err := startChromium(ctx)
	if err != nil {
		return err
	}
	defer stop()
	if v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{}); err == nil {
		rep.Chromium = v.Product
	}
	runs := max(reps, 3)
	if rep.Renders, err = measureFirstRender(bctx, base, meter, runs); err != nil {
		return err
	}

	// The bench page, in one tab for the rest.
	tctx, closeTab := chromedp.NewContext(bctx)
	defer closeTab()
	if err := chromedp.Do(tctx, chromedp.Navigate(base+"/bench/index.html")); err != nil {
		return err
	}
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](`document.documentElement.dataset.bench === 'ready'`,
		chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return fmt.Errorf("the bench page did not start: %w", err)
	}
	if rep.Transfer, err = measureTransfer(tctx); err != nil {
		return err
	}
	if rep.Parse, err = measureParse(tctx, data.parseRows, runs, helpers); err != nil {
		return err
	}
	if rep.KMeans, err = measureKMeans(ctx, tctx, data, reps, helpers); err != nil {
		return err
	}
	if rep.Suggest, err = measureSuggest(ctx, tctx, filepath.Join(dir, "bench"), reps); err != nil {
		return err
	}
	if _, err := pageCall[bool](tctx, `segkitBench.stop()`); err != nil {
		return err
	}
	rep.LoadAfter = loadAvg()

	if err := rep.summarize(); err != nil {
		return err
	}
	rep.print()
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(out, "browser.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("bench -browser: results in %s\n", path)
	return nil
}

// buildBenchSite builds the site into dir and puts the bench page beside it
// in dir/bench, with the ml-kmeans worker bundled by the pinned esbuild.
func buildBenchSite(ctx context.Context, dir string) error {
	if err := buildDist(ctx, dir); err != nil {
		return err
	}
	benchDir := filepath.Join(dir, "bench")
	if err := os.MkdirAll(benchDir, 0o755); err != nil {
		return err
	}
	for _, f := range []string{"index.html", "bench.js"} {
		if err := copyFile(filepath.Join("web", "bench", f), filepath.Join(benchDir, f)); err != nil {
			return err
		}
	}
	return step(ctx, "bundle ml-kmeans for the browser (esbuild)", nil, filepath.Join("node_modules", ".bin", "esbuild"),
		filepath.Join("web", "bench", "peer-worker.js"), "--bundle", "--format=iife", "--platform=browser",
		"--target=es2020", "--log-level=warning", "--outfile="+filepath.Join(benchDir, "peer-worker.js"))
}

// benchData is the generated data of a run.
type benchData struct {
	x         *matrix.Dense // the k-means rows, as every tool gets them
	f64       string        // the same rows as raw float64, for ml-kmeans and scikit-learn
	parseRows int           // rows of parse.csv
}

// writeBenchData writes into dir the native benchmark's k-means set as CSV
// (kmeans.csv, for the engine) and as raw float64 (kmeans.f64, for ml-kmeans
// and scikit-learn), rounded to the six decimals the CSV holds so that all
// three get the same numbers, and the parsing file (parse.csv, parseMB MB,
// as benchParse makes it).
func writeBenchData(dir string, n, parseMB int) (benchData, error) {
	fmt.Printf("==> generating the data (k-means %d×%d, parsing %d MB)\n", n, benchD, parseMB)
	x, _ := synth.Blobs(n, benchD, benchK, 1.5, benchSeed)
	roundTo6(x)
	data := benchData{x: x, f64: filepath.Join(dir, "kmeans.f64"), parseRows: parseMB * 1_000_000 / 85}
	if err := writeData(filepath.Join(dir, "kmeans.csv"), x, synth.WriteCSV); err != nil {
		return data, err
	}
	if err := writeData(data.f64, x, synth.WriteFloat64); err != nil {
		return data, err
	}
	px, _ := synth.Blobs(data.parseRows, 8, 8, 4, 1)
	return data, writeData(filepath.Join(dir, "parse.csv"), px, synth.WriteCSV)
}

// measureFirstRender opens index.html runs times, each in a fresh browser
// context (a cold cache), and counts the wasm bytes the server sent for
// each load: to the page and to every worker it starts.
func measureFirstRender(bctx context.Context, base string, meter *wasmMeter, runs int) ([]renderRun, error) {
	var out []renderRun
	for i := range runs {
		r, err := firstRender(bctx, base, meter)
		if err != nil {
			return nil, fmt.Errorf("first render %d: %w", i+1, err)
		}
		fmt.Printf("  first render %d: %.0f ms, engine ready %.0f ms; %d bytes of wasm sent for %d requests (%d workers)\n",
			i+1, r.FirstRenderMS, r.EngineReadyMS, r.WasmBytes, r.WasmRequests, r.Workers)
		out = append(out, r)
	}
	return out, nil
}

// measureTransfer has the bench page fetch the site's files afresh and
// reports what each cost on the wire.
func measureTransfer(tctx context.Context) ([]resourceSize, error) {
	sizes, err := pageCall[[]resourceSize](tctx, `segkitBench.transfer(['../segkit.wasm', '../wasm_exec.js', '../vugu-render.js', '../segkit.js', '../segkit.css', '../index.html'])`)
	if err != nil {
		return nil, err
	}
	for _, r := range sizes {
		fmt.Printf("  %-17s %9d bytes on the wire (%s), %9d decoded\n", r.Name, r.TransferSize, or(r.ContentEncoding, "identity"), r.DecodedBodySize)
	}
	return sizes, nil
}

// measureParse hands parse.csv to a fresh engine (with the helper workers
// the page starts, unless helpers is false) runs times.
func measureParse(tctx context.Context, rows, runs int, helpers bool) ([]loadRun, error) {
	if _, err := pageCall[json.RawMessage](tctx, fmt.Sprintf(`segkitBench.startEngine('../engine-worker.js', %v)`, helpers)); err != nil {
		return nil, err
	}
	var out []loadRun
	for i := range runs {
		l, err := pageCall[loadRun](tctx, `segkitBench.load('parse.csv')`)
		if err == nil {
			err = l.check(rows, 9)
		}
		if err != nil {
			return nil, fmt.Errorf("parse run %d: %w", i+1, err)
		}
		fmt.Printf("  parse %d: %.1f MB in %.3f s → %.1f MB/s (reading the Blob into the engine %.3f s, parsing %.3f s on %d workers)\n",
			i+1, float64(l.Bytes)/1e6, l.Seconds, l.mbPerS(), l.ReadSeconds, l.Seconds-l.ReadSeconds, l.Workers)
		out = append(out, l)
	}
	_, err := pageCall[bool](tctx, `segkitBench.forget('parse.csv')`)
	return out, err
}

// measureKMeans loads the k-means rows into a fresh engine (CSV) and into
// the ml-kmeans worker (float64), then runs reps rounds, one seed each, of
// the three tools in turn: segkit in the engine, ml-kmeans in the same
// browser, scikit-learn natively.
func measureKMeans(ctx, tctx context.Context, data benchData, reps int, helpers bool) (kmeansReport, error) {
	n, d, k := data.x.Rows, benchD, benchK
	tol := 1e-4 * meanVariance(data.x) // scikit-learn's tol=1e-4, made absolute as it does
	if _, err := pageCall[json.RawMessage](tctx, fmt.Sprintf(`segkitBench.startEngine('../engine-worker.js', %v)`, helpers)); err != nil {
		return kmeansReport{}, err
	}
	kl, err := pageCall[loadRun](tctx, `segkitBench.load('kmeans.csv')`)
	if err == nil {
		err = kl.check(n, d+1)
	}
	if err != nil {
		return kmeansReport{}, fmt.Errorf("loading the k-means file: %w", err)
	}
	rep := kmeansReport{N: n, D: d, K: k, Tolerance: tol, Load: kl}
	if _, err := pageCall[json.RawMessage](tctx, `segkitBench.startPeer()`); err != nil {
		return rep, err
	}
	if _, err := pageCall[json.RawMessage](tctx, fmt.Sprintf(`segkitBench.loadPeer('kmeans.f64', %d)`, d)); err != nil {
		return rep, err
	}
	cols := make([]string, d)
	for j := range cols {
		cols[j] = "x" + strconv.Itoa(j+1)
	}
	for r := range reps {
		p := kmeansPair{Seed: benchSeed + r}
		ours := func() (err error) {
			req, _ := json.Marshal(map[string]any{"algorithm": "kmeans", "k": k, "columns": cols, "scale": "none", "seed": p.Seed, "n_init": 1})
			p.Segkit, err = pageCall[engineFit](tctx, "segkitBench.fit("+string(req)+")")
			return err
		}
		js := func() (err error) {
			p.MLKMeans, err = pageCall[jsFit](tctx, fmt.Sprintf(`segkitBench.fitPeer({k: %d, seed: %d, tolerance: %g, maxIterations: 300})`, k, p.Seed, tol))
			return err
		}
		sk := func() (err error) {
			p.SKLearn, err = fitTheirs(ctx, data.f64, d, k, p.Seed)
			return err
		}
		// Interleaved: the order turns round every pair, so that no tool
		// always runs first (or last) on the shared machine.
		order := []func() error{ours, js, sk}
		p.Order = []string{"segkit-wasm", "ml-kmeans", "scikit-learn"}
		if r%2 == 1 {
			slices.Reverse(order)
			slices.Reverse(p.Order)
		}
		for _, f := range order {
			if err := f(); err != nil {
				return rep, fmt.Errorf("pair %d: %w", r+1, err)
			}
		}
		if err := p.check(n, k, cols); err != nil {
			return rep, fmt.Errorf("pair %d: %w", r+1, err)
		}
		fmt.Printf("  pair %d (seed %d): segkit-wasm %.3f s (wall %.3f s, %d it, %d workers), ml-kmeans %.3f s (%d it), scikit-learn %.3f s (%d it)\n",
			r+1, p.Seed, p.Segkit.Seconds, p.Segkit.WallSeconds, p.Segkit.Iterations, p.Segkit.Workers, p.MLKMeans.Seconds, p.MLKMeans.Iterations,
			p.SKLearn.Seconds, p.SKLearn.Iterations)
		rep.Pairs = append(rep.Pairs, p)
	}
	return rep, nil
}

// pageCall evaluates a call of the bench page's API and decodes its result.
func pageCall[T any](ctx context.Context, expr string) (T, error) {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, fmt.Errorf("%s: %w", expr, err)
	}
	return v, nil
}

// startChromium starts Debian's headless Chromium with a fresh profile, as
// the e2e tests do; stop ends it and removes the profile.
func startChromium(ctx context.Context) (context.Context, func(), error) {
	bin := "/usr/lib/chromium/chromium" // the binary itself, not the launcher that adds Google's API keys
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("chromium"); err != nil {
			return nil, nil, errors.New("chromium is missing: apt-get install -y chromium")
		}
	}
	profile, err := os.MkdirTemp("", "segkit-bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancel := chromedp.NewContext(actx)
	stop := func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(bctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("chromium did not start: %w", err)
	}
	return bctx, stop, nil
}

// renderScript reads, after the page is up, its marks (set by web/ and
// relative to navigation start) and what each resource cost on the wire.
const renderScript = `(() => {
	const mark = (n) => { const e = performance.getEntriesByName(n, 'mark')[0]; return e ? e.startTime : -1; };
	const size = (e, name) => ({name, transfer_size: e.transferSize, encoded_body_size: e.encodedBodySize, decoded_body_size: e.decodedBodySize});
	const nav = performance.getEntriesByType('navigation')[0];
	return {
		first_render_ms: mark('segkit-first-render'),
		engine_ready_ms: mark('segkit-engine-ready'),
		cores: navigator.hardwareConcurrency || 1,
		dom_content_loaded_ms: nav.domContentLoadedEventEnd,
		file_input: document.querySelector('#file-input') !== null,
		resources: [size(nav, 'index.html'), ...performance.getEntriesByType('resource').map((e) => size(e, new URL(e.name).pathname.slice(1)))],
	};
})()`

// firstRender opens index.html in a fresh browser context (nothing cached)
// and waits for the UI (#file-input), the engine worker and its helpers to
// be ready; meter counts the wasm the server sent meanwhile.
func firstRender(bctx context.Context, base string, meter *wasmMeter) (renderRun, error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	var r renderRun
	meter.take()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		return r, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#file-input') !== null && performance.getEntriesByName('segkit-engine-ready').length > 0`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return r, fmt.Errorf("the page did not come up: %w", err)
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[renderRun](renderScript))
	if err != nil {
		return r, err
	}
	// The page, the engine and its helpers each fetch the binary once (the
	// page starts min(cores, 4) − 1 helpers, web/engine.go); wait for the
	// last request to be answered.
	r.Workers = max(min(r.Cores, 4), 1)
	want := int64(1 + r.Workers)
	for deadline := time.Now().Add(time.Minute); meter.requests() < want; {
		if time.Now().After(deadline) {
			return r, fmt.Errorf("%d of the %d wasm requests of the page and its workers answered within a minute", meter.requests(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.WasmBytes, r.WasmRequests = meter.take()
	return r, r.check()
}

// wasmMeter is the bench server's handler: the site's, counting the body
// bytes and the answered requests of its .wasm files.
type wasmMeter struct {
	next  http.Handler
	bytes atomic.Int64
	done  atomic.Int64
}

// ServeHTTP serves the request and counts it when it is for a .wasm file.
func (m *wasmMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, ".wasm") {
		m.next.ServeHTTP(w, r)
		return
	}
	m.next.ServeHTTP(countingWriter{w, &m.bytes}, r)
	m.done.Add(1)
}

// requests returns the .wasm requests answered since the last take.
func (m *wasmMeter) requests() int64 { return m.done.Load() }

// take returns the .wasm bytes sent and requests answered since the last
// take, and starts counting afresh.
func (m *wasmMeter) take() (bytes, requests int64) {
	return m.bytes.Swap(0), m.done.Swap(0)
}

// countingWriter adds the body bytes written through it to n.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	k, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(k))
	return k, err
}

// writeData writes x to path with one of synth's writers.
func writeData(path string, x *matrix.Dense, write func(w io.Writer, x *matrix.Dense) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f, x); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// roundTo6 rounds every value to the six decimals synth.WriteCSV writes, so
// that the CSV and the raw float64 file hold the same numbers.
func roundTo6(x *matrix.Dense) {
	for i, v := range x.Data {
		x.Data[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'f', 6, 64), 64)
	}
}

// meanVariance is the mean over the columns of their (population)
// variance, the scale of scikit-learn's relative tolerance.
func meanVariance(x *matrix.Dense) float64 {
	var total float64
	for j := range x.Cols {
		var mean, m2 float64
		for i := range x.Rows {
			v := x.At(i, j)
			delta := v - mean
			mean += delta / float64(i+1)
			m2 += delta * (v - mean)
		}
		total += m2 / float64(x.Rows)
	}
	return total / float64(x.Cols)
}

// loadAvg is the machine's load average (1, 5, 15 minutes), or "" off Linux.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// finitePositive reports whether every value is a finite number above zero.
func finitePositive(v ...float64) bool {
	for _, x := range v {
		if !(x > 0) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// browserReport is bench-out/browser.json.
type browserReport struct {
	Date       string `json:"date"`
	Chromium   string `json:"chromium"`
	CPUs       int    `json:"cpus"`
	LoadBefore string `json:"load_before"` // load average at the start, 1/5/15 minutes
	LoadAfter  string `json:"load_after"`

	Renders     []renderRun    `json:"first_render_runs"`
	Transfer    []resourceSize `json:"transfer"`
	Parse       []loadRun      `json:"parse_runs"`
	KMeans      kmeansReport   `json:"kmeans"`
	Suggest     suggestReport  `json:"suggest"`
	FirstRender stat           `json:"first_render_ms"`
	EngineReady stat           `json:"engine_ready_ms"`
	WasmBytes   int64          `json:"wasm_bytes"` // the most wasm sent for one cold load (page and workers)
	ParseMBPerS stat           `json:"parse_mb_per_s"`
	Targets     []goal         `json:"targets"`
}

// renderRun is one cold load of index.html; times in ms from navigation start.
type renderRun struct {
	FirstRenderMS      float64        `json:"first_render_ms"`
	EngineReadyMS      float64        `json:"engine_ready_ms"`
	DOMContentLoadedMS float64        `json:"dom_content_loaded_ms"`
	FileInput          bool           `json:"file_input"`
	Resources          []resourceSize `json:"resources"`
	Cores              int            `json:"cores"`         // navigator.hardwareConcurrency
	Workers            int            `json:"workers"`       // the engine and its helpers
	WasmBytes          int64          `json:"wasm_bytes"`    // .wasm body bytes the server sent for this load
	WasmRequests       int64          `json:"wasm_requests"` // .wasm requests it answered (304s included)
}

// check refuses a run whose marks are missing or not times.
func (r renderRun) check() error {
	switch {
	case !r.FileInput:
		return errors.New("no #file-input in the page")
	case !finitePositive(r.FirstRenderMS, r.EngineReadyMS, r.DOMContentLoadedMS):
		return fmt.Errorf("marks missing or not positive: first render %v ms, engine ready %v ms, DOMContentLoaded %v ms",
			r.FirstRenderMS, r.EngineReadyMS, r.DOMContentLoadedMS)
	}
	return nil
}

// resourceSize is what one file cost on the wire (resource timing).
type resourceSize struct {
	Name            string `json:"name"`
	TransferSize    int64  `json:"transfer_size"`     // bytes received, headers included
	EncodedBodySize int64  `json:"encoded_body_size"` // the body as sent (compressed)
	DecodedBodySize int64  `json:"decoded_body_size"`
	ContentEncoding string `json:"content_encoding,omitempty"`
}

// loadRun is one file handed to the engine and parsed.
type loadRun struct {
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"` // from posting the Blob to the inspection
	// ReadSeconds is the time to the engine's first parse progress report:
	// the worker reading the Blob in chunks into the engine (±50 ms).
	ReadSeconds float64      `json:"read_seconds"`
	Rows        int          `json:"rows"`
	Skipped     int          `json:"skipped"`
	Workers     int          `json:"workers"` // the engine and the helpers that parsed a part
	Dbg         string       `json:"dbg"`
	Columns     []loadColumn `json:"columns"`
}

// loadColumn is a column as the engine inspected it.
type loadColumn struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Numeric bool   `json:"numeric"`
}

func (l loadRun) mbPerS() float64 { return float64(l.Bytes) / 1e6 / l.Seconds }

// check refuses a load that did not read the whole generated file.
func (l loadRun) check(rows, cols int) error {
	switch {
	case !finitePositive(l.Seconds) || l.Bytes <= 0:
		return fmt.Errorf("load of %d bytes in %v s", l.Bytes, l.Seconds)
	case l.Rows != rows || l.Skipped != 0:
		return fmt.Errorf("the engine read %d rows (%d skipped), want %d", l.Rows, l.Skipped, rows)
	case len(l.Columns) != cols:
		return fmt.Errorf("the engine found %d columns, want %d", len(l.Columns), cols)
	}
	for _, c := range l.Columns[1:] {
		if !c.Numeric {
			return fmt.Errorf("column %q inferred as %s, want a number", c.Name, c.Type)
		}
	}
	return nil
}

// engineFit is one k-means fit in the engine, as the page runs it.
type engineFit struct {
	Seconds     float64 `json:"seconds"`      // the engine's Metrics.Seconds: the k-means fit
	WallSeconds float64 `json:"wall_seconds"` // posting the fit message to its answer: preparation, fit, indices, profile
	// LastFitReport is when the last progress report of the k-means
	// iterations arrived, from posting the fit message.
	LastFitReport float64  `json:"last_fit_report_seconds"`
	Iterations    int      `json:"iterations"`
	Workers       int      `json:"workers"` // Web Workers the fit ran on: the engine and its helpers
	Converged     bool     `json:"converged"`
	Inertia       float64  `json:"inertia"`
	Rows          int      `json:"rows"`
	K             int      `json:"k"`
	Columns       []string `json:"columns"`
	Logged        []string `json:"logged"`
	Scale         string   `json:"scale"`
}

// jsFit is one ml-kmeans fit in its worker.
type jsFit struct {
	Seconds    float64 `json:"seconds"`
	Iterations int     `json:"iterations"`
	Converged  bool    `json:"converged"`
	Inertia    float64 `json:"inertia"`
	Rows       int     `json:"rows"`
}

// kmeansReport is the k-means part of the report.
type kmeansReport struct {
	N         int          `json:"n"`
	D         int          `json:"d"`
	K         int          `json:"k"`
	Tolerance float64      `json:"ml_kmeans_tolerance"` // scikit-learn's tol=1e-4 times the mean variance
	Load      loadRun      `json:"load"`                // the k-means CSV into the engine
	Pairs     []kmeansPair `json:"pairs"`
	Ratios    []ratio      `json:"ratios"`
}

// kmeansPair is one interleaved round of the three tools on one seed.
type kmeansPair struct {
	Seed     int       `json:"seed"`
	Order    []string  `json:"order"`
	Segkit   engineFit `json:"segkit_wasm"`
	MLKMeans jsFit     `json:"ml_kmeans"`
	SKLearn  peerRun   `json:"scikit_learn"`
}

// inertiaSlack is how far a tool's inertia may lie from scikit-learn's on
// the same data and seed: the starts differ, so the local optima may too,
// but by far less than a tool fed other numbers (or a wrong column) would.
const inertiaSlack = 0.10

// check refuses a pair in which a tool did not solve the benchmark's
// problem: every row, the right columns unscaled and unlogged, times and
// inertias that are numbers, inertias close to scikit-learn's.
func (p kmeansPair) check(n, k int, cols []string) error {
	s, m, t := p.Segkit, p.MLKMeans, p.SKLearn
	switch {
	case !finitePositive(s.Seconds, s.WallSeconds, s.Inertia) || s.Iterations < 1:
		return fmt.Errorf("segkit-wasm: %v s (wall %v s), %d iterations, inertia %v", s.Seconds, s.WallSeconds, s.Iterations, s.Inertia)
	case s.Rows != n || s.K != k || !slices.Equal(s.Columns, cols) || len(s.Logged) > 0 || s.Scale != "none":
		return fmt.Errorf("segkit-wasm fitted %d rows, k = %d, columns %q (logged %q), scale %q; want %d rows, k = %d, columns %q unlogged, scale none",
			s.Rows, s.K, s.Columns, s.Logged, s.Scale, n, k, cols)
	case !finitePositive(m.Seconds, m.Inertia) || m.Iterations < 1 || m.Rows != n:
		return fmt.Errorf("ml-kmeans: %v s, %d iterations, inertia %v, %d rows", m.Seconds, m.Iterations, m.Inertia, m.Rows)
	case !finitePositive(t.Seconds, t.Inertia) || t.Iterations < 1:
		return fmt.Errorf("scikit-learn: %v s, %d iterations, inertia %v", t.Seconds, t.Iterations, t.Inertia)
	}
	for _, o := range []struct {
		name    string
		inertia float64
	}{{"segkit-wasm", s.Inertia}, {"ml-kmeans", m.Inertia}} {
		if math.Abs(o.inertia-t.Inertia) > inertiaSlack*t.Inertia {
			return fmt.Errorf("%s reached inertia %.6g, scikit-learn %.6g: more than %.0f%% apart, not the same problem",
				o.name, o.inertia, t.Inertia, 100*inertiaSlack)
		}
	}
	return nil
}

// stat is the median and range of repeated measurements.
type stat struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"`
}

func statOf(v []float64) stat {
	if len(v) == 0 {
		return stat{}
	}
	return stat{Median: median(v), Min: slices.Min(v), Max: slices.Max(v), N: len(v)}
}

// ratio compares the times of two tools over the pairs: Total is the ratio
// of the summed times (the figure that counts: each tool draws its own
// k-means++ start, so single pairs scatter), with the per-pair median and
// range and the ratio of the times per iteration.
type ratio struct {
	Name         string  `json:"name"`
	Total        float64 `json:"total"`
	PairMedian   float64 `json:"pair_median"`
	PairMin      float64 `json:"pair_min"`
	PairMax      float64 `json:"pair_max"`
	PerIteration float64 `json:"per_iteration"`
}

// ratioOf is the ratio num/den of two tools' times over the same pairs,
// with their iterations.
func ratioOf(name string, num, den []float64, numIt, denIt []int) (ratio, error) {
	if len(num) == 0 || len(num) != len(den) || len(num) != len(numIt) || len(num) != len(denIt) {
		return ratio{}, fmt.Errorf("%s: %d, %d times and %d, %d iteration counts: need the same number of pairs, at least one",
			name, len(num), len(den), len(numIt), len(denIt))
	}
	var sn, sd, in, id float64
	per := make([]float64, len(num))
	for i := range num {
		if !finitePositive(num[i], den[i]) || numIt[i] < 1 || denIt[i] < 1 {
			return ratio{}, fmt.Errorf("%s: pair %d has times %v and %v s, %d and %d iterations", name, i+1, num[i], den[i], numIt[i], denIt[i])
		}
		sn, sd = sn+num[i], sd+den[i]
		in, id = in+float64(numIt[i]), id+float64(denIt[i])
		per[i] = num[i] / den[i]
	}
	return ratio{Name: name, Total: sn / sd, PairMedian: median(per), PairMin: slices.Min(per), PairMax: slices.Max(per),
		PerIteration: (sn / in) / (sd / id)}, nil
}

// goal is one target of the page issue and whether this run met it.
type goal struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Target string  `json:"target"`
	Met    bool    `json:"met"`
}

// summarize computes the medians, ratios and targets from the runs.
func (r *browserReport) summarize() error {
	var fr, er, mbs []float64
	for _, x := range r.Renders {
		fr, er = append(fr, x.FirstRenderMS), append(er, x.EngineReadyMS)
	}
	for _, x := range r.Parse {
		mbs = append(mbs, x.mbPerS())
	}
	if len(fr) == 0 || len(mbs) == 0 || len(r.KMeans.Pairs) == 0 {
		return fmt.Errorf("bench -browser: %d renders, %d parse runs, %d k-means pairs: nothing to report", len(fr), len(mbs), len(r.KMeans.Pairs))
	}
	r.FirstRender, r.EngineReady, r.ParseMBPerS = statOf(fr), statOf(er), statOf(mbs)
	// The budget holds for every cold load: the largest one is reported.
	r.WasmBytes = 0
	for i, x := range r.Renders {
		if x.WasmBytes <= 0 || x.WasmRequests < int64(1+x.Workers) {
			return fmt.Errorf("bench -browser: cold load %d: %d bytes of wasm sent for %d requests, want at least one request from the page and each of its %d workers",
				i+1, x.WasmBytes, x.WasmRequests, x.Workers)
		}
		r.WasmBytes = max(r.WasmBytes, x.WasmBytes)
	}
	seen := 0
	for _, t := range r.Transfer {
		if strings.HasSuffix(t.Name, ".wasm") {
			if t.TransferSize <= 0 || t.EncodedBodySize <= 0 || t.DecodedBodySize < t.EncodedBodySize {
				return fmt.Errorf("bench -browser: %s: %d bytes transferred, %d encoded, %d decoded", t.Name, t.TransferSize, t.EncodedBodySize, t.DecodedBodySize)
			}
			seen++
		}
	}
	if seen != 1 {
		return fmt.Errorf("bench -browser: %d wasm files measured, want %s alone", seen, wasmName)
	}
	var ours, wall, js, sk []float64
	var oIt, jIt, sIt []int
	for _, p := range r.KMeans.Pairs {
		ours, wall, js, sk = append(ours, p.Segkit.Seconds), append(wall, p.Segkit.WallSeconds), append(js, p.MLKMeans.Seconds), append(sk, p.SKLearn.Seconds)
		oIt, jIt, sIt = append(oIt, p.Segkit.Iterations), append(jIt, p.MLKMeans.Iterations), append(sIt, p.SKLearn.Iterations)
	}
	r.KMeans.Ratios = nil
	for _, c := range []struct {
		name        string
		num, den    []float64
		numIt, duIt []int
	}{
		{"segkit-wasm / scikit-learn", ours, sk, oIt, sIt},
		{"segkit-wasm (wall) / scikit-learn", wall, sk, oIt, sIt},
		{"ml-kmeans / segkit-wasm", js, ours, jIt, oIt},
		{"ml-kmeans / segkit-wasm (wall)", js, wall, jIt, oIt},
	} {
		q, err := ratioOf(c.name, c.num, c.den, c.numIt, c.duIt)
		if err != nil {
			return err
		}
		r.KMeans.Ratios = append(r.KMeans.Ratios, q)
	}
	rs := r.KMeans.Ratios
	r.Targets = []goal{
		{"first render (median)", r.FirstRender.Median, "ms", fmt.Sprintf("≤ %d ms", targetFirstRenderMS), r.FirstRender.Median <= targetFirstRenderMS},
		{"wasm on the wire (a cold load, page and workers)", float64(r.WasmBytes) / 1e6, "MB", fmt.Sprintf("≤ %.1f MB", targetWasmBytes/1e6), float64(r.WasmBytes) <= targetWasmBytes},
		{"parsing in the page (median)", r.ParseMBPerS.Median, "MB/s", fmt.Sprintf("≥ %d MB/s", targetParseMBPerS), r.ParseMBPerS.Median >= targetParseMBPerS},
		{"k-means: segkit-wasm / scikit-learn native", rs[0].Total, "×", fmt.Sprintf("≤ %.1f×", targetOverSKLearn), rs[0].Total <= targetOverSKLearn},
		{"k-means: ml-kmeans / segkit-wasm", rs[2].Total, "×", fmt.Sprintf("≥ %d×", targetMLKMeansOverOur), rs[2].Total >= targetMLKMeansOverOur},
	}
	return nil
}

// print writes the summary for people.
func (r *browserReport) print() {
	fmt.Printf("browser benchmark (%s, %d CPUs, load %s → %s):\n", r.Chromium, r.CPUs, r.LoadBefore, r.LoadAfter)
	fmt.Printf("  first render %.0f ms median (%.0f–%.0f, %d cold loads); engine ready %.0f ms (%.0f–%.0f)\n",
		r.FirstRender.Median, r.FirstRender.Min, r.FirstRender.Max, r.FirstRender.N, r.EngineReady.Median, r.EngineReady.Min, r.EngineReady.Max)
	fmt.Printf("  wasm on the wire: %.2f MB at most for a cold load (%s to the page and to each worker)\n", float64(r.WasmBytes)/1e6, wasmName)
	fmt.Printf("  parsing %.1f MB in the page: %.1f MB/s median (%.1f–%.1f, %d runs)\n",
		float64(r.Parse[0].Bytes)/1e6, r.ParseMBPerS.Median, r.ParseMBPerS.Min, r.ParseMBPerS.Max, r.ParseMBPerS.N)
	km := r.KMeans
	var o, w, j, s []float64
	for _, p := range km.Pairs {
		o, w, j, s = append(o, p.Segkit.Seconds), append(w, p.Segkit.WallSeconds), append(j, p.MLKMeans.Seconds), append(s, p.SKLearn.Seconds)
	}
	fmt.Printf("  k-means %d×%d, k = %d, n_init 1, %d interleaved seeds (medians): segkit-wasm %.3f s (wall %.3f s), ml-kmeans %.3f s, scikit-learn %.3f s\n",
		km.N, km.D, km.K, len(km.Pairs), median(o), median(w), median(j), median(s))
	for _, q := range km.Ratios {
		fmt.Printf("  %-34s %.2f× over all pairs (per pair median %.2f×, %.2f–%.2f×; per iteration %.2f×)\n",
			q.Name, q.Total, q.PairMedian, q.PairMin, q.PairMax, q.PerIteration)
	}
	r.Suggest.print()
	fmt.Println("  targets:")
	for _, t := range r.Targets {
		met := "NOT met"
		if t.Met {
			met = "met"
		}
		fmt.Printf("    %-44s %8.2f %-4s (target %s): %s\n", t.Name, t.Value, t.Unit, t.Target, met)
	}
}
