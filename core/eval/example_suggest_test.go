package eval_test

import (
	"context"
	"fmt"

	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
)

func ExampleSuggest() {
	// Three tight groups of customers on two scaled features.
	var rows [][]float64
	for _, c := range [][2]float64{{0, 0}, {6, 0}, {3, 5}} {
		for i := range 40 {
			dx, dy := float64(i%7)/10, float64(i/7)/10
			rows = append(rows, []float64{c[0] + dx, c[1] + dy})
		}
	}
	x, _ := matrix.FromRows(rows)

	s, err := eval.Suggest(context.Background(), x, eval.SuggestOptions{KMax: 6, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("suggested k:", s.SuggestedK)
	fmt.Println("silhouette vote:", s.Votes["silhouette"], "gap vote:", s.Votes["gap"])
	fmt.Println(s.Reasons[len(s.Reasons)-1])
	// Output:
	// suggested k: 3
	// silhouette vote: 3 gap vote: 3
	// fitted on all 120 rows; gap statistic from 5 uniform reference sets; stability from 5 pairs of 96-row subsamples
}

func ExampleKneedle() {
	// Inertia of k-means for k = 1..7: a sharp bend at k = 3.
	ks := []float64{1, 2, 3, 4, 5, 6, 7}
	inertia := []float64{1000, 420, 130, 105, 90, 80, 72}
	i, ok := eval.Kneedle(ks, inertia, true, true)
	fmt.Println(ks[i], ok)
	// Output:
	// 3 true
}
