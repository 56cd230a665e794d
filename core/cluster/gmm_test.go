package cluster

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/fnv"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// gmmRef is one line of testdata/gmm_hepta_sklearn.jsonl, written by
// scripts/gmm_reference.py with scikit-learn 1.2.1.
type gmmRef struct {
	Cov         string    `json:"cov"`
	Weights     []float64 `json:"weights"`
	Means       []float64 `json:"means"`
	Covariances []float64 `json:"covariances"`
	LowerBound  float64   `json:"lower_bound"`
	NIter       int       `json:"n_iter"`
	Converged   bool      `json:"converged"`
	BIC         float64   `json:"bic"`
	AIC         float64   `json:"aic"`
	Score       float64   `json:"score"`
	Labels      []int     `json:"labels"`
}

func readGMMRefs(t *testing.T) []gmmRef {
	t.Helper()
	f, err := os.Open("testdata/gmm_hepta_sklearn.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var refs []gmmRef
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r gmmRef
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return refs
}

// closeVec reports whether got matches want within rel times the largest
// magnitude in want (so entries near zero are judged on the vector's scale).
func closeVec(got, want []float64, rel float64) bool {
	if len(got) != len(want) {
		return false
	}
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > rel*scale {
			return false
		}
	}
	return true
}

func closeRel(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// TestGaussianMixtureMatchesSklearn starts segkit and scikit-learn from the
// same responsibilities on fcps/hepta and compares the fitted parameters,
// lower bound and criteria to 1e-6 relative (see scripts/gmm_reference.py).
func TestGaussianMixtureMatchesSklearn(t *testing.T) {
	x, truth := loadBench(t, "fcps", "hepta")
	init := make([]int, len(truth))
	for i, y := range truth {
		shift := 0
		if i%3 == 0 {
			shift = 1
		}
		init[i] = (y - 1 + shift) % 7
	}
	for _, ref := range readGMMRefs(t) {
		t.Run(ref.Cov, func(t *testing.T) {
			m, err := (&GaussianMixture{K: 7, Covariance: ref.Cov, InitLabels: init}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			mix := m.Predictor.(*Mixture)
			const rel = 1e-6
			if mix.Iterations != ref.NIter || mix.Converged != ref.Converged {
				t.Errorf("iterations %d converged %v, scikit-learn %d %v", mix.Iterations, mix.Converged, ref.NIter, ref.Converged)
			}
			if !closeVec(mix.Weights, ref.Weights, rel) {
				t.Errorf("weights %v\nscikit-learn %v", mix.Weights, ref.Weights)
			}
			if !closeVec(mix.Means.Data, ref.Means, rel) {
				t.Errorf("means %v\nscikit-learn %v", mix.Means.Data, ref.Means)
			}
			if !closeVec(mix.Covariances, ref.Covariances, rel) {
				t.Errorf("covariances %v\nscikit-learn %v", mix.Covariances, ref.Covariances)
			}
			if !closeRel(mix.LowerBound, ref.LowerBound, rel) {
				t.Errorf("lower bound %v, scikit-learn %v", mix.LowerBound, ref.LowerBound)
			}
			bic, err := mix.BIC(x)
			if err != nil {
				t.Fatal(err)
			}
			aic, _ := mix.AIC(x)
			if !closeRel(bic, ref.BIC, rel) || !closeRel(aic, ref.AIC, rel) {
				t.Errorf("BIC %v AIC %v, scikit-learn %v %v", bic, aic, ref.BIC, ref.AIC)
			}
			cb, ca, ok := GMMCriterion(m)
			if !ok || !closeRel(cb, bic, 1e-12) || !closeRel(ca, aic, 1e-12) {
				t.Errorf("GMMCriterion = %v %v %v, want %v %v", cb, ca, ok, bic, aic)
			}
			if !closeRel(mix.LogLikelihood, ref.Score, rel) {
				t.Errorf("log-likelihood %v, scikit-learn score %v", mix.LogLikelihood, ref.Score)
			}
			for i, l := range m.Labels {
				if l != ref.Labels[i] {
					t.Errorf("label of row %d = %d, scikit-learn %d", i, l, ref.Labels[i])
					break
				}
			}
		})
	}
}

func TestGaussianMixtureErrors(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{{0, 0}, {1, 1}, {9, 9}, {10, 10}})
	nan, _ := matrix.FromRows([][]float64{{0, 0}, {1, math.NaN()}})
	wide := &matrix.Dense{Rows: 1, Cols: 2048, Data: make([]float64, 2048)}
	tests := []struct {
		name string
		g    *GaussianMixture
		x    *matrix.Dense
		want error
	}{
		{"nil settings", nil, x, ErrBadSettings},
		{"K zero", &GaussianMixture{}, x, ErrBadSettings},
		{"bad covariance", &GaussianMixture{K: 2, Covariance: "banded"}, x, ErrBadSettings},
		{"negative tol", &GaussianMixture{K: 2, Tol: -1}, x, ErrBadSettings},
		{"NaN reg", &GaussianMixture{K: 2, RegCovar: math.NaN()}, x, ErrBadSettings},
		{"negative max iter", &GaussianMixture{K: 2, MaxIter: -1}, x, ErrBadSettings},
		{"negative n init", &GaussianMixture{K: 2, NInit: -1}, x, ErrBadSettings},
		{"negative workers", &GaussianMixture{K: 2, Workers: -1}, x, ErrBadSettings},
		{"bad init", &GaussianMixture{K: 2, Init: "random"}, x, ErrBadSettings},
		{"short init labels", &GaussianMixture{K: 2, InitLabels: []int{0}}, x, ErrBadSettings},
		{"init label out of range", &GaussianMixture{K: 2, InitLabels: []int{0, 1, 2, 0}}, x, ErrBadSettings},
		{"nil matrix", &GaussianMixture{K: 2}, nil, ErrInvalidInput},
		{"NaN", &GaussianMixture{K: 1}, nan, ErrInvalidInput},
		{"too few points", &GaussianMixture{K: 5}, x, ErrTooFewPoints},
		{"too large", &GaussianMixture{K: 8}, wide, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.g.Fit(context.Background(), tt.x)
			if !errors.Is(err, tt.want) {
				t.Errorf("Fit error = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := (&GaussianMixture{K: 2}).Fit(ctx, x); !errors.Is(err, context.Canceled) {
			t.Errorf("Fit error = %v, want context.Canceled", err)
		}
	})
	t.Run("input error position", func(t *testing.T) {
		_, err := (&GaussianMixture{K: 1}).Fit(context.Background(), nan)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Row != 1 || ie.Column != 1 {
			t.Errorf("Fit error = %v, want an InputError at row 1, column 1", err)
		}
	})
}

func TestNewMixture(t *testing.T) {
	means, _ := matrix.FromRows([][]float64{{0, 0}, {5, 5}})
	tests := []struct {
		name    string
		cov     string
		weights []float64
		covs    []float64
		want    error
	}{
		{"full", CovFull, []float64{0.5, 0.5}, []float64{1, 0.5, 0.5, 1, 2, 0, 0, 2}, nil},
		{"tied", CovTied, []float64{0.5, 0.5}, []float64{1, 0.5, 0.5, 1}, nil},
		{"diag", CovDiag, []float64{0.5, 0.5}, []float64{1, 2, 3, 4}, nil},
		{"spherical", CovSpherical, []float64{0.3, 0.7}, []float64{1, 2}, nil},
		{"not positive definite", CovFull, []float64{0.5, 0.5}, []float64{1, 0, 0, 1, 1, 2, 2, 1}, ErrNotPositiveDefinite},
		{"zero variance", CovDiag, []float64{0.5, 0.5}, []float64{1, 1, 1, 0}, ErrNotPositiveDefinite},
		{"wrong shape", CovDiag, []float64{0.5, 0.5}, []float64{1, 2}, ErrInvalidInput},
		{"NaN weight", CovSpherical, []float64{math.NaN(), 0.5}, []float64{1, 2}, ErrInvalidInput},
		{"bad type", "banded", []float64{0.5, 0.5}, []float64{1, 2}, ErrBadSettings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mix, err := NewMixture(tt.cov, tt.weights, means, tt.covs)
			if !errors.Is(err, tt.want) {
				t.Fatalf("NewMixture error = %v, want %v", err, tt.want)
			}
			if err != nil {
				if tt.want == ErrNotPositiveDefinite && !strings.Contains(err.Error(), "component 1") {
					t.Errorf("error %q does not name component 1", err)
				}
				return
			}
			a, err := mix.Predict([]float64{4, 4.5})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for _, p := range a.Probabilities {
				sum += p
			}
			if a.Label != 1 || math.Abs(sum-1) > 1e-12 || a.Distance <= 0 {
				t.Errorf("Predict = %+v, want label 1 with probabilities summing to 1", a)
			}
			if _, err := mix.Predict([]float64{1}); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("Predict of a short point: %v, want ErrInvalidInput", err)
			}
		})
	}
}

// TestGaussianMixtureAgainstSklearnPredict checks Predict, PredictProba,
// ScoreSamples and the Mahalanobis distance against values from
// scikit-learn 1.2.1 for a mixture given by its parameters:
//
//	g = GaussianMixture(2, covariance_type="full"); g.weights_ = [.3, .7]
//	g.means_ = [[0, 0], [3, 1]]; g.covariances_ = [[[1, .5], [.5, 2]], [[.5, 0], [0, .25]]]
//	g.precisions_cholesky_ = _compute_precision_cholesky(g.covariances_, "full")
//	g.predict_proba([[1, 1]]), g.score_samples([[1, 1], [3, 0]])
func TestGaussianMixtureAgainstSklearnPredict(t *testing.T) {
	means, _ := matrix.FromRows([][]float64{{0, 0}, {3, 1}})
	mix, err := NewMixture(CovFull, []float64{0.3, 0.7}, means, []float64{1, 0.5, 0.5, 2, 0.5, 0, 0, 0.25})
	if err != nil {
		t.Fatal(err)
	}
	pts, _ := matrix.FromRows([][]float64{{1, 1}, {3, 0}})
	wantProba := []float64{0.7793263369292138, 0.22067366307078598, 0.004919172373582782, 0.9950808276264171}
	wantScore := []float64{-3.6437609330511522, -3.1498999281807234}
	proba, err := mix.PredictProba(pts)
	if err != nil {
		t.Fatal(err)
	}
	if !closeVec(proba.Data, wantProba, 1e-12) {
		t.Errorf("PredictProba = %v, want %v", proba.Data, wantProba)
	}
	score, err := mix.ScoreSamples(pts)
	if err != nil {
		t.Fatal(err)
	}
	if !closeVec(score, wantScore, 1e-12) {
		t.Errorf("ScoreSamples = %v, want %v", score, wantScore)
	}
	a, _ := mix.Predict([]float64{1, 1})
	// (x−μ)ᵀΣ⁻¹(x−μ) for x = (1, 1), μ = 0, Σ = [[1, .5], [.5, 2]]: 8/7.
	if a.Label != 0 || math.Abs(a.Distance-math.Sqrt(8.0/7)) > 1e-12 {
		t.Errorf("Predict = %+v, want label 0 at distance √(8/7)", a)
	}
}

func TestGaussianMixtureDeterministic(t *testing.T) {
	x, _ := synth.Blobs(8500, 3, 4, 2, 7)
	for _, cov := range []string{CovFull, CovTied, CovDiag, CovSpherical} {
		t.Run(cov, func(t *testing.T) {
			var ref *Model
			for _, w := range []int{1, 3} {
				var calls int
				m, err := (&GaussianMixture{K: 4, Covariance: cov, Seed: 3, NInit: 2, MaxIter: 5, Workers: w,
					Progress: func(Progress) { calls++ }}).Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				mix := m.Predictor.(*Mixture)
				if calls < mix.Iterations || m.Iterations != mix.Iterations || m.Centers != mix.Means {
					t.Errorf("progress calls %d, iterations %d/%d", calls, m.Iterations, mix.Iterations)
				}
				if ref == nil {
					ref = m
					continue
				}
				rm := ref.Predictor.(*Mixture)
				if !slices.Equal(m.Labels, ref.Labels) || !slices.Equal(mix.Means.Data, rm.Means.Data) ||
					!slices.Equal(mix.Covariances, rm.Covariances) || mix.LowerBound != rm.LowerBound || m.Inertia != ref.Inertia {
					t.Errorf("Workers = %d changed the result", w)
				}
			}
		})
	}
}

func TestGMMMath(t *testing.T) {
	for _, x := range []float64{-800, -745, -700, -30.5, -1, -1e-9, 0, 1e-300, 1e-9, 0.5, 1, 2, 10, 300, 709, 710, math.Inf(1), math.Inf(-1)} {
		if got, want := gmmExp(x), math.Exp(x); got != want && math.Abs(got-want) > 2e-16*want {
			t.Errorf("gmmExp(%v) = %v, math.Exp %v", x, got, want)
		}
		if x < 0 {
			continue
		}
		if got, want := gmmLog(x), math.Log(x); got != want && math.Abs(got-want) > 2e-16*math.Abs(want) {
			t.Errorf("gmmLog(%v) = %v, math.Log %v", x, got, want)
		}
	}
	if !math.IsNaN(gmmLog(-1)) || !math.IsNaN(gmmExp(math.NaN())) {
		t.Error("NaN cases")
	}
}

// TestGaussianMixtureGolden pins a hash of the bits of a fit, computed
// natively; the same test under GOOS=js GOARCH=wasm checks that the browser
// gets bit-identical results.
func TestGaussianMixtureGolden(t *testing.T) {
	x, _ := synth.Blobs(5000, 4, 5, 2, 11)
	want := map[string]uint64{
		CovFull:      0xf5ec3f36683d8473,
		CovTied:      0x209c671686a35d9a,
		CovDiag:      0x2ad10e2c06aa0ded,
		CovSpherical: 0x7700331793f9e076,
	}
	for _, cov := range []string{CovFull, CovTied, CovDiag, CovSpherical} {
		m, err := (&GaussianMixture{K: 5, Covariance: cov, Seed: 2}).Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		mix := m.Predictor.(*Mixture)
		h := fnv.New64a()
		var b [8]byte
		put := func(vs ...float64) {
			for _, v := range vs {
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
				h.Write(b[:])
			}
		}
		put(mix.Weights...)
		put(mix.Means.Data...)
		put(mix.Covariances...)
		put(mix.LowerBound, mix.LogLikelihood, m.Inertia)
		for _, l := range m.Labels {
			put(float64(l))
		}
		t.Logf("%s: %#x", cov, h.Sum64())
		if w, ok := want[cov]; ok && h.Sum64() != w {
			t.Errorf("%s: hash %#x, want %#x", cov, h.Sum64(), w)
		}
	}
}

// TestGaussianMixtureEdgeCases fits data that strains the numerics: identical
// rows (covariances reduce to RegCovar), more components than distinct rows,
// and data far from the origin, which must give the labels of the same data
// centred.
func TestGaussianMixtureEdgeCases(t *testing.T) {
	same := &matrix.Dense{Rows: 50, Cols: 3, Data: make([]float64, 150)}
	for i := range same.Data {
		same.Data[i] = 7
	}
	two, _ := matrix.FromRows([][]float64{{0, 0}, {0, 0}, {0, 0}, {5, 5}, {5, 5}})
	blobs, _ := synth.Blobs(2000, 3, 3, 3, 5)
	far := &matrix.Dense{Rows: blobs.Rows, Cols: blobs.Cols, Data: make([]float64, len(blobs.Data))}
	for i, v := range blobs.Data {
		far.Data[i] = v + 1e6
	}
	for _, cov := range []string{CovFull, CovTied, CovDiag, CovSpherical} {
		t.Run(cov, func(t *testing.T) {
			for _, x := range []*matrix.Dense{same, two} {
				m, err := (&GaussianMixture{K: 3, Covariance: cov}).Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				if mix := m.Predictor.(*Mixture); math.IsNaN(mix.LowerBound) || math.IsNaN(mix.LogLikelihood) {
					t.Errorf("NaN lower bound or log-likelihood: %+v", mix)
				}
			}
			a, err := (&GaussianMixture{K: 3, Covariance: cov, Seed: 1}).Fit(context.Background(), blobs)
			if err != nil {
				t.Fatal(err)
			}
			b, err := (&GaussianMixture{K: 3, Covariance: cov, Seed: 1}).Fit(context.Background(), far)
			if err != nil {
				t.Fatal(err)
			}
			if ari := adjustedRand(a.Labels, b.Labels); ari < 0.999 {
				t.Errorf("shifting the data by 1e6 changed the clustering: ARI %v", ari)
			}
		})
	}
}
