package cluster

import (
	"context"
	"fmt"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// benchSeed is the seed of the benchmark data.
const benchSeed = 20240611

// benchSpread is the half-width of the box the benchmark centres are drawn in.
const benchSpread = 1.5

var benchData = map[int]*matrix.Dense{}

// overlapping returns the cached benchmark data set of n rows (d = 8, k = 8,
// centres spread over [-1.5, 1.5]^8): clusters overlap enough that Lloyd
// needs about a dozen iterations, as in the comparison with scikit-learn that
// `go run ./cmd/build bench` makes on the same generator.
func overlapping(n int) *matrix.Dense {
	if x, ok := benchData[n]; ok {
		return x
	}
	x, _ := synth.Blobs(n, 8, 8, benchSpread, benchSeed)
	benchData[n] = x
	return x
}

func benchmarkFitter(b *testing.B, f Fitter, n int) {
	x := overlapping(n)
	b.ReportAllocs()
	b.ResetTimer()
	var m *Model
	for b.Loop() {
		var err error
		m, err = f.Fit(context.Background(), x)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.Iterations), "iters")
}

func BenchmarkKMeans(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkFitter(b, &KMeans{K: 8, NInit: 1, Seed: 1}, n)
		})
	}
}

func BenchmarkMiniBatchKMeans(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkFitter(b, &MiniBatchKMeans{K: 8, NInit: 1, Seed: 1}, n)
		})
	}
}

// BenchmarkKernels times the distance kernels of the assignment passes on
// 8-d rows and k = 8 (the page benchmark's shape): the full search of a
// row (nearest2Rows) and the distance to its own centre (sqdistRows), per
// block of assignBlock rows. Natively they use AVX2 where the CPU has it;
// under js/wasm they are the pure Go loops.
func BenchmarkKernels(b *testing.B) {
	const d, k = 8, 8
	x, _ := synth.Blobs(assignBlock, d, k, 1.5, 1)
	cs := x.Data[:k*d]
	csT := make([]float64, k*d)
	transposeGroups(csT, cs, k, d)
	xo, co := make([]int, assignBlock), make([]int, assignBlock)
	for i := range xo {
		xo[i], co[i] = i*d, (i%k)*d
	}
	best := make([]int, assignBlock)
	d1, d2, out := make([]float64, assignBlock), make([]float64, assignBlock), make([]float64, assignBlock)
	b.Run("nearest2Rows", func(b *testing.B) {
		for b.Loop() {
			nearest2Rows(x.Data, csT, cs, d, k, xo, best, d1, d2)
		}
	})
	b.Run("sqdistRows", func(b *testing.B) {
		for b.Loop() {
			sqdistRows(x.Data, cs, d, xo, co, out)
		}
	})
}
