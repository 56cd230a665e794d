package cluster

import (
	"context"
	"testing"
)

// TestHierQualityBench compares agglomerative clustering and BIRCH with
// scikit-learn 1.2.1 on a handful of labelled benchmark sets. The reference
// ARIs are scikit-learn's column of docs/quality.md, made by
//
//	go run ./cmd/build quality -algos agglomerative,birch
//
// (AgglomerativeClustering(n_clusters=k, linkage=L) and Birch(n_clusters=k),
// defaults otherwise, noise kept as its own class, in scripts/quality_peer.py);
// the thresholds are those ARIs minus 0.01.
func TestHierQualityBench(t *testing.T) {
	tests := []struct {
		battery, name string
		k             int
		algo          string
		sklearn       float64
	}{
		{"fcps", "hepta", 7, "ward", 1.0},
		{"fcps", "hepta", 7, "birch", 1.0},
		{"sipu", "aggregation", 7, "ward", 0.8133},
		{"sipu", "aggregation", 7, "average", 1.0},
		{"sipu", "aggregation", 7, "single", 0.8042},
		{"sipu", "aggregation", 7, "birch", 0.7334},
		{"fcps", "target", 6, "ward", 0.6388},
		{"fcps", "target", 6, "complete", 0.2067},
		{"fcps", "target", 6, "birch", 0.4368},
		{"uci", "ecoli", 8, "average", 0.7449},
		{"uci", "ecoli", 8, "complete", 0.6161},
		{"wut", "smile", 6, "single", 1.0},
		{"wut", "smile", 6, "birch", 0.5560},
		{"uci", "glass", 6, "birch", 0.2245},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.algo, func(t *testing.T) {
			x, truth := loadBench(t, tt.battery, tt.name)
			var f Fitter = &Agglomerative{K: tt.k, Linkage: tt.algo}
			if tt.algo == "birch" {
				f = &Birch{K: tt.k}
			}
			m, err := f.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			ari := adjustedRand(truth, m.Labels)
			t.Logf("ARI %.4f (scikit-learn %.4f)", ari, tt.sklearn)
			if ari < tt.sklearn-0.01 {
				t.Errorf("ARI %.4f < scikit-learn %.4f - 0.01", ari, tt.sklearn)
			}
		})
	}
}
