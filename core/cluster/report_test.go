//go:build report

package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/internal/synth"
)

// Report generators: they print diagnostics and customer reports rather
// than assert, so they are built only with -tags report, e.g.
//
//	SEGKIT_MIXED_REPORT=1 go test -tags report -run TestMixedCustomers -v ./core/cluster/
//
// The quality tables of docs/quality.md come from `go run ./cmd/build
// quality`.

// TestWriteDensityBenchData writes the benchmark inputs as raw float64 files
// for scripts/density_peer.py when SEGKIT_BENCH_OUT names a folder.
func TestWriteDensityBenchData(t *testing.T) {
	dir := os.Getenv("SEGKIT_BENCH_OUT")
	if dir == "" {
		t.Skip("SEGKIT_BENCH_OUT not set")
	}
	for _, s := range []struct{ n, d int }{{1e4, 2}, {1e5, 2}, {1e4, 8}, {1e5, 8}, {1e3, 8}, {3e3, 8}} {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("blobs_%d_%d.f64", s.n, s.d)))
		if err != nil {
			t.Fatal(err)
		}
		if err := synth.WriteFloat64(f, densityBlobs(s.n, s.d)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGMMQualityTable diagnoses the Gaussian mixture rows of the quality
// table (docs/quality.md), one JSON line per labelled benchmark set: the adjusted Rand indices
// of GaussianMixture{K: k, Seed: s} (full covariances, defaults otherwise)
// for seeds 0..4 (0..N−1 with SEGKIT_GMM_SEEDS=N; SEGKIT_GMM_SETS=id,id
// limits the sets) against the reference labels, and the seconds of each fit.
// scripts/quality_gmm.py prints scikit-learn's side with the same settings.
// With SEGKIT_GMM_INIT_DIR=DIR every fit starts from the labels of
// scikit-learn's own k-means start, written by quality_gmm.py --init-dir DIR.
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
	initDir := os.Getenv("SEGKIT_GMM_INIT_DIR")
	seeds := uint64(5)
	if v, err := strconv.Atoi(os.Getenv("SEGKIT_GMM_SEEDS")); err == nil && v > 0 {
		seeds = uint64(v)
	}
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
		for seed := range seeds {
			g := &GaussianMixture{K: e.K, Seed: seed}
			if initDir != "" {
				name := fmt.Sprintf("%s_%s.%s.seed%d.txt", e.Battery, e.Name, lab, seed)
				if g.InitLabels, err = readInts(filepath.Join(initDir, name)); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			m, err := g.Fit(context.Background(), x)
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

// TestMixedCustomers segments the bank marketing and Telco churn customers
// with both algorithms and logs the segments beside k-means on the numeric
// columns alone (outcome = subscribed / churned, not used for fitting). It
// runs only with SEGKIT_MIXED_REPORT=1 (k-medoids on 7,043 rows takes
// seconds).
func TestMixedCustomers(t *testing.T) {
	if os.Getenv("SEGKIT_MIXED_REPORT") == "" {
		t.Skip("set SEGKIT_MIXED_REPORT=1 for the customer segments report")
	}
	sets := []struct {
		file, sep    string
		num, cat     []string
		outcome, yes string
		k            int
	}{
		{"bank.csv", ";", []string{"age", "balance", "duration", "campaign"},
			[]string{"job", "marital", "education", "housing", "loan"}, "y", "yes", 4},
		{"WA_Fn-UseC_-Telco-Customer-Churn.csv", ",", []string{"tenure", "MonthlyCharges"},
			[]string{"Contract", "InternetService", "PaymentMethod", "gender", "SeniorCitizen"}, "Churn", "Yes", 4},
	}
	for _, s := range sets {
		t.Run(s.file, func(t *testing.T) {
			ct := readCustomers(t, s.file, s.sep, s.num, s.cat, s.outcome, s.yes)
			xs, mask := ct.matrix(true)
			kp, err := (&KPrototypes{K: s.k, Categorical: mask, Seed: 1}).Fit(context.Background(), xs)
			if err != nil {
				t.Fatal(err)
			}
			ct.report(t, fmt.Sprintf("k-prototypes (z-scored numeric, gamma %.3f):", kp.Predictor.(*PrototypePredictor).Gamma), kp.Labels, s.k)
			xr, _ := ct.matrix(false)
			km, err := (&KMedoids{K: s.k, Categorical: mask}).Fit(context.Background(), xr)
			if err != nil {
				t.Fatal(err)
			}
			ct.report(t, "k-medoids (Gower on raw values):", km.Labels, s.k)
			nc := len(s.cat)
			num := matrix.New(xs.Rows, xs.Cols-nc)
			for i := range xs.Rows {
				copy(num.Row(i), xs.Row(i)[nc:])
			}
			kmeans, err := (&KMeans{K: s.k, Seed: 1}).Fit(context.Background(), num)
			if err != nil {
				t.Fatal(err)
			}
			ct.report(t, "k-means on the z-scored numeric columns only:", kmeans.Labels, s.k)
		})
	}
}
