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

// TestBirchSubclusters compares the CF tree with scikit-learn 1.2.1's:
// the number of leaf subclusters of Birch(n_clusters=None) (threshold 0.5,
// branching factor 50) on benchmark sets, from
//
//	/usr/bin/python3 -c "import numpy as np;from sklearn.cluster import Birch;print(len(Birch(n_clusters=None).fit(np.loadtxt('bench/fcps/hepta.data.gz')).subcluster_centers_))"
func TestBirchSubclusters(t *testing.T) {
	tests := []struct {
		battery, name string
		want          int
	}{
		{"fcps", "hepta", 36},
		{"fcps", "target", 14},
		{"sipu", "aggregation", 306},
		{"uci", "glass", 53},
		{"wut", "smile", 38},
		{"fcps", "chainlink", 11},
		{"uci", "ionosphere", 217},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := loadBench(t, tt.battery, tt.name)
			m, err := (&Birch{}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if m.K != tt.want {
				t.Errorf("%d subclusters, scikit-learn has %d", m.K, tt.want)
			}
		})
	}
}

func TestBirchPartialFit(t *testing.T) {
	x, _ := synth.Blobs(3000, 3, 5, 6, 2)
	ctx := context.Background()
	whole, err := (&Birch{K: 5, Threshold: 0.8}).Fit(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	b := &Birch{K: 5, Threshold: 0.8}
	for lo := 0; lo < x.Rows; lo += 700 {
		hi := min(lo+700, x.Rows)
		chunk := &matrix.Dense{Rows: hi - lo, Cols: x.Cols, Data: x.Data[lo*x.Cols : hi*x.Cols]}
		if err := b.PartialFit(ctx, chunk); err != nil {
			t.Fatal(err)
		}
	}
	streamed, err := b.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if streamed.Labels != nil {
		t.Error("Finish returned row labels")
	}
	labels, err := streamed.Predictor.(*BirchPredictor).Labels(x)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labels, whole.Labels) {
		t.Error("streamed labels differ from Fit's")
	}
	if math.Abs(streamed.Inertia-whole.Inertia) > 0.05*whole.Inertia {
		t.Errorf("streamed inertia %v (from the CF sums), Fit's %v", streamed.Inertia, whole.Inertia)
	}
	for i := range whole.Centers.Data {
		if math.Abs(whole.Centers.Data[i]-streamed.Centers.Data[i]) > 1e-9 {
			t.Fatalf("centre value %d: %v vs %v", i, whole.Centers.Data[i], streamed.Centers.Data[i])
		}
	}
	if err := b.PartialFit(ctx, matrix.New(2, 4)); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("chunk with other columns: %v", err)
	}
	b.Reset()
	if _, err := b.Finish(ctx); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("Finish after Reset: %v", err)
	}
}

func TestBirchGlobalSteps(t *testing.T) {
	x, truth := synth.Blobs(2000, 2, 4, 30, 5)
	tests := []struct {
		name  string
		b     *Birch
		wantK int
	}{
		{"agglomerative", &Birch{K: 4}, 4},
		{"kmeans", &Birch{K: 4, Global: "kmeans", Seed: 3}, 4},
		{"K above subclusters", &Birch{K: 50, Threshold: 8}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.b.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			subs := m.Predictor.(*BirchPredictor).Subclusters.Rows
			if tt.wantK < 0 {
				if m.K != subs || subs >= 50 {
					t.Errorf("K = %d with %d subclusters", m.K, subs)
				}
				return
			}
			if m.K != tt.wantK {
				t.Errorf("K = %d, want %d", m.K, tt.wantK)
			}
			if ari := adjustedRand(truth, m.Labels); ari < 0.95 {
				t.Errorf("ARI %.3f on well separated blobs", ari)
			}
			a, err := m.Predict(x.Row(0))
			if err != nil || a.Label != m.Labels[0] {
				t.Errorf("Predict(row 0) = %+v, %v; label %d", a, err, m.Labels[0])
			}
		})
	}
}

func TestBirchErrors(t *testing.T) {
	x, _ := synth.Blobs(100, 2, 2, 4, 1)
	tests := []struct {
		name string
		b    *Birch
		x    *matrix.Dense
		want error
	}{
		{"negative threshold", &Birch{Threshold: -1}, x, ErrBadSettings},
		{"branching 1", &Birch{BranchingFactor: 1}, x, ErrBadSettings},
		{"negative K", &Birch{K: -2}, x, ErrBadSettings},
		{"bad global", &Birch{K: 2, Global: "dbscan"}, x, ErrBadSettings},
		{"nil matrix", &Birch{}, nil, ErrInvalidInput},
		{"no rows", &Birch{}, matrix.New(0, 2), ErrTooFewPoints},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.b.Fit(context.Background(), tt.x); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big, _ := synth.Blobs(10000, 2, 2, 4, 1)
	if _, err := (&Birch{K: 2}).Fit(ctx, big); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	var bp *BirchPredictor
	if _, err := bp.Predict([]float64{1, 2}); !errors.Is(err, ErrNotInductive) {
		t.Errorf("empty predictor: %v", err)
	}
}
