package prep

import (
	"math"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

var nan = math.NaN()

// numCol builds a numeric column, counting NaN as missing.
func numCol(name string, kind dataset.Kind, v ...float64) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: kind, Num: v}
	for _, x := range v {
		if math.IsNaN(x) {
			c.Missing++
		}
	}
	return c
}

// strCol builds a string column, counting "" as missing.
func strCol(name string, kind dataset.Kind, v ...string) *dataset.Column {
	c := &dataset.Column{Name: name, Kind: kind, Str: v}
	for _, x := range v {
		if x == "" {
			c.Missing++
		}
	}
	return c
}

func table(cols ...*dataset.Column) *dataset.Table {
	t := &dataset.Table{Columns: cols}
	if len(cols) > 0 {
		t.Rows = cols[0].Len()
	}
	return t
}

// mall is the first rows of Mall_Customers.csv, with a few values removed.
func mall() *dataset.Table {
	return table(
		strCol("CustomerID", dataset.KindIdentifier, "0001", "0002", "0003", "0004", "0005", "0006"),
		strCol("Genre", dataset.KindCategorical, "Male", "Male", "Female", "", "Female", "Female"),
		numCol("Age", dataset.KindInteger, 19, 21, nan, 23, 31, 22),
		numCol("Annual Income (k$)", dataset.KindInteger, 15, 15, 16, 16, 17, nan),
		numCol("Spending Score (1-100)", dataset.KindInteger, 39, 81, 6, 77, 40, 76),
	)
}

func closeTo(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func mustFit(t *testing.T, tb *dataset.Table, spec Spec) (*Pipeline, *Report, [][]float64) {
	t.Helper()
	p, m, rep, err := Fit(tb, spec)
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	rows := make([][]float64, m.Rows)
	for i := range rows {
		rows[i] = m.Row(i)
	}
	return p, rep, rows
}
