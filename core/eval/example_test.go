package eval_test

import (
	"fmt"

	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
)

func Example() {
	x, _ := matrix.FromRows([][]float64{
		{0, 0}, {0, 1}, {1, 0}, // segment 4
		{5, 5}, {5, 6}, {6, 5}, // segment 9
		{20, 20}, // noise
	})
	labels := []int{4, 4, 4, 9, 9, 9, -1}

	s, err := eval.Summarize(x, labels, nil, eval.SummaryOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("k=%d sizes=%v silhouette=%.3f CH=%.1f DB=%.3f inertia=%.3f\n",
		s.K, s.Sizes, s.Silhouette, s.CalinskiHarabasz, s.DaviesBouldin, s.Inertia)

	truth := []int{0, 0, 0, 1, 1, 2, -1}
	ari, _ := eval.AdjustedRand(truth, labels)
	nmi, _ := eval.NormalizedMutualInfo(truth, labels)
	fmt.Printf("ARI=%.3f NMI=%.3f\n", ari, nmi)
	// Output:
	// k=2 sizes=[3 3] silhouette=0.840 CH=112.5 DB=0.185 inertia=2.667
	// ARI=0.741 NMI=0.880
}
