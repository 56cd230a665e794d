package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleKMeans() {
	// Two groups of customers: (spend, visits).
	x, err := matrix.FromRows([][]float64{
		{1, 1}, {1.5, 2}, {1, 1.5},
		{8, 8}, {9, 8.5}, {8.5, 9},
	})
	if err != nil {
		panic(err)
	}
	km := &cluster.KMeans{K: 2, Seed: 42}
	m, err := km.Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	fmt.Printf("inertia: %.3f, converged: %v\n", m.Inertia, m.Converged)

	// A new customer joins the nearest centre.
	a, err := m.Predict([]float64{2, 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("new point: segment %d at distance %.3f\n", a.Label, a.Distance)
	// Output:
	// labels: [1 1 1 0 0 0]
	// inertia: 1.667, converged: true
	// new point: segment 1 at distance 0.972
}

func ExampleModel_Predict_errors() {
	x, _ := matrix.FromRows([][]float64{{0, 0}, {1, 1}, {9, 9}})
	m, _ := (&cluster.KMeans{K: 2}).Fit(context.Background(), x)
	_, err := m.Predict([]float64{1})
	fmt.Println(err)
	// Output:
	// cluster: invalid input: point has 1 values, the model expects 2
}
