package cluster

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestGMMQualityTable prints segkit's side of the Gaussian mixture quality
// table, one JSON line per labelled benchmark set: the adjusted Rand indices
// of GaussianMixture{K: k, Seed: s} (full covariances, defaults otherwise)
// for seeds 0..4 against the reference labels, and the seconds of each fit.
// scripts/quality_gmm.py prints scikit-learn's side with the same settings.
// It runs only with SEGKIT_GMM_TABLE=1 (it takes minutes).
func TestGMMQualityTable(t *testing.T) {
	if os.Getenv("SEGKIT_GMM_TABLE") != "1" {
		t.Skip("set SEGKIT_GMM_TABLE=1 to print the quality table")
	}
	dir := shareddata.Path(t, "bench")
	entries, err := benchdata.Index(dir)
	if err != nil {
		t.Fatal(err)
	}
	only := os.Getenv("SEGKIT_GMM_SETS")
	for _, e := range entries {
		lab := strings.Split(filepath.Base(e.LabelsFile), ".")[1]
		id := e.Battery + "/" + e.Name + "." + lab
		if only != "" && !strings.Contains(","+only+",", ","+id+",") {
			continue
		}
		x, err := benchdata.Points(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		truth, err := benchdata.Labels(filepath.Join(dir, e.LabelsFile))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]any{"set": id, "n": x.Rows, "d": x.Cols, "k": e.K}
		var aris, secs []float64
		for seed := range uint64(5) {
			start := time.Now()
			m, err := (&GaussianMixture{K: e.K, Seed: seed}).Fit(context.Background(), x)
			if err != nil {
				out["error"] = err.Error()
				break
			}
			secs = append(secs, time.Since(start).Seconds())
			aris = append(aris, adjustedRand(truth, m.Labels))
		}
		out["ari"], out["seconds"] = aris, secs
		if len(aris) > 0 {
			s := 0.0
			for _, a := range aris {
				s += a
			}
			out["mean_ari"] = s / float64(len(aris))
		}
		line, _ := json.Marshal(out)
		t.Log(string(line))
	}
}
