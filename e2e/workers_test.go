package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/segkit/segkit/internal/synth"
	"github.com/segkit/segkit/wasm/engine"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// TestWorkers fits k-means on a file large enough to be spread over the
// engine's helper workers: the page must say how many workers ran it — one
// per core of the browser, at most four — and find the segments the engine
// finds alone, natively, on the same file with the same settings.
func TestWorkers(t *testing.T) {
	x, _ := synth.Blobs(60_000, 4, 6, 3, 21)
	var csv bytes.Buffer
	if err := synth.WriteCSV(&csv, x); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "blobs.csv")
	if err := os.WriteFile(file, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// The engine alone, natively, with the page's defaults for k = 6.
	want := nativeSizes(t, csv.Bytes(), 6)

	ctx := tab(t, 4*time.Minute)
	open(t, ctx)
	cores, err := chromedp.Run(ctx, chromedp.Evaluate[int](`navigator.hardwareConcurrency`))
	if err != nil {
		t.Fatal(err)
	}
	workers := min(cores, 4)
	if workers < 2 {
		t.Fatalf("the browser reports %d core(s): this test needs at least 2 to see helper workers", cores)
	}
	waitHelpers(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{file})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview", `document.querySelectorAll('#preview tbody tr').length > 0 && document.querySelector('#app').dataset.engine === 'ready'`)
	setNumber(t, ctx, "k", "6")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "six segments", `document.querySelectorAll('#segments [data-segment]').length === 6`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, want) {
		t.Errorf("segment sizes in the page %v, the engine alone %v", got, want)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('app').innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, fmt.Sprintf("on %d workers", workers)) {
		t.Errorf("the page does not say the fit ran on %d workers:\n%s", workers, text)
	}
	screenshot(t, ctx, "workers")
}

// nativeSizes fits k-means with the page's defaults (standard scaling,
// seed 1, 10 restarts) on csv in the engine, natively, and returns the
// segment sizes in increasing order.
func nativeSizes(t *testing.T, csv []byte, k int) []int {
	t.Helper()
	var h engine.Handler
	for off, chunk := 0, 1<<20; ; off += chunk {
		end := min(off+chunk, len(csv))
		r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLoad, Load: &protocol.Load{
			Name: "data.csv", Size: int64(len(csv)), Offset: int64(off), Chunk: csv[off:end], Final: end == len(csv)}}, nil)
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		if end == len(csv) {
			break
		}
	}
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit,
		Fit: &protocol.FitParams{Algorithm: "kmeans", K: k, Scale: "standard", Seed: 1, NInit: 10}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	var sizes []int
	for _, s := range r.Fit.Segments {
		sizes = append(sizes, s.Size)
	}
	slices.Sort(sizes)
	return sizes
}

// TestLargeFile reads a file of several 8 MB chunks in the engine worker,
// parsed in parts by the engine and its helpers: every row arrives, the page
// says how many workers read it, and k-means in the page finds the segments
// the engine finds natively on the same bytes (a chunk lost, repeated or cut
// at the wrong place, or a part joined wrongly, would change them).
func TestLargeFile(t *testing.T) {
	const rows = 360_000
	x, _ := synth.Blobs(rows, 8, 4, 2, 5)
	var csv bytes.Buffer
	if err := synth.WriteCSV(&csv, x); err != nil {
		t.Fatal(err)
	}
	if csv.Len() < 3*(8<<20) {
		t.Fatalf("the file is %d bytes; the test needs more than three 8 MB chunks", csv.Len())
	}
	file := filepath.Join(t.TempDir(), "large.csv")
	if err := os.WriteFile(file, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, 3*time.Minute)
	open(t, ctx)
	cores, err := chromedp.Run(ctx, chromedp.Evaluate[int](`navigator.hardwareConcurrency`))
	if err != nil {
		t.Fatal(err)
	}
	if cores < 2 {
		t.Fatalf("the browser reports %d core(s): this test needs at least 2 to see helper workers", cores)
	}
	waitHelpers(t, ctx) // a file this large is parsed on them once they run
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{file})); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the file summary", `(document.getElementById('file-summary')?.textContent || '').includes('large.csv')`)
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('file-summary').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("large.csv: %d rows and 9 columns", rows); !strings.HasPrefix(summary, want) {
		t.Errorf("file summary %q, want it to start %q", summary, want)
	}
	if want := fmt.Sprintf("; read on %d workers.", min(cores, 4)); !strings.HasSuffix(summary, want) {
		t.Errorf("file summary %q, want it to end %q", summary, want)
	}
	want := nativeSizes(t, csv.Bytes(), 4)
	setNumber(t, ctx, "k", "4")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "four segments", `document.querySelectorAll('#segments [data-segment]').length === 4`)
	if got := segmentSizes(t, ctx); !slices.Equal(got, want) {
		t.Errorf("segment sizes in the page %v, the engine natively %v", got, want)
	}
}
