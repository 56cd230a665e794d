package prep

import (
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

// benchTable returns n rows of 6 numeric columns (some missing) and one
// categorical column.
func benchTable(n int) *dataset.Table {
	rng := rand.New(rand.NewPCG(3, 4))
	var cols []*dataset.Column
	for j := range 6 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.ExpFloat64() * float64(j+1)
			if rng.IntN(50) == 0 {
				v[i] = nan
			}
		}
		cols = append(cols, numCol(string(rune('A'+j)), dataset.KindFloat, v...))
	}
	g := make([]string, n)
	for i := range g {
		g[i] = []string{"north", "south", "east", "west"}[rng.IntN(4)]
	}
	cols = append(cols, strCol("Region", dataset.KindCategorical, g...))
	return table(cols...)
}

func benchFit(b *testing.B, n int) {
	tb := benchTable(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, _, err := Fit(tb, Spec{OneHot: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFit1e3(b *testing.B) { benchFit(b, 1e3) }
func BenchmarkFit1e4(b *testing.B) { benchFit(b, 1e4) }
func BenchmarkFit1e5(b *testing.B) { benchFit(b, 1e5) }
func BenchmarkFit1e6(b *testing.B) { benchFit(b, 1e6) }

func BenchmarkTransformRecord(b *testing.B) {
	p, _, _, err := Fit(benchTable(1000), Spec{OneHot: true})
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{"A": "1,234.5", "B": 3.0, "C": nil, "D": "NA", "E": 2, "F": 0.5, "Region": "east"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.TransformRecord(rec); err != nil {
			b.Fatal(err)
		}
	}
}
