package profile_test

import (
	"fmt"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/profile"
)

func ExampleBuild() {
	// Eight customers in two segments.
	t := &dataset.Table{Rows: 8, Columns: []*dataset.Column{
		{Name: "Annual Income (k$)", Kind: dataset.KindInteger, Num: []float64{15, 18, 20, 22, 80, 85, 90, 95}},
		{Name: "Genre", Kind: dataset.KindCategorical, Str: []string{"Female", "Female", "Female", "Male", "Male", "Male", "Female", "Male"}},
	}}
	p, err := profile.Build(t, []int{0, 0, 0, 0, 1, 1, 1, 1}, profile.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Segments {
		fmt.Printf("%d %s: %s\n", s.ID, s.Name, s.Description)
		for _, f := range s.Distinguishing {
			fmt.Printf("  %s (effect %.2f)\n", f.Text, f.Effect)
		}
	}
	if err := p.Rename(1, "Affluent"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(p.Names())
	// Output:
	// 0 Low income · Mostly Female: 4 customers (50 %) with low annual income (mean 18.8) and mostly Female (75 % vs 50 %)
	//   Annual Income (k$) low: mean 18.8 vs 53.1 (effect -13.67)
	//   Genre = Female over-represented: 75 % vs 50 % (effect 1.05)
	// 1 High income · Mostly Male: 4 customers (50 %) with high annual income (mean 87.5) and mostly Male (75 % vs 50 %)
	//   Annual Income (k$) high: mean 87.5 vs 53.1 (effect 13.67)
	//   Genre = Male over-represented: 75 % vs 50 % (effect 1.05)
	// map[0:Low income · Mostly Female 1:Affluent]
}
