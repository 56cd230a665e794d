package cluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// TestWriteDensityBenchData writes the benchmark inputs as raw float64 files
// for scripts/density_peer.py when SEGKIT_BENCH_OUT names a folder.
func TestWriteDensityBenchData(t *testing.T) {
	dir := os.Getenv("SEGKIT_BENCH_OUT")
	if dir == "" {
		t.Skip("SEGKIT_BENCH_OUT not set")
	}
	for _, s := range []struct{ n, d int }{{1e4, 2}, {1e5, 2}, {1e4, 8}, {1e5, 8}, {1e3, 8}, {3e3, 8}} {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("blobs_%d_%d.f64", s.n, s.d)))
		if err != nil {
			t.Fatal(err)
		}
		if err := synth.WriteFloat64(f, densityBlobs(s.n, s.d)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
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
