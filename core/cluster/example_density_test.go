package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleDBSCAN() {
	// Store locations (latitude, longitude): two cities and a lone shop.
	x, err := matrix.FromRows([][]float64{
		{48.8566, 2.3522}, {48.8049, 2.1204}, {48.9362, 2.3574}, // Paris area
		{51.5074, -0.1278}, {51.3762, -0.0982}, {51.6565, -0.3903}, // London area
		{45.7640, 4.8357}, // Lyon
	})
	if err != nil {
		panic(err)
	}
	db := &cluster.DBSCAN{Eps: 50, MinSamples: 3, Metric: cluster.Haversine} // Eps in km
	m, err := db.Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)

	// A new shop in Orly joins the Paris cluster.
	a, err := m.Predict([]float64{48.7262, 2.3652})
	if err != nil {
		panic(err)
	}
	fmt.Printf("Orly: cluster %d, %.1f km from the nearest core shop\n", a.Label, a.Distance)
	// Output:
	// labels: [0 0 0 1 1 1 -1]
	// Orly: cluster 0, 14.5 km from the nearest core shop
}

func ExampleHDBSCAN() {
	x, err := matrix.FromRows([][]float64{
		{1, 1}, {1.2, 1.1}, {0.9, 1.3}, {1.1, 0.8}, {1, 1.2},
		{8, 8}, {8.2, 8.1}, {7.9, 8.3}, {8.1, 7.8}, {8, 8.2},
		{20, 0},
	})
	if err != nil {
		panic(err)
	}
	h := &cluster.HDBSCAN{MinClusterSize: 3}
	m, scores, err := h.FitScores(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	fmt.Printf("outlier score of (20, 0): %.2f\n", scores.OutlierScores[10])
	// Output:
	// labels: [0 0 0 0 0 1 1 1 1 1 -1]
	// outlier score of (20, 0): 0.98
}

func ExampleMeanShift() {
	x, err := matrix.FromRows([][]float64{
		{1, 1}, {1.5, 2}, {1, 1.5}, {8, 8}, {9, 8.5}, {8.5, 9},
	})
	if err != nil {
		panic(err)
	}
	m, err := (&cluster.MeanShift{Bandwidth: 2}).Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", m.Labels)
	fmt.Println("modes:", m.Centers.Data)
	// Output:
	// labels: [1 1 1 0 0 0]
	// modes: [8.5 8.5 1.1666666666666667 1.5]
}
