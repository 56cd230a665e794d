package project

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
)

// reference is testdata/pca_reference.json, written by
// testdata/pca_reference.py from scikit-learn 1.2.1.
type reference struct {
	Origin struct {
		Tool           string `json:"tool"`
		SklearnVersion string `json:"sklearn_version"`
	} `json:"origin"`
	Cases []refCase `json:"cases"`
}

// refCase is one input with scikit-learn's results.
type refCase struct {
	Name                   string      `json:"name"`
	X                      [][]float64 `json:"x"`
	Mean                   []float64   `json:"mean"`
	SklearnComponents      [][]float64 `json:"sklearn_components"`
	Signs                  []float64   `json:"signs"`
	Components             [][]float64 `json:"components"`
	ExplainedVariance      []float64   `json:"explained_variance"`
	ExplainedVarianceRatio []float64   `json:"explained_variance_ratio"`
	Transformed            [][]float64 `json:"transformed"`
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	b, err := os.ReadFile("testdata/pca_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Origin.Tool != "scikit-learn" || ref.Origin.SklearnVersion != "1.2.1" || len(ref.Cases) == 0 {
		t.Fatalf("testdata/pca_reference.json: unexpected origin %+v or no cases", ref.Origin)
	}
	return &ref
}

// relTol is the relative tolerance of every comparison with scikit-learn.
const relTol = 1e-9

// near reports whether got is within relTol of want, relative to |want|; a
// value below floor in magnitude is compared relative to floor instead.
func near(got, want, floor float64) bool {
	return math.Abs(got-want) <= relTol*max(math.Abs(want), floor)
}

func mustRows(t testing.TB, rows [][]float64) *matrix.Dense {
	t.Helper()
	m, err := matrix.FromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReference compares every component of a full fit with scikit-learn's
// PCA(svd_solver="full"): mean, explained variance and its ratio, components
// after the sign convention, and transformed points, each to a relative
// 1e-9. Values smaller than a floor (1e-6 of the largest explained variance
// for variances, 1e-3 for unit-vector entries, 1e-3 of the first
// component's standard deviation for coordinates) are compared relative to
// that floor: their absolute rounding error scales with the largest value,
// not with themselves.
func TestReference(t *testing.T) {
	ref := loadReference(t)
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			x := mustRows(t, tc.X)
			d := x.Cols
			pr, err := (&PCA{Components: d}).Fit(x)
			if err != nil {
				t.Fatal(err)
			}
			if pr.SampleSize != x.Rows {
				t.Errorf("SampleSize = %d, want %d", pr.SampleSize, x.Rows)
			}
			ev0 := tc.ExplainedVariance[0]
			sd0 := math.Sqrt(ev0)
			worst := 0.0
			check := func(what string, i, j int, got, want, floor float64) {
				t.Helper()
				worst = max(worst, math.Abs(got-want)/max(math.Abs(want), floor))
				if !near(got, want, floor) {
					t.Errorf("%s[%d][%d] = %.17g, sklearn %.17g", what, i, j, got, want)
				}
			}
			for j, w := range tc.Mean {
				check("mean", 0, j, pr.Mean[j], w, sd0*1e-3)
			}
			for c := range d {
				check("explained_variance", 0, c, pr.ExplainedVariance[c], tc.ExplainedVariance[c], ev0*1e-6)
				check("explained_variance_ratio", 0, c, pr.ExplainedVarianceRatio[c], tc.ExplainedVarianceRatio[c], 1e-6)
				s := tc.Signs[c]
				if s != 1 && s != -1 {
					t.Fatalf("sign %d = %v, want ±1", c, s)
				}
				for j := range d {
					got := pr.Components.At(c, j)
					check("components", c, j, got, tc.Components[c][j], 1e-3)
					// sklearn's own sign (svd_flip on the scores) differs
					// from ours by exactly the recorded sign.
					check("sklearn_components", c, j, s*got, tc.SklearnComponents[c][j], 1e-3)
				}
			}
			y, err := pr.Transform(x)
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range tc.Transformed {
				for c, w := range row {
					check("transformed", i, c, y.At(i, c), w, sd0*1e-3)
				}
			}
			flipped := 0
			for _, s := range tc.Signs {
				if s < 0 {
					flipped++
				}
			}
			t.Logf("n=%d d=%d: worst relative difference %.2g; sklearn's sign differs on %d of %d components",
				x.Rows, d, worst, flipped, d)

			// The default fit keeps the first two components of the same
			// decomposition, bit for bit.
			pr2, err := (&PCA{}).Fit(x)
			if err != nil {
				t.Fatal(err)
			}
			k := min(2, d)
			if pr2.Components.Rows != k ||
				!slices.Equal(pr2.Components.Data, pr.Components.Data[:k*d]) ||
				!slices.Equal(pr2.ExplainedVariance, pr.ExplainedVariance[:k]) ||
				!slices.Equal(pr2.ExplainedVarianceRatio, pr.ExplainedVarianceRatio[:k]) {
				t.Errorf("default fit is not the first %d components of the full fit", k)
			}
		})
	}
}

// TestReferenceEcoliInput checks that the ecoli input of the reference file,
// read by numpy.loadtxt, is exactly what benchdata.Points reads from the
// shared data.
func TestReferenceEcoliInput(t *testing.T) {
	ref := loadReference(t)
	i := slices.IndexFunc(ref.Cases, func(c refCase) bool {
		return c.Name == "uci_ecoli"
	})
	if i < 0 {
		t.Fatal("no uci_ecoli case")
	}
	x, err := benchdata.Points(shareddata.Path(t, "bench", "uci", "ecoli.data.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want := mustRows(t, ref.Cases[i].X)
	if x.Rows != want.Rows || x.Cols != want.Cols || !slices.Equal(x.Data, want.Data) {
		t.Fatalf("ecoli read by benchdata (%d×%d) differs from the reference input (%d×%d)",
			x.Rows, x.Cols, want.Rows, want.Cols)
	}
}
