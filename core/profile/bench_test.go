package profile_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/profile"
)

// benchTable returns n rows of 6 numeric and 2 categorical columns, with k
// segments that shift the means, and their labels.
func benchTable(n, k int) (*dataset.Table, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	t := &dataset.Table{Rows: n}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	for j := range 6 {
		c := &dataset.Column{Name: fmt.Sprintf("x%d", j), Kind: dataset.KindFloat, Num: make([]float64, n)}
		for i := range c.Num {
			c.Num[i] = float64(labels[i]*(j+1)%k) + rng.NormFloat64()
		}
		t.Columns = append(t.Columns, c)
	}
	for j, m := range []int{3, 25} {
		c := &dataset.Column{Name: fmt.Sprintf("c%d", j), Kind: dataset.KindCategorical, Str: make([]string, n)}
		for i := range c.Str {
			c.Str[i] = fmt.Sprintf("v%d", (labels[i]+rng.IntN(m))%m)
		}
		t.Columns = append(t.Columns, c)
	}
	return t, labels
}

func benchmarkBuild(b *testing.B, n int) {
	t, labels := benchTable(n, 8)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := profile.Build(t, labels, profile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchmarkBuild(b, n) })
	}
}
