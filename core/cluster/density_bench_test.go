package cluster

import (
	"context"
	"fmt"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// densityBlobs returns the benchmark data of the density-based algorithms:
// synth.Blobs(n, d, 8, 10, 1) — eight well-separated unit-variance clusters
// with centres in [-10, 10]^d. scripts/density_peer.py times scikit-learn on
// the same bytes (see TestWriteDensityBenchData).
func densityBlobs(n, d int) *matrix.Dense {
	key := n*1000 + d
	if x, ok := benchData[-key]; ok {
		return x
	}
	x, _ := synth.Blobs(n, d, 8, 10, 1)
	benchData[-key] = x
	return x
}

func benchmarkDensity(b *testing.B, f Fitter, n, d int) {
	x := densityBlobs(n, d)
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
	b.ReportMetric(float64(m.K), "clusters")
}

// BenchmarkDBSCAN2D: Eps 0.3, MinSamples 5 on 2-D blobs (peer:
// density_peer.py dbscan ... 0.3 5).
func BenchmarkDBSCAN2D(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkDensity(b, &DBSCAN{Eps: 0.3, MinSamples: 5}, n, 2)
		})
	}
}

// BenchmarkDBSCAN8D: Eps 1.5, MinSamples 5 on 8-D blobs.
func BenchmarkDBSCAN8D(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkDensity(b, &DBSCAN{Eps: 1.5, MinSamples: 5}, n, 8)
		})
	}
}

// BenchmarkHDBSCAN2D: MinClusterSize 5 on 2-D blobs.
func BenchmarkHDBSCAN2D(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkDensity(b, &HDBSCAN{}, n, 2)
		})
	}
}

// BenchmarkHDBSCAN8D: MinClusterSize 5 on 8-D blobs.
func BenchmarkHDBSCAN8D(b *testing.B) {
	for _, n := range []int{1e3, 1e4} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkDensity(b, &HDBSCAN{}, n, 8)
		})
	}
}

// BenchmarkMeanShift8D: estimated bandwidth, bin seeding (peer:
// density_peer.py meanshift ...).
func BenchmarkMeanShift8D(b *testing.B) {
	for _, n := range []int{1e3, 3e3, 1e4} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkDensity(b, &MeanShift{}, n, 8)
		})
	}
}
