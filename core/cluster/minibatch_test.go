package cluster

import (
	"context"
	"github.com/segkit/segkit/internal/synth"
	"math/rand/v2"
	"testing"
)

// TestMiniBatchCloseToKMeans checks that mini-batch k-means on sipu/s1 reaches
// an ARI within 0.01 of full k-means (scikit-learn 1.2.1 gets 0.9864 and
// 0.9868, see TestQualityBench) with an inertia within 1%.
func TestMiniBatchCloseToKMeans(t *testing.T) {
	x, truth := loadBench(t, "sipu", "s1")
	km, err := (&KMeans{K: 15, Seed: 2}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 3} {
		mb, err := (&MiniBatchKMeans{K: 15, Seed: seed}).Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		kmARI, mbARI := adjustedRand(truth, km.Labels), adjustedRand(truth, mb.Labels)
		t.Logf("seed %d: kmeans ARI %.4f inertia %.5g; minibatch ARI %.4f inertia %.5g after %d steps",
			seed, kmARI, km.Inertia, mbARI, mb.Inertia, mb.Iterations)
		if mbARI < kmARI-0.01 || mb.Inertia > 1.01*km.Inertia {
			t.Errorf("seed %d: minibatch ARI %.4f inertia %.5g; kmeans %.4f %.5g", seed, mbARI, mb.Inertia, kmARI, km.Inertia)
		}
	}
}

func TestMiniBatchStopping(t *testing.T) {
	x, _ := synth.Blobs(20000, 4, 6, 4, 12)
	tests := []struct {
		name          string
		mb            MiniBatchKMeans
		wantConverged bool
		maxSteps      int
	}{
		{"no improvement (default)", MiniBatchKMeans{K: 6, BatchSize: 256}, true, 20000 * 100 / 256},
		{"tolerance", MiniBatchKMeans{K: 6, BatchSize: 256, Tol: 1e-2, MaxNoImprovement: -1}, true, 20000 * 100 / 256},
		{"epochs only", MiniBatchKMeans{K: 6, BatchSize: 1000, MaxIter: 2, MaxNoImprovement: -1}, false, 40},
		{"batch larger than data", MiniBatchKMeans{K: 6, BatchSize: 50000, MaxIter: 3, MaxNoImprovement: -1}, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			tt.mb.Progress = func(p Progress) {
				calls++
				if p.Algorithm != "minibatch-kmeans" || p.Iteration != calls || p.MaxIter != tt.maxSteps || p.Inertia <= 0 {
					t.Fatalf("progress %+v after %d calls", p, calls-1)
				}
			}
			m, err := tt.mb.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if m.Converged != tt.wantConverged || m.Iterations != calls || m.Iterations > tt.maxSteps {
				t.Errorf("converged %v after %d steps (%d progress calls); want converged %v, at most %d steps",
					m.Converged, m.Iterations, calls, tt.wantConverged, tt.maxSteps)
			}
			if !tt.wantConverged && m.Iterations != tt.maxSteps {
				t.Errorf("%d steps, want all %d", m.Iterations, tt.maxSteps)
			}
		})
	}
}

// TestMiniBatchReassignsStarvedCentres gives mini-batch k-means more centres
// than blobs, with a tiny batch, so that some centres starve; every centre
// must still end up with rows (reassignment moved the starved ones).
func TestMiniBatchReassignsStarvedCentres(t *testing.T) {
	x, _ := synth.Blobs(5000, 2, 3, 4, 4)
	s := miniBatchState{k: 3, d: 2, batch: 4, counts: []float64{1000, 5, 0},
		centers: []float64{0, 0, 1, 1, 2, 2}, next: []float64{0, 0, 1, 1, 2, 2},
		bx: x.Data[:8], labels: make([]int, 4), buf: make([]float64, 3)}
	s.reassign(newTestRand(1))
	if s.counts[1] != 1000 || s.counts[2] != 1000 {
		t.Errorf("counts %v, want the starved ones reset to the smallest kept count (1000)", s.counts)
	}
	for _, j := range []int{1, 2} {
		found := false
		for i := range 4 {
			if s.next[j*2] == x.Data[i*2] && s.next[j*2+1] == x.Data[i*2+1] {
				found = true
			}
		}
		if !found {
			t.Errorf("centre %d = %v is not a batch row", j, s.next[j*2:j*2+2])
		}
	}
	if s.next[2] == s.next[4] && s.next[3] == s.next[5] {
		t.Errorf("centres 1 and 2 moved to the same row")
	}
}

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }
