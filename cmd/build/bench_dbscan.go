package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// runBenchDBSCAN times segkit's DBSCAN against the npm library
// density-clustering (scripts/dbscan_npm_peer.js under Node) on the same
// rows: 2-D blobs (synth.Blobs(n, 2, 8, 10, 1), the data of
// BenchmarkDBSCAN2D), eps 0.3, min_samples 5. The npm library compares every
// pair of rows, so by default it runs on the first rows of the set only
// (-sizes) and its time on all rows is extrapolated from the two largest
// sizes by a power law; -full also runs it on every row.
func runBenchDBSCAN(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench-dbscan", flag.ContinueOnError)
	rows := fs.Int("rows", 100_000, "rows of the full set")
	sizes := fs.String("sizes", "12500,25000,50000", "comma-separated subsample sizes (the first rows) on which both run")
	full := fs.Bool("full", false, "also run the npm library on every row (about 2–3 minutes at 100,000 rows here)")
	reps := fs.Int("reps", 5, "repetitions of segkit's fit (the median is reported); the npm library runs once per size")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 || n > *rows {
			return fmt.Errorf("bench-dbscan: bad size %q (1..%d)", s, *rows)
		}
		ns = append(ns, n)
	}
	slices.Sort(ns)
	if *full && ns[len(ns)-1] != *rows {
		ns = append(ns, *rows)
	}
	if err := ensureNodeModules(ctx); err != nil {
		return err
	}
	const eps, minSamples = 0.3, 5
	x, _ := synth.Blobs(*rows, 2, 8, 10, 1)
	dir, err := os.MkdirTemp("", "segkit-bench-dbscan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "blobs.f64")
	if err := writeData(path, x, synth.WriteFloat64); err != nil {
		return err
	}
	fmt.Printf("DBSCAN on 2-D blobs, eps %g, min_samples %d; segkit native (median of %d), density-clustering 1.3.0 under Node %s\n",
		eps, minSamples, *reps, nodeVersion(ctx))
	fmt.Printf("%8s %12s %14s %10s %10s %16s\n", "rows", "segkit s", "npm s", "ratio", "clusters", "ARI(segkit,npm)")
	var npmN, npmS []float64
	for _, n := range ns {
		sub := &matrix.Dense{Rows: n, Cols: 2, Data: x.Data[:2*n]}
		ours, m, err := timeDBSCAN(ctx, sub, eps, minSamples, *reps)
		if err != nil {
			return err
		}
		peer, err := runNPMDBSCAN(ctx, path, n, eps, minSamples)
		if err != nil {
			return err
		}
		ari, err := eval.AdjustedRand(m.Labels, peer.Labels)
		if err != nil {
			return err
		}
		npmN, npmS = append(npmN, float64(n)), append(npmS, peer.Seconds)
		fmt.Printf("%8d %12.4f %14.2f %9.0f× %5d/%-4d %16.6f\n", n, ours, peer.Seconds, peer.Seconds/ours, m.K, peer.Clusters, ari)
	}
	// The npm library's time on all rows by the power law of the two
	// largest subsamples (a check on it when -full measured it).
	var subN, subS []float64
	for i, n := range npmN {
		if int(n) < *rows {
			subN, subS = append(subN, n), append(subS, npmS[i])
		}
	}
	k := len(subN)
	if k < 2 {
		return nil
	}
	p := math.Log(subS[k-1]/subS[k-2]) / math.Log(subN[k-1]/subN[k-2])
	est := subS[k-1] * math.Pow(float64(*rows)/subN[k-1], p)
	if *full {
		fmt.Printf("npm library on %d rows extrapolated from %d and %d rows (time ∝ rows^%.2f): %.0f s\n",
			*rows, int(subN[k-2]), int(subN[k-1]), p, est)
		return nil
	}
	ours, _, err := timeDBSCAN(ctx, x, eps, minSamples, *reps)
	if err != nil {
		return err
	}
	fmt.Printf("%8d %12.4f %13.0f* %9.0f×   (* extrapolated: time ∝ rows^%.2f from the two largest sizes; -full measures it)\n",
		*rows, ours, est, est/ours, p)
	return nil
}

// timeDBSCAN returns the median seconds of reps fits and the last model.
func timeDBSCAN(ctx context.Context, x *matrix.Dense, eps float64, minSamples, reps int) (float64, *cluster.Model, error) {
	var secs []float64
	var m *cluster.Model
	for range max(reps, 1) {
		start := time.Now()
		var err error
		if m, err = (&cluster.DBSCAN{Eps: eps, MinSamples: minSamples}).Fit(ctx, x); err != nil {
			return 0, nil, err
		}
		secs = append(secs, time.Since(start).Seconds())
	}
	slices.Sort(secs)
	return secs[len(secs)/2], m, nil
}

// npmResult is what scripts/dbscan_npm_peer.js prints.
type npmResult struct {
	Rows     int     `json:"rows"`
	Seconds  float64 `json:"seconds"`
	Clusters int     `json:"clusters"`
	Noise    int     `json:"noise"`
	Labels   []int   `json:"labels"`
}

func runNPMDBSCAN(ctx context.Context, path string, n int, eps float64, minSamples int) (*npmResult, error) {
	cmd := exec.CommandContext(ctx, "node", "scripts/dbscan_npm_peer.js", path, "2", strconv.Itoa(n),
		strconv.FormatFloat(eps, 'g', -1, 64), strconv.Itoa(minSamples))
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("density-clustering peer: %w", err)
	}
	var r npmResult
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Labels) != n {
		return nil, fmt.Errorf("density-clustering peer printed %.200q: %v", raw, err)
	}
	return &r, nil
}

func nodeVersion(ctx context.Context) string {
	v, err := output(ctx, nil, "node", "--version")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(v)
}
