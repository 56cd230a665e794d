package eval

import (
	"math/rand/v2"
	"testing"
)

func benchmarkSilhouette(b *testing.B, n int) {
	x, labels := blobs(n, 8, 5, false, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Silhouette(x, labels); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSilhouette1e3(b *testing.B) { benchmarkSilhouette(b, 1_000) }
func BenchmarkSilhouette1e4(b *testing.B) { benchmarkSilhouette(b, 10_000) }

func benchmarkAdjustedRand(b *testing.B, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	truth, pred := make([]int, n), make([]int, n)
	for i := range n {
		truth[i] = rng.IntN(10)
		pred[i] = (truth[i] + rng.IntN(3)) % 12
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AdjustedRand(truth, pred); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdjustedRand1e6(b *testing.B) { benchmarkAdjustedRand(b, 1_000_000) }
