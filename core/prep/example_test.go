package prep_test

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/prep"
)

// The first rows of Mall_Customers.csv, as the dataset reader types them,
// with two values missing.
func mallTable() *dataset.Table {
	return &dataset.Table{Rows: 4, Columns: []*dataset.Column{
		{Name: "CustomerID", Kind: dataset.KindIdentifier, Str: []string{"0001", "0002", "0003", "0004"}},
		{Name: "Genre", Kind: dataset.KindCategorical, Str: []string{"Male", "Male", "Female", ""}, Missing: 1},
		{Name: "Age", Kind: dataset.KindInteger, Num: []float64{19, 21, math.NaN(), 23}, Missing: 1},
		{Name: "Spending Score (1-100)", Kind: dataset.KindInteger, Num: []float64{39, 81, 6, 77}},
	}}
}

func ExampleFit() {
	p, m, rep, err := prep.Fit(mallTable(), prep.Spec{OneHot: true, Scale: prep.ScaleMinMax})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.FeatureNames())
	for i := range m.Rows {
		fmt.Printf("%.3f\n", m.Row(i))
	}
	fmt.Println("imputed:", rep.Imputed)
	// Output:
	// [Genre=Female Genre=Male Age Spending Score (1-100)]
	// [0.000 1.000 0.000 0.440]
	// [0.000 1.000 0.500 1.000]
	// [1.000 0.000 0.500 0.000]
	// [0.000 1.000 1.000 0.947]
	// imputed: map[Age:1 Genre:1]
}

func ExamplePipeline_TransformRecord() {
	p, _, _, err := prep.Fit(mallTable(), prep.Spec{OneHot: true, Scale: prep.ScaleMinMax})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A customer posted as JSON: raw fields as in the file; unknown fields
	// are ignored, a missing field is imputed, an unseen category gives zeros.
	var rec map[string]any
	_ = json.Unmarshal([]byte(`{"CustomerID": "0201", "Genre": "Other", "Spending Score (1-100)": "52"}`), &rec)
	x, err := p.TransformRecord(rec)
	if err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%.3f\n", x)

	_, err = p.TransformRecord(map[string]any{"Age": "twenty"})
	fmt.Println(err)
	// Output:
	// [0.000 0.000 0.500 0.613]
	// prep: field "Age": value "twenty" is not a number
}

func ExampleFit_unknownColumn() {
	_, _, _, err := prep.Fit(mallTable(), prep.Spec{Columns: []string{"Agee"}})
	fmt.Println(err)
	_, _, _, err = prep.Fit(mallTable(), prep.Spec{Columns: []string{"Genre"}})
	fmt.Println(err)
	// Output:
	// prep: unknown column "Agee"; available: CustomerID, Genre, Age, Spending Score (1-100)
	// prep: not a feature: column "Genre" is categorical; set OneHot to encode it as one 0/1 indicator per category
}
