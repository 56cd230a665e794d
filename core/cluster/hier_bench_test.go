package cluster

import (
	"fmt"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

var hierBenchData = map[int]*matrix.Dense{}

// blobsSeed1 returns synth.Blobs(n, 8, 8, 1.5, 1), the data of the speed
// targets; scripts/hier_peer.py times scikit-learn on the same rows
// (written with synth.WriteFloat64).
func blobsSeed1(n int) *matrix.Dense {
	if x, ok := hierBenchData[n]; ok {
		return x
	}
	x, _ := synth.Blobs(n, 8, 8, 1.5, 1)
	hierBenchData[n] = x
	return x
}

func benchmarkHier(b *testing.B, f Fitter, n int) {
	x := blobsSeed1(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Fit(b.Context(), x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAgglomerative(b *testing.B) {
	for _, l := range []string{"ward", "single", "average"} {
		for _, n := range []int{1e3, 5e3, 2e4} {
			if l == "average" && n > 1e4 {
				continue
			}
			b.Run(fmt.Sprintf("%s/n=%d", l, n), func(b *testing.B) {
				benchmarkHier(b, &Agglomerative{K: 8, Linkage: l}, n)
			})
		}
	}
}

// BenchmarkBirch uses Threshold 2 (789 subclusters at 100k rows, as
// scikit-learn's tree): at the default 0.5 these rows make 84,547
// subclusters, beyond the Ward global step of both tools.
func BenchmarkBirch(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkHier(b, &Birch{K: 8, Threshold: 2}, n)
		})
	}
}
