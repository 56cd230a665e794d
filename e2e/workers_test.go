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
	var h engine.Handler
	for off, chunk := 0, 1<<20; ; off += chunk {
		end := min(off+chunk, csv.Len())
		r := h.Handle(context.Background(), protocol.Request{ID: 1, Op: protocol.OpLoad, Load: &protocol.Load{
			Name: "blobs.csv", Size: int64(csv.Len()), Offset: int64(off), Chunk: csv.Bytes()[off:end], Final: end == csv.Len()}}, nil)
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		if end == csv.Len() {
			break
		}
	}
	r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit,
		Fit: &protocol.FitParams{Algorithm: "kmeans", K: 6, Scale: "standard", Seed: 1, NInit: 10}}, nil)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	var want []int
	for _, s := range r.Fit.Segments {
		want = append(want, s.Size)
	}
	slices.Sort(want)

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
