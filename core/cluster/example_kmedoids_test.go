package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleKMedoids() {
	// Customers: region (a category code), age and yearly spend, unscaled:
	// Gower's distance normalises each numeric column by its range.
	x, err := matrix.FromRows([][]float64{
		{0, 23, 300}, {0, 25, 350}, {0, 31, 320},
		{2, 61, 2100}, {2, 58, 1900}, {1, 64, 2000},
	})
	if err != nil {
		panic(err)
	}
	km := &cluster.KMedoids{K: 2, Categorical: []bool{true, false, false}}
	m, err := km.Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	fmt.Println("medoid rows:", m.Predictor.(*cluster.MedoidPredictor).Rows)
	fmt.Printf("total Gower distance: %.3f\n", m.Inertia)

	a, err := m.Predict([]float64{1, 40, 800})
	if err != nil {
		panic(err)
	}
	fmt.Printf("new customer: segment %d at Gower distance %.3f\n", a.Label, a.Distance)
	// Output:
	// labels: [0 0 0 1 1 1]
	// medoid rows: [1 3]
	// total Gower distance: 0.518
	// new customer: segment 0 at Gower distance 0.539
}

func ExampleGower_Distance() {
	g := cluster.Gower{
		Categorical: []bool{false, true, false},
		Ranges:      []float64{40, 0, 100}, // training ranges of the numeric columns
	}
	// (|20-30|/40 + 1 (different category) + |50-40|/100) / 3
	fmt.Printf("%.2f\n", g.Distance([]float64{20, 1, 50}, []float64{30, 0, 40}))
	// Output:
	// 0.45
}
