package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

// primMRD is the total weight of a minimum spanning tree of the
// mutual-reachability graph by brute-force Prim, O(n²).
func primMRD(t *kdTree, core []float64) float64 {
	n, d := len(t.idx), t.d
	in := make([]bool, n)
	best := make([]float64, n)
	for i := range best {
		best[i] = math.Inf(1)
	}
	best[0] = 0
	total := 0.0
	for range n {
		u := -1
		for v := range n {
			if !in[v] && (u < 0 || best[v] < best[u]) {
				u = v
			}
		}
		in[u] = true
		total += best[u]
		for v := range n {
			if !in[v] {
				w := max(t.dist(t.data[u*d:u*d+d], t.data[v*d:v*d+d]), core[u], core[v])
				best[v] = min(best[v], w)
			}
		}
	}
	return total
}

func TestBoruvkaMatchesPrim(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct {
		n, d, k int
		l1      bool
	}{{2, 2, 1, false}, {300, 2, 5, false}, {300, 3, 3, true}, {200, 6, 10, false}} {
		data := make([]float64, tt.n*tt.d)
		for i := range data {
			data[i] = math.Round(rng.NormFloat64()*20) / 4
		}
		tr := newKDTree(data, tt.n, tt.d, tt.l1, false, false)
		core := coreDistances(tr, tt.k, 2)
		edges, err := boruvka(context.Background(), tr, core, func(int) {})
		if err != nil {
			t.Fatal(err)
		}
		if len(edges) != tt.n-1 {
			t.Fatalf("%d edges for %d points", len(edges), tt.n)
		}
		got := 0.0
		for _, e := range edges {
			got += e.w
		}
		if want := primMRD(tr, core); math.Abs(got-want) > 1e-9*(1+want) {
			t.Errorf("n=%d d=%d: MST weight %v, want %v", tt.n, tt.d, got, want)
		}
	}
}

// TestHDBSCANBlobs: three well-separated groups and far outliers.
func TestHDBSCANBlobs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var r [][]float64
	centres := [][2]float64{{0, 0}, {10, 0}, {0, 10}}
	for i := range 150 {
		c := centres[i%3]
		r = append(r, []float64{c[0] + rng.NormFloat64()*0.5, c[1] + rng.NormFloat64()*0.5})
	}
	r = append(r, []float64{30, 30}, []float64{-30, 25})
	x := mustRows(t, r)
	for _, sel := range []string{"", "eom", "leaf"} {
		m, sc, err := (&HDBSCAN{MinClusterSize: 10, Selection: sel}).FitScores(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		truth := make([]int, len(r))
		for i := range truth {
			truth[i] = i % 3
		}
		truth[150], truth[151] = -1, -2
		if sel != "leaf" {
			if m.K != 3 || m.Labels[150] != -1 || m.Labels[151] != -1 {
				t.Fatalf("%q: K = %d, outliers %d %d", sel, m.K, m.Labels[150], m.Labels[151])
			}
		}
		if ari := adjustedRand(truth, m.Labels); sel != "leaf" && ari < 0.95 {
			t.Errorf("%q: ARI %.3f", sel, ari)
		}
		for i := range r {
			p, g := sc.Probabilities[i], sc.OutlierScores[i]
			if p < 0 || p > 1 || g < 0 || g > 1 || (m.Labels[i] < 0 && p != 0) {
				t.Fatalf("row %d: probability %v, outlier score %v, label %d", i, p, g, m.Labels[i])
			}
		}
		if sc.OutlierScores[150] < 0.9 {
			t.Errorf("outlier score of (30, 30) = %v", sc.OutlierScores[150])
		}
		// Predict: the centres join their clusters, far points are noise.
		for c, ctr := range centres {
			a, err := m.Predict(ctr[:])
			if err != nil {
				t.Fatal(err)
			}
			if sel != "leaf" && (a.Label != m.Labels[c] || a.Probabilities[a.Label] <= 0) {
				t.Errorf("%q: Predict(%v) = %+v, want %d", sel, ctr, a, m.Labels[c])
			}
		}
		if a, _ := m.Predict([]float64{100, 100}); a.Label != -1 {
			t.Errorf("Predict far = %+v", a)
		}
	}
}

func TestHDBSCANErrors(t *testing.T) {
	tests := []struct {
		name string
		h    *HDBSCAN
		x    *matrix.Dense
		want error
	}{
		{"nil", nil, line(0, 1), ErrBadSettings},
		{"min cluster size 1", &HDBSCAN{MinClusterSize: 1}, line(0, 1), ErrBadSettings},
		{"negative min samples", &HDBSCAN{MinSamples: -1}, line(0, 1), ErrBadSettings},
		{"bad selection", &HDBSCAN{Selection: "best"}, line(0, 1), ErrBadSettings},
		{"nan", &HDBSCAN{}, line(0, math.Inf(1)), ErrInvalidInput},
		{"too large", &HDBSCAN{}, &matrix.Dense{Rows: DBSCANMaxValues, Cols: 4}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.h.Fit(context.Background(), tt.x); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	// Tiny inputs and duplicates fit without error: all noise or one level.
	for _, x := range []*matrix.Dense{line(1), line(1, 1), line(2, 2, 2, 2, 2, 2, 2)} {
		m, sc, err := (&HDBSCAN{MinClusterSize: 2}).FitScores(context.Background(), x)
		if err != nil {
			t.Fatalf("%d rows: %v", x.Rows, err)
		}
		for i, p := range sc.Probabilities {
			if math.IsNaN(p) || math.IsNaN(sc.OutlierScores[i]) {
				t.Fatalf("NaN score, labels %v", m.Labels)
			}
		}
	}
}

// TestHDBSCANRuleHandComputed: two groups of five rows one apart on a line,
// 16 apart from each other; MinClusterSize 3, MinSamples 2. Every core
// distance is 1, the root splits into the two groups at distance 16 (their
// birth) and each row leaves its group at distance 1. A new point x with
// core distance c (to its 2nd nearest row) meets row q at r = max(|x-q|,
// c, 1):
//   - 2.5: rows 2 and 3 at 0.5, c = 0.5, r = 1 (row 2: the nearer, then the
//     lower row), within the exit distance: the first group, strength 1;
//   - 12: rows 4 and 20 at 8, c = 8, r = 8 < 16 (row 4, the lower row): the
//     first group, strength 1/8;
//   - 36: row 24 at 12, c = 13, r = 13 < 16: the second group;
//   - 40: row 24 at 16, c = 17, r = 17 ≥ 16: noise.
func TestHDBSCANRuleHandComputed(t *testing.T) {
	x := line(0, 1, 2, 3, 4, 20, 21, 22, 23, 24)
	m, err := (&HDBSCAN{MinClusterSize: 3, MinSamples: 2}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Labels[0], m.Labels[5]
	if m.K != 2 || a == b || a < 0 || b < 0 {
		t.Fatalf("labels %v", m.Labels)
	}
	st := m.Predictor.(*HDBSCANRule).State()
	if st.BirthDistances[a] != 16 || st.ExitDistances[4] != 1 || st.CoreDistances[0] != 1 || st.DensestDistances[a] != 1 {
		t.Fatalf("state: births %v, exits %v, cores %v, densest %v", st.BirthDistances, st.ExitDistances, st.CoreDistances, st.DensestDistances)
	}
	tests := []struct {
		x, dist, strength float64
		want              int
	}{
		{2.5, 0.5, 1, a},
		{12, 8, 0.125, a},
		{36, 12, 16.0 / 13 / 16 * 1, b},
		{40, 16, 0, -1},
	}
	for _, tt := range tests {
		got, err := m.Predict([]float64{tt.x, 0})
		if err != nil {
			t.Fatal(err)
		}
		if got.Label != tt.want || got.Distance != tt.dist {
			t.Errorf("Predict(%v) = %+v, want label %d at distance %v", tt.x, got, tt.want, tt.dist)
			continue
		}
		if tt.want >= 0 && math.Abs(got.Probabilities[tt.want]-tt.strength) > 1e-12 {
			t.Errorf("Predict(%v): strength %v, want %v", tt.x, got.Probabilities, tt.strength)
		}
		if tt.want < 0 && got.Probabilities != nil {
			t.Errorf("Predict(%v): noise with probabilities %v", tt.x, got.Probabilities)
		}
	}
}

// TestHDBSCANRuleReproducesTrainingLabels: the rule, rebuilt from the state
// a model saves, gives every training row its label (noise included), for
// both selections, every metric, ties on a grid and duplicated rows.
func TestHDBSCANRuleReproducesTrainingLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	blobs := func(n int, round bool) *matrix.Dense {
		x := matrix.New(n, 2)
		for i := range n {
			c := float64(i % 3 * 6)
			u, v := c+rng.NormFloat64(), c/2+rng.NormFloat64()
			if i%10 == 9 {
				u, v = rng.Float64()*30-5, rng.Float64()*30-5 // scattered noise
			}
			if round {
				u, v = math.Round(u), math.Round(v)
			}
			x.Set(i, 0, u)
			x.Set(i, 1, v)
		}
		return x
	}
	geo := matrix.New(120, 2)
	for i := range 120 {
		c := [][2]float64{{51.5, -0.12}, {48.85, 2.35}, {40.4, -3.7}}[i%3]
		geo.Set(i, 0, c[0]+rng.NormFloat64()*0.05)
		geo.Set(i, 1, c[1]+rng.NormFloat64()*0.05)
	}
	tests := []struct {
		name string
		h    HDBSCAN
		x    *matrix.Dense
	}{
		{"eom", HDBSCAN{MinClusterSize: 8}, blobs(400, false)},
		{"leaf", HDBSCAN{MinClusterSize: 8, Selection: "leaf"}, blobs(400, false)},
		{"min samples 3", HDBSCAN{MinClusterSize: 15, MinSamples: 3}, blobs(400, false)},
		{"grid ties", HDBSCAN{MinClusterSize: 6}, blobs(300, true)},
		{"manhattan", HDBSCAN{MinClusterSize: 8, Metric: Manhattan}, blobs(300, false)},
		{"haversine", HDBSCAN{MinClusterSize: 10, Metric: Haversine}, geo},
		{"duplicates", HDBSCAN{MinClusterSize: 2}, line(2, 2, 2, 5, 5, 5, 9)},
		{"one row", HDBSCAN{MinClusterSize: 2}, line(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.h.Fit(context.Background(), tt.x)
			if err != nil {
				t.Fatal(err)
			}
			rule, err := NewHDBSCANRule(m.Predictor.(*HDBSCANRule).State())
			if err != nil {
				t.Fatal(err)
			}
			noise := 0
			for i := range tt.x.Rows {
				a, err := rule.Predict(tt.x.Row(i))
				if err != nil {
					t.Fatal(err)
				}
				if a.Label != m.Labels[i] {
					t.Fatalf("row %d %v: predicted %d, trained %d", i, tt.x.Row(i), a.Label, m.Labels[i])
				}
				if a.Label < 0 {
					noise++
				}
			}
			t.Logf("%d clusters, %d noise rows of %d", m.K, noise, tt.x.Rows)
		})
	}
}
