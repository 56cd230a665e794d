package cluster

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// aggloPoints are ten 2-D points: three groups and an outlier.
var aggloPoints = [][]float64{{0, 0}, {0.5, 0.2}, {3, 3}, {3.2, 2.9}, {2.8, 3.4}, {8, 0}, {8.5, 0.4}, {7.6, -0.3}, {1.1, 0.6}, {5, 5}}

// TestDendrogramScipy compares the trees with scipy 1.10's linkage (the tree
// builder of scikit-learn 1.2.1's AgglomerativeClustering), printed with:
//
//	/usr/bin/python3 -c "import numpy as np;from scipy.cluster import hierarchy as h;X=np.array(POINTS);print(h.linkage(X,method=LINKAGE))"
//
// and the labels of AgglomerativeClustering(3, linkage=LINKAGE).fit(X).labels_,
// renumbered by first appearance.
func TestDendrogramScipy(t *testing.T) {
	tests := []struct {
		linkage string
		tol     float64 // relative, on heights
		want    []Merge
		labels  []int
	}{
		{"ward", 1e-12, []Merge{{2, 3, 0.22360679774997916, 2}, {5, 7, 0.50000000000000022, 2}, {0, 1, 0.53851648071345048, 2}, {4, 10, 0.62449979983983994, 3}, {6, 11, 1.0279429296739517, 3}, {8, 12, 1.1387127235025816, 3}, {9, 13, 3.3786091813052304, 4}, {15, 16, 8.2280733149498886, 7}, {14, 17, 12.667457368804371, 10}},
			[]int{0, 0, 1, 1, 1, 2, 2, 2, 0, 1}},
		{"complete", 1e-12, []Merge{{2, 3, 0.22360679774997916, 2}, {5, 7, 0.50000000000000022, 2}, {0, 1, 0.53851648071345048, 2}, {4, 10, 0.64031242374328512, 3}, {6, 11, 1.1401754250991383, 3}, {8, 12, 1.2529964086141669, 3}, {9, 13, 2.8284271247461903, 4}, {14, 16, 6.4412731660751668, 7}, {15, 17, 8.5094065598019224, 10}},
			[]int{0, 0, 1, 1, 1, 2, 2, 2, 0, 1}},
		{"average", 1e-12, []Merge{{2, 3, 0.22360679774997916, 2}, {5, 7, 0.50000000000000022, 2}, {0, 1, 0.53851648071345048, 2}, {4, 10, 0.5437630096216215, 3}, {6, 11, 0.89024392442121159, 3}, {8, 12, 0.98705333185348243, 3}, {9, 13, 2.7715281878937148, 4}, {15, 16, 4.4550004183582876, 7}, {14, 17, 6.5877360796226583, 10}},
			[]int{0, 0, 1, 1, 1, 2, 2, 2, 0, 1}},
		{"single", 1e-12, []Merge{{2, 3, 0.22360679774997916, 2}, {4, 10, 0.44721359549995793, 3}, {5, 7, 0.50000000000000022, 2}, {0, 1, 0.53851648071345048, 2}, {6, 12, 0.6403124237432849, 3}, {8, 13, 0.72111025509279791, 3}, {9, 11, 2.720294101747089, 4}, {15, 16, 3.0610455730027932, 7}, {14, 17, 5.440588203494177, 10}},
			[]int{0, 0, 1, 1, 1, 2, 2, 2, 0, 1}},
	}
	x, err := matrix.FromRows(aggloPoints)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.linkage, func(t *testing.T) {
			m, dg, err := (&Agglomerative{K: 3, Linkage: tt.linkage}).FitTree(context.Background(), x)
			if tt.linkage == "ward" {
				// The matrix-free chain of larger inputs.
				defer func(n int) { wardMatrixRows = n }(wardMatrixRows)
				wardMatrixRows = 0
				_, dgc, err := (&Agglomerative{K: 3}).FitTree(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				for i, g := range dgc.Merges {
					if w := tt.want[i]; g.A != w.A || g.B != w.B || math.Abs(g.Height-w.Height) > 1e-12*w.Height {
						t.Errorf("matrix-free: merge %d = %+v, want %+v", i, g, w)
					}
				}
			}
			if tt.linkage == "complete" || tt.linkage == "average" {
				// The float32 matrix of larger inputs: heights to ~1e-7.
				defer func(n int) { aggloFloat64Rows = n }(aggloFloat64Rows)
				aggloFloat64Rows = 5
				_, dg32, err := (&Agglomerative{K: 3, Linkage: tt.linkage}).FitTree(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				for i, g := range dg32.Merges {
					if w := tt.want[i]; g.A != w.A || g.B != w.B || math.Abs(g.Height-w.Height) > 1e-6*w.Height {
						t.Errorf("float32: merge %d = %+v, want %+v", i, g, w)
					}
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(dg.Merges) != len(tt.want) {
				t.Fatalf("%d merges, want %d", len(dg.Merges), len(tt.want))
			}
			for i, g := range dg.Merges {
				w := tt.want[i]
				if g.A != w.A || g.B != w.B || g.Size != w.Size || math.Abs(g.Height-w.Height) > tt.tol*w.Height {
					t.Errorf("merge %d = %+v, want %+v", i, g, w)
				}
			}
			if !slices.Equal(m.Labels, tt.labels) {
				t.Errorf("labels %v, want %v", m.Labels, tt.labels)
			}
			if m.K != 3 || m.Centers.Rows != 3 || m.Algorithm != "agglomerative-"+tt.linkage {
				t.Errorf("model K %d, %d centres, %q", m.K, m.Centers.Rows, m.Algorithm)
			}
		})
	}
}

func TestDendrogramCuts(t *testing.T) {
	x, _ := matrix.FromRows(aggloPoints)
	_, dg, err := (&Agglomerative{K: 1}).FitTree(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cut   func() ([]int, error)
		want  []int
		errIs error
	}{
		{"k=1", func() ([]int, error) { return dg.Cut(1) }, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, nil},
		{"k=2", func() ([]int, error) { return dg.Cut(2) }, []int{0, 0, 0, 0, 0, 1, 1, 1, 0, 0}, nil},
		{"k=4", func() ([]int, error) { return dg.Cut(4) }, []int{0, 0, 1, 1, 1, 2, 2, 2, 0, 3}, nil},
		{"k=n", func() ([]int, error) { return dg.Cut(10) }, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, nil},
		// sklearn distance_threshold=4: merges at heights >= 4 undone.
		{"h=4", func() ([]int, error) { return dg.CutHeight(4) }, []int{0, 0, 1, 1, 1, 2, 2, 2, 0, 1}, nil},
		{"h=3.3786", func() ([]int, error) { return dg.CutHeight(3.3786091813052304) }, []int{0, 0, 1, 1, 1, 2, 2, 2, 0, 3}, nil},
		{"h=100", func() ([]int, error) { return dg.CutHeight(100) }, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, nil},
		{"k=0", func() ([]int, error) { return dg.Cut(0) }, nil, ErrBadSettings},
		{"k=11", func() ([]int, error) { return dg.Cut(11) }, nil, ErrBadSettings},
		{"h=0", func() ([]int, error) { return dg.CutHeight(0) }, nil, ErrBadSettings},
		{"h=NaN", func() ([]int, error) { return dg.CutHeight(math.NaN()) }, nil, ErrBadSettings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cut()
			if !errors.Is(err, tt.errIs) {
				t.Fatalf("error %v, want %v", err, tt.errIs)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("labels %v, want %v", got, tt.want)
			}
		})
	}
	leaves := dg.Leaves()
	sorted := slices.Clone(leaves)
	slices.Sort(sorted)
	if !slices.Equal(sorted, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("Leaves() = %v is not a permutation", leaves)
	}
	// Each group of the 3-cut is contiguous in the leaf order.
	labels, _ := dg.Cut(3)
	changes := 0
	for i := 1; i < len(leaves); i++ {
		if labels[leaves[i]] != labels[leaves[i-1]] {
			changes++
		}
	}
	if changes != 2 {
		t.Errorf("leaf order %v crosses branches (%d label changes)", leaves, changes)
	}
}

func TestAgglomerativeThreshold(t *testing.T) {
	x, _ := matrix.FromRows(aggloPoints)
	m, err := (&Agglomerative{DistanceThreshold: 4}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 3 {
		t.Errorf("K = %d, want 3 (sklearn distance_threshold=4 gives n_clusters_ 3)", m.K)
	}
}

func TestAgglomerativeErrors(t *testing.T) {
	x, _ := matrix.FromRows(aggloPoints)
	big := matrix.New(AgglomerativeMaxMatrixRows+1, 1)
	huge := &matrix.Dense{Rows: AgglomerativeMaxRows + 1, Cols: 1} // no data: refused before reading it
	nan := matrix.New(3, 2)
	nan.Data[3] = math.NaN()
	tests := []struct {
		name string
		a    *Agglomerative
		x    *matrix.Dense
		want error
	}{
		{"no K", &Agglomerative{}, x, ErrBadSettings},
		{"both", &Agglomerative{K: 2, DistanceThreshold: 1}, x, ErrBadSettings},
		{"negative K", &Agglomerative{K: -1}, x, ErrBadSettings},
		{"bad linkage", &Agglomerative{K: 2, Linkage: "centroid"}, x, ErrBadSettings},
		{"negative threshold", &Agglomerative{DistanceThreshold: -1}, x, ErrBadSettings},
		{"negative workers", &Agglomerative{K: 2, Workers: -1}, x, ErrBadSettings},
		{"nil matrix", &Agglomerative{K: 2}, nil, ErrInvalidInput},
		{"NaN", &Agglomerative{K: 2}, nan, ErrInvalidInput},
		{"K > n", &Agglomerative{K: 11}, x, ErrTooFewPoints},
		{"complete too large", &Agglomerative{K: 2, Linkage: "complete"}, big, ErrTooLarge},
		{"ward too large", &Agglomerative{K: 2}, huge, ErrTooLarge},
		{"single too large", &Agglomerative{K: 2, Linkage: "single"}, huge, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.a.Fit(context.Background(), tt.x)
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	var nilA *Agglomerative
	if _, err := nilA.Fit(context.Background(), x); !errors.Is(err, ErrBadSettings) {
		t.Errorf("nil Agglomerative: %v", err)
	}
}

func TestAgglomerativeCancelAndProgress(t *testing.T) {
	x, _ := synth.Blobs(500, 3, 4, 4, 1)
	for _, l := range []string{"ward", "complete", "average", "single"} {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		_, err := (&Agglomerative{K: 4, Linkage: l, Progress: func(p Progress) {
			calls++
			if p.MaxIter != 499 || p.Iteration < 1 || p.Iteration > 499 {
				t.Errorf("%s: progress %+v", l, p)
			}
			if calls == 3 {
				cancel()
			}
		}}).Fit(ctx, x)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", l, err)
		}
		cancel()
	}
}

// TestAgglomerativeDeterministic checks that the result does not depend on
// the number of workers, with every scan split between them.
func TestAgglomerativeDeterministic(t *testing.T) {
	defer func(w, r int) { scanMinWork, wardMatrixRows = w, r }(scanMinWork, wardMatrixRows)
	scanMinWork = 16   // split every scan
	wardMatrixRows = 0 // the matrix-free Ward chain
	x, _ := synth.Blobs(600, 2, 6, 3, 3)
	for _, l := range []string{"ward", "single", "average", "complete"} {
		a1, d1, err := (&Agglomerative{K: 6, Linkage: l, Workers: 1}).FitTree(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		a2, d2, err := (&Agglomerative{K: 6, Linkage: l, Workers: 3}).FitTree(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a1.Labels, a2.Labels) || !slices.Equal(d1.Merges, d2.Merges) {
			t.Errorf("%s: result depends on Workers", l)
		}
	}
}

func TestAgglomerativePredict(t *testing.T) {
	x, _ := matrix.FromRows(aggloPoints)
	tests := []struct {
		linkage string
		point   []float64
		label   int
		dist    float64
	}{
		// Ward: centroid of rows 0, 1, 8 is (0.5333, 0.2667).
		{"ward", []float64{0.5, 0.5}, 0, math.Hypot(0.5-1.6/3, 0.5-0.8/3)},
		// Average: the medoid of rows 0, 1, 8 is row 1 (0.5, 0.2).
		{"average", []float64{0.5, 0.5}, 0, 0.3},
		// Complete: the medoid of rows 5, 6, 7 is row 5 (8, 0).
		{"complete", []float64{8, 1}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.linkage, func(t *testing.T) {
			m, err := (&Agglomerative{K: 3, Linkage: tt.linkage}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			a, err := m.Predict(tt.point)
			if err != nil {
				t.Fatal(err)
			}
			if a.Label != tt.label || math.Abs(a.Distance-tt.dist) > 1e-12 {
				t.Errorf("Predict = %+v, want label %d at %v", a, tt.label, tt.dist)
			}
			if _, err := m.Predict([]float64{1}); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("short point: %v", err)
			}
		})
	}
}

func TestAgglomerativeOneRow(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{{1, 2}})
	m, dg, err := (&Agglomerative{K: 1}).FitTree(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 1 || len(dg.Merges) != 0 || !slices.Equal(m.Labels, []int{0}) || !slices.Equal(dg.Leaves(), []int{0}) {
		t.Errorf("one row: %+v %+v", m, dg)
	}
}

func TestDendrogramMalformed(t *testing.T) {
	tests := []struct {
		name string
		dg   *Dendrogram
	}{
		{"nil", nil},
		{"empty", &Dendrogram{}},
		{"missing merges", &Dendrogram{N: 3, Merges: []Merge{{0, 1, 1, 2}}}},
		{"forward reference", &Dendrogram{N: 3, Merges: []Merge{{0, 3, 1, 2}, {1, 2, 2, 3}}}},
		{"negative id", &Dendrogram{N: 2, Merges: []Merge{{-1, 1, 1, 2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if l := tt.dg.Leaves(); l != nil {
				t.Errorf("Leaves() = %v, want nil", l)
			}
			if _, err := tt.dg.Cut(1); !errors.Is(err, ErrBadSettings) {
				t.Errorf("Cut(1): %v", err)
			}
		})
	}
}

// TestHierGoldenDigest pins the exact results (labels, centres, merge
// heights) so that a difference between native and js/wasm runs, or a
// change of behaviour, shows. The digests were produced natively.
func TestHierGoldenDigest(t *testing.T) {
	x, _ := synth.Blobs(4500, 4, 5, 2, 7) // above wardMatrixRows: the matrix-free chain
	small := &matrix.Dense{Rows: 1500, Cols: 4, Data: x.Data[:1500*4]}
	tests := []struct {
		name                  string
		f                     Fitter
		x                     *matrix.Dense
		labels, cent, heights string
	}{
		{"ward", &Agglomerative{K: 5, Workers: 2}, x, "831211e1fedd5c40", "982530b39a3b6344", "8bc38cf4c9624c96"},
		{"ward-matrix", &Agglomerative{K: 5, Workers: 2}, small, "6beff60deedba3d9", "85c698241d600f5c", "7fb006eb2d034b74"},
		{"average", &Agglomerative{K: 5, Linkage: "average", Workers: 2}, small, "ad25f82388900c19", "9dd4738dfa37b578", "0826a28bff4d8573"},
		{"single", &Agglomerative{K: 5, Linkage: "single", Workers: 2}, small, "527f5d1da22ce53a", "2e5409e33d5b6318", "632b2c515e841910"},
		{"birch", &Birch{K: 5, Threshold: 1, Workers: 2}, x, "20cd800c370e15ff", "fd5740623dc9a618", "e3b0c44298fc1c14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m *Model
			var heights []float64
			var err error
			if a, ok := tt.f.(*Agglomerative); ok {
				var dg *Dendrogram
				m, dg, err = a.FitTree(context.Background(), tt.x)
				if dg != nil {
					for _, mg := range dg.Merges {
						heights = append(heights, mg.Height)
					}
				}
			} else {
				m, err = tt.f.Fit(context.Background(), tt.x)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := digest(m.Labels); got != tt.labels {
				t.Errorf("labels digest %s, want %s", got, tt.labels)
			}
			if got := digest(m.Centers.Data); got != tt.cent {
				t.Errorf("centres digest %s, want %s", got, tt.cent)
			}
			if got := digest(heights); got != tt.heights {
				t.Errorf("heights digest %s, want %s", got, tt.heights)
			}
		})
	}
}

// TestWardProgressInertia checks that Ward's progress reports the
// within-cluster sum of squares, which after the last merge is the total
// sum of squares about the mean, on both the matrix and the matrix-free path.
func TestWardProgressInertia(t *testing.T) {
	x, _ := matrix.FromRows(aggloPoints)
	total := inertiaTo(x, make([]int, x.Rows), centroids(x, make([]int, x.Rows), 1))
	for _, rows := range []int{4096, 0} {
		defer func(n int) { wardMatrixRows = n }(wardMatrixRows)
		wardMatrixRows = rows
		var last Progress
		if _, err := (&Agglomerative{K: 1, Progress: func(p Progress) { last = p }}).Fit(context.Background(), x); err != nil {
			t.Fatal(err)
		}
		if last.Iteration != 9 || math.Abs(last.Inertia-total) > 1e-9*total {
			t.Errorf("wardMatrixRows %d: last progress %+v, want 9 merges and inertia %v", rows, last, total)
		}
	}
}

// TestMedoidsBruteForce compares the pruned medoid search with computing
// every row's sum of distances, on low- and high-dimensional data and on
// data with exact ties (a grid).
func TestMedoidsBruteForce(t *testing.T) {
	low, _ := synth.Blobs(1500, 2, 4, 3, 11)
	high, _ := synth.Blobs(300, 40, 3, 1, 12)
	grid := matrix.New(100, 2)
	for i := range 100 {
		grid.Set(i, 0, float64(i%10))
		grid.Set(i, 1, float64(i/10))
	}
	for _, x := range []*matrix.Dense{low, high, grid} {
		k := 3
		labels := make([]int, x.Rows)
		for i := range labels {
			labels[i] = (i / 7) % k
		}
		got, err := medoids(context.Background(), x, labels, k, 2)
		if err != nil {
			t.Fatal(err)
		}
		d := x.Cols
		for l := range k {
			// Every row's sum; the medoid found must have the least, up to
			// rounding (sums of equal distances in another order).
			sums := map[int]float64{}
			minS := math.Inf(1)
			for i := range x.Rows {
				if labels[i] != l {
					continue
				}
				s := 0.0
				for j := range x.Rows {
					if labels[j] == l {
						s += math.Sqrt(sqdist(x.Row(i), x.Row(j)))
					}
				}
				sums[i] = s
				minS = min(minS, s)
			}
			m := got.Data[l*d : l*d+d]
			found := false
			for i, s := range sums {
				if slices.Equal(x.Row(i), m) {
					found = true
					if s > minS*(1+1e-12) {
						t.Errorf("%d×%d cluster %d: medoid row %d has sum %v, the least is %v", x.Rows, d, l, i, s, minS)
					}
				}
			}
			if !found {
				t.Errorf("%d×%d cluster %d: medoid %v is not a row of the cluster", x.Rows, d, l, m)
			}
		}
	}
}

// TestSampledMedoid: a cluster above medoidSampleRows rows takes the row of
// least distance sum to the evenly spaced sample (checked by brute force),
// and on a Gaussian blob that row's sum over the whole cluster is within
// 0.5 % of the true medoid's.
func TestSampledMedoid(t *testing.T) {
	x, _ := synth.Blobs(5000, 8, 1, 1, 21)
	labels := make([]int, x.Rows)
	got, err := medoids(context.Background(), x, labels, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	d, n := x.Cols, x.Rows
	sum := func(i int, rows []int) float64 {
		s := 0.0
		for _, j := range rows {
			s += math.Sqrt(sqdist(x.Row(i), x.Row(j)))
		}
		return s
	}
	all := make([]int, n)
	var sample []int
	for i := range all {
		all[i] = i
	}
	for t := range medoidSampleRows {
		sample = append(sample, t*n/medoidSampleRows)
	}
	bestSample, bestAll := -1, math.Inf(1)
	for i := range n {
		if bestSample < 0 || sum(i, sample) < sum(bestSample, sample) {
			bestSample = i
		}
		bestAll = min(bestAll, sum(i, all))
	}
	if !slices.Equal(got.Data[:d], x.Row(bestSample)) {
		t.Fatalf("medoid %v, want row %d %v", got.Data[:d], bestSample, x.Row(bestSample))
	}
	if s := sum(bestSample, all); s > bestAll*1.005 {
		t.Errorf("the sampled medoid's sum %v is more than 0.5 %% above the medoid's %v", s, bestAll)
	}
}
