package engine

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/segkit/segkit/internal/synth"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// BenchmarkFitRequest times the page's fit message on the browser
// benchmark's data (1e6×8 blobs, k = 8, one k-means run, no scaling): the
// preparation, the fit and everything the engine computes after it — the
// indices, the profile and names, the rules, the silhouette plot and the
// scatter. Under js/wasm it is what the page waits for in one worker.
// fit-s/op is the k-means fit's share, rest-s/op everything else.
func BenchmarkFitRequest(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x, _ := synth.Blobs(n, 8, 8, 1.5, 42)
			var csv bytes.Buffer
			if err := synth.WriteCSV(&csv, x); err != nil {
				b.Fatal(err)
			}
			var h Handler
			if r := load(b, &h, "blobs.csv", csv.Bytes(), 8<<20); r.Error != nil {
				b.Fatal(r.Error)
			}
			cols := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}
			var fit float64
			for b.Loop() {
				r := h.Handle(context.Background(), protocol.Request{ID: 2, Op: protocol.OpFit, Fit: &protocol.FitParams{
					Algorithm: "kmeans", K: 8, NInit: 1, Seed: 42, Columns: cols, Scale: "none"}}, nil)
				if r.Error != nil {
					b.Fatal(r.Error)
				}
				fit += r.Fit.Metrics.Seconds
			}
			b.ReportMetric(fit/float64(b.N), "fit-s/op")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)-fit/float64(b.N), "rest-s/op")
		})
	}
}
