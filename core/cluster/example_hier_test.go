package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleAgglomerative() {
	// Customers as (spend, visits): two tight groups and one apart.
	x, err := matrix.FromRows([][]float64{
		{1, 1}, {1.5, 1}, {1, 1.5},
		{8, 8}, {8.5, 8},
		{20, 1},
	})
	if err != nil {
		panic(err)
	}
	ward := &cluster.Agglomerative{K: 3} // Linkage "" is Ward
	m, tree, err := ward.FitTree(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	// The tree is scipy's linkage matrix (heights checked against scipy).
	for _, mg := range tree.Merges {
		fmt.Printf("merge %d+%d at %.3f (%d rows)\n", mg.A, mg.B, mg.Height, mg.Size)
	}
	// Cut the same tree again without refitting.
	two, _ := tree.Cut(2)
	fmt.Println("2 clusters:", two)
	a, _ := m.Predict([]float64{9, 9})
	fmt.Printf("new point: segment %d, %.3f from its centroid\n", a.Label, a.Distance)
	// Output:
	// labels: [0 0 0 1 1 2]
	// merge 0+1 at 0.500 (2 rows)
	// merge 3+4 at 0.500 (2 rows)
	// merge 2+6 at 0.645 (3 rows)
	// merge 7+8 at 15.247 (5 rows)
	// merge 5+9 at 20.992 (6 rows)
	// 2 clusters: [0 0 0 0 0 1]
	// new point: segment 1, 1.250 from its centroid
}

func ExampleBirch_PartialFit() {
	// A file too large to hold streams through in chunks.
	chunks := [][][]float64{
		{{0, 0}, {0.2, 0.1}, {5, 5}},
		{{5.1, 4.9}, {0.1, 0.2}, {5.2, 5.1}},
	}
	b := &cluster.Birch{K: 2, Threshold: 0.5}
	ctx := context.Background()
	for _, rows := range chunks {
		x, err := matrix.FromRows(rows)
		if err != nil {
			panic(err)
		}
		if err := b.PartialFit(ctx, x); err != nil {
			panic(err)
		}
	}
	m, err := b.Finish(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("clusters:", m.K)
	// Second pass: label the rows (here one point) with the model.
	a, _ := m.Predict([]float64{4.8, 5})
	fmt.Printf("segment %d, centre (%.2f, %.2f)\n", a.Label, m.Centers.At(a.Label, 0), m.Centers.At(a.Label, 1))
	// Output:
	// clusters: 2
	// segment 1, centre (5.10, 5.00)
}
