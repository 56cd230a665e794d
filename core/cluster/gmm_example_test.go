package cluster_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleGaussianMixture() {
	// Two groups of customers: (spend, visits).
	x, err := matrix.FromRows([][]float64{
		{1, 1}, {1.5, 2}, {1, 1.5}, {2, 1.2},
		{8, 8}, {9, 8.5}, {8.5, 9}, {8.2, 9.4},
	})
	if err != nil {
		panic(err)
	}
	gm := &cluster.GaussianMixture{K: 2, Covariance: cluster.CovDiag, Seed: 42}
	m, err := gm.Fit(context.Background(), x)
	if err != nil {
		panic(err)
	}
	mix := m.Predictor.(*cluster.Mixture)
	fmt.Println("labels:", m.Labels)
	fmt.Printf("weights: %.2f, converged: %v\n", mix.Weights, m.Converged)
	bic, aic, _ := cluster.GMMCriterion(m)
	fmt.Printf("BIC %.1f, AIC %.1f\n", bic, aic)

	// A new customer gets the component of highest posterior probability.
	a, err := m.Predict([]float64{2, 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("new point: segment %d, probabilities %.3f, Mahalanobis distance %.2f\n", a.Label, a.Probabilities, a.Distance)
	// scikit-learn 1.2.1's GaussianMixture(2, covariance_type="diag") gives
	// the same labels, weights, BIC (47.408), AIC (46.693) and posteriors.

	// Output:
	// labels: [1 1 1 1 0 0 0 0]
	// weights: [0.50 0.50], converged: true
	// BIC 47.4, AIC 46.7
	// new point: segment 1, probabilities [0.000 1.000], Mahalanobis distance 2.15
}
