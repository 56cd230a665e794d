package explain_test

import (
	"fmt"
	"os"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/explain"
)

func ExampleTree() {
	// Ten customers: segment 1 earns more than 60 (k$), segment 0 less.
	t := &dataset.Table{Rows: 10, Columns: []*dataset.Column{
		{Name: "Annual Income (k$)", Kind: dataset.KindInteger, Num: []float64{15, 20, 28, 33, 41, 79, 85, 88, 93, 120}},
		{Name: "Genre", Kind: dataset.KindCategorical, Str: []string{"Male", "Female", "Female", "Male", "Female", "Male", "Female", "Male", "Male", "Female"}},
	}}
	labels := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	e, err := explain.Tree(t, labels, explain.Options{MinLeaf: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = e.Text(os.Stdout)
	fmt.Println("row 4 →", e.Predict(t, 4))
	// Output:
	// Decision rules (depth 1) on 10 clustered rows; fidelity 100.0 %
	//   Annual Income (k$) ≤ 60 → segment 0  [5 of 5 rows]
	//   Annual Income (k$) > 60 → segment 1  [5 of 5 rows]
	// row 4 → 0
}
