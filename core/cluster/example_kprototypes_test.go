package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleKPrototypes() {
	// Customers: channel (0 = web, 1 = store, a category code), then
	// standardised spend and visits.
	x, err := matrix.FromRows([][]float64{
		{0, -1.0, -1.2}, {0, -1.1, -0.9}, {0, -0.9, -1.0},
		{1, 1.0, 1.1}, {1, 1.2, 0.9}, {1, 0.9, 1.0},
	})
	if err != nil {
		panic(err)
	}
	kp := &cluster.KPrototypes{K: 2, Categorical: []bool{true, false, false}, Seed: 1}
	m, err := kp.Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	fmt.Printf("prototype of segment %d: channel %v, spend %.2f, visits %.2f\n",
		m.Labels[0], m.Centers.At(m.Labels[0], 0), m.Centers.At(m.Labels[0], 1), m.Centers.At(m.Labels[0], 2))

	// A new web customer who spends like store customers: the cost is the
	// squared distance plus Gamma for the channel mismatch.
	a, err := m.Predict([]float64{0, 1.0, 1.0})
	if err != nil {
		panic(err)
	}
	fmt.Printf("new customer: segment %d, distance %.3f\n", a.Label, a.Distance)
	// Output:
	// labels: [0 0 0 1 1 1]
	// prototype of segment 0: channel 0, spend -1.00, visits -1.03
	// new customer: segment 1, distance 0.716
}
