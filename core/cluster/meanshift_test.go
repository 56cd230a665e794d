package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

// msPoints is the small set of TestMeanShiftScikitLearn.
func msPoints() *matrix.Dense {
	return rows([]float64{1, 1}, []float64{1.5, 2}, []float64{1, 1.5}, []float64{8, 8},
		[]float64{9, 8.5}, []float64{8.5, 9}, []float64{4.5, 5}, []float64{20, 20})
}

// TestMeanShiftScikitLearn pins scikit-learn 1.2.1's answers:
//
//	X = [[1,1],[1.5,2],[1,1.5],[8,8],[9,8.5],[8.5,9],[4.5,5],[20,20]]
//	m = MeanShift(bandwidth=2, bin_seeding=True).fit(X)
//	m.labels_        # [1, 1, 1, 0, 0, 0, 3, 2]
//	m.cluster_centers_  # [[8.5, 8.5], [1.1666666666666667, 1.5], [20, 20], [4.5, 5]]
//	m.n_iter_        # 2
//	MeanShift(bandwidth=2, bin_seeding=True, cluster_all=False).fit(X).labels_  # same
//	estimate_bandwidth(X)  # 3.0494781852835464
func TestMeanShiftScikitLearn(t *testing.T) {
	x := msPoints()
	for _, orphans := range []bool{false, true} {
		m, err := (&MeanShift{Bandwidth: 2, LeaveOrphans: orphans}).Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 1, 1, 0, 0, 0, 3, 2}; !slices.Equal(m.Labels, want) {
			t.Errorf("labels = %v, want %v", m.Labels, want)
		}
		want := []float64{8.5, 8.5, 1.1666666666666667, 1.5, 20, 20, 4.5, 5}
		for i, v := range want {
			if math.Abs(m.Centers.Data[i]-v) > 1e-12 {
				t.Fatalf("centres = %v, want %v", m.Centers.Data, want)
			}
		}
		if m.Iterations != 2 || !m.Converged {
			t.Errorf("iterations %d converged %v, want 2 true", m.Iterations, m.Converged)
		}
	}
	if got := estimateBandwidth(x, 0.3, 0, 2, MeanShiftBandwidthRows); math.Abs(got-3.0494781852835464) > 1e-12 {
		t.Errorf("estimateBandwidth = %v, want 3.0494781852835464", got)
	}
}

// TestMeanShiftOrphans: with cluster_all=False a row beyond Bandwidth of every
// mode is noise; MinBinFreq 2 leaves only the dense cells as seeds.
// scikit-learn 1.2.1: MeanShift(bandwidth=3, bin_seeding=True,
// min_bin_freq=2, cluster_all=False).fit(X).labels_ = [1, 1, 1, 0, 0, 0, -1, -1]
// (X of TestMeanShiftScikitLearn).
func TestMeanShiftOrphans(t *testing.T) {
	x := msPoints()
	m, err := (&MeanShift{Bandwidth: 3, MinBinFreq: 2, LeaveOrphans: true}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 1, 1, 0, 0, 0, -1, -1}; !slices.Equal(m.Labels, want) {
		t.Errorf("labels = %v, want %v", m.Labels, want)
	}
	if a, _ := m.Predict([]float64{30, 30}); a.Label != -1 {
		t.Errorf("far point predicted %+v", a)
	}
	if a, _ := m.Predict([]float64{1, 1}); a.Label != m.Labels[0] {
		t.Errorf("Predict(1,1) = %+v, want %d", a, m.Labels[0])
	}
}

func TestMeanShiftErrors(t *testing.T) {
	tests := []struct {
		name string
		ms   *MeanShift
		x    *matrix.Dense
		want error
	}{
		{"nil", nil, msPoints(), ErrBadSettings},
		{"negative bandwidth", &MeanShift{Bandwidth: -1}, msPoints(), ErrBadSettings},
		{"quantile 2", &MeanShift{Quantile: 2}, msPoints(), ErrBadSettings},
		{"negative max iter", &MeanShift{MaxIter: -1}, msPoints(), ErrBadSettings},
		{"all equal", &MeanShift{}, line(1, 1, 1), ErrInvalidInput},
		{"no rows", &MeanShift{}, matrix.New(0, 1), ErrTooFewPoints},
		{"too large", &MeanShift{}, &matrix.Dense{Rows: DBSCANMaxValues, Cols: 3}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.ms.Fit(context.Background(), tt.x); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestMeanShiftSampledBandwidth: above MeanShiftBandwidthRows rows the
// estimate uses a seeded sample; it is reproducible and close to the full
// estimate.
func TestMeanShiftSampledBandwidth(t *testing.T) {
	x := densityBlobs(3000, 2)
	a := estimateBandwidth(x, 0.3, 7, 2, 1000)
	b := estimateBandwidth(x, 0.3, 7, 1, 1000)
	if a != b {
		t.Errorf("sampled estimate depends on workers: %v vs %v", a, b)
	}
	full := estimateBandwidth(x, 0.3, 7, 2, 3000)
	if math.Abs(a-full) > 0.05*full {
		t.Errorf("sampled estimate %v far from %v", a, full)
	}
}

func TestSelectKth(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 2, 5, 601, 5000} {
		for _, ties := range []bool{false, true} {
			a := make([]float64, n)
			for i := range a {
				a[i] = rng.Float64()
				if ties {
					a[i] = math.Round(a[i] * 10)
				}
			}
			sorted := slices.Clone(a)
			slices.Sort(sorted)
			for _, k := range []int{0, n / 3, n / 2, n - 1} {
				b := slices.Clone(a)
				if got := selectKth(b, k); got != sorted[k] {
					t.Errorf("n=%d ties=%v: selectKth(%d) = %v, want %v", n, ties, k, got, sorted[k])
				}
			}
		}
	}
}
