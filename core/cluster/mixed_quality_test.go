package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestMixedQualityBench pins the ARIs of KPrototypes (no categorical column:
// k-means behaviour) and KMedoids (Gower on numeric columns: range-normalised
// Manhattan) on a few labelled sets. scikit-learn 1.2.1 has neither
// algorithm; the thresholds are scikit-learn's KMeans ARI minus 0.01, from
// KMeans(k, n_init=10, random_state=0) as printed by
// `/usr/bin/python3 scripts/quality_mixed.py` (see that script), for
// k-prototypes (the same algorithm when nothing is categorical), and for
// k-medoids where its different objective reaches k-means' quality (hepta,
// s1); on glass k-medoids is allowed 0.05 below k-means. On unbalance
// k-medoids is not checked: FasterPAM stops at a local optimum of the sum of
// Gower distances (cost 80.26, ARI 0.877, from BUILD, k-medoids++ and random
// starts alike) that puts two medoids in a dense cluster and one on two
// sparse ones, while the medoids of the reference clusters cost 76.91; no
// single swap improves it.
func TestMixedQualityBench(t *testing.T) {
	tests := []struct {
		battery, name string
		k             int
		sklearn       float64 // KMeans ARI
		kmedoidsSlack float64 // tolerance below sklearn for k-medoids
	}{
		{"fcps", "hepta", 7, 1.0, 0.01},
		{"sipu", "s1", 15, 0.9868, 0.01},
		{"sipu", "unbalance", 8, 1.0, -1}, // k-medoids not checked, see above
		{"uci", "glass", 6, 0.2545, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, truth := loadBench(t, tt.battery, tt.name)
			kp, err := (&KPrototypes{K: tt.k, Seed: 1}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			kpARI := adjustedRand(truth, kp.Labels)
			if tt.kmedoidsSlack < 0 {
				t.Logf("k-prototypes ARI %.4f (scikit-learn KMeans %.4f)", kpARI, tt.sklearn)
				if kpARI < tt.sklearn-0.01 {
					t.Errorf("k-prototypes ARI %.4f < %.4f - 0.01", kpARI, tt.sklearn)
				}
				return
			}
			km, err := (&KMedoids{K: tt.k}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			kmARI := adjustedRand(truth, km.Labels)
			t.Logf("k-prototypes ARI %.4f, k-medoids ARI %.4f (scikit-learn KMeans %.4f)", kpARI, kmARI, tt.sklearn)
			if kpARI < tt.sklearn-0.01 {
				t.Errorf("k-prototypes ARI %.4f < %.4f - 0.01", kpARI, tt.sklearn)
			}
			if kmARI < tt.sklearn-tt.kmedoidsSlack {
				t.Errorf("k-medoids ARI %.4f < %.4f - %.2f", kmARI, tt.sklearn, tt.kmedoidsSlack)
			}
		})
	}
}

// TestMixedQualityTable prints one JSON line per labelled benchmark set with
// the ARI and seconds of KPrototypes (NInit 10, all columns numeric) and
// KMedoids (FasterPAM from BUILD, Gower), for the report's quality table.
// It runs only with SEGKIT_QUALITY_TABLE=1 (it takes minutes).
func TestMixedQualityTable(t *testing.T) {
	if os.Getenv("SEGKIT_QUALITY_TABLE") == "" {
		t.Skip("set SEGKIT_QUALITY_TABLE=1 to print the quality table")
	}
	dir := shareddata.Path(t, "bench")
	entries, err := benchdata.Index(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		x, err := benchdata.Points(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		truth, err := benchdata.Labels(filepath.Join(dir, e.LabelsFile))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]any{"set": e.ID(), "n": e.N, "d": e.D, "k": e.K}
		start := time.Now()
		kp, err := (&KPrototypes{K: e.K, Seed: 0}).Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		out["kprototypes_ari"] = adjustedRand(truth, kp.Labels)
		out["kprototypes_s"] = time.Since(start).Seconds()
		if e.N <= MaxKMedoidsRows {
			start = time.Now()
			km, err := (&KMedoids{K: e.K}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			out["kmedoids_ari"] = adjustedRand(truth, km.Labels)
			out["kmedoids_s"] = time.Since(start).Seconds()
		} else {
			out["kmedoids_skipped"] = fmt.Sprintf("n = %d > MaxKMedoidsRows", e.N)
		}
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
	}
}
