package groupby_test

import (
	"fmt"
	"strings"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/groupby"
)

func Example() {
	csv := `customer,country,age
1,United Kingdom,23
2,United Kingdom,31
3,France,45
4,United Kingdom,29
5,France,
`
	t, err := dataset.Read(strings.NewReader(csv), dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := groupby.Segment(t, groupby.Rule{Column: "country"}, groupby.Rule{Column: "age", Kind: groupby.ByBands})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Labels)
	for i, name := range res.Names {
		fmt.Printf("%d %s: %d\n", i, name, res.Sizes[i])
	}
	// Output:
	// [0 1 2 1 -1]
	// 0 United Kingdom · age 18–24: 1
	// 1 United Kingdom · age 25–34: 2
	// 2 France · age 45–54: 1
}

func ExampleAgeBands() {
	fmt.Println(groupby.AgeBands())
	// Output:
	// [18 25 35 45 55 65]
}
