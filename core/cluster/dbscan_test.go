package cluster

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

func line(vs ...float64) *matrix.Dense {
	x := matrix.New(len(vs), 2)
	for i, v := range vs {
		x.Set(i, 0, v)
	}
	return x
}

// TestDBSCANScikitLearn pins labels computed by scikit-learn 1.2.1, e.g.
//
//	DBSCAN(eps=1.15, min_samples=4).fit([[v, 0] for v in [3.1, 3.4, 3.7, 4.0, 2.0, 0, 0.3, 0.6, 0.9, 10]]).labels_
//
// The row at 2.0 is a border point of both clusters: it joins the cluster
// discovered first, i.e. the one containing the earliest core row.
func TestDBSCANScikitLearn(t *testing.T) {
	tests := []struct {
		name string
		db   DBSCAN
		x    *matrix.Dense
		want []int
	}{
		{"border to first", DBSCAN{Eps: 1.15, MinSamples: 4}, line(3.1, 3.4, 3.7, 4.0, 2.0, 0, 0.3, 0.6, 0.9, 10), []int{0, 0, 0, 0, 0, 1, 1, 1, 1, -1}},
		{"border to first, swapped", DBSCAN{Eps: 1.15, MinSamples: 4}, line(0, 0.3, 0.6, 0.9, 2.0, 3.1, 3.4, 3.7, 4.0, 10), []int{0, 0, 0, 0, 0, 1, 1, 1, 1, -1}},
		{"manhattan", DBSCAN{Eps: 1.15, MinSamples: 4, Metric: Manhattan},
			rows([]float64{0, 0}, []float64{0.5, 0.5}, []float64{1, 0}, []float64{0.6, 0.6}, []float64{3, 3}), []int{0, 0, 0, 0, -1}},
		{"defaults, all noise", DBSCAN{}, line(0, 1, 2, 3), []int{-1, -1, -1, -1}},
		{"min samples 1", DBSCAN{Eps: 0.5, MinSamples: 1}, line(0, 1, 1.2, 3), []int{0, 1, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.db.Fit(context.Background(), tt.x)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Labels, tt.want) {
				t.Errorf("labels = %v, want %v", m.Labels, tt.want)
			}
		})
	}
}

func rows(r ...[]float64) *matrix.Dense {
	x, err := matrix.FromRows(r)
	if err != nil {
		panic(err)
	}
	return x
}

func TestDBSCANErrors(t *testing.T) {
	nan := line(0, math.NaN())
	tests := []struct {
		name string
		db   *DBSCAN
		x    *matrix.Dense
		want error
	}{
		{"nil settings", nil, line(0), ErrBadSettings},
		{"negative eps", &DBSCAN{Eps: -1}, line(0), ErrBadSettings},
		{"negative min samples", &DBSCAN{MinSamples: -1}, line(0), ErrBadSettings},
		{"bad metric", &DBSCAN{Metric: "cosine"}, line(0), ErrBadSettings},
		{"nil matrix", &DBSCAN{}, nil, ErrInvalidInput},
		{"no rows", &DBSCAN{}, matrix.New(0, 2), ErrTooFewPoints},
		{"nan", &DBSCAN{}, nan, ErrInvalidInput},
		{"haversine 3 columns", &DBSCAN{Metric: Haversine}, matrix.New(2, 3), ErrInvalidInput},
		{"latitude 100", &DBSCAN{Metric: Haversine}, rows([]float64{100, 0}), ErrInvalidInput},
		{"too large", &DBSCAN{}, &matrix.Dense{Rows: DBSCANMaxValues, Cols: 2}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.db.Fit(context.Background(), tt.x); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&DBSCAN{}).Fit(ctx, line(0, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

// TestDBSCANHaversine clusters towns by great-circle distance (Eps 50 km).
func TestDBSCANHaversine(t *testing.T) {
	x := mustRows(t, [][]float64{
		{48.8566, 2.3522}, {48.8049, 2.1204}, {48.9362, 2.3574}, // Paris, Versailles, Saint-Denis
		{51.5074, -0.1278}, {51.3762, -0.0982}, {51.6565, -0.3903}, // London, Croydon, Watford
		{-33.8688, 151.2093},      // Sydney
		{0, 179.99}, {0, -179.99}, // either side of the antimeridian, 2.2 km apart
	})
	m, err := (&DBSCAN{Eps: 50, MinSamples: 2, Metric: Haversine}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 0, 0, 1, 1, 1, -1, 2, 2}; !slices.Equal(m.Labels, want) {
		t.Errorf("labels = %v, want %v", m.Labels, want)
	}
	// Orly is 14.6 km from Paris (the nearest core point).
	a, err := m.Predict([]float64{48.7262, 2.3652})
	if err != nil {
		t.Fatal(err)
	}
	if a.Label != 0 || a.Distance < 14 || a.Distance > 15 {
		t.Errorf("Orly: %+v, want cluster 0 at ~14.5 km", a)
	}
	if a, _ := m.Predict([]float64{40.7128, -74.0060}); a.Label != -1 || a.Distance < 5000 {
		t.Errorf("New York: %+v, want noise far away", a)
	}
	if _, err := m.Predict([]float64{1, 2, 3}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("3 values: error %v", err)
	}
}

func TestDBSCANPredict(t *testing.T) {
	x := line(0, 0.3, 0.6, 0.9, 2.0, 3.1, 3.4, 3.7, 4.0, 10)
	m, err := (&DBSCAN{Eps: 1.15, MinSamples: 4}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		x     float64
		label int
		dist  float64
	}{{0.1, 0, 0.1}, {2.0, 0, 1.1}, {4.5, 1, 0.5}, {6, -1, 2}, {10, -1, 6}}
	for _, tt := range tests {
		a, err := m.Predict([]float64{tt.x, 0})
		if err != nil {
			t.Fatal(err)
		}
		if a.Label != tt.label || math.Abs(a.Distance-tt.dist) > 1e-12 {
			t.Errorf("Predict(%v) = %+v, want label %d at %v", tt.x, a, tt.label, tt.dist)
		}
	}
}

// TestDBSCANAgreesWithCounts checks the labels on random data against the
// definition: cores by brute-force counts, every core's neighbours share its
// cluster, and border points take the lowest cluster among their cores.
func TestDBSCANAgreesWithCounts(t *testing.T) {
	x, _ := densityBlobs(1500, 2), 0
	eps, ms := 0.4, 6
	m, err := (&DBSCAN{Eps: eps, MinSamples: ms, Workers: 2}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	n := x.Rows
	core := make([]bool, n)
	for i := range n {
		c := 0
		for j := range n {
			if sqdist(x.Row(i), x.Row(j)) <= eps*eps {
				c++
			}
		}
		core[i] = c >= ms
	}
	for i := range n {
		lowest := -1
		for j := range n {
			if core[j] && sqdist(x.Row(i), x.Row(j)) <= eps*eps {
				if core[i] && m.Labels[j] != m.Labels[i] {
					t.Fatalf("cores %d and %d are neighbours in clusters %d and %d", i, j, m.Labels[i], m.Labels[j])
				}
				if lowest < 0 || m.Labels[j] < lowest {
					lowest = m.Labels[j]
				}
			}
		}
		if !core[i] && m.Labels[i] != lowest {
			t.Fatalf("row %d (border or noise) has label %d, want %d", i, m.Labels[i], lowest)
		}
	}
}

func TestKDistancesAndSuggestEps(t *testing.T) {
	x := line(0, 0.1, 0.2, 0.3, 5)
	kd, err := (&DBSCAN{MinSamples: 2}).KDistances(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.1, 0.1, 0.1, 0.1, 4.7}
	for i := range want {
		if math.Abs(kd[i]-want[i]) > 1e-12 {
			t.Fatalf("KDistances = %v, want %v", kd, want)
		}
	}
	tests := []struct {
		curve []float64
		want  float64
	}{
		{[]float64{1, 1, 1, 1, 1, 2, 10}, 2},
		{[]float64{1, 2, 3}, 0},
		{[]float64{1, 2}, 0},
		{kd, 0.1},
	}
	for _, tt := range tests {
		if got := SuggestEps(tt.curve); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("SuggestEps(%v) = %v, want %v", tt.curve, got, tt.want)
		}
	}
}
