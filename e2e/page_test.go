package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/color"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// open loads the page and waits until the engine worker is ready; it
// returns the time to the UI's first render, in milliseconds.
func open(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/")); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	waitJS(t, wctx, "the engine to be ready", `document.querySelector('#app')?.dataset.engine === 'ready'`)
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`['segkit-first-render', 'segkit-engine-ready'].map(n => performance.getEntriesByName(n)[0].startTime)`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first render %.0f ms, engine ready %.0f ms after navigation start", ms[0], ms[1])
	return ms[0]
}

// waitJS polls a JavaScript expression until it is true.
// waitHelpers waits until the page has handed its helper workers to the
// engine (the performance mark web/engine.go sets), when the browser has
// more than one core to start them on: the page works alone until then,
// which a test that counts workers must not race.
func waitHelpers(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, "the helper workers", `navigator.hardwareConcurrency < 2 || performance.getEntriesByName('segkit-helpers-ready').length > 0`)
}

func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
		text, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.Evaluate[string](`document.getElementById('app').innerText`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, text)
	}
}

// chooseColumns ticks exactly the named columns (by clicking, so the page
// sees the change).
func chooseColumns(t *testing.T, ctx context.Context, names ...string) {
	t.Helper()
	q := fmt.Sprintf(`(() => {
		const want = %s;
		for (const cb of document.querySelectorAll('#columns input[type=checkbox]')) {
			if (cb.checked !== want.includes(cb.value)) cb.click();
		}
		return [...document.querySelectorAll('#columns input:checked')].map(cb => cb.value);
	})()`, jsStrings(names))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](q))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, names) {
		t.Fatalf("chosen columns %q, want %q", got, names)
	}
}

func jsStrings(s []string) string {
	var b strings.Builder
	b.WriteString("[")
	for i, v := range s {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q", v)
	}
	b.WriteString("]")
	return b.String()
}

// setNumber types a value into a number field.
func setNumber(t *testing.T, ctx context.Context, id, v string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID(id), v)); err != nil {
		t.Fatal(err)
	}
}

func segmentSizes(t *testing.T, ctx context.Context) []int {
	t.Helper()
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll('#segments [data-segment]')].map(e => +e.dataset.size)`))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(sizes)
	return sizes
}

// TestJourney is the whole journey on Mall_Customers.csv: upload, choose the
// two columns, k = 5, run, five segments of the sizes scikit-learn finds
// (22, 23, 35, 39, 81 for every seed), and the labelled rows downloaded.
func TestJourney(t *testing.T) {
	mall := shareddata.Path(t, "Mall_Customers.csv")
	ctx := tab(t, 3*time.Minute)
	firstRender := open(t, ctx)
	os.WriteFile(filepath.Join(artifactsDir, "first-render-ms.txt"), fmt.Appendf(nil, "%.0f\n", firstRender), 0o644)
	screenshot(t, ctx, "1-start")

	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{mall})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	types, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#preview th')].map(th => th.dataset.type)`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(types, []string{"identifier", "categorical", "integer", "integer", "integer"}) {
		t.Errorf("column types %q", types)
	}
	chooseColumns(t, ctx, "Annual Income (k$)", "Spending Score (1-100)")
	setNumber(t, ctx, "k", "5")
	screenshot(t, ctx, "2-preview")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "five segments", `document.querySelectorAll('#segments [data-segment]').length === 5`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, []int{22, 23, 35, 39, 81}) {
		t.Errorf("segment sizes %v, want 22 23 35 39 81", got)
	}
	metrics, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("metrics")))
	if err != nil || !strings.Contains(metrics, "Silhouette") {
		t.Errorf("metrics %q (%v)", metrics, err)
	}
	// The scatter: one point per row, in one colour per segment, with a
	// hover note naming the segment and the row.
	sc, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Points  int      `json:"points"`
		Colours []string `json:"colours"`
		Title   string   `json:"title"`
		XLabel  string   `json:"xlabel"`
	}](`(() => {
		const pts = [...document.querySelectorAll('#chart-scatter .points circle')];
		return {points: pts.length, colours: [...new Set(pts.map(c => c.getAttribute('fill')))].sort(),
			title: pts[0]?.querySelector('title')?.textContent || '',
			xlabel: [...document.querySelectorAll('#chart-scatter text')].map(t => t.textContent).find(s => s.startsWith('first principal')) || ''};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Points != 200 || len(sc.Colours) != 5 {
		t.Errorf("scatter: %d points in colours %q, want 200 points in 5 colours", sc.Points, sc.Colours)
	}
	if !strings.Contains(sc.Title, "row 1 ·") || !strings.Contains(sc.XLabel, "% of the variance") {
		t.Errorf("scatter hover note %q, axis label %q", sc.Title, sc.XLabel)
	}
	// The profile table, the cards' rules and the silhouette plot.
	desc, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Rows   int               `json:"rows"`
		Levels map[string]string `json:"levels"`
		Rules  []int             `json:"rules"`
		Bands  int               `json:"bands"`
	}](`(() => {
		const levels = {};
		for (const tr of document.querySelectorAll('#profile-table tbody tr[data-profile-segment]')) {
			levels[tr.querySelector('th').textContent] = [...tr.querySelectorAll('td[data-level]')].map(td => td.dataset.level || '-').join(',');
		}
		return {rows: document.querySelectorAll('#profile-table tbody tr').length, levels,
			rules: [...document.querySelectorAll('#segments [data-segment]')].map(a => a.querySelectorAll('.rules li').length),
			bands: document.querySelectorAll('#chart-silhouettes .bands path').length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"High income · High spending": "high,high", "Low income · Low spending": "low,low",
		"High income · Low spending": "high,low", "Low income · High spending": "low,high", "Mid income · Mid spending": "-,-"}
	if desc.Rows != 6 || !maps.Equal(desc.Levels, want) {
		t.Errorf("profile table: %d rows, levels %v; want 5 segments and everyone, %v", desc.Rows, desc.Levels, want)
	}
	if len(desc.Rules) != 5 || slices.Contains(desc.Rules, 0) || desc.Bands != 5 {
		t.Errorf("rules per card %v, %d silhouette bands", desc.Rules, desc.Bands)
	}
	screenshot(t, ctx, "3-segments")

	// Rename the high-income, high-spending segment: the new name goes into
	// the downloads below.
	renamed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const input = [...document.querySelectorAll('#segments input.segment-name')].find(i => i.value === 'High income · High spending');
		if (!input) return false;
		input.value = '  VIP shoppers ';
		input.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`))
	if err != nil || !renamed {
		t.Fatalf("no segment named High income · High spending to rename (%v)", err)
	}
	waitJS(t, ctx, "the new name", `(document.getElementById('status')?.textContent || '').includes('now called VIP shoppers')`)
	if legend, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#chart-scatter .legend text')].map(t => t.textContent)`)); !slices.Contains(legend, "VIP shoppers") {
		t.Errorf("scatter legend %q does not have the new name", legend)
	}
	// A name another segment has is refused, next to the results, and the
	// field shows the old name again.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const input = [...document.querySelectorAll('#segments input.segment-name')].find(i => i.value === 'Mid income · Mid spending');
		input.value = 'VIP shoppers';
		return input.dispatchEvent(new Event('change', {bubbles: true}));
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the refusal", `(document.querySelector('#results #error')?.textContent || '').includes('already called')`)
	if names, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#segments input.segment-name')].map(i => i.value)`)); !slices.Contains(names, "Mid income · Mid spending") || len(slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n != "VIP shoppers" })) != 1 {
		t.Errorf("names after a refused rename: %q", names)
	}

	dir := t.TempDir()
	csvFile := download(t, ctx, dir, "download-labels")
	recs, err := csv.NewReader(bytes.NewReader(csvFile)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 201 {
		t.Fatalf("downloaded %d records, want a header and 200 rows", len(recs))
	}
	if !slices.Contains(recs[0], "segment") || !slices.Contains(recs[0], "segment_name") {
		t.Fatalf("header %q has no segment column", recs[0])
	}
	counts := map[string]int{}
	col := slices.Index(recs[0], "segment")
	for _, r := range recs[1:] {
		counts[r[col]]++
	}
	var sizes []int
	for _, n := range counts {
		sizes = append(sizes, n)
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{22, 23, 35, 39, 81}) {
		t.Errorf("downloaded segment sizes %v", sizes)
	}
	names := map[string]int{}
	nameCol := slices.Index(recs[0], "segment_name")
	for _, r := range recs[1:] {
		names[r[nameCol]]++
	}
	if names["VIP shoppers"] != 39 || names["High income · High spending"] != 0 {
		t.Errorf("downloaded segment names %v: want 39 VIP shoppers", names)
	}
	profiles := download(t, ctx, t.TempDir(), "download-profiles")
	if !bytes.HasPrefix(profiles, []byte("segment,name,column,category,statistic,value")) || !bytes.Contains(profiles, []byte(",VIP shoppers,Annual Income (k$),,mean,86.5")) {
		t.Errorf("profiles download: %.300s", profiles)
	}
	for _, chart := range []string{"download-chart-scatter", "download-chart-silhouettes"} {
		if svg := download(t, ctx, t.TempDir(), chart); !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("VIP shoppers")) {
			t.Errorf("%s: %.200s", chart, svg)
		}
	}
	// The scatter as PNG: 840×420 at twice the size, with points in the
	// palette's first colour (segment 1, blue #0072B2) at fill-opacity 0.8
	// on white: #338EC1.
	checkPNG(t, download(t, ctx, t.TempDir(), "download-chart-scatter-png"), 1680, 840, color.RGBA{0x33, 0x8E, 0xC1, 0xff})
	model := download(t, ctx, t.TempDir(), "download-model")
	if !bytes.Contains(model, []byte(`"format": "segkit-model"`)) || !bytes.Contains(model, []byte(`"name": "VIP shoppers"`)) {
		t.Errorf("model download without the new name: %.300s", model)
	}
}

// download clicks a download button and returns the file the browser saved.
func download(t *testing.T, ctx context.Context, dir, button string) []byte {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(button))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(b) > 0 {
					t.Logf("downloaded %s (%d bytes)", e.Name(), len(b))
					return b
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: nothing was downloaded into %s", button, dir)
	return nil
}

// TestBadFiles: an empty file and a binary file each show a clear error
// next to the file step, and the page still works after.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	binary := filepath.Join(dir, "customers.xlsx")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(binary, []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml\x00\x00\x01\x02"), 0o644)
	ctx := tab(t, 2*time.Minute)
	open(t, ctx)
	for _, tt := range []struct{ file, want string }{
		{empty, "empty"},
		{binary, "not a text file"},
	} {
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{tt.file})); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "the error", `!!document.getElementById('error')`)
		msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg, tt.want) || !strings.Contains(msg, filepath.Base(tt.file)) {
			t.Errorf("%s: error %q should say %q and name the file", filepath.Base(tt.file), msg, tt.want)
		}
		inCard, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('section[aria-labelledby="data-h"] #error')`))
		if !inCard {
			t.Error("the error is not shown next to the file step")
		}
		if tt.file == binary {
			screenshot(t, ctx, "4-bad-file")
		}
	}
	// The page still works: the sample loads and segments.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("sample-data"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's preview", `document.querySelectorAll('#preview tbody tr').length > 0 && !document.getElementById('error')`)
	setNumber(t, ctx, "k", "3")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "three segments", `document.querySelectorAll('#segments [data-segment]').length === 3`)
	if got := segmentSizes(t, ctx); got[0]+got[1]+got[2] != 440 {
		t.Errorf("sizes %v do not add up to the sample's 440 rows", got)
	}
}

// TestCancel: Cancel during a long run (a generated file, many restarts)
// stops it at once, and the page is usable again.
func TestCancel(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.csv")
	var b bytes.Buffer
	b.WriteString("customer_id,spend,visits,tenure\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 50000 {
		fmt.Fprintf(&b, "C%06d,%.2f,%d,%.1f\n", i, rng.ExpFloat64()*300, rng.IntN(60), rng.Float64()*120)
	}
	os.WriteFile(file, b.Bytes(), 0o644)

	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{file})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	setNumber(t, ctx, "k", "8")
	setNumber(t, ctx, "n-init", "1000")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "progress", `(document.getElementById('progress-text')?.textContent || '').includes('Restart')`)
	screenshot(t, ctx, "5-running")
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("cancel"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the run to stop", `!document.getElementById('progress') && document.querySelector('#app').dataset.engine === 'ready'`)
	stopped := time.Since(start)
	t.Logf("stopped and ready again %v after the click", stopped)
	if stopped > 10*time.Second {
		t.Errorf("cancel took %v", stopped)
	}
	status, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("status")))
	if !strings.Contains(status, "Cancelled") {
		t.Errorf("status %q", status)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-segment]').length`)); n != 0 {
		t.Errorf("%d segment cards after a cancelled run", n)
	}
	// Usable again: the same file, few restarts.
	setNumber(t, ctx, "k", "3")
	setNumber(t, ctx, "n-init", "1")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "three segments", `document.querySelectorAll('#segments [data-segment]').length === 3`)
	if got := segmentSizes(t, ctx); got[0]+got[1]+got[2] != 50000 {
		t.Errorf("sizes %v", got)
	}
}

// TestNetworkLog records every request of a whole session — the page, the
// engine worker (its script, wasm_exec.js and segkit.wasm again), the
// sample, a run and both downloads — and fails on any that is not a
// same-origin GET of a static file of the site, or if the binary was sent
// in full more than once (the page and its workers share one cached copy).
func TestNetworkLog(t *testing.T) {
	from := netlog.len()
	ctx := tab(t, 2*time.Minute)
	if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil { // a cold load
		t.Fatal(err)
	}
	// The page's own requests, as the DevTools protocol reports them.
	var mu sync.Mutex
	var pageURLs []string
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			mu.Lock()
			pageURLs = append(pageURLs, ev.Request.URL)
			mu.Unlock()
		}
	}()
	open(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("sample-data"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sample's preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "segments", `document.querySelectorAll('#segments [data-segment]').length === 5`)
	download(t, ctx, t.TempDir(), "download-labels")
	download(t, ctx, t.TempDir(), "download-model")
	time.Sleep(500 * time.Millisecond) // requests still in flight reach the log
	reqs := netlog.since(from)
	var log strings.Builder
	seen := map[string]bool{}
	wasmSent := 0
	for _, r := range reqs {
		if r.URI == siteURL+"/segkit.wasm" && r.Status == http.StatusOK {
			wasmSent++
		}
		fmt.Fprintf(&log, "%s %s %s -> %d\n", r.Time.Format("15:04:05.000"), r.Method, r.URI, r.Status)
		if chromiumService(r) {
			fmt.Fprintf(&log, "    (Chromium's own service, not the page: refused)\n")
			continue
		}
		if why := sameOriginAsset(r); why != "" {
			t.Errorf("request %s %s: %s", r.Method, r.URI, why)
		}
		seen[strings.TrimPrefix(r.URI, siteURL)] = true
	}
	os.WriteFile(filepath.Join(artifactsDir, "network-log-session.txt"), []byte(log.String()), 0o644)
	// The log covers the workers too: their script, the glue they import and
	// the engine they fetch went through it.
	for _, want := range []string{"/", "/segkit.wasm", "/engine-worker.js", "/wasm_exec.js", "/wholesale-customers.csv"} {
		if !seen[want] {
			t.Errorf("%s is not in the network log:\n%s", want, log.String())
		}
	}
	if wasmSent != 1 {
		t.Errorf("segkit.wasm was sent in full %d times; the workers should reuse the page's copy (304):\n%s", wasmSent, log.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(pageURLs) == 0 {
		t.Error("the DevTools protocol reported no request of the page")
	}
	for _, u := range pageURLs {
		if !strings.HasPrefix(u, siteURL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:"+siteURL+"/") {
			t.Errorf("the page requested %s", u)
		}
	}
}

// TestWorkerLockdown attaches to the running engine worker and checks that
// it has no network API left once it said it was ready.
func TestWorkerLockdown(t *testing.T) {
	ctx := tab(t, time.Minute)
	open(t, ctx)
	cores, err := chromedp.Run(ctx, chromedp.Evaluate[int](`navigator.hardwareConcurrency`))
	if err != nil {
		t.Fatal(err)
	}
	// The engine and its helpers (one per core, four workers at most) run
	// the same script; a helper locks itself down once its wasm is loaded,
	// before it says it is ready and before any rows reach it, so the
	// check waits for every worker to get there.
	want := max(1, min(cores, 4))
	deadline := time.Now().Add(30 * time.Second)
	for {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var open []string
		workers := 0
		for _, info := range infos {
			if info.Type != "worker" || !strings.HasSuffix(info.URL, "/engine-worker.js") {
				continue
			}
			workers++
			wctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
			left, err := chromedp.Run(wctx, chromedp.Evaluate[[]string](`['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts', 'Worker', 'SharedWorker']
				.filter(n => { for (let o = self; o; o = Object.getPrototypeOf(o)) { if (o[n] !== undefined) return true; } return false; })`))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if len(left) > 0 {
				open = append(open, fmt.Sprintf("%s still has %q", info.TargetID, left))
			}
		}
		if workers == want && len(open) == 0 {
			t.Logf("%d engine worker(s) — the engine and its helpers — all locked down", workers)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %d engine workers (want %d); %v", workers, want, open)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
