package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/shareddata"
)

// hostDir holds the pages of the second origin: a shop that embeds the
// widget, and a page that uses the JavaScript API.
const hostDir = "testdata/host"

// maxEmbedBytes is the most embed.js may weigh (the 10 KB).
const maxEmbedBytes = 10 * 1024

// hostPages serves hostDir as a host site would: its own files, with
// {{SITE}} replaced by segkit's origin, and a Content-Security-Policy that
// allows segkit's origin for scripts and frames and nothing else — what a
// careful host needs to embed segkit.
func hostPages() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		b, err := os.ReadFile(filepath.Join(hostDir, filepath.FromSlash(name)))
		if r.Method != http.MethodGet || err != nil {
			http.NotFound(w, r)
			return
		}
		ct := "text/html; charset=utf-8"
		if strings.HasSuffix(name, ".js") {
			ct = "text/javascript; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		frames := siteURL
		if name == "/fake.html" {
			frames = "'self'" // its widget is a fake of this origin
		}
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; script-src 'self' %s; frame-src %s; connect-src 'self'; style-src 'self'", siteURL, frames))
		w.Write([]byte(strings.ReplaceAll(string(b), "{{SITE}}", siteURL)))
	})
}

// hostAsset reports why r is not a GET of a file of the host pages, or ""
// when it is one.
func hostAsset(r request) string {
	if r.Method != http.MethodGet {
		return "method " + r.Method
	}
	p := strings.TrimPrefix(r.URI, "http://"+hostHost)
	if strings.ContainsAny(p, "?#") {
		return "a query string (data could ride on it)"
	}
	if fi, err := os.Stat(filepath.Join(hostDir, filepath.FromSlash(p))); err != nil || !fi.Mode().IsRegular() {
		return "not a file of the host pages"
	}
	return ""
}

// mallRows returns Mall_Customers.csv as the rows a program would pass, as
// JavaScript: objects by column name in the file's column order, numbers as
// numbers, the customer id as text.
func mallRows(t *testing.T) string {
	t.Helper()
	f, err := os.Open(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("[")
	for i, rec := range recs[1:] {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("{")
		for j, name := range recs[0] {
			if j > 0 {
				b.WriteString(",")
			}
			v := strconv.Quote(rec[j])
			if _, err := strconv.Atoi(rec[j]); err == nil && name != "CustomerID" {
				v = rec[j]
			}
			fmt.Fprintf(&b, "%q:%s", name, v)
		}
		b.WriteString("}")
	}
	b.WriteString("]")
	return b.String()
}

// widgetResult is the part of a "result" event the tests check.
type widgetResult struct {
	K        int   `json:"k"`
	Rows     int   `json:"rows"`
	Labels   []int `json:"labels"`
	Segments []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
		Size int    `json:"size"`
	} `json:"segments"`
	Model *struct {
		Format   string `json:"format"`
		ID       string `json:"id"`
		Segments []any  `json:"segments"`
	} `json:"model"`
	ModelID     string `json:"model_id"`
	ProfilesCSV string `json:"profiles_csv"`
}

type event struct {
	Type   string          `json:"type"`
	Detail json.RawMessage `json:"detail"`
	T      float64         `json:"t"` // ms since navigation start
}

// logTimes logs when the widget was ready and how long from the data to the
// result (for docs/performance.md; never asserted).
func logTimes(t *testing.T, ctx context.Context, sent float64) {
	t.Helper()
	var ready, result float64
	for _, e := range events(t, ctx) {
		switch {
		case e.Type == "ready" && ready == 0:
			ready = e.T
		case e.Type == "result" && result == 0:
			result = e.T
		}
	}
	t.Logf("widget ready %.0f ms after navigation start; data to result %.0f ms", ready, result-sent)
}

// setData passes rows to the widget of element #widget and returns the time
// it did, in ms since navigation start.
func setData(t *testing.T, ctx context.Context, rows string) float64 {
	t.Helper()
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const t = performance.now(); document.getElementById('widget').segkit.setData(`+rows+`, 'mall.json'); return t; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

func events(t *testing.T, ctx context.Context) []event {
	t.Helper()
	evs, err := chromedp.Run(ctx, chromedp.Evaluate[[]event](`window.events`))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// errorEvents returns the details of the "error" events from index from on.
func errorEvents(t *testing.T, ctx context.Context, from int) []struct{ Code, Message string } {
	t.Helper()
	var out []struct{ Code, Message string }
	for _, e := range events(t, ctx)[from:] {
		if e.Type == "error" {
			var d struct{ Code, Message string }
			if err := json.Unmarshal(e.Detail, &d); err != nil {
				t.Fatal(err)
			}
			out = append(out, d)
		}
	}
	return out
}

// lastResult waits for the n-th "result" event and returns it.
func nthResult(t *testing.T, ctx context.Context, n int) widgetResult {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf("result event %d", n), fmt.Sprintf(`window.events.filter(e => e.type === 'result').length >= %d || window.events.some(e => e.type === 'error')`, n))
	var res []widgetResult
	for _, e := range events(t, ctx) {
		switch e.Type {
		case "result":
			var r widgetResult
			if err := json.Unmarshal(e.Detail, &r); err != nil {
				t.Fatal(err)
			}
			res = append(res, r)
		case "error":
			t.Fatalf("error event: %s", e.Detail)
		}
	}
	return res[n-1]
}

// checkMall checks a result of k-means, k = 5, on Mall customers' income
// and spending score: the segment sizes scikit-learn finds (22, 23, 35, 39,
// 81), a label per customer that agrees with the sizes, the model JSON and
// the profiles.
func checkMall(t *testing.T, r widgetResult) {
	t.Helper()
	var sizes []int
	for _, s := range r.Segments {
		sizes = append(sizes, s.Size)
	}
	slices.Sort(sizes)
	if r.K != 5 || !slices.Equal(sizes, []int{22, 23, 35, 39, 81}) {
		t.Errorf("k %d, sizes %v; want 5 segments of 22 23 35 39 81", r.K, sizes)
	}
	if len(r.Labels) != 200 {
		t.Fatalf("%d labels, want 200", len(r.Labels))
	}
	count := map[int]int{}
	for _, l := range r.Labels {
		count[l]++
	}
	for _, s := range r.Segments {
		if count[s.ID] != s.Size {
			t.Errorf("segment %d: %d labels, size %d", s.ID, count[s.ID], s.Size)
		}
	}
	if r.Model == nil || r.Model.Format != "segkit-model" || r.Model.ID != r.ModelID || len(r.Model.Segments) != 5 {
		t.Errorf("model %+v, fit's model id %s", r.Model, r.ModelID)
	}
	if !strings.HasPrefix(r.ProfilesCSV, "segment,name,column,category,statistic,value\n") {
		t.Errorf("profiles CSV starts %.80q", r.ProfilesCSV)
	}
}

// frameNode returns the widget's iframe node with its document, for
// queries inside it (the two origins differ by port only, so Chrome keeps
// the frame in the page's process and FromNode reaches it).
func frameNode(t *testing.T, ctx context.Context) *chromedp.Node {
	t.Helper()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("iframe"), chromedp.Populate(-1, true)))
	if err != nil || len(nodes) != 1 || nodes[0].ContentDocument == nil {
		t.Fatalf("the widget's iframe: %d nodes, %v", len(nodes), err)
	}
	return nodes[0]
}

// viewShot saves a screenshot of the viewport as an artefact. Not the full
// page: a full-page capture resizes the viewport, which resizes the widget
// and its iframe while the capture waits for the layout to settle, and it
// once hung for minutes. A capture that fails is logged, not counted: it is
// an artefact, and the assertions around it check the page.
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(filepath.Join(artifactsDir, name+".png"), buf, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s not saved: %v", name, err)
		return
	}
	t.Logf("screenshot: e2e/%s/%s.png", artifactsDir, name)
}

// frameCount returns how many elements of the frame match sel, once it is
// want or after a few looks (the frame renders asynchronously).
func frameCount(t *testing.T, ctx context.Context, frame *chromedp.Node, sel string, want int) int {
	t.Helper()
	n := -1
	for range 50 {
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.FromNode(frame), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatalf("%s in the widget: %v", sel, err)
		}
		if n = len(nodes); n == want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return n
}

// TestWidget: after a visit to the page, a shop on another origin embeds the
// compact widget with one script tag (the widget revalidates the page's
// cached wasm files rather than downloading them again), passes Mall customers' rows in, and reads the five segments,
// the labels, the model and the profiles back; it cannot reach into the
// widget; malformed and forged messages are ignored and reported; and the
// browser asks for nothing but the host's page and segkit's static files.
func TestWidget(t *testing.T) {
	rows := mallRows(t)
	ctx := tab(t, 3*time.Minute)
	open(t, ctx) // the page first: the widget then finds its files in the cache
	start := netlog.len()
	if err := chromedp.Do(ctx, chromedp.Navigate(hostURL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the widget to be ready", `window.events.some(e => e.type === 'ready')`)
	isolated, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const f = document.querySelector('#widget iframe');
		try { return f.contentDocument === null && f.contentWindow.document === undefined; } catch (e) { return e.name === 'SecurityError'; }
	})()`))
	if err != nil || !isolated {
		t.Errorf("the host can reach the widget's document (%v)", err)
	}
	sent := setData(t, ctx, rows)
	checkMall(t, nthResult(t, ctx, 1))
	logTimes(t, ctx, sent)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`window.progressEvents`)); n == 0 {
		t.Error("no progress event")
	}
	// Compact: file → segments → download; no settings, evidence or charts.
	frame := frameNode(t, ctx)
	if n := frameCount(t, ctx, frame, "#segments [data-segment]", 5); n != 5 {
		t.Errorf("%d segment cards in the widget, want 5", n)
	}
	for sel, want := range map[string]int{"#algorithm": 0, "#preview": 0, "#chart-scatter": 0, "#sample-data": 0, "#download-labels": 1, "#download-model": 1} {
		if n := frameCount(t, ctx, frame, sel, want); n != want {
			t.Errorf("compact widget: %d of %s, want %d", n, sel, want)
		}
	}
	// The widget sized its iframe to its content (the default is 480 px).
	if h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#widget iframe').getBoundingClientRect().height`)); err != nil || h < 900 {
		t.Errorf("the iframe is %v px high (%v); the widget's content is higher", h, err)
	}
	viewShot(t, ctx, "widget-compact")

	// Malformed messages to the widget, a forged event to the host, bad rows.
	from := len(events(t, ctx))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`(() => {
		const w = document.getElementById('widget').segkit, win = w.frame.contentWindow, site = %q;
		win.postMessage({segkit: 1, type: 'data', rows: [{a: 1}], extra: 'x'}, site);
		win.postMessage({segkit: 1, type: 'export', what: 'everything'}, site);
		win.postMessage('hello', site);
		win.postMessage({segkit: 1, type: 'data', file: 'not a file'}, site);
		window.postMessage({segkit: 1, type: 'result', detail: {k: 99, segments: [], labels: [], model: null, profiles_csv: ''}}, '*');
		w.setData([{a: {nested: true}}]);
		// Last, a sentinel: the widget answers messages in order, so once
		// its error is back, everything the others caused is too.
		win.postMessage({segkit: 1, type: 'sentinel'}, site);
	})()`, siteURL))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sentinel's error event", fmt.Sprintf(`window.events.slice(%d).some(e => e.type === 'error' && e.detail.message.includes('"sentinel"'))`, from))
	errs := errorEvents(t, ctx, from)
	errs = errs[:len(errs)-1] // the sentinel's
	want := []struct{ code, part string }{
		{"bad_message", `unknown field "extra"`},
		{"bad_message", `unknown type "export"`},
		{"bad_message", "not a segkit message"},
		{"bad_message", "file must be a File or Blob"},
		{"bad_message", "did not come from the widget"},
		{"bad_rows", `row 1, column "a": an object`},
	}
	if len(errs) != len(want) {
		t.Fatalf("error events %+v, want %d", errs, len(want))
	}
	for _, w := range want {
		if !slices.ContainsFunc(errs, func(e struct{ Code, Message string }) bool {
			return e.Code == w.code && strings.Contains(e.Message, w.part)
		}) {
			t.Errorf("no %s error with %q in %+v", w.code, w.part, errs)
		}
	}
	for _, e := range events(t, ctx)[from:] {
		if e.Type != "error" {
			t.Errorf("a %s event after malformed messages: %s", e.Type, e.Detail)
		}
	}

	// The network: the host's own files, and segkit's static files.
	var siteFiles []string
	for _, r := range netlog.since(start) {
		if r.URI == siteURL+"/segkit.wasm" && r.Status != http.StatusNotModified {
			t.Errorf("%s: status %d; want 304, the page's cached copy revalidated", r.URI, r.Status)
		}
		switch r.Host {
		case hostHost:
			if why := hostAsset(r); why != "" {
				t.Errorf("%s %s: %s", r.Method, r.URI, why)
			}
		case siteHost:
			if why := sameOriginAsset(r); why != "" {
				t.Errorf("%s %s: %s", r.Method, r.URI, why)
			}
			siteFiles = append(siteFiles, strings.TrimPrefix(r.URI, siteURL))
		default:
			if !chromiumService(r) {
				t.Errorf("a request to another origin: %s %s", r.Method, r.URI)
			}
		}
	}
	for _, f := range []string{"/embed.js", "/widget.html", "/segkit.wasm", "/engine-worker.js"} {
		if !slices.Contains(siteFiles, f) {
			t.Errorf("%s was not loaded from segkit's origin: %q", f, siteFiles)
		}
	}
}

// TestWidgetOptions: Segkit.mount with every kind of option — the full
// studio with some steps hidden, a preset algorithm, k and columns, the
// host's strings and theme — segments the rows it is given by itself, and
// bad options are refused.
func TestWidgetOptions(t *testing.T) {
	rows := mallRows(t)
	ctx := tab(t, 3*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(hostURL+"/mount.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the widget to be ready", `window.events.some(e => e.type === 'ready')`)
	setData(t, ctx, rows)
	checkMall(t, nthResult(t, ctx, 1))
	// A File, as a host's file input gives it.
	csvText, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.getElementById('widget').segkit.setData(new File([`+strconv.Quote(string(csvText))+`], 'Mall_Customers.csv'))`)); err != nil {
		t.Fatal(err)
	}
	checkMall(t, nthResult(t, ctx, 2))
	frame := frameNode(t, ctx)
	text := func(sel string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.FromNode(frame)))
		if err != nil {
			t.Errorf("%s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	if got := text("#data-h"); got != "1. Your customers here" {
		t.Errorf("title %q", got)
	}
	if got := text("#run"); got != "Segment now" {
		t.Errorf("run button %q", got)
	}
	if got := text("#results-h"); got != "4. What we found" {
		t.Errorf("results heading %q", got)
	}
	for sel, want := range map[string]int{"#algorithm": 1, "#preview": 1, "#suggest": 0, "#chart-scatter": 0, "#sample-data": 0, "#download-labels": 1} {
		if n := frameCount(t, ctx, frame, sel, want); n != want {
			t.Errorf("%s: %d in the widget, want %d", sel, n, want)
		}
	}
	styles, err := chromedp.Run(ctx, chromedp.ComputedStyle(chromedp.CSS("#run"), chromedp.FromNode(frame)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range styles {
		got[p.Name] = p.Value
	}
	if got["background-color"] != "rgb(204, 0, 0)" || !strings.HasPrefix(got["font-family"], "Georgia") {
		t.Errorf("theme: background %q, font %q", got["background-color"], got["font-family"])
	}
	viewShot(t, ctx, "widget-options")

	// Bad options: a wrong name or type at once, a bad value from the widget.
	thrown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[{colour: 'red'}, {k: '5'}, {mode: 'tiny'}].map(o => {
		try { Segkit.mount(document.body, o); return 'mounted'; } catch (e) { return e.name + ': ' + e.message; }
	})`))
	if err != nil {
		t.Fatal(err)
	}
	wantThrown := []string{`TypeError: Segkit.mount: unknown option "colour"`, `TypeError: Segkit.mount: option "k" has the wrong type`, `TypeError: Segkit.mount: option "mode" has the wrong type`}
	if len(thrown) != len(wantThrown) {
		t.Fatalf("bad options: %q", thrown)
	}
	for i, w := range wantThrown {
		if !strings.HasPrefix(thrown[i], w) {
			t.Errorf("bad option %d: %q, want %q…", i, thrown[i], w)
		}
	}
	from := len(events(t, ctx))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`(() => {
		const el = document.createElement('div');
		document.body.appendChild(el);
		record(Segkit.mount(el, {k: 99, theme: {accent: 'url(https://evil.example/x)'}}));
	})()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "two error events", fmt.Sprintf(`window.events.slice(%d).filter(e => e.type === 'error').length >= 2`, from))
	errs := errorEvents(t, ctx, from)
	if len(errs) != 2 || errs[0].Code != "bad_setting" || !strings.Contains(errs[0].Message, "theme.accent must be a CSS colour") ||
		errs[1].Code != "bad_setting" || !strings.Contains(errs[1].Message, "k 99") {
		t.Errorf("bad option values: %+v", errs)
	}
}

// apiOutcome is what the API test page computes.
type apiOutcome struct {
	Cluster      widgetResult       `json:"cluster"`
	Suggested    int                `json:"suggested"`
	Assigned     []int              `json:"assigned"`
	AssignedOne  int                `json:"assignedOne"`
	AssignedName string             `json:"assignedName"`
	Progress     int                `json:"progress"`
	Errors       []string           `json:"errors"`
	Cancelled    string             `json:"cancelled"`
	After        int                `json:"after"`
	Inspect      []string           `json:"inspect"`
	Ms           map[string]float64 `json:"ms"`
}

// TestJSAPI: a page on another origin loads segkit-api.js and segments Mall
// customers from a program: cluster (k-means, k = 5: scikit-learn's sizes),
// suggest (5 on income and spending score), assign with the model (the
// fit's label for every row), profile, errors as rejected promises with a
// code, and cancel.
func TestJSAPI(t *testing.T) {
	rows := mallRows(t)
	ctx := tab(t, 4*time.Minute)
	start := netlog.len()
	if err := chromedp.Do(ctx, chromedp.Navigate(hostURL+"/api.html")); err != nil {
		t.Fatal(err)
	}
	script := `(async () => {
		const rows = ` + rows + `;
		const columns = ['Annual Income (k$)', 'Spending Score (1-100)'];
		const out = {errors: [], ms: {}};
		let t0 = performance.now();
		const sk = await Segkit.load();
		out.ms.load = performance.now() - t0;
		let progress = 0;
		sk.addEventListener('progress', () => progress++);
		out.inspect = (await sk.inspect(rows)).columns.map(c => c.type);
		t0 = performance.now();
		out.cluster = await sk.cluster(rows, {algo: 'kmeans', k: 5, columns});
		out.ms.cluster = performance.now() - t0;
		t0 = performance.now();
		out.suggested = (await sk.suggest(null, {columns})).suggested_k;
		out.ms.suggest = performance.now() - t0;
		const model = out.cluster.model;
		const one = await sk.assign(model, rows[7]);
		out.assignedOne = one.segment;
		out.assignedName = one.name;
		t0 = performance.now();
		out.assigned = (await sk.assign(JSON.stringify(model), rows)).map(a => a.segment);
		out.ms.assign200 = performance.now() - t0;
		out.cluster.profiles_csv = await sk.profile();
		out.progress = progress;
		const code = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.name + ' ' + e.code + ': ' + e.message; } };
		out.errors.push(await code(sk.cluster(null, {k: 1, columns})));
		out.errors.push(await code(sk.cluster(null, {kk: 5})));
		out.errors.push(await code(sk.cluster(null, {k: 3, columns: ['Income']})));
		out.errors.push(await code(sk.assign({format: 'other'}, rows[0])));
		out.errors.push(await code(sk.assign(model, {'Annual Income (k$)': 'lots'})));
		out.errors.push(await code(sk.cluster([{a: 1, b: [2]}], {k: 2})));
		out.errors.push(await code(sk.cluster('name,age,spend\n', {k: 2})));
		// Cancel a long fit at its first progress report.
		const big = [];
		let s = 1;
		const rand = () => (s = (s * 48271) % 2147483647) / 2147483647;
		for (let i = 0; i < 100000; i++) big.push({x: rand(), y: rand(), z: rand()});
		let cancelled = false;
		out.cancelled = await code(sk.cluster(big, {k: 20, nInit: 1000, onProgress: (p) => {
			if (p.phase === 'fit' && !cancelled) { cancelled = true; sk.cancel(); }
		}}));
		// The data stays loaded after a cancel.
		out.after = (await sk.cluster(null, {k: 3, nInit: 1})).rows;
		sk.close();
		return out;
	})()`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[apiOutcome](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Segkit.load %.0f ms; cluster (rows in, k-means k = 5, model out) %.0f ms; suggest %.0f ms; assign 200 records %.0f ms",
		out.Ms["load"], out.Ms["cluster"], out.Ms["suggest"], out.Ms["assign200"])
	checkMall(t, out.Cluster)
	if !slices.Equal(out.Inspect, []string{"identifier", "categorical", "integer", "integer", "integer"}) {
		t.Errorf("column types %q: the rows are not typed as the file is", out.Inspect)
	}
	if out.Suggested != 5 {
		t.Errorf("suggested k %d, want 5", out.Suggested)
	}
	if len(out.Cluster.Labels) == 200 {
		if out.AssignedOne != out.Cluster.Labels[7] || out.AssignedName != out.Cluster.Segments[out.Cluster.Labels[7]].Name {
			t.Errorf("row 8 assigned %d %q, fitted %d", out.AssignedOne, out.AssignedName, out.Cluster.Labels[7])
		}
		if !slices.Equal(out.Assigned, out.Cluster.Labels) {
			t.Errorf("assigned labels differ from the fit's")
		}
	}
	if out.Progress == 0 {
		t.Error("no progress event")
	}
	wantErrs := []string{
		"SegkitError bad_k:",
		`SegkitError bad_setting: cluster: unknown option "kk"`,
		`SegkitError bad_column: The file has no column "Income".`,
		`SegkitError bad_model: This is not a valid segkit model: format "other"`,
		`SegkitError bad_record: record 0, field "Annual Income (k$)"`,
		`SegkitError bad_rows: row 1, column "b": an array`,
		"SegkitError header_only:",
	}
	if len(out.Errors) != len(wantErrs) {
		t.Fatalf("errors %q", out.Errors)
	}
	for i, w := range wantErrs {
		if !strings.HasPrefix(out.Errors[i], w) {
			t.Errorf("error %d: %q, want it to start with %q", i, out.Errors[i], w)
		}
	}
	if out.Cancelled != "SegkitError cancelled: Cancelled." || out.After != 100000 {
		t.Errorf("cancel: %q, then a fit of %d rows", out.Cancelled, out.After)
	}
	for _, r := range netlog.since(start) {
		if r.Host == siteHost && sameOriginAsset(r) != "" || r.Host == hostHost && hostAsset(r) != "" ||
			r.Host != siteHost && r.Host != hostHost && !chromiumService(r) {
			t.Errorf("request %s %s (host %s)", r.Method, r.URI, r.Host)
		}
	}
}

// TestRowsToCSV: rows.js turns rows into the CSV text the engine reads, and
// refuses what is not a cell, naming the row and column.
func TestRowsToCSV(t *testing.T) {
	ctx := tab(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(siteURL+"/bridge.html")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, rows, want string // want: the CSV, or "error: <the message's start>"
	}{
		{"objects", `[{a: 1, b: 'x'}, {a: 2.5, b: 'y'}]`, "a,b\n1,x\n2.5,y\n"},
		{"keys in order first met, missing cells", `[{a: 1}, {b: 2, a: 3}, {c: true}]`, "a,b,c\n1,,\n3,2,\n,,true\n"},
		{"header and rows", `[['name', 'spend'], ['Ada', 12], ['Grace', null]]`, "name,spend\nAda,12\nGrace,\n"},
		{"quoting", `[{'a,b': 'say "hi"', c: 'two\nlines', d: ' pad '}]`, "\"a,b\",c,d\n\"say \"\"hi\"\"\",\"two\nlines\",\" pad \"\n"},
		{"missing values", `[{a: null, b: undefined, c: NaN, d: ''}]`, "a,b,c,d\n,,,\n"},
		{"dates and big integers", `[{d: new Date(Date.UTC(2024, 4, 1, 12, 30, 5, 250)), n: 12345678901234567890n}]`, "d,n\n2024-05-01T12:30:05Z,12345678901234567890\n"},
		{"numbers", `[{a: 1e21, b: -0.000001, c: 0.1 + 0.2}]`, "a,b,c\n1e+21,-0.000001,0.30000000000000004\n"},
		{"not an array", `{a: 1}`, "error: rows must be an array"},
		{"empty", `[]`, "error: no rows"},
		{"header only", `[['a', 'b']]`, "error: a header but no data rows"},
		{"ragged", `[['a', 'b'], [1, 2], [3]]`, "error: row 2: 1 cells, the header has 2"},
		{"bad header", `[['a', 3], [1, 2]]`, "error: the header's column 2 must be a non-empty string"},
		{"duplicate header", `[['a', 'a'], [1, 2]]`, "error: two columns of the header have the same name"},
		{"object cell", `[{a: 1}, {a: {b: 2}}]`, `error: row 2, column "a": an object`},
		{"infinite", `[{a: Infinity}]`, `error: row 1, column "a": Infinity is not a finite number`},
		{"function", `[{a: () => 1}]`, `error: row 1, column "a": a function`},
		{"row not an object", `[{a: 1}, 7]`, "error: row 2: an object of cells by column name was expected"},
		{"mixed shapes", `[['a'], {a: 1}]`, "error: row 1: an array like the header was expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				try { return SegkitRows.toCSV(`+tt.rows+`); } catch (e) { return 'error: ' + e.message + (e.code === 'bad_rows' ? '' : ' (code ' + e.code + ')'); }
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want && !(strings.HasPrefix(tt.want, "error: ") && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEmbedSize: embed.js, as shipped, is at most 10 KB.
func TestEmbedSize(t *testing.T) {
	fi, err := os.Stat(filepath.Join(distDir, "embed.js"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embed.js: %d bytes", fi.Size())
	if fi.Size() > maxEmbedBytes {
		t.Errorf("embed.js is %d bytes, more than %d", fi.Size(), maxEmbedBytes)
	}
}

// TestReadmeExample runs the JavaScript API example of the README as it is
// written, in a page of another origin, and checks what it prints.
func TestReadmeExample(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- The e2e test TestReadmeExample runs this block as it is. -->\n```js\n"
	_, block, ok := strings.Cut(string(b), marker)
	if !ok {
		t.Fatal("README: no example block after the marker")
	}
	block, _, _ = strings.Cut(block, "```")
	ctx := tab(t, 2*time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(hostURL+"/api.html")); err != nil {
		t.Fatal(err)
	}
	logs, err := chromedp.Run(ctx, chromedp.Evaluate[[][]any](`(async () => {
		const printed = [];
		const console = { log: (...args) => printed.push(args) };
		`+block+`
		return printed;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("the README example fails: %v", err)
	}
	t.Logf("printed: %v", logs)
	if len(logs) != 3 {
		t.Fatalf("%d lines printed, want 3", len(logs))
	}
	names, _ := logs[0][0].([]any)
	if len(names) != 3 {
		t.Errorf("segments %v, want 3", logs[0])
	}
	for _, n := range names {
		if s, _ := n.(string); !strings.HasSuffix(s, ": 4") {
			t.Errorf("segment %q, want 4 customers", s)
		}
	}
	if k, _ := logs[1][0].(float64); k != 3 {
		t.Errorf("suggested k %v, want 3", logs[1])
	}
	if same, _ := logs[2][0].(bool); !same {
		t.Errorf("assign: %v, want C09's segment", logs[2])
	}
}

// TestWidgetChecksMessages: embed.js ignores and reports every malformed
// message from its widget's frame (a fake widget of the host's origin sends
// them), and still takes the good one that follows.
func TestWidgetChecksMessages(t *testing.T) {
	ctx := tab(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(hostURL+"/fake.html")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the ready event", `window.events.some(e => e.type === 'ready')`)
	evs := events(t, ctx)
	var got []string
	for _, e := range evs {
		var d struct{ Code, Message string }
		json.Unmarshal(e.Detail, &d)
		got = append(got, e.Type+" "+d.Code+" "+strings.TrimPrefix(d.Message, "segkit: message ignored: "))
	}
	want := []string{
		"error bad_message result: malformed detail",
		"error bad_message result: malformed detail",
		"error bad_message ready: malformed detail",
		"error bad_message progress: malformed detail",
		"error bad_message error: malformed detail",
		"error bad_message size: malformed detail",
		`error bad_message unknown type "navigate"`,
		"error bad_message not a segkit message",
		"error bad_message not a segkit message",
		"ready  ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
