package prep

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/dataset"
)

// sklearnRef is testdata/sklearn_ref.json, written by testdata/sklearn_ref.py.
type sklearnRef struct {
	Numeric  map[string][]*float64 `json:"numeric"`
	Genre    []*string             `json:"genre"`
	Skewness map[string]float64    `json:"skewness"`
	Cases    []struct {
		Impute     string      `json:"impute"`
		Scale      string      `json:"scale"`
		LogColumns []string    `json:"log_columns"`
		Features   []string    `json:"features"`
		Expected   [][]float64 `json:"expected"`
	} `json:"cases"`
}

func loadSklearnRef(t *testing.T) (*sklearnRef, *dataset.Table) {
	t.Helper()
	b, err := os.ReadFile("testdata/sklearn_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref sklearnRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var cols []*dataset.Column
	for _, name := range []string{"Age", "Income", "Balance", "Const", "Returns"} {
		kind := dataset.KindFloat
		if name == "Age" || name == "Returns" {
			kind = dataset.KindInteger
		}
		var v []float64
		for _, p := range ref.Numeric[name] {
			if p == nil {
				v = append(v, nan)
			} else {
				v = append(v, *p)
			}
		}
		cols = append(cols, numCol(name, kind, v...))
	}
	var g []string
	for _, p := range ref.Genre {
		if p == nil {
			g = append(g, "")
		} else {
			g = append(g, *p)
		}
	}
	cols = append(cols, strCol("Genre", dataset.KindCategorical, g...))
	return &ref, table(cols...)
}

// TestSklearn compares Fit with scikit-learn 1.2.1's SimpleImputer,
// FunctionTransformer(np.log1p), StandardScaler, MinMaxScaler, RobustScaler
// and OneHotEncoder on a small table with missing values, a constant column
// and a mostly-zero column.
func TestSklearn(t *testing.T) {
	ref, tb := loadSklearnRef(t)
	for _, c := range ref.Cases {
		name := c.Impute + "/" + c.Scale + "/log=" + strings.Join(c.LogColumns, "+")
		t.Run(name, func(t *testing.T) {
			imp, err := ParseImpute(c.Impute)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := ParseScale(c.Scale)
			if err != nil {
				t.Fatal(err)
			}
			spec := Spec{Impute: imp, Scale: sc, Log: LogNone, LogColumns: c.LogColumns, OneHot: true}
			p, rep, rows := mustFit(t, tb, spec)
			if !slices.Equal(p.FeatureNames(), c.Features) {
				t.Fatalf("features %q, want %q", p.FeatureNames(), c.Features)
			}
			if !slices.Equal(rep.Logged, c.LogColumns) && len(rep.Logged)+len(c.LogColumns) > 0 {
				t.Errorf("logged %q, want %q", rep.Logged, c.LogColumns)
			}
			for i, want := range c.Expected {
				for j := range want {
					if !closeTo(rows[i][j], want[j], 1e-12) {
						t.Errorf("row %d %s = %.17g, want %.17g", i, c.Features[j], rows[i][j], want[j])
					}
				}
			}
		})
	}
}

func TestSkewnessMatchesScipy(t *testing.T) {
	ref, tb := loadSklearnRef(t)
	_, rep, _ := mustFit(t, tb, Spec{})
	for name, want := range ref.Skewness {
		if got := rep.Skewness[name]; !closeTo(got, want, 1e-12) {
			t.Errorf("skewness %s = %v, want %v", name, got, want)
		}
	}
	if got := rep.Skewness["Const"]; got != 0 {
		t.Errorf("skewness of a constant column = %v, want 0", got)
	}
	// LogAuto: non-negative and skewness > 1. Balance is skewed but has
	// negative values; Const is not skewed.
	if want := []string{"Age", "Income", "Returns"}; !slices.Equal(rep.Logged, want) {
		t.Errorf("LogAuto logged %q, want %q", rep.Logged, want)
	}
	if want := []string{"Const"}; !slices.Equal(rep.ZeroVariance, want) {
		t.Errorf("ZeroVariance %q, want %q", rep.ZeroVariance, want)
	}
	for _, v := range ref.Skewness {
		if math.IsNaN(v) {
			t.Fatal("NaN in reference")
		}
	}
}
