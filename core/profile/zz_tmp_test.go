package profile_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/profile"
)

func BenchmarkZZBuildNumeric(b *testing.B) {
	n := 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	t := &dataset.Table{Rows: n}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(8)
	}
	for j := range 8 {
		c := &dataset.Column{Name: fmt.Sprintf("x%d", j), Kind: dataset.KindFloat, Num: make([]float64, n)}
		for i := range c.Num {
			c.Num[i] = float64(labels[i]*(j+1)%8)*3 + rng.NormFloat64()
		}
		t.Columns = append(t.Columns, c)
	}
	for b.Loop() {
		if _, err := profile.Build(t, labels, profile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
