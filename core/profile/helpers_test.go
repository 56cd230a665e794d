package profile_test

import (
	"context"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/internal/shareddata"
)

const (
	income   = "Annual Income (k$)"
	spending = "Spending Score (1-100)"
)

// mall reads Mall_Customers.csv (skipping the test when the shared data is
// absent).
func mall(tb testing.TB) *dataset.Table {
	tb.Helper()
	t, err := dataset.ReadFile(shareddata.Path(tb, "Mall_Customers.csv"), dataset.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// mallKMeans clusters Mall customers on income and spending (standardised)
// with k-means, k = 5.
func mallKMeans(tb testing.TB, t *dataset.Table) []int {
	tb.Helper()
	_, x, rep, err := prep.Fit(t, prep.Spec{Columns: []string{income, spending}})
	if err != nil {
		tb.Fatal(err)
	}
	if rep.RowsDropped != 0 {
		tb.Fatalf("%d rows dropped", rep.RowsDropped)
	}
	m, err := (&cluster.KMeans{K: 5, Seed: 1}).Fit(context.Background(), x)
	if err != nil {
		tb.Fatal(err)
	}
	return m.Labels
}
