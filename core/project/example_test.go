package project_test

import (
	"fmt"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/project"
)

// Fit a two-component PCA and place the rows, and a new customer, on the
// scatter plot's axes. The numbers agree with scikit-learn 1.2.1's PCA.
func ExamplePCA_Fit() {
	// Spend and visits rise together; the third column is nearly constant.
	x, _ := matrix.FromRows([][]float64{
		{10, 1, 5.0},
		{20, 2, 5.1},
		{30, 3, 4.9},
		{40, 4, 5.0},
		{50, 6, 5.0},
	})
	pr, err := (&project.PCA{}).Fit(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("explained variance ratio: %.4f %.4f\n",
		pr.ExplainedVarianceRatio[0], pr.ExplainedVarianceRatio[1])
	fmt.Printf("first axis: %.3f\n", pr.Components.Row(0))
	y, _ := pr.Transform(x)
	for i := range y.Rows {
		fmt.Printf("row %d: %6.2f %6.2f\n", i, y.At(i, 0), y.At(i, 1))
	}
	p, _ := pr.Point([]float64{25, 2, 5})
	fmt.Printf("new: %6.2f %6.2f\n", p[0], p[1])
	// Output:
	// explained variance ratio: 0.9996 0.0004
	// first axis: [0.993 0.119 -0.001]
	// row 0: -20.12   0.20
	// row 1: -10.07   0.01
	// row 2:  -0.02  -0.20
	// row 3:  10.02  -0.40
	// row 4:  20.19   0.40
	// new:  -5.11  -0.59
}

// Choose at most 5 of 1,000 rows to draw, the same ones on every run.
func ExampleSample() {
	fmt.Println(project.Sample(1000, 5, 1))
	fmt.Println(project.Sample(3, 5, 1))
	// Output:
	// [195 516 566 772 993]
	// [0 1 2]
}
