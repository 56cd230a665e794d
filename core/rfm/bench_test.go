package rfm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

func benchCompute(b *testing.B, t *dataset.Table, spec Spec) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(t, spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComputeOnlineRetail(b *testing.B) { benchCompute(b, readRetail(b), retailSpec) }

// synthLog makes a log of n lines: n/20 customers with integer ids, invoices
// of about 5 lines, 2% cancellations, 10% rows without customer, dates over
// two years.
func synthLog(n int) *dataset.Table {
	rng := rand.New(rand.NewPCG(1, 2))
	cust := &dataset.Column{Name: "customer", Kind: dataset.KindInteger, Num: make([]float64, n)}
	inv := &dataset.Column{Name: "invoice", Kind: dataset.KindIdentifier, Str: make([]string, n)}
	date := &dataset.Column{Name: "date", Kind: dataset.KindDate, Num: make([]float64, n), DateLayout: "2006-01-02 15:04"}
	qty := &dataset.Column{Name: "quantity", Kind: dataset.KindInteger, Num: make([]float64, n)}
	price := &dataset.Column{Name: "price", Kind: dataset.KindFloat, Num: make([]float64, n)}
	customers := max(1, n/20)
	var c, d float64
	var invoice string
	for i := 0; i < n; i++ {
		if i%5 == 0 {
			c = float64(10000 + rng.IntN(customers))
			d = 1.2e9 + math.Floor(rng.Float64()*2*365*86400/60)*60
			invoice = fmt.Sprint(500000 + i/5)
			if rng.IntN(50) == 0 {
				invoice = "C" + invoice
			}
		}
		cust.Num[i] = c
		if rng.IntN(10) == 0 {
			cust.Num[i] = math.NaN()
			cust.Missing++
		}
		inv.Str[i] = invoice
		date.Num[i] = d
		q := float64(1 + rng.IntN(12))
		if invoice[0] == 'C' {
			q = -q
		}
		qty.Num[i] = q
		price.Num[i] = float64(1+rng.IntN(2000)) / 100
	}
	return &dataset.Table{Columns: []*dataset.Column{cust, inv, date, qty, price}, Rows: n}
}

var synthSpec = Spec{Customer: "customer", Date: "date", Quantity: "quantity", Price: "price", Invoice: "invoice"}

func BenchmarkComputeSynth1e4(b *testing.B) { benchCompute(b, synthLog(1e4), synthSpec) }
func BenchmarkComputeSynth1e5(b *testing.B) { benchCompute(b, synthLog(1e5), synthSpec) }
func BenchmarkComputeSynth1e6(b *testing.B) { benchCompute(b, synthLog(1e6), synthSpec) }
