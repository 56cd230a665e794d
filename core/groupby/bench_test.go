package groupby

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

func benchTable(n int) *dataset.Table {
	rng := rand.New(rand.NewPCG(3, 4))
	country := &dataset.Column{Name: "country", Kind: dataset.KindCategorical, Str: make([]string, n)}
	age := &dataset.Column{Name: "age", Kind: dataset.KindInteger, Num: make([]float64, n)}
	names := make([]string, 40)
	for i := range names {
		names[i] = "Country " + strconv.Itoa(i)
	}
	for i := 0; i < n; i++ {
		country.Str[i] = names[min(rng.IntN(40), rng.IntN(40))]
		age.Num[i] = float64(16 + rng.IntN(70))
	}
	return &dataset.Table{Columns: []*dataset.Column{country, age}, Rows: n}
}

func BenchmarkSegment1e6(b *testing.B) {
	t := benchTable(1e6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Segment(t, Rule{Column: "country"}, Rule{Column: "age", Kind: ByBands}); err != nil {
			b.Fatal(err)
		}
	}
}
