//go:build report

package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/internal/synth"
)

// Report generators: they print the quality tables and customer reports of
// docs/quality.md rather than assert, so they are built only with
// -tags report, e.g.
//
//	SEGKIT_QUALITY_TABLE=1 go test -tags report -run TestDensityQualityTable -v ./core/cluster/

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

// TestDensityQualityTable prints segkit's side of the quality table (one
// JSON line per set) when SEGKIT_QUALITY_TABLE is set; compare with
// scripts/quality_density.py.
func TestDensityQualityTable(t *testing.T) {
	if os.Getenv("SEGKIT_QUALITY_TABLE") == "" {
		t.Skip("SEGKIT_QUALITY_TABLE not set")
	}
	b, err := os.ReadFile("testdata/density_quality.json")
	if err != nil {
		t.Fatal(err)
	}
	var sets []densitySet
	if err := json.Unmarshal(b, &sets); err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		x, truth := loadDensitySet(t, s)
		out := map[string]any{"set": s.Labels}
		run := func(algo string, f Fitter) {
			start := time.Now()
			m, err := f.Fit(context.Background(), x)
			if err != nil {
				out[algo] = err.Error()
				return
			}
			noise := 0
			for _, l := range m.Labels {
				if l < 0 {
					noise++
				}
			}
			out[algo] = map[string]any{"ari": fmt.Sprintf("%.4f", adjustedRand(truth, m.Labels)),
				"seconds": fmt.Sprintf("%.3f", time.Since(start).Seconds()), "clusters": m.K, "noise": noise}
		}
		run("dbscan", &DBSCAN{Eps: s.DBSCAN.Eps, MinSamples: s.DBSCAN.MinSamples})
		run("meanshift", &MeanShift{Bandwidth: s.MeanShift.Bandwidth})
		run("hdbscan", &HDBSCAN{MinClusterSize: s.HDBSCAN.MinClusterSize})
		line, _ := json.Marshal(out)
		fmt.Println(string(line))
	}
}

// TestGMMQualityTable prints segkit's side of the Gaussian mixture quality
// table, one JSON line per labelled benchmark set: the adjusted Rand indices
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

// TestHierQualityTable prints segkit's side of the quality table (one JSON
// line per set and algorithm, the same sets and settings as
// scripts/quality_hier.py). It runs only with SEGKIT_HIER_TABLE=1 (slow);
// SEGKIT_HIER_ALGOS and SETS (space-separated) narrow it to some algorithms
// and sets.
func TestHierQualityTable(t *testing.T) {
	if os.Getenv("SEGKIT_HIER_TABLE") == "" {
		t.Skip("set SEGKIT_HIER_TABLE=1 to print the quality table")
	}
	dir := filepath.Join(shareddata.Dir(t), "bench")
	entries, err := benchdata.Index(dir)
	if err != nil {
		t.Fatal(err)
	}
	algos := strings.Fields(os.Getenv("SEGKIT_HIER_ALGOS"))
	if len(algos) == 0 {
		algos = []string{"ward", "complete", "average", "single", "birch"}
	}
	sets := strings.Fields(os.Getenv("SETS"))
	for _, e := range entries {
		if len(sets) > 0 && !slices.ContainsFunc(sets, func(w string) bool { return strings.Contains(e.LabelsFile, w) }) {
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
		for _, algo := range algos {
			out := map[string]any{"set": strings.TrimSuffix(e.LabelsFile, ".gz"), "algo": algo, "n": e.N, "k": e.K}
			var f Fitter = &Agglomerative{K: e.K, Linkage: algo}
			if algo == "birch" {
				f = &Birch{K: e.K, Threshold: birchTableThresholds[e.Battery+"/"+e.Name]}
			}
			start := time.Now()
			m, err := f.Fit(context.Background(), x)
			switch {
			case errors.Is(err, ErrTooLarge):
				out["skipped"] = err.Error()
			case err != nil:
				t.Fatalf("%s %s: %v", e.ID(), algo, err)
			default:
				out["seconds"] = time.Since(start).Seconds()
				out["ari"] = adjustedRand(truth, m.Labels)
				if bp, ok := m.Predictor.(*BirchPredictor); ok {
					out["subclusters"] = bp.Subclusters.Rows
				}
			}
			b, _ := json.Marshal(out)
			t.Log(string(b))
		}
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
