package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKDTreeQueries compares every query of the k-d tree with brute force on
// random data with duplicates, for both metrics.
func TestKDTreeQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range []struct {
		n, d int
		l1   bool
	}{{1, 2, false}, {50, 1, false}, {700, 2, false}, {700, 3, true}, {400, 8, false}} {
		data := make([]float64, tt.n*tt.d)
		for i := range data {
			data[i] = math.Round(rng.NormFloat64()*8) / 4 // many ties
		}
		tr := newKDTree(data, tt.n, tt.d, tt.l1, true, true)
		var h knnHeap
		for q := range min(tt.n, 60) {
			qp := data[q*tt.d : q*tt.d+tt.d]
			all := make([]float64, tt.n)
			for i := range tt.n {
				all[i] = tr.dist(qp, data[i*tt.d:i*tt.d+tt.d])
			}
			sorted := slices.Clone(all)
			slices.Sort(sorted)
			r := sorted[min(tt.n-1, 10)]
			want, wantSum := 0, make([]float64, tt.d)
			for i, v := range all {
				if v <= r {
					want++
					for j := range tt.d {
						wantSum[j] += data[i*tt.d+j]
					}
				}
			}
			if got := tr.countWithin(qp, r, 0); got != want {
				t.Errorf("n=%d d=%d: countWithin = %d, want %d", tt.n, tt.d, got, want)
			}
			if got := tr.countWithin(qp, r, 3); got < min(3, want) {
				t.Errorf("countWithin with limit 3 = %d", got)
			}
			sum := make([]float64, tt.d)
			if got := tr.sumWithin(qp, r, sum); got != want {
				t.Errorf("sumWithin count = %d, want %d", got, want)
			}
			for j := range sum {
				if math.Abs(sum[j]-wantSum[j]) > 1e-9*(1+math.Abs(wantSum[j])) {
					t.Errorf("sumWithin[%d] = %v, want %v", j, sum[j], wantSum[j])
				}
			}
			got := 0
			tr.forEachWithin(qp, r, func(p int32) {
				if all[tr.idx[p]] > r {
					t.Errorf("forEachWithin gave a point beyond r")
				}
				got++
			})
			if got != want {
				t.Errorf("forEachWithin visited %d, want %d", got, want)
			}
			k := min(tt.n, 7)
			tr.knn(qp, k, &h)
			if len(h.dist) != k || h.dist[0] != sorted[k-1] {
				t.Errorf("knn(%d) worst = %v, want %v", k, h.dist[0], sorted[k-1])
			}
		}
		for p := range tt.n {
			row := tr.data[p*tt.d : p*tt.d+tt.d]
			if !slices.Equal(row, data[int(tr.idx[p])*tt.d:int(tr.idx[p])*tt.d+tt.d]) {
				t.Fatalf("tree row %d does not match its index", p)
			}
		}
	}
}

func TestHaversineConversions(t *testing.T) {
	tests := []struct {
		a, b [2]float64
		km   float64
	}{
		// Paris–London: sklearn.metrics.pairwise.haversine_distances(radians) ×
		// 6371.0088 = 343.55653488088313 km.
		{[2]float64{48.8566, 2.3522}, [2]float64{51.5074, -0.1278}, 343.55653488088313},
		// Across the antimeridian on the equator: 0.2° of arc.
		{[2]float64{0, 179.9}, [2]float64{0, -179.9}, 0.2 * math.Pi / 180 * EarthRadiusKm},
		{[2]float64{90, 0}, [2]float64{-90, 0}, math.Pi * EarthRadiusKm},
	}
	for _, tt := range tests {
		u, v := make([]float64, 3), make([]float64, 3)
		if err := unitVector(tt.a[:], u); err != nil {
			t.Fatal(err)
		}
		if err := unitVector(tt.b[:], v); err != nil {
			t.Fatal(err)
		}
		got := chordToKm(math.Sqrt(sqdist(u, v)))
		if math.Abs(got-tt.km) > 1e-6 {
			t.Errorf("distance %v–%v = %.3f km, want %.3f", tt.a, tt.b, got, tt.km)
		}
		if c := kmToChord(got); math.Abs(c-math.Sqrt(sqdist(u, v))) > 1e-9 {
			t.Errorf("kmToChord(chordToKm(c)) = %v, want %v", c, math.Sqrt(sqdist(u, v)))
		}
	}
	if err := unitVector([]float64{91, 0}, make([]float64, 3)); err == nil {
		t.Error("latitude 91 accepted")
	}
}
