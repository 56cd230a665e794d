package project

import (
	"fmt"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// benchData caches the benchmark matrices: synth.Blobs with d columns and
// eight overlapping clusters, as in core/cluster's benchmarks.
var benchData = map[[2]int]*matrix.Dense{}

func blobs(n, d int) *matrix.Dense {
	if x, ok := benchData[[2]int{n, d}]; ok {
		return x
	}
	x, _ := synth.Blobs(n, d, 8, 1.5, 20240611)
	benchData[[2]int{n, d}] = x
	return x
}

func benchmarkFit(b *testing.B, p PCA, n, d int) {
	x := blobs(n, d)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Fit(x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFit fits two components with the default settings: every row up
// to 100,000, a sample of 100,000 above.
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d/d=8", n), func(b *testing.B) { benchmarkFit(b, PCA{}, n, 8) })
	}
}

// BenchmarkFitAllRows fits on every row of 1e6, without sampling.
func BenchmarkFitAllRows(b *testing.B) {
	b.Run("n=1000000/d=8", func(b *testing.B) { benchmarkFit(b, PCA{SampleSize: 1e6}, 1e6, 8) })
}

// BenchmarkFitWide shows the O(d³) cost of the eigen-decomposition.
func BenchmarkFitWide(b *testing.B) {
	for _, d := range []int{50, 100, 300} {
		b.Run(fmt.Sprintf("n=10000/d=%d", d), func(b *testing.B) { benchmarkFit(b, PCA{}, 1e4, d) })
	}
}

func BenchmarkTransform(b *testing.B) {
	x := blobs(1e6, 8)
	pr, err := (&PCA{}).Fit(x)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := pr.Transform(x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sample(1e6, 5000, 1)
	}
}
