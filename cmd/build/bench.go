package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// peerPython is Debian's interpreter, which python3-sklearn installs into
// (a python3 earlier on PATH, e.g. pyenv's, may lack scikit-learn).
const peerPython = "/usr/bin/python3"

// runBench runs the Go benchmark ladders and the head-to-head comparisons
// against scikit-learn, writing everything under bench-out/.
func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	rows := fs.Int("rows", 1_000_000, "rows of the k-means head-to-head")
	reps := fs.Int("reps", 5, "repetitions of each timed run (the median is reported)")
	parseMB := fs.Int("parse-mb", 100, "size of the generated CSV for the parsing benchmark, in MB")
	ladder := fs.Bool("ladder", true, "also run the go test -bench ladders of core/...")
	helpers := fs.Bool("helpers", true, "with -browser: start the engine's helper workers as the page does (false: the engine alone)")
	browser := fs.Bool("browser", false, "instead: the page in headless Chromium (first render, wasm size, parsing, k-means vs ml-kmeans and scikit-learn), into bench-out/browser.json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := ensurePeer(ctx); err != nil {
		return err
	}
	out := "bench-out"
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if *browser {
		return benchBrowser(ctx, out, *rows, *reps, *parseMB, *helpers)
	}
	if *ladder {
		// SEGKIT_PEER=1 makes the benchmarks that have a scikit-learn peer
		// (eval.Suggest against silhouette_score) run it on the same data.
		if err := step(ctx, "go benchmark ladders", []string{"SEGKIT_PEER=1"}, "sh", "-c",
			"go test -run '^$' -bench . -benchmem -timeout 60m ./core/... | tee "+filepath.Join(out, "go-bench.txt")); err != nil {
			return err
		}
	}
	if err := benchParse(out, *parseMB); err != nil {
		return err
	}
	return benchKMeans(ctx, out, *rows, *reps)
}

// ensurePeer installs Debian's scikit-learn when it is missing.
func ensurePeer(ctx context.Context) error {
	if exec.CommandContext(ctx, peerPython, "-c", "import sklearn, threadpoolctl").Run() == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return errors.New("scikit-learn is missing: apt-get install -y python3-sklearn")
	}
	env := []string{"DEBIAN_FRONTEND=noninteractive"}
	if err := step(ctx, "apt-get update", env, "apt-get", "update", "-q"); err != nil {
		return err
	}
	return step(ctx, "install python3-sklearn", env, "apt-get", "install", "-y", "-q", "python3-sklearn")
}

// benchParse writes a generated numeric CSV of about sizeMB megabytes and
// times reading it into typed columns.
func benchParse(out string, sizeMB int) error {
	rowsFor := sizeMB * 1_000_000 / 85 // about 85 bytes per row: id + 8 values with 6 decimals
	x, _ := synth.Blobs(rowsFor, 8, 8, 4, 1)
	path := filepath.Join(out, "parse.csv")
	if err := writeData(path, x, synth.WriteCSV); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	var secs []float64
	for range 3 {
		start := time.Now()
		t, err := dataset.ReadFile(path, dataset.Options{})
		if err != nil {
			return err
		}
		secs = append(secs, time.Since(start).Seconds())
		if t.Rows != rowsFor {
			return fmt.Errorf("parse benchmark read %d rows, want %d", t.Rows, rowsFor)
		}
	}
	med := median(secs)
	fmt.Printf("parse: %.1f MB CSV (%d rows × 9 columns) in %.3f s median of 3 → %.0f MB/s\n",
		float64(fi.Size())/1e6, rowsFor, med, float64(fi.Size())/1e6/med)
	return os.Remove(path)
}

// peerRun is one line of scripts/kmeans_peer.py's output.
type peerRun struct {
	Seconds    float64 `json:"seconds"`
	Iterations int     `json:"iterations"`
	Inertia    float64 `json:"inertia"`
}

// benchKMeans times segkit's k-means and scikit-learn's on the same generated
// data (1e6×8, k = 8, overlapping clusters) in the same run and prints the ratio.
func benchKMeans(ctx context.Context, out string, n, reps int) error {
	const d, k, seed = 8, 8, 42
	x, _ := synth.Blobs(n, d, k, 1.5, seed)
	path := filepath.Join(out, "kmeans.f64")
	if err := writeData(path, x, synth.WriteFloat64); err != nil {
		return err
	}
	defer os.Remove(path)

	// The runs are paired and interleaved, alternating which tool goes
	// first, so that both see the same load on a shared machine; the ratio
	// reported is the median of the per-pair ratios.
	var ours, theirs []peerRun
	var ratios []float64
	for r := range reps {
		var o, t peerRun
		var err error
		if r%2 == 0 {
			if o, err = fitOurs(ctx, x, k, uint64(seed+r)); err == nil {
				t, err = fitTheirs(ctx, path, d, k, seed+r)
			}
		} else {
			if t, err = fitTheirs(ctx, path, d, k, seed+r); err == nil {
				o, err = fitOurs(ctx, x, k, uint64(seed+r))
			}
		}
		if err != nil {
			return err
		}
		ours, theirs = append(ours, o), append(theirs, t)
		ratios = append(ratios, t.Seconds/o.Seconds)
		fmt.Printf("  pair %d: segkit %.3f s (%d iterations), scikit-learn %.3f s (%d iterations): %.2f×\n",
			r+1, o.Seconds, o.Iterations, t.Seconds, t.Iterations, t.Seconds/o.Seconds)
	}
	sum := func(runs []peerRun) (sec, iter, inertia float64) {
		var s, it, in []float64
		for _, r := range runs {
			s, it, in = append(s, r.Seconds), append(it, float64(r.Iterations)), append(in, r.Inertia)
		}
		return median(s), median(it), median(in)
	}
	os1, oi, oin := sum(ours)
	ts, ti, tin := sum(theirs)
	fmt.Printf("k-means %d×%d, k=%d, n_init=1, median of %d seeds:\n", n, d, k, reps)
	fmt.Printf("  segkit        %.3f s  (%.0f iterations, inertia %.6g)\n", os1, oi, oin)
	fmt.Printf("  scikit-learn  %.3f s  (%.0f iterations, inertia %.6g, 2 threads)\n", ts, ti, tin)
	// Each tool draws its own k-means++ start, so the iteration counts of a
	// pair differ; the ratio of the total times over all pairs (and the
	// ratio per iteration) is steadier than any one pair's.
	var oSec, tSec, oIt, tIt float64
	for i := range ours {
		oSec, tSec = oSec+ours[i].Seconds, tSec+theirs[i].Seconds
		oIt, tIt = oIt+float64(ours[i].Iterations), tIt+float64(theirs[i].Iterations)
	}
	ratio := tSec / oSec
	fmt.Printf("  ratio scikit-learn / segkit = %.2f× over all %d pairs (per pair: median %.2f×, min %.2f×, max %.2f×; per iteration %.2f×; target ≥ 2×)\n",
		ratio, reps, median(ratios), slices.Min(ratios), slices.Max(ratios), (tSec/tIt)/(oSec/oIt))
	res, _ := json.MarshalIndent(map[string]any{"segkit": ours, "scikit_learn": theirs, "pair_ratios": ratios, "ratio": ratio}, "", "  ")
	return os.WriteFile(filepath.Join(out, "kmeans-vs-sklearn.json"), res, 0o644)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fitOurs times one segkit k-means fit (n_init 1) with the given seed.
func fitOurs(ctx context.Context, x *matrix.Dense, k int, seed uint64) (peerRun, error) {
	km := &cluster.KMeans{K: k, NInit: 1, Seed: seed}
	start := time.Now()
	m, err := km.Fit(ctx, x)
	if err != nil {
		return peerRun{}, err
	}
	return peerRun{time.Since(start).Seconds(), m.Iterations, m.Inertia}, nil
}

// fitTheirs times one scikit-learn k-means fit (n_init 1, two threads) of
// the rows in path, in a fresh interpreter (its start-up is not timed).
func fitTheirs(ctx context.Context, path string, d, k, seed int) (peerRun, error) {
	cmd := exec.CommandContext(ctx, peerPython, "scripts/kmeans_peer.py", path,
		strconv.Itoa(d), strconv.Itoa(k), "2", "1", strconv.Itoa(seed))
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=2", "OPENBLAS_NUM_THREADS=2")
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		return peerRun{}, fmt.Errorf("scikit-learn peer: %w", err)
	}
	var p peerRun
	if err := json.Unmarshal(bytes.TrimSpace(raw), &p); err != nil {
		return peerRun{}, fmt.Errorf("scikit-learn peer printed %q: %w", raw, err)
	}
	return p, nil
}
